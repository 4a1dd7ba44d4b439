#!/usr/bin/env bash
# slurm_cluster.sh sweep|regress CLI SRCDIR TMPDIR [DATA] — scripts/sweep and
# scripts/regress_slurm.sh on a real one-node Slurm cluster (scripts/slurm_local.sh: own
# munged, slurmctld, slurmd under TMPDIR, stopped on every exit).
#   sweep    2 configurations x 3 seeds on the vendored FSDD subset (DATA; speaker jackson
#            held out, 20 epochs of a 64-neuron network, ~1 s a run): run locally (2 at a
#            time), submitted as one job array, collected; the two runs.csv (every run's
#            deployed accuracy) and table.md must be identical (training at 1 thread is
#            deterministic). Then resumption: a resubmit of the complete sweep submits nothing;
#            with one run removed, collect exits 1 naming it, the resubmit runs exactly that one
#            array task, and the table is whole and identical again.
#   regress  a 3-shard regression (20 random seeds + the golden cases) through Slurm and the
#            merge job; its merged JUnit file must hold the same cases, all passing, as one
#            local unsharded `spikeline regress`, and a merge with a shard missing must exit 2.
# Exit 77 (CTest: skipped) with the reason when the cluster cannot start here (no Slurm,
# no permission);
# SL_SLURM_REQUIRED=1 turns a cluster that cannot start into a failure.
set -euo pipefail
mode=$1 cli=$2 src=$3 tmp=$4 data=${5:-}
dir=$tmp/slurm-$mode
fail() { echo "slurm_cluster ($mode): $*" >&2; exit 1; }
skip() { echo "slurm_cluster ($mode): SKIPPED: $*"; exit 77; }
case $mode in sweep|regress) ;; *) fail "unknown mode '$mode'" ;; esac
rm -rf "$dir"
mkdir -p "$dir"
cl=$dir/cluster
trap 'bash "$src/scripts/slurm_local.sh" stop "$cl" > /dev/null || echo "slurm_cluster: stopping the cluster failed" >&2' EXIT
set +e
bash "$src/scripts/slurm_local.sh" start "$cl" --timeout 60 2> "$dir/start.err"
rc=$?
set -e
if [ $rc -eq 3 ]; then
  cat "$dir/start.err"
  [ "${SL_SLURM_REQUIRED:-0}" = 1 ] && fail "the one-node cluster cannot start and SL_SLURM_REQUIRED=1"
  skip "$(grep -m1 'cannot run' "$dir/start.err")"
fi
[ $rc -eq 0 ] || { cat "$dir/start.err" >&2; fail "the one-node cluster did not come up"; }
export SLURM_CONF=$cl/slurm.conf SPIKELINE=$cli

if [ "$mode" = sweep ]; then
  sweep=$src/scripts/sweep
  "$cli" features "$data" -o "$dir/fsdd.slf" --fold 2 -q
  cat > "$dir/tiny.sweep" <<'EOF'
