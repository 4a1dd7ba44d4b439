#!/usr/bin/env bash
# run_fuzz.sh — build the libFuzzer harnesses (clang, -DSL_FUZZ=ON, in build-fuzz/) and run
# each for SECONDS on a working copy of its seed corpus; print executions, exec/s, coverage
# and findings per harness. Exit 1 on any crash, timeout, OOM or leak (docs/fuzzing.md).
#   tests/fuzz/run_fuzz.sh SECONDS [NAME...]      (default: every registered harness)
# Environment: SL_FUZZ_BUILD (build directory, default build-fuzz/), SL_FUZZ_NICE (niceness of
# the runs, default 10), SL_FUZZ_ARGS (more libFuzzer flags, e.g. -runs=100000).
set -euo pipefail
[ $# -ge 1 ] && [[ $1 =~ ^[0-9]+$ ]] || { echo "usage: $0 SECONDS [NAME...]" >&2; exit 2; }
secs=$1; shift
cd "$(dirname "$0")/../.."
src=$PWD/tests/fuzz
out=${SL_FUZZ_BUILD:-$PWD/build-fuzz}
command -v clang >/dev/null || { echo "run_fuzz.sh: clang not found (scripts/setup.sh installs it)" >&2; exit 2; }

mkdir -p "$out"
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
if ! { CC=clang CXX=clang++ cmake -S . -B "$out" -DSL_FUZZ=ON "${launcher[@]}" &&
       cmake --build "$out" -j2; } > "$out/build.log" 2>&1; then
  tail -20 "$out/build.log" >&2; echo "run_fuzz.sh: the fuzz build failed ($out/build.log)" >&2; exit 2
fi

names=("$@")
[ ${#names[@]} -gt 0 ] || mapfile -t names < "$out/fuzzers.txt"
found=0
printf '%-10s %12s %9s %7s %7s  %s\n' harness execs exec/s cov ft findings
for name in "${names[@]}"; do
  [ -x "$out/tests/fuzz/fuzz_$name" ] || { echo "no harness fuzz_$name" >&2; exit 2; }
  corpus=$out/corpus/$name arts=$out/findings/$name log=$out/logs/$name.log
  mkdir -p "$corpus" "$arts" "$(dirname "$log")"
  cp -n "$src/seeds/$name"/* "$corpus"/ 2>/dev/null || true
  rm -rf "$arts"/*
  # exit status ignored here: the findings are the files libFuzzer leaves in $arts
  nice -n "${SL_FUZZ_NICE:-10}" "$out/tests/fuzz/fuzz_$name" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$arts/" \
    ${SL_FUZZ_ARGS:-} "$corpus" > "$log" 2>&1 || true
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  last() { { grep -o "$1: [0-9]*" "$log" || true; } | tail -1 | cut -d' ' -f2; }
  cov=$(last cov) ft=$(last ft)
  # fuzz_shd runs libhdf5 in a forked child, which inherits libFuzzer's malloc limit: a child
  # that allocates past it leaves an oom- artifact and dies, and the guard refuses the file
  # (the child is what the guard contains). Such an artifact is a finding only if it
  # reproduces in the harness's own process: re-run it; exit 0 = contained in the child.
  if [ "$name" = shd ]; then
    for f in "$arts"/oom-*; do
      [ -e "$f" ] || continue
      rt=$(mktemp -d)
      if (cd "$rt" && "$out/tests/fuzz/fuzz_$name" -rss_limit_mb=2048 -malloc_limit_mb=2048 -artifact_prefix="$rt/" \
            "$f" > "$rt/log" 2>&1); then
        echo "  $name: $(basename "$f"): an allocation past the limit inside the guarded child; re-run exits 0 (contained, not a finding)"
        mkdir -p "$arts/contained" && mv "$f" "$arts/contained/"
      fi
      rm -rf "$rt"
    done
  fi
  arts_found=$(ls "$arts" | grep -v '^contained$' || true)
  printf '%-10s %12s %9s %7s %7s  %s\n' "$name" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "${cov:-?}" "${ft:-?}" "${arts_found:-none}"
  if [ -n "$arts_found" ] || ! grep -q '^stat::number_of_executed_units' "$log"; then
    found=1
    for f in "$arts"/*; do [ -f "$f" ] && echo "  reproducer: $f (rerun: $out/tests/fuzz/fuzz_$name $f)"; done
    echo "  log: $log"
  fi
done
exit $found
