/* sl_regress.h — what `spikeline regress` shares between running (a shard of) a regression and
 * merging shards: the run's parameters and its case list, the split into shards, the command
 * that reruns one case, the shard summary file and the regression's own JUnit file. */
#ifndef SL_REGRESS_H
#define SL_REGRESS_H

#include <stddef.h>
#include <stdio.h>
#include "sl_status.h"

/* Everything that makes two shards parts of one run (and one case repeatable). */
typedef struct {
  unsigned long long seeds, start; /* random cases: seeds start .. start + seeds - 1 */
  int golden;                      /* 1: the three golden cases come first */
  int state;                       /* 1: state compared in every case; 0: --no-state */
  int zero_init;                   /* 1: --zero-init */
  char plusarg[256];               /* "" when none */
  char cosim[1024];                /* absolute path of the harness */
  char examples[1024];             /* absolute path of tiny.sln / tiny.sle's folder */
} sl_rg_params;

#define SL_RG_GOLDEN 3ull
#define SL_RG_MAX_SHARDS 100000000ull

/* Cases in the whole run, and the name of case i (0-based, run order: golden-tiny,
 * golden-seednet-1, golden-seednet-2 when golden, then seed-S in seed order). */
unsigned long long sl_rg_total(const sl_rg_params *p);
void sl_rg_case_name(const sl_rg_params *p, unsigned long long i, char *buf, size_t len);
/* Index of a case name in the run, or -1. */
long long sl_rg_case_index(const sl_rg_params *p, const char *name);
/* Shard k of n (1-based): cases [*lo, *hi) of total. */
void sl_rg_shard_range(unsigned long long total, unsigned long long k, unsigned long long n, unsigned long long *lo,
                       unsigned long long *hi);
/* Parse "K/N" (decimal digits only, 1 <= K <= N <= SL_RG_MAX_SHARDS); 0, or -1 with why set. */
int sl_rg_parse_shard(const char *text, unsigned long long *k, unsigned long long *n, char *why, size_t len);
/* The `spikeline regress` command line that reruns just case i of the run. */
void sl_rg_reproduce(const sl_rg_params *p, unsigned long long i, char *buf, size_t len);
/* The first field in which two runs differ ("start 5 vs 1"), or 0 when they are one run. */
int sl_rg_params_differ(const sl_rg_params *a, const sl_rg_params *b, char *what, size_t len);

/* One case's result (state 2 pass, 3 mismatch, 4 error). */
typedef struct {
  char name[64];
  double secs;
  int state;
  char msg[1200];
} sl_rg_case;

/* The shard summary file (key = value lines, docs/rtl.md). */
typedef struct {
  sl_rg_params p;
  unsigned long long k, n;      /* shard k of n */
  unsigned long long cases;     /* cases in this shard */
  unsigned long long passed, mismatches, errors;
  int finished;                 /* 0: written when the shard started (it did not finish) */
  double wall;                  /* seconds */
  char junit[1024];             /* absolute path of the shard's JUnit file */
  char first_failure[64];       /* "" when none */
  char first_message[1200];
  char reproduce[4096];
} sl_rg_summary;

/* Written atomically (temporary file, then rename). */
sl_status sl_rg_summary_write(const char *path, const sl_rg_summary *s, sl_err *err);
/* Every key must be present and well formed; errors name the file and the line. */
sl_status sl_rg_summary_read(const char *path, sl_rg_summary *s, sl_err *err);

/* JUnit XML as regress writes it: begin, each case, end. */
void sl_rg_junit_begin(FILE *f, unsigned long long tests, unsigned long long failures, unsigned long long errors,
                       double secs);
void sl_rg_junit_case(FILE *f, const sl_rg_case *c);
void sl_rg_junit_end(FILE *f);
/* Read a JUnit file regress wrote, calling on_case for each case in file order (a non-zero
 * return stops with that status; it sets err). head gets tests, failures, errors from the
 * testsuite line; the counts are checked against the cases. */
typedef sl_status (*sl_rg_case_fn)(void *ctx, const sl_rg_case *c, sl_err *err);
sl_status sl_rg_junit_read(const char *path, sl_rg_case_fn on_case, void *ctx, unsigned long long head[3], sl_err *err);

/* `spikeline regress --merge OUT SUMMARY...`: exit status 0, 1 or 2 (docs/rtl.md). */
int sl_rg_merge(const char *out, char **summaries, int n);

#endif
