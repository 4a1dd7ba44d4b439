/* test_fe_recipe.c — the front-end recipe travels with the features, through the `spikeline`
 * binary on the vendored FSDD subset (tests/data/fsdd): `features --top-db` (range, bound of
 * the features, the recipe in the cache), the trainer's input scale derived from the cache's
 * recipe, the recipe recorded in model.slm (minor 2), `classify` on audio computing the
 * model's features (the same scores as the C model on `events --model` of a cache of that
 * file made with the recipe) and `eval` / `events --model` refusing a cache of another
 * recipe. Default runs stay minor-1 images. */
#include <math.h>
#include "cli_util.h"
#include "sl_events.h"
#include "sl_fe_cache.h"
#include "sl_image.h"
#include "sl_trace.h"

#define FSDD SL_TEST_DATA "/fsdd"
#define FLAC "3_jackson_0.flac" /* jackson's take 0: a test file of fold 2 */
#define REC_SCALE_TXT "0.00388235296" /* %.9g of 50 x 0.0198f / 255 */
#define DEF_SCALE_TXT "0.00621176464" /* %.9g of 1.584f / 255 */

static char g_dir[1024], g_rec[1100], g_def[1100], g_band[1100], g_model[1100], g_model_def[1100];

static void train(const char *cache, const char *run, char *model, size_t len) {
  cli_result r;
  RUN(&r, g_dir, "train", "--features", cache, "--classes", "10", "--hidden", "16", "--epochs", "2", "--batch", "32",
      "--qat-epochs", "0", "--threads", "2", "--seed", "1", "--no-plot", "--no-progress", "--quiet", "-o", run);
  ck_assert_msg(r.status == 0, "train: %s", r.err);
  snprintf(model, len, "%.1000s/model.slm", run);
}

/* Once per test case: caches of the subset with jackson held out, made with the default
 * recipe, with --band-limit 4000 --top-db 50 and with --band-limit 4000 alone; tiny models
 * trained on the first two. */
static void setup_once(void) {
  make_scratch(g_dir, sizeof g_dir, "recipe");
  path_join(g_rec, sizeof g_rec, g_dir, "rec.slf");
  path_join(g_def, sizeof g_def, g_dir, "def.slf");
  path_join(g_band, sizeof g_band, g_dir, "band.slf");
  cli_result r;
  RUN(&r, g_dir, "features", FSDD, "-o", g_rec, "--fold", "2", "--band-limit", "4000", "--top-db", "50", "-q");
  ck_assert_msg(r.status == 0, "features: %s", r.err);
  RUN(&r, g_dir, "features", FSDD, "-o", g_def, "--fold", "2", "-q");
  ck_assert_msg(r.status == 0, "features: %s", r.err);
  RUN(&r, g_dir, "features", FSDD, "-o", g_band, "--fold", "2", "--band-limit", "4000", "-q");
  ck_assert_msg(r.status == 0, "features: %s", r.err);
  char run[1100];
  path_join(run, sizeof run, g_dir, "run-rec");
  train(g_rec, run, g_model, sizeof g_model);
  path_join(run, sizeof run, g_dir, "run-def");
  train(g_def, run, g_model_def, sizeof g_model_def);
}

/* The one stderr line of a refused command: exit `code`, "spikeline <cmd>: ", holding s1, s2
 * and s3 (if given), nothing on stdout. */
static void refused(const cli_result *r, int code, const char *cmd, const char *s1, const char *s2, const char *s3) {
  ck_assert_msg(r->status == code, "exit %d, want %d; stderr: %s", r->status, code, r->err);
  const size_t len = strlen(r->err);
  ck_assert_msg(len > 0 && strchr(r->err, '\n') == r->err + len - 1, "want one stderr line, got '%s'", r->err);
  char pre[64];
  snprintf(pre, sizeof pre, "spikeline %s: ", cmd);
  ck_assert_msg(!strncmp(r->err, pre, strlen(pre)), "'%s' does not start with '%s'", r->err, pre);
  const char *want[3] = {s1, s2, s3};
  for (int i = 0; i < 3; i++)
    if (want[i]) ck_assert_msg(strstr(r->err, want[i]), "'%s' lacks '%s'", r->err, want[i]);
  ck_assert_msg(r->out[0] == '\0', "stdout of a refused command: %s", r->out);
}

