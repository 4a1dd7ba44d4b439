#!/usr/bin/env python3
"""paired_runs.py — is configuration B better than A over paired seeds?

    scripts/paired_runs.py [--key KEY] A_RUN... -- B_RUN...

Each RUN is a `spikeline train -o` directory; its summary.txt gives `seed` and KEY
(default deployed_test_acc). Runs are paired by seed, and every seed must appear exactly
once on each side. Prints one row per seed, the means, the mean difference B − A with its
standard deviation, the number of seeds B wins, and two exact two-sided p-values that need
no distribution assumptions beyond independent seeds:
  sign-flip  the share of the 2^n ways to flip the signs of the differences whose mean is
             at least as far from zero as the observed one (a paired permutation test);
  sign       the binomial sign test on wins vs losses (ties dropped).
Standard library only; exits 2 with a one-line error naming the file on bad input.
"""
import math
import os
import sys


def die(msg):
    print(f"paired_runs.py: {msg}", file=sys.stderr)
    sys.exit(2)


def read_run(d, key):
    path = os.path.join(d, "summary.txt")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        die(f"{path}: {e.strerror}")
    kv = {}
    for ln in lines:
        k, sep, v = ln.partition(" = ")
        if sep:
            kv[k.strip()] = v.strip()
    for k in ("seed", key):
        if k not in kv:
            die(f"{path}: no '{k}' line")
    try:
        seed = int(kv["seed"])
    except ValueError:
        die(f"{path}: seed '{kv['seed']}' is not a whole number")
    try:
        val = float(kv[key])
    except ValueError:
        die(f"{path}: {key} '{kv[key]}' is not a number")
    if not math.isfinite(val):
        die(f"{path}: {key} = {kv[key]} is not finite")
    return seed, val


def side(dirs, key, name):
    out = {}
    for d in dirs:
        s, v = read_run(d, key)
        if s in out:
            die(f"{os.path.join(d, 'summary.txt')}: seed {s} appears twice on side {name}")
        out[s] = (v, d)
    return out


def sign_flip_p(diffs):
    """Exact two-sided paired permutation p-value over all 2^n sign patterns, counted as a
    distribution of sums (pattern count per sum, one difference at a time): accuracies are
    k / N, so the sums stay on a small grid and n = 100 costs no more than n = 10."""
    q = [round(d * 1e6) for d in diffs]  # integer grid: exact sums, no float ties to break
    counts = {0: 1}
    for d in q:
        nxt = {}
        for s, c in counts.items():
            nxt[s + d] = nxt.get(s + d, 0) + c
            nxt[s - d] = nxt.get(s - d, 0) + c
        counts = nxt
        if len(counts) > 1 << 22:
            die(f"{len(diffs)} pairs on no common grid: too many distinct sign-flip sums")
    obs = abs(sum(q))
    return sum(c for s, c in counts.items() if abs(s) >= obs) / 2 ** len(q)


def sign_test_p(wins, losses):
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def main(argv):
    key = "deployed_test_acc"
    if len(argv) >= 2 and argv[0] == "--key":
        key, argv = argv[1], argv[2:]
    if "--" not in argv:
        die("usage: paired_runs.py [--key KEY] A_RUN... -- B_RUN...")
    cut = argv.index("--")
    a_dirs, b_dirs = argv[:cut], argv[cut + 1:]
    if not a_dirs or not b_dirs:
        die("usage: paired_runs.py [--key KEY] A_RUN... -- B_RUN...")
    a, b = side(a_dirs, key, "A"), side(b_dirs, key, "B")
    if set(a) != set(b):
        s = sorted(set(a) ^ set(b))[0]
        d = a[s][1] if s in a else b[s][1]
        die(f"{os.path.join(d, 'summary.txt')}: seed {s} has no partner on the other side")
    seeds = sorted(a)
    # accuracies (every *acc* key of summary.txt) are fractions: shown in percent
    scale, unit = (100.0, " %") if "acc" in key else (1.0, "")
    diffs = []
    print(f"{'seed':>5} {'A':>8} {'B':>8} {'B-A':>8}   ({key}{unit})")
    for s in seeds:
        va, vb = a[s][0] * scale, b[s][0] * scale
        diffs.append(vb - va)
        print(f"{s:>5} {va:8.2f} {vb:8.2f} {vb - va:+8.2f}")
    n = len(diffs)
    ma = sum(a[s][0] for s in seeds) * scale / n
    mb = sum(b[s][0] for s in seeds) * scale / n
    md = sum(diffs) / n
    sd = math.sqrt(sum((d - md) ** 2 for d in diffs) / (n - 1)) if n > 1 else float("nan")
    wins = sum(d > 0 for d in diffs)
    losses = sum(d < 0 for d in diffs)
    print(f" mean {ma:8.2f} {mb:8.2f} {md:+8.2f}   sd of B-A {sd:.2f}")
    print(f"B wins {wins} of {n} (losses {losses}, ties {n - wins - losses})")
    print(f"exact two-sided p: sign-flip {sign_flip_p(diffs):.4f}, sign {sign_test_p(wins, losses):.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
