// sl_up5k_wrap — place-and-route wrapper for timing the core on an iCE40 UP5K (48-pin
// package): every core input comes from a serial-in shift register and every output is
// captured into a serial-out one, so no logic is optimised away and 5 pins suffice. Not part
// of the IP (rtl/sl_files.f); used by scripts/synth.sh up5k.
module sl_up5k_wrap #(
  parameter int InputAw = 4, NeuronAw = 6, SrcAw = 7, DepthAw = 4, RowCapAw = 4,
  parameter int SynAw = 10, ReadoutAw = 4, PopAw = 2
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic shift_i,  // 1: shift both registers; 0: capture the outputs
  input  logic sdi_i,
  output logic sdo_o
);
  localparam int InW = 117, OutW = 75;
  logic [InW-1:0]  in_q;
  logic [OutW-1:0] out_q, out_d;

  logic        awready, wready, bvalid, arready, rvalid, evt_ready, spk_valid;
  logic [1:0]  bresp, rresp;
  logic [31:0] rdata, spk_data;

  sl_top #(
    .InputAw(InputAw), .NeuronAw(NeuronAw), .SrcAw(SrcAw), .DepthAw(DepthAw), .RowCapAw(RowCapAw),
    .SynAw(SynAw), .ReadoutAw(ReadoutAw), .PopAw(PopAw), .BugMode(0)
  ) u_top (
    .clk_i, .rst_ni,
    .s_axil_awaddr_i(in_q[20:0]), .s_axil_awvalid_i(in_q[21]), .s_axil_awready_o(awready),
    .s_axil_wdata_i(in_q[53:22]), .s_axil_wstrb_i(in_q[57:54]), .s_axil_wvalid_i(in_q[58]),
    .s_axil_wready_o(wready), .s_axil_bresp_o(bresp), .s_axil_bvalid_o(bvalid),
    .s_axil_bready_i(in_q[59]), .s_axil_araddr_i(in_q[80:60]), .s_axil_arvalid_i(in_q[81]),
    .s_axil_arready_o(arready), .s_axil_rdata_o(rdata), .s_axil_rresp_o(rresp),
    .s_axil_rvalid_o(rvalid), .s_axil_rready_i(in_q[82]),
    .s_evt_tdata_i(in_q[114:83]), .s_evt_tvalid_i(in_q[115]), .s_evt_tready_o(evt_ready),
    .m_spk_tdata_o(spk_data), .m_spk_tvalid_o(spk_valid), .m_spk_tready_i(in_q[116]));

  assign out_d = {awready, wready, bresp, bvalid, arready, rdata, rresp, rvalid, evt_ready,
                  spk_data, spk_valid};
  assign sdo_o = out_q[0];

  always_ff @(posedge clk_i) begin
    if (shift_i) begin
      in_q  <= {sdi_i, in_q[InW-1:1]};
      out_q <= {1'b0, out_q[OutW-1:1]};
    end else begin
      out_q <= out_d;
    end
  end
endmodule
