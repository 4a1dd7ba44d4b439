#!/usr/bin/env bash
# eval_voices.sh SEEN.slf UNSEEN.slf[,UNSEEN2.slf...] [LABEL=]MODEL.slm... — how exported
# models do on the voices they were trained on and on voices they never heard, each through
# the bit-accurate C model (`spikeline eval --per-speaker`, hardware decision rule).
#   SEEN    a corpus with the training speakers' voices but new utterances (another
#           --seed): every split of it counts, speakers heard in training only;
#   UNSEEN  corpora whose test speakers are voices no training speaker has (the default
#           corpus, --test-voices espeak-b, espeak-c): their test split, speakers not in
#           training only.
# Prints one row per model (accuracy %) and the mean per LABEL.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
cli=${SPIKELINE:-build/cli/spikeline}
seen=$1; IFS=, read -r -a unseen <<< "$2"; shift 2
for f in "$seen" "${unseen[@]}"; do
  [ -f "$f" ] || { echo "eval_voices.sh: $f: no such feature cache" >&2; exit 2; }
done
# "N ACC" of a group line of `spikeline eval --per-speaker` ("speakers in the cache's train
# split N ACC%"): model, cache, split, group; a failed evaluation or a missing line stops the script
group() {
  local out line
  out=$("$cli" eval "$1" --features "$2" --split "$3" --per-speaker) ||
    { echo "eval_voices.sh: $1 on $2 ($3): spikeline eval failed" >&2; exit 1; }
  line=$(echo "$out" | awk -v g="$4" '$0 ~ "^speakers " g {gsub("%", "", $NF); print $(NF-1), $NF}')
  [ -n "$line" ] || { echo "eval_voices.sh: $1 on $2 ($3): no 'speakers $4' line" >&2; exit 1; }
  echo "$line"
}
printf '%-14s %-40s %10s' label model seen
for f in "${unseen[@]}"; do printf ' %12s' "$(basename "$f" .slf)"; done
printf ' %12s\n' unseen-mean
rows=()
for arg in "$@"; do
  label=${arg%%=*}; model=${arg#*=}; [ "$label" = "$arg" ] && label=-
  [ -f "$model" ] || { echo "eval_voices.sh: $model: no such model image" >&2; exit 2; }
  sn=0; sc=0
  for sp in train val test; do
    r=$(group "$model" "$seen" "$sp" "in the cache's train split") || exit 1
    read -r n a <<< "$r"
    sn=$((sn + n)); sc=$(awk -v c="$sc" -v n="$n" -v a="$a" 'BEGIN {print c + n * a / 100}')
  done
  row="$label $(awk -v c="$sc" -v n="$sn" 'BEGIN {printf "%.2f", 100 * c / n}')"
  for f in "${unseen[@]}"; do
    r=$(group "$model" "$f" test "not in its train split") || exit 1
    read -r n a <<< "$r"
    row+=" $a"
  done
  row+=" $(echo "$row" | awk '{s = 0; for (i = 3; i <= NF; i++) s += $i; printf "%.2f", s / (NF - 2)}')"
  rows+=("$row")
  echo "$row" | awk -v m="$model" '{printf "%-14s %-40s %10s", $1, m, $2; for (i = 3; i <= NF; i++) printf " %12s", $i; printf "\n"}'
done
echo "mean per label (seen = $seen, all splits; unseen = test speakers not in training):"
printf '%s\n' "${rows[@]}" | awk '{n[$1]++; for (i = 2; i <= NF; i++) s[$1, i] += $i; if (NF > w) w = NF; if (!($1 in o)) {o[$1] = ++k; l[k] = $1}}
  END {for (j = 1; j <= k; j++) {printf "%-14s %-40s", l[j], "(" n[l[j]] " models)"; for (i = 2; i <= w; i++) printf (i == 2 ? " %10.2f" : " %12.2f"), s[l[j], i] / n[l[j]]; printf "\n"}}'
