/* cmd_regress.c — `spikeline regress`: differential cosimulation regression. Runs the golden
 * cases and N random cases (sl_gen) through the Verilated RTL (sl_cosim, lockstep against the
 * C model at every step: spikes, state, counters, bus rules) in parallel worker processes,
 * compares the RTL's own trace file with the C model's byte for byte, shows a progress line,
 * writes JUnit XML and a summary, and exits non-zero on any mismatch or error. sl_cosim's
 * exit status tells a mismatch (1) from an error (anything else): only the first counts as
 * the core being caught. One Verilated binary serves every case. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sl_atomic.h"
#include "sl_cli.h"
#include "sl_gen.h"
#include "sl_image.h"
#include "sl_netdesc.h"
#include "sl_regress.h"
#include "sl_trace.h"

#ifndef SL_COSIM_PATH
#define SL_COSIM_PATH ""
#endif

typedef struct {
  sl_rg_case r;           /* name, time, state (0 pending, 1 running, 2 pass, 3 mismatch, 4 error), message */
  int golden;             /* 1: examples/tiny, 2: seednet profile, 0: random */
  unsigned long long seed;
  pid_t pid;
  double t0;
} rcase;

typedef struct {
  const char *cosim, *workdir, *junit, *examples, *plusarg;
  int jobs, keep, state, expect_mismatch;
  unsigned timeout;
  int zero_init; /* --zero-init: no random power-up values */
} ropts;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void help(void) {
  puts("usage: spikeline regress [--seeds N] [--start S] [--jobs J] [--junit FILE] [options]\n"
       "       spikeline regress --shard K/N --junit shard-K.xml --summary shard-K.txt [options]\n"
       "       spikeline regress --merge OUT.xml SUMMARY...\n"
       "\n"
       "Runs the golden cases and N random legal networks (seeds S .. S+N-1, see `spikeline gen`)\n"
       "through the RTL core (Verilator, sl_cosim) and the C model in lockstep, and compares the\n"
       "trace files byte for byte. Exits 1 on any mismatch; failing cases keep their directory\n"
       "(model, events, both traces, log, FST waveform) under --workdir.\n"
       "  --seeds N          random cases (default 100)\n"
       "  --start S          first seed (default 1)\n"
       "  --jobs J           parallel workers (default: number of CPUs)\n"
       "  --no-golden        skip the golden cases\n"
       "  --state            compare membranes, rings and scores at every step (the default)\n"
       "  --no-state         compare spikes and final scores only in random cases (golden cases\n"
       "                     still compare state)\n"
       "  --plusarg +ARG     pass +ARG to the RTL of every case (e.g. +sl_bug=N for a build\n"
       "                     with BugMode 99, docs/rtl.md)\n"
       "  --zero-init        power every register up at 0 (default: random power-up values,\n"
       "                     different in every case and repeatable: +verilator+rand+reset+2\n"
       "                     +verilator+seed+K; a register the reset misses then shows)\n"
       "  --cosim PATH       the Verilated harness (default: the one built with this CLI)\n"
       "  --workdir DIR      case directories (default regress-work)\n"
       "  --junit FILE       write JUnit XML\n"
       "  --examples DIR     where tiny.sln/.sle live (default: the source tree's examples/)\n"
       "  --timeout SEC      per case (default 600)\n"
       "  --keep             keep passing cases' directories too\n"
       "  --expect-mismatch  succeed only if some case shows an RTL/C-model mismatch and no case\n"
       "                     had an error (proves that a deliberately wrong core is caught)\n"
       "  --case NAME        run only the case NAME of the list (golden-tiny, golden-seednet-1,\n"
       "                     golden-seednet-2, seed-S): how a failing golden case is rerun\n"
       "\n"
       "Sharding (docs/rtl.md): the case list (golden cases, then seeds S .. S+N-1) is cut into N\n"
       "contiguous blocks differing in size by at most one; each case is in exactly one shard.\n"
       "  --shard K/N        run only block K of N (1 <= K <= N); an empty block passes\n"
       "  --summary FILE     write the shard summary (key = value lines: the run's parameters,\n"
       "                     counts, first failure and the command rerunning it), needs --junit;\n"
       "                     written when the shard starts (finished = no) and again at its end\n"
       "  --merge OUT.xml SUMMARY...\n"
       "                     check the summaries are the N shards of one run, each present and\n"
       "                     finished, with readable JUnit files; write OUT.xml (the whole run's\n"
       "                     cases, in run order) and a summary on stdout. Exit 0 all passed,\n"
       "                     1 mismatches or case errors, 2 a shard missing, unfinished, unreadable\n"
       "                     or of another run (then OUT.xml is not written)\n"
       "\n"
       "Kinds of random case (see `spikeline gen`): plain, saturate (ring slots and membranes at\n"
       "both 24-bit bounds) and dense (most neurons spiking every step; always run with stream\n"
       "jitter and long output stalls).");
}

