#!/usr/bin/env bash
# sl_bench_rtl.sh — RTL core benchmarks on the Verilated harnesses: synaptic events per
# delivery cycle with packed and gappy rows, cycles per timestep against input events per
# step, and simulation speed (cycles/s) of the C++ and SystemC tops. Prints markdown tables.
#   bench/sl_bench_rtl.sh BUILD_DIR [WORKDIR]
set -euo pipefail
b=${1:?usage: $0 BUILD_DIR [WORKDIR]}
w=${2:-$b/bench-rtl}
sl=$b/cli/spikeline cosim=$b/sim/sl_cosim cosim_sc=$b/sim/sl_cosim_sc
mkdir -p "$w"
echo "# RTL benchmarks — $(date), $(nproc) cores, $(verilator --version | cut -d' ' -f1-2)"

# A seed-shaped network with packed rows: 40 inputs -> 256 hidden (full 256-entry rows),
# hidden -> 20 readouts, a sparse recurrent edge set. Thresholds keep hidden activity moderate.
cat > "$w/bench.sln" <<'SLN'
inputs 40
depth 32
rowcap 256
pop hidden 256 leak 3688 threshold 3000 reset zero spiking
pop out 20 leak 3688 threshold 1 reset zero readout
syn in:0-39 hidden:0-255 weight 3 delay 5
syn hidden:0-255 out:0-19 weight 2 delay 0
SLN
"$sl" build "$w/bench.sln" -o "$w/bench.slm" 2>/dev/null

# k input events per step (channels 0..k-1, payload 1), 80 steps.
mkev() { # k file
  awk -v k="$1" 'BEGIN { print "sl-events 1 channels 40 steps 80"; print "sample 0";
    for (t = 0; t < 80; t++) for (c = 0; c < k; c++) print t, c, 1 }' > "$2"
}

echo
echo "## Cycles per timestep vs input events per step (bench.sln, 80 steps, C++ top)"
echo
echo "| input events/step | synaptic ops/step | cycles/step | sweep cycles/step | delivery cycles/step | synops per delivery cycle |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for k in 0 1 2 5 10 20 40; do
  mkev "$k" "$w/ev$k.sle"
  s=$("$cosim" "$w/bench.slm" "$w/ev$k.sle" --load preload --stats -q --fst-on-fail none | grep '^stats:')
  awk -v k="$k" '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1);
    printf "| %d | %.0f | %.1f | %.1f | %.1f | %.4f |\n", k, v["synops"] / v["steps"], v["busy"] / v["steps"],
      v["sweep"] / v["steps"], v["deliver"] / v["steps"], (v["deliver"] ? v["synops"] / v["deliver"] : 0) }' <<< "$s"
done

echo
echo "## Synaptic events per delivery cycle on random seed-shaped networks (gappy rows)"
echo
echo "| case | row fill | synops | delivery cycles | synops per delivery cycle |"
echo "| --- | ---: | ---: | ---: | ---: |"
for g in 1 2; do
  "$sl" gen --profile seednet --seed "$g" "$w/sn$g.slm" "$w/sn$g.sle"
  fill=$("$sl" info "$w/sn$g.slm" | sed -n 's/.*synapses [0-9]* of [0-9]* slots (\([0-9.]*\) %).*/\1 %/p')
  s=$("$cosim" "$w/sn$g.slm" "$w/sn$g.sle" --load preload --stats -q --fst-on-fail none | grep '^stats:')
  awk -v g="$g" -v f="$fill" '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1);
    printf "| seednet-%d | %s | %d | %d | %.4f |\n", g, f, v["synops"], v["deliver"], v["synops"] / v["deliver"] }' <<< "$s"
done

echo
echo "## Simulation speed (bench.sln, 40 events/step, one run each, wall clock)"
echo
echo "| top | cycles | wall s | cycles/s |"
echo "| --- | ---: | ---: | ---: |"
for top in "$cosim" "$cosim_sc"; do
  [ -x "$top" ] || continue
  t0=$(date +%s.%N)
  line=$("$top" "$w/bench.slm" "$w/ev40.sle" --load preload 2>&1 | grep PASS)
  t1=$(date +%s.%N)
  cyc=$(sed 's/.* \([0-9]*\) cycles.*/\1/' <<< "$line")
  awk -v n="$(basename "$top")" -v c="$cyc" -v a="$t0" -v z="$t1" \
    'BEGIN { printf "| %s | %d | %.2f | %.0f |\n", n, c, z - a, c / (z - a) }'
done
