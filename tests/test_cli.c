/* test_cli.c — the `spikeline` binary end to end: build and run on the example, and the
 * bad-input matrix through the CLI — each failure exits non-zero with one stderr line naming
 * the file and the problem, and leaves no output (nor temporary) file behind; a failed
 * rewire leaves the image byte-identical; --help works on every subcommand. */
#include "cli_util.h"
#include "sl_crc32.h"
#include "sl_image.h"

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void fix_crc(uint8_t *buf, size_t len) {
  memset(buf + 12, 0, 4);
  put32(buf + 12, sl_crc32(0, buf, len));
}

/* tiny.slm: 4 inputs, 2 populations, C = 4: S = 9; pop records at 64 and 96, table at 128,
 * 4·9·4 = 144 bytes, file 272 bytes. */
enum { TINY_SIZE = 272, TINY_SYN = 128 };

typedef struct {
  char dir[1024];
  char model[1100];
  uint8_t image[TINY_SIZE];
} fixture;

/* Scratch dir with tiny.slm built from examples/tiny.sln. */
static void setup(fixture *fx) {
  make_scratch(fx->dir, sizeof fx->dir, "cli");
  path_join(fx->model, sizeof fx->model, fx->dir, "tiny.slm");
  cli_result r;
  RUN(&r, fx->dir, "build", SL_EXAMPLES "/tiny.sln", "-o", fx->model);
  ck_assert_msg(r.status == 0, "build failed: %s", r.err);
  FILE *f = fopen(fx->model, "rb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fread(fx->image, 1, TINY_SIZE + 1, f), TINY_SIZE);
  fclose(f);
}

/* A failed command: non-zero exit (not a crash), exactly one stderr line that holds each
 * given substring, no file at `out` (if given) and no temp file in the directory. */
static void expect_failure(const cli_result *r, const fixture *fx, const char *out, const char *s1, const char *s2) {
  ck_assert_msg(r->status != 0 && r->status < 128, "exit status %d; stderr: %s", r->status, r->err);
  size_t len = strlen(r->err);
  ck_assert_msg(len > 1 && r->err[len - 1] == '\n' && strchr(r->err, '\n') == r->err + len - 1,
                "stderr is not one line: '%s'", r->err);
  ck_assert_msg(strstr(r->err, s1) != NULL, "stderr '%s' lacks '%s'", r->err, s1);
  if (s2) ck_assert_msg(strstr(r->err, s2) != NULL, "stderr '%s' lacks '%s'", r->err, s2);
  if (out) ck_assert_msg(!file_exists(out), "%s was left behind", out);
  ck_assert_int_eq(count_tmp_files(fx->dir), 0);
}

/* ---- the good path ------------------------------------------------------------------------- */

START_TEST(build_and_run) {
  fixture fx;
  setup(&fx);
  ck_assert_mem_eq(fx.image, "SLMI", 4);
  char out[1100], state[1100];
  path_join(out, sizeof out, fx.dir, "tiny.slt");
  path_join(state, sizeof state, fx.dir, "tiny.sls");
  cli_result r;
  RUN(&r, fx.dir, "run", fx.model, SL_EXAMPLES "/tiny.sle", "-o", out, "--state", state);
  ck_assert_msg(r.status == 0, "run failed: %s", r.err);
  char buf[65536];
  ck_assert_int_gt(read_text(out, buf, sizeof buf), 0);
  ck_assert_msg(!strncmp(buf, "sl-trace 1 neurons 5 readouts 2 steps 20\nsample 0 label 0\n", 58), "%s", buf);
  ck_assert_int_gt(read_text(state, buf, sizeof buf), 0);
  ck_assert_msg(!strncmp(buf, "sl-state 1 neurons 5 depth 8 steps 20\nsample 0\nv 0 ", 51), "%s", buf);
  ck_assert_int_eq(count_tmp_files(fx.dir), 0);
  /* without -o the trace goes to stdout, identical */
  RUN(&r, fx.dir, "run", "-q", fx.model, SL_EXAMPLES "/tiny.sle");
  ck_assert_int_eq(r.status, 0);
  read_text(out, buf, sizeof buf);
  ck_assert_str_eq(r.out, buf);
  ck_assert_str_eq(r.err, ""); /* -q: no summary */
  /* info prints the sizes */
  RUN(&r, fx.dir, "info", fx.model);
  ck_assert_int_eq(r.status, 0);
  ck_assert_ptr_nonnull(strstr(r.out, "inputs 4, neurons 5, populations 2, depth 8, row capacity 4, readouts 2"));
  /* delay histograms, counted from the table in tests/data/tiny.md */
  ck_assert_ptr_nonnull(strstr(r.out, "delay histogram: 0:3 1:4 2:1 3:1 4:1 7:1\n"));
  ck_assert_ptr_nonnull(strstr(r.out, "into hidden: 0:2 1:2 2:1 3:1 7:1\n"));
  ck_assert_ptr_nonnull(strstr(r.out, "into out: 0:1 1:2 4:1\n"));
}
END_TEST

START_TEST(rewire_success) {
  fixture fx;
  setup(&fx);
  char out[1100];
  path_join(out, sizeof out, fx.dir, "rw.slm");
  cli_result r;
  /* in:1 slot 0 (in:1 → hidden:0 w 60 d 3) becomes hidden:2 w −7 d 5; out:1... untouched */
  RUN(&r, fx.dir, "rewire", fx.model, "-o", out, "in:1/0=hidden:2,-7,5");
  ck_assert_msg(r.status == 0, "%s", r.err);
  uint8_t img[TINY_SIZE + 1];
  FILE *f = fopen(out, "rb");
  ck_assert_uint_eq(fread(img, 1, sizeof img, f), TINY_SIZE);
  fclose(f);
  /* row 1 slot 0 at 128 + 4·4 = 144: 0x80000000 | 2<<16 | 5<<8 | 0xF9 = 0x800205F9 */
  ck_assert_uint_eq(img[144], 0xF9);
  ck_assert_uint_eq(img[145], 0x05);
  ck_assert_uint_eq(img[146], 0x02);
  ck_assert_uint_eq(img[147], 0x80);
  /* every other byte except the CRC is unchanged */
  for (int i = 0; i < TINY_SIZE; i++)
    if ((i < 12 || i > 15) && (i < 144 || i > 147)) ck_assert_msg(img[i] == fx.image[i], "byte %d changed", i);
  /* in place, removing an entry */
  RUN(&r, fx.dir, "rewire", out, "in:1/0=-");
  ck_assert_int_eq(r.status, 0);
  f = fopen(out, "rb");
  ck_assert_uint_eq(fread(img, 1, sizeof img, f), TINY_SIZE);
  fclose(f);
  for (int i = 144; i < 148; i++) ck_assert_uint_eq(img[i], 0);
  ck_assert_int_eq(count_tmp_files(fx.dir), 0);
}
END_TEST

/* A legal image of version 1.3 (spec §8.1: a reader accepts any minor): info reads it and
 * prints the version the file has, not the one this build writes. */
START_TEST(info_minor_version) {
  fixture fx;
  setup(&fx);
  char path[1100];
  path_join(path, sizeof path, fx.dir, "minor.slm");
  uint8_t img[TINY_SIZE];
  memcpy(img, fx.image, TINY_SIZE);
  img[6] = 3;
  fix_crc(img, TINY_SIZE);
  write_bytes(path, img, TINY_SIZE);
  cli_result r;
  RUN(&r, fx.dir, "info", path);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "spikeline model image v1.3, 272 bytes") != NULL, "%s", r.out);
  RUN(&r, fx.dir, "info", fx.model);
  ck_assert_msg(strstr(r.out, "spikeline model image v1.0, 272 bytes") != NULL, "%s", r.out);
}
END_TEST

