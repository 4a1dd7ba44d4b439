#!/usr/bin/env bash
# run_fuzz.sh — build the libFuzzer targets with clang and run each for N seconds (default 60).
#   tests/fuzz/run_fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=build-fuzz; mkdir -p $out/corpus-image $out/corpus-text
src="cmodel/core/sl_core.c cmodel/host/sl_status.c cmodel/host/sl_crc32.c cmodel/host/sl_atomic.c
     cmodel/host/sl_net.c cmodel/host/sl_image.c cmodel/host/sl_events.c cmodel/host/sl_netdesc.c"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L -Icmodel/core -Icmodel/host"
clang $flags -o $out/fuzz_image tests/fuzz/fuzz_image.c $src
clang $flags -o $out/fuzz_text tests/fuzz/fuzz_text.c $src
cp examples/*.sln examples/*.sle $out/corpus-text/
build/cli/spikeline build examples/tiny.sln -o $out/corpus-image/tiny.slm 2>/dev/null || true
$out/fuzz_image -max_total_time="$secs" -rss_limit_mb=4096 $out/corpus-image
$out/fuzz_text -max_total_time="$secs" -rss_limit_mb=4096 $out/corpus-text
