#!/usr/bin/env bash
# sl_cosim_tiny.sh — examples/tiny through a cosim top with both load paths (AXI4-Lite
# writes + full read-back, and $readmemh preload), state compared at every step, streams
# with and without back-pressure; each RTL trace must equal `spikeline run`'s byte for byte.
#   sl_cosim_tiny.sh SPIKELINE COSIM_BINARY WORKDIR EXAMPLES_DIR
set -euo pipefail
sl=$1 cosim=$2 w=$3 ex=$4
mkdir -p "$w"
"$sl" build "$ex/tiny.sln" -o "$w/tiny.slm" 2>/dev/null
"$sl" run "$w/tiny.slm" "$ex/tiny.sle" -o "$w/cmodel.slt" -q
"$cosim" "$w/tiny.slm" "$ex/tiny.sle" -o "$w/bus.slt" --load bus --verify-load --state --fst-on-fail none
"$cosim" "$w/tiny.slm" "$ex/tiny.sle" -o "$w/preload.slt" --load preload --state --jitter 5 --fst-on-fail none
cmp "$w/cmodel.slt" "$w/bus.slt"
cmp "$w/cmodel.slt" "$w/preload.slt"
echo "cosim tiny: bus and preload traces equal the C model's"
