#!/usr/bin/env bash
# floor_nested.sh CLI SRCDIR DATA TMPDIR — scripts/floor_nested.sh on the vendored FSDD subset
# (two floors, one epoch: the plumbing, not the accuracy). Checks that no inner run ever saw
# its test speaker (neither in training nor as the validation speaker), that each inner
# cache validates on exactly the next speaker, that each outer cache tests exactly the
# held-out speaker with the floor the table names, and that the table has one row per speaker.
set -euo pipefail
cli=$1 src=$2 data=$3 dir=$4/floor-nested
rm -rf "$dir"
SPIKELINE=$cli bash "$src/scripts/floor_nested.sh" "$data" "$dir" --floors 80,30 --epochs 1 > "$dir.out" 2> "$dir.err" ||
  { echo "floor_nested.sh failed:"; cat "$dir.err"; exit 1; }
fail() { echo "floor_nested test: $*" >&2; exit 1; }
spk=(george jackson nicolas yweweler)
for i in 0 1 2 3; do
  o=${spk[$i]} v=${spk[$(( (i + 1) % 4 ))]}
  for f in 80 30; do
    list=$("$cli" data "$dir/in-$o-$f.slf" --list)
    ! grep -q "_${o}_" <<< "$list" || fail "inner cache in-$o-$f holds the test speaker $o"
    tests=$(awk '$3=="test"{split($4,a,"_"); print a[2]}' <<< "$list" | sort -u)
    [ "$tests" = "$v" ] || fail "inner cache in-$o-$f validates on '$tests', not $v"
  done
  row=$(grep "^| $o | $v |" "$dir/table.md") || fail "no table row for $o"
  f=$(awk -F'|' '{print $(NF-2)}' <<< "$row" | tr -dc '0-9')
  [ -f "$dir/out-$o-$f.slf" ] || fail "no outer cache out-$o-$f.slf for the chosen $f dB"
  "$cli" data "$dir/out-$o-$f.slf" | grep -q "top_db $f dB" || fail "out-$o-$f.slf is not a $f dB cache"
  tests=$("$cli" data "$dir/out-$o-$f.slf" --list | awk '$3=="test"{split($4,a,"_"); print a[2]}' | sort | uniq -c | awk '{print $2, $1}')
  [ "$tests" = "$o 90" ] || fail "outer cache for $o tests '$tests'"
done
grep -q '^mean test accuracy over 4 speakers' "$dir/table.md" || fail "no mean line in table.md"
echo "floor_nested: 4 speakers, inner and outer splits as specified"
