#!/usr/bin/env bash
# test.sh — the README's test command: install what is missing, build (normal and
# ASan+UBSan), run the whole ctest suite in both. Exits non-zero on any failure.
#   scripts/test.sh            everything
#   scripts/test.sh --quick    normal build only (no sanitizer pass)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)

scripts/setup.sh --all

build() { # dir, cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
}
echo "== build (release) =="
build build
echo "== ctest (release) =="
ctest --test-dir build --output-on-failure -j"$jobs"

if [ $quick -eq 0 ]; then
  echo "== build (ASan + UBSan) =="
  build build-asan -DSL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  echo "== ctest (ASan + UBSan) =="
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE "slow|nosan"
fi
echo "== all tests passed =="
