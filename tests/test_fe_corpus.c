/* test_fe_corpus.c — the synthesised `ci` corpus (made by the corpus_ci fixture): its split
 * lists follow the HD rule and name only existing files, speakers 4 and 5 stay out of
 * training, every file is 48 kHz 16-bit mono FLAC, the loader and front end read it, and
 * `spikeline features` / `spikeline events` turn it into a cache and a valid event file, and
 * `spikeline eval --per-speaker` groups its test speakers by whether training heard them; and
 * the default corpus stays byte-identical to what the version-3 generator made. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_util.h"
#include "sl_events.h"
#include "sl_fe.h"
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"
#include "sl_fe_quant.h"

/* the ci corpus: 20 speakers x 20 classes x 2 trials (scripts/corpus/synth_corpus.py) */
#define CI_FILES 800

static char tmpdir[512];

typedef struct {
  char (*name)[64];
  int n;
} list;

static list read_list(const char *file) {
  char p[1024], line[256];
  snprintf(p, sizeof p, "%s/%s", SL_CORPUS_CI, file);
  FILE *f = fopen(p, "r");
  ck_assert_msg(f != NULL, "cannot open %s", p);
  list l = {malloc(4096 * 64), 0};
  while (fgets(line, sizeof line, f) && l.n < 4096) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] && strlen(line) < 64) strcpy(l.name[l.n++], line);
  }
  fclose(f);
  return l;
}

static int in_list(const list *l, const char *name) {
  for (int i = 0; i < l->n; i++)
    if (!strcmp(l->name[i], name)) return 1;
  return 0;
}

static int speaker_of(const char *name) {
  const char *s = strstr(name, "_speaker-");
  return s ? atoi(s + 9) : -1;
}

START_TEST(split_rule) {
  list train = read_list("train_filenames.txt"), test = read_list("test_filenames.txt"),
       valid = read_list("validation_filenames.txt");
  /* every audio file is in exactly one of train/test */
  char p[1024];
  snprintf(p, sizeof p, "%s/audio", SL_CORPUS_CI);
  DIR *d = opendir(p);
  ck_assert_ptr_nonnull(d);
  int files = 0, group_all[2][10] = {{0}}, group_test[2][10] = {{0}};
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    files++;
    int tr = in_list(&train, de->d_name), te = in_list(&test, de->d_name);
    ck_assert_msg(tr + te == 1, "%s is in %d lists", de->d_name, tr + te);
    int spk = speaker_of(de->d_name), german = strstr(de->d_name, "lang-german") != NULL;
    int digit = de->d_name[strlen(de->d_name) - 6] - '0';
    if (spk == 4 || spk == 5) {
      ck_assert_msg(te, "%s (test speaker) is not in test", de->d_name);
    } else {
      group_all[german][digit]++;
      group_test[german][digit] += te;
    }
  }
  closedir(d);
  ck_assert_int_eq(files, train.n + test.n);
  ck_assert_int_eq(files, CI_FILES);
  /* listed names exist (they were all found in audio/ above, and counts agree) */
  for (int i = 0; i < train.n; i++) {
    int spk = speaker_of(train.name[i]);
    ck_assert_msg(spk != 4 && spk != 5, "%s in training", train.name[i]);
  }
  /* 5 % of each digit x language of the other speakers, rounded */
  for (int g = 0; g < 2; g++)
    for (int dg = 0; dg < 10; dg++) {
      int want = (int)floor(0.05 * group_all[g][dg] + 0.5);
      if (want < 1) want = 1;
      ck_assert_msg(group_test[g][dg] == want, "lang %d digit %d: %d of %d in test, want %d", g, dg,
                    group_test[g][dg], group_all[g][dg], want);
    }
  /* validation: part of train, so from training speakers only */
  ck_assert_int_gt(valid.n, 0);
  for (int i = 0; i < valid.n; i++) ck_assert_msg(in_list(&train, valid.name[i]), "%s", valid.name[i]);
  free(train.name), free(test.name), free(valid.name);
}
END_TEST

