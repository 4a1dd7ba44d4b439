#!/usr/bin/env python3
"""rtl_mutate.py — mutation testing of the RTL core against the cosimulation regression.

Makes single-point mutants of rtl/*.sv (operator swaps, constant tweaks, negated conditions,
dropped terms and statements; comments and strings are never touched), lints each one like CI
does, builds it as the Verilator C++ harness (sl_cosim) in a private build tree and runs
`spikeline regress --cosim` on it: golden cases first, then the random seeds in growing
chunks, stopping at the first mismatch. A mutant is KILLED (the regression failed), killed by
TIMEOUT (a case hung past the per-case limit), SURVIVED (every case passed; it is either a gap
in the checks or an equivalent mutant), or excluded as LINT (CI's lint test rejects it) or
BUILD (it does not compile). Kill rate = killed / (killed + survived), timeouts included.
--directed TESTS also runs the named ctest tests (built in the private tree) on every mutant
the regression leaves alive; one failing kills it.

  scripts/rtl_mutate.py --build build                  # a sample of 100 mutants (seed 1)
  scripts/rtl_mutate.py --build build --all            # every mutant
  scripts/rtl_mutate.py --list                         # only list the mutants
  scripts/rtl_mutate.py --build build --only 12,40     # chosen mutants

--build names a configured and built tree of this project (its `spikeline` runs the
regression); --rtl the RTL directory to mutate (default: rtl/ next to this script); --work the
scratch directory (default <build>/mutate). Python 3 standard library only.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

# ---------------------------------------------------------------------------------------------
# Lexer: just enough SystemVerilog to find code tokens and skip comments, strings, directives.
# ---------------------------------------------------------------------------------------------
TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:\\.|[^"\\])*")
  | (?P<directive>`[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>(?:\d[\d_]*)?'[sS]?[bBoOdDhH][0-9a-fA-FxXzZ_?]+ | '[01xXzZ] | \d[\d_]*)
  | (?P<ident>\$?[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<op><<<|>>>|<<=|>>=|===|!==|==|!=|<=|>=|&&|\|\||<<|>>|\+\+|--|\+:|-:|::|->|[-+*/%&|^~!<>=?:;,.()\[\]{}#@'])
  | (?P<other>.)
""", re.X | re.S)


class Tok:
    __slots__ = ("kind", "text", "pos", "line")

    def __init__(self, kind, text, pos, line):
        self.kind, self.text, self.pos, self.line = kind, text, pos, line


def lex(src):
    toks, line = [], 1
    for m in TOKEN_RE.finditer(src):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            toks.append(Tok(kind, m.group(), m.start(), line))
        line += m.group().count("\n")
    return toks


# Statements that declare things (widths, ports, parameters): not mutated in modules. In the
# package the localparams ARE the product (register map, bit positions) and are mutated.
ALWAYS_DECL = {"logic", "input", "output", "parameter", "localparam", "module", "import",
               "package", "function", "string"}
FIRST_DECL = {"int"}
# Regions never mutated: the coverage dump hook and simulation-only initialisation.
SKIP_DIRECTIVES = ("`ifdef", "`ifndef")

SWAPS = {"+": ["-"], "-": ["+"], "==": ["!="], "!=": ["=="], "<": ["<=", ">"], "<=": ["<"],
         ">": [">=", "<"], ">=": [">"], "&&": ["||"], "||": ["&&"], "&": ["|"], "|": ["&", "^"],
         "^": ["|"], "<<": [">>"], ">>": ["<<"], ">>>": [">>"], "*": ["+"]}


FWD_STOPS = {"&&", "||", "?", ":", ";", ",", "="}
BACK_STOPS = {"&&", "||", "?", ":", ";", ",", "=", "<=", "if", "assign"}


