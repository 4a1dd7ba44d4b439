/* sl_regress_shard.c — a regression's case list, its split into shards, the command that
 * reruns one case, and the shard summary file (see sl_regress.h, docs/rtl.md). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sl_atomic.h"
#include "sl_regress.h"

static const char *const golden_names[SL_RG_GOLDEN] = {"golden-tiny", "golden-seednet-1", "golden-seednet-2"};

unsigned long long sl_rg_total(const sl_rg_params *p) { return (p->golden ? SL_RG_GOLDEN : 0) + p->seeds; }

void sl_rg_case_name(const sl_rg_params *p, unsigned long long i, char *buf, size_t len) {
  const unsigned long long ng = p->golden ? SL_RG_GOLDEN : 0;
  if (i < ng) snprintf(buf, len, "%s", golden_names[i]);
  else snprintf(buf, len, "seed-%llu", p->start + (i - ng));
}

long long sl_rg_case_index(const sl_rg_params *p, const char *name) {
  const unsigned long long ng = p->golden ? SL_RG_GOLDEN : 0;
  for (unsigned long long g = 0; g < ng; g++)
    if (!strcmp(name, golden_names[g])) return (long long)g;
  if (strncmp(name, "seed-", 5) || !isdigit((unsigned char)name[5])) return -1;
  char *end;
  errno = 0;
  const unsigned long long s = strtoull(name + 5, &end, 10);
  if (*end || errno || s < p->start || s - p->start >= p->seeds) return -1;
  char check[64];
  snprintf(check, sizeof check, "seed-%llu", s); /* no leading zeros */
  if (strcmp(check, name)) return -1;
  return (long long)(ng + (s - p->start));
}

/* Contiguous blocks, not round-robin: how a case is run follows its seed modulo small numbers
 * (seed % 2 picks the load path, % 3 stream jitter, % 5 rewiring, % 7 load verification), so
 * round-robin shards with N sharing such a factor would differ systematically in cost and in
 * what they exercise (with N = 2 one shard would only ever preload, the other only load over
 * the bus). A block holds every residue in equal measure, and it is a plain seed range a user
 * reruns with --start/--seeds. Blocks differ in size by at most one case; the golden cases are
 * the first cases of the list and so fall in the first shard(s), each in exactly one. */
void sl_rg_shard_range(unsigned long long total, unsigned long long k, unsigned long long n, unsigned long long *lo,
                       unsigned long long *hi) {
  /* total <= 10^8 + 3 and n <= 10^8: the products stay below 2^64 */
  *lo = (k - 1) * total / n;
  *hi = k * total / n;
}

static int parse_count(const char *s, size_t len, unsigned long long *v) {
  if (len == 0 || len > 19) return -1; /* 19 digits fit in 64 bits */
  unsigned long long x = 0;
  for (size_t i = 0; i < len; i++) {
    if (!isdigit((unsigned char)s[i])) return -1;
    x = 10 * x + (unsigned)(s[i] - '0');
  }
  *v = x;
  return 0;
}

int sl_rg_parse_shard(const char *text, unsigned long long *k, unsigned long long *n, char *why, size_t len) {
  const char *slash = strchr(text, '/');
  if (!slash || parse_count(text, (size_t)(slash - text), k) || parse_count(slash + 1, strlen(slash + 1), n)) {
    snprintf(why, len, "expected K/N, two whole numbers, e.g. 2/8");
    return -1;
  }
  if (*n < 1 || *n > SL_RG_MAX_SHARDS) {
    snprintf(why, len, "N must be in 1..%llu", SL_RG_MAX_SHARDS);
    return -1;
  }
  if (*k < 1 || *k > *n) {
    snprintf(why, len, "K must be in 1..N (1..%llu)", *n);
    return -1;
  }
  return 0;
}