/* Child: write the case, the C model's trace, then become sl_cosim. */
/* Cases that rewrite entries at run time (over the bus and in the lockstep C model) differ
 * from a plain `spikeline run` trace by design; the lockstep comparison judges them. */
static int rewires(const rcase *c) { return !c->golden && c->seed % 5 == 0; }

static void run_child(const rcase *c, const ropts *o, const char *dir) {
  char p_net[700], p_ev[700], p_ref[700], p_rtl[700], p_log[700], p_fst[700];
  snprintf(p_net, sizeof p_net, "%s/net.slm", dir);
  snprintf(p_ev, sizeof p_ev, "%s/events.sle", dir);
  snprintf(p_ref, sizeof p_ref, "%s/cmodel.slt", dir);
  snprintf(p_rtl, sizeof p_rtl, "%s/rtl.slt", dir);
  snprintf(p_log, sizeof p_log, "%s/log.txt", dir);
  snprintf(p_fst, sizeof p_fst, "%s/fail.fst", dir);
  int fd = open(p_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) _exit(4);
  dup2(fd, 1);
  dup2(fd, 2);
  close(fd);
  sl_core *core = sl_core_new();
  sl_names nm;
  sl_eventset es = {0};
  sl_err err;
  memset(&nm, 0, sizeof nm);
  if (!core) _exit(4);
  sl_status s;
  if (c->golden == 1) {
    char a[700], b[700];
    snprintf(a, sizeof a, "%s/tiny.sln", o->examples);
    snprintf(b, sizeof b, "%s/tiny.sle", o->examples);
    s = sl_netdesc_load(a, &core->net, &nm, &err);
    if (!s) s = sl_events_load(b, &es, &err);
  } else {
    sl_gen_limits lim = sl_gen_limits_default();
    s = sl_gen_case(c->seed, c->golden == 2 ? SL_GEN_SEEDNET : SL_GEN_RANDOM, &lim, &core->net, &nm, &es, &err);
  }
  if (!s) s = sl_image_save(p_net, &core->net, &nm, &err);
  if (!s) s = sl_events_save(p_ev, &es, &err);
  if (s) {
    fprintf(stderr, "regress: %s: %s\n", c->r.name, err.msg);
    _exit(4);
  }
  FILE *f = fopen(p_ref, "w");
  if (!f) _exit(4);
  sl_core_configure(core);
  sl_trace_write_header(f, core->net.n_neurons, core->n_readouts, es.steps);
  for (uint32_t i = 0; i < es.n_samples; i++) sl_run_sample(core, &es, i, f, NULL, NULL);
  if (fclose(f)) _exit(4);
  /* Vary the harness per case: both load paths, stream back-pressure, load verification. */
  const char *argv[24];
  char jit[32], pseed[48];
  int k = 0;
  argv[k++] = o->cosim;
  argv[k++] = p_net;
  argv[k++] = p_ev;
  argv[k++] = "-o";
  argv[k++] = p_rtl;
  argv[k++] = "--fst-on-fail";
  argv[k++] = o->expect_mismatch ? "none" : p_fst; /* an expected mismatch needs no waveform */
  argv[k++] = "--load";
  argv[k++] = (c->seed % 2) ? "preload" : "bus";
  const int dense = !c->golden && sl_gen_case_kind(c->seed, SL_GEN_RANDOM) == SL_GEN_KIND_DENSE;
  const int with_state = c->golden || o->state >= 0; /* default: every case (costs ~nothing) */
  if (!with_state) argv[k++] = "--no-state";
  if (c->seed % 3 == 0 || dense) {
    snprintf(jit, sizeof jit, "%llu", c->seed);
    argv[k++] = "--jitter";
    argv[k++] = jit;
  }
  if (c->seed % 7 == 0) argv[k++] = "--verify-load";
  if (rewires(c)) {
    argv[k++] = "--rewire";
    argv[k++] = "3";
  }
  if (o->plusarg) argv[k++] = o->plusarg;
  if (!o->zero_init) {
    /* Random power-up values (the harness is Verilated with --x-initial unique): a register
     * that reset leaves alone starts with garbage, as in silicon. The seed follows the case,
     * so a failure repeats; golden cases get seeds no random case uses. */
    argv[k++] = "+verilator+rand+reset+2";
    const unsigned long long ps = c->golden ? 2000000000ull + 10ull * (unsigned)c->golden + c->seed
                                            : 1 + c->seed % 1999999999ull;
    snprintf(pseed, sizeof pseed, "+verilator+seed+%llu", ps);
    argv[k++] = pseed;
  }
  argv[k] = NULL;
  fflush(stdout);
  execv(o->cosim, (char *const *)argv);
  fprintf(stderr, "regress: cannot run %s: %s\n", o->cosim, strerror(errno));
  _exit(4);
}

