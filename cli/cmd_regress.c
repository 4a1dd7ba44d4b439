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
#include "sl_cli.h"
#include "sl_gen.h"
#include "sl_image.h"
#include "sl_netdesc.h"
#include "sl_trace.h"

#ifndef SL_COSIM_PATH
#define SL_COSIM_PATH ""
#endif

typedef struct {
  char name[64];
  int golden;             /* 1: examples/tiny, 2: seednet profile, 0: random */
  unsigned long long seed;
  pid_t pid;
  double t0, secs;
  int state;              /* 0 pending, 1 running, 2 pass, 3 mismatch, 4 error */
  char msg[1200];
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
    fprintf(stderr, "regress: %s: %s\n", c->name, err.msg);
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

static void xml_escape(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else if (*s == '&') fputs("&amp;", f);
    else if (*s == '"') fputs("&quot;", f);
    else if ((unsigned char)*s >= 32) fputc(*s, f);
  }
}

int sl_cmd_regress(int argc, char **argv) {
  static const struct option lopts[] = {
      {"seeds", required_argument, 0, 'n'}, {"start", required_argument, 0, 's'}, {"jobs", required_argument, 0, 'j'},
      {"junit", required_argument, 0, 'x'}, {"cosim", required_argument, 0, 'c'}, {"workdir", required_argument, 0, 'w'},
      {"examples", required_argument, 0, 'e'}, {"timeout", required_argument, 0, 't'}, {"no-golden", no_argument, 0, 'G'},
      {"state", no_argument, 0, 'S'}, {"keep", no_argument, 0, 'k'}, {"expect-mismatch", no_argument, 0, 'M'},
      {"no-state", no_argument, 0, 'N'}, {"plusarg", required_argument, 0, 'p'},
      {"zero-init", no_argument, 0, 'Z'},
      {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  ropts o = {SL_COSIM_PATH, "regress-work", NULL, SL_EXAMPLES_DIR, NULL, 0, 0, 0, 0, 600, 0};
  unsigned long long nseeds = 100, start = 1;
  int golden = 1, opt;
  optind = 1;
  long long v;
  while ((opt = getopt_long(argc, argv, "n:s:j:h", lopts, NULL)) != -1) {
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
        if (optarg[0] != '+') {
          sl_cli_error("regress", "--plusarg takes +NAME=VALUE, not '%s'", optarg);
          return 2;
        }
        o.plusarg = optarg;
        break;
      case 'Z': o.zero_init = 1; break;
      case 'k': o.keep = 1; break;
      case 'M': o.expect_mismatch = 1; break;
      case 'h': help(); return 0;
      default: return 2;
    }
  }
  if (optind != argc) {
    sl_cli_error("regress", "unexpected argument '%s' (see --help)", argv[optind]);
    return 2;
  }
  if (!o.cosim[0] || access(o.cosim, X_OK)) {
    sl_cli_error("regress", "no RTL harness at '%s' (build with -DSL_RTL=ON or pass --cosim PATH)", o.cosim);
    return 2;
  }
  if (o.jobs <= 0) o.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (o.jobs <= 0) o.jobs = 1;
  if (mkdir(o.workdir, 0755) && errno != EEXIST) {
    sl_cli_error("regress", "cannot create %s: %s", o.workdir, strerror(errno));
    return 2;
  }
  const size_t ng = golden ? 3 : 0, total = ng + nseeds;
  rcase *cs = calloc(total ? total : 1, sizeof *cs);
  if (!cs) return 1;
  if (golden) {
    snprintf(cs[0].name, sizeof cs[0].name, "golden-tiny");
    cs[0].golden = 1;
    for (int g = 1; g <= 2; g++) {
      snprintf(cs[g].name, sizeof cs[g].name, "golden-seednet-%d", g);
      cs[g].golden = 2;
      cs[g].seed = (unsigned long long)g;
    }
  }
  for (size_t i = 0; i < nseeds; i++) {
    rcase *c = &cs[ng + i];
    c->seed = start + i;
    snprintf(c->name, sizeof c->name, "seed-%llu", c->seed);
  }
  const int tty = isatty(2);
  const double t_start = now();
  size_t next = 0, done = 0, failed = 0, errors = 0, running = 0, last_report = 0;
  while (done < total) {
    while (running < (size_t)o.jobs && next < total) {
      rcase *c = &cs[next++];
      char dir[600];
      snprintf(dir, sizeof dir, "%s/%s", o.workdir, c->name);
      mkdir(dir, 0755);
      fflush(NULL);
      pid_t pid = fork();
      if (pid == 0) run_child(c, &o, dir);
      if (pid < 0) {
        c->state = 4;
        snprintf(c->msg, sizeof c->msg, "fork: %s", strerror(errno));
        done++, errors++;
        continue;
      }
      c->pid = pid;
      c->t0 = now();
      c->state = 1;
      running++;
    }
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) {
      for (size_t i = 0; i < total; i++)
        if (cs[i].state == 1 && now() - cs[i].t0 > o.timeout) kill(cs[i].pid, SIGKILL);
      struct timespec nap = {0, 2000000};
      nanosleep(&nap, NULL);
      continue;
    }
    rcase *c = NULL;
    for (size_t i = 0; i < total && !c; i++)
      if (cs[i].state == 1 && cs[i].pid == pid) c = &cs[i];
    if (!c) continue;
    running--;
    done++;
    c->secs = now() - c->t0;
    char dir[600], a[700], b[700], lg[700];
    snprintf(dir, sizeof dir, "%s/%s", o.workdir, c->name);
    snprintf(a, sizeof a, "%s/cmodel.slt", dir);
    snprintf(b, sizeof b, "%s/rtl.slt", dir);
    snprintf(lg, sizeof lg, "%s/log.txt", dir);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0 && (rewires(c) || files_equal(a, b))) {
      c->state = 2;
      if (!o.keep) rm_case(dir);
    } else if (code == 0) {
      c->state = 3;
      snprintf(c->msg, sizeof c->msg, "trace files differ: %s", b);
    } else if (code == 1) { /* sl_cosim: the core differs from the C model */
      c->state = 3;
      first_line_with(lg, "MISMATCH", c->msg, sizeof c->msg);
      if (!c->msg[0]) snprintf(c->msg, sizeof c->msg, "sl_cosim reported a mismatch, see %s", lg);
    } else { /* 2 usage, 3 error (files, a model the core cannot hold), 4 our child, signals */
      c->state = 4;
      if (WIFSIGNALED(status))
        snprintf(c->msg, sizeof c->msg, "killed by signal %d (timeout %u s?), see %s", WTERMSIG(status), o.timeout, lg);
      else {
        first_line_with(lg, "sl_cosim", c->msg, sizeof c->msg);
        if (!c->msg[0]) first_line_with(lg, "regress", c->msg, sizeof c->msg);
        if (!c->msg[0]) snprintf(c->msg, sizeof c->msg, "error (exit %d), see %s", code, lg);
      }
    }
    if (c->state == 3) failed++;
    if (c->state == 4) errors++;
    const double el = now() - t_start, rate = (double)done / (el > 0 ? el : 1);
    if (tty || done - last_report >= (total + 9) / 10 || done == total) {
      fprintf(stderr, "%sregress: %zu/%zu done, %zu failed, %zu errors, %.1f cases/s, eta %.0f s%s", tty ? "\r" : "",
              done, total, failed, errors, rate, (double)(total - done) / rate, tty ? "   " : "\n");
      last_report = done;
    }
    if (c->state >= 3) fprintf(stderr, "%sregress: FAIL %s: %s\n", tty ? "\n" : "", c->name, c->msg);
  }
  if (tty) fputc('\n', stderr);
  const double wall = now() - t_start;
  if (o.junit) {
    FILE *f = fopen(o.junit, "w");
    if (!f) {
      sl_cli_error("regress", "cannot write %s", o.junit);
    } else {
      fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                 "<testsuite name=\"spikeline-regress\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
              total, failed, errors, wall);
      for (size_t i = 0; i < total; i++) {
        fprintf(f, "  <testcase classname=\"cosim\" name=\"%s\" time=\"%.3f\"", cs[i].name, cs[i].secs);
        if (cs[i].state == 2) {
          fputs("/>\n", f);
          continue;
        }
        fprintf(f, ">\n    <%s message=\"", cs[i].state == 3 ? "failure" : "error");
        xml_escape(f, cs[i].msg);
        fprintf(f, "\"/>\n  </testcase>\n");
      }
      fputs("</testsuite>\n</testsuites>\n", f);
      fclose(f);
    }
  }
  fprintf(stderr, "regress: %zu case(s) (%zu golden, seeds %llu..%llu) in %.1f s with %d job(s): %zu passed, %zu "
                  "mismatched, %zu errors\n",
          total, ng, start, start + nseeds - (nseeds ? 1 : 0), wall, o.jobs, total - failed - errors, failed, errors);
  size_t shown = 0;
  for (size_t i = 0; i < total && shown < 5; i++)
    if (cs[i].state >= 3) {
      fprintf(stderr, "  reproduce %s: %s %s/%s/net.slm %s/%s/events.sle --state\n", cs[i].name, o.cosim, o.workdir,
              cs[i].name, o.workdir, cs[i].name);
      shown++;
    }
  free(cs);
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
