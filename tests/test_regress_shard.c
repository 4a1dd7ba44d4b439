/* test_regress_shard.c — sharded regressions (`spikeline regress --shard/--summary/--merge`)
 * on the Verilated core: three merged shards equal one unsharded run case for case; a missing
 * shard, a cut summary, an unfinished shard and shards of another run are refused (exit 2, no
 * output); a wrong core's mismatch survives the merge with a reproduction command that
 * reruns just that case; bad K/N is refused and an empty shard passes. */
#include "cli_util.h"

/* The unsharded run and its three shards (golden + seeds 1..6), made once per process: Check
 * forks each test, so the fixture is an unchecked one run in the parent. */
static char g_dir[1024];

static void sh(cli_result *r, const char *dir, const char *k) {
  char junit[1200], sum[1200], shard[32];
  snprintf(junit, sizeof junit, "%s/shard-%s.xml", dir, k);
  snprintf(sum, sizeof sum, "%s/shard-%s.txt", dir, k);
  snprintf(shard, sizeof shard, "%s/3", k);
  char work[1200];
  snprintf(work, sizeof work, "%s/work", dir);
  RUN(r, dir, "regress", "--seeds", "6", "--jobs", "2", "--shard", shard, "--junit", junit, "--summary", sum,
      "--workdir", work);
}

static void setup_runs(void) {
  make_scratch(g_dir, sizeof g_dir, "regress_shard");
  cli_result *r = malloc(sizeof *r);
  char junit[1200], work[1200];
  snprintf(junit, sizeof junit, "%s/all-unsharded.xml", g_dir);
  snprintf(work, sizeof work, "%s/work", g_dir);
  RUN(r, g_dir, "regress", "--seeds", "6", "--jobs", "2", "--junit", junit, "--workdir", work);
  ck_assert_msg(r->status == 0, "unsharded run: %s", r->err);
  sh(r, g_dir, "1");
  ck_assert_msg(r->status == 0, "shard 1: %s", r->err);
  sh(r, g_dir, "2");
  ck_assert_msg(r->status == 0, "shard 2: %s", r->err);
  sh(r, g_dir, "3");
  ck_assert_msg(r->status == 0, "shard 3: %s", r->err);
  free(r);
}

/* "name state" per testcase of a regress JUnit file, one per line, in file order. */
static void case_list(const char *path, char *out, size_t cap) {
  static char xml[65536];
  ck_assert_msg(read_text(path, xml, sizeof xml) > 0, "cannot read %s", path);
  out[0] = '\0';
  for (const char *p = strstr(xml, "<testcase "); p; p = strstr(p + 1, "<testcase ")) {
    const char *n = strstr(p, " name=\"");
    ck_assert_ptr_nonnull(n);
    n += 7;
    const char *e = strchr(n, '"'), *close = strchr(p, '>');
    const char *state = close[-1] == '/' ? "pass" : !strncmp(close + 1, "\n    <failure", 13) ? "failure" : "error";
    char line[128];
    snprintf(line, sizeof line, "%.*s %s\n", (int)(e - n), n, state);
    strncat(out, line, cap - strlen(out) - 1);
  }
}

static void path(char *buf, size_t len, const char *name) { snprintf(buf, len, "%s/%s", g_dir, name); }

/* (a) the merged shards are the unsharded run: same case names in the same order, same
 * verdicts, same counts in the testsuite line */
START_TEST(test_merge_equals_unsharded) {
  cli_result r;
  char out[1200], s1[1200], s2[1200], s3[1200], un[1200];
  path(out, sizeof out, "merged.xml");
  path(s1, sizeof s1, "shard-1.txt");
  path(s2, sizeof s2, "shard-2.txt");
  path(s3, sizeof s3, "shard-3.txt");
  path(un, sizeof un, "all-unsharded.xml");
  RUN(&r, g_dir, "regress", "--merge", out, s3, s1, s2); /* any order */
  ck_assert_msg(r.status == 0, "merge: %d %s%s", r.status, r.out, r.err);
  ck_assert_msg(strstr(r.out, "9 of 9: 9 passed, 0 mismatches, 0 errors"), "%s", r.out);
  static char a[8192], b[8192];
  case_list(out, a, sizeof a);
  case_list(un, b, sizeof b);
  ck_assert_str_eq(a, b);
  ck_assert_str_eq(a, "golden-tiny pass\ngolden-seednet-1 pass\ngolden-seednet-2 pass\nseed-1 pass\nseed-2 pass\n"
                      "seed-3 pass\nseed-4 pass\nseed-5 pass\nseed-6 pass\n");
  static char xml[65536];
  read_text(out, xml, sizeof xml);
  ck_assert_ptr_nonnull(strstr(xml, "tests=\"9\" failures=\"0\" errors=\"0\""));
  /* each shard ran its own block: 3 golden cases, seeds 1-3, seeds 4-6 */
  static char txt[8192];
  read_text(s1, txt, sizeof txt);
  ck_assert_ptr_nonnull(strstr(txt, "\nfirst_case = golden-tiny\nlast_case = golden-seednet-2\ncases = 3\n"));
  read_text(s3, txt, sizeof txt);
  ck_assert_ptr_nonnull(strstr(txt, "\nfirst_case = seed-4\nlast_case = seed-6\ncases = 3\n"));
  ck_assert_ptr_nonnull(strstr(txt, "\nfinished = yes\npassed = 3\nmismatches = 0\nerrors = 0\n"));
  ck_assert_int_eq(count_tmp_files(g_dir), 0);
}
END_TEST

