// sl_pkg — shared widths, default maxima, register offsets and stream word formats of the
// spikeline RTL core. docs/rtl.md is the reader's version of this file; keep them in step.
package sl_pkg;

  // ---- Default maxima (the seed network's sizes, rounded up to powers of two) ----
  localparam int DefInputAw   = 6;   // 64 input channels
  localparam int DefNeuronAw  = 9;   // 512 neurons
  localparam int DefSrcAw     = 10;  // sources (inputs + neurons) < 1024
  localparam int DefDepthAw   = 5;   // D up to 32 ring slots
  localparam int DefRowCapAw  = 8;   // row capacity up to 256
  localparam int DefSynAw     = 17;  // 131072 synapse words
  localparam int DefReadoutAw = 6;   // 64 readout scores
  localparam int DefPopAw     = 3;   // 8 populations

  // Fixed widths of the spec (membrane 24, ring 32, score 40, leak 13 bits) are written out
  // where they are used; the step counter is 16 bits (t mod D is taken from it).
  localparam int StepW  = 16;

  // ---- Host bus: 21-bit byte addresses (19-bit word addresses) ----
  // Identification.
  localparam logic [31:0] IdValue      = 32'h534C_4331;  // "SLC1"
  localparam logic [31:0] VersionValue = 32'h0100_0001;  // RTL 1.0, spec version 1

  // Register word offsets (byte offset / 4) in the register region.
  localparam logic [9:0] RegId        = 10'h000;
  localparam logic [9:0] RegVersion   = 10'h001;
  localparam logic [9:0] RegCaps      = 10'h002;
  localparam logic [9:0] RegVariant   = 10'h003;
  localparam logic [9:0] RegCtrl      = 10'h004;
  localparam logic [9:0] RegStatus    = 10'h005;
  localparam logic [9:0] RegErr       = 10'h006;
  localparam logic [9:0] RegErrAddr   = 10'h007;
  localparam logic [9:0] RegNInputs   = 10'h008;
  localparam logic [9:0] RegNNeurons  = 10'h009;
  localparam logic [9:0] RegNPops     = 10'h00A;
  localparam logic [9:0] RegDepthLog2 = 10'h00B;
  localparam logic [9:0] RegRowCapLog2= 10'h00C;
  localparam logic [9:0] RegNReadouts = 10'h00D;
  localparam logic [9:0] RegCycLo     = 10'h010;
  localparam logic [9:0] RegCycHi     = 10'h011;
  localparam logic [9:0] RegBusyCyc   = 10'h012;
  localparam logic [9:0] RegSweepCyc  = 10'h013;
  localparam logic [9:0] RegDelivCyc  = 10'h014;
  localparam logic [9:0] RegStallCyc  = 10'h015;
  localparam logic [9:0] RegEvents    = 10'h016;
  localparam logic [9:0] RegSynops    = 10'h017;
  localparam logic [9:0] RegSpikes    = 10'h018;
  localparam logic [9:0] RegSteps     = 10'h019;
  localparam logic [9:0] RegInBad     = 10'h01A;
  localparam logic [9:0] RegPopBase   = 10'h040;  // + 4*p: COUNT, LEAK, THRESHOLD, MODE

  // CTRL bits.
  localparam int CtrlEnable     = 0;
  localparam int CtrlClearState = 1;
  localparam int CtrlClearTable = 2;
  localparam int CtrlClearCount = 3;

  // ERR bits (sticky, write 1 to clear).
  localparam int ErrInProto  = 0;  // malformed input stream word (dropped, counted)
  localparam int ErrBusAddr  = 1;  // unmapped / read-only / out-of-window / partial write
  localparam int ErrBusBusy  = 2;  // config or memory access while the core is not idle
  localparam int ErrBadValue = 3;  // refused value (illegal entry, register out of range)
  localparam int ErrRingOvf  = 4;  // ring accumulator overflowed (fan-in bound broken)
  localparam int ErrCfg      = 5;  // a step was requested with an inconsistent config
  localparam int ErrBits     = 6;

  // POP MODE bits.
  localparam int ModeResetSub = 0;
  localparam int ModeSpiking  = 1;
  localparam int ModeReadout  = 2;

  // Stream words. Input: bit 31 = end of step (the word is exactly 32'h8000_0000), else an
  // event with channel in [15:0], payload in [23:16], bits [30:24] zero.
  // Output: bit 31 = 0: spike, neuron in [25:16], step in [15:0];
  //         bit 31 = 1: end of step, spike count of the step in [26:16], step in [15:0].
  localparam logic [31:0] InEos = 32'h8000_0000;

endpackage
