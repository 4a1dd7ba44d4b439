#!/usr/bin/env python3
"""rtl_coverage.py — per-file line and toggle coverage of the RTL from Verilator .dat files,
checked against the waiver file.

  scripts/rtl_coverage.py --rtl rtl --waivers rtl/sl_coverage_waivers.txt DAT_OR_DIR...

Reads every coverage .dat given (directories: every *.dat inside), sums the counts of equal
points across files and model instances, and prints, for each RTL file, the lines that carry a
line/branch coverage point and how many were reached, and the toggle points (signal bits seen
rising and falling, per instance) and how many toggled. A line is covered when every line or
branch point that includes it (an implicit else too) was hit at least once, in any instance —
what `verilator_coverage --annotate` marks.

Every uncovered line must be listed in the waiver file with its reason; the check fails (exit
1) on an uncovered line that is not waived and on a waiver that names a line that is covered,
carries no coverage point or does not exist. Waiver lines read

  sl_core.sv:317 | default: ; | why this line cannot be reached

(file:line, the source line's text with surrounding blanks removed, the reason). When the
text no longer sits at that line number but occurs exactly once in the file, the waiver
follows it (and says so). Python 3 standard library only.
"""
import argparse
import os
import re
import sys

DAT_RE = re.compile(r"^C '(.*)' (\d+)\s*$")


def parse_point(s):
    kv = {}
    for item in s.split("\x01"):
        if "\x02" in item:
            k, v = item.split("\x02", 1)
            kv[k] = v
    return kv


def lines_of(spec, lineno):
    out = set()
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    if not out and lineno:
        out.add(int(lineno))
    return out


def load(paths):
    """{point key without the hierarchy (unless per-instance): [kv, count]}"""
    pts = {}
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".dat"))
        else:
            files.append(p)
    if not files:
        sys.exit("rtl_coverage: no coverage .dat files in %s" % " ".join(paths))
    for fn in files:
        try:
            fh = open(fn, encoding="utf-8", errors="replace")
        except OSError as e:
            sys.exit("rtl_coverage: %s: cannot read (%s)" % (fn, e.strerror))
        with fh:
            for ln in fh:
                m = DAT_RE.match(ln)
                if not m:
                    continue
                kv = parse_point(m.group(1))
                page = kv.get("page", "")
                kind = "toggle" if page.startswith("v_toggle") else \
                    "line" if page.startswith(("v_line", "v_branch")) else None
                if kind is None:
                    continue
                per_inst = kind == "toggle" or kv.get("P") == "1"
                if not per_inst:
                    # One source line, whatever the instance or parameter specialisation
                    # (Verilator names pages after the specialised module: v_line/sl_ram__W9_A9).
                    kv["page"] = page.split("__", 1)[0]
                key = tuple(sorted((k, v) for k, v in kv.items() if per_inst or k != "h"))
                if key in pts:
                    pts[key][1] += int(m.group(2))
                else:
                    pts[key] = [dict(kv, _kind=kind), int(m.group(2))]
    return pts, len(files)


