#!/usr/bin/env bash
# synth.sh — open synthesis of the RTL core: yosys synth_xilinx (7-series) and synth_ice40
# reports for the default-size core, and nextpnr-ice40 place & route of a configuration that
# fits an iCE40 UP5K, with its achieved Fmax. Reports go to build/synth/ (or $SL_SYNTH_DIR).
#   scripts/synth.sh xilinx | ice40 | up5k | all
set -euo pipefail
cd "$(dirname "$0")/.."
out=${SL_SYNTH_DIR:-build/synth}
mkdir -p "$out"
srcs=$(sed -n 's|^\([a-z_0-9]*\.sv\)$|rtl/\1|p' rtl/sl_files.f | tr '\n' ' ')
# UP5K-sized core: 16 inputs, 64 neurons, D 16, row capacity 16, 1024 table words, 16 readouts.
# It is placed inside rtl/fpga/sl_up5k_wrap.sv (serial scan wrapper: 5 pins) with its defaults.

yosys_run() { # name, top, extra sources, synth command
  local name=$1 top=$2 extra=$3 cmd=$4
  echo "== $name: yosys $cmd ($(date)) =="
  local t0=$SECONDS
  yosys -l "$out/$name.log" -q -p "read_verilog -sv -DSYNTHESIS $srcs $extra; hierarchy -top $top; $cmd; tee -q -o $out/$name.stat stat" \
    >/dev/null 2>&1 || { echo "yosys failed, see $out/$name.log" >&2; return 1; }
  echo "   $((SECONDS - t0)) s; whole design ($out/$name.stat):"
  # the totals: the hierarchy section of a hierarchical design, else the (single) flat module
  if grep -q "design hierarchy" "$out/$name.stat"; then sed -n '/design hierarchy/,$p' "$out/$name.stat"
  else cat "$out/$name.stat"; fi | grep -E "Number of cells|^ +[A-Z][A-Z0-9_]+ +[0-9]+$" | sed 's/^ */     /' || true
}

what=${1:-all}
case "$what" in
  xilinx|all) yosys_run xilinx-default sl_top "" "synth_xilinx -family xc7 -top sl_top" ;;&
  ice40|all) yosys_run ice40-default sl_top "" "synth_ice40 -top sl_top -dsp" ;;&
  up5k|all)
    yosys_run ice40-up5k sl_up5k_wrap rtl/fpga/sl_up5k_wrap.sv "synth_ice40 -top sl_up5k_wrap -dsp -json $out/up5k.json"
    echo "== up5k: nextpnr-ice40 --up5k ($(date)) =="
    t0=$SECONDS
    nextpnr-ice40 --up5k --package sg48 --json "$out/up5k.json" --freq 30 --report "$out/up5k-report.json" \
      --placer heap --seed 1 > "$out/up5k-pnr.log" 2>&1
    echo "   $((SECONDS - t0)) s"
    grep -E "Max frequency|ICESTORM_LC|ICESTORM_RAM|ICESTORM_DSP|SB_IO" "$out/up5k-pnr.log" | tail -8 | sed 's/^/     /'
    ;;
  xilinx|ice40) ;;
  *) echo "usage: $0 xilinx|ice40|up5k|all" >&2; exit 2 ;;
esac
