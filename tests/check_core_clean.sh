#!/usr/bin/env bash
# check_core_clean.sh — proves the C model's core is HLS-clean C99: it compiles with
# -std=c99 -pedantic -Werror -Wvla, and its object files reference no libc symbol other
# than memset/memcpy (so no malloc, no stdio, no assert, no math library).
#   tests/check_core_clean.sh <cc> <source>...
set -euo pipefail
cc=$1; shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
for src in "$@"; do
  obj="$tmp/$(basename "$src").o"
  "$cc" -std=c99 -pedantic -Werror -Wvla -Wall -Wextra -Wno-unused-label -O2 -c "$src" -o "$obj"
  bad=$(nm -u "$obj" | awk '{print $NF}' | grep -vxE 'memset|memcpy' || true)
  if [ -n "$bad" ]; then
    echo "FAIL: $src references forbidden symbols: $(echo $bad)"
    status=1
  else
    echo "ok: $src (undefined symbols: $(nm -u "$obj" | awk '{print $NF}' | tr '\n' ' '))"
  fi
done
exit $status
