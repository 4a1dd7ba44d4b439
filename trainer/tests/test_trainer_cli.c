/* test_trainer_cli.c — `spikeline train` / `eval` / `build` refuse bad options, configuration
 * files, checkpoints and data through the real CLI: a non-zero exit within seconds, exactly one
 * stderr line naming the option or file and the problem, and no output left behind. Also: a
 * tiny training run succeeds (the sanitizer pass runs it), its outputs get the umask's mode,
 * and its checkpoint evaluates. The crafted files are in tests/data/bad/ (found by fuzzing:
 * ckpt_*.slc, cfg_hidden_overflow.cfg, cache_zero_samples.slf). */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include "cli_util.h"

#define BAD SL_TEST_DATA "/bad/"
#define LIMIT_S 30 /* wall seconds a refusal may take (it takes milliseconds; a hang is killed) */

/* Run SL_CLI with args (NULL-ended), killed after LIMIT_S seconds (status 124 then). */
static void run_timed(cli_result *r, const char *dir, const char *const *args) {
  char outp[1100], errp[1100];
  snprintf(outp, sizeof outp, "%s/.stdout", dir);
  snprintf(errp, sizeof errp, "%s/.stderr", dir);
  const char *argv[128];
  int n = 0;
  argv[n++] = SL_CLI;
  while (*args && n < 127) argv[n++] = *args++;
  argv[n] = NULL;
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(126);
    struct rlimit cpu = {LIMIT_S + 5, LIMIT_S + 5};
    setrlimit(RLIMIT_CPU, &cpu);
    execv(SL_CLI, (char *const *)argv);
    _exit(127);
  }
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int st = 0, timed_out = 0;
  for (;;) {
    pid_t w = waitpid(pid, &st, WNOHANG);
    if (w == pid) break;
    ck_assert_int_eq(w, 0);
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (t.tv_sec - t0.tv_sec > LIMIT_S) {
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      timed_out = 1;
      break;
    }
    nanosleep(&(struct timespec){0, 2000000}, NULL);
  }
  r->status = timed_out ? 124 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  if (read_text(outp, r->out, sizeof r->out) < 0) r->out[0] = '\0';
  if (read_text(errp, r->err, sizeof r->err) < 0) r->err[0] = '\0';
  unlink(outp);
  unlink(errp);
}
#define RUNT(r, dir, ...)                             \
  do {                                                \
    const char *const args_[] = {__VA_ARGS__, NULL};  \
    run_timed((r), (dir), args_);                     \
  } while (0)

/* exit code `code`, one stderr line starting "spikeline <cmd>: " holding every substring
 * (NULL-ended) */
static void expect_refusal(const cli_result *r, int code, const char *cmd, ...) {
  ck_assert_msg(r->status != 124, "timed out (> %d s); stderr: %s", LIMIT_S, r->err);
  ck_assert_msg(r->status == code, "exit %d, want %d; stderr: %s", r->status, code, r->err);
  const size_t len = strlen(r->err);
  ck_assert_msg(len > 0 && r->err[len - 1] == '\n' && strchr(r->err, '\n') == r->err + len - 1,
                "want exactly one stderr line, got: '%s'", r->err);
  char pre[64];
  snprintf(pre, sizeof pre, "spikeline %s: ", cmd);
  ck_assert_msg(!strncmp(r->err, pre, strlen(pre)), "stderr does not start with '%s': %s", pre, r->err);
  va_list ap;
  va_start(ap, cmd);
  for (const char *s; (s = va_arg(ap, const char *));)
    ck_assert_msg(strstr(r->err, s) != NULL, "stderr '%s' lacks '%s'", r->err, s);
  va_end(ap);
}

/* a tiny network on a synthetic corpus: 4 inputs, 20 steps, 8 hidden, 2 classes; seconds */
#define TINY_NET "--inputs", "4", "--steps", "20", "--hidden", "8", "--classes", "2", "--taps", "4", "--batch", "8", \
                 "--no-plot", "--quiet", "--threads", "1"
