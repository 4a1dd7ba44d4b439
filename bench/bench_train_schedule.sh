#!/bin/bash
# bench_train_schedule.sh — trainer epoch time at each kind of epoch of a DCLS run (integer,
# straight-through, and the sigma values the annealing schedule passes through), best of
# REPS runs of sl_bench_train (3,420 synthetic utterances, 2 epochs each). Prints the date,
# the machine, each command and its best s/epoch. Usage:
#   bench/bench_train_schedule.sh BUILD_DIR [TAPS] [REPS]
set -euo pipefail
build=${1:?usage: bench_train_schedule.sh BUILD_DIR [TAPS] [REPS]}
taps=${2:-25}
reps=${3:-3}
bin=$build/bench/sl_bench_train
[ -x "$bin" ] || { echo "bench_train_schedule.sh: $bin not built (cmake --build $build)" >&2; exit 1; }
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
half=$(( taps / 2 ))
for opts in "--delays fixed" "--ste-frac 1" "--sigma 0.5" "--sigma 1" "--sigma 2" "--sigma 3" "--sigma 6" "--sigma $half"; do
  cmd="$bin --samples 3420 --epochs 2 --threads 2 --taps $taps $opts"
  best=""
  for ((r = 0; r < reps; r++)); do
    v=$($cmd | sed -n 's/.*best \([0-9.]*\) s\/epoch.*/\1/p')
    if [ -z "$best" ] || awk "BEGIN{exit !($v < $best)}"; then best=$v; fi
  done
  printf '%-90s %s s/epoch\n' "$cmd" "$best"
done
