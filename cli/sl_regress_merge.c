/* sl_regress_merge.c — `spikeline regress --merge OUT SUMMARY...`: checks that the shard
 * summaries are the N shards of one run (same parameters, same N, each K once, none missing,
 * each finished, its JUnit file readable and holding exactly that shard's cases with the
 * summary's counts), writes one JUnit file of the whole run (atomically, only when every shard
 * is accounted for) and a one-screen summary on stdout. Exit 0 all passed, 1 mismatches or
 * case errors, 2 a missing, failed or foreign shard (each named in a one-line error). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sl_atomic.h"
#include "sl_cli.h"
#include "sl_regress.h"

#define MAX_LISTED 20 /* missing shards named one per line; the rest counted */

typedef struct {
  const char *file;
  char *junit;
  unsigned long long k, cases, passed, mismatches, errors;
  int finished, dup; /* dup: a second summary of the same K */
  double wall;
} shard_rec;

typedef struct {
  const sl_rg_params *p;
  const char *file;                    /* the JUnit file being read */
  unsigned long long k, n, next, hi;   /* expected case index next .. hi - 1 */
  unsigned long long count[3];         /* cases, mismatches, errors read */
  FILE *out;                           /* NULL: check only */
  long long first_fail;                /* lowest failing case index, -1 */
  char first_name[64], first_msg[1200];
  unsigned long long first_k;
} merge_ctx;

static sl_status on_case(void *vctx, const sl_rg_case *c, sl_err *err) {
  merge_ctx *m = vctx;
  char want[64];
  if (m->next >= m->hi)
    return sl_err_set(err, SL_ERR_PARSE, "%s: more cases than shard %llu/%llu has (%s is not in it)", m->file, m->k, m->n,
                      c->name);
  sl_rg_case_name(m->p, m->next, want, sizeof want);
  if (strcmp(want, c->name))
    return sl_err_set(err, SL_ERR_PARSE, "%s: case %s where shard %llu/%llu of this run has %s", m->file, c->name, m->k,
                      m->n, want);
  if (c->state != 2 && m->first_fail < 0) {
    m->first_fail = (long long)m->next;
    m->first_k = m->k;
    snprintf(m->first_name, sizeof m->first_name, "%s", c->name);
    snprintf(m->first_msg, sizeof m->first_msg, "%s", c->msg);
  }
  m->count[0]++;
  if (c->state == 3) m->count[1]++;
  if (c->state == 4) m->count[2]++;
  m->next++;
  if (m->out) sl_rg_junit_case(m->out, c);
  return SL_OK;
}

static int by_k(const void *a, const void *b) {
  const shard_rec *x = a, *y = b;
  return x->k < y->k ? -1 : x->k > y->k;
}

/* The JUnit file a summary names; when that path is gone (results copied off the machine
 * that ran the shard) the file of the same name next to the summary. */
static void junit_path(const shard_rec *r, char *buf, size_t len) {
  snprintf(buf, len, "%s", r->junit);
  FILE *f = fopen(buf, "r");
  if (f) {
    fclose(f);
    return;
  }
  const char *base = strrchr(r->junit, '/'), *slash = strrchr(r->file, '/');
  base = base ? base + 1 : r->junit;
  char alt[2200];
  if (slash) snprintf(alt, sizeof alt, "%.*s/%s", (int)(slash - r->file), r->file, base);
  else snprintf(alt, sizeof alt, "%s", base);
  f = fopen(alt, "r");
  if (f) {
    fclose(f);
    snprintf(buf, len, "%s", alt);
  }
}

static void describe_run(const sl_rg_params *p, char *buf, size_t len) {
  char seeds[96];
  if (p->seeds) snprintf(seeds, sizeof seeds, "seeds %llu..%llu", p->start, p->start + p->seeds - 1);
  else snprintf(seeds, sizeof seeds, "no random seeds");
  snprintf(buf, len, "%s%s (%llu cases), state %s, plusarg %s, %s power-up, cosim %s", p->golden ? "golden + " : "",
           seeds, sl_rg_total(p), p->state ? "all" : "golden only", p->plusarg[0] ? p->plusarg : "none",
           p->zero_init ? "zero" : "random", p->cosim);
}