static void load_cache(const char *path, sl_fe_cache *c) {
  sl_err e;
  ck_assert_msg(sl_fe_cache_load(path, c, &e) == SL_OK, "%s", e.msg);
}

static void load_meta(const char *path, sl_image_meta *meta, unsigned *minor) {
  uint8_t *buf;
  size_t len;
  sl_err e;
  sl_net *n = sl_net_new();
  ck_assert_msg(sl_read_file(path, &buf, &len, &e) == SL_OK, "%s", e.msg);
  ck_assert_msg(sl_image_decode_meta(buf, len, path, n, NULL, meta, &e) == SL_OK, "%s", e.msg);
  *minor = sl_image_version_minor(buf);
  free(buf);
  sl_net_free(n);
}

/* ---- features --top-db ----------------------------------------------------------------------- */

/* Out of 20..120 or not a number: one line naming the option, no cache. The features of a
 * --top-db 50 cache lie in [0, 50 x 0.0198] and reach the top (each utterance's maximum);
 * the cache records the recipe. */
START_TEST(features_top_db) {
  static const char *bad[] = {"19.9", "121", "x", "nan", "50dB", "-80", ""};
  char out[1100];
  path_join(out, sizeof out, g_dir, "never.slf");
  cli_result r;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    RUN(&r, g_dir, "features", FSDD, "-o", out, "--top-db", bad[i]);
    refused(&r, 2, "features", "--top-db", "20..120", NULL);
    ck_assert(!file_exists(out));
  }
  sl_fe_cache c;
  load_cache(g_rec, &c);
  ck_assert_uint_eq(c.n, 360);
  ck_assert(c.minor == 1 && c.top_db == 50.0f && c.scale == 0.0198f && c.band_limit == 4000);
  const float top = (float)(50.0 * (double)0.0198f);
  float lo = INFINITY, hi = -INFINITY;
  for (size_t k = 0; k < (size_t)c.n * c.n_frames * c.n_mels; k++) {
    lo = fminf(lo, c.feat[k]);
    hi = fmaxf(hi, c.feat[k]);
  }
  ck_assert_msg(lo == 0.0f && hi == top, "features span %g..%g, want 0..%g", (double)lo, (double)hi, (double)top);
  sl_fe_cache_free(&c);
  load_cache(g_def, &c);
  ck_assert(c.minor == 1 && c.top_db == 80.0f && c.scale == 0.0198f && c.band_limit == 0);
  sl_fe_cache_free(&c);
  load_cache(g_band, &c);
  ck_assert(c.minor == 1 && c.top_db == 80.0f && c.band_limit == 4000);
  sl_fe_cache_free(&c);
}
END_TEST

/* ---- the trainer ----------------------------------------------------------------------------- */

/* Without --in-scale the scale comes from the cache's recipe (the default one gives the
 * default bit for bit); given on the command line or in a configuration file it wins. */
