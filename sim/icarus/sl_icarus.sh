#!/usr/bin/env bash
# sl_icarus.sh — the golden cases under the second simulator: compile rtl/ with Icarus
# Verilog once, then per case write the preload images and command file (sl_cosim --emit-tb),
# run the bench, and require its trace to equal the C model's (spikeline run) and the
# Verilator harness's byte for byte.
#   sl_icarus.sh SPIKELINE SL_COSIM WORKDIR EXAMPLES_DIR [SEED ...]
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 SPIKELINE SL_COSIM WORKDIR EXAMPLES_DIR [SEED ...]" >&2; exit 2; }
sl=$1 cosim=$2 work=$3 ex=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
rtl=$here/../../rtl
mkdir -p "$work"
srcs=$(sed -n 's|^\([a-z_0-9]*\.sv\)$|'"$rtl"'/\1|p' "$rtl/sl_files.f")
# shellcheck disable=SC2086
iverilog -g2012 -o "$work/sl_tb.vvp" -s sl_tb $srcs "$here/sl_tb.sv" 2> "$work/iverilog.log" ||
  { cat "$work/iverilog.log" >&2; exit 1; }
fail=0
for c in tiny "$@"; do
  d=$work/$c
  mkdir -p "$d"
  if [ "$c" = tiny ]; then
    "$sl" build "$ex/tiny.sln" -o "$d/net.slm" 2>/dev/null
    cp "$ex/tiny.sle" "$d/events.sle"
  else
    "$sl" gen --seed "$c" "$d/net.slm" "$d/events.sle"
  fi
  "$sl" run "$d/net.slm" "$d/events.sle" -o "$d/cmodel.slt" -q
  "$cosim" "$d/net.slm" "$d/events.sle" -o "$d/verilator.slt" -q --fst-on-fail none
  "$cosim" "$d/net.slm" "$d/events.sle" --emit-tb "$d"
  t0=$(date +%s.%N)
  vvp -n "$work/sl_tb.vvp" +cmds="$d/cmds.txt" +trace="$d/icarus.slt" +sl_syn="$d/syn.hex" \
      +sl_rowlen="$d/rowlen.hex" > "$d/vvp.log" 2>&1 || true
  t1=$(date +%s.%N)
  if cmp -s "$d/icarus.slt" "$d/cmodel.slt" && cmp -s "$d/icarus.slt" "$d/verilator.slt"; then
    printf 'icarus: PASS %-6s %6d trace lines, %.1f s\n' "$c" "$(wc -l < "$d/icarus.slt")" \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
  else
    echo "icarus: FAIL $c: traces differ (see $d: icarus.slt cmodel.slt verilator.slt vvp.log)" >&2
    diff "$d/cmodel.slt" "$d/icarus.slt" | head -5 >&2 || true
    fail=1
  fi
done
exit $fail
