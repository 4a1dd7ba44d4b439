// sl_neuron — the arithmetic of one neuron update (docs/spec.md §5) as a two-stage pipeline:
// a = sat24(ring slot), lk = (V*L + 2048) >>> 12, spike = SPIKING && V >= theta, and V'.
// Stage 1 (inputs, combinational into registers): the leak product and its rounding, the
// saturated slot a and a - theta, the spike decision. Stage 2 (registers to outputs, one clock
// later): lk + a, or lk + a - theta on a reset-by-subtraction spike, saturated to 24 bits.
// No feedback between updates: every clock may start a new neuron.
module sl_neuron (
  input  logic               clk_i,
  input  logic               rst_ni,
  // stage 1
  input  logic signed [23:0] v_i,        // membrane at the end of step t-1
  input  logic signed [31:0] ring_i,     // ring slot t mod D
  input  logic        [12:0] leak_i,     // Q12, 0..4096
  input  logic signed [23:0] thr_i,      // threshold, 1..2^23-1
  input  logic               reset_sub_i,
  input  logic               spiking_i,
  // stage 2: the update of the neuron presented one clock earlier
  output logic signed [23:0] v_o,
  output logic               spike_o
);
  // ---- stage 1 ----
  logic signed [23:0] a;
  logic signed [37:0] prod;
  logic signed [37:0] rounded;
  logic signed [25:0] lk_d, asub_d;
  logic               spike_d, rsub_d;

  // Saturate the 32-bit slot to 24 bits: in range iff bits 31..23 are sign copies (a LUT
  // tree, not a magnitude comparator).
  always_comb begin
    if (ring_i[31:23] == '0 || ring_i[31:23] == '1) a = ring_i[23:0];
    else if (ring_i[31]) a = 24'sh800000;
    else a = 24'sh7FFFFF;
  end

  // Q12 leak, round half up, arithmetic (flooring) shift; |lk| <= |V| so 26 bits hold it.
  assign prod    = 38'(v_i) * $signed({25'd0, leak_i});
  assign rounded = prod + 38'sd2048;
  assign lk_d    = rounded[37:12] /* >>> 12, top bits are sign copies */;
  assign asub_d  = 26'(a) - 26'(thr_i);   // |a - theta| < 2^24
  assign spike_d = spiking_i && (v_i >= thr_i);
  assign rsub_d  = spike_d && reset_sub_i;

  // ---- pipeline register ----
  logic signed [25:0] lk_q, a_q, asub_q;
  logic               spike_q, rsub_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lk_q <= '0; a_q <= '0; asub_q <= '0; spike_q <= 1'b0; rsub_q <= 1'b0;
    end else begin
      lk_q    <= lk_d;
      a_q     <= 26'(a);
      asub_q  <= asub_d;
      spike_q <= spike_d;
      rsub_q  <= rsub_d;
    end
  end

  // ---- stage 2 ----
  logic signed [25:0] sum_keep, sum_sub;
  assign sum_keep = lk_q + a_q;       // |lk| < 2^23, |a| <= 2^23: no overflow in 26 bits
  assign sum_sub  = lk_q + asub_q;    // |lk + a - theta| < 2^25
  assign spike_o  = spike_q;

  // Saturate to 24 bits: x is in range iff bits 25..23 are sign copies.
  function automatic logic signed [23:0] sat24(input logic signed [25:0] x);
    if (x[25:23] == 3'b000 || x[25:23] == 3'b111) sat24 = x[23:0];
    else if (x[25]) sat24 = 24'sh800000;
    else sat24 = 24'sh7FFFFF;
  endfunction

  always_comb begin
    if (!spike_q) v_o = sat24(sum_keep);
    else if (rsub_q) v_o = sat24(sum_sub);
    else v_o = '0;
  end
endmodule
