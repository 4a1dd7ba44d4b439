#!/usr/bin/env bash
# real_table.sh FSDD_DIR OUTDIR [--seeds N] [--epochs E] [--qat Q] [--splits official,loso]
#               [--methods LIST] [--jobs J] [--batch B] [--extra CACHE.slf] [--top-db DB]
#               [--band-limit HZ]
# The real-voice benchmark of docs/results.md:
# deployed accuracy (bit-accurate C model, hardware rule) on the Free Spoken Digit Dataset,
# FSDD's official split (takes 0-4 test) and leave-one-speaker-out (one fold per speaker),
# for every method below, N seeds each (default 3), mean ± sd over seeds.
#   none      no delays                      --delays none
#   fixed     fixed random delays            --delays fixed
#   dcls      delays by gradient (DCLS)      --delays dcls
#   ste       straight-through delays        --delays dcls --lr-pos 0.05 --ste-frac 1 --membrane 5
#   deepr2    DEEP R + RigL, 1/2 pruned      --delays fixed --deepr 1 --candidates 4 --sparsity 1/2
#   deepr8    DEEP R + RigL, 7/8 pruned      --delays fixed --deepr 1 --candidates 4 --sparsity 7/8
#   ste8      straight-through on a fixed random mask, 7/8 pruned (the structure baseline)
# --extra: every sample of CACHE (e.g. the synthetic corpus, features with --band-limit 4000)
# joins each run's training data (`train --extra-train`): synthetic + real. Batch 32 (default;
# FSDD's ~1,600 training files give 50 optimiser steps per epoch), J runs at a time (default
# 2), one thread each. --top-db, --band-limit: the features' recipe (`features`; default 80
# dB, none; the trainer takes the input scale from the cache, and --extra must have been
# made with the same recipe, e.g. both --band-limit 4000). Runs already in OUTDIR (summary.txt) are
# kept, so an interrupted table resumes. Writes OUTDIR/runs.csv and OUTDIR/table.md.
set -euo pipefail
usage() { sed -n '2,22p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
data=$1; out=$2; shift 2
seeds=3 ep=60 qat=3 batch=32 extra='' splits=official,loso methods=none,fixed,dcls,ste,deepr2,deepr8 jobs=2 topdb=80 blimit=0
while [ $# -gt 0 ]; do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --epochs) ep=$2; shift 2 ;;
    --qat) qat=$2; shift 2 ;;
    --splits) splits=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --extra) extra=$2; shift 2 ;;
    --top-db) topdb=$2; shift 2 ;;
    --band-limit) blimit=$2; shift 2 ;;
    *) usage ;;
  esac
done
cli=${SPIKELINE:-build/cli/spikeline}
[ -d "$data" ] || { echo "real_table.sh: $data: no such directory" >&2; exit 2; }
[ -z "$extra" ] || [ -f "$extra" ] || { echo "real_table.sh: $extra: no such feature cache" >&2; exit 2; }
mkdir -p "$out"

opts() { # method -> training options
  case $1 in
    none) echo --delays none ;;
    fixed) echo --delays fixed ;;
    dcls) echo --delays dcls ;;
    ste) echo --delays dcls --lr-pos 0.05 --ste-frac 1 --membrane 5 ;;
    deepr2) echo --delays fixed --deepr 1 --candidates 4 --sparsity 1/2 ;;
    deepr8) echo --delays fixed --deepr 1 --candidates 4 --sparsity 7/8 ;;
    ste8) echo --deepr 1 --rewire 0 --sparsity 7/8 --delays dcls --lr-pos 0.05 --ste-frac 1 --membrane 5 ;;
    *) echo "real_table.sh: unknown method '$1'" >&2; return 2 ;;
  esac
}

# feature caches: one per split (the split is part of the cache)
IFS=, read -r -a split_list <<< "$splits"
IFS=, read -r -a method_list <<< "$methods"
for m in "${method_list[@]}"; do opts "$m" > /dev/null; done
folds=()
for sp in "${split_list[@]}"; do
  case $sp in
    official) folds+=(official)
      "$cli" features "$data" --top-db "$topdb" --band-limit "$blimit" -o "$out/official.slf" -q ;;
    loso)
      n=$("$cli" data "$data" | awk '/^per speaker/ {f = 1; next} /^  total/ {f = 0} f && $1 ~ /^[0-9]+$/ {n++} END {print n + 0}')
      [ "$n" -gt 1 ] || { echo "real_table.sh: $data: '$cli data' lists $n speakers; leave-one-out needs 2 or more" >&2; exit 1; }
      for k in $(seq 1 "$n"); do
        folds+=("fold$k")
        "$cli" features "$data" --top-db "$topdb" --band-limit "$blimit" --fold "$k" -o "$out/fold$k.slf" -q
      done ;;
    *) echo "real_table.sh: unknown split '$sp' (official, loso)" >&2; exit 2 ;;
  esac