def read_waivers(path):
    out = []
    try:
        fh = open(path, encoding="utf-8")
    except OSError as e:
        sys.exit("rtl_coverage: %s: cannot read the waiver file (%s)" % (path, e.strerror))
    with fh:
        for n, raw in enumerate(fh, 1):
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            parts = [p.strip() for p in s.split("|", 2)]
            m = re.fullmatch(r"([A-Za-z0-9_.]+):(\d+)", parts[0])
            if len(parts) != 3 or not m or not parts[1] or not parts[2]:
                sys.exit("rtl_coverage: %s:%d: expected 'file.sv:LINE | source text | reason'" % (path, n))
            out.append({"at": "%s:%d" % (path, n), "file": m.group(1), "line": int(m.group(2)),
                        "text": parts[1], "reason": parts[2]})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rtl", required=True, help="RTL directory (sl_files.f)")
    ap.add_argument("--waivers", required=True, help="waiver file")
    ap.add_argument("--list-covered", action="store_true", help="also print waived lines")
    ap.add_argument("dat", nargs="+", help="coverage .dat files or directories of them")
    a = ap.parse_args()

    rtl = os.path.abspath(a.rtl)
    try:
        names = [l.strip() for l in open(os.path.join(rtl, "sl_files.f"), encoding="utf-8")
                 if re.fullmatch(r"[a-z_0-9]+\.sv", l.strip())]
    except OSError as e:
        sys.exit("rtl_coverage: %s/sl_files.f: cannot read (%s)" % (rtl, e.strerror))
    src = {n: open(os.path.join(rtl, n), encoding="utf-8").read().split("\n") for n in names}

    pts, nfiles = load(a.dat)
    # line -> (all points hit?) per file; toggle counts per file.
    line_ok = {n: {} for n in names}
    tog = {n: [0, 0] for n in names}
    for kv, cnt in pts.values():
        base = os.path.basename(kv.get("f", ""))
        if base not in line_ok:
            continue
        if kv["_kind"] == "toggle":
            tog[base][0] += 1
            tog[base][1] += cnt > 0
        else:
            for ln in lines_of(kv.get("S"), kv.get("l")):
                line_ok[base][ln] = line_ok[base].get(ln, True) and cnt > 0

    waivers = read_waivers(a.waivers)
    problems, notes, waived = [], [], set()
    for w in waivers:
        if w["file"] not in src:
            problems.append("%s: waiver names %s, which is not an RTL file" % (w["at"], w["file"]))
            continue
        text = src[w["file"]]
        ln = w["line"]
        if not (1 <= ln <= len(text) and text[ln - 1].strip() == w["text"]):
            hits = [i + 1 for i, t in enumerate(text) if t.strip() == w["text"]]
            if len(hits) != 1:
                problems.append("%s: waiver %s:%d: no such line '%s'%s" % (
                    w["at"], w["file"], ln, w["text"], " (it occurs %d times)" % len(hits) if hits else ""))
                continue
            notes.append("%s: waiver %s:%d follows its line to %d" % (w["at"], w["file"], ln, hits[0]))
            ln = hits[0]
        state = line_ok[w["file"]].get(ln)
        if state is None:
            problems.append("%s: waiver %s:%d: the line carries no coverage point" % (w["at"], w["file"], ln))
        elif state:
            problems.append("%s: waiver %s:%d: the line is covered, drop the waiver" % (w["at"], w["file"], ln))
        else:
            waived.add((w["file"], ln))

    print("rtl_coverage: %d coverage file(s)" % nfiles)
    print("  %-14s %18s %8s %20s" % ("file", "lines covered", "waived", "toggles covered"))
    tl = [0, 0, 0]
    tt = [0, 0]
    for n in names:
        total = len(line_ok[n])
        hit = sum(1 for v in line_ok[n].values() if v)
        wv = sum(1 for (f, _) in waived if f == n)
        tl[0] += total
        tl[1] += hit
        tl[2] += wv
        tt[0] += tog[n][0]
        tt[1] += tog[n][1]
        if not total and not tog[n][0]:
            print("  %-14s %18s %8s %20s" % (n, "-", "-", "-"))
            continue
        print("  %-14s %5d/%-5d %5.1f %% %8d %6d/%-6d %5.1f %%" % (
            n, hit, total, 100.0 * hit / total if total else 100.0, wv, tog[n][1], tog[n][0],
            100.0 * tog[n][1] / tog[n][0] if tog[n][0] else 100.0))
    print("  %-14s %5d/%-5d %5.1f %% %8d %6d/%-6d %5.1f %%" % (
        "total", tl[1], tl[0], 100.0 * tl[1] / max(1, tl[0]), tl[2], tt[1], tt[0],
        100.0 * tt[1] / max(1, tt[0])))
    print("  line coverage with waivers: %.1f %%" % (100.0 * (tl[1] + tl[2]) / max(1, tl[0])))
    for n in names:
        for ln in sorted(line_ok[n]):
            if not line_ok[n][ln]:
                if (n, ln) in waived:
                    if a.list_covered:
                        print("  waived    %s:%d  %s" % (n, ln, src[n][ln - 1].strip()))
                else:
                    problems.append("%s:%d: not covered and not waived: %s" % (n, ln, src[n][ln - 1].strip()))
    for s in notes:
        print("rtl_coverage: note: " + s)
    for s in problems:
        print("rtl_coverage: " + s, file=sys.stderr)
    if problems:
        print("rtl_coverage: FAIL (%d problem(s))" % len(problems), file=sys.stderr)
        return 1
    print("rtl_coverage: every uncovered line is waived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