/* ---- bad images -------------------------------------------------------------------------------- */

static void run_bad_image(const uint8_t *img, size_t len, const char *name, const char *problem) {
  fixture fx;
  setup(&fx);
  char bad[1100], out[1100];
  path_join(bad, sizeof bad, fx.dir, name);
  path_join(out, sizeof out, fx.dir, "out.slt");
  write_bytes(bad, img, len);
  cli_result r;
  RUN(&r, fx.dir, "run", bad, SL_EXAMPLES "/tiny.sle", "-o", out);
  expect_failure(&r, &fx, out, name, problem);
  ck_assert_ptr_nonnull(strstr(r.err, "spikeline run: "));
  /* info and rewire refuse it the same way; rewire leaves it byte-identical */
  RUN(&r, fx.dir, "info", bad);
  expect_failure(&r, &fx, NULL, name, problem);
  RUN(&r, fx.dir, "rewire", bad, "in:0/1=hidden:1,1,1");
  expect_failure(&r, &fx, NULL, name, problem);
  uint8_t back[TINY_SIZE + 8];
  FILE *f = fopen(bad, "rb");
  ck_assert_uint_eq(fread(back, 1, sizeof back, f), len);
  fclose(f);
  ck_assert_mem_eq(back, img, len);
}

static uint8_t tiny_image[TINY_SIZE];
static void load_tiny_image(void) {
  fixture fx;
  setup(&fx);
  memcpy(tiny_image, fx.image, TINY_SIZE);
}

