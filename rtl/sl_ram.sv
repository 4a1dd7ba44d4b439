// sl_ram — behavioural simple dual-port RAM with a registered read (read-before-write on an
// address collision), the shape yosys maps to block RAM. In simulation it starts zeroed and
// can be preloaded from a $readmemh image named by the plusarg +<InitArg>=<file>.
module sl_ram #(
  parameter int Width = 32,
  parameter int AddrW = 10,
  parameter              InitArg = "none"
) (
  input  logic             clk_i,
  input  logic             we_i,
  input  logic [AddrW-1:0] waddr_i,
  input  logic [Width-1:0] wdata_i,
  input  logic [AddrW-1:0] raddr_i,
  output logic [Width-1:0] rdata_o
);
  localparam int Words = 1 << AddrW;

  logic [Width-1:0] mem [Words] /* verilator public_flat_rd */;

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    rdata_o <= mem[raddr_i];
  end

`ifndef SYNTHESIS
  initial begin : g_init
    string fname;
    for (int i = 0; i < Words; i++) mem[i] = '0;
    if ($value$plusargs({InitArg, "=%s"}, fname)) $readmemh(fname, mem);
  end
`endif
endmodule
