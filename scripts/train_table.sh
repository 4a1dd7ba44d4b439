#!/usr/bin/env bash
# train_table.sh CACHE.slf OUTDIR [EPOCHS] [QAT] [main|deepr|all] — the accuracy table of docs/results.md:
# no delays, fixed random delays, DCLS, DEEP R + RigL (delays by structure, 4 candidate
# delays per pair) at several sparsities, and the seed's hybrid (DEEP R 1/2 + DCLS).
# One run at a time, 2 threads. Appends one markdown row per run to OUTDIR/table.md.
set -euo pipefail
cache=$1; out=$2; ep=${3:-25}; qat=${4:-3}; which=${5:-all}
cli=${SPIKELINE:-build/cli/spikeline}
mkdir -p "$out"
common=(--features "$cache" --epochs "$ep" --qat-epochs "$qat" --threads 2 --no-progress --quiet)
run() { # name, options...
  local name=$1; shift
  [ -f "$out/$name/summary.txt" ] && { echo "$name: done already"; return; }
  local t0=$(date +%s)
  "$cli" train "${common[@]}" "$@" -o "$out/$name" > "$out/$name.log" 2>&1
  local t1=$(date +%s)
  local s="$out/$name/summary.txt"
  get() { awk -v k="$1" '$1 == k {print $3}' "$s"; }
  printf '| %s | %s | %.1f %% | %.1f %% | %.1f %% | %s | %.2f s | %d s | `spikeline train %s` | %s |\n' \
    "$name" "$(get best_epoch)" "$(echo "$(get test_acc_float) * 100" | bc -l)" \
    "$(echo "$(get test_acc_quant) * 100" | bc -l)" "$(echo "$(get deployed_test_acc) * 100" | bc -l)" \
    "$(echo "$(get val_acc_quant) * 100" | bc -l | cut -c1-4)" "$(get epoch_seconds)" $((t1 - t0)) \
    "${common[*]} $*" "$(date -u +%F)" >> "$out/table.md"
  tail -1 "$out/table.md"
}
if [ "$which" != deepr ]; then
run no-delays --delays none
run fixed-delays --delays fixed
run dcls --delays dcls
fi
[ "$which" = main ] && exit 0
run deepr-1of2 --delays fixed --deepr 1 --candidates 4 --sparsity 1/2
run deepr-7of8 --delays fixed --deepr 1 --candidates 4 --sparsity 7/8
run deepr-31of32 --delays fixed --deepr 1 --candidates 4 --sparsity 31/32
run deepr-1of2-dcls --delays dcls --deepr 1 --sparsity 1/2
run deepr-3of4 --delays fixed --deepr 1 --candidates 4 --sparsity 3/4
run deepr-15of16 --delays fixed --deepr 1 --candidates 4 --sparsity 15/16