/* Append one shell word, single-quoted when it holds anything but plain characters. */
static void put_word(char *buf, size_t len, const char *w) {
  size_t at = strlen(buf);
  int plain = *w != '\0';
  for (const char *c = w; *c; c++)
    if (!isalnum((unsigned char)*c) && !strchr("+-=_./:,@%", *c)) plain = 0;
  char tmp[2200];
  size_t t = 0;
  if (plain) {
    t = (size_t)snprintf(tmp, sizeof tmp, " %s", w);
  } else {
    tmp[t++] = ' ';
    tmp[t++] = '\'';
    for (const char *c = w; *c && t + 6 < sizeof tmp; c++) {
      if (*c == '\'') {
        memcpy(tmp + t, "'\\''", 4);
        t += 4;
      } else {
        tmp[t++] = *c;
      }
    }
    tmp[t++] = '\'';
    tmp[t] = '\0';
  }
  if (at + t < len) memcpy(buf + at, tmp, t + 1);
}

void sl_rg_reproduce(const sl_rg_params *p, unsigned long long i, char *buf, size_t len) {
  const unsigned long long ng = p->golden ? SL_RG_GOLDEN : 0;
  char name[64], num[32];
  snprintf(buf, len, "spikeline regress");
  if (i < ng) {
    sl_rg_case_name(p, i, name, sizeof name);
    put_word(buf, len, "--seeds");
    put_word(buf, len, "0");
    put_word(buf, len, "--case");
    put_word(buf, len, name);
    if (i == 0) {
      put_word(buf, len, "--examples");
      put_word(buf, len, p->examples);
    }
  } else {
    snprintf(num, sizeof num, "%llu", p->start + (i - ng));
    put_word(buf, len, "--start");
    put_word(buf, len, num);
    put_word(buf, len, "--seeds");
    put_word(buf, len, "1");
    put_word(buf, len, "--no-golden");
    if (!p->state) put_word(buf, len, "--no-state");
  }
  if (p->zero_init) put_word(buf, len, "--zero-init");
  if (p->plusarg[0]) {
    put_word(buf, len, "--plusarg");
    put_word(buf, len, p->plusarg);
  }
  put_word(buf, len, "--cosim");
  put_word(buf, len, p->cosim);
}

int sl_rg_params_differ(const sl_rg_params *a, const sl_rg_params *b, char *what, size_t len) {
  if (a->seeds != b->seeds) snprintf(what, len, "seeds %llu vs %llu", a->seeds, b->seeds);
  else if (a->start != b->start) snprintf(what, len, "start %llu vs %llu", a->start, b->start);
  else if (a->golden != b->golden) snprintf(what, len, "golden %s vs %s", a->golden ? "yes" : "no", b->golden ? "yes" : "no");
  else if (a->state != b->state) snprintf(what, len, "state %s vs %s", a->state ? "all" : "golden", b->state ? "all" : "golden");
  else if (a->zero_init != b->zero_init) snprintf(what, len, "zero_init %s vs %s", a->zero_init ? "yes" : "no", b->zero_init ? "yes" : "no");
  else if (strcmp(a->plusarg, b->plusarg)) snprintf(what, len, "plusarg '%s' vs '%s'", a->plusarg, b->plusarg);
  else if (strcmp(a->cosim, b->cosim)) snprintf(what, len, "cosim %s vs %s", a->cosim, b->cosim);
  else if (strcmp(a->examples, b->examples)) snprintf(what, len, "examples %s vs %s", a->examples, b->examples);
  else return 0;
  return 1;
}

/* ---- the summary file ---- */

static int one_line(const char *s) { return !strpbrk(s, "\n\r"); }