#define TINY TINY_NET, "--synth", "8"

/* ---- item: sizes that overflow, ranges checked before multiplying ---------------------------- */

START_TEST(hidden_times_layers_overflow) {
  char dir[512], out[1100];
  make_scratch(dir, sizeof dir, "tcli");
  path_join(out, sizeof out, dir, "out");
  cli_result r;
  /* 1073741825 x 4 wraps to 4 in 32 bits: it used to pass the check and then hang */
  RUNT(&r, dir, "train", "--hidden", "1073741825", "--layers", "4", "-o", out);
  expect_refusal(&r, 2, "train", "hidden", "1073741825", "out of range", NULL);
  ck_assert(!file_exists(out));
  RUNT(&r, dir, "train", "--config", BAD "cfg_hidden_overflow.cfg", "-o", out);
  expect_refusal(&r, 2, "train", "cfg_hidden_overflow.cfg:1:", "hidden", "1073741825", "out of range", NULL);
  ck_assert(!file_exists(out));
  /* echoed as given, not wrapped to a negative number */
  RUNT(&r, dir, "train", "--hidden", "2147483648", "-o", out);
  expect_refusal(&r, 2, "train", "hidden 2147483648 out of range 1..1024", NULL);
  ck_assert(!file_exists(out));
  RUNT(&r, dir, "train", "--batch", "2147483647", "-o", out);
  expect_refusal(&r, 2, "train", "batch 2147483647 out of range", NULL);
  RUNT(&r, dir, "train", "--epochs", "99999999999999999999", "-o", out);
  expect_refusal(&r, 2, "train", "epochs 99999999999999999999 out of range", NULL);
  RUNT(&r, dir, "train", "--synth", "2147483648", "-o", out);
  expect_refusal(&r, 2, "train", "--synth 2147483648 out of range", NULL);
  RUNT(&r, dir, "train", "--threads", "-1", "-o", out);
  expect_refusal(&r, 2, "train", "--threads -1 out of range", NULL);
  RUNT(&r, dir, "train", "--synth-seed", "-1", "-o", out);
  expect_refusal(&r, 2, "train", "--synth-seed '-1'", NULL);
  ck_assert(!file_exists(out));
  ck_assert_int_eq(count_entries(dir), 0);
}
END_TEST

/* ---- item: every option and configuration key refuses non-finite values ----------------------- */

/* the option names, from --print-config (every key the trainer takes) */
static int config_keys(char keys[][64], int cap) {
  char dir[512];
  make_scratch(dir, sizeof dir, "tkeys");
  cli_result r;
  RUNT(&r, dir, "train", "--print-config");
  ck_assert_int_eq(r.status, 0);
  int n = 0;
  for (char *line = strtok(r.out, "\n"); line && n < cap; line = strtok(NULL, "\n"))
    if (sscanf(line, "%63s =", keys[n]) == 1) n++;
  rmdir(dir);
  return n;
}

START_TEST(nonfinite_options) {
  static char keys[80][64];
  const int nk = config_keys(keys, 80);
  ck_assert_int_ge(nk, 40);
  char dir[512], out[1100], cfg[1100];
  make_scratch(dir, sizeof dir, "tnan");
  path_join(out, sizeof out, dir, "out");
  path_join(cfg, sizeof cfg, dir, "bad.cfg");
  static const char *vals[] = {"nan", "inf", "-inf", "1e999", "0/0", "-nan"};
  cli_result r;
  for (int k = 0; k < nk; k++) {
    char opt[80];
    snprintf(opt, sizeof opt, "--%.60s", keys[k]);
    for (size_t v = 0; v < sizeof vals / sizeof *vals; v++) {
      /* on the command line */
      RUNT(&r, dir, "train", opt, vals[v], "-o", out);
      expect_refusal(&r, 2, "train", keys[k], vals[v], NULL);
      /* in a configuration file */
      if (v % 2) continue;
      char text[200];
      snprintf(text, sizeof text, "# bad\n%.60s = %s\n", keys[k], vals[v]);
      write_bytes(cfg, text, strlen(text));
      RUNT(&r, dir, "train", "--config", cfg, "-o", out);
      expect_refusal(&r, 2, "train", "bad.cfg:2:", keys[k], vals[v], NULL);
    }
  }
  /* the example: it trained and exported a model with leak 0 */
  RUNT(&r, dir, "train", "--tau", "nan", TINY, "--epochs", "1", "--qat-epochs", "0", "-o", out);
  expect_refusal(&r, 2, "train", "tau", "nan", "not a finite number", NULL);
  ck_assert(!file_exists(out));
  unlink(cfg);
  ck_assert_int_eq(count_entries(dir), 0);
}
END_TEST