START_TEST(bad_truncated) { run_bad_image(tiny_image, TINY_SIZE - 1, "trunc.slm", "truncated"); }
END_TEST
START_TEST(bad_truncated_header) { run_bad_image(tiny_image, 40, "short.slm", "truncated"); }
END_TEST
START_TEST(bad_empty) { run_bad_image(tiny_image, 0, "empty.slm", "truncated"); }
END_TEST
START_TEST(bad_crc) {
  uint8_t img[TINY_SIZE];
  memcpy(img, tiny_image, TINY_SIZE);
  img[TINY_SYN] ^= 0x01; /* weight of in:0 slot 0 */
  run_bad_image(img, TINY_SIZE, "crc.slm", "CRC");
}
END_TEST
START_TEST(bad_magic) {
  uint8_t img[TINY_SIZE];
  memcpy(img, tiny_image, TINY_SIZE);
  img[0] = 'X';
  run_bad_image(img, TINY_SIZE, "magic.slm", "magic");
}
END_TEST
START_TEST(bad_version) {
  uint8_t img[TINY_SIZE];
  memcpy(img, tiny_image, TINY_SIZE);
  img[4] = 2;
  fix_crc(img, TINY_SIZE);
  run_bad_image(img, TINY_SIZE, "version.slm", "version 2");
}
END_TEST
START_TEST(bad_delay) {
  uint8_t img[TINY_SIZE];
  memcpy(img, tiny_image, TINY_SIZE);
  /* row 0 slot 0 (in:0 → hidden:0 w 60) with delay 9: 0x80000000 | 9<<8 | 60 = 0x8000093C */
  put32(img + TINY_SYN, 0x8000093Cu);
  fix_crc(img, TINY_SIZE);
  run_bad_image(img, TINY_SIZE, "delay.slm", "row 0 slot 0: delay 9");
}
END_TEST
START_TEST(bad_target) {
  uint8_t img[TINY_SIZE];
  memcpy(img, tiny_image, TINY_SIZE);
  /* row 8 (out:1) slot 3 = 128 + 4·(8·4 + 3) = 268: target 7 ≥ 5 */
  put32(img + 268, 0x80070001u);
  fix_crc(img, TINY_SIZE);
  run_bad_image(img, TINY_SIZE, "target.slm", "row 8 slot 3: target 7");
}
END_TEST

/* ---- bad descriptions (build) --------------------------------------------------------------------- */

static void run_bad_build(const char *text, const char *name, const char *s1, const char *s2) {
  fixture fx;
  setup(&fx);
  char sln[1100], out[1100];
  path_join(sln, sizeof sln, fx.dir, name);
  path_join(out, sizeof out, fx.dir, "out.slm");
  write_bytes(sln, text, strlen(text));
  cli_result r;
  RUN(&r, fx.dir, "build", sln, "-o", out);
  expect_failure(&r, &fx, out, s1, s2);
}

/* integer options of gen, regress and classify: the whole text, in range, one line, exit 2
 * (they were read with strtoul: "nan" gave a 0 s timeout, "-1" a huge seed count) */
