#!/usr/bin/env bash
# bench_data.sh — the data figures of docs/results.md: synthesis time per 1,000
# utterances, feature throughput and the nearest-centroid yardstick, each printed with the
# command that produced it. Usage: bench/bench_data.sh [BUILD_DIR] [SIZE] [OUT_DIR]
#   defaults: build, default, /tmp/spikeline-corpus-<SIZE>  (a fresh directory is timed;
#   an existing one is resumed and its time means nothing)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
size=${2:-default}
out=${3:-/tmp/spikeline-corpus-$size}
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: python3 scripts/corpus/synth_corpus.py --size $size --out $out -j $(nproc)"
python3 scripts/corpus/synth_corpus.py --size "$size" --out "$out" -j "$(nproc)" -q
echo "size on disk: $(du -sh "$out/audio" | cut -f1)"
echo "command: $build/cli/spikeline features $out -o $out.slf --force"
"$build/cli/spikeline" features "$out" -o "$out.slf" --force 2>/dev/null
"$build/bench/sl_bench_yardstick" "$out.slf"
