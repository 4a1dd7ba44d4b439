#!/usr/bin/env python3
"""feature_xform.py IN.slf OUT.slf MODE [P] — per-utterance transforms of a feature cache,
for experiments on what the front end could do for recorded speech (docs/results.md §0,
"Synthetic speech → real voices: what else was tried"). Not part of the product's recipe:
the output keeps IN's header (recipe, keys), with the CRC recomputed. Apply the same
transform to the training and the evaluation cache. Modes (values stay in 0 … top_db·scale):
  bandfloor P  subtract from each band its P-quantile over the frames (default 0.2), clip at 0
  cmn P        per band, move the mean over active frames to the utterance's mean (x P) (bands
               that are empty in the utterance, e.g. above a band limit, stay empty)
  smooth R     triangular smoothing over +-R bands within the live bands of every frame
Pure Python (stdlib): ~15 s per 6,000 utterances."""
import array
import os
import struct
import sys
import zlib

if len(sys.argv) not in (4, 5) or sys.argv[3] not in ("bandfloor", "cmn", "smooth"):
    sys.exit(__doc__.split("\n\n")[0] + "\n(see the top of this file for the modes)")
src, dst, mode = sys.argv[1:4]
p = float(sys.argv[4]) if len(sys.argv) > 4 else (1 if mode == "smooth" else 0.2)
b = open(src, 'rb').read()
h = bytearray(b[:64])
if len(b) < 64 or h[:4] != b"SLFC" or struct.unpack_from('<H', h, 4)[0] != 1:
    sys.exit(f"feature_xform.py: {src}: not a version-1 feature cache (.slf)")
n, = struct.unpack_from('<I', h, 8); T, B = struct.unpack_from('<HH', h, 12)
top_db, scale = struct.unpack_from('<ff', h, 48)
fmax = top_db * scale
f = array.array('f'); f.frombytes(b[64:64 + 4 * n * T * B])
for u in range(n):
    o = u * T * B
    for c in range(B):
        col = [f[o + t * B + c] for t in range(T)]
        if mode == 'bandfloor':      # subtract the band's p-quantile over time
            q = sorted(col)[int(p * (T - 1))]
            new = [max(0.0, v - q) for v in col]
        else:
            break
        for t in range(T):
            f[o + t * B + c] = new[t]
    if mode == 'smooth':             # triangular smoothing across the live bands of every frame
        r = int(p)
        live = [c for c in range(B) if any(f[o + t * B + c] > 0 for t in range(T))]
        lo, hi = (min(live), max(live)) if live else (0, -1)
        w = [r + 1 - abs(k) for k in range(-r, r + 1)]
        for t in range(T):
            row = f[o + t * B:o + t * B + B]
            for c in range(lo, hi + 1):
                acc = ws = 0.0
                for k in range(-r, r + 1):
                    if lo <= c + k <= hi:
                        acc += w[k + r] * row[c + k]; ws += w[k + r]
                f[o + t * B + c] = acc / ws
    if mode == 'cmn':                # each band's mean over active frames -> the utterance's mean (x p)
        act = [t for t in range(T) if max(f[o + t * B:o + t * B + B]) > 0]
        if not act: continue
        mb = [sum(f[o + t * B + c] for t in act) / len(act) for c in range(B)]
        live = [c for c in range(B) if mb[c] > 0]
        ma = sum(mb[c] for c in live) / len(live)
        for t in act:
            for c in live:
                v = f[o + t * B + c] - p * (mb[c] - ma)
                f[o + t * B + c] = min(fmax, max(0.0, v))
body = f.tobytes() + b[64 + 4 * n * T * B:]
struct.pack_into('<I', h, 32, zlib.crc32(body) & 0xffffffff)
open(dst + '.tmp', 'wb').write(bytes(h) + body)
os.replace(dst + '.tmp', dst)
