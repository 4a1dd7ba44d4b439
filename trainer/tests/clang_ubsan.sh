#!/usr/bin/env bash
# clang_ubsan.sh — the trainer built with clang -fsanitize=undefined,pointer-overflow and run
# on tiny trainings over its kernel paths (ubsan_train.c). gcc's pointer-overflow check (the
# SL_SANITIZE pass) misses an unsigned index that wraps below a row's start; clang's does not.
#   clang_ubsan.sh SOURCE_DIR SCRATCH_DIR [LAUNCHER]      (exit 77 = skipped: no clang)
set -euo pipefail
src=$1 dir=$2 launcher=${3:-}
command -v clang >/dev/null || { echo "clang not installed: skipped"; exit 77; }
mkdir -p "$dir"
rm -rf "$dir"/run*
t=$src/trainer h=$src/cmodel/host
$launcher clang -std=c11 -D_POSIX_C_SOURCE=200809L -O0 -march=native -ffp-contract=fast \
  -fsanitize=undefined,pointer-overflow -fno-sanitize-recover=all -I"$t" -I"$h" -I"$src/cmodel/core" \
  -o "$dir/ubsan_train" "$t/tests/ubsan_train.c" "$t"/sl_layers.c "$t"/sl_model.c "$t"/sl_data.c "$t"/sl_export.c \
  "$t"/sl_run.c "$t"/sl_augment.c "$t"/sl_parse.c "$h"/*.c "$src/cmodel/core/sl_core.c" -lm
"$dir/ubsan_train" "$dir"