def operand_end(toks, i, step, stops=None):
    """Index of the token that ends the operand next to toks[i] (step +1: to the right, -1: left)."""
    if stops is None:
        stops = FWD_STOPS if step > 0 else BACK_STOPS
    depth, j = 0, i + step
    opens, closes = ("(", "[", "{"), (")", "]", "}")
    if step < 0:
        opens, closes = closes, opens
    while 0 <= j < len(toks):
        t = toks[j].text
        if t in opens:
            depth += 1
        elif t in closes:
            if depth == 0:
                return j
            depth -= 1
        elif depth == 0 and t in stops:
            return j
        j += step
    return j


def lvalue_start(toks, i):
    """If toks[i] is '<=' of a nonblocking assignment, the index where its target starts."""
    j = i - 1
    while j >= 0 and toks[j].text == "]":
        depth = 0
        while j >= 0:
            if toks[j].text == "]":
                depth += 1
            elif toks[j].text == "[":
                depth -= 1
                if depth == 0:
                    break
            j -= 1
        j -= 1
    if j < 0 or toks[j].kind != "ident":
        return None
    if j == 0 or toks[j - 1].text in (";", "begin", "else", ")", ":", "end", "default"):
        return j
    return None


def number_variants(text):
    """Constant tweaks that keep the literal's width: 0<->1, N->N+1, N->N-1."""
    if text in ("'0", "'1"):
        return ["'1" if text == "'0" else "'0"]
    m = re.fullmatch(r"(\d[\d_]*)?'([sS]?)([bBoOdDhH])([0-9a-fA-F_]+)", text)
    out = []
    if m:
        width, sgn, base, digits = m.groups()
        radix = {"b": 2, "o": 8, "d": 10, "h": 16}[base.lower()]
        try:
            v = int(digits.replace("_", ""), radix)
        except ValueError:
            return []
        w = int(width.replace("_", "")) if width else 32
        cands = [v ^ 1] if w == 1 else [v + 1, v - 1]
        for c in cands:
            if 0 <= c < (1 << w):
                fmt = {2: "b", 8: "o", 10: "d", 16: "X"}[radix]
                out.append("%s'%s%s%s" % (width or "", sgn, base, format(c, fmt)))
        return out
    if re.fullmatch(r"\d[\d_]*", text):
        v = int(text.replace("_", ""))
        return [str(c) for c in (v + 1, v - 1) if c >= 0]
    return []


