#!/usr/bin/env bash
# resume.sh CLI TMPDIR — kill -9 a training run in the middle of an epoch, continue it with
# --resume, and require the same final checkpoint and model image, byte for byte, as an
# uninterrupted run with the same seed and thread count. Then --init: a refused start (other
# shape, missing file) exits non-zero with one line naming the file and leaves no output.
set -euo pipefail
cli=$1
dir=$2/trainer-resume
rm -rf "$dir"
mkdir -p "$dir"
# 8 epochs: on an idle machine 3 could all finish within the 0.15 s before the kill
args=(--synth 30 --hidden 64 --batch 16 --epochs 8 --qat-epochs 1 --threads 2 --seed 4
      --no-progress --quiet --no-plot)
"$cli" train "${args[@]}" -o "$dir/a" > /dev/null

"$cli" train "${args[@]}" -o "$dir/b" > /dev/null &
pid=$!
for _ in $(seq 1 1200); do [ -f "$dir/b/checkpoint.slc" ] && break; sleep 0.02; done
sleep 0.15
kill -9 "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
if [ ! -f "$dir/b/checkpoint.slc" ] || [ -f "$dir/b/model.slm" ]; then
  echo "resume.sh: the kill did not land between the first checkpoint and the end" >&2
  exit 1
fi
ls "$dir/b" | grep -q '\.tmp\.' && { echo "resume.sh: a temporary file survived the kill" >&2; exit 1; } || true
echo "killed after epoch $(($(wc -l < "$dir/b/metrics.csv") - 1)); resuming"
"$cli" train "${args[@]}" -o "$dir/b" --resume > /dev/null
cmp "$dir/a/checkpoint.slc" "$dir/b/checkpoint.slc"
cmp "$dir/a/model.slm" "$dir/b/model.slm"
# the metrics (all but the wall-time column) are the same too
diff <(cut -d, -f1-12 "$dir/a/metrics.csv") <(cut -d, -f1-12 "$dir/b/metrics.csv")
echo "resume.sh: interrupted + resumed run == uninterrupted run (checkpoint, image, metrics)"

refuse() { # expected message part, then train arguments
  local want=$1; shift
  rm -rf "$dir/c"
  if "$cli" train "${args[@]}" -o "$dir/c" "$@" > /dev/null 2> "$dir/err"; then
    echo "resume.sh: --init should have been refused: $*" >&2; exit 1
  fi
  grep -q "$want" "$dir/err" || { echo "resume.sh: message lacks '$want':" >&2; cat "$dir/err" >&2; exit 1; }
  [ "$(wc -l < "$dir/err")" -eq 1 ] || { echo "resume.sh: more than one line of error" >&2; exit 1; }
  [ ! -e "$dir/c" ] || { echo "resume.sh: a refused run left $dir/c behind" >&2; exit 1; }
}
refuse "a/checkpoint.slc: cannot start this run from it: network sizes differ" --init "$dir/a/checkpoint.slc" --hidden 32
refuse "missing.slc" --init "$dir/missing.slc"
"$cli" train "${args[@]}" --epochs 1 --qat-epochs 0 -o "$dir/c" --init "$dir/a/checkpoint.slc" > /dev/null
echo "resume.sh: --init refusals name the file and leave nothing; an accepted one runs"
