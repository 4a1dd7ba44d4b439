#!/usr/bin/env bash
# flow.sh — the README's main job, end to end: a corpus, log-mel features, train the
# delay-SNN (DCLS delays) briefly, export the integer model image, measure its deployed
# accuracy on the bit-accurate C model, classify test samples on the simulated board (the
# Verilated RTL through the host driver, every spike checked against the C model), and report.
# By default the corpus is the embedded synthetic one (ci size, Heidelberg-Digits layout);
# --data runs the same flow on a recorded dataset.
#
#   scripts/flow.sh [--data DIR] [--features-args "..."] [--train-args "..."]
#     --data DIR            a recorded dataset: the Heidelberg-Digits layout (audio/ and the
#                           file lists) or an FSDD folder ({digit}_{speaker}_{take}.wav);
#                           `spikeline features DIR` reads either
#     --features-args "..." more options of `spikeline features` (e.g. "--test-speakers
#                           theo" or "--fold 2" for FSDD, "--band-limit 4000")
#     --train-args "..."    more options of `spikeline train` (e.g. "--classes 10")
#   environment: SL_FLOW_OUT=out/flow SL_FLOW_EPOCHS=30 SL_FLOW_RTL_SAMPLES=0 (all)
#                SL_FLOW_SEED=1
set -euo pipefail
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
data="" fe_args="" tr_args=""
while [ $# -gt 0 ]; do
  case $1 in
    --data) [ $# -ge 2 ] || { echo "flow.sh: --data needs a directory" >&2; exit 2; }; data=$2; shift 2 ;;
    --features-args) [ $# -ge 2 ] || { echo "flow.sh: --features-args needs a value" >&2; exit 2; }; fe_args=$2; shift 2 ;;
    --train-args) [ $# -ge 2 ] || { echo "flow.sh: --train-args needs a value" >&2; exit 2; }; tr_args=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "flow.sh: unexpected argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$data" ]; then
  [ -d "$data" ] || { echo "flow.sh: $data: no such directory" >&2; exit 2; }
  data=$(cd "$data" && pwd)  # the flow runs from the project root
fi
cd "$(dirname "$0")/.."
out=${SL_FLOW_OUT:-out/flow}
epochs=${SL_FLOW_EPOCHS:-30}
rtl_n=${SL_FLOW_RTL_SAMPLES:-0}   # 0: the whole test split
seed=${SL_FLOW_SEED:-1}
jobs=$(nproc)
t_start=$(date +%s)
n_stage=8
stage() { printf '\n== [%d/%d] %s (%ds elapsed) ==\n' "$1" "$n_stage" "$2" $(( $(date +%s) - t_start )); }
read -r -a fe_extra <<< "$fe_args"
read -r -a tr_extra <<< "$tr_args"

stage 1 "install what is missing, build"
scripts/setup.sh
mkdir -p "$out"
cmake -S . -B build > "$out/build.log" 2>&1 && cmake --build build -j"$jobs" >> "$out/build.log" 2>&1 ||
  { tail -30 "$out/build.log"; echo "flow: build failed (log: $out/build.log)" >&2; exit 1; }
sl=build/cli/spikeline

if [ -n "$data" ]; then
  stage 2 "the recorded dataset $data"
  corpus=$data cache=$out/features.slf
else
  stage 2 "synthesise the ci corpus (HD layout, 48 kHz FLAC)"
  python3 scripts/corpus/synth_corpus.py --size ci --out "$out/corpus" --seed "$seed" -j "$jobs" --replace
  corpus=$out/corpus cache=$out/hd.slf
fi

stage 3 "log-mel features (80 frames x 40 bands)${fe_args:+ with $fe_args}"
$sl features "$corpus" -o "$cache" ${fe_extra[@]+"${fe_extra[@]}"}
$sl data "$cache" > "$out/data.txt"
head -5 "$out/data.txt"

stage 4 "train: 40 -> 256 LIF -> readouts, delays learned by DCLS ($epochs epochs + 3 QAT)${tr_args:+ with $tr_args}"
$sl train --features "$cache" --epochs "$epochs" --qat-epochs 3 --batch 64 --seed "$seed" -o "$out/train" \
    ${tr_extra[@]+"${tr_extra[@]}"}

stage 5 "export: the integer model image"
$sl info "$out/train/model.slm"

stage 6 "deployed accuracy on the bit-accurate C model (whole test split)"
$sl events "$cache" --split test --model "$out/train/model.slm" -o "$out/test.sle"
$sl run "$out/train/model.slm" "$out/test.sle" -o "$out/test_cmodel.slt" 2> "$out/cmodel.log"
cat "$out/cmodel.log"

stage 7 "classify the test samples on the simulated board (Verilated RTL via the host driver)"
$sl classify "$out/train/model.slm" "$out/test.sle" --target sim: --limit "$rtl_n" \
    -o "$out/test_rtl.slt" --json "$out/rtl.json" | tee "$out/rtl.log"

stage 8 "report"
python3 scripts/plot_sample.py "$out/train/model.slm" "$out/test.sle" "$out/sample.png" --sample 0 --spikeline "$sl"
python3 - "$out" <<'PY'
import json, re, subprocess, sys
out = sys.argv[1]
summ = open(f"{out}/train/summary.txt").read()
def grab(pat, text, cast=float):
    m = re.search(pat, text)
    return cast(m.group(1)) if m else None
kv = dict(l.split(" = ", 1) for l in summ.splitlines() if " = " in l)
float_acc = 100.0 * float(kv["test_acc_float"]) if "test_acc_float" in kv else None
cm = open(f"{out}/cmodel.log").read()
c_ok, c_n = (int(x) for x in re.search(r"accuracy (\d+)/(\d+)", cm).groups())
rtl = json.load(open(f"{out}/rtl.json"))
inf = subprocess.run(["build/cli/spikeline", "info", f"{out}/train/model.slm"], capture_output=True, text=True).stdout
syn = grab(r"synapses (\d+) of", inf, int)
rows = [
    ("float network (trainer, integer delays)", f"{float_acc:.2f} %" if float_acc is not None else "n/a", "test split"),
    ("C model (integer, hardware decision rule)", f"{100.0 * c_ok / c_n:.2f} % ({c_ok}/{c_n})", "test split"),
    ("C model on the RTL subset", f"{100.0 * rtl['cmodel_correct'] / rtl['labelled']:.2f} % ({rtl['cmodel_correct']}/{rtl['labelled']})", f"{rtl['samples']} test samples"),
    ("RTL (Verilated, via the driver)", f"{100.0 * rtl['device_correct'] / rtl['labelled']:.2f} % ({rtl['device_correct']}/{rtl['labelled']})", f"{rtl['samples']} test samples"),
]
w = max(len(r[0]) for r in rows)
print(f"\n{'level':<{w}}  {'accuracy':<22}  on")
for r in rows:
    print(f"{r[0]:<{w}}  {r[1]:<22}  {r[2]}")
print(f"\nsynapses in the table: {syn}; RTL cycles per inference: {rtl['cycles_per_inference']:.0f} "
      f"({rtl['cycles_per_inference'] / 125:.0f} us at 125 MHz); every RTL spike and decision equal to the C model's")
print(f"plots: {out}/train/curves.png (training curves), {out}/sample.png (input, hidden raster, readouts)")
PY
echo "flow: done in $(( $(date +%s) - t_start )) s; everything is in $out/"
