// sl_axil — AXI4-Lite slave front end: turns one read or write transaction at a time into a
// single-cycle request to the core's register/memory fabric and returns its answer as the
// R or B response (OKAY, or SLVERR when the core refuses the access). Writes take priority.
module sl_axil #(
  parameter int AddrW = 21   // byte address
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // AXI4-Lite slave
  input  logic [AddrW-1:0] s_awaddr_i,
  input  logic             s_awvalid_i,
  output logic             s_awready_o,
  input  logic [31:0]      s_wdata_i,
  input  logic [3:0]       s_wstrb_i,
  input  logic             s_wvalid_i,
  output logic             s_wready_o,
  output logic [1:0]       s_bresp_o,
  output logic             s_bvalid_o,
  input  logic             s_bready_i,
  input  logic [AddrW-1:0] s_araddr_i,
  input  logic             s_arvalid_i,
  output logic             s_arready_o,
  output logic [31:0]      s_rdata_o,
  output logic [1:0]       s_rresp_o,
  output logic             s_rvalid_o,
  input  logic             s_rready_i,
  // request to the core (one cycle), answered by ack_i some cycles later
  output logic             req_o,
  output logic             we_o,
  output logic             full_o,     // all four byte strobes set
  output logic [AddrW-1:0] addr_o,     // byte address
  output logic [31:0]      wdata_o,
  input  logic             ack_i,
  input  logic             err_i,
  input  logic [31:0]      rdata_i
);
  localparam logic [1:0] StIdle = 2'd0, StWait = 2'd1, StB = 2'd2, StR = 2'd3;
  localparam logic [1:0] RespOkay = 2'b00, RespSlvErr = 2'b10;

  logic [1:0] st_q;
  logic take_w, take_r;
  logic we_q, full_q, err_q;
  logic [AddrW-1:0] addr_q;
  logic [31:0] wdata_q, rdata_q;

  assign take_w = (st_q == StIdle) && s_awvalid_i && s_wvalid_i;
  assign take_r = (st_q == StIdle) && !take_w && s_arvalid_i;

  assign s_awready_o = take_w;
  assign s_wready_o  = take_w;
  assign s_arready_o = take_r;
  assign s_bvalid_o  = (st_q == StB);
  assign s_bresp_o   = err_q ? RespSlvErr : RespOkay;
  assign s_rvalid_o  = (st_q == StR);
  assign s_rresp_o   = err_q ? RespSlvErr : RespOkay;
  assign s_rdata_o   = rdata_q;

  // The request is registered: it leaves one cycle after the handshake.
  assign we_o    = we_q;
  assign full_o  = full_q;
  assign addr_o  = addr_q;
  assign wdata_o = wdata_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q    <= StIdle;
      req_o   <= 1'b0;
      we_q    <= 1'b0;
      full_q  <= 1'b0;
      err_q   <= 1'b0;
      addr_q  <= '0;
      wdata_q <= '0;
      rdata_q <= '0;
    end else begin
      req_o <= 1'b0;
      unique case (st_q)
        StIdle: begin
          if (take_w) begin
            we_q    <= 1'b1;
            full_q  <= (s_wstrb_i == 4'hF);
            addr_q  <= s_awaddr_i;
            wdata_q <= s_wdata_i;
            req_o   <= 1'b1;
            st_q    <= StWait;
          end else if (take_r) begin
            we_q   <= 1'b0;
            full_q <= 1'b1;
            addr_q <= s_araddr_i;
            req_o  <= 1'b1;
            st_q   <= StWait;
          end
        end
        StWait: begin
          if (ack_i) begin
            err_q   <= err_i;
            rdata_q <= we_q ? 32'd0 : rdata_i;
            st_q    <= we_q ? StB : StR;
          end
        end
        StB: if (s_bready_i) st_q <= StIdle;
        StR: if (s_rready_i) st_q <= StIdle;
        default: st_q <= StIdle;
      endcase
    end
  end
endmodule
