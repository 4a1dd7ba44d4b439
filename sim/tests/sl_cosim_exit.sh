#!/usr/bin/env bash
# sl_cosim_exit.sh — sl_cosim's exit status and trace: 3 for an error that is not the core's
# (missing model, unwritable trace), 1 for a MISMATCH (a deliberately wrong core, +sl_bug=2),
# 0 for a pass; and the -o trace is what the RTL produced: with --no-compare the wrong core
# (+sl_bug=1, no ring forwarding) runs to the end and its trace differs from `spikeline run`'s,
# the real core's equals it.
#   sl_cosim_exit.sh SPIKELINE SL_COSIM SL_COSIM_BUGS WORKDIR EXAMPLES_DIR
set -uo pipefail
sl=$1 cosim=$2 bugs=$3 w=$4 ex=$5
mkdir -p "$w"
bad=0
expect() { # expected-status description command...
  local want=$1 what=$2
  shift 2
  "$@" > "$w/out.txt" 2>&1
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want" >&2
    cat "$w/out.txt" >&2
    bad=1
  fi
}
"$sl" build "$ex/tiny.sln" -o "$w/tiny.slm" 2>/dev/null || { echo "cannot build tiny.slm" >&2; exit 1; }
"$sl" run "$w/tiny.slm" "$ex/tiny.sle" -o "$w/cmodel.slt" -q || exit 1
expect 3 "missing model" "$cosim" "$w/missing.slm" "$ex/tiny.sle" --fst-on-fail none
expect 3 "unwritable trace" "$cosim" "$w/tiny.slm" "$ex/tiny.sle" -o "$w/no/such/dir/t.slt" --fst-on-fail none
expect 2 "usage" "$cosim" "$w/tiny.slm"
expect 0 "real core" "$cosim" "$w/tiny.slm" "$ex/tiny.sle" -o "$w/rtl.slt" --fst-on-fail none
expect 1 "wrong core (+sl_bug=2)" "$bugs" "$w/tiny.slm" "$ex/tiny.sle" --fst-on-fail none +sl_bug=2
grep -q "MISMATCH" "$w/out.txt" || { echo "FAIL: no MISMATCH line from the wrong core" >&2; bad=1; }
expect 0 "real core, --no-compare" "$cosim" "$w/tiny.slm" "$ex/tiny.sle" -o "$w/rtl-nc.slt" --no-compare --fst-on-fail none
expect 0 "wrong core (+sl_bug=1), --no-compare" "$bugs" "$w/tiny.slm" "$ex/tiny.sle" -o "$w/bug-nc.slt" --no-compare --fst-on-fail none +sl_bug=1
cmp -s "$w/cmodel.slt" "$w/rtl.slt" || { echo "FAIL: the real core's trace differs from spikeline run's" >&2; bad=1; }
cmp -s "$w/cmodel.slt" "$w/rtl-nc.slt" || { echo "FAIL: the real core's --no-compare trace differs" >&2; bad=1; }
if cmp -s "$w/cmodel.slt" "$w/bug-nc.slt"; then
  echo "FAIL: the wrong core's trace equals the C model's: the trace is not the RTL's" >&2
  bad=1
fi
[ $bad = 0 ] && echo "cosim exit codes: 3 error, 2 usage, 1 mismatch, 0 pass; the trace is the RTL's"
exit $bad
