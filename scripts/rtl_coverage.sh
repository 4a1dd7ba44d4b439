#!/usr/bin/env bash
# rtl_coverage.sh — line + toggle coverage of the RTL under the CI cosimulation regression, in
# one command. Configures and builds a coverage tree (-DSL_RTL_COVERAGE=ON: every Verilated
# model built with --coverage-line --coverage-toggle writes a .dat file when it finishes), runs
# the ctest "cosim" tests CI runs (the regression of golden + 200 random cases, the tiny
# cosims, the driver tests over sim: and sim:sc) except the deliberately wrong cores, and
# prints per-file line/toggle figures, checked against rtl/sl_coverage_waivers.txt: it fails
# when a line is uncovered and not waived, or a waiver names a covered or missing line.
#
#   scripts/rtl_coverage.sh [BUILD_DIR] [--rtl DIR] [--waivers FILE] [--no-build] [--jobs N]
#                           [--no-systemc]
#
# BUILD_DIR defaults to build-cov. --no-systemc leaves out the SystemC tops' tests (quicker;
# they drive the same RTL through the same driver tests). Outputs in BUILD_DIR/coverage/:
# merged.dat, coverage.info (lcov), annotated/ (sources with counts; %000000 = never reached).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bdir="$src/build-cov"
rtl="$src/rtl"
waivers=""
build=1
jobs=2
sc=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rtl) rtl=$(cd "$2" && pwd); shift 2 ;;
    --waivers) waivers="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --no-systemc) sc=0; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "rtl_coverage.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) bdir="$1"; shift ;;
  esac
done
[ -n "$waivers" ] || waivers="$rtl/sl_coverage_waivers.txt"
[ -f "$rtl/sl_files.f" ] || { echo "rtl_coverage.sh: $rtl/sl_files.f: no RTL file list there" >&2; exit 2; }
[ -f "$waivers" ] || { echo "rtl_coverage.sh: $waivers: no waiver file" >&2; exit 2; }
mkdir -p "$bdir"
bdir=$(cd "$bdir" && pwd)

if [ "$build" = 1 ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$src" -B "$bdir" -DSL_RTL_COVERAGE=ON -DSL_RTL_DIR="$rtl" "${launcher[@]}" >/dev/null
  # The targets the cosim tests run (the SystemC ones when SystemC is on).
  targets=(spikeline sl_cosim test_driver test_rtl_bus)
  if [ "$sc" = 1 ] && cmake --build "$bdir" --target help 2>/dev/null | grep -q '\bsl_cosim_sc\b'; then
    targets+=(sl_cosim_sc test_driver_sc)
  fi
  cmake --build "$bdir" -j"$jobs" --target "${targets[@]}"
fi
grep -q '^SL_RTL_COVERAGE:BOOL=ON' "$bdir/CMakeCache.txt" ||
  { echo "rtl_coverage.sh: $bdir is not a coverage build (-DSL_RTL_COVERAGE=ON)" >&2; exit 2; }

out="$bdir/coverage"
rm -rf "$out"
mkdir -p "$out/dat"
t0=$(date +%s)
# The deliberately wrong cores (sl_regress_catches_bug*, and sl_cosim_exit_codes, which runs
# one) are other designs: not measured.
skip=()
[ "$sc" = 1 ] || skip=(-LE systemc)
SL_COV_DIR="$out/dat" ctest --test-dir "$bdir" -L cosim "${skip[@]}" -E 'catches_bug|exit_codes' --output-on-failure
t1=$(date +%s)
ls "$out"/dat/*.dat >/dev/null 2>&1 || { echo "rtl_coverage.sh: the tests wrote no coverage data" >&2; exit 1; }
find "$out/dat" -name '*.dat' -print0 | xargs -0 verilator_coverage --write "$out/merged.dat" >/dev/null
verilator_coverage --write-info "$out/coverage.info" "$out/merged.dat" >/dev/null
verilator_coverage --annotate "$out/annotated" --annotate-min 1 "$out/merged.dat" >/dev/null
echo "rtl_coverage.sh: tests ran in $((t1 - t0)) s; annotated sources in $out/annotated"
python3 "$src/scripts/rtl_coverage.py" --rtl "$rtl" --waivers "$waivers" "$out/merged.dat"