START_TEST(train_derives_in_scale) {
  cli_result r;
  RUN(&r, g_dir, "train", "--features", g_rec, "--classes", "10", "--print-config");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "\nin-scale = " REC_SCALE_TXT "\n"), "%s", r.out);
  RUN(&r, g_dir, "train", "--features", g_def, "--classes", "10", "--print-config");
  ck_assert_msg(strstr(r.out, "\nin-scale = " DEF_SCALE_TXT "\n"), "%s", r.out);
  RUN(&r, g_dir, "train", "--features", g_rec, "--classes", "10", "--in-scale", "0.01", "--print-config");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "\nin-scale = 0.00999999978\n"), "%s", r.out);
  ck_assert_msg(strstr(r.err, "the recipe of") && strstr(r.err, REC_SCALE_TXT), "%s", r.err);
  char cfg[1100];
  path_join(cfg, sizeof cfg, g_dir, "scale.cfg");
  FILE *f = fopen(cfg, "w");
  fputs("hidden = 16\nin-scale = 0.02\n", f);
  fclose(f);
  RUN(&r, g_dir, "train", "--config", cfg, "--features", g_rec, "--classes", "10", "--print-config");
  ck_assert_msg(strstr(r.out, "\nin-scale = 0.0199999996\n"), "%s", r.out);
  f = fopen(cfg, "w");
  fputs("hidden = 16\n", f); /* a configuration without in-scale: the recipe's */
  fclose(f);
  RUN(&r, g_dir, "train", "--config", cfg, "--features", g_rec, "--classes", "10", "--print-config");
  ck_assert_msg(strstr(r.out, "\nin-scale = " REC_SCALE_TXT "\n"), "%s", r.out);
  /* the run: summary.txt says where the scale came from; model.slm records it and the recipe */
  char summary[1100], text[8192];
  snprintf(summary, sizeof summary, "%s/run-rec/summary.txt", g_dir);
  ck_assert(read_text(summary, text, sizeof text) > 0);
  ck_assert_msg(strstr(text, "in_scale_from = the recipe of ") && strstr(text, "in-scale = " REC_SCALE_TXT "\n"),
                "%s", text);
  sl_image_meta m;
  unsigned minor;
  load_meta(g_model, &m, &minor);
  ck_assert_uint_eq(minor, 2);
  ck_assert(m.in_scale == 50.0f * 0.0198f / 255.0f && m.band_limit == 4000 && m.top_db == 50.0f);
  RUN(&r, g_dir, "info", g_model);
  ck_assert_msg(strstr(r.out, "model image v1.2") &&
                    strstr(r.out, "front-end recipe of the training features: band limit 4000 Hz, top_db 50 dB\n"),
                "%s", r.out);
  /* the default recipe: a minor-1 image, as earlier builds wrote */
  load_meta(g_model_def, &m, &minor);
  ck_assert_uint_eq(minor, 1);
  ck_assert(m.in_scale == 1.584f / 255.0f && m.band_limit == 0 && m.top_db == 0.0f);
  /* --extra-train of another recipe than --features: refused */
  RUN(&r, g_dir, "train", "--features", g_rec, "--extra-train", g_def, "--classes", "10", "--print-config");
  refused(&r, 1, "train", "rec.slf", "def.slf", "band limit 4000 Hz in ");
}
END_TEST

/* ---- classify on audio ----------------------------------------------------------------------- */

/* "FILE: class K; scores 0:S0 ... 9:S9" of a classify output; returns K. */
static int parse_scores(const char *out, const char *file, long long *scores) {
  char key[1200];
  snprintf(key, sizeof key, "%s: class ", file);
  const char *p = strstr(out, key);
  ck_assert_msg(p != NULL, "no line for %s in:\n%s", file, out);
  p += strlen(key);
  int k = -1, used = 0;
  ck_assert_int_eq(sscanf(p, "%d; scores%n", &k, &used), 1);
  p += used;
  for (int q = 0; q < 10; q++) {
    int idx = -1;
    ck_assert_int_eq(sscanf(p, " %d:%lld%n", &idx, &scores[q], &used), 2);
    ck_assert_int_eq(idx, q);
    p += used;
  }
  return k;
}

/* classify of a FLAC computes the features the model was trained on: its decision and every
 * score equal those of the C model on the events `events --model` makes from a cache of the
 * same file made with the model's recipe, and eval on that cache agrees with the decision. */
