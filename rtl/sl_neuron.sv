// sl_neuron — the arithmetic of one neuron update (docs/spec.md §5), purely combinational:
// a = sat24(ring slot), lk = (V*L + 2048) >>> 12, spike = SPIKING && V >= theta, and V'.
module sl_neuron (
  input  logic signed [23:0] v_i,        // membrane at the end of step t-1
  input  logic signed [31:0] ring_i,     // ring slot t mod D
  input  logic        [12:0] leak_i,     // Q12, 0..4096
  input  logic signed [23:0] thr_i,      // threshold, 1..2^23-1
  input  logic               reset_sub_i,
  input  logic               spiking_i,
  output logic signed [23:0] v_o,
  output logic               spike_o
);
  localparam logic signed [25:0] VMax = 26'sd8388607;
  localparam logic signed [25:0] VMin = -26'sd8388608;

  logic signed [23:0] a;
  logic signed [37:0] prod;
  logic signed [37:0] rounded;
  logic signed [25:0] lk, sum_keep, sum_sub;

  // Saturate the 32-bit slot to 24 bits.
  always_comb begin
    if (ring_i > 32'sd8388607) a = 24'sh7FFFFF;
    else if (ring_i < -32'sd8388608) a = 24'sh800000;
    else a = ring_i[23:0];
  end

  // Q12 leak, round half up, arithmetic (flooring) shift; |lk| <= |V| so 26 bits hold it.
  assign prod    = 38'(v_i) * $signed({25'd0, leak_i});
  assign rounded = prod + 38'sd2048;
  assign lk      = rounded[37:12] /* >>> 12, top bits are sign copies */;

  assign sum_keep = lk + 26'(a);
  assign sum_sub  = lk + 26'(a) - 26'(thr_i);
  assign spike_o  = spiking_i && (v_i >= thr_i);

  function automatic logic signed [23:0] sat24(input logic signed [25:0] x);
    if (x > VMax) sat24 = 24'sh7FFFFF;
    else if (x < VMin) sat24 = 24'sh800000;
    else sat24 = x[23:0];
  endfunction

  always_comb begin
    if (!spike_o) v_o = sat24(sum_keep);
    else if (reset_sub_i) v_o = sat24(sum_sub);
    else v_o = '0;
  end
endmodule