/* ---- item: --config must be a regular file --------------------------------------------------- */

START_TEST(config_directory) {
  char dir[512], out[1100], sub[1100];
  make_scratch(dir, sizeof dir, "tcfgdir");
  path_join(out, sizeof out, dir, "out");
  path_join(sub, sizeof sub, dir, "conf.d");
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  cli_result r;
  RUNT(&r, dir, "train", "--config", sub, "-o", out);
  expect_refusal(&r, 2, "train", sub, "not a regular file", NULL);
  ck_assert(!file_exists(out));
}
END_TEST

/* ---- item: checkpoints are checked before they are read -------------------------------------- */

static void bad_ckpt(const char *name, const char *problem) {
  char dir[512], path[1100], out[1100];
  make_scratch(dir, sizeof dir, "tckpt");
  snprintf(path, sizeof path, BAD "%s", name);
  path_join(out, sizeof out, dir, "out");
  cli_result r;
  RUNT(&r, dir, "eval", path, "--synth", "4");
  expect_refusal(&r, 1, "eval", path, problem, NULL);
  ck_assert_str_eq(r.out, "");
  /* the trainer refuses it as a starting point the same way, and writes nothing */
  RUNT(&r, dir, "train", TINY, "--init", path, "-o", out);
  expect_refusal(&r, 1, "train", path, problem, NULL);
  ck_assert(!file_exists(out));
}

START_TEST(ckpt_header_only) { bad_ckpt("ckpt_header_only.slc", "too short"); }
END_TEST
START_TEST(ckpt_cfg_half) { bad_ckpt("ckpt_cfg_half.slc", "too short"); }
END_TEST
START_TEST(ckpt_sigma_nan) { bad_ckpt("ckpt_sigma_nan.slc", "sigma"); }
END_TEST
START_TEST(ckpt_delay_pos_huge) { bad_ckpt("ckpt_delay_pos_huge.slc", "delay position"); }
END_TEST

/* ---- item: a refused run leaves no output folder, and keeps the user's ------------------------ */

START_TEST(zero_samples_no_folder) {
  char dir[512], out[1100], mine[1100], keep[1100];
  make_scratch(dir, sizeof dir, "tzero");
  path_join(out, sizeof out, dir, "out");
  cli_result r;
  RUNT(&r, dir, "train", "--features", BAD "cache_zero_samples.slf", "-o", out, "--no-plot", "--quiet");
  expect_refusal(&r, 1, "train", "cache_zero_samples.slf: no training samples", NULL);
  ck_assert_msg(!file_exists(out), "a refused run left %s behind", out);
  /* a folder the user already had stays, with its contents */
  path_join(mine, sizeof mine, dir, "mine");
  ck_assert_int_eq(mkdir(mine, 0755), 0);
  snprintf(keep, sizeof keep, "%.1000s/notes.txt", mine);
  write_bytes(keep, "x\n", 2);
  RUNT(&r, dir, "train", "--features", BAD "cache_zero_samples.slf", "-o", mine, "--no-plot", "--quiet");
  expect_refusal(&r, 1, "train", "cache_zero_samples.slf: no training samples", NULL);
  ck_assert(file_exists(keep));
  ck_assert_int_eq(count_entries(mine), 1);
}
END_TEST

