#!/usr/bin/env bash
# demo.sh — the README's main-job command: install what is missing, build, compile the
# example network, run it through the bit-accurate C model and show its spikes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== build =="
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
out=out/demo
mkdir -p "$out"
sl=build/cli/spikeline
echo "== spikeline build examples/tiny.sln =="
$sl build examples/tiny.sln -o "$out/tiny.slm"
$sl info "$out/tiny.slm"
echo "== spikeline run (C reference model) =="
$sl run "$out/tiny.slm" examples/tiny.sle -o "$out/tiny.slt" --state "$out/tiny.sls"
cat "$out/tiny.slt"
echo "== spike raster (step across, neuron down; | = spike) =="
awk 'NR==1{for(i=1;i<=NF;i++){if($i=="neurons")N=$(i+1); if($i=="steps")T=$(i+1)}}
     /^sample/{s=$2; next}
     /^decision/{printf "sample %s  decision %s\n", s, $2;
                 for(n=0;n<N;n++){line=sprintf("  n%-3d ",n); for(t=0;t<T;t++) line=line ((s SUBSEP t SUBSEP n) in sp ? "|" : "."); print line}
                 next}
     NF==2{sp[s SUBSEP $1 SUBSEP $2]=1}' "$out/tiny.slt"
echo "trace: $out/tiny.slt   state per step: $out/tiny.sls"