done

jobs_list=()
for f in "${folds[@]}"; do
  for m in "${method_list[@]}"; do
    for s in $(seq 1 "$seeds"); do jobs_list+=("$f $m $s"); done
  done
done
run_one() { # fold method seed
  local name="$1-$2-s$3" more=()
  [ -f "$out/$name/summary.txt" ] && return 0
  [ -n "$extra" ] && more=(--extra-train "$extra")
  # shellcheck disable=SC2046
  "$cli" train --features "$out/$1.slf" --classes 10 --epochs "$ep" --qat-epochs "$qat" --batch "$batch" \
    --threads 1 --no-progress --quiet --no-plot --seed "$3" $(opts "$2") "${more[@]}" -o "$out/$name" \
    > "$out/$name.log" 2>&1 || { echo "real_table.sh: $name failed, see $out/$name.log" >&2; return 1; }
}
total=${#jobs_list[@]}; done_n=0; t0=$(date +%s)
progress() {
  local el=$(( $(date +%s) - t0 )) eta=0
  [ "$done_n" -gt 0 ] && eta=$(( el * (total - done_n) / done_n ))
  printf '\r[%d/%d runs] %dm%02ds elapsed, ETA %dm%02ds   ' "$done_n" "$total" $((el / 60)) $((el % 60)) \
    $((eta / 60)) $((eta % 60)) >&2
}
running=0 failed=0
reap() {
  wait -n || failed=$((failed + 1))
  running=$((running - 1)); done_n=$((done_n + 1)); progress
}
progress
for j in "${jobs_list[@]}"; do
  # shellcheck disable=SC2086
  run_one $j &
  running=$((running + 1))
  [ "$running" -lt "$jobs" ] || reap
done
while [ "$running" -gt 0 ]; do reap; done
echo >&2
[ "$failed" -eq 0 ] || { echo "real_table.sh: $failed runs failed; no table" >&2; exit 1; }

csv="$out/runs.csv"
echo "fold,method,seed,deployed_test_acc,val_acc_quant,epoch_seconds" > "$csv"
for j in "${jobs_list[@]}"; do
  read -r f m s <<< "$j"
  sum="$out/$f-$m-s$s/summary.txt"
  awk -v f="$f" -v m="$m" -v s="$s" '$1 == "deployed_test_acc" {a = $3} $1 == "val_acc_quant" {v = $3}
    $1 == "epoch_seconds" {e = $3} END {printf "%s,%s,%s,%s,%s,%s\n", f, m, s, a, v, e}' "$sum" >> "$csv"
done
# table: per method, official mean ± sd over seeds; per fold mean; LOSO mean ± sd over seeds
# of the fold-averaged accuracy
awk -F, -v folds="${folds[*]}" -v methods="${method_list[*]}" -v seeds="$seeds" '
  NR > 1 {acc[$1, $2, $3] = 100 * $4}
  function msd(vals, n,   i, m, v) {m = 0; for (i = 1; i <= n; i++) m += vals[i]; m /= n
    v = 0; for (i = 1; i <= n; i++) v += (vals[i] - m) ^ 2; v = n > 1 ? sqrt(v / (n - 1)) : 0
    return sprintf("%.1f ± %.1f", m, v)}
  END {
    nf = split(folds, F, " "); nm = split(methods, M, " ")
    hdr = "| method |"; sep = "| --- |"; nl = 0
    for (i = 1; i <= nf; i++) {hdr = hdr " " F[i] " |"; sep = sep " ---: |"; if (F[i] ~ /^fold/) nl++}
    if (nl) {hdr = hdr " **LOSO mean** |"; sep = sep " ---: |"}
    print hdr; print sep
    for (j = 1; j <= nm; j++) {
      row = "| " M[j] " |"
      for (s = 1; s <= seeds; s++) lo[s] = 0
      for (i = 1; i <= nf; i++) {
        for (s = 1; s <= seeds; s++) {v[s] = acc[F[i], M[j], s]; if (F[i] ~ /^fold/) lo[s] += v[s] / nl}
        row = row " " msd(v, seeds) " |"
      }
      if (nl) row = row " **" msd(lo, seeds) "** |"
      print row
    }
  }' "$csv" > "$out/table.md"
echo "mean ± sd over $seeds seeds, deployed accuracy (C model) in %, $(date -u '+%F %H:%M UTC'), $(nproc) cores:"
echo "command: scripts/real_table.sh $data $out --seeds $seeds --epochs $ep --qat $qat --batch $batch --splits $splits --methods $methods --jobs $jobs${extra:+ --extra $extra}"
cat "$out/table.md"
