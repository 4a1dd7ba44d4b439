#!/usr/bin/env bash
# regress_slurm.sh — `spikeline regress` on a Slurm cluster: N shards as one job array, then a
# merge job that runs once every shard has ended (--dependency=afterany).
#
#   scripts/regress_slurm.sh OUT --shards N [--partition P] [--time T] [--throttle K]
#                            [--cpus C] [--wait] [-- REGRESS_OPTIONS...]
#
# Array task K (1..N) runs `spikeline regress --shard K/N --jobs C --workdir OUT/work-K
# --junit OUT/shard-K.xml --summary OUT/shard-K.txt REGRESS_OPTIONS` (e.g. --seeds 100000),
# its output in OUT/logs/shard-K.log. The merge job runs `spikeline regress --merge
# OUT/all.xml OUT/shard-1.txt ... OUT/shard-N.txt` (every expected shard by name, so a shard
# that died is reported missing), writes its report to OUT/merge.txt and its exit status to
# OUT/merge.exit: 0 every case passed, 1 mismatches, 2 a shard missing or failed.
# Prints the two job ids. --wait: return when the merge has run, print OUT/merge.txt, exit
# with the merge's status. --cpus: CPUs per shard (default 1), --throttle K: at most K shards
# at once (`%K`). The CLI is $SPIKELINE, else build/cli/spikeline of this source tree.
set -euo pipefail
me=regress_slurm.sh
usage() { sed -n '5,6p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1; shift
shards='' part=() time=() throttle='' cpus=1 wait=0
while [ $# -gt 0 ]; do
  case $1 in
    --shards) [ $# -ge 2 ] || usage; shards=$2; shift 2 ;;
    --partition) [ $# -ge 2 ] || usage; part=(--partition="$2"); shift 2 ;;
    --time) [ $# -ge 2 ] || usage; time=(--time="$2"); shift 2 ;;
    --throttle) [ $# -ge 2 ] || usage; throttle=$2; shift 2 ;;
    --cpus) [ $# -ge 2 ] || usage; cpus=$2; shift 2 ;;
    --wait) wait=1; shift ;;
    --) shift; break ;;
    *) echo "$me: unknown option '$1' (regress options go after --)" >&2; exit 2 ;;
  esac
done
for v in shards cpus ${throttle:+throttle}; do
  case ${!v} in ''|0*|*[!0-9]*) echo "$me: --$v '${!v}' is not a positive whole number" >&2; exit 2 ;; esac
done
src=$(cd "$(dirname "$0")/.." && pwd)
cli=${SPIKELINE:-$src/build/cli/spikeline}
[ -x "$cli" ] || { echo "$me: $cli: no spikeline CLI there (build it, or set SPIKELINE)" >&2; exit 2; }
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
"$cli" regress --help | grep -q -- '--shard' ||
  { echo "$me: $cli: this spikeline's regress has no --shard (sharded regressions are not built in)" >&2; exit 3; }
command -v sbatch >/dev/null || { echo "$me: sbatch not found (scripts/setup.sh installs slurm-wlm)" >&2; exit 2; }
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
for k in $(seq "$shards"); do
  [ ! -e "$out/shard-$k.txt" ] || { echo "$me: $out/shard-$k.txt exists: use a new OUT for a new regression" >&2; exit 2; }
done
rm -f "$out/merge.exit" "$out/merge.txt" "$out/all.xml"

# the two batch scripts (bash, every value quoted for bash), kept in OUT for the record
q() { [ $# -eq 0 ] || printf ' %q' "$@"; }
summaries=()
for k in $(seq "$shards"); do summaries+=("$out/shard-$k.txt"); done
cat > "$out/shard.sbatch" <<EOF
#!/usr/bin/env bash
# one shard of a sharded regression (scripts/regress_slurm.sh): array task K of 1..$shards
k=\$SLURM_ARRAY_TASK_ID
out=$(printf %q "$out")
exec$(q "$cli") regress --shard "\$k/$shards" --jobs $cpus --workdir "\$out/work-\$k" \\
  --junit "\$out/shard-\$k.xml" --summary "\$out/shard-\$k.txt"$(q "$@") > "\$out/logs/shard-\$k.log" 2>&1
EOF
cat > "$out/merge.sbatch" <<EOF
#!/usr/bin/env bash
# the merge of a sharded regression (scripts/regress_slurm.sh), run after every shard ended
out=$(printf %q "$out")
$(q "$cli") regress --merge "\$out/all.xml"$(q "${summaries[@]}") > "\$out/merge.txt" 2>&1
rc=\$?
echo \$rc > "\$out/merge.exit"
exit \$rc
EOF
arr=$(sbatch --parsable --job-name=regress-shards --array="1-$shards${throttle:+%$throttle}" \
  --cpus-per-task="$cpus" --output="$out/logs/slurm-%A_%a.out" --chdir="$out" \
  "${part[@]}" "${time[@]}" "$out/shard.sbatch")
arr=${arr%%;*}
w=()
[ $wait -eq 1 ] && w=(--wait)
echo "$me: shards: job $arr (array 1-$shards${throttle:+%$throttle}); outputs in $out" >&2
set +e
mj=$(sbatch --parsable --job-name=regress-merge --dependency=afterany:"$arr" \
  --output="$out/logs/slurm-merge-%j.out" --chdir="$out" "${part[@]}" --time=0:10:00 "${w[@]}" \
  "$out/merge.sbatch")
rc=$?
set -e
echo "$arr ${mj%%;*}"
[ $wait -eq 1 ] || { [ $rc -eq 0 ] || echo "$me: sbatch of the merge job failed ($rc)" >&2; exit $rc; }
[ -f "$out/merge.exit" ] || { echo "$me: the merge job left no $out/merge.exit (see $out/logs)" >&2; exit 2; }
cat "$out/merge.txt"
exit "$(cat "$out/merge.exit")"
