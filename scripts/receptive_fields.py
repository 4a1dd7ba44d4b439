#!/usr/bin/env python3
"""receptive_fields.py — spatio-temporal receptive fields of a model image's first hidden layer.

    scripts/receptive_fields.py MODEL.slm [-o PREFIX] [--shuffles N] [--seed S] [--show K]

For every neuron j of the first hidden population, RF_j[c, d] = sum of the signed weights
(int8, as deployed) from input channel c at integer delay d (docs/spec.md section 7). The
grouping measure of the seed's analysis: over every pair of synapses onto the same neuron,
the mean product of their signs (+1 excitatory, -1 inhibitory) as a function of the channel
distance |dc| and the delay distance |dd|. Two nulls, N shuffles each: delays permuted among each neuron's input
synapses (channels, signs and the delay histogram stay) for grouping in time, channels
permuted the same way for grouping in space, and delays permuted within each sign class
(keeps any preference of excitatory or inhibitory inputs for some delays, so what remains
is local grouping); "excess" = observed - null mean, z = excess /
the null's sd across shuffles. Same-sign grouping shows as positive excess at small
distances; far pairs are the control.

Writes PREFIX.csv (dc, dd, pairs, observed, each null's mean and sd), PREFIX-rf.png (K example
neurons, diverging map, channel x delay) and PREFIX-excess.png (excess along each axis) when
gnuplot is installed, and prints a summary. Standard library only; exit 2 with a one-line
error naming the file on bad input.
"""
import os
import random
import struct
import subprocess
import sys
import zlib


def die(msg):
    print(f"receptive_fields.py: {msg}", file=sys.stderr)
    sys.exit(2)


def read_image(path):
    try:
        with open(path, "rb") as f:
            b = f.read()
    except OSError as e:
        die(f"{path}: {e.strerror}")
    if len(b) < 64 or b[:4] != b"SLMI":
        die(f"{path}: not a model image (magic)")
    major, _minor, size, crc = struct.unpack_from("<HHII", b, 4)
    if major != 1 or size != len(b):
        die(f"{path}: version {major} or size {size} != {len(b)}")
    if zlib.crc32(b[:12] + b"\0\0\0\0" + b[16:]) != crc:
        die(f"{path}: CRC mismatch")
    n_in, n_neu, n_pops, depth, cap = struct.unpack_from("<HHHHH", b, 16)
    pop_off, _pop_size, syn_off, syn_size = struct.unpack_from("<IIII", b, 28)
    pops = []
    for p in range(n_pops):
        name = b[pop_off + 32 * p: pop_off + 32 * p + 16].rstrip(b"\0").decode("ascii", "replace")
        count, = struct.unpack_from("<H", b, pop_off + 32 * p + 16)
        flags = b[pop_off + 32 * p + 25]
        pops.append((name, count, flags))
    words = struct.unpack_from(f"<{syn_size // 4}I", b, syn_off)
    return n_in, n_neu, depth, cap, pops, words


