/* test_tiny_trace.c — the golden trace: `spikeline build` + `spikeline run` of
 * examples/tiny.sln on examples/tiny.sle must reproduce tests/data/tiny.slt byte for byte, and
 * the membrane values of its state dump must equal tests/data/tiny_v.txt. Both files were
 * derived by hand from docs/spec.md (derivation: tests/data/tiny.md). This is the trace the
 * HLS and RTL levels compare with. */
#include "cli_util.h"

static char golden_trace[65536], golden_v[65536];

static void load_golden(void) {
  ck_assert_int_gt(read_text(SL_TEST_DATA "/tiny.slt", golden_trace, sizeof golden_trace), 0);
  ck_assert_int_gt(read_text(SL_TEST_DATA "/tiny_v.txt", golden_v, sizeof golden_v), 0);
}

static void build_tiny(char *dir, size_t dlen, char *model, size_t mlen) {
  make_scratch(dir, dlen, "tiny");
  path_join(model, mlen, dir, "tiny.slm");
  cli_result r;
  RUN(&r, dir, "build", SL_EXAMPLES "/tiny.sln", "-o", model);
  ck_assert_msg(r.status == 0, "build: %s", r.err);
}

START_TEST(trace_matches_golden) {
  load_golden();
  char dir[1024], model[1100], out[1100];
  build_tiny(dir, sizeof dir, model, sizeof model);
  path_join(out, sizeof out, dir, "tiny.slt");
  cli_result r;
  RUN(&r, dir, "run", model, SL_EXAMPLES "/tiny.sle", "-o", out);
  ck_assert_msg(r.status == 0, "run: %s", r.err);
  static char got[65536];
  ck_assert_int_gt(read_text(out, got, sizeof got), 0);
  ck_assert_str_eq(got, golden_trace);
  /* the summary line counts what the hand derivation shows: 10 input events, 5 spikes;
   * labels 0 and 1 both predicted */
  ck_assert_msg(strstr(r.err, "2 sample(s) x 20 steps: 10 input events, 5 spikes") != NULL, "%s", r.err);
  ck_assert_msg(strstr(r.err, "accuracy 2/2") != NULL, "%s", r.err);
}
END_TEST

START_TEST(state_matches_golden) {
  load_golden();
  char dir[1024], model[1100], out[1100], state[1100];
  build_tiny(dir, sizeof dir, model, sizeof model);
  path_join(out, sizeof out, dir, "tiny.slt");
  path_join(state, sizeof state, dir, "tiny.sls");
  cli_result r;
  RUN(&r, dir, "run", "-q", model, SL_EXAMPLES "/tiny.sle", "-o", out, "--state", state);
  ck_assert_msg(r.status == 0, "run: %s", r.err);
  static char dump[1 << 20];
  ck_assert_int_gt(read_text(state, dump, sizeof dump), 0);
  /* keep the header check, then only the "sample" and "v" lines of the dump */
  ck_assert_msg(!strncmp(dump, "sl-state 1 neurons 5 depth 8 steps 20\n", 38), "%s", dump);
  static char got[65536], want[65536];
  size_t g = 0, w = 0;
  for (char *line = strtok(dump, "\n"); line; line = strtok(NULL, "\n"))
    if (!strncmp(line, "v ", 2) || !strncmp(line, "sample ", 7)) g += (size_t)snprintf(got + g, sizeof got - g, "%s\n", line);
  for (char *line = strtok(golden_v, "\n"); line; line = strtok(NULL, "\n"))
    if (line[0] != '#') w += (size_t)snprintf(want + w, sizeof want - w, "%s\n", line);
  ck_assert_str_eq(got, want);
}
END_TEST

int main(void) {
  Suite *s = suite_create("tiny_trace");
  TCase *tc = tcase_create("golden");
  tcase_add_test(tc, trace_matches_golden);
  tcase_add_test(tc, state_matches_golden);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