/* (b) a shard's summary left out: exit 2 naming the missing shard, no output */
START_TEST(test_missing_shard) {
  cli_result r;
  char out[1200], s1[1200], s3[1200];
  path(out, sizeof out, "missing.xml");
  path(s1, sizeof s1, "shard-1.txt");
  path(s3, sizeof s3, "shard-3.txt");
  RUN(&r, g_dir, "regress", "--merge", out, s1, s3);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "spikeline regress: shard 2/3: missing"), "%s", r.err);
  ck_assert(!file_exists(out));
  /* the same shard twice does not stand in for the missing one */
  RUN(&r, g_dir, "regress", "--merge", out, s1, s3, s3);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "shard 3/3 given twice"), "%s", r.err);
  ck_assert_msg(strstr(r.err, "shard 2/3: missing"), "%s", r.err);
  ck_assert(!file_exists(out));
}
END_TEST

/* a shard whose summary says it did not finish, or whose JUnit file is gone: failed, exit 2 */
START_TEST(test_failed_shard) {
  cli_result r;
  char out[1200], s1[1200], s2[1200], s3[1200], cp[1200];
  path(out, sizeof out, "failed.xml");
  path(s1, sizeof s1, "shard-1.txt");
  path(s2, sizeof s2, "shard-2.txt");
  path(s3, sizeof s3, "shard-3.txt");
  path(cp, sizeof cp, "unfinished-2.txt");
  static char txt[8192];
  long n = read_text(s2, txt, sizeof txt);
  char *f = strstr(txt, "finished = yes");
  ck_assert_ptr_nonnull(f);
  memcpy(f, "finished = no ", 14); /* as written when the shard started */
  char *e = f + 13;
  memmove(e, e + 1, strlen(e + 1) + 1); /* drop the extra space */
  write_bytes(cp, txt, (size_t)n - 1);
  RUN(&r, g_dir, "regress", "--merge", out, s1, cp, s3);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "unfinished-2.txt: shard 2/3 did not finish"), "%s", r.err);
  ck_assert(!file_exists(out));
  /* a summary whose JUnit file does not exist */
  read_text(s2, txt, sizeof txt);
  char *j = strstr(txt, "shard-2.xml");
  ck_assert_ptr_nonnull(j);
  j[6] = '9';
  path(cp, sizeof cp, "nojunit-2.txt");
  write_bytes(cp, txt, strlen(txt));
  RUN(&r, g_dir, "regress", "--merge", out, s1, cp, s3);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "nojunit-2.txt: shard 2/3's JUnit file: ") && strstr(r.err, "shard-9.xml: cannot read"),
                "%s", r.err);
  ck_assert(!file_exists(out));
}
END_TEST