START_TEST(files_and_features) {
  sl_fe_hd hd;
  sl_err e;
  ck_assert_msg(sl_fe_hd_open(SL_CORPUS_CI, &hd, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(hd.n, CI_FILES);
  sl_fe_params p;
  sl_fe_params_default(&p);
  sl_fe *fe = sl_fe_open(&p, &e);
  long short_ones = 0;
  for (size_t i = 0; i < hd.n; i++) {
    char path[1200];
    sl_fe_hd_path(&hd, i, path, sizeof path);
    SF_INFO si = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &si);
    ck_assert_msg(sf != NULL, "%s: %s", path, sf_strerror(NULL));
    sf_close(sf);
    ck_assert_int_eq(si.samplerate, 48000);
    ck_assert_int_eq(si.channels, 1);
    ck_assert_int_eq(si.format, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    short_ones += si.frames <= (sf_count_t)(0.8 * 48000);
    if (i % 16) continue;
    float feat[80 * 40];
    sl_fe_info info;
    ck_assert_msg(sl_fe_file_features(fe, path, feat, &info, &e) == SL_OK, "%s", e.msg);
    float mx = 0.0f;
    for (int k = 0; k < 80 * 40; k++) mx = feat[k] > mx ? feat[k] : mx;
    ck_assert_float_eq_tol(mx, 1.584f, 1e-5f);
  }
  /* most utterances fit the 80 frames (0.8 s) the front end keeps */
  ck_assert_msg(short_ones >= 0.9 * CI_FILES, "only %ld of %d are <= 0.8 s", short_ones, CI_FILES);
  sl_fe_close(fe);
  sl_fe_hd_free(&hd);
}
END_TEST

START_TEST(cli_cache_and_events) {
  char cache[600], sle[600], cmd[2048];
  snprintf(cache, sizeof cache, "%s/ci.slf", tmpdir);
  snprintf(sle, sizeof sle, "%s/ci-test.sle", tmpdir);
  snprintf(cmd, sizeof cmd, "'%s' features '%s' -o '%s' --force -q", SL_CLI, SL_CORPUS_CI, cache);
  ck_assert_int_eq(system(cmd), 0);
  snprintf(cmd, sizeof cmd, "'%s' events '%s' -o '%s' --split test --max 20 >/dev/null", SL_CLI, cache, sle);
  ck_assert_int_eq(system(cmd), 0);
  sl_fe_cache c;
  sl_err e;
  ck_assert_msg(sl_fe_cache_load(cache, &c, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(c.n, CI_FILES);
  sl_fe_params p;
  sl_fe_params_default(&p);
  ck_assert(c.params_hash == sl_fe_params_hash(&p));
  sl_eventset es;
  ck_assert_msg(sl_events_load(sle, &es, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(es.n_samples, 20);
  ck_assert_uint_eq(es.channels, 40);
  ck_assert_uint_eq(es.steps, 80);
  for (uint32_t s = 0; s < es.n_samples; s++) {
    uint32_t i = (uint32_t)es.samples[s].id;
    ck_assert(c.split[i] & SL_FE_TEST);
    ck_assert_int_eq(es.samples[s].label, c.label[i]);
    /* one event per nonzero payload, with that payload */
    uint32_t k = es.samples[s].first, want = 0;
    for (int t = 0; t < 80; t++)
      for (int ch = 0; ch < 40; ch++) {
        uint8_t q = sl_fe_quantise(c.feat[((size_t)i * 80 + t) * 40 + ch], 1.584f);
        if (!q) continue;
        want++;
        ck_assert_uint_eq(es.ev[k].step, t);
        ck_assert_uint_eq(es.ev[k].chan, ch);
        ck_assert_uint_eq(es.ev[k].payload, q);
        k++;
      }
    ck_assert_uint_eq(es.samples[s].count, want);
  }
  sl_events_free(&es);
  sl_fe_cache_free(&c);
  /* a second run finds the cache up to date */
  snprintf(cmd, sizeof cmd, "'%s' features '%s' -o '%s' | grep -q 'up to date'", SL_CLI, SL_CORPUS_CI, cache);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* One `spikeline eval MODEL --features CACHE --split SPLIT --per-speaker`: its overall
 * accuracy line and its two group lines (speakers in the cache's train split / not). */
typedef struct {
  int n_all, n_h, n_u;
  double all, acc_h, acc_u;
} eval_groups;

static eval_groups eval_split(const char *model, const char *cache, const char *split) {
  char cmd[2048], out[600], line[256];
  snprintf(out, sizeof out, "%s/ci-eval-%s.txt", tmpdir, split);
  snprintf(cmd, sizeof cmd, "'%s' eval '%s' --features '%s' --split %s --per-speaker > '%s'", SL_CLI, model,
           cache, split, out);
  ck_assert_int_eq(system(cmd), 0);
  FILE *f = fopen(out, "r");
  ck_assert_ptr_nonnull(f);
  eval_groups g = {-1, -1, -1, -1, -1, -1};
  while (fgets(line, sizeof line, f)) {
    const char *a = strstr(line, "accuracy ");
    if (a && g.n_all < 0) sscanf(a, "accuracy %lf%% on %d", &g.all, &g.n_all);
    if (!strncmp(line, "speakers in the cache's train split", 35)) sscanf(line + 35, "%d %lf", &g.n_h, &g.acc_h);
    if (!strncmp(line, "speakers not in its train split", 31)) sscanf(line + 31, "%d %lf", &g.n_u, &g.acc_u);
  }
  fclose(f);
  ck_assert_msg(g.n_all >= 0 && g.n_h >= 0, "no accuracy or group line in %s", out);
  return g;
}

/* `spikeline eval --per-speaker` on a model trained briefly on that cache: the group of
 * speakers not in training holds exactly the test files of speakers 4 and 5 (counted from
 * test_filenames.txt), the other group the rest, and the two groups' accuracies add up to
 * the overall one. Runs after cli_cache_and_events, which writes the cache. */
START_TEST(per_speaker_groups) {
  char cache[600], run[600], cmd[2048], model[700];
  snprintf(cache, sizeof cache, "%s/ci.slf", tmpdir);
  snprintf(run, sizeof run, "%s/ci-train", tmpdir);
  snprintf(cmd, sizeof cmd, "'%s' train --features '%s' --hidden 16 --epochs 1 --qat-epochs 0 --threads 2 "
           "--no-progress --quiet --no-plot -o '%s' > /dev/null", SL_CLI, cache, run);
  ck_assert_int_eq(system(cmd), 0);
  snprintf(model, sizeof model, "%s/model.slm", run);
  const eval_groups g = eval_split(model, cache, "test");
  list test = read_list("test_filenames.txt");
  int unseen = 0;
  for (int i = 0; i < test.n; i++) unseen += speaker_of(test.name[i]) == 4 || speaker_of(test.name[i]) == 5;
  ck_assert_int_eq(g.n_all, test.n);
  ck_assert_int_eq(g.n_u, unseen);
  ck_assert_int_eq(g.n_h, test.n - unseen);
  ck_assert_msg(fabs((g.n_h * g.acc_h + g.n_u * g.acc_u) / g.n_all - g.all) < 0.02, "groups %.2f / %.2f vs all %.2f",
                g.acc_h, g.acc_u, g.all);
  free(test.name);
}
END_TEST

/* cmd (its stderr to err) must fail with an error line that names what it refused */
static void refused(const char *cmd, const char *err, const char *names) {
  static char text[8192];
  ck_assert_int_ne(system(cmd), 0);
  ck_assert_int_ge(read_text(err, text, sizeof text), 0);
  ck_assert_msg(strstr(text, "eval_voices.sh: ") && strstr(text, names), "%s: %s", names, text);
}

/* scripts/eval_voices.sh on the model of per_speaker_groups, the ci cache as both the "seen"
 * and the "unseen" corpus: its seen figure is the sample-weighted accuracy of the training
 * speakers over the three splits, which together hold every file of speakers other than 4
 * and 5 (counted from the corpus's lists); its unseen figure is the test split's group of
 * speakers 4 and 5; a missing cache or model and a corrupt model are refused. Runs after
 * per_speaker_groups. */
START_TEST(eval_voices_script) {
  char model[600], cmd[8192], out[600], line[1024];
  snprintf(model, sizeof model, "%s/ci-train/model.slm", tmpdir);
  char cache[600];
  snprintf(cache, sizeof cache, "%s/ci.slf", tmpdir);
  const char *splits[] = {"train", "val", "test"};
  int n_seen = 0;
  double c_seen = 0;
  eval_groups g = {0};
  for (int i = 0; i < 3; i++) { /* the test split last: its group of speakers 4 and 5 is used below */
    g = eval_split(model, cache, splits[i]);
    n_seen += g.n_h;
    c_seen += g.n_h * g.acc_h / 100;
  }
  list train = read_list("train_filenames.txt"), test = read_list("test_filenames.txt");
  int heard = 0;
  for (int i = 0; i < train.n; i++) heard += speaker_of(train.name[i]) != 4 && speaker_of(train.name[i]) != 5;
  for (int i = 0; i < test.n; i++) heard += speaker_of(test.name[i]) != 4 && speaker_of(test.name[i]) != 5;
  ck_assert_int_eq(n_seen, heard);
  const double a_u = g.acc_u;
  ck_assert_int_gt(g.n_u, 0);
  snprintf(out, sizeof out, "%s/ci-voices.txt", tmpdir);
  snprintf(cmd, sizeof cmd, "SPIKELINE='%s' '%s/scripts/eval_voices.sh' '%s' '%s,%s' ci='%s' > '%s'", SL_CLI,
           SL_SOURCE_DIR, cache, cache, cache, model, out);
  ck_assert_int_eq(system(cmd), 0);
  FILE *f = fopen(out, "r");
  ck_assert_ptr_nonnull(f);
  double seen = -1, u1 = -1, u2 = -1, um = -1;
  while (fgets(line, sizeof line, f)) {
    char label[64], m[1024];
    if (sscanf(line, "%63s %1023s %lf %lf %lf %lf", label, m, &seen, &u1, &u2, &um) == 6 && !strcmp(m, model)) break;
    seen = -1;
  }
  fclose(f);
  ck_assert_msg(seen >= 0, "no row for %s in %s", model, out);
  ck_assert_msg(fabs(seen - 100 * c_seen / n_seen) < 0.006, "seen %.2f vs %.3f", seen, 100 * c_seen / n_seen);
  ck_assert_msg(fabs(u1 - a_u) < 0.006 && fabs(u2 - a_u) < 0.006 && fabs(um - a_u) < 0.006,
                "unseen %.2f %.2f %.2f vs %.2f", u1, u2, um, a_u);
  snprintf(cmd, sizeof cmd, "'%s/scripts/eval_voices.sh' '%s' '%s/none.slf' '%s' 2> '%s'", SL_SOURCE_DIR, cache,
           tmpdir, model, out);
  refused(cmd, out, "none.slf: no such feature cache");
  snprintf(cmd, sizeof cmd, "SPIKELINE='%s' '%s/scripts/eval_voices.sh' '%s' '%s' '%s/none.slm' 2> '%s'", SL_CLI,
           SL_SOURCE_DIR, cache, cache, tmpdir, out);
  refused(cmd, out, "none.slm: no such model image");
  char bad[700];
  snprintf(bad, sizeof bad, "%s/ci-bad.slm", tmpdir);
  FILE *bf = fopen(bad, "wb");
  ck_assert_ptr_nonnull(bf);
  fputs("not a model image", bf);
  fclose(bf);
  snprintf(cmd, sizeof cmd, "SPIKELINE='%s' '%s/scripts/eval_voices.sh' '%s' '%s' '%s' > /dev/null 2> '%s'", SL_CLI,
           SL_SOURCE_DIR, cache, cache, bad, out);
  refused(cmd, out, "ci-bad.slm on ");
  free(train.name);
  free(test.name);
}
END_TEST

/* FNV-1a of every file of the ci corpus (names, in sorted order, then their bytes): audio,
 * split lists, corpus.json and speaker_db.json, as the version-3 generator made them before
 * the --lang/--voices/--conditions options existed. New options must leave the default
 * corpus byte-identical. */
#define SL_CI_CORPUS_DIGEST 0x8d77911daae7a903ULL

static unsigned long long fnv(unsigned long long h, const void *data, size_t n) {
  const unsigned char *b = data;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
  return h;
}

static int cmp_name(const void *a, const void *b) { return strcmp(a, b); }

START_TEST(default_corpus_unchanged) {
  static char names[CI_FILES + 8][80];
  char p[1024];
  int n = 0;
  snprintf(p, sizeof p, "%s/audio", SL_CORPUS_CI);
  DIR *d = opendir(p);
  ck_assert_ptr_nonnull(d);
  struct dirent *de;
  while ((de = readdir(d)))
    if (de->d_name[0] != '.' && n < CI_FILES + 1) snprintf(names[n++], sizeof names[0], "audio/%.70s", de->d_name);
  closedir(d);
  ck_assert_int_eq(n, CI_FILES);
  qsort(names, n, sizeof names[0], cmp_name);
  const char *meta[] = {"corpus.json", "speaker_db.json", "test_filenames.txt", "train_filenames.txt",
                        "validation_filenames.txt"};
  for (int i = 0; i < 5; i++) snprintf(names[n++], sizeof names[0], "%s", meta[i]);
  unsigned long long h = 1469598103934665603ULL;
  static unsigned char buf[1 << 20];
  for (int i = 0; i < n; i++) {
    h = fnv(h, names[i], strlen(names[i]));
    snprintf(p, sizeof p, "%s/%s", SL_CORPUS_CI, names[i]);
    FILE *f = fopen(p, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", p);
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) h = fnv(h, buf, got);
    fclose(f);
  }
  ck_assert_msg(h == SL_CI_CORPUS_DIGEST, "ci corpus digest %016llx, expected %016llx", h, SL_CI_CORPUS_DIGEST);
}
END_TEST

int main(void) {
  const char *t = getenv("SL_TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s", t ? t : "/tmp");
  Suite *s = suite_create("frontend-corpus");
  TCase *tc = tcase_create("corpus");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, split_rule);
  tcase_add_test(tc, default_corpus_unchanged);
  tcase_add_test(tc, files_and_features);
  tcase_add_test(tc, cli_cache_and_events);
  tcase_add_test(tc, per_speaker_groups);
  tcase_add_test(tc, eval_voices_script);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
