/* test_paired_runs.c — scripts/paired_runs.py (configuration B vs A over paired seeds) on
 * hand-written run summaries whose means, spread and exact p-values were worked out by hand
 * (in the comments), and its one-line errors on bad input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static char scratch[1024];

/* run DIR/NAME/summary.txt with the given seed and deployed accuracy (and a float one) */
static void summary(const char *name, const char *seed, const char *acc) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", scratch, name);
  ck_assert_int_eq(mkdir(path, 0755), 0);
  strncat(path, "/summary.txt", sizeof path - strlen(path) - 1);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fprintf(f, "best_epoch = 105\ndeployed_test_acc = %s\ntest_acc_float = 0.5\nseed = %s\n", acc, seed);
  fclose(f);
}

/* run the script in the scratch directory with args; returns the exit code, output in out */
static int paired(const char *args, char *out, size_t cap) {
  char cmd[2400], outp[1100];
  snprintf(outp, sizeof outp, "%s/.out", scratch);
  snprintf(cmd, sizeof cmd, "cd '%s' && '%s' '%s/scripts/paired_runs.py' %s > .out 2>&1", scratch,
           SL_PYTHON, SL_SOURCE_DIR, args);
  int st = system(cmd);
  ck_assert_int_ge(read_text(outp, out, cap), 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* the script must refuse args with exit 2 and one line of output containing want */
static void refuses(const char *args, const char *want) {
  static char out[8192];
  ck_assert_int_eq(paired(args, out, sizeof out), 2);
  ck_assert_msg(strstr(out, want), "%s: %s", args, out);
  int lines = 0;
  for (const char *c = out; *c; c++) lines += *c == '\n';
  ck_assert_msg(lines == 1, "%s: %s", args, out);
}

static void setup(void) {
  make_scratch(scratch, sizeof scratch, "paired");
  /* A 90 / 92 / 94 %, B 91 / 95 / 93 %: differences +1, +3, -1, mean +1, deviations 0, +2,
   * -2, sd sqrt(8 / 2) = 2. Sign flips of (1, 3, 1): sums 5 3 -1 -3 3 1 -3 -5, six of eight
   * with |sum| >= 3, p = 0.75. Sign test: 2 wins, 1 loss, 2 * (1 + 3) / 8 = 1. */
  summary("a1", "1", "0.90");
  summary("a2", "2", "0.92");
  summary("a3", "3", "0.94");
  summary("b1", "1", "0.91");
  summary("b2", "2", "0.95");
  summary("b3", "3", "0.93");
  /* five seeds B wins each by one point: only the all-plus and all-minus patterns reach
   * |sum| = 5, p = 2 / 32 = 0.0625; sign test 2 / 32 = 0.0625 too */
  for (int s = 1; s <= 5; s++) {
    char n[16], seed[8], a[16], b[16];
    snprintf(seed, sizeof seed, "%d", s);
    snprintf(a, sizeof a, "0.%d", 80 + s);
    snprintf(b, sizeof b, "0.%d", 81 + s);
    snprintf(n, sizeof n, "p%d", s);
    summary(n, seed, a);
    snprintf(n, sizeof n, "q%d", s);
    summary(n, seed, b);
  }
}

static void teardown(void) {
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
  ck_assert_int_eq(system(cmd), 0);
}

START_TEST(three_seeds_by_hand) {
  static char out[8192];
  /* B given in another order than A: pairing is by seed, not by position */
  ck_assert_int_eq(paired("a1 a2 a3 -- b3 b1 b2", out, sizeof out), 0);
  ck_assert_msg(strstr(out, "    2    92.00    95.00    +3.00"), "%s", out);
  ck_assert_msg(strstr(out, "    3    94.00    93.00    -1.00"), "%s", out);
  ck_assert_msg(strstr(out, " mean    92.00    93.00    +1.00   sd of B-A 2.00"), "%s", out);
  ck_assert_msg(strstr(out, "B wins 2 of 3 (losses 1, ties 0)"), "%s", out);
  ck_assert_msg(strstr(out, "sign-flip 0.7500, sign 1.0000"), "%s", out);
  /* swapping the sides flips the sign of every difference, not the p-values */
  ck_assert_int_eq(paired("b1 b2 b3 -- a1 a2 a3", out, sizeof out), 0);
  ck_assert_msg(strstr(out, " mean    93.00    92.00    -1.00   sd of B-A 2.00"), "%s", out);
  ck_assert_msg(strstr(out, "B wins 1 of 3 (losses 2, ties 0)"), "%s", out);
  ck_assert_msg(strstr(out, "sign-flip 0.7500, sign 1.0000"), "%s", out);
  /* another key: every float accuracy is 50 %, all ties */
  ck_assert_int_eq(paired("--key test_acc_float a1 a2 a3 -- b1 b2 b3", out, sizeof out), 0);
  ck_assert_msg(strstr(out, "B wins 0 of 3 (losses 0, ties 3)"), "%s", out);
}
END_TEST

START_TEST(five_wins_by_hand) {
  static char out[8192];
  ck_assert_int_eq(paired("p1 p2 p3 p4 p5 -- q1 q2 q3 q4 q5", out, sizeof out), 0);
  ck_assert_msg(strstr(out, " mean    83.00    84.00    +1.00   sd of B-A 0.00"), "%s", out);
  ck_assert_msg(strstr(out, "B wins 5 of 5 (losses 0, ties 0)"), "%s", out);
  ck_assert_msg(strstr(out, "sign-flip 0.0625, sign 0.0625"), "%s", out);
}
END_TEST

START_TEST(bad_input) {
  refuses("a1 a2 a3 -- b1 b2", "a3/summary.txt: seed 3 has no partner");   /* named with its file */
  refuses("a1 a2 a3 -- b1 b2 b3 q1", "q1/summary.txt: seed 1 appears twice"); /* twice on one side */
  refuses("a1 nope -- b1 b2", "nope/summary.txt: No such file");
  refuses("--key val_acc_quant a1 -- b1", "a1/summary.txt: no 'val_acc_quant' line");
  summary("x1", "1", "ninety");
  refuses("x1 -- b1", "x1/summary.txt: deployed_test_acc 'ninety' is not a number");
  summary("x2", "two", "0.5");
  refuses("x2 -- b2", "x2/summary.txt: seed 'two' is not a whole number");
  refuses("a1 b1", "usage:"); /* no separator */
  refuses("a1 --", "usage:");  /* an empty side */
}
END_TEST

int main(void) {
  Suite *s = suite_create("paired_runs");
  TCase *tc = tcase_create("script");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, three_seeds_by_hand);
  tcase_add_test(tc, five_wins_by_hand);
  tcase_add_test(tc, bad_input);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