START_TEST(classify_uses_model_recipe) {
  char one[1100], src[1100], dst[1200], cache[1100], ev[1100];
  path_join(one, sizeof one, g_dir, "one");
  ck_assert_int_eq(mkdir(one, 0755), 0);
  snprintf(src, sizeof src, "%s/" FLAC, FSDD);
  snprintf(dst, sizeof dst, "%s/" FLAC, one);
  {
    static char buf[1 << 20];
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    ck_assert(in && out);
    const size_t n = fread(buf, 1, sizeof buf, in);
    ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
  }
  path_join(cache, sizeof cache, g_dir, "one.slf");
  path_join(ev, sizeof ev, g_dir, "one.sle");
  cli_result r;
  RUN(&r, g_dir, "features", one, "-o", cache, "--band-limit", "4000", "--top-db", "50", "-q");
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "events", cache, "-o", ev, "--model", g_model, "--split", "all");
  ck_assert_msg(r.status == 0, "%s", r.err);
  /* the C model on those events */
  sl_eventset es = {0};
  sl_err e;
  ck_assert_msg(sl_events_load(ev, &es, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(es.n_samples, 1);
  sl_core *c = sl_core_new();
  ck_assert_msg(sl_image_load(g_model, &c->net, NULL, &e) == SL_OK, "%s", e.msg);
  sl_core_configure(c);
  const int32_t want = sl_run_sample(c, &es, 0, NULL, NULL, NULL);
  /* classify on the FLAC itself */
  RUN(&r, g_dir, "classify", g_model, src);
  ck_assert_msg(r.status == 0, "%s", r.err);
  long long scores[10];
  const int got = parse_scores(r.out, src, scores);
  for (int q = 0; q < 10; q++)
    ck_assert_msg(scores[q] == (long long)c->score[q], "class %d: classify %lld, events %lld", q, scores[q],
                  (long long)c->score[q]);
  ck_assert_int_eq(got, want);
  ck_assert_msg(strstr(r.out, "front end 40 bands x 80 frames, band limit 4000 Hz, top_db 50 dB (recorded in the "
                              "model); input scale " REC_SCALE_TXT " (recorded in the model)\n"),
                "%s", r.out);
  /* eval on the cache: 100 % exactly when that decision is the label (3) */
  RUN(&r, g_dir, "eval", g_model, "--features", cache, "--split", "all");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, want == 3 ? "accuracy 100.00% on 1 all samples" : "accuracy 0.00% on 1 all samples"),
                "decision %d; %s", want, r.out);
  sl_core_free(c);
  sl_events_free(&es);
  /* a model of the default recipe: classify says nothing of a recipe (as before) */
  RUN(&r, g_dir, "classify", g_model_def, src, "-q");
  ck_assert_msg(r.status == 0 && !strstr(r.out, "band limit"), "%s%s", r.out, r.err);
}
END_TEST

/* ---- eval and events refuse another recipe --------------------------------------------------- */

START_TEST(eval_refuses_other_recipe) {
  cli_result r;
  RUN(&r, g_dir, "eval", g_model, "--features", g_def);
  refused(&r, 1, "eval", "run-rec/model.slm", "def.slf", "band limit 4000 Hz in the model, none in the cache");
  RUN(&r, g_dir, "eval", g_model, "--features", g_band);
  refused(&r, 1, "eval", "run-rec/model.slm", "band.slf", "top_db 50 dB in the model, 80 dB in the cache");
  char ev[1100];
  path_join(ev, sizeof ev, g_dir, "refused.sle");
  RUN(&r, g_dir, "events", g_def, "-o", ev, "--model", g_model);
  refused(&r, 1, "events", "run-rec/model.slm", "def.slf", "band limit");
  ck_assert(!file_exists(ev));
  /* the same recipe: accepted */
  RUN(&r, g_dir, "eval", g_model, "--features", g_rec);
  ck_assert_msg(r.status == 0, "%s", r.err);
  /* a trained model that records no recipe was trained at 80 dB: a 50 dB cache is refused,
   * a band-limited 80 dB one is not (its band limit is unknown: older builds did not record it) */
  RUN(&r, g_dir, "eval", g_model_def, "--features", g_rec);
  refused(&r, 1, "eval", "run-def/model.slm", "rec.slf", "top_db 50 dB in the cache, 80 dB (the default");
  RUN(&r, g_dir, "eval", g_model_def, "--features", g_band);
  ck_assert_msg(r.status == 0, "%s", r.err);
  /* a cache that records none: as before */
  char old[1100];
  path_join(old, sizeof old, g_dir, "minor0.slf");
  {
    static char buf[8 << 20];
    FILE *in = fopen(g_def, "rb");
    const size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    ck_assert(n > 64 && n < sizeof buf);
    buf[6] = 0; /* minor 0, recipe bytes reserved */
    memset(buf + 48, 0, 16);
    FILE *out = fopen(old, "wb");
    ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(out);
  }
  RUN(&r, g_dir, "eval", g_model, "--features", old);
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "events", old, "-o", ev, "--model", g_model);
  ck_assert_msg(r.status == 0, "%s", r.err);
}
END_TEST

int main(void) {
  Suite *s = suite_create("fe_recipe");
  TCase *tc = tcase_create("recipe");
  tcase_add_unchecked_fixture(tc, setup_once, NULL);
  tcase_set_timeout(tc, 280);
  tcase_add_test(tc, features_top_db);
  tcase_add_test(tc, train_derives_in_scale);
  tcase_add_test(tc, classify_uses_model_recipe);
  tcase_add_test(tc, eval_refuses_other_recipe);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