START_TEST(bad_integer_options) {
  static const char *const cases[][8] = {
      {"regress", "--timeout", "nan", NULL, "--timeout 'nan': not a number"},
      {"regress", "--seeds", "-1", NULL, "--seeds '-1': out of range"},
      {"regress", "--jobs", "0", NULL, "--jobs '0': out of range"},
      {"regress", "--start", "7x", NULL, "--start '7x': not a number"},
      {"gen", "--seed", "1e3", NULL, "--seed '1e3': not a number"},
      {"classify", "m.slm", "-n", "4294967296", NULL, "-n '4294967296': out of range"},
  };
  fixture fx;
  setup(&fx);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cli_result r;
    run_cli(&r, fx.dir, cases[i]);
    const char *want = cases[i][3] ? cases[i][5] : cases[i][4];
    ck_assert_msg(r.status == 2, "case %zu: exit %d", i, r.status);
    ck_assert_msg(strstr(r.err, want) && strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "case %zu: '%s'", i, r.err);
  }
}
END_TEST
START_TEST(bad_build_row_overflow) {
  /* rowcap 2, three entries in row in:0 → line 7 */
  run_bad_build("inputs 1\ndepth 4\nrowcap 2\npop h 3 leak 4096 threshold 5 reset zero spiking\n"
                "syn in:0 h:0 weight 1 delay 0\nsyn in:0 h:1 weight 1 delay 0\nsyn in:0 h:2 weight 1 delay 0\n",
                "over.sln", "over.sln:7:", "row in:0");
}
END_TEST
START_TEST(bad_build_delay) {
  run_bad_build("inputs 1\ndepth 4\nrowcap 2\npop h 3 leak 4096 threshold 5 reset zero spiking\n"
                "syn in:0 h:0 weight 1 delay 4\n",
                "delay.sln", "delay.sln:5:", "delay 4");
}
END_TEST
START_TEST(bad_build_missing_file) {
  fixture fx;
  setup(&fx);
  char out[1100], missing[1100];
  path_join(out, sizeof out, fx.dir, "out.slm");
  path_join(missing, sizeof missing, fx.dir, "nope.sln");
  cli_result r;
  RUN(&r, fx.dir, "build", missing, "-o", out);
  expect_failure(&r, &fx, out, "nope.sln", "cannot open");
}
END_TEST

/* ---- bad events (run) -------------------------------------------------------------------------- */

static void run_bad_events(const char *text, size_t len, const char *s1, const char *s2) {
  fixture fx;
  setup(&fx);
  char sle[1100], out[1100], state[1100];
  path_join(sle, sizeof sle, fx.dir, "bad.sle");
  path_join(out, sizeof out, fx.dir, "out.slt");
  path_join(state, sizeof state, fx.dir, "out.sls");
  write_bytes(sle, text, len);
  cli_result r;
  RUN(&r, fx.dir, "run", fx.model, sle, "-o", out, "--state", state);
  expect_failure(&r, &fx, out, s1, s2);
  ck_assert(!file_exists(state));
}

#define T(s) s, sizeof(s) - 1
START_TEST(bad_events_lines) {
  run_bad_events(T("sl-events 1 channels 4 steps 20\n0 0 1\n0 0 1\n"), "bad.sle:3:", "twice");
  run_bad_events(T("sl-events 1 channels 4 steps 20\n# c\n20 0 1\n"), "bad.sle:3:", "step 20");
  run_bad_events(T("sl-events 1 channels 4 steps 20\n5 0 1\n4 0 1\n"), "bad.sle:3:", "decrease");
  run_bad_events(T("sl-events 1 channels 4 steps 20\n0 4 1\n"), "bad.sle:2:", "channel 4");
  run_bad_events(T("sl-events 1 channels 4 steps 20\n0 0 256\n"), "bad.sle:2:", "payload 256");
  run_bad_events(T("sl-events 1 channels 4 steps 20\n0 0 0\n"), "bad.sle:2:", "payload 0");
  run_bad_events(T("sl-events 1 channels 4 steps 20\n0 zero 1\n"), "bad.sle:2:", "<step> <channel> <payload>");
  run_bad_events(T("0 0 1\n"), "bad.sle:1:", "header");
  run_bad_events(T("sl-events 1 channels 4 steps 20\n1 1\0 1\n"), "bad.sle:2:", "binary");
  /* more channels than the model has inputs */
  run_bad_events(T("sl-events 1 channels 5 steps 20\n0 0 1\n"), "bad.sle", "5 channels");
}
END_TEST

/* ---- rewire refusals ------------------------------------------------------------------------- */

static void run_bad_rewire(const char *edit1, const char *edit2, const char *s1, const char *s2) {
  fixture fx;
  setup(&fx);
  char out[1100];
  path_join(out, sizeof out, fx.dir, "rw.slm");
  cli_result r;
  /* with -o: no output file */
  if (edit2) RUN(&r, fx.dir, "rewire", fx.model, "-o", out, edit1, edit2);
  else RUN(&r, fx.dir, "rewire", fx.model, "-o", out, edit1);
  expect_failure(&r, &fx, out, s1, s2);
  ck_assert_ptr_nonnull(strstr(r.err, "tiny.slm"));
  /* in place: the image stays byte-identical */
  if (edit2) RUN(&r, fx.dir, "rewire", fx.model, edit1, edit2);
  else RUN(&r, fx.dir, "rewire", fx.model, edit1);
  expect_failure(&r, &fx, NULL, s1, s2);
  uint8_t back[TINY_SIZE + 1];
  FILE *f = fopen(fx.model, "rb");
  ck_assert_uint_eq(fread(back, 1, sizeof back, f), TINY_SIZE);
  fclose(f);
  ck_assert_mem_eq(back, fx.image, TINY_SIZE);
}