# the slurm_cluster test's sweep: no delays vs DCLS, 3 seeds, FSDD subset (jackson held out)
data = fsdd.slf
seeds = 1-3
epochs = 20
options = --classes 10 --hidden 64 --qat-epochs 2 --batch 32
none = --delays none
dcls = --delays dcls
EOF
  t0=$(date +%s.%N)
  "$sweep" run "$dir/tiny.sweep" "$dir/local" --local -j 2 2> "$dir/local.err" || { cat "$dir/local.err"; fail "sweep run --local failed"; }
  t1=$(date +%s.%N)
  "$sweep" submit "$dir/tiny.sweep" "$dir/slurm" --wait > "$dir/submit.out" 2> "$dir/submit.err" ||
    { cat "$dir/submit.err"; fail "sweep submit --wait failed"; }
  t2=$(date +%s.%N)
  "$sweep" collect "$dir/tiny.sweep" "$dir/local" > /dev/null || fail "collect of the local sweep: $(cat "$dir/local/table.md")"
  "$sweep" collect "$dir/tiny.sweep" "$dir/slurm" > /dev/null || fail "collect of the Slurm sweep: $(cat "$dir/slurm/table.md")"
  diff "$dir/local/runs.csv" "$dir/slurm/runs.csv" || fail "runs differ between the local and the Slurm sweep"
  diff "$dir/local/table.md" "$dir/slurm/table.md" || fail "tables differ between the local and the Slurm sweep"
  [ "$(grep -c ',done,' "$dir/slurm/runs.csv")" = 6 ] || fail "not 6 finished runs in $dir/slurm/runs.csv"
  cat "$dir/slurm/table.md"
  awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "6 runs: local -j 2 %.1f s, Slurm array %.1f s\n", b - a, c - b }'
  # resumption
  "$sweep" submit "$dir/tiny.sweep" "$dir/slurm" > "$dir/resubmit.out" 2> "$dir/resubmit.err"
  grep -q 'all 6 runs are done; nothing to submit' "$dir/resubmit.err" || fail "a complete sweep was resubmitted: $(cat "$dir/resubmit.err")"
  rm -rf "$dir/slurm/dcls-s2"
  set +e
  "$sweep" collect "$dir/tiny.sweep" "$dir/slurm" > "$dir/collect-gap.out"
  rc=$?
  set -e
  [ $rc -eq 1 ] || fail "collect with a run missing exited $rc, not 1"
  grep -q '^| dcls | 2/3 |' "$dir/collect-gap.out" || fail "the table does not show dcls with 2 of 3 runs"
  grep -q '^- dcls-s2: ' "$dir/collect-gap.out" || fail "collect does not name the missing run dcls-s2"
  "$sweep" submit "$dir/tiny.sweep" "$dir/slurm" --wait > /dev/null 2> "$dir/resubmit2.err" ||
    { cat "$dir/resubmit2.err"; fail "the resubmit failed"; }
  grep -q 'submitting 1 of 6 runs: .*--array=4 ' "$dir/resubmit2.err" || fail "the resubmit was not exactly task 4: $(cat "$dir/resubmit2.err")"
  "$sweep" collect "$dir/tiny.sweep" "$dir/slurm" > /dev/null || fail "collect after the resubmit: $(cat "$dir/slurm/table.md")"
  diff "$dir/local/runs.csv" "$dir/slurm/runs.csv" || fail "the resubmitted run differs from the local one"
  echo "slurm_cluster (sweep): Slurm and local sweeps identical; a removed run reported and resubmitted alone"
else
  "$cli" regress --seeds 20 --jobs 2 --workdir "$dir/local-work" --junit "$dir/local.xml" > "$dir/local.out" 2>&1 ||
    { tail -3 "$dir/local.out"; fail "the local regression failed"; }
  bash "$src/scripts/regress_slurm.sh" "$dir/sharded" --shards 3 --wait -- --seeds 20 > "$dir/sharded.out" 2> "$dir/sharded.err" ||
    { cat "$dir/sharded.out" "$dir/sharded.err"; fail "the sharded regression through Slurm failed"; }
  cases() { grep -o '<testcase [^>]*' "$1" | grep -o ' name="[^"]*"' | sort; }
  [ -n "$(cases "$dir/local.xml")" ] || fail "no test cases in the local JUnit file"
  diff <(cases "$dir/local.xml") <(cases "$dir/sharded/all.xml") || fail "the merged shards do not hold the local run's cases"
  n=$(cases "$dir/local.xml" | wc -l)
  [ "$(grep -c '<failure' "$dir/sharded/all.xml" || true)" = 0 ] || fail "failures in the merged JUnit file"
  mkdir "$dir/gap"
  cp "$dir"/sharded/shard-[13].* "$dir/gap/"
  set +e
  "$cli" regress --merge "$dir/gap.xml" "$dir/gap/shard-1.txt" "$dir/gap/shard-3.txt" > "$dir/gap.out" 2>&1
  rc=$?
  set -e
  [ $rc -eq 2 ] || fail "a merge with shard 2 missing exited $rc, not 2"
  echo "slurm_cluster (regress): 3 shards through Slurm merged into the local run's $n cases, all passing"
fi
