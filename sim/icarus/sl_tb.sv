// sl_tb.sv — Icarus Verilog test bench of sl_top (the second simulator): memories preloaded
// from $readmemh images (+sl_syn=, +sl_rowlen=), configuration written over AXI4-Lite, events
// streamed from a command file (+cmds=, written by `sl_cosim --emit-tb`), and the spike trace
// of docs/spec.md §8.3 written to +trace= so it can be compared byte for byte with the C model.
`timescale 1ns / 1ps
module sl_tb;
  logic        clk = 1'b0, rst_n = 1'b0;
  logic [20:0] awaddr = '0, araddr = '0;
  logic        awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
  logic [31:0] wdata = '0, rdata;
  logic        awready, wready, bvalid, arready, rvalid;
  logic [1:0]  bresp, rresp;
  logic [31:0] evt_data = '0, spk_data;
  logic        evt_valid = 1'b0, evt_ready, spk_valid;

  always #5 clk = ~clk;

  sl_top u_dut (
    .clk_i(clk), .rst_ni(rst_n),
    .s_axil_awaddr_i(awaddr), .s_axil_awvalid_i(awvalid), .s_axil_awready_o(awready),
    .s_axil_wdata_i(wdata), .s_axil_wstrb_i(4'hF), .s_axil_wvalid_i(wvalid), .s_axil_wready_o(wready),
    .s_axil_bresp_o(bresp), .s_axil_bvalid_o(bvalid), .s_axil_bready_i(bready),
    .s_axil_araddr_i(araddr), .s_axil_arvalid_i(arvalid), .s_axil_arready_o(arready),
    .s_axil_rdata_o(rdata), .s_axil_rresp_o(rresp), .s_axil_rvalid_o(rvalid), .s_axil_rready_i(rready),
    .s_evt_tdata_i(evt_data), .s_evt_tvalid_i(evt_valid), .s_evt_tready_o(evt_ready),
    .m_spk_tdata_o(spk_data), .m_spk_tvalid_o(spk_valid), .m_spk_tready_i(1'b1));

  integer tf, cf, eos_seen = 0, errors = 0;

  // Outputs are sampled mid-cycle (falling edge); the stream is always ready, so every word
  // seen here is taken at the next rising edge.
  always @(negedge clk) begin
    if (rst_n && spk_valid) begin
      if (spk_data[31]) eos_seen = eos_seen + 1;
      else $fwrite(tf, "%0d %0d\n", spk_data[15:0], spk_data[25:16]);
    end
  end

  task automatic axi_write(input logic [20:0] a, input logic [31:0] d);
    @(negedge clk);
    awaddr = a; wdata = d; awvalid = 1'b1; wvalid = 1'b1;
    #1;
    while (!(awready && wready)) begin @(negedge clk); #1; end
    @(negedge clk);
    awvalid = 1'b0; wvalid = 1'b0; bready = 1'b1;
    #1;
    while (!bvalid) begin @(negedge clk); #1; end
    if (bresp != 2'b00) begin
      $display("sl_tb: write 0x%06h <- 0x%08h: SLVERR", a, d);
      errors = errors + 1;
    end
    @(negedge clk);
    bready = 1'b0;
  endtask

  task automatic axi_read(input logic [20:0] a, output logic [31:0] d);
    @(negedge clk);
    araddr = a; arvalid = 1'b1;
    #1;
    while (!arready) begin @(negedge clk); #1; end
    @(negedge clk);
    arvalid = 1'b0; rready = 1'b1;
    #1;
    while (!rvalid) begin @(negedge clk); #1; end
    d = rdata;
    if (rresp != 2'b00) begin
      $display("sl_tb: read 0x%06h: SLVERR", a);
      errors = errors + 1;
    end
    @(negedge clk);
    rready = 1'b0;
  endtask

  task automatic push(input logic [31:0] w);
    @(negedge clk);
    evt_data = w; evt_valid = 1'b1;
    #1;
    while (!evt_ready) begin @(negedge clk); #1; end
    @(negedge clk);
    evt_valid = 1'b0;
  endtask

  string cmds, trace;
  logic [8*4-1:0] cmd;
  logic [31:0] a, d, st;
  integer n1, n2, n3, k, r, best, want;
  logic signed [63:0] score [0:255];

  initial begin
    if (!$value$plusargs("cmds=%s", cmds) || !$value$plusargs("trace=%s", trace)) begin
      $display("sl_tb: need +cmds=FILE +trace=FILE (and +sl_syn=, +sl_rowlen= images)");
      $finish;
    end
    cf = $fopen(cmds, "r");
    tf = $fopen(trace, "w");
    if (cf == 0 || tf == 0) begin
      $display("sl_tb: cannot open %s or %s", cmds, trace);
      $finish;
    end
    repeat (4) @(negedge clk);
    rst_n = 1'b1;
    forever begin
      r = $fscanf(cf, "%s", cmd);
      if (r != 1) cmd = "Q";
      case (cmd)
        "H": begin
          r = $fscanf(cf, "%d %d %d", n1, n2, n3);
          $fwrite(tf, "sl-trace 1 neurons %0d readouts %0d steps %0d\n", n1, n2, n3);
        end
        "W": begin
          r = $fscanf(cf, "%h %h", a, d);
          axi_write(a[20:0], d);
        end
        "C": begin
          axi_write(21'h10, 32'd3);  // CTRL: enable, clear state
          st = 32'd0;
          while (!st[0]) axi_read(21'h14, st);
        end
        "S": begin
          r = $fscanf(cf, "%d %d", n1, n2);
          if (n2 >= 0) $fwrite(tf, "sample %0d label %0d\n", n1, n2);
          else $fwrite(tf, "sample %0d\n", n1);
        end
        "E": begin
          r = $fscanf(cf, "%h", d);
          if (d == 32'h8000_0000) begin
            want = eos_seen + 1;
            push(d);
            while (eos_seen < want) @(negedge clk);
          end else push(d);
        end
        "D": begin
          r = $fscanf(cf, "%d", n1);
          best = -1;
          for (k = 0; k < n1; k = k + 1) begin
            axi_read(21'h020000 + 21'(8 * k), d);
            axi_read(21'h020004 + 21'(8 * k), a);
            score[k] = $signed({a, d});
            if (best < 0 || score[k] > score[best]) best = k;
          end
          $fwrite(tf, "decision %0d", best);
          for (k = 0; k < n1; k = k + 1) $fwrite(tf, " %0d", score[k]);
          $fwrite(tf, "\n");
        end
        default: begin  // "Q" or end of file
          axi_read(21'h18, d);
          if (d != 32'd0) begin
            $display("sl_tb: ERR register 0x%08h", d);
            errors = errors + 1;
          end
          $fclose(tf);
          if (errors != 0) $display("sl_tb: FAIL (%0d bus errors)", errors);
          else $display("sl_tb: done at %0t", $time);
          $finish;
        end
      endcase
    end
  end
endmodule
