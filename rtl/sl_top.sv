// sl_top — the spikeline core as an IP block: AXI4-Lite slave for configuration, model
// loading, rewiring, state and counters; an AXI4-Stream-style event input and spike output.
module sl_top
#(
  parameter int InputAw   = sl_pkg::DefInputAw,
  parameter int NeuronAw  = sl_pkg::DefNeuronAw,
  parameter int SrcAw     = sl_pkg::DefSrcAw,
  parameter int DepthAw   = sl_pkg::DefDepthAw,
  parameter int RowCapAw  = sl_pkg::DefRowCapAw,
  parameter int SynAw     = sl_pkg::DefSynAw,
  parameter int ReadoutAw = sl_pkg::DefReadoutAw,
  parameter int PopAw     = sl_pkg::DefPopAw,
  parameter int BugMode   = 0
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // AXI4-Lite slave (21-bit byte addresses; docs/rtl.md)
  input  logic [20:0] s_axil_awaddr_i,
  input  logic        s_axil_awvalid_i,
  output logic        s_axil_awready_o,
  input  logic [31:0] s_axil_wdata_i,
  input  logic [3:0]  s_axil_wstrb_i,
  input  logic        s_axil_wvalid_i,
  output logic        s_axil_wready_o,
  output logic [1:0]  s_axil_bresp_o,
  output logic        s_axil_bvalid_o,
  input  logic        s_axil_bready_i,
  input  logic [20:0] s_axil_araddr_i,
  input  logic        s_axil_arvalid_i,
  output logic        s_axil_arready_o,
  output logic [31:0] s_axil_rdata_o,
  output logic [1:0]  s_axil_rresp_o,
  output logic        s_axil_rvalid_o,
  input  logic        s_axil_rready_i,
  // event input stream
  input  logic [31:0] s_evt_tdata_i,
  input  logic        s_evt_tvalid_i,
  output logic        s_evt_tready_o,
  // spike output stream
  output logic [31:0] m_spk_tdata_o,
  output logic        m_spk_tvalid_o,
  input  logic        m_spk_tready_i
);
  logic        req, we, full, ack, err;
  logic [20:0] addr;
  logic [31:0] wdata, rdata;

  sl_axil #(.AddrW(21)) u_axil (
    .clk_i, .rst_ni,
    .s_awaddr_i(s_axil_awaddr_i), .s_awvalid_i(s_axil_awvalid_i), .s_awready_o(s_axil_awready_o),
    .s_wdata_i(s_axil_wdata_i), .s_wstrb_i(s_axil_wstrb_i), .s_wvalid_i(s_axil_wvalid_i),
    .s_wready_o(s_axil_wready_o), .s_bresp_o(s_axil_bresp_o), .s_bvalid_o(s_axil_bvalid_o),
    .s_bready_i(s_axil_bready_i), .s_araddr_i(s_axil_araddr_i), .s_arvalid_i(s_axil_arvalid_i),
    .s_arready_o(s_axil_arready_o), .s_rdata_o(s_axil_rdata_o), .s_rresp_o(s_axil_rresp_o),
    .s_rvalid_o(s_axil_rvalid_o), .s_rready_i(s_axil_rready_i),
    .req_o(req), .we_o(we), .full_o(full), .addr_o(addr), .wdata_o(wdata),
    .ack_i(ack), .err_i(err), .rdata_i(rdata));

  sl_core #(
    .InputAw(InputAw), .NeuronAw(NeuronAw), .SrcAw(SrcAw), .DepthAw(DepthAw),
    .RowCapAw(RowCapAw), .SynAw(SynAw), .ReadoutAw(ReadoutAw), .PopAw(PopAw), .BugMode(BugMode)
  ) u_core (
    .clk_i, .rst_ni,
    .bus_req_i(req), .bus_we_i(we), .bus_full_i(full), .bus_addr_i(addr), .bus_wdata_i(wdata),
    .bus_ack_o(ack), .bus_err_o(err), .bus_rdata_o(rdata),
    .in_data_i(s_evt_tdata_i), .in_valid_i(s_evt_tvalid_i), .in_ready_o(s_evt_tready_o),
    .out_data_o(m_spk_tdata_o), .out_valid_o(m_spk_tvalid_o), .out_ready_i(m_spk_tready_i));

`ifdef SL_COVERAGE
  // Coverage builds: hand this model's counts to sim/sl_cov_dump.cpp when it finishes.
  import "DPI-C" context function void sl_cov_write();
  // verilator coverage_off
  final sl_cov_write();  // (its own count would land after the write)
  // verilator coverage_on
`endif
endmodule