def mutants_of_file(path, rel):
    src = open(path, encoding="utf-8").read()
    toks = lex(src)
    is_pkg = rel.endswith("_pkg.sv")
    out = []

    def add(kind, start, end, new, line):
        out.append({"file": rel, "line": line, "start": start, "end": end,
                    "old": src[start:end], "new": new, "kind": kind})

    # Mark statements to skip: declarations (outside the package) and `ifdef/`ifndef regions.
    skip = [False] * len(toks)
    stmt_start, i, port_depth = 0, 0, 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "directive" and t.text in SKIP_DIRECTIVES:
            j = i
            while j < len(toks) and not (toks[j].kind == "directive" and toks[j].text == "`endif"):
                skip[j] = True
                j += 1
            if j < len(toks):
                skip[j] = True
            i = j + 1
            stmt_start = i
            continue
        i += 1
    # Declarations: from a declaration keyword to its ';' (a module header up to its ');').
    i = 0
    while i < len(toks):
        t = toks[i]
        first = i == 0 or toks[i - 1].text in (";", "begin", "end", ")") or toks[i - 1].kind == "directive"
        decl = t.kind == "ident" and (t.text in ALWAYS_DECL or (first and t.text in FIRST_DECL))
        if decl and not (is_pkg and t.text == "localparam"):
            j, depth = i, 0
            while j < len(toks):
                skip[j] = True
                if toks[j].text == "(":
                    depth += 1
                elif toks[j].text == ")":
                    depth -= 1
                elif toks[j].text == ";" and depth == 0:
                    break
                j += 1
            i = j + 1
            continue
        i += 1
    # Package localparams: mutate only the value (after '='), never the type or width.
    if is_pkg:
        i = 0
        while i < len(toks):
            if toks[i].text == "localparam":
                j = i
                while j < len(toks) and toks[j].text != "=":
                    skip[j] = True
                    j += 1
                i = j
            i += 1

    # Numbers that bound a part-select range ([a:b], [a +: w]) only change widths: not tweaked.
    in_range = [False] * len(toks)
    for i, t in enumerate(toks):
        if t.text == "[":
            j, depth, has_colon = i + 1, 0, False
            while j < len(toks):
                x = toks[j].text
                if x in ("[", "(", "{"):
                    depth += 1
                elif x in ("]", ")", "}"):
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and x in (":", "+:", "-:"):
                    has_colon = True
                j += 1
            if has_colon:
                for k in range(i + 1, j):
                    in_range[k] = True

    for i, t in enumerate(toks):
        if skip[i]:
            continue
        prev = toks[i - 1].text if i else ""
        nxt = toks[i + 1].text if i + 1 < len(toks) else ""
        if t.kind == "op" and t.text in SWAPS:
            # Skip non-operators: '<=' as a nonblocking assignment, '-' in '-:', unary use.
            if t.text == "<=" and is_nonblocking(toks, i):
                pass
            elif t.text in ("&", "|", "^", "-", "+") and (prev in ("(", "=", ",", "?", ":", "&&", "||", "!", "[", "{", "<=") or prev == ""):
                pass  # unary reduction / sign
            else:
                for new in SWAPS[t.text]:
                    add("op", t.pos, t.pos + len(t.text), new, t.line)
        if t.kind == "op" and t.text in ("!", "~") and nxt not in ("=",):
            add("negation-drop", t.pos, t.pos + 1, "", t.line)
        if t.kind == "number" and nxt != "'" and not in_range[i]:  # not a cast or range width
            for new in number_variants(t.text):
                add("const", t.pos, t.pos + len(t.text), new, t.line)
        if t.kind == "ident" and t.text == "if" and nxt == "(":
            close = operand_end(toks, i + 1, +1)
            if close < len(toks) and toks[close].text == ")":
                a, b = toks[i + 2].pos, toks[close].pos
                add("cond-negate", a, b, "!(" + src[a:b] + ")", t.line)
        if t.kind == "op" and t.text in ("&&", "||"):
            # Drop the right term (with its operator) and, separately, the left one.
            r = operand_end(toks, i, +1)
            if r < len(toks):
                add("term-drop", t.pos, toks[r - 1].pos + len(toks[r - 1].text), "", t.line)
            left = operand_end(toks, i, -1)
            if left >= 0 and left + 1 < i:
                add("term-drop", toks[left + 1].pos, toks[i + 1].pos if i + 1 < len(toks) else t.pos + 2,
                    "", t.line)
        if t.kind == "op" and t.text == "?":
            # Ternary: the condition stuck at 0 and at 1.
            left = operand_end(toks, i, -1, {"?", ":", ";", ",", "=", "<=", "assign"})
            if 0 <= left + 1 < i:
                a, b = toks[left + 1].pos, toks[i - 1].pos + len(toks[i - 1].text)
                add("cond-stuck", a, b, "1'b0", t.line)
                add("cond-stuck", a, b, "1'b1", t.line)
        if t.kind == "op" and t.text == "<=":
            # Drop a register update: 'x <= e;' becomes ';'.
            s0 = lvalue_start(toks, i)
            e = i
            while e < len(toks) and toks[e].text != ";":
                e += 1
            if s0 is not None and e < len(toks):
                add("stmt-drop", toks[s0].pos, toks[e].pos, "", toks[s0].line)
    return out


def is_nonblocking(toks, i):
    return lvalue_start(toks, i) is not None


def rtl_files(rtl):
    fl = os.path.join(rtl, "sl_files.f")
    try:
        lines = open(fl, encoding="utf-8").read().split("\n")
    except OSError as e:
        sys.exit("rtl_mutate: %s: cannot read the RTL file list (%s)" % (fl, e.strerror))
    return [ln.strip() for ln in lines if re.fullmatch(r"[a-z_0-9]+\.sv", ln.strip())]


