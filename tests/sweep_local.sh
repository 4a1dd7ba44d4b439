#!/usr/bin/env bash
# sweep_local.sh CLI SRCDIR TMPDIR — scripts/sweep without Slurm: one-line errors (exit 2,
# naming the file and line, nothing written) for bad sweep files; a run that fails is
# reported by `run` (exit 1) and listed by `collect` (exit 1) with its exit status and log;
# a second `run` of a finished sweep runs nothing; a run whose summary is gone continues from
# its checkpoint to the same accuracy; a sweep file that changes a finished run's command is
# refused for that OUT. Tiny synthetic-corpus runs, ~2 s.
set -euo pipefail
cli=$(realpath "$1") src=$2 dir=$3/sweep-local
sweep=$src/scripts/sweep
export SPIKELINE=$cli
fail() { echo "sweep_local: $*" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"

refuses() { # sweep-file-text expected-message
  printf '%b' "$1" > bad.sweep
  set +e
  "$sweep" run bad.sweep out-bad > err.txt 2>&1
  local rc=$?
  set -e
  [ $rc -eq 2 ] || fail "exit $rc, not 2, for: $1"
  [ "$(wc -l < err.txt)" = 1 ] || fail "not one line for '$1': $(cat err.txt)"
  grep -qF -- "$2" err.txt || fail "for '$1' expected '$2', got: $(cat err.txt)"
  [ ! -e out-bad ] || fail "'$1' left out-bad behind"
}
refuses 'seeds = 1\n' 'bad.sweep: no configuration'
refuses 'a = --delays none\n' "bad.sweep: no 'seeds = ...' line"
refuses 'seeds = 1,x\na = b\n' "bad.sweep:1: seeds: 'x' is not a seed"
refuses 'seeds = 3-1\na = b\n' "bad.sweep:1: seeds: range '3-1' runs backwards"
refuses 'seeds = 1,1\na = b\n' 'bad.sweep:1: seeds: seed 1 appears twice'
refuses 'seeds = 1\na = b\na = c\n' "bad.sweep:3: 'a' is set twice (first on line 2)"
refuses 'seeds = 1\ndata = none.slf\na = b\n' 'bad.sweep:2: data:'
refuses 'seeds = 1\nmy run = b\n' "bad.sweep:2: configuration name 'my run'"
refuses 'seeds = 1\na = --seed 3\n' "bad.sweep:2: a: '--seed' is set by the sweep itself"
refuses 'seeds = 1\nnonsense\n' "bad.sweep:2: expected 'key = value'"
refuses 'seeds = 1\nepochs = 0\na = b\n' "bad.sweep:2: epochs: '0'"

cat > s.sweep <<'EOF'
seeds = 1,2
epochs = 2
options = --synth 8 --hidden 16 --qat-epochs 1
ok = --delays none
bad = --hidden 0
EOF
set +e
"$sweep" run s.sweep out -j 2 2> run.err
rc=$?
set -e
[ $rc -eq 1 ] || fail "run with failing runs exited $rc, not 1"
grep -q 'bad-s2 failed (exit 2), see out/logs/bad-s2.log' run.err || fail "run does not report bad-s2: $(cat run.err)"
set +e
"$sweep" collect s.sweep out > table.txt
rc=$?
set -e
[ $rc -eq 1 ] || fail "collect with failed runs exited $rc, not 1"
grep -q '^| ok | 2/2 |' table.txt || fail "no 'ok 2/2' row: $(cat table.txt)"
grep -q '^| bad | 0/2 | — |' table.txt || fail "no 'bad 0/2' row: $(cat table.txt)"
grep -q '^- bad-s1: failed (exit 2), log out/logs/bad-s1.log' table.txt || fail "bad-s1 not listed: $(cat table.txt)"
grep -q 'hidden 0 out of range' out/logs/bad-s1.log || fail "the log of bad-s1 lacks train's error"
acc=$(grep '^ok,1,done,' out/runs.csv) || fail "no ok,1 row in runs.csv"

# resuming: nothing to do for finished runs; a run without its summary continues from its checkpoint
sed -i '/^bad = /d' s.sweep
"$sweep" run s.sweep out -j 2 2> rerun.err || fail "rerun failed: $(cat rerun.err)"
grep -q '2 runs, 2 done already, 0 to run' rerun.err || fail "a finished sweep ran again: $(cat rerun.err)"
[ -f out/ok-s1/checkpoint.slc ] || fail "no checkpoint in out/ok-s1"
rm out/ok-s1/summary.txt
"$sweep" run s.sweep out 2> resume.err || fail "resume failed: $(cat resume.err)"
grep -q '1 to run' resume.err || fail "the run without summary was not run again: $(cat resume.err)"
"$sweep" collect s.sweep out > /dev/null || fail "collect after the resume: $(cat out/table.md)"
[ "$(grep '^ok,1,done,' out/runs.csv)" = "$acc" ] || fail "resumed ok-s1 gives $(grep '^ok,1,' out/runs.csv), not $acc"

# a changed command under an existing name is refused
sed -i 's/^ok = .*/ok = --delays fixed/' s.sweep
set +e
"$sweep" run s.sweep out 2> changed.err
rc=$?
set -e
if [ $rc -ne 2 ] || ! grep -q 'out/plan.txt: run ok-s1 was' changed.err; then
  fail "a changed run was not refused (exit $rc): $(cat changed.err)"
fi
echo "sweep_local: bad files refused, failed runs listed, finished runs kept, resume exact"
