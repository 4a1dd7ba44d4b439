#!/usr/bin/env bash
# sl_classify_tiny.sh — examples/tiny classified through the host driver on each given
# target (e.g. sim: sim:sc); every device trace (-o) must equal `spikeline run`'s byte for byte.
#   sl_classify_tiny.sh SPIKELINE WORKDIR EXAMPLES_DIR TARGET...
set -euo pipefail
sl=$1 w=$2 ex=$3
shift 3
mkdir -p "$w"
"$sl" build "$ex/tiny.sln" -o "$w/tiny.slm" 2>/dev/null
"$sl" run "$w/tiny.slm" "$ex/tiny.sle" -o "$w/cmodel.slt" -q
for t in "$@"; do
  f="$w/classify-${t//[^a-z0-9]/_}.slt"
  "$sl" classify "$w/tiny.slm" "$ex/tiny.sle" --target "$t" -o "$f" -q
  cmp "$w/cmodel.slt" "$f"
  echo "classify --target $t: trace equals spikeline run's"
done
