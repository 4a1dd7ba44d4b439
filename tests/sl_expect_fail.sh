#!/usr/bin/env bash
# sl_expect_fail.sh — run a command that must fail: passes only if it exits non-zero AND
# its output (stdout + stderr) contains the expected text (fixed string).
#   tests/sl_expect_fail.sh "<expected text>" command [args...]
set -u
[ $# -ge 2 ] || { echo "usage: sl_expect_fail.sh <expected text> command [args...]" >&2; exit 2; }
want=$1
shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -eq 0 ]; then
  echo "sl_expect_fail: FAIL: '$*' exited 0, expected a failure" >&2
  exit 1
fi
if ! grep -qF -- "$want" <<<"$out"; then
  echo "sl_expect_fail: FAIL: exit $rc, but the output lacks: $want" >&2
  exit 1
fi
echo "sl_expect_fail: ok: exit $rc with '$want'"
