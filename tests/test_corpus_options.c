/* test_corpus_options.c — what the corpus generator's options plan (`synth_corpus.py --list`,
 * no audio made): `--lang en` gives English files only with labels 0-9, `--voices wide` its
 * 120 speakers (`--voices all` 160), both the HD split rule (test speakers 4 and 5 only in test, 5 % of each digit
 * of the others), and the default corpus's plan is unchanged. The audio of the default
 * corpus is pinned by test_fe_corpus (default_corpus_unchanged). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* FNV-1a digests of the `--list` output of the version-3 generator's default corpus (its
 * split lists as that generator wrote them, in the --list line format) for --size ci / default */
#define SL_PLAN_CI 0xf8d39d8e9a43ab83ULL
#define SL_PLAN_DEFAULT 0x282587f7ef448925ULL
/* the same for `--lang en --voices wide` (size default), from the generator before
 * --voices all existed: adding it must not move a file of the wide corpus */
#define SL_PLAN_WIDE_EN 0x1574dbfbd9c0b80fULL

typedef struct {
  int files, english, german, label[20], speakers[200], test, train, validation;
  int test_of_4_5, train_of_4_5, max_speaker, bad_label;
  unsigned long long digest; /* FNV-1a over the lines, in order */
} plan;

/* run `synth_corpus.py --list ARGS` and summarise its lines */
static plan list_plan(const char *args) {
  char dir[512], cmd[2048], out[700], line[256];
  make_scratch(dir, sizeof dir, "corpus-plan");
  snprintf(out, sizeof out, "%s/plan.txt", dir);
  snprintf(cmd, sizeof cmd, "'%s' '%s/scripts/corpus/synth_corpus.py' --list %s > '%s'", SL_PYTHON, SL_SOURCE_DIR,
           args, out);
  ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
  FILE *f = fopen(out, "r");
  ck_assert_ptr_nonnull(f);
  plan p;
  memset(&p, 0, sizeof p);
  p.digest = 1469598103934665603ULL;
  while (fgets(line, sizeof line, f)) {
    for (const char *c = line; *c; c++) p.digest = (p.digest ^ (unsigned char)*c) * 1099511628211ULL;
    char name[128], split[32];
    int label;
    ck_assert_msg(sscanf(line, "%127s %d %31s", name, &label, split) == 3, "bad line: %s", line);
    const char *s = strstr(name, "_speaker-");
    ck_assert_ptr_nonnull(s);
    int spk = atoi(s + 9), german = !strncmp(name, "lang-german", 11);
    int digit = name[strlen(name) - 6] - '0';
    p.files++;
    p.german += german;
    p.english += !strncmp(name, "lang-english", 12);
    if (label != digit + 10 * german || label < 0 || label > 19) p.bad_label++;
    else p.label[label]++;
    if (spk >= 0 && spk < 200) p.speakers[spk]++;
    if (spk > p.max_speaker) p.max_speaker = spk;
    int is_test = !strcmp(split, "test");
    p.test += is_test;
    p.train += !strcmp(split, "train");
    p.validation += !strcmp(split, "validation");
    if (spk == 4 || spk == 5) {
      p.test_of_4_5 += is_test;
      p.train_of_4_5 += !is_test;
    }
  }
  fclose(f);
  return p;
}

/* --lang en --voices wide --size default: 120 speakers x 10 digits x 5 trials, English only,
 * labels 0-9 (600 each), speakers 4 and 5 (50 files each) all in test, and per digit
 * round(5 % of 590) = 30 files of the other speakers: 100 + 300 = 400 test files; validation
 * round(10 % of 590) = 59 per digit. */
START_TEST(wide_english) {
  plan p = list_plan("--lang en --voices wide --size default");
  ck_assert_int_eq(p.files, 6000);
  ck_assert_int_eq(p.english, 6000);
  ck_assert_int_eq(p.german, 0);
  ck_assert_int_eq(p.bad_label, 0);
  for (int l = 0; l < 10; l++) ck_assert_int_eq(p.label[l], 600);
  for (int l = 10; l < 20; l++) ck_assert_int_eq(p.label[l], 0);
  ck_assert_int_eq(p.max_speaker, 119);
  for (int s = 0; s < 120; s++) ck_assert_int_eq(p.speakers[s], 50);
  ck_assert_int_eq(p.test_of_4_5, 100);
  ck_assert_int_eq(p.train_of_4_5, 0);
  ck_assert_int_eq(p.test, 400);
  ck_assert_int_eq(p.validation, 590);
  ck_assert_int_eq(p.train + p.validation, 5600);
  ck_assert_msg(p.digest == SL_PLAN_WIDE_EN, "wide English plan digest %016llx", p.digest);
}
END_TEST

/* --voices all --lang en --size ci: the 120 wide speakers and 40 festival voices of other
 * languages (ids 120-159), one trial each: 1,600 files, 10 per speaker; speakers 4 and 5
 * (20 files) all in test */
START_TEST(all_voices_english) {
  plan p = list_plan("--lang en --voices all --size ci");
  ck_assert_int_eq(p.files, 1600);
  ck_assert_int_eq(p.german, 0);
  ck_assert_int_eq(p.bad_label, 0);
  ck_assert_int_eq(p.max_speaker, 159);
  for (int s = 0; s < 160; s++) ck_assert_int_eq(p.speakers[s], 10);
  ck_assert_int_eq(p.test_of_4_5, 20);
  ck_assert_int_eq(p.train_of_4_5, 0);
}
END_TEST

/* --lang en with the standard voices: the default corpus's 20 speakers, English half only */
START_TEST(standard_english) {
  plan p = list_plan("--lang en --size ci");
  ck_assert_int_eq(p.files, 400);
  ck_assert_int_eq(p.german, 0);
  ck_assert_int_eq(p.bad_label, 0);
  for (int l = 0; l < 10; l++) ck_assert_int_eq(p.label[l], 40);
  ck_assert_int_eq(p.max_speaker, 19);
  ck_assert_int_eq(p.test_of_4_5, 40);
  ck_assert_int_eq(p.train_of_4_5, 0);
}
END_TEST

/* --voices wide with both languages: 20 classes, German labels 10-19 */
START_TEST(wide_both_languages) {
  plan p = list_plan("--voices wide --size ci");
  ck_assert_int_eq(p.files, 2400);
  ck_assert_int_eq(p.german, 1200);
  ck_assert_int_eq(p.bad_label, 0);
  for (int l = 0; l < 20; l++) ck_assert_int_eq(p.label[l], 120);
}
END_TEST

/* the default corpus (no new option) plans the same files, labels and splits as before the
 * options existed: the digest of `--list --size ci` and `--list` (default size) as made from
 * the lists of the version-3 generator's corpora. */
START_TEST(default_plan_unchanged) {
  plan ci = list_plan("--size ci"), def = list_plan("");
  ck_assert_int_eq(ci.files, 800);
  ck_assert_int_eq(def.files, 4000);
  ck_assert_msg(ci.digest == SL_PLAN_CI, "ci plan digest %016llx", ci.digest);
  ck_assert_msg(def.digest == SL_PLAN_DEFAULT, "default plan digest %016llx", def.digest);
}
END_TEST

int main(void) {
  Suite *s = suite_create("corpus_options");
  TCase *tc = tcase_create("plan");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, wide_english);
  tcase_add_test(tc, standard_english);
  tcase_add_test(tc, wide_both_languages);
  tcase_add_test(tc, all_voices_english);
  tcase_add_test(tc, default_plan_unchanged);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
