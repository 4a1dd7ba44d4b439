# run_hls.tcl — the Vitis HLS Tcl flow for the spikeline top: csim, csynth, cosim, IP export.
#
#   vitis_hls -f hls/run_hls.tcl                               (from the repository root)
#   vitis_hls -f hls/run_hls.tcl -tclargs part=xczu3eg-sbva484-1-e clock=5 steps=csim,csynth
#
# Parameters (key=value after -tclargs, or the environment variable in brackets):
#   part   FPGA part                      [SL_HLS_PART]   default xc7z020clg400-1
#   clock  clock period in ns             [SL_HLS_CLOCK]  default 8
#   steps  comma list of csim,csynth,cosim,export         [SL_HLS_STEPS] default all four
#   defs   compile-time maxima (-D...) for the hardware    [SL_HLS_DEFS]
#          default "-DSL_MAX_INPUTS=64 -DSL_MAX_SYN=81920": fits an xc7z020 (docs/hls.md)
#   cases  random networks in csim          [SL_HLS_CASES]  default 300 (cosim runs 3, --quick)
# The same -D maxima go to the top, the core, the bench and the host layer the bench uses.
set root [file normalize [file join [file dirname [info script]] ..]]

proc param {name env default} {
  global argv
  foreach a $argv {
    if {[string match "$name=*" $a]} { return [string range $a [expr {[string length $name] + 1}] end] }
  }
  if {[info exists ::env($env)]} { return $::env($env) }
  return $default
}
set part  [param part  SL_HLS_PART  xc7z020clg400-1]
set clock [param clock SL_HLS_CLOCK 8]
set steps [split [param steps SL_HLS_STEPS csim,csynth,cosim,export] ,]
set defs  [param defs  SL_HLS_DEFS  "-DSL_MAX_INPUTS=64 -DSL_MAX_SYN=81920"]
set cases [param cases SL_HLS_CASES 300]

set inc "-I$root/cmodel/core -I$root/cmodel/host -I$root/hls"
set cflags "-std=c99 $inc $defs"
set tbflags "-std=gnu11 -D_POSIX_C_SOURCE=200809L $inc $defs -DSL_EXAMPLES=\"$root/examples\""

open_project -reset sl_hls_prj
set_top sl_hls_top
add_files $root/hls/sl_hls_top.c -cflags $cflags
add_files -tb $root/hls/sl_hls_tb.c -cflags $tbflags
# The reference build of the core for the bench (the top #includes its own copy).
add_files -tb $root/cmodel/core/sl_core.c -cflags $tbflags
foreach f [glob $root/cmodel/host/*.c] { add_files -tb $f -cflags $tbflags }

open_solution -reset sol1 -flow_target vivado
set_part $part
create_clock -period $clock -name default
config_export -format ip_catalog -rtl verilog -vendor spikeline.org -library hls -version 0.1.0 \
  -display_name "spikeline core (HLS)" -description "Delay-SNN core: AXI4-Lite control, AXI4-Stream events/spikes"

if {"csim" in $steps}   { csim_design -argv "--examples $root/examples --cases $cases" }
if {"csynth" in $steps} { csynth_design }
if {"cosim" in $steps}  { cosim_design -rtl verilog -trace_level none -argv "--examples $root/examples --quick --cases 3" }
if {"export" in $steps} { export_design -format ip_catalog }
exit