def all_mutants(rtl):
    muts = []
    for f in rtl_files(rtl):
        muts.extend(mutants_of_file(os.path.join(rtl, f), f))
    # Drop duplicates (same file, span and replacement) and number them.
    seen, uniq = set(), []
    for m in muts:
        key = (m["file"], m["start"], m["end"], m["new"])
        if key not in seen:
            seen.add(key)
            uniq.append(m)
    for n, m in enumerate(uniq):
        m["id"] = n
    return uniq


def describe(m, rtl):
    src = open(os.path.join(rtl, m["file"]), encoding="utf-8").read()
    ls = src.rfind("\n", 0, m["start"]) + 1
    le = src.find("\n", m["end"])
    le = len(src) if le < 0 else le
    old_line = src[ls:le].strip()
    new_line = (src[ls:m["start"]] + m["new"] + src[m["end"]:le]).strip()
    return old_line, new_line


# ---------------------------------------------------------------------------------------------
# Running mutants
# ---------------------------------------------------------------------------------------------
def run(cmd, log, timeout=None, cwd=None, env=None):
    """Run cmd with output to log; returns (exit code or None on timeout, seconds)."""
    t0 = time.time()
    with open(log, "ab") as lf:
        lf.write(("$ " + " ".join(cmd) + "\n").encode())
        lf.flush()
        p = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                             start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            rc = None
    return rc, time.time() - t0


def lint_cmds(rtl_dir, files):
    srcs = [os.path.join(rtl_dir, f) for f in files]
    vlt = os.path.join(rtl_dir, "sl_lint.vlt")
    base = ["verilator", "--lint-only", "-Wall", "--top-module", "sl_top"]
    small = ["-GInputAw=4", "-GNeuronAw=6", "-GSrcAw=7", "-GDepthAw=4", "-GRowCapAw=4",
             "-GSynAw=11", "-GReadoutAw=4", "-GPopAw=2"]
    return [base + [vlt] + srcs, base + small + [vlt] + srcs]