/* (c) a cut summary and a cut JUnit file: one-line error naming the file, exit 2, no output */
START_TEST(test_corrupt_summary) {
  cli_result r;
  char out[1200], s1[1200], s2[1200], s3[1200], cut[1200];
  path(out, sizeof out, "corrupt.xml");
  path(s1, sizeof s1, "shard-1.txt");
  path(s2, sizeof s2, "shard-2.txt");
  path(s3, sizeof s3, "shard-3.txt");
  path(cut, sizeof cut, "cut-2.txt");
  static char txt[8192];
  const long n = read_text(s2, txt, sizeof txt);
  /* every cut at a line end (the last line, 'end', is what tells a whole file) and mid-line */
  for (long at = 0; at < n; at += 37) {
    write_bytes(cut, txt, (size_t)at);
    RUN(&r, g_dir, "regress", "--merge", out, s1, cut, s3);
    ck_assert_msg(r.status == 2, "cut at %ld: status %d", at, r.status);
    /* one line for the cut file, one for the shard it leaves missing */
    ck_assert_msg(!strncmp(r.err, "spikeline regress: ", 19) && strstr(r.err, "cut-2.txt: ") < strchr(r.err, '\n'),
                  "cut at %ld: %s", at, r.err);
    ck_assert_msg(!strcmp(strchr(r.err, '\n'), "\nspikeline regress: shard 2/3: missing (no summary for it among the 3 given)\n"),
                  "cut at %ld: %s", at, r.err);
    ck_assert(!file_exists(out));
  }
  /* without the last line */
  write_bytes(cut, txt, (size_t)n - strlen("end = summary\n"));
  RUN(&r, g_dir, "regress", "--merge", out, s1, cut, s3);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "cut-2.txt: no 'end' line"), "%s", r.err);
  ck_assert(!file_exists(out));
  /* a JUnit file cut short */
  char xml[1200], sum[1200];
  path(xml, sizeof xml, "cut-3.xml");
  path(sum, sizeof sum, "cutj-3.txt");
  static char j[65536], s[8192];
  char orig[1200];
  path(orig, sizeof orig, "shard-3.xml");
  const long jn = read_text(orig, j, sizeof j);
  read_text(s3, s, sizeof s);
  char *at = strstr(s, "shard-3.xml");
  ck_assert_ptr_nonnull(at);
  memcpy(at, "cut-3.xml  ", 11); /* same length: "cut-3.xml" then a gap closed below */
  memmove(at + 9, at + 11, strlen(at + 11) + 1);
  write_bytes(sum, s, strlen(s));
  static const size_t cuts[] = {14, 20, 150}; /* the last line exactly, mid-line, into the cases */
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    write_bytes(xml, j, (size_t)jn - cuts[i]);
    RUN(&r, g_dir, "regress", "--merge", out, s1, s2, sum);
    ck_assert_msg(r.status == 2, "JUnit cut by %zu: status %d", cuts[i], r.status);
    ck_assert_msg(strstr(r.err, "cutj-3.txt: shard 3/3's JUnit file: ") && strstr(r.err, "cut-3.xml: "), "%s", r.err);
    ck_assert(!file_exists(out));
  }
  ck_assert_int_eq(count_tmp_files(g_dir), 0);
}
END_TEST

/* (d) shards of different runs (another --start) are refused */
START_TEST(test_different_runs) {
  char dir[1024];
  make_scratch(dir, sizeof dir, "regress_other");
  cli_result r;
  char junit[1200], sum[1200], work[1200], out[1200], s1[1200], s3[1200];
  snprintf(junit, sizeof junit, "%s/shard-2.xml", dir);
  snprintf(sum, sizeof sum, "%s/shard-2.txt", dir);
  snprintf(work, sizeof work, "%s/work", dir);
  RUN(&r, dir, "regress", "--seeds", "6", "--start", "2", "--jobs", "2", "--shard", "2/3", "--junit", junit,
      "--summary", sum, "--workdir", work);
  ck_assert_msg(r.status == 0, "%s", r.err);
  path(out, sizeof out, "foreign.xml");
  path(s1, sizeof s1, "shard-1.txt");
  path(s3, sizeof s3, "shard-3.txt");
  RUN(&r, g_dir, "regress", "--merge", out, s1, sum, s3);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "shard-2.txt: not the same run as ") && strstr(r.err, "(start 2 vs 1)"), "%s", r.err);
  ck_assert(!file_exists(out));
  /* another number of shards */
  RUN(&r, dir, "regress", "--seeds", "6", "--jobs", "2", "--shard", "2/4", "--junit", junit, "--summary", sum,
      "--workdir", work);
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "regress", "--merge", out, s1, sum, s3);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "shard-2.txt: shard 2/4, but ") && strstr(r.err, "is of 3 shards"), "%s", r.err);
  ck_assert(!file_exists(out));
}
END_TEST

/* (e) a wrong core (+sl_bug=3: ring slots wrap; seed 6 is a saturate case): the merge
 * reports the mismatch, exits 1, and its reproduction command reruns just seed 6 */