START_TEST(bad_rewire) {
  run_bad_rewire("in:0/1=hidden:3,1,0", NULL, "edit 1", "hidden:3");     /* target out of range */
  run_bad_rewire("in:0/1=nobody:0,1,0", NULL, "edit 1", "nobody:0");     /* unknown target */
  run_bad_rewire("in:0/1=hidden:0,128,0", NULL, "edit 1", "weight '128'");
  run_bad_rewire("in:0/1=hidden:0,-129,0", NULL, "edit 1", "weight '-129'");
  run_bad_rewire("in:0/1=hidden:0,1,8", NULL, "edit 1", "delay '8'");    /* delay = depth */
  run_bad_rewire("in:0/4=hidden:0,1,0", NULL, "edit 1", "slot '4'");     /* slot = row_cap */
  run_bad_rewire("in:4/0=hidden:0,1,0", NULL, "edit 1", "in:4");         /* source out of range */
  run_bad_rewire("out:2/0=-", NULL, "edit 1", "out:2");
  run_bad_rewire("in:0", NULL, "edit 1", "SOURCE/SLOT");                  /* malformed */
  /* a good first edit does not get written when the second fails */
  run_bad_rewire("in:0/1=hidden:1,5,0", "in:0/2=hidden:1,5,9", "edit 2", "delay '9'");
}
END_TEST

/* ---- usage ------------------------------------------------------------------------------------ */

START_TEST(help_everywhere) {
  fixture fx;
  make_scratch(fx.dir, sizeof fx.dir, "help");
  static const char *cmds[] = {"run", "info", "rewire", "build"};
  cli_result r;
  for (int i = 0; i < 4; i++) {
    RUN(&r, fx.dir, cmds[i], "--help");
    ck_assert_msg(r.status == 0, "%s --help: status %d", cmds[i], r.status);
    char want[64];
    snprintf(want, sizeof want, "usage: spikeline %s", cmds[i]);
    ck_assert_msg(strstr(r.out, want) != NULL, "%s --help printed '%s'", cmds[i], r.out);
    RUN(&r, fx.dir, cmds[i], "-h");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, want));
  }
  RUN(&r, fx.dir, "--help");
  ck_assert_int_eq(r.status, 0);
  for (int i = 0; i < 4; i++) ck_assert_ptr_nonnull(strstr(r.out, cmds[i]));
  /* an unknown command and missing arguments: usage errors (exit 2) */
  RUN(&r, fx.dir, "frobnicate");
  ck_assert_int_eq(r.status, 2);
  ck_assert_ptr_nonnull(strstr(r.err, "frobnicate"));
  RUN(&r, fx.dir, "run", "only-one-arg");
  ck_assert_int_eq(r.status, 2);
  RUN(&r, fx.dir, "build", "x.sln");
  ck_assert_int_eq(r.status, 2);
}
END_TEST

static Suite *cli_suite(void) {
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("good");
  tcase_add_test(tc, build_and_run);
  tcase_add_test(tc, rewire_success);
  tcase_add_test(tc, info_minor_version);
  tcase_add_test(tc, help_everywhere);
  suite_add_tcase(s, tc);
  tc = tcase_create("bad_image");
  tcase_add_unchecked_fixture(tc, load_tiny_image, NULL);
  tcase_add_test(tc, bad_truncated);
  tcase_add_test(tc, bad_truncated_header);
  tcase_add_test(tc, bad_empty);
  tcase_add_test(tc, bad_crc);
  tcase_add_test(tc, bad_magic);
  tcase_add_test(tc, bad_version);
  tcase_add_test(tc, bad_delay);
  tcase_add_test(tc, bad_target);
  suite_add_tcase(s, tc);
  tc = tcase_create("bad_build");
  tcase_add_test(tc, bad_integer_options);
  tcase_add_test(tc, bad_build_row_overflow);
  tcase_add_test(tc, bad_build_delay);
  tcase_add_test(tc, bad_build_missing_file);
  suite_add_tcase(s, tc);
  tc = tcase_create("bad_events");
  tcase_add_test(tc, bad_events_lines);
  suite_add_tcase(s, tc);
  tc = tcase_create("bad_rewire");
  tcase_add_test(tc, bad_rewire);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(cli_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
