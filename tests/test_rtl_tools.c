/* test_rtl_tools.c — the RTL measurement scripts on hand-made inputs: scripts/rtl_coverage.py
 * (per-file figures from Verilator .dat points, the waiver rules: uncovered and unwaived fails,
 * a waiver on a covered or missing line fails, a waiver follows its moved line, instances are
 * summed) and scripts/rtl_mutate.py --list (the mutants of a small module: operators, terms,
 * conditions and constants, never text in comments or strings). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cli_util.h"

static char scratch[1024];
static char out[65536];

static void put(const char *name, const char *text) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", scratch, name);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

/* runs scripts/SCRIPT ARGS in the scratch directory; exit code, stdout+stderr in out */
static int script(const char *name, const char *args) {
  char cmd[3000], outp[1100];
  snprintf(outp, sizeof outp, "%s/.out", scratch);
  snprintf(cmd, sizeof cmd, "cd '%s' && '%s' '%s/scripts/%s' %s > .out 2>&1", scratch, SL_PYTHON, SL_SOURCE_DIR,
           name, args);
  int st = system(cmd);
  ck_assert_int_ge(read_text(outp, out, sizeof out), 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* one Verilator coverage point: file sl_a.sv, line, page, hierarchy, count */
static void point(FILE *f, int line, const char *page, const char *hier, int count) {
  fprintf(f, "C '\001f\002/some/where/sl_a.sv\001l\002%d\001n\0025\001page\002%s\001o\002x\001h\002%s\001S\002%d' %d\n",
          line, page, hier, line, count);
}

static void setup(void) {
  make_scratch(scratch, sizeof scratch, "rtltools");
  put("sl_files.f", "// list\nsl_a.sv\n");
  /* line 3: reached; line 4: reached in one instance only (summed: covered); line 5: never */
  put("sl_a.sv",
      "// sl_a.sv - a comment with a + b and x == y\n"
      "module sl_a (input logic clk_i, input logic a, input logic b, output logic y, output logic z);\n"
      "  assign y = a && b;  // c + d\n"
      "  always_ff @(posedge clk_i) if (a) z <= 1'b0;\n"
      "  initial $display(\"p + q\");\n"
      "endmodule\n");
  char path[1200];
  snprintf(path, sizeof path, "%s/cov.dat", scratch);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs("# SystemC::Coverage-3\n", f);
  point(f, 3, "v_line/sl_a", "TOP.u0", 5);
  point(f, 4, "v_branch/sl_a", "TOP.u0", 0);
  point(f, 4, "v_branch/sl_a", "TOP.u1", 2);
  point(f, 5, "v_line/sl_a", "TOP.u0", 0);
  point(f, 5, "v_line/sl_a", "TOP.u1", 0);
  point(f, 2, "v_toggle/sl_a", "TOP.u0", 1);
  point(f, 2, "v_toggle/sl_a", "TOP.u1", 0);
  fclose(f);
}

static void teardown(void) {
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
  ck_assert_int_eq(system(cmd), 0);
}

START_TEST(coverage_waivers) {
  const char *args = "--rtl . --waivers w.txt cov.dat";
  /* no waiver: line 5 is uncovered and unwaived */
  put("w.txt", "# none\n");
  ck_assert_int_eq(script("rtl_coverage.py", args), 1);
  ck_assert_msg(strstr(out, "sl_a.sv:5: not covered and not waived: initial $display(\"p + q\");"), "%s", out);
  /* 2 of 3 lines (the per-instance counts of line 4 are summed), 1 of 2 toggles */
  ck_assert_msg(strstr(out, "    2/3      66.7 %        0      1/2       50.0 %"), "%s", out);
  /* waived: passes */
  put("w.txt", "sl_a.sv:5 | initial $display(\"p + q\"); | simulation only\n");
  ck_assert_int_eq(script("rtl_coverage.py", args), 0);
  ck_assert_msg(strstr(out, "line coverage with waivers: 100.0 %"), "%s", out);
  /* a waiver whose line moved follows its text */
  put("w.txt", "sl_a.sv:7 | initial $display(\"p + q\"); | simulation only\n");
  ck_assert_int_eq(script("rtl_coverage.py", args), 0);
  ck_assert_msg(strstr(out, "waiver sl_a.sv:7 follows its line to 5"), "%s", out);
  /* a waiver on a covered line, a missing line, a line without points: each fails */
  put("w.txt", "sl_a.sv:5 | initial $display(\"p + q\"); | x\nsl_a.sv:3 | assign y = a && b;  // c + d | x\n");
  ck_assert_int_eq(script("rtl_coverage.py", args), 1);
  ck_assert_msg(strstr(out, "waiver sl_a.sv:3: the line is covered, drop the waiver"), "%s", out);
  put("w.txt", "sl_a.sv:5 | initial $display(\"p + q\"); | x\nsl_a.sv:9 | gone(); | x\n");
  ck_assert_int_eq(script("rtl_coverage.py", args), 1);
  ck_assert_msg(strstr(out, "waiver sl_a.sv:9: no such line 'gone();'"), "%s", out);
  put("w.txt", "sl_a.sv:5 | initial $display(\"p + q\"); | x\nsl_a.sv:6 | endmodule | x\n");
  ck_assert_int_eq(script("rtl_coverage.py", args), 1);
  ck_assert_msg(strstr(out, "waiver sl_a.sv:6: the line carries no coverage point"), "%s", out);
  /* malformed waiver line, missing data: one line naming the file */
  put("w.txt", "sl_a.sv 5 no reason\n");
  ck_assert_int_eq(script("rtl_coverage.py", args), 1);
  ck_assert_msg(strstr(out, "w.txt:1: expected 'file.sv:LINE | source text | reason'"), "%s", out);
  put("w.txt", "\n");
  ck_assert_int_eq(script("rtl_coverage.py", "--rtl . --waivers w.txt nothing.dat"), 1);
  ck_assert_msg(strstr(out, "nothing.dat: cannot read"), "%s", out);
}
END_TEST

START_TEST(mutant_list) {
  ck_assert_int_eq(script("rtl_mutate.py", "--rtl . --list"), 0);
  /* && swapped, each term dropped; the condition negated, the update dropped, 1'b0 -> 1'b1 */
  ck_assert_msg(strstr(out, "[op] assign y = a && b;  // c + d  ->  assign y = a || b;  // c + d"), "%s", out);
  ck_assert_msg(strstr(out, "[term-drop] assign y = a && b;  // c + d  ->  assign y = a ;  // c + d"), "%s", out);
  ck_assert_msg(strstr(out, "[term-drop] assign y = a && b;  // c + d  ->  assign y = b;  // c + d"), "%s", out);
  ck_assert_msg(strstr(out, "[cond-negate] always_ff @(posedge clk_i) if (a) z <= 1'b0;  ->  "
                            "always_ff @(posedge clk_i) if (!(a)) z <= 1'b0;"), "%s", out);
  ck_assert_msg(strstr(out, "[stmt-drop] always_ff @(posedge clk_i) if (a) z <= 1'b0;  ->  "
                            "always_ff @(posedge clk_i) if (a) ;"), "%s", out);
  ck_assert_msg(strstr(out, "[const] always_ff @(posedge clk_i) if (a) z <= 1'b0;  ->  "
                            "always_ff @(posedge clk_i) if (a) z <= 1'b1;"), "%s", out);
  /* nothing in the header (declarations), comments or strings; the nonblocking '<=' is no
   * comparison to swap */
  ck_assert_msg(!strstr(out, "c - d") && !strstr(out, "p - q") && !strstr(out, "a - b"), "%s", out);
  ck_assert_msg(!strstr(out, "z < 1'b0") && !strstr(out, "sl_a.sv:2 "), "%s", out);
  ck_assert_msg(strstr(out, "rtl_mutate: 6 mutants"), "%s", out);
  /* a missing file list: one line naming it */
  ck_assert_int_eq(script("rtl_mutate.py", "--rtl nowhere --list"), 1);
  ck_assert_msg(strstr(out, "nowhere/sl_files.f: cannot read the RTL file list"), "%s", out);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rtl_tools");
  TCase *tc = tcase_create("scripts");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, coverage_waivers);
  tcase_add_test(tc, mutant_list);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int nf = srunner_ntests_failed(sr);
  srunner_free(sr);
  return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