START_TEST(test_wrong_core) {
  char dir[1024];
  make_scratch(dir, sizeof dir, "regress_bug");
  cli_result r;
  char junit[1200], sum[1200], work[1200], out[1200], s1[1200];
  snprintf(work, sizeof work, "%s/work", dir);
  for (int k = 1; k <= 2; k++) {
    char shard[8];
    snprintf(shard, sizeof shard, "%d/2", k);
    snprintf(junit, sizeof junit, "%s/shard-%d.xml", dir, k);
    snprintf(sum, sizeof sum, "%s/shard-%d.txt", dir, k);
    RUN(&r, dir, "regress", "--seeds", "8", "--no-golden", "--jobs", "2", "--cosim", SL_COSIM_BUGS, "--plusarg",
        "+sl_bug=3", "--shard", shard, "--junit", junit, "--summary", sum, "--workdir", work);
    ck_assert_msg(r.status == (k == 2), "shard %d: status %d: %s", k, r.status, r.err);
  }
  snprintf(out, sizeof out, "%s/all.xml", dir);
  snprintf(s1, sizeof s1, "%s/shard-1.txt", dir);
  RUN(&r, dir, "regress", "--merge", out, s1, sum);
  ck_assert_msg(r.status == 1, "merge: %d %s%s", r.status, r.out, r.err);
  ck_assert_msg(strstr(r.out, "8 of 8: 7 passed, 1 mismatches, 0 errors"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "first failure: seed-6 (shard 2/2): sl_cosim: MISMATCH"), "%s", r.out);
  const char *rp = strstr(r.out, "  reproduce: spikeline regress ");
  ck_assert_msg(rp != NULL, "%s", r.out);
  static char want[2048];
  snprintf(want, sizeof want, "  reproduce: spikeline regress --start 6 --seeds 1 --no-golden --plusarg +sl_bug=3 "
                              "--cosim %s\n", SL_COSIM_BUGS);
  ck_assert_msg(!strncmp(rp, want, strlen(want)), "%s", rp);
  static char list[8192];
  case_list(out, list, sizeof list);
  ck_assert_str_eq(list, "seed-1 pass\nseed-2 pass\nseed-3 pass\nseed-4 pass\nseed-5 pass\nseed-6 failure\n"
                         "seed-7 pass\nseed-8 pass\n");
  /* the command reruns that one case, and it fails again (its words have no quoting) */
  char cmd[2048], *words[32];
  snprintf(cmd, sizeof cmd, "%s", rp + strlen("  reproduce: spikeline "));
  cmd[strcspn(cmd, "\n")] = '\0';
  int nw = 0;
  for (char *t = strtok(cmd, " "); t && nw < 28; t = strtok(NULL, " ")) words[nw++] = t;
  words[nw++] = "--workdir";
  words[nw++] = work;
  words[nw] = NULL;
  run_cli(&r, dir, (const char *const *)words);
  ck_assert_int_eq(r.status, 1);
  ck_assert_msg(strstr(r.err, "1 case(s) (0 golden, seeds 6..6)") && strstr(r.err, "0 passed, 1 mismatched"), "%s",
                r.err);
}
END_TEST

/* bad K/N: one line, exit 2; N above the number of cases leaves empty shards that pass */
START_TEST(test_bad_shard_and_empty) {
  char dir[1024];
  make_scratch(dir, sizeof dir, "regress_args");
  cli_result r;
  static const char *const bad[] = {"0/3", "4/3", "1/0", "a/b", "2", "1/", "/3", "1/2/3", "-1/3", "+1/3", " 1/3", "1/3x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    RUN(&r, dir, "regress", "--seeds", "1", "--shard", bad[i]);
    ck_assert_msg(r.status == 2, "'%s': %d", bad[i], r.status);
    ck_assert_msg(!strncmp(r.err, "spikeline regress: --shard '", 28) && strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
                  "'%s': %s", bad[i], r.err);
  }
  RUN(&r, dir, "regress", "--summary", "x.txt");
  ck_assert_int_eq(r.status, 2);
  ck_assert_ptr_nonnull(strstr(r.err, "--summary needs --junit"));
  /* 2 cases (no golden, seeds 1..2) in 5 shards: shard 1/5 is empty and says so */
  char junit[1200], sum[1200], work[1200];
  snprintf(junit, sizeof junit, "%s/e.xml", dir);
  snprintf(sum, sizeof sum, "%s/e.txt", dir);
  snprintf(work, sizeof work, "%s/work", dir);
  RUN(&r, dir, "regress", "--seeds", "2", "--no-golden", "--shard", "1/5", "--junit", junit, "--summary", sum,
      "--workdir", work);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.err, "shard 1/5: no cases in this shard"), "%s", r.err);
  static char txt[8192];
  read_text(sum, txt, sizeof txt);
  ck_assert_ptr_nonnull(strstr(txt, "\ncases = 0\n"));
  ck_assert_ptr_nonnull(strstr(txt, "\nfinished = yes\n"));
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("regress_shard");
  TCase *tc = tcase_create("merge");
  tcase_add_unchecked_fixture(tc, setup_runs, NULL);
  tcase_add_test(tc, test_merge_equals_unsharded);
  tcase_add_test(tc, test_missing_shard);
  tcase_add_test(tc, test_failed_shard);
  tcase_add_test(tc, test_corrupt_summary);
  tcase_add_test(tc, test_different_runs);
  tcase_add_test(tc, test_wrong_core);
  tcase_add_test(tc, test_bad_shard_and_empty);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