def main(argv):
    args = argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if args else 2
    path, prefix, shuffles, seed, show = None, None, 20, 1, 8
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-o", "--shuffles", "--seed", "--show") and i + 1 < len(args):
            v = args[i + 1]
            if a == "-o":
                prefix = v
            else:
                try:
                    n = int(v)
                except ValueError:
                    die(f"{a} {v}: not an integer")
                if n < 1:
                    die(f"{a} {v}: must be >= 1")
                shuffles, seed, show = (n, seed, show) if a == "--shuffles" else \
                    (shuffles, n, show) if a == "--seed" else (shuffles, seed, n)
            i += 2
        elif path is None and not a.startswith("-"):
            path = a
            i += 1
        else:
            die(f"unexpected argument '{a}'")
    if path is None:
        die("need MODEL.slm")
    prefix = prefix or os.path.splitext(path)[0] + "-rf"
    n_in, _n_neu, depth, cap, pops, words = read_image(path)
    hidden = pops[0]
    if hidden[2] & 1 == 0:
        die(f"{path}: first population '{hidden[0]}' is not spiking")
    H = hidden[1]
    # synapses from input channels onto the first hidden population: per neuron (c, d, w)
    syn = [[] for _ in range(H)]
    for c in range(n_in):
        for s in range(cap):
            w = words[c * cap + s]
            if not w >> 31:
                continue
            t = (w >> 16) & 0x3FF
            if t >= H:
                continue
            wt = w & 0xFF
            wt = wt - 256 if wt > 127 else wt
            if wt:
                syn[t].append((c, (w >> 8) & 0x1F, wt))
    n_syn = sum(len(s) for s in syn)
    if n_syn == 0:
        die(f"{path}: no nonzero input synapse onto '{hidden[0]}'")
    D = depth

    def pair_stats(per_neuron):
        cnt = [[0] * D for _ in range(n_in)]
        tot = [[0] * D for _ in range(n_in)]
        for lst in per_neuron:
            n = len(lst)
            for a in range(n):
                ca, da, sa = lst[a]
                for b2 in range(a + 1, n):
                    cb, db, sb = lst[b2]
                    dc, dd = abs(ca - cb), abs(da - db)
                    cnt[dc][dd] += 1
                    tot[dc][dd] += sa * sb
        return cnt, tot

    signs = [[(c, d, 1 if w > 0 else -1) for c, d, w in lst] for lst in syn]
    cnt, obs = pair_stats(signs)
    rng = random.Random(seed)

    def null(axis):
        """per shuffle, the (count, sign-product sum) matrices with delays (axis 1) or
        channels (axis 0) permuted among each neuron's synapses"""
        out = []
        for r in range(shuffles):
            sh = []
            for lst in signs:
                if axis == 2:   # delays permuted within each sign class
                    v = [x[1] for x in lst]
                    for sg in (1, -1):
                        idx = [k for k, x in enumerate(lst) if x[2] == sg]
                        sub = [v[k] for k in idx]
                        rng.shuffle(sub)
                        for k, x in zip(idx, sub):
                            v[k] = x
                else:
                    v = [x[axis] for x in lst]
                    rng.shuffle(v)
                sh.append([(v[k], d, s) if axis == 0 else (c, v[k], s) for k, (c, d, s) in enumerate(lst)])
            out.append(pair_stats(sh))
            print(f"\r{('channel', 'delay', 'sign-delay')[axis]} shuffle {r + 1}/{shuffles}  ", end="", file=sys.stderr)
        return out
    nulls = {"delay": null(1), "channel": null(0), "sign-delay": null(2)}
    print(file=sys.stderr)

    def pooled(sel, which):
        """observed mean sign product over the cells sel(dc, dd) and the null's mean and sd"""
        cells = [(dc, dd) for dc in range(n_in) for dd in range(D) if sel(dc, dd)]
        n = sum(cnt[c][d] for c, d in cells)
        if not n:
            return 0, 0.0, 0.0, 0.0
        o = sum(obs[c][d] for c, d in cells) / n
        vals = []
        for cn, tn in nulls[which]:
            k = sum(cn[c][d] for c, d in cells)
            vals.append(sum(tn[c][d] for c, d in cells) / k if k else 0.0)
        m = sum(vals) / len(vals)
        sd = (sum((v - m) ** 2 for v in vals) / max(len(vals) - 1, 1)) ** 0.5
        return n, o, m, sd
    rows = []
    for dc in range(n_in):
        for dd in range(D):
            if cnt[dc][dd]:
                one = lambda c, d, dc=dc, dd=dd: c == dc and d == dd
                _, o, dm, ds = pooled(one, "delay")
                _, _, cm, cs = pooled(one, "channel")
                rows.append((dc, dd, cnt[dc][dd], o, dm, ds, cm, cs))
    tmp = prefix + ".csv.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("dc,dd,pairs,observed,delay_null_mean,delay_null_sd,channel_null_mean,channel_null_sd\n")
        for r in rows:
            f.write("%d,%d,%d,%.5f,%.5f,%.5f,%.5f,%.5f\n" % r)
    os.replace(tmp, prefix + ".csv")

    # summary: same-sign grouping near in time (vs the delay-shuffle null) and near in
    # space (vs the channel-shuffle null), and far pairs as a control
    exc = sum(1 for lst in syn for _, _, w in lst if w > 0)
    print(f"{path}: {H} hidden neurons, {n_syn} input synapses ({exc} excitatory, "
          f"{n_syn - exc} inhibitory), delays 0..{D - 1}, {shuffles} shuffles per null")
    print(f"  {'pairs onto one neuron':34s} {'pairs':>9s} {'sign prod':>9s} {'null':>8s} {'excess':>8s} {'z':>6s}")
    for label, sel, which in (
            ("time:  |dd| <= 1, |dc| <= 2", lambda c, d: d <= 1 and c <= 2 and (c or d), "delay"),
            ("time:  |dd| <= 1, any dc", lambda c, d: d <= 1 and (c or d), "delay"),
            ("time:  |dd| <= 1, |dc| <= 2", lambda c, d: d <= 1 and c <= 2 and (c or d), "sign-delay"),
            ("space: |dc| <= 1, any dd", lambda c, d: c <= 1 and (c or d), "channel"),
            ("space: |dc| <= 1, |dd| <= 2", lambda c, d: c <= 1 and d <= 2 and (c or d), "channel"),
            ("control: |dd| <= 1, |dc| >= 10", lambda c, d: d <= 1 and c >= 10, "delay")):
        n, o, m, sd = pooled(sel, which)
        z = (o - m) / sd if sd > 0 else 0.0
        print(f"  {label:34s} {n:9d} {o:+9.4f} {m:+8.4f} {o - m:+8.4f} {z:6.1f}  ({which}-shuffle null)")

    if subprocess.call("command -v gnuplot >/dev/null 2>&1", shell=True) != 0:
        print("gnuplot not installed: no figures", file=sys.stderr)
        return 0
    # example neurons: the K with the most synapses
    order = sorted(range(H), key=lambda j: -len(syn[j]))[:show]
    dat = prefix + "-rf.dat"
    with open(dat, "w", encoding="utf-8") as f:
        for k, j in enumerate(order):
            rf = [[0] * D for _ in range(n_in)]
            for c, d, w in syn[j]:
                rf[c][d] += w
            for c in range(n_in):
                for d in range(D):
                    f.write(f"{d} {c} {rf[c][d]}\n")
                f.write("\n")
            f.write("\n\n")
    lim = max([abs(w) for j in order for _, _, w in syn[j]] + [1])
    cols = 4
    rws = (len(order) + cols - 1) // cols
    plots = "; ".join(
        f"set title 'neuron {j}'; plot '{dat}' index {k} using 1:2:3 with image notitle"
        for k, j in enumerate(order))
    gp = (f"set terminal pngcairo size {300 * cols},{260 * rws} noenhanced; set output '{prefix}-rf.png';"
          f"set multiplot layout {rws},{cols} title 'input receptive fields (weight by channel x delay; red +, blue -)';"
          f"set palette defined (-127 'blue', 0 'white', 127 'red'); set cbrange [-{lim}:{lim}];"
          f"set xlabel 'delay (steps)'; set ylabel 'input band'; set xrange [-0.5:{D - 0.5}]; set yrange [-0.5:{n_in - 0.5}];"
          f"{plots}; unset multiplot")
    ex = prefix + "-excess.dat"
    with open(ex, "w", encoding="utf-8") as f:
        for axis, which in (("dc", "channel"), ("dd", "delay")):
            for v in range(n_in if axis == "dc" else D):
                sel = (lambda c, d, v=v: c == v and d <= 1 and (c or d)) if axis == "dc" else \
                      (lambda c, d, v=v: d == v and c <= 1 and (c or d))
                n, o, m, sd = pooled(sel, which)
                if n:
                    f.write(f"{v} {o:.5f} {m:.5f} {sd:.5f}\n")
            f.write("\n\n")
    gp2 = (f"set terminal pngcairo size 1000,380 noenhanced; set output '{prefix}-excess.png';"
           f"set multiplot layout 1,2 title 'same-sign grouping: mean sign product of synapse pairs onto one neuron';"
           f"set xlabel '|channel distance| (|delay distance| <= 1)'; set ylabel 'mean sign product';"
           f"plot '{ex}' index 0 using 1:2 with linespoints title 'model', '' index 0 using 1:3:4 with yerrorbars title 'channel-shuffle null';"
           f"set xlabel '|delay distance| (|channel distance| <= 1)';"
           f"plot '{ex}' index 1 using 1:2 with linespoints title 'model', '' index 1 using 1:3:4 with yerrorbars title 'delay-shuffle null';"
           f"unset multiplot")
    for script in (gp, gp2):
        if subprocess.call(["gnuplot", "-e", script]) != 0:
            print("gnuplot failed: figures incomplete", file=sys.stderr)
    for tmpf in (dat, ex):
        os.remove(tmpf)
    print(f"wrote {prefix}.csv, {prefix}-rf.png, {prefix}-excess.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
