#!/bin/sh
# download_data.sh — fetch the recorded-speech corpora from their official sources, with
# checksums (docs/data.md "Recorded speech: FSDD"). Needs curl (or wget), tar, gzip,
# md5sum and sha256sum; the project itself never downloads anything.
#   usage: scripts/download_data.sh [--dry-run] [--dest DIR] [fsdd] [hd] [shd]   (default: all)
# fsdd: Free Spoken Digit Dataset (GitHub archive of Jakobovski/free-spoken-digit-dataset,
#       CC BY-SA 4.0) into DIR/fsdd/recordings; the 2,000 files of scripts/data/fsdd.sha256
#       (speakers george, jackson, nicolas, yweweler) are checked, the others are listed
#       as unverified.
# hd:   Heidelberg Digits audio (hd_audio.tar.gz, zenkelab.org, CC BY 4.0) into DIR/hd.
# shd:  Spiking Heidelberg Digits (shd_train.h5.gz, shd_test.h5.gz) into DIR/shd.
# The Zenke-lab files are checked against the lab's published md5sums.txt.
# --dry-run prints the URLs and what would be done (and writes nothing); DIR defaults to
# ./data. SL_ZENKE_URL and SL_FSDD_URL override the sources (a mirror).
set -eu
ZENKE=${SL_ZENKE_URL:-https://zenkelab.org/datasets}
FSDD_URL=${SL_FSDD_URL:-https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/heads/master.tar.gz}
MANIFEST=$(cd "$(dirname "$0")" && pwd)/data/fsdd.sha256
dest=./data
dry=0
want=""
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
die() { echo "download_data.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry=1 ;;
    --dest) [ $# -ge 2 ] || die "--dest needs a directory"; dest=$2; shift ;;
    fsdd | hd | shd) want="$want $1" ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
[ -n "$want" ] || want="fsdd hd shd"

fetch() { # URL FILE
  if [ "$dry" = 1 ]; then echo "fetch $1 -> $2"; return 0; fi
  if command -v curl >/dev/null; then curl -fsSL --retry 3 -o "$2.part" "$1"
  elif command -v wget >/dev/null; then wget -O "$2.part" "$1"
  else die "neither curl nor wget is installed"; fi
  mv "$2.part" "$2"
}

zenke() { # SUBDIR FILE...: fetch, verify against md5sums.txt, unpack
  sub=$1
  shift
  [ "$dry" = 1 ] || mkdir -p "$dest/$sub"
  fetch "$ZENKE/md5sums.txt" "$dest/$sub/md5sums.txt"
  for f in "$@"; do
    fetch "$ZENKE/$f" "$dest/$sub/$f"
    [ "$dry" = 1 ] && { echo "verify $f against md5sums.txt, unpack"; continue; }
    sum=$(awk -v f="$f" '$2 == f || $2 == "*" f || $2 ~ "/" f "$" { print $1; exit }' "$dest/$sub/md5sums.txt")
    [ -n "$sum" ] || die "$f is not in $ZENKE/md5sums.txt"
    (cd "$dest/$sub" && echo "$sum  $f" | md5sum -c -) || die "$dest/$sub/$f: MD5 mismatch"
    case $f in
      *.tar.gz) tar -xzf "$dest/$sub/$f" -C "$dest/$sub" ;;
      *.gz) gunzip -kf "$dest/$sub/$f" ;;
    esac
  done
}

fsdd() {
  [ "$dry" = 1 ] || mkdir -p "$dest/fsdd"
  fetch "$FSDD_URL" "$dest/fsdd/fsdd.tar.gz"
  [ "$dry" = 1 ] && { echo "unpack recordings/, check them against $MANIFEST"; return 0; }
  tar -xzf "$dest/fsdd/fsdd.tar.gz" -C "$dest/fsdd" --strip-components=1 --wildcards '*/recordings/*'
  (cd "$dest/fsdd" && sha256sum --quiet -c "$MANIFEST") || die "$dest/fsdd: SHA-256 mismatch (see above)"
  extra=0
  for p in "$dest"/fsdd/recordings/*; do
    grep -q " recordings/${p##*/}\$" "$MANIFEST" || { echo "unverified (not in the manifest): $p"; extra=$((extra + 1)); }
  done
  echo "$dest/fsdd/recordings: $(wc -l <"$MANIFEST") files verified, $extra unverified"
}

for w in $want; do
  case $w in
    fsdd) fsdd ;;
    hd) zenke hd hd_audio.tar.gz ;;
    shd) zenke shd shd_train.h5.gz shd_test.h5.gz ;;
  esac
done
