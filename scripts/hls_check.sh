#!/usr/bin/env bash
# hls_check.sh — is this C fit for Vitis HLS? Checks the HLS sources of spikeline (the core
# and the HLS top) for the rules of docs/hls.md §"HLS-clean":
#   1. compiles as strict C99 with gcc -std=c99 -pedantic -Werror -Wvla -Wall -Wextra
#      (both as csim sees it and as synthesis sees it, with -D__SYNTHESIS__);
#   2. in the synthesis view, the objects reference no outside symbol but memset/memcpy
#      (no stdio, no libm, ...), and in particular no dynamic allocation;
#   3. the call graph (gcc -fcallgraph-info) has no cycle (no recursion) and no indirect
#      call (no function pointers).
# Usage: scripts/hls_check.sh [-I dir]... [-D name[=value]]... file.c...
# Exit 0 when clean; 1 with one "hls_check: ..." line per problem otherwise; 2 on misuse.
set -uo pipefail
cc=${CC:-cc}
flags=()
srcs=()
while [ $# -gt 0 ]; do
  case "$1" in
    -I|-D) flags+=("$1$2"); shift 2 ;;
    -I*|-D*) flags+=("$1"); shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "hls_check: unknown option '$1'" >&2; exit 2 ;;
    *) srcs+=("$1"); shift ;;
  esac
done
[ ${#srcs[@]} -gt 0 ] || { echo "hls_check: no source files (see --help)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hls_check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
strict=(-std=c99 -pedantic -Werror -Wvla -Wall -Wextra -Wno-unused-label -fno-stack-protector -O0)
allowed_re='^(memset|memcpy)$'
alloc_re='^(malloc|calloc|realloc|free|alloca|__builtin_alloca|aligned_alloc|posix_memalign|valloc|reallocarray|strdup|strndup)$'
fail=0
objs=()

i=0
for src in "${srcs[@]}"; do
  i=$((i + 1))
  [ -r "$src" ] || { echo "hls_check: $src: cannot read"; fail=1; continue; }
  # 1. strict C99, csim view (unknown pragmas would be errors here: use SL_PRAGMA)
  if ! "$cc" "${strict[@]}" "${flags[@]}" -c "$src" -o "$tmp/csim$i.o" 2>"$tmp/err"; then
    grep -q 'variable length array' "$tmp/err" && echo "hls_check: $src: variable-length array (VLA): not synthesisable"
    echo "hls_check: $src: does not compile as strict C99 (-std=c99 -pedantic -Werror -Wvla):"
    sed 's/^/    /' "$tmp/err" | head -20
    fail=1
    continue
  fi
  # synthesis view: what Vitis HLS compiles (code under #ifndef __SYNTHESIS__ drops out)
  if ! "$cc" "${strict[@]}" -Wno-unknown-pragmas -D__SYNTHESIS__ "${flags[@]}" \
        -fcallgraph-info -c "$src" -o "$tmp/syn$i.o" 2>"$tmp/err"; then
    echo "hls_check: $src: does not compile with -D__SYNTHESIS__:"
    sed 's/^/    /' "$tmp/err" | head -20
    fail=1
    continue
  fi
  objs+=("$tmp/syn$i.o")
  echo "$src" >"$tmp/syn$i.name"
done
[ ${#objs[@]} -gt 0 ] || exit 1

# 2. outside symbols: undefined in one object and defined in none of the others
nm --defined-only -j "${objs[@]}" 2>/dev/null | grep -v ':$' | sort -u >"$tmp/defined"
for o in "${objs[@]}"; do
  src=$(cat "${o%.o}.name")
  for sym in $(nm -u -j "$o"); do
    grep -qxF "$sym" "$tmp/defined" && continue
    [[ $sym =~ $allowed_re ]] && continue
    if [[ $sym =~ $alloc_re ]]; then
      echo "hls_check: $src: dynamic allocation: references '$sym'"
    else
      echo "hls_check: $src: references libc symbol '$sym' (only memset/memcpy are allowed; I/O belongs under #ifndef __SYNTHESIS__)"
    fi
    fail=1
  done
done

# 3. call graph: edges of every translation unit (static functions are "file.c:name")
sed -n 's/^edge: { sourcename: "\([^"]*\)" targetname: "\([^"]*\)".*/\1 \2/p' "$tmp"/*.ci | sort -u >"$tmp/edges"
while read -r a b; do
  [ "$b" = "__indirect_call" ] && { echo "hls_check: indirect call (function pointer) in '$a'"; fail=1; }
  [ "$a" = "$b" ] && { echo "hls_check: recursion: '$a' calls itself"; fail=1; }
done <"$tmp/edges"
awk '$1 != $2 && $2 != "__indirect_call"' "$tmp/edges" >"$tmp/pairs"
if ! tsort "$tmp/pairs" >/dev/null 2>"$tmp/loop"; then
  cycle=$(grep -v 'input contains a loop' "$tmp/loop" | sed 's/^tsort: //' | tr '\n' ' ')
  echo "hls_check: recursion: call cycle through: ${cycle% }"
  fail=1
fi

if [ $fail -eq 0 ]; then
  echo "hls_check: ${#srcs[@]} file(s) HLS-clean: strict C99, no libc but memset/memcpy, no allocation, no recursion, no function pointers"
fi
exit $fail