static int files_equal(const char *a, const char *b) {
  FILE *f = fopen(a, "rb"), *g = fopen(b, "rb");
  int eq = f && g;
  while (eq) {
    int x = fgetc(f), y = fgetc(g);
    if (x != y) eq = 0;
    if (x == EOF || y == EOF) break;
  }
  if (f) fclose(f);
  if (g) fclose(g);
  return eq;
}

static void first_line_with(const char *path, const char *needle, char *out, size_t len) {
  FILE *f = fopen(path, "r");
  char line[1024];
  out[0] = '\0';
  if (!f) return;
  while (fgets(line, sizeof line, f)) {
    if (strstr(line, needle)) {
      size_t m = strcspn(line, "\n");
      if (m >= len) m = len - 1;
      memcpy(out, line, m);
      out[m] = '\0';
      break;
    }
  }
  fclose(f);
}

static void rm_case(const char *dir) {
  static const char *files[] = {"net.slm", "events.sle", "cmodel.slt", "rtl.slt", "log.txt", "fail.fst"};
  char p[700];
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, files[i]);
    unlink(p);
  }
  rmdir(dir);
}

/* A path as an absolute one (the merge and the reproduction commands may run elsewhere);
 * -1 when it does not fit. */
static int absolute(const char *path, char *buf, size_t len) {
  char cwd[1024];
  while (path[0] == '.' && path[1] == '/') path += 2;
  int n;
  if (path[0] == '/' || !getcwd(cwd, sizeof cwd)) n = snprintf(buf, len, "%s", path);
  else n = snprintf(buf, len, "%s/%s", cwd, path);
  return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int write_junit(const char *path, const rcase *cs, size_t n, size_t failed, size_t errors, double wall) {
  sl_afile a;
  sl_err err;
  if (sl_afile_open(&a, path, &err)) {
    sl_cli_error("regress", "%s", err.msg);
    return -1;
  }
  sl_rg_junit_begin(a.f, n, failed, errors, wall);
  for (size_t i = 0; i < n; i++) sl_rg_junit_case(a.f, &cs[i].r);
  sl_rg_junit_end(a.f);
  if (sl_afile_commit(&a, &err)) {
    sl_cli_error("regress", "%s", err.msg);
    return -1;
  }
  return 0;
}

int sl_cmd_regress(int argc, char **argv) {
  static const struct option lopts[] = {
      {"seeds", required_argument, 0, 'n'}, {"start", required_argument, 0, 's'}, {"jobs", required_argument, 0, 'j'},
      {"junit", required_argument, 0, 'x'}, {"cosim", required_argument, 0, 'c'}, {"workdir", required_argument, 0, 'w'},
      {"examples", required_argument, 0, 'e'}, {"timeout", required_argument, 0, 't'}, {"no-golden", no_argument, 0, 'G'},
      {"state", no_argument, 0, 'S'}, {"keep", no_argument, 0, 'k'}, {"expect-mismatch", no_argument, 0, 'M'},
      {"no-state", no_argument, 0, 'N'}, {"plusarg", required_argument, 0, 'p'},
      {"zero-init", no_argument, 0, 'Z'}, {"shard", required_argument, 0, 'H'}, {"summary", required_argument, 0, 'Y'},
      {"merge", required_argument, 0, 'm'}, {"case", required_argument, 0, 'C'},
      {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  ropts o = {SL_COSIM_PATH, "regress-work", NULL, SL_EXAMPLES_DIR, NULL, 0, 0, 0, 0, 600, 0};
  unsigned long long nseeds = 100, start = 1, shard_k = 1, shard_n = 1;
  const char *summary = NULL, *merge_out = NULL, *only = NULL, *shard_text = NULL;
  int golden = 1, opt, run_opts = 0;
  optind = 1;
  long long v;
  while ((opt = getopt_long(argc, argv, "n:s:j:h", lopts, NULL)) != -1) {
    if (opt != 'm' && opt != 'h') run_opts++;
    switch (opt) {
      case 'n':
        if (sl_cli_int("regress", "--seeds", optarg, 0, 100000000, &v)) return 2;
        nseeds = (unsigned long long)v;
        break;
      case 's':
        if (sl_cli_int("regress", "--start", optarg, 0, 1LL << 53, &v)) return 2;
        start = (unsigned long long)v;
        break;
      case 'j':
        if (sl_cli_int("regress", "--jobs", optarg, 1, 256, &v)) return 2;
        o.jobs = (int)v;
        break;
      case 'x': o.junit = optarg; break;
      case 'c': o.cosim = optarg; break;
      case 'w': o.workdir = optarg; break;
      case 'e': o.examples = optarg; break;
      case 't':
        if (sl_cli_int("regress", "--timeout", optarg, 1, 86400, &v)) return 2;
        o.timeout = (unsigned)v;
        break;
      case 'G': golden = 0; break;
      case 'S': o.state = 1; break;
      case 'N': o.state = -1; break;
      case 'p':
        if (optarg[0] != '+' || strlen(optarg) >= sizeof ((sl_rg_params *)0)->plusarg || strpbrk(optarg, "\n\r")) {
          sl_cli_error("regress", "--plusarg takes +NAME=VALUE (one line, under 256 characters), not '%s'", optarg);
          return 2;
        }
        o.plusarg = optarg;
        break;
      case 'Z': o.zero_init = 1; break;
      case 'k': o.keep = 1; break;
      case 'M': o.expect_mismatch = 1; break;
      case 'H': {
        char why[128];
        if (sl_rg_parse_shard(optarg, &shard_k, &shard_n, why, sizeof why)) {
          sl_cli_error("regress", "--shard '%s': %s", optarg, why);
          return 2;
        }
        shard_text = optarg;
        break;
      }
      case 'Y': summary = optarg; break;
      case 'm': merge_out = optarg; break;
      case 'C': only = optarg; break;
      case 'h': help(); return 0;
      default: return 2;
    }
  }
  if (merge_out) {
    if (run_opts) {
      sl_cli_error("regress", "--merge takes only shard summaries (the run's options are in them)");
      return 2;
    }
    return sl_rg_merge(merge_out, argv + optind, argc - optind);
  }
  if (optind != argc) {
    sl_cli_error("regress", "unexpected argument '%s' (see --help)", argv[optind]);
    return 2;
  }
  if (summary && !o.junit) {
    sl_cli_error("regress", "--summary needs --junit FILE (the merge reads the cases from it)");
    return 2;
  }
  if (only && (shard_text || summary)) {
    sl_cli_error("regress", "--case reruns one case: it takes no --shard or --summary");
    return 2;
  }
  if (!o.cosim[0] || access(o.cosim, X_OK)) {
    sl_cli_error("regress", "no RTL harness at '%s' (build with -DSL_RTL=ON or pass --cosim PATH)", o.cosim);
    return 2;
  }
  /* The run's parameters: what the summary records and the reproduction commands repeat. */
  sl_rg_params p;
  memset(&p, 0, sizeof p);
  p.seeds = nseeds, p.start = start, p.golden = golden, p.state = o.state >= 0, p.zero_init = o.zero_init;
  if (o.plusarg) snprintf(p.plusarg, sizeof p.plusarg, "%s", o.plusarg);
  if (absolute(o.cosim, p.cosim, sizeof p.cosim) || absolute(o.examples, p.examples, sizeof p.examples)) {
    sl_cli_error("regress", "%s or %s: path too long", o.cosim, o.examples);
    return 2;
  }
  o.cosim = p.cosim;
  const unsigned long long ng = golden ? SL_RG_GOLDEN : 0, run_total = sl_rg_total(&p);
  unsigned long long lo = 0, hi = run_total;
  if (only) {
    const long long i = sl_rg_case_index(&p, only);
    if (i < 0) {
      char first[64] = "", last[64] = "";
      if (run_total) sl_rg_case_name(&p, 0, first, sizeof first), sl_rg_case_name(&p, run_total - 1, last, sizeof last);
      sl_cli_error("regress", "--case '%s': not a case of this run (%s .. %s)", only, run_total ? first : "no cases",
                   last);
      return 2;
    }
    lo = (unsigned long long)i, hi = lo + 1;
  } else {
    sl_rg_shard_range(run_total, shard_k, shard_n, &lo, &hi);
  }
  if (o.jobs <= 0) o.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (o.jobs <= 0) o.jobs = 1;
  if (mkdir(o.workdir, 0755) && errno != EEXIST) {
    sl_cli_error("regress", "cannot create %s: %s", o.workdir, strerror(errno));
    return 2;
  }
  const size_t total = (size_t)(hi - lo);
  rcase *cs = calloc(total ? total : 1, sizeof *cs);
  if (!cs) return 1;
  for (size_t j = 0; j < total; j++) {
    const unsigned long long i = lo + j;
    rcase *c = &cs[j];
    sl_rg_case_name(&p, i, c->r.name, sizeof c->r.name);
    c->golden = i < ng ? (i == 0 ? 1 : 2) : 0;
    c->seed = i < ng ? i : start + (i - ng); /* golden-seednet-g: profile seed g */
  }
  /* The summary exists from the start and says "not finished" until the end: a shard that
   * is killed (a time limit, a lost node) leaves a summary the merge reports as failed. */
  sl_rg_summary *sm = summary ? calloc(1, sizeof *sm) : NULL;
  sl_err err;
  if (summary) {
    if (!sm) {
      free(cs);
      return 1;
    }
    sm->p = p, sm->k = shard_k, sm->n = shard_n, sm->cases = total;
    if (absolute(o.junit, sm->junit, sizeof sm->junit)) {
      sl_cli_error("regress", "%s: path too long", o.junit);
      free(sm), free(cs);
      return 2;
    }
    if (sl_rg_summary_write(summary, sm, &err)) {
      sl_cli_error("regress", "%s", err.msg);
      free(sm), free(cs);
      return 2;
    }
  }
  char shard_tag[64] = "";
  if (shard_text) snprintf(shard_tag, sizeof shard_tag, "shard %llu/%llu: ", shard_k, shard_n);
  if (!total)
    fprintf(stderr, "regress: %sno cases in this shard (the run has %llu cases in %llu shards): nothing to run\n",
            shard_tag, run_total, shard_n);
  const int tty = isatty(2);
  const double t_start = now();
  size_t next = 0, done = 0, failed = 0, errors = 0, running = 0, last_report = 0;
  while (done < total) {
    while (running < (size_t)o.jobs && next < total) {
      rcase *c = &cs[next++];
      char dir[600];
      snprintf(dir, sizeof dir, "%s/%s", o.workdir, c->r.name);
      mkdir(dir, 0755);
      fflush(NULL);
      pid_t pid = fork();
      if (pid == 0) run_child(c, &o, dir);
      if (pid < 0) {
        c->r.state = 4;
        snprintf(c->r.msg, sizeof c->r.msg, "fork: %s", strerror(errno));
        done++, errors++;
        continue;
      }
      c->pid = pid;
      c->t0 = now();
      c->r.state = 1;
      running++;
    }
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) {
      for (size_t i = 0; i < total; i++)
        if (cs[i].r.state == 1 && now() - cs[i].t0 > o.timeout) kill(cs[i].pid, SIGKILL);
      struct timespec nap = {0, 2000000};
      nanosleep(&nap, NULL);
      continue;
    }
    rcase *c = NULL;
    for (size_t i = 0; i < total && !c; i++)
      if (cs[i].r.state == 1 && cs[i].pid == pid) c = &cs[i];
    if (!c) continue;
    running--;
    done++;
    c->r.secs = now() - c->t0;
    char dir[600], a[700], b[700], lg[700];
    snprintf(dir, sizeof dir, "%s/%s", o.workdir, c->r.name);
    snprintf(a, sizeof a, "%s/cmodel.slt", dir);
    snprintf(b, sizeof b, "%s/rtl.slt", dir);
    snprintf(lg, sizeof lg, "%s/log.txt", dir);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0 && (rewires(c) || files_equal(a, b))) {
      c->r.state = 2;
      if (!o.keep) rm_case(dir);
    } else if (code == 0) {
      c->r.state = 3;
      snprintf(c->r.msg, sizeof c->r.msg, "trace files differ: %s", b);
    } else if (code == 1) { /* sl_cosim: the core differs from the C model */
      c->r.state = 3;
      first_line_with(lg, "MISMATCH", c->r.msg, sizeof c->r.msg);
      if (!c->r.msg[0]) snprintf(c->r.msg, sizeof c->r.msg, "sl_cosim reported a mismatch, see %s", lg);
    } else { /* 2 usage, 3 error (files, a model the core cannot hold), 4 our child, signals */
      c->r.state = 4;
      if (WIFSIGNALED(status))
        snprintf(c->r.msg, sizeof c->r.msg, "killed by signal %d (timeout %u s?), see %s", WTERMSIG(status), o.timeout, lg);
      else {
        first_line_with(lg, "sl_cosim", c->r.msg, sizeof c->r.msg);
        if (!c->r.msg[0]) first_line_with(lg, "regress", c->r.msg, sizeof c->r.msg);
        if (!c->r.msg[0]) snprintf(c->r.msg, sizeof c->r.msg, "error (exit %d), see %s", code, lg);
      }
    }
    if (c->r.state == 3) failed++;
    if (c->r.state == 4) errors++;
    const double el = now() - t_start, rate = (double)done / (el > 0 ? el : 1);
    if (tty || done - last_report >= (total + 9) / 10 || done == total) {
      fprintf(stderr, "%sregress: %zu/%zu done, %zu failed, %zu errors, %.1f cases/s, eta %.0f s%s", tty ? "\r" : "",
              done, total, failed, errors, rate, (double)(total - done) / rate, tty ? "   " : "\n");
      last_report = done;
    }
    if (c->r.state >= 3) fprintf(stderr, "%sregress: FAIL %s: %s\n", tty ? "\n" : "", c->r.name, c->r.msg);
  }
  if (tty) fputc('\n', stderr);
  const double wall = now() - t_start;
  int out_bad = 0;
  if (o.junit && write_junit(o.junit, cs, total, failed, errors, wall)) out_bad = 1;
  /* what ran: the golden cases and the seed range of this shard */
  const unsigned long long g_end = hi < ng ? hi : ng, s_lo = lo > ng ? lo : ng;
  char what[128];
  if (hi > s_lo)
    snprintf(what, sizeof what, "%llu golden, seeds %llu..%llu", g_end > lo ? g_end - lo : 0, start + (s_lo - ng),
             start + (hi - ng) - 1);
  else
    snprintf(what, sizeof what, "%llu golden, no seeds", g_end > lo ? g_end - lo : 0);
  fprintf(stderr, "regress: %s%zu case(s) (%s) in %.1f s with %d job(s): %zu passed, %zu mismatched, %zu errors\n",
          shard_tag, total, what, wall, o.jobs, total - failed - errors, failed, errors);
  size_t shown = 0;
  for (size_t i = 0; i < total && shown < 5; i++)
    if (cs[i].r.state >= 3) {
      char repro[4096];
      sl_rg_reproduce(&p, lo + i, repro, sizeof repro);
      fprintf(stderr, "  reproduce %s: %s\n    the harness alone: %s %s/%s/net.slm %s/%s/events.sle --state\n",
              cs[i].r.name, repro, o.cosim, o.workdir, cs[i].r.name, o.workdir, cs[i].r.name);
      shown++;
    }
  if (sm) {
    sm->finished = 1;
    sm->passed = total - failed - errors, sm->mismatches = failed, sm->errors = errors;
    sm->wall = wall;
    for (size_t i = 0; i < total; i++)
      if (cs[i].r.state >= 3) {
        snprintf(sm->first_failure, sizeof sm->first_failure, "%s", cs[i].r.name);
        snprintf(sm->first_message, sizeof sm->first_message, "%s", cs[i].r.msg);
        sl_rg_reproduce(&p, lo + i, sm->reproduce, sizeof sm->reproduce);
        break;
      }
    if (!out_bad && sl_rg_summary_write(summary, sm, &err)) {
      sl_cli_error("regress", "%s", err.msg);
      out_bad = 1;
    }
    free(sm);
  }
  free(cs);
  if (out_bad) return 2;
  if (!total) return 0; /* an empty shard passes */
  if (o.expect_mismatch) {
    if (errors || !failed) {
      fprintf(stderr, "regress: expected the RTL to mismatch the C model, but %s\n",
              errors ? "cases had errors" : "every case passed");
      return 1;
    }
    fprintf(stderr, "regress: the deliberately wrong core was caught (%zu mismatching case(s))\n", failed);
    return 0;
  }
  return (failed || errors) ? 1 : 0;
}