sl_status sl_rg_summary_write(const char *path, const sl_rg_summary *s, sl_err *err) {
  const sl_rg_params *p = &s->p;
  if (!one_line(p->plusarg) || !one_line(p->cosim) || !one_line(p->examples) || !one_line(s->junit))
    return sl_err_set(err, SL_ERR_ARG, "%s: a path or plusarg holds a line break", path);
  sl_afile a;
  sl_status st = sl_afile_open(&a, path, err);
  if (st) return st;
  char first[64] = "", last[64] = "";
  unsigned long long lo, hi;
  sl_rg_shard_range(sl_rg_total(p), s->k, s->n, &lo, &hi);
  if (hi > lo) {
    sl_rg_case_name(p, lo, first, sizeof first);
    sl_rg_case_name(p, hi - 1, last, sizeof last);
  }
  FILE *f = a.f;
  fprintf(f, "# spikeline regress shard summary (docs/rtl.md)\n");
  fprintf(f, "format = 1\nshard = %llu/%llu\n", s->k, s->n);
  fprintf(f, "seeds = %llu\nstart = %llu\ngolden = %s\nstate = %s\nzero_init = %s\nplusarg = %s\n", p->seeds, p->start,
          p->golden ? "yes" : "no", p->state ? "all" : "golden", p->zero_init ? "yes" : "no", p->plusarg);
  fprintf(f, "cosim = %s\nexamples = %s\n", p->cosim, p->examples);
  fprintf(f, "run_cases = %llu\nfirst_case = %s\nlast_case = %s\ncases = %llu\njunit = %s\n", sl_rg_total(p), first, last,
          s->cases, s->junit);
  fprintf(f, "finished = %s\npassed = %llu\nmismatches = %llu\nerrors = %llu\nwall_s = %.3f\n", s->finished ? "yes" : "no",
          s->passed, s->mismatches, s->errors, s->wall);
  fprintf(f, "first_failure = %s\nfirst_failure_message = %s\nreproduce = %s\nend = summary\n", s->first_failure,
          s->first_message, s->reproduce);
  return sl_afile_commit(&a, err);
}

typedef struct {
  const char *key;
  int seen;
} key_seen;

static int yes_no(const char *v, const char *yes, const char *no, int *out) {
  if (!strcmp(v, yes)) *out = 1;
  else if (!strcmp(v, no)) *out = 0;
  else return -1;
  return 0;
}

static int copy_value(char *dst, size_t cap, const char *v) {
  if (strlen(v) >= cap) return -1;
  strcpy(dst, v);
  return 0;
}