class Runner:
    def __init__(self, a, src_dir, rtl, files):
        self.a, self.rtl, self.files = a, rtl, files
        self.work = os.path.abspath(a.work)
        self.mrtl = os.path.join(self.work, "rtl")
        self.mbuild = os.path.join(self.work, "build")
        self.logs = os.path.join(self.work, "logs")
        self.src_dir = src_dir
        self.spikeline = os.path.join(os.path.abspath(a.build), "cli", "spikeline")
        self.cosim = os.path.join(self.mbuild, "sim", "sl_cosim")
        for d in (self.work, self.logs):
            os.makedirs(d, exist_ok=True)
        if not os.access(self.spikeline, os.X_OK):
            sys.exit("rtl_mutate: %s: no spikeline binary (build the tree given by --build first)"
                     % self.spikeline)
        self.env = dict(os.environ)
        self.env.setdefault("CCACHE_DIR", os.path.expanduser("~/.ccache"))

    def fresh_rtl(self):
        if os.path.isdir(self.mrtl):
            shutil.rmtree(self.mrtl)
        # New modification times (copyfile, not copy2): make must see every copy as changed.
        shutil.copytree(self.rtl, self.mrtl, ignore=shutil.ignore_patterns("fpga"),
                        copy_function=shutil.copyfile)

    def configure(self):
        """The private build tree: this project's CMake over the RTL copy, SystemC off."""
        self.fresh_rtl()
        log = os.path.join(self.logs, "configure.log")
        launcher = []
        if shutil.which("ccache"):
            launcher = ["-DCMAKE_C_COMPILER_LAUNCHER=ccache", "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"]
        rc, _ = run(["cmake", "-S", self.src_dir, "-B", self.mbuild, "-DSL_SYSTEMC=OFF",
                     "-DSL_RTL_DIR=" + self.mrtl, "-DCMAKE_BUILD_TYPE=Release",
                     # -O1: a mutant's model compiles about twice as fast; the cases are short.
                     "-DCMAKE_CXX_FLAGS_RELEASE=-O1", "-DCMAKE_C_FLAGS_RELEASE=-O1"] + launcher, log,
                    env=self.env)
        if rc != 0:
            sys.exit("rtl_mutate: configuring %s failed, see %s" % (self.mbuild, log))

    def build(self, log):
        return run(["cmake", "--build", self.mbuild, "--target", "sl_cosim", "-j", str(self.a.jobs)],
                   log, env=self.env)

    def regress(self, log, golden, start, n, case_timeout):
        wd = os.path.join(self.work, "regress")
        shutil.rmtree(wd, ignore_errors=True)
        cmd = [self.spikeline, "regress", "--cosim", self.cosim, "--workdir", wd, "--jobs",
               str(self.a.jobs), "--timeout", str(case_timeout), "--seeds", str(n), "--start", str(start)]
        if not golden:
            cmd.append("--no-golden")
        if self.a.state:
            cmd.append("--state")
        # Fail fast: stop the whole regression at its first failing case.
        t0 = time.time()
        with open(log, "ab") as lf:
            lf.write(("$ " + " ".join(cmd) + "\n").encode())
            lf.flush()
            off = lf.tell()
            p = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT, env=self.env,
                                 start_new_session=True)
            while p.poll() is None:
                time.sleep(0.25)
                with open(log, encoding="utf-8", errors="replace") as f:
                    f.seek(off)
                    if "regress: FAIL" in f.read():
                        os.killpg(p.pid, signal.SIGKILL)
                        p.wait()
                        break
            rc = p.wait()
        secs = time.time() - t0
        with open(log, encoding="utf-8", errors="replace") as f:
            f.seek(off)
            tail = f.read()
        fail = re.search(r"regress: FAIL (\S+): (.*)", tail)
        if fail:
            detail = fail.group(1) + ": " + fail.group(2)[:160]
            sig = re.search(r"killed by signal (\d+)", fail.group(2))
            # regress SIGKILLs a case past its time limit; other signals (the model's own
            # $fatal or assertion aborts) and error exits are crashes: all count as killed.
            if sig:
                return ("timeout" if sig.group(1) == "9" else "crash"), secs, detail
            if fail.group(2).startswith("error"):
                return "crash", secs, detail
            return "killed", secs, detail
        m = re.search(r"(\d+) passed, 0 mismatched, 0 errors", tail)
        if rc == 0 and m:
            return "pass", secs, ""
        return "error", secs, tail.strip().split("\n")[-1][:200]

    def chunks(self):
        """(golden, first seed, count): golden + 2 seeds, then growing chunks up to --seeds."""
        out, s, size, total = [(True, 1, min(2, self.a.seeds))], 3, 8, self.a.seeds
        while s <= total:
            n = min(size, total - s + 1)
            out.append((False, s, n))
            s += n
            size *= 3
        return out

    def baseline(self):
        log = os.path.join(self.logs, "baseline.log")
        open(log, "w").close()
        for cmd in lint_cmds(self.mrtl, self.files):
            rc, _ = run(cmd, log)
            if rc != 0:
                sys.exit("rtl_mutate: the unmutated RTL does not lint clean, see %s" % log)
        rc, bsecs = self.build(log)
        if rc != 0:
            sys.exit("rtl_mutate: the unmutated RTL does not build, see %s" % log)
        t0, per_chunk = time.time(), []
        for golden, s, n in self.chunks():
            res, secs, detail = self.regress(log, golden, s, n, 600)
            if res != "pass":
                sys.exit("rtl_mutate: the unmutated RTL fails the regression (%s %s), see %s"
                         % (res, detail, log))
            per_chunk.append(secs)
        return bsecs, time.time() - t0, per_chunk

    def apply(self, m):
        src = open(os.path.join(self.rtl, m["file"]), encoding="utf-8").read()
        text = src[:m["start"]] + m["new"] + src[m["end"]:]
        with open(os.path.join(self.mrtl, m["file"]), "w", encoding="utf-8") as f:
            f.write(text)

    def restore(self, m):
        shutil.copyfile(os.path.join(self.rtl, m["file"]), os.path.join(self.mrtl, m["file"]))

    def run_mutant(self, m, chunk_secs):
        log = os.path.join(self.logs, "m%04d.log" % m["id"])
        open(log, "w").close()
        self.apply(m)
        t0 = time.time()
        try:
            for cmd in lint_cmds(self.mrtl, self.files):
                rc, _ = run(cmd, log, timeout=300)
                if rc != 0:
                    return {"result": "lint", "secs": time.time() - t0, "detail": ""}
            rc, _ = self.build(log)
            if rc != 0:
                return {"result": "build", "secs": time.time() - t0, "detail": ""}
            for k, (golden, s, n) in enumerate(self.chunks()):
                # Per-case limit: generous against the unmutated run, so only hangs hit it.
                lim = max(20, int(self.a.timeout_factor * chunk_secs[k] + 10))
                res, _, detail = self.regress(log, golden, s, n, lim)
                if res != "pass":
                    return {"result": res, "secs": time.time() - t0, "detail": detail,
                            "chunk": "golden+1..2" if golden else "%d..%d" % (s, s + n - 1)}
            if self.a.directed:
                # Survivors of the regression go through the directed tests too.
                rc, _ = run(["cmake", "--build", self.mbuild, "--target"] + self.a.directed.split(",") +
                            ["-j", str(self.a.jobs)], log, env=self.env)
                if rc != 0:
                    return {"result": "build", "secs": time.time() - t0, "detail": "directed tests"}
                regex = "^(" + "|".join(self.a.directed.split(",")) + ")$"
                rc, _ = run(["ctest", "--test-dir", self.mbuild, "-R", regex, "--output-on-failure"], log,
                            timeout=900, env=self.env)
                if rc != 0:
                    return {"result": "killed", "secs": time.time() - t0, "detail": "directed: " + self.a.directed,
                            "chunk": "directed"}
            return {"result": "survived", "secs": time.time() - t0, "detail": ""}
        finally:
            self.restore(m)


