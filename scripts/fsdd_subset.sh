#!/bin/sh
# fsdd_subset.sh — make the small FSDD subset vendored for CI (tests/data/fsdd/): every
# speaker found in SRC, digits 0-9, takes 0..TAKES-1 (default 9: FSDD's official test takes
# 0-4 and training takes 5-8), re-encoded as FLAC (best compression, no padding, no seek
# table; the same input gives the same bytes). README.md of DST is not touched.
#   usage: scripts/fsdd_subset.sh SRC DST [TAKES]
#   e.g.   scripts/fsdd_subset.sh /path/to/free-spoken-digit-dataset tests/data/fsdd
# SRC: an FSDD folder holding {digit}_{speaker}_{take}.wav, or its parent (recordings/).
set -eu
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
case ${1:-} in -h | --help) usage; exit 0 ;; esac
if [ $# -lt 2 ]; then usage >&2; exit 2; fi
src=$1
dst=$2
takes=${3:-9}
[ -d "$src/recordings" ] && src=$src/recordings
command -v flac >/dev/null || { echo "fsdd_subset.sh: flac is not installed" >&2; exit 1; }
speakers=$(find "$src" -maxdepth 1 -name '[0-9]_*_*.wav' | sed 's|.*/[0-9]_\([^_]*\)_[0-9]*\.wav$|\1|' | LC_ALL=C sort -u)
[ -n "$speakers" ] || { echo "fsdd_subset.sh: $src: no {digit}_{speaker}_{take}.wav files" >&2; exit 1; }
mkdir -p "$dst"
n=0
for spk in $speakers; do
  for d in 0 1 2 3 4 5 6 7 8 9; do
    t=0
    while [ "$t" -lt "$takes" ]; do
      in=$src/${d}_${spk}_${t}.wav
      [ -f "$in" ] || { echo "fsdd_subset.sh: $in: missing" >&2; exit 1; }
      flac --silent --best --no-padding --no-seektable --force -o "$dst/${d}_${spk}_${t}.flac" "$in"
      n=$((n + 1))
      t=$((t + 1))
    done
  done
done
echo "$dst: $n FLAC files, $(cat "$dst"/*.flac | wc -c) bytes"