/* ---- item: messages that said the wrong thing ------------------------------------------------- */

START_TEST(build_inputs_range) {
  char dir[512], sln[1100], out[1100];
  make_scratch(dir, sizeof dir, "tbuild");
  path_join(sln, sizeof sln, dir, "big.sln");
  path_join(out, sizeof out, dir, "big.slm");
  static const char *cases[][2] = {{"inputs 2147483648\n", "inputs 2147483648 out of range 1..65535"},
                                   {"inputs 99999999999999999999\n", "out of range 1..65535"},
                                   {"inputs 65536\n", "inputs 65536 out of range 1..65535"},
                                   {"inputs 0\n", "inputs 0 out of range 1..65535"},
                                   {"inputs two\n", "expected 'inputs <number>'"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    write_bytes(sln, cases[i][0], strlen(cases[i][0]));
    cli_result r;
    RUNT(&r, dir, "build", sln, "-o", out);
    expect_refusal(&r, 1, "build", "big.sln:1:", cases[i][1], NULL);
    ck_assert(!file_exists(out));
  }
}
END_TEST

/* ---- a tiny training run: success, output modes, evaluation; bad data against it ------------- */

static char tiny_dir[512], tiny_run[800], tiny_ckpt[1100];

static void mode_is(const char *dir, const char *name, mode_t want) {
  char p[1200];
  snprintf(p, sizeof p, "%.800s/%.100s", dir, name);
  struct stat sb;
  ck_assert_msg(stat(p, &sb) == 0, "%s missing", p);
  ck_assert_msg((sb.st_mode & 0777) == want, "%s has mode %03o, want %03o", p, sb.st_mode & 0777, want);
}

static void train_tiny(const char *out, mode_t mask) {
  const mode_t old = umask(mask);
  cli_result r;
  RUNT(&r, tiny_dir, "train", TINY, "--epochs", "2", "--qat-epochs", "1", "-o", out);
  umask(old);
  ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
  ck_assert_ptr_nonnull(strstr(r.out, "deployed accuracy"));
}

START_TEST(tiny_train_modes) {
  /* outputs get 0666 & ~umask, as any file a program creates */
  train_tiny(tiny_run, 022);
  mode_is(tiny_run, "checkpoint.slc", 0644);
  mode_is(tiny_run, "metrics.csv", 0644);
  mode_is(tiny_run, "model.slm", 0644);
  ck_assert_int_eq(count_tmp_files(tiny_run), 0);
  char other[1100];
  path_join(other, sizeof other, tiny_dir, "run027");
  train_tiny(other, 027);
  mode_is(other, "checkpoint.slc", 0640);
  mode_is(other, "model.slm", 0640);
  /* and a model image written by `build` */
  char slm[1100];
  path_join(slm, sizeof slm, tiny_dir, "tiny.slm");
  const mode_t old = umask(002);
  cli_result r;
  RUNT(&r, tiny_dir, "build", SL_EXAMPLES "/tiny.sln", "-o", slm);
  umask(old);
  ck_assert_msg(r.status == 0, "%s", r.err);
  mode_is(tiny_dir, "tiny.slm", 0664);
  /* the checkpoint evaluates */
  RUNT(&r, tiny_dir, "eval", tiny_ckpt, "--synth", "8");
  ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
  ck_assert_ptr_nonnull(strstr(r.out, "accuracy"));
}
END_TEST

static void setup_tiny(void) {
  make_scratch(tiny_dir, sizeof tiny_dir, "ttiny");
  path_join(tiny_run, sizeof tiny_run, tiny_dir, "run");
  path_join(tiny_ckpt, sizeof tiny_ckpt, tiny_run, "checkpoint.slc");
}

/* event files for the tiny network (4 channels, 20 steps) */
static void events_file(char *path, size_t len, const char *name, const char *text) {
  snprintf(path, len, "%.600s/%.100s", tiny_dir, name);
  write_bytes(path, text, strlen(text));
}

START_TEST(eval_zero_samples) {
  if (!file_exists(tiny_ckpt)) train_tiny(tiny_run, 022);
  char ev[1100], slm[1100];
  events_file(ev, sizeof ev, "empty.sle", "sl-events 1 channels 4 steps 20\n");
  path_join(slm, sizeof slm, tiny_run, "model.slm");
  cli_result r;
  /* an event file without samples reads as one empty sample without a label */
  RUNT(&r, tiny_dir, "eval", tiny_ckpt, "--test-events", ev);
  expect_refusal(&r, 1, "eval", "empty.sle: sample 0 has no label", NULL);
  RUNT(&r, tiny_dir, "eval", slm, "--test-events", ev);
  expect_refusal(&r, 1, "eval", "empty.sle", NULL);
  /* samples, but none in the split asked for */
  events_file(ev, sizeof ev, "one.sle", "sl-events 1 channels 4 steps 20\nsample 0 label 1\n0 0 1\n");
  RUNT(&r, tiny_dir, "eval", tiny_ckpt, "--test-events", ev, "--split", "val");
  expect_refusal(&r, 1, "eval", "one.sle: no val samples", NULL);
  RUNT(&r, tiny_dir, "eval", tiny_ckpt, "--test-events", ev);
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUNT(&r, tiny_dir, "eval", slm, "--test-events", ev, "--split", "train");
  expect_refusal(&r, 1, "eval", "one.sle: no train samples", NULL);
  RUNT(&r, tiny_dir, "eval", slm, "--test-events", ev);
  ck_assert_msg(r.status == 0, "%s", r.err);
}
END_TEST

START_TEST(labels_beyond_readouts) {
  if (!file_exists(tiny_ckpt)) train_tiny(tiny_run, 022);
  char ev[1100], slm[1100], out[1100];
  events_file(ev, sizeof ev, "lab.sle", "sl-events 1 channels 4 steps 20\nsample 0 label 1\n0 0 1\nsample 1 label 2\n3 1 9\n");
  path_join(slm, sizeof slm, tiny_run, "model.slm");
  path_join(out, sizeof out, tiny_dir, "labrun");
  cli_result r;
  RUNT(&r, tiny_dir, "eval", tiny_ckpt, "--test-events", ev);
  expect_refusal(&r, 1, "eval", "lab.sle", "label 2", "2 readouts", NULL);
  RUNT(&r, tiny_dir, "eval", slm, "--test-events", ev);
  expect_refusal(&r, 1, "eval", "lab.sle", "label 2", "2 readouts", NULL);
  RUNT(&r, tiny_dir, "train", TINY_NET, "--train-events", ev, "--test-events", ev, "-o", out);
  expect_refusal(&r, 1, "train", "lab.sle", "label 2", "2 readouts", NULL);
  ck_assert(!file_exists(out));
}
END_TEST

static Suite *trainer_cli_suite(void) {
  Suite *s = suite_create("trainer_cli");
  TCase *tc = tcase_create("refusals");
  tcase_add_test(tc, hidden_times_layers_overflow);
  tcase_add_test(tc, nonfinite_options);
  tcase_add_test(tc, config_directory);
  tcase_add_test(tc, ckpt_header_only);
  tcase_add_test(tc, ckpt_cfg_half);
  tcase_add_test(tc, ckpt_sigma_nan);
  tcase_add_test(tc, ckpt_delay_pos_huge);
  tcase_add_test(tc, zero_samples_no_folder);
  tcase_add_test(tc, build_inputs_range);
  suite_add_tcase(s, tc);
  tc = tcase_create("tiny");
  tcase_add_unchecked_fixture(tc, setup_tiny, NULL);
  tcase_add_test(tc, tiny_train_modes);
  tcase_add_test(tc, eval_zero_samples);
  tcase_add_test(tc, labels_beyond_readouts);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(trainer_cli_suite());
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