def pick(muts, a):
    if a.only:
        ids = {int(x) for x in a.only.split(",") if x.strip()}
        return [m for m in muts if m["id"] in ids]
    if a.all or a.sample >= len(muts):
        return list(muts)
    rng = random.Random(a.seed)
    return sorted(rng.sample(muts, a.sample), key=lambda m: m["id"])


def report(results, muts_total, a, rtl, meta, out):
    cnt = {}
    for r in results:
        cnt[r["result"]] = cnt.get(r["result"], 0) + 1
    killed = cnt.get("killed", 0) + cnt.get("timeout", 0) + cnt.get("crash", 0)
    survived = cnt.get("survived", 0)
    lines = []
    P = lines.append
    P("rtl_mutate: %d mutants in %s (%d generated), %s" % (len(results), rtl, muts_total,
      "all" if a.all else ("ids " + a.only if a.only else "sample of %d, seed %d" % (a.sample, a.seed))))
    P("  regression: golden cases + seeds 1..%d, stop at the first failing case%s%s" %
      (a.seeds, ", --state" if a.state else "",
       "; then on survivors: " + a.directed if a.directed else ""))
    P("  baseline: build %.0f s, full regression %.0f s; mutants took %.0f s (%.0f s each on average)" %
      (meta["build_secs"], meta["regress_secs"], meta["secs"], meta["secs"] / max(1, len(results))))
    directed = sum(1 for r in results if r.get("chunk") == "directed")
    P("  killed %d (mismatch %d, directed tests %d, timeout %d, crash %d), survived %d, excluded: lint %d, build %d" %
      (killed, cnt.get("killed", 0) - directed, directed, cnt.get("timeout", 0), cnt.get("crash", 0), survived,
       cnt.get("lint", 0), cnt.get("build", 0)))
    if killed + survived:
        P("  kill rate %.1f %% (%d / %d)" % (100.0 * killed / (killed + survived), killed, killed + survived))
    surv = [r for r in results if r["result"] == "survived"]
    if surv:
        P("survivors (equivalent-suspected or unchecked), by kind:")
        kinds = sorted({r["kind"] for r in surv})
        for k in kinds:
            P("  [%s]" % k)
            for r in surv:
                if r["kind"] == k:
                    P("    #%d %s:%d  %s" % (r["id"], r["file"], r["line"], r["old_line"]))
                    P("    %s  -> %s" % (" " * len("#%d %s:%d" % (r["id"], r["file"], r["line"])), r["new_line"]))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if out:
        with open(out + ".txt", "w", encoding="utf-8") as f:
            f.write(text)
        with open(out + ".json", "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "results": results}, f, indent=1)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src_dir = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(src_dir, "build"),
                    help="built tree whose cli/spikeline runs the regression (default: build/)")
    ap.add_argument("--rtl", default=os.path.join(src_dir, "rtl"), help="RTL directory to mutate")
    ap.add_argument("--work", help="scratch directory (default: <build>/mutate)")
    ap.add_argument("--sample", type=int, default=100,
                    help="mutants to run (default 100: about 30 min on 2 shared cores)")
    ap.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    ap.add_argument("--all", action="store_true", help="run every mutant")
    ap.add_argument("--only", help="comma-separated mutant ids")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--seeds", type=int, default=200, help="random regression cases (default 200, as CI)")
    ap.add_argument("--state", action="store_true", help="pass --state to the regression")
    ap.add_argument("--directed", metavar="TESTS",
                    help="comma-separated ctest names (e.g. test_rtl_bus) run on regression survivors")
    ap.add_argument("--jobs", type=int, default=2, help="build and regression jobs (default 2)")
    ap.add_argument("--timeout-factor", type=float, default=5.0,
                    help="per-case time limit as a multiple of the unmutated chunk time (default 5)")
    ap.add_argument("--out", help="write the report to OUT.txt and OUT.json")
    a = ap.parse_args()
    rtl = os.path.abspath(a.rtl)
    src_dir = os.path.abspath(src_dir)
    files = rtl_files(rtl)
    muts = all_mutants(rtl)
    if a.list:
        for m in muts:
            old, new = describe(m, rtl)
            print("#%d %s:%d [%s] %s  ->  %s" % (m["id"], m["file"], m["line"], m["kind"], old, new))
        print("rtl_mutate: %d mutants" % len(muts), file=sys.stderr)
        return 0
    if not a.work:
        a.work = os.path.join(a.build, "mutate")
    chosen = pick(muts, a)
    if not chosen:
        sys.exit("rtl_mutate: no mutant selected")
    r = Runner(a, src_dir, rtl, files)
    r.configure()
    t_start = time.time()
    bsecs, rsecs, per_chunk = r.baseline()
    print("rtl_mutate: baseline build %.0f s, regression %.0f s (%s); running %d of %d mutants"
          % (bsecs, rsecs, " + ".join("%.0f" % s for s in per_chunk), len(chosen), len(muts)),
          file=sys.stderr, flush=True)
    results, t0 = [], time.time()
    for k, m in enumerate(chosen):
        res = r.run_mutant(m, per_chunk)
        old, new = describe(m, rtl)
        res.update({"id": m["id"], "file": m["file"], "line": m["line"], "kind": m["kind"],
                    "old_line": old, "new_line": new})
        results.append(res)
        if a.out:  # results so far, in case the run is stopped
            with open(a.out + ".partial.json", "w", encoding="utf-8") as f:
                json.dump(results, f, indent=1)
        print("rtl_mutate: [%d/%d] #%d %s:%d %s: %s (%.0f s) %s" %
              (k + 1, len(chosen), m["id"], m["file"], m["line"], m["kind"], res["result"],
               res["secs"], res.get("detail", "")), file=sys.stderr, flush=True)
    meta = {"build_secs": bsecs, "regress_secs": rsecs, "chunk_secs": per_chunk,
            "secs": time.time() - t0, "total_secs": time.time() - t_start, "generated": len(muts),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    report(results, len(muts), a, rtl, meta, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
