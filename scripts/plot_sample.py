#!/usr/bin/env python3
"""plot_sample.py — one sample through the C reference model, drawn: the graded input events
(channel x step), the raster of the spiking neurons and the readout membranes over time, with
the decision. Uses `spikeline run --state` and gnuplot.

  scripts/plot_sample.py MODEL.slm EVENTS.sle OUT.png [--sample K] [--spikeline PATH]
"""
import argparse, os, re, subprocess, sys, tempfile


def populations(spikeline, model):
    """(name, first, count, flags) of each population, from `spikeline info`."""
    out = subprocess.run([spikeline, "info", model], check=True, capture_output=True, text=True).stdout
    pops = []
    for line in out.splitlines():
        m = re.match(r"\s+(\S+)\s+(\d+)\s+(\d+)\s+-?\d+\s+\d+\s+(zero|sub)\s+(.*?)\s+\(beta", line)
        if m:
            pops.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(5)))
    return pops


def one_sample(events, k, path):
    """Write sample k of an event file as a one-sample event file; return (label, lines)."""
    header, blocks, cur = None, [], None
    for line in open(events):
        s = line.split("#")[0].strip()
        if not s:
            continue
        if header is None:
            header = s
        elif s.startswith("sample"):
            cur = [s]
            blocks.append(cur)
        else:
            if cur is None:
                cur = ["sample 0"]
                blocks.append(cur)
            cur.append(s)
    if k >= len(blocks):
        sys.exit(f"plot_sample: {events}: no sample {k} (it has {len(blocks)})")
    with open(path, "w") as f:
        f.write(header + "\n" + "\n".join(blocks[k]) + "\n")
    m = re.search(r"label (\d+)", blocks[k][0])
    return (int(m.group(1)) if m else -1), blocks[k][1:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model"); ap.add_argument("events"); ap.add_argument("out")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--spikeline", default=os.path.join(os.path.dirname(__file__), "..", "build", "cli", "spikeline"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sle, slt, sls = (os.path.join(tmp, n) for n in ("s.sle", "s.slt", "s.sls"))
        label, ev = one_sample(a.events, a.sample, sle)
        channels = int(re.search(r"channels (\d+)", open(sle).readline()).group(1))
        subprocess.run([a.spikeline, "run", a.model, sle, "-o", slt, "--state", sls, "-q"], check=True)
        pops = populations(a.spikeline, a.model)
        readout = [p for p in pops if "readout" in p[3]]
        spiking = [p for p in pops if "spiking" in p[3]]
        with open(os.path.join(tmp, "in.dat"), "w") as f:
            for e in ev:
                t, c, p = e.split()
                f.write(f"{t} {c} {p}\n")
        decision = -1
        with open(slt) as src, open(os.path.join(tmp, "raster.dat"), "w") as f:
            for line in src:
                w = line.split()
                if w[0] == "decision":
                    decision = int(w[1])
                elif w[0].isdigit():
                    f.write(f"{w[0]} {w[1]}\n")
        steps = 0
        r0, rn = (readout[0][1], readout[0][2]) if readout else (0, 0)
        with open(sls) as src, open(os.path.join(tmp, "ro.dat"), "w") as f:
            for line in src:
                w = line.split()
                if w[0] == "v":
                    steps = int(w[1]) + 1
                    f.write(w[1] + " " + " ".join(w[2 + r0:2 + r0 + rn]) + "\n")
        hid = spiking[0] if spiking else ("neurons", 0, 1, "")
        title = f"sample {a.sample}: label {label}, decision {decision}"
        red = 'lc rgb "red"'
        plots = ", ".join(f"'ro.dat' u 1:{k + 2} w l lw {3 if k == decision else 1} "
                          f"{red if k == decision else ''} notitle" for k in range(rn))
        gp = f"""
set terminal pngcairo size 900,900 font ',10'
set output '{os.path.abspath(a.out)}'
set multiplot layout 3,1 title '{title}'
set xrange [-0.5:{steps - 0.5}]
set yrange [-0.5:{channels - 0.5}]
set ylabel 'input channel'; set cblabel 'payload'; set cbrange [0:255]
set palette defined (0 'white', 1 '#3060c0', 2 '#102040')
plot 'in.dat' u 1:2:3 w p pt 5 ps 0.5 lc palette notitle
unset colorbox
set yrange [-0.5:{hid[2] - 0.5}]
set ylabel '{hid[0]} neuron'
plot 'raster.dat' u 1:($2-{hid[1]}) w p pt 7 ps 0.4 lc rgb 'black' notitle
set autoscale y
set ylabel 'readout membrane'; set xlabel 'timestep'
plot {plots if plots else "0 notitle"}
unset multiplot
"""
        with open(os.path.join(tmp, "p.gp"), "w") as f:
            f.write(gp)
        subprocess.run(["gnuplot", "p.gp"], cwd=tmp, check=True)
    print(f"plot_sample: {a.out} ({title})")


if __name__ == "__main__":
    main()
