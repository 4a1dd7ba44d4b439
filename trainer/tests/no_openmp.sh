#!/usr/bin/env bash
# no_openmp.sh — the trainer builds with -DSL_OPENMP=OFF (README) under -Werror: configure the
# project into a scratch directory with OpenMP off and build only the trainer libraries.
#   no_openmp.sh SOURCE_DIR SCRATCH_DIR C_COMPILER [LAUNCHER]
# A re-run only rebuilds what changed (with ccache as the launcher, seconds).
set -euo pipefail
src=$1 dir=$2 cc=$3 launcher=${4:-}
args=(-S "$src" -B "$dir" -DSL_OPENMP=OFF -DSL_RTL=OFF -DSL_SYSTEMC=OFF -DSL_SANITIZE=OFF
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$cc")
[ -n "$launcher" ] && args+=(-DCMAKE_C_COMPILER_LAUNCHER="$launcher" -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
cmake "${args[@]}" >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
grep -q "^SL_OPENMP:BOOL=OFF" "$dir/CMakeCache.txt"
cmake --build "$dir" --target sl_trainer -j2 >>"$dir.log" 2>&1 || { grep -E "error|Error" "$dir.log"; exit 1; }
# nothing of OpenMP went into the trainer's compile lines
if grep -rq -- "-fopenmp" "$dir/trainer/CMakeFiles/sl_trainer.dir/flags.make"; then
  echo "OpenMP flags in the trainer with SL_OPENMP=OFF"; exit 1
fi
echo "trainer built without OpenMP"
