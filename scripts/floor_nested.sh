#!/usr/bin/env bash
# floor_nested.sh FSDD_DIR OUTDIR [--floors 80,50,40,30,20] [--seed S] [--epochs E] [--jobs J]
# Leave-one-speaker-out with the feature floor (`features --top-db`) chosen without the test
# speaker (nested selection, docs/decisions.md "A 30 dB floor for recorded speech"):
# for every test speaker, train on two of the other speakers and validate on the remaining
# one (the next name in sorted order) at each floor; the floor with the best validation
# accuracy is then used to train on all the other speakers and test on the held-out one.
# Fixed random delays, batch 32, E + 3 epochs (default 60), one seed (default 1), J runs at
# a time (default 2, one thread each). Accuracy is deployed (bit-accurate C model). Runs
# already in OUTDIR (summary.txt) are kept, so an interrupted table resumes.
# Writes OUTDIR/table.md: per speaker the validation accuracy of every floor, the chosen
# floor and the test accuracy; the mean over speakers.
set -euo pipefail
usage() { sed -n '2,12p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
data=$1; out=$2; shift 2
floors=80,50,40,30,20 seed=1 ep=60 jobs=2
while [ $# -gt 0 ]; do
  case $1 in
    --floors) floors=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --epochs) ep=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) usage ;;
  esac
done
cli=${SPIKELINE:-build/cli/spikeline}
[ -d "$data" ] || { echo "floor_nested.sh: $data: no such directory" >&2; exit 2; }
src=$data; [ -d "$data/recordings" ] && src=$data/recordings
src=$(cd "$src" && pwd)
mkdir -p "$out"
IFS=, read -r -a fl <<< "$floors"
# speakers: the {name} of {digit}_{name}_{take}.wav|.flac, sorted
mapfile -t spk < <(find "$src" -maxdepth 1 \( -name '*.wav' -o -name '*.flac' \) -printf '%f\n' |
                   sed -n 's/^[0-9]*_\(.*\)_[0-9]*\.[a-z]*$/\1/p' | sort -u)
[ "${#spk[@]}" -ge 3 ] || { echo "floor_nested.sh: $data: need at least 3 speakers, found ${#spk[@]}" >&2; exit 2; }

train() { # cache name: one run, fixed delays
  [ -f "$out/$2/summary.txt" ] && return 0
  "$cli" train --features "$1" --classes 10 --epochs "$ep" --qat-epochs 3 --batch 32 --delays fixed \
    --threads 1 --no-progress --quiet --no-plot --seed "$seed" -o "$out/$2" > "$out/$2.log" 2>&1 ||
    { echo "floor_nested.sh: $2 failed, see $out/$2.log" >&2; return 1; }
}
acc() { awk '$1=="deployed_test_acc"{print $3}' "$out/$1/summary.txt"; }
total=$(( ${#spk[@]} * (${#fl[@]} + 1) )); done_n=0; t0=$(date +%s)
progress() {
  local el=$(( $(date +%s) - t0 )) eta=0
  [ "$done_n" -gt 0 ] && eta=$(( el * (total - done_n) / done_n ))
  printf '\r[%d/%d runs] %dm%02ds elapsed, ETA %dm%02ds   ' "$done_n" "$total" $((el / 60)) $((el % 60)) \
    $((eta / 60)) $((eta % 60)) >&2
}
wait_slot() { while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || exit 1; done_n=$((done_n + 1)); progress; done; }

# stage 1: inner runs (the held-out speaker's files are not even in the directory)
for i in "${!spk[@]}"; do
  o=${spk[$i]} v=${spk[$(( (i + 1) % ${#spk[@]} ))]}
  d=$out/dir-$o
  if [ ! -d "$d" ]; then
    mkdir -p "$d.tmp"
    find "$src" -maxdepth 1 \( -name '*.wav' -o -name '*.flac' \) ! -name "*_${o}_*" -exec ln -s {} "$d.tmp/" \;
    mv "$d.tmp" "$d"
  fi
  for f in "${fl[@]}"; do
    [ -f "$out/in-$o-$f.slf" ] || "$cli" features "$d" --test-speakers "$v" --top-db "$f" -o "$out/in-$o-$f.slf" -q
    wait_slot; train "$out/in-$o-$f.slf" "in-$o-$f" &
  done
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || exit 1; done_n=$((done_n + 1)); progress; done

# stage 2: the chosen floor per test speaker, trained on all the other speakers
declare -A pick
for o in "${spk[@]}"; do
  best=-1
  for f in "${fl[@]}"; do
    a=$(acc "in-$o-$f")
    if awk -v a="$a" -v b="$best" 'BEGIN{exit !(a > b)}'; then best=$a; pick[$o]=$f; fi
  done
  k=$(( $(printf '%s\n' "${spk[@]}" | grep -nx "$o" | cut -d: -f1) ))
  [ -f "$out/out-$o-${pick[$o]}.slf" ] || "$cli" features "$data" --fold "$k" --top-db "${pick[$o]}" -o "$out/out-$o-${pick[$o]}.slf" -q
  wait_slot; train "$out/out-$o-${pick[$o]}.slf" "out-$o-${pick[$o]}" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || exit 1; done_n=$((done_n + 1)); progress; done
echo >&2

tmp=$out/.table.md.tmp
{
  printf '| test speaker | validation speaker |'; for f in "${fl[@]}"; do printf ' %s dB |' "$f"; done
  printf ' chosen | **test** |\n| --- | --- |'; for _ in "${fl[@]}"; do printf ' ---: |'; done; printf ' ---: | ---: |\n'
  for i in "${!spk[@]}"; do
    o=${spk[$i]}; printf '| %s | %s |' "$o" "${spk[$(( (i + 1) % ${#spk[@]} ))]}"
    for f in "${fl[@]}"; do awk -v a="$(acc "in-$o-$f")" 'BEGIN{printf " %.1f |", 100 * a}'; done
    awk -v a="$(acc "out-$o-${pick[$o]}")" -v f="${pick[$o]}" 'BEGIN{printf " %s dB | %.1f |\n", f, 100 * a}'
  done
  for o in "${spk[@]}"; do acc "out-$o-${pick[$o]}"; done |
    awk '{s += $1; n++} END {printf "\nmean test accuracy over %d speakers, floors chosen without them: **%.1f %%**\n", n, 100 * s / n}'
} > "$tmp"
mv "$tmp" "$out/table.md"
cat "$out/table.md"