int sl_rg_merge(const char *out, char **files, int nfiles) {
  if (nfiles < 1) {
    sl_cli_error("regress", "--merge %s: no shard summaries given", out);
    return 2;
  }
  shard_rec *rec = calloc((size_t)nfiles, sizeof *rec);
  sl_rg_summary *s = malloc(sizeof *s), *ref = malloc(sizeof *ref);
  if (!rec || !s || !ref) {
    sl_cli_error("regress", "out of memory");
    free(rec), free(s), free(ref);
    return 2;
  }
  const char *ref_file = NULL;
  size_t nrec = 0, problems = 0;
  sl_err err;
  /* 1. every summary readable and of one run */
  for (int i = 0; i < nfiles; i++) {
    if (sl_rg_summary_read(files[i], s, &err)) {
      sl_cli_error("regress", "%s", err.msg);
      problems++;
      continue;
    }
    char what[2200];
    if (!ref_file) {
      *ref = *s;
      ref_file = files[i];
    } else if (s->n != ref->n) {
      sl_cli_error("regress", "%s: shard %llu/%llu, but %s is of %llu shards (not the same run)", files[i], s->k, s->n,
                   ref_file, ref->n);
      problems++;
      continue;
    } else if (sl_rg_params_differ(&s->p, &ref->p, what, sizeof what)) {
      sl_cli_error("regress", "%s: not the same run as %s (%s)", files[i], ref_file, what);
      problems++;
      continue;
    }
    shard_rec *r = &rec[nrec++];
    r->file = files[i];
    r->junit = strdup(s->junit);
    r->k = s->k;
    r->cases = s->cases;
    r->passed = s->passed;
    r->mismatches = s->mismatches;
    r->errors = s->errors;
    r->finished = s->finished;
    r->wall = s->wall;
    if (!r->junit) {
      sl_cli_error("regress", "out of memory");
      problems++;
      nrec--;
    }
  }
  if (!ref_file) {
    sl_cli_error("regress", "--merge: no readable shard summary among the %d given; %s not written", nfiles, out);
    free(rec), free(s), free(ref);
    return 2;
  }
  const sl_rg_params *p = &ref->p;
  const unsigned long long n = ref->n, total = sl_rg_total(p);
  /* 2. each shard exactly once, each finished */
  qsort(rec, nrec, sizeof *rec, by_k);
  unsigned long long missing = 0, expect = 1;
  for (size_t i = 0; i <= nrec; i++) {
    const unsigned long long k = i < nrec ? rec[i].k : n + 1;
    if (i > 0 && i < nrec && k == rec[i - 1].k) {
      sl_cli_error("regress", "%s: shard %llu/%llu given twice (also %s)", rec[i].file, k, n, rec[i - 1].file);
      rec[i].dup = 1;
      problems++;
      continue;
    }
    for (; expect < k; expect++, missing++)
      if (missing < MAX_LISTED)
        sl_cli_error("regress", "shard %llu/%llu: missing (no summary for it among the %d given)", expect, n, nfiles);
    expect = k + 1;
  }
  if (missing > MAX_LISTED)
    sl_cli_error("regress", "... and %llu more shards of %llu missing", missing - MAX_LISTED, n);
  problems += missing;
  for (size_t i = 0; i < nrec; i++)
    if (!rec[i].finished) {
      sl_cli_error("regress", "%s: shard %llu/%llu did not finish (its summary is the one written when it started)",
                   rec[i].file, rec[i].k, n);
      problems++;
    }
  /* 3. the cases, from each finished shard's JUnit file, in run order */
  sl_afile af;
  int writing = 0;
  unsigned long long sum[3] = {0, 0, 0}, merged_shards = 0;
  double wall_sum = 0, wall_max = 0;
  for (size_t i = 0; i < nrec; i++)
    if (rec[i].finished && !rec[i].dup) {
      sum[0] += rec[i].cases, sum[1] += rec[i].mismatches, sum[2] += rec[i].errors;
      wall_sum += rec[i].wall;
      if (rec[i].wall > wall_max) wall_max = rec[i].wall;
    }
  if (!problems) {
    if (sl_afile_open(&af, out, &err)) {
      sl_cli_error("regress", "%s", err.msg);
      problems++;
    } else {
      writing = 1;
      sl_rg_junit_begin(af.f, sum[0], sum[1], sum[2], wall_sum);
    }
  }
  merge_ctx m = {.p = p, .n = n, .first_fail = -1};
  unsigned long long failing_shards = 0;
  char failing_list[256] = "";
  for (size_t i = 0; i < nrec; i++) {
    const shard_rec *r = &rec[i];
    if (!r->finished || r->dup) continue;
    char jpath[2200];
    junit_path(r, jpath, sizeof jpath);
    unsigned long long lo, hi, head[3];
    sl_rg_shard_range(total, r->k, n, &lo, &hi);
    m.file = jpath;
    m.k = r->k;
    m.next = lo;
    m.hi = hi;
    m.count[0] = m.count[1] = m.count[2] = 0;
    m.out = writing ? af.f : NULL;
    if (sl_rg_junit_read(jpath, on_case, &m, head, &err)) {
      sl_cli_error("regress", "%s: shard %llu/%llu's JUnit file: %s", r->file, r->k, n, err.msg);
      problems++;
      continue;
    }
    if (m.count[0] != r->cases || m.count[1] != r->mismatches || m.count[2] != r->errors) {
      sl_cli_error("regress", "%s: says %llu cases, %llu mismatches, %llu errors, but %s holds %llu, %llu, %llu", r->file,
                   r->cases, r->mismatches, r->errors, jpath, m.count[0], m.count[1], m.count[2]);
      problems++;
      continue;
    }
    merged_shards++;
    if (r->mismatches || r->errors) {
      if (failing_shards < 4) {
        char one[64];
        snprintf(one, sizeof one, "%s%llu/%llu", failing_shards ? ", " : "", r->k, n);
        strncat(failing_list, one, sizeof failing_list - strlen(failing_list) - 1);
      }
      failing_shards++;
    }
  }
  int wrote = 0;
  if (writing) {
    if (problems) {
      sl_afile_abort(&af);
    } else {
      sl_rg_junit_end(af.f);
      if (sl_afile_commit(&af, &err)) {
        sl_cli_error("regress", "%s", err.msg);
        problems++;
      } else {
        wrote = 1;
      }
    }
  }
  /* 4. one screen on stdout */
  char run[3000];
  describe_run(p, run, sizeof run);
  printf("regress merge: %llu of %llu shard(s) merged; run: %s\n", merged_shards, n, run);
  printf("  cases:    %llu of %llu: %llu passed, %llu mismatches, %llu errors\n", sum[0], total,
         sum[0] - sum[1] - sum[2], sum[1], sum[2]);
  printf("  shards:   %llu missing, %zu problem(s); wall %.1f s summed, %.1f s the longest shard\n", missing,
         problems, wall_sum, wall_max);
  if (failing_shards) printf("  failing shards: %s%s\n", failing_list, failing_shards > 4 ? ", ..." : "");
  if (m.first_fail >= 0) {
    char repro[4096];
    sl_rg_reproduce(p, (unsigned long long)m.first_fail, repro, sizeof repro);
    printf("  first failure: %s (shard %llu/%llu): %s\n", m.first_name, m.first_k, n, m.first_msg);
    printf("  reproduce: %s\n", repro);
  } else if (sum[1] + sum[2]) {
    printf("  first failure: (in a shard whose JUnit file could not be read)\n");
  }
  if (wrote) printf("  wrote %s\n", out);
  else printf("  %s not written: %zu problem(s) above\n", out, problems);
  for (size_t i = 0; i < nrec; i++) free(rec[i].junit);
  free(rec), free(s), free(ref);
  if (problems) return 2;
  return (sum[1] || sum[2]) ? 1 : 0;
}
