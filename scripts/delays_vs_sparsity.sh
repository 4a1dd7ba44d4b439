#!/usr/bin/env bash
# delays_vs_sparsity.sh CACHE.slf OUTDIR [SEEDS] [EPOCHS] [QAT] — learned vs fixed random
# delays on the seed network (256 hidden, delays 0–31) at sparsity 0, 1/2, 3/4, 7/8, 15/16
# and 31/32 (a fixed random mask, Dale signs), SEEDS seeds each (default 3): fixed =
# `--delays fixed`, learned = straight-through positions with the hardware-rule term
# (`--delays dcls --lr-pos 0.05 --ste-frac 1 --membrane 5`). Two runs at a time, one thread
# each (the thread count changes the bits of a run: compare runs of the same count).
# Runs already in OUTDIR (a summary.txt) are kept. Writes OUTDIR/delays-sparsity.csv (one
# row per run) and OUTDIR/delays-sparsity.png (gnuplot: every run and the mean per level).
set -euo pipefail
cache=$1; out=$2; seeds=${3:-3}; ep=${4:-100}; qat=${5:-5}
cli=${SPIKELINE:-build/cli/spikeline}
[ -f "$cache" ] || { echo "delays_vs_sparsity.sh: $cache: no such feature cache" >&2; exit 2; }
mkdir -p "$out"
levels=(0 1/2 3/4 7/8 15/16 31/32)
tag() { [ "$1" = 0 ] && echo dense || echo "${1/\//of}"; }
opts() { # sparsity, kind
  local o=(--taps 32)
  [ "$1" != 0 ] && o+=(--deepr 1 --rewire 0 --sparsity "$1")
  if [ "$2" = fixed ]; then o+=(--delays fixed); else o+=(--delays dcls --lr-pos 0.05 --ste-frac 1 --membrane 5); fi
  echo "${o[@]}"
}
jobs_list=()
for lv in "${levels[@]}"; do
  for s in $(seq 1 "$seeds"); do
    for k in fixed learned; do jobs_list+=("$lv $k $s"); done
  done
done
run_one() { # sparsity kind seed
  local name; name="$(tag "$1")-$2-s$3"
  [ -f "$out/$name/summary.txt" ] && return 0
  # shellcheck disable=SC2046
  "$cli" train --features "$cache" --epochs "$ep" --qat-epochs "$qat" --threads 1 --no-progress --quiet \
    --no-plot --seed "$3" $(opts "$1" "$2") -o "$out/$name" > "$out/$name.log" 2>&1 ||
    { echo "delays_vs_sparsity.sh: $name failed, see $out/$name.log" >&2; return 1; }
}
total=${#jobs_list[@]}; done_n=0; t0=$(date +%s)
progress() {
  local el=$(( $(date +%s) - t0 )) eta=0
  [ "$done_n" -gt 0 ] && eta=$(( el * (total - done_n) / done_n ))
  printf '\r[%d/%d runs] %dm%02ds elapsed, ETA %dm%02ds   ' "$done_n" "$total" $((el / 60)) $((el % 60)) \
    $((eta / 60)) $((eta % 60)) >&2
}
running=0 failed=0
reap() { # one finished run; a failed one is counted, the others go on
  wait -n || failed=$((failed + 1))
  running=$((running - 1)); done_n=$((done_n + 1)); progress
}
for j in "${jobs_list[@]}"; do
  # shellcheck disable=SC2086
  run_one $j &
  running=$((running + 1))
  [ "$running" -lt 2 ] || reap
done
while [ "$running" -gt 0 ]; do reap; done
echo >&2
[ "$failed" -eq 0 ] || { echo "delays_vs_sparsity.sh: $failed runs failed; no table" >&2; exit 1; }

csv="$out/delays-sparsity.csv"
{
  echo "sparsity,delays,seed,deployed_test_acc,test_acc_float,val_acc_quant,options"
  for j in "${jobs_list[@]}"; do
    read -r lv k s <<< "$j"
    f="$out/$(tag "$lv")-$k-s$s/summary.txt"
    get() { awk -v key="$1" '$1 == key {print $3}' "$f"; }
    echo "$lv,$k,$s,$(get deployed_test_acc),$(get test_acc_float),$(get val_acc_quant),$(opts "$lv" "$k")"
  done
} > "$csv.tmp" && mv "$csv.tmp" "$csv"
# per level: x index, mean and range of each kind (awk keeps the levels' order)
awk -F, 'BEGIN { n = 0 } NR > 1 { if (!($1 in ix)) { ix[$1] = n; name[n++] = $1 }
  i = ix[$1]; v = 100 * $4; k = $2; sum[i, k] += v; cnt[i, k]++
  if (!((i, k) in lo) || v < lo[i, k]) lo[i, k] = v; if (!((i, k) in hi) || v > hi[i, k]) hi[i, k] = v }
  END { for (i = 0; i < n; i++) printf "%d \"%s\" %.2f %.2f %.2f %.2f %.2f %.2f\n", i, name[i],
        sum[i, "fixed"] / cnt[i, "fixed"], lo[i, "fixed"], hi[i, "fixed"],
        sum[i, "learned"] / cnt[i, "learned"], lo[i, "learned"], hi[i, "learned"] }' "$csv" > "$out/means.dat"
awk -F, 'BEGIN { n = 0 } NR > 1 { if (!($1 in ix)) ix[$1] = n++; printf "%.2f %.2f %s\n", ix[$1] + ($2 == "fixed" ? -0.06 : 0.06), 100 * $4, $2 }' \
  "$csv" > "$out/runs.dat"
column -t < "$out/means.dat" | awk 'BEGIN { print "level  sparsity  fixed(mean lo hi)  learned(mean lo hi)" } { print }'
if command -v gnuplot > /dev/null; then
  gnuplot -e "set terminal pngcairo size 820,480 noenhanced; set output '$out/delays-sparsity.png.tmp';
    set title 'Seed network (256 hidden, delays 0-31): deployed test accuracy vs sparsity';
    set xlabel 'fraction of the synapses pruned (fixed random mask)'; set ylabel 'deployed accuracy (%)';
    set xrange [-0.5:5.5]; set yrange [0:100]; set key bottom left; set grid ytics;
    plot '$out/means.dat' using 1:3:xtic(2) with linespoints lw 2 pt 7 lc rgb '#999999' title 'fixed random delays (mean)',
         '' using 1:6 with linespoints lw 2 pt 7 lc rgb '#c0392b' title 'learned delays, straight-through + membrane term (mean)',
         '$out/runs.dat' using (strcol(3) eq 'fixed' ? \$1 : NaN):2 with points pt 6 lc rgb '#999999' title 'one seed',
         '' using (strcol(3) eq 'learned' ? \$1 : NaN):2 with points pt 6 lc rgb '#c0392b' notitle" &&
    mv "$out/delays-sparsity.png.tmp" "$out/delays-sparsity.png" && echo "plot: $out/delays-sparsity.png"
else
  echo "delays_vs_sparsity.sh: gnuplot not installed, no plot (scripts/setup.sh installs it)" >&2
fi
echo "table: $csv"