sl_status sl_rg_summary_read(const char *path, sl_rg_summary *s, sl_err *err) {
  static const char *const keys[] = {
      "format",   "shard", "seeds",  "start",    "golden",     "state",  "zero_init", "plusarg",       "cosim",
      "examples", "run_cases", "first_case", "last_case", "cases", "junit", "finished", "passed", "mismatches",
      "errors",   "wall_s", "first_failure", "first_failure_message", "reproduce", "end"};
  enum { NKEYS = sizeof keys / sizeof keys[0] };
  int seen[NKEYS] = {0};
  memset(s, 0, sizeof *s);
  FILE *f = fopen(path, "r");
  if (!f) return sl_err_set(err, SL_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
  char line[8192];
  unsigned long long run_cases = 0;
  int lineno = 0, ended = 0;
  sl_status st = SL_OK;
  while (!st && fgets(line, sizeof line, f)) {
    lineno++;
    size_t m = strlen(line);
    if (m == 0 || line[m - 1] != '\n') {
      st = sl_err_set(err, SL_ERR_TRUNCATED, "%s: line %d: cut short or too long", path, lineno);
      break;
    }
    line[--m] = '\0';
    if (line[0] == '#') continue;
    if (ended) {
      st = sl_err_set(err, SL_ERR_PARSE, "%s: line %d: text after 'end'", path, lineno);
      break;
    }
    char *eq = strstr(line, " =");
    if (!eq || eq == line || (eq[2] != '\0' && eq[2] != ' ')) {
      st = sl_err_set(err, SL_ERR_PARSE, "%s: line %d: not 'key = value'", path, lineno);
      break;
    }
    *eq = '\0';
    const char *key = line, *v = eq[2] ? eq + 3 : eq + 2;
    int ki = -1;
    for (int i = 0; i < NKEYS; i++)
      if (!strcmp(key, keys[i])) ki = i;
    if (ki < 0) {
      st = sl_err_set(err, SL_ERR_PARSE, "%s: line %d: unknown key '%s'", path, lineno, key);
      break;
    }
    if (seen[ki]++) {
      st = sl_err_set(err, SL_ERR_PARSE, "%s: line %d: '%s' given twice", path, lineno, key);
      break;
    }
    int bad = 0;
    unsigned long long u = 0;
    const int numeric = !strcmp(key, "format") || !strcmp(key, "seeds") || !strcmp(key, "start") ||
                        !strcmp(key, "run_cases") || !strcmp(key, "cases") || !strcmp(key, "passed") ||
                        !strcmp(key, "mismatches") || !strcmp(key, "errors");
    if (numeric) bad = parse_count(v, strlen(v), &u);
    if (bad) {
    } else if (!strcmp(key, "format")) bad = u != 1;
    else if (!strcmp(key, "shard")) {
      char why[128];
      bad = sl_rg_parse_shard(v, &s->k, &s->n, why, sizeof why);
    } else if (!strcmp(key, "seeds")) s->p.seeds = u;
    else if (!strcmp(key, "start")) s->p.start = u;
    else if (!strcmp(key, "golden")) bad = yes_no(v, "yes", "no", &s->p.golden);
    else if (!strcmp(key, "state")) bad = yes_no(v, "all", "golden", &s->p.state);
    else if (!strcmp(key, "zero_init")) bad = yes_no(v, "yes", "no", &s->p.zero_init);
    else if (!strcmp(key, "plusarg")) bad = copy_value(s->p.plusarg, sizeof s->p.plusarg, v) || (v[0] && v[0] != '+');
    else if (!strcmp(key, "cosim")) bad = copy_value(s->p.cosim, sizeof s->p.cosim, v) || v[0] != '/';
    else if (!strcmp(key, "examples")) bad = copy_value(s->p.examples, sizeof s->p.examples, v) || !v[0];
    else if (!strcmp(key, "run_cases")) run_cases = u;
    else if (!strcmp(key, "cases")) s->cases = u;
    else if (!strcmp(key, "junit")) bad = copy_value(s->junit, sizeof s->junit, v) || v[0] != '/';
    else if (!strcmp(key, "finished")) bad = yes_no(v, "yes", "no", &s->finished);
    else if (!strcmp(key, "passed")) s->passed = u;
    else if (!strcmp(key, "mismatches")) s->mismatches = u;
    else if (!strcmp(key, "errors")) s->errors = u;
    else if (!strcmp(key, "wall_s")) {
      char *end;
      s->wall = strtod(v, &end);
      bad = !v[0] || *end || !(s->wall >= 0 && s->wall < 1e12);
    } else if (!strcmp(key, "first_failure")) bad = copy_value(s->first_failure, sizeof s->first_failure, v);
    else if (!strcmp(key, "first_failure_message")) bad = copy_value(s->first_message, sizeof s->first_message, v);
    else if (!strcmp(key, "reproduce")) bad = copy_value(s->reproduce, sizeof s->reproduce, v);
    else if (!strcmp(key, "end")) {
      bad = strcmp(v, "summary") != 0;
      ended = 1;
    }
    /* first_case, last_case: for people; the merge derives them */
    if (bad) st = sl_err_set(err, SL_ERR_PARSE, "%s: line %d: bad value for '%s': '%s'", path, lineno, key, v);
  }
  if (!st && ferror(f)) st = sl_err_set(err, SL_ERR_IO, "%s: read error", path);
  fclose(f);
  if (st) return st;
  if (lineno == 0) return sl_err_set(err, SL_ERR_TRUNCATED, "%s: empty file (not a regress shard summary)", path);
  for (int i = 0; i < NKEYS; i++)
    if (!seen[i])
      return sl_err_set(err, SL_ERR_TRUNCATED, "%s: no '%s' line (cut short, or not a regress shard summary)", path,
                        keys[i]);
  if (s->p.seeds > 100000000ull) return sl_err_set(err, SL_ERR_PARSE, "%s: seeds %llu out of range", path, s->p.seeds);
  if (run_cases != sl_rg_total(&s->p))
    return sl_err_set(err, SL_ERR_PARSE, "%s: run_cases %llu, but golden and seeds make %llu", path, run_cases,
                      sl_rg_total(&s->p));
  unsigned long long lo, hi;
  sl_rg_shard_range(run_cases, s->k, s->n, &lo, &hi);
  if (s->cases != hi - lo)
    return sl_err_set(err, SL_ERR_PARSE, "%s: cases %llu, but shard %llu/%llu of %llu cases has %llu", path, s->cases,
                      s->k, s->n, run_cases, hi - lo);
  if (s->finished && s->passed + s->mismatches + s->errors != s->cases)
    return sl_err_set(err, SL_ERR_PARSE, "%s: passed + mismatches + errors = %llu, not cases %llu", path,
                      s->passed + s->mismatches + s->errors, s->cases);
  return SL_OK;
}
