/* test_cli_real.c — models on recordings and foreign corpora through the `spikeline` binary:
 * the input scale a model was trained with travels in its image (spec §8.1 minor 1) and is
 * what `eval` and `classify` quantise with; `eval --split all` and `--per-speaker` on a cache
 * of another layout (FSDD-style names); `classify MODEL AUDIO...` with the C model and the
 * RTL; bad audio, scales and data refused in one line. */
#include <math.h>
#include <sndfile.h>
#include "cli_util.h"
#include "sl_crc32.h"
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"
#include "sl_image.h"

#define SL_PI 3.14159265358979323846
#define SCALE 0.01f                /* the trained models' input scale (not the default) */
#define SCALE_TXT "0.00999999978" /* %.9g of it */
#define DEF_TXT "0.00621176464"   /* %.9g of the default 1.584 / 255 */

static char g_dir[1024], g_model[1100], g_model10[1100], g_ckpt[1100], g_cache[1100], g_wav[1100], g_flac[1100];
static const char *g_speakers[] = {"jackson", "nicolas", "theo"};

/* A 16 kHz mono recording-like signal: two formant-ish tones with an envelope, and noise. */
static void write_audio(const char *path, int format, int rate, double f0, double seconds) {
  SF_INFO si = {.samplerate = rate, .channels = 1, .format = format};
  SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
  ck_assert_msg(sf != NULL, "%s: %s", path, sf_strerror(NULL));
  const int n = (int)(rate * seconds);
  float *x = malloc(sizeof(float) * (size_t)n);
  uint64_t r = 12345;
  for (int i = 0; i < n; i++) {
    const double t = (double)i / rate, env = sin(SL_PI * t / seconds);
    r = r * 6364136223846793005ull + 1442695040888963407ull;
    const double noise = ((double)(r >> 40) / (double)(1ull << 24) - 0.5) * 0.02;
    x[i] = (float)(env * (0.4 * sin(2 * SL_PI * f0 * t) + 0.2 * sin(2 * SL_PI * 3.1 * f0 * t)) + noise);
  }
  ck_assert_int_eq(sf_write_float(sf, x, n), n);
  sf_close(sf);
  free(x);
}

/* An FSDD-style cache: {digit}_{speaker}_{take}.wav, takes 0 (test) and 1 (train); the
 * cache's speaker numbers all 0 (they say nothing: the names do). Features are a fixed
 * pseudo-random pattern in [0, 1.584]. n_mels bands, 80 frames. */
static void write_fsdd_cache(const char *path, int n_mels, int max_label) {
  sl_fe_cache c;
  sl_err e;
  const int n = 10 * 3 * 2;
  ck_assert_int_eq(sl_fe_cache_alloc(&c, (uint32_t)n, 80, (uint16_t)n_mels, &e), SL_OK);
  uint64_t r = 99;
  int i = 0;
  for (int d = 0; d < 10; d++)
    for (int s = 0; s < 3; s++)
      for (int take = 0; take < 2; take++, i++) {
        snprintf(c.name[i], SL_FE_CACHE_NAME, "%d_%s_%d.wav", d, g_speakers[s], take);
        c.label[i] = (uint16_t)(i == n - 1 ? max_label : d);
        c.speaker[i] = 0;
        c.split[i] = take == 0 ? SL_FE_TEST : SL_FE_TRAIN;
        for (int k = 0; k < 80 * n_mels; k++) {
          r = r * 6364136223846793005ull + 1442695040888963407ull;
          c.feat[(size_t)i * 80 * n_mels + k] = (r >> 33) % 3 ? 0.0f : 1.584f * (float)((r >> 20) & 0xFFF) / 4096.0f;
        }
      }
  ck_assert_int_eq(sl_fe_cache_save(path, &c, &e), SL_OK);
  sl_fe_cache_free(&c);
}

/* Once per test case (in the parent): two tiny models trained on the synthetic corpus with
 * --in-scale 0.01 (20 and 10 classes), the FSDD-style cache and two audio files. */
static void setup_once(void) {
  make_scratch(g_dir, sizeof g_dir, "real");
  char run[1100], run10[1100];
  path_join(run, sizeof run, g_dir, "run");
  path_join(run10, sizeof run10, g_dir, "run10");
  cli_result r;
  RUN(&r, g_dir, "train", "--synth", "4", "--hidden", "16", "--epochs", "1", "--qat-epochs", "0", "--in-scale",
      "0.01", "--threads", "2", "--no-progress", "--quiet", "--no-plot", "-o", run);
  ck_assert_msg(r.status == 0, "train: %s", r.err);
  RUN(&r, g_dir, "train", "--synth", "4", "--hidden", "16", "--classes", "10", "--epochs", "1", "--qat-epochs", "0",
      "--in-scale", "0.01", "--threads", "2", "--no-progress", "--quiet", "--no-plot", "-o", run10);
  ck_assert_msg(r.status == 0, "train: %s", r.err);
  snprintf(g_model, sizeof g_model, "%.1000s/model.slm", run);
  snprintf(g_ckpt, sizeof g_ckpt, "%.1000s/checkpoint.slc", run);
  snprintf(g_model10, sizeof g_model10, "%.1000s/model.slm", run10);
  path_join(g_cache, sizeof g_cache, g_dir, "fsdd.slf");
  write_fsdd_cache(g_cache, 40, 9);
  path_join(g_wav, sizeof g_wav, g_dir, "3_someone_0.wav");
  write_audio(g_wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 220, 0.7);
  path_join(g_flac, sizeof g_flac, g_dir, "voice.flac");
  write_audio(g_flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 150, 0.9);
}

/* The one stderr line of a refused command: exit `code`, starting "spikeline <cmd>: ", holding
 * s1 and s2 (if given), nothing on stdout. */
static void refused(const cli_result *r, int code, const char *cmd, const char *s1, const char *s2) {
  ck_assert_msg(r->status == code, "exit %d, want %d; stderr: %s", r->status, code, r->err);
  const size_t len = strlen(r->err);
  ck_assert_msg(len > 0 && r->err[len - 1] == '\n' && strchr(r->err, '\n') == r->err + len - 1,
                "want one stderr line, got '%s'", r->err);
  char pre[64];
  snprintf(pre, sizeof pre, "spikeline %s: ", cmd);
  ck_assert_msg(!strncmp(r->err, pre, strlen(pre)), "'%s' does not start with '%s'", r->err, pre);
  ck_assert_msg(strstr(r->err, s1), "'%s' lacks '%s'", r->err, s1);
  if (s2) ck_assert_msg(strstr(r->err, s2), "'%s' lacks '%s'", r->err, s2);
  ck_assert_msg(r->out[0] == '\0', "stdout of a refused command: %s", r->out);
}

/* "N spikes" and synaptic ops per sample and the sample count of an eval line */
typedef struct {
  double acc, spikes, synops;
  int n;
} eval_line;
static eval_line parse_eval(const char *out) {
  eval_line e = {-1, -1, -1, -1};
  const char *a = strstr(out, "accuracy ");
  ck_assert_msg(a != NULL, "no accuracy in '%s'", out);
  sscanf(a, "accuracy %lf%% on %d", &e.acc, &e.n);
  const char *s = strstr(out, "samples; ");
  if (s) sscanf(s, "samples; %lf spikes, %lf synaptic", &e.spikes, &e.synops);
  return e;
}

/* ---- the image records the input scale ------------------------------------------------------- */

/* The exporter writes minor 1 with the run's in_scale bit for bit; info prints it; an image
 * of `build` stays minor 0 and says so. */
START_TEST(image_records_scale) {
  uint8_t img[64];
  FILE *f = fopen(g_model, "rb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fread(img, 1, 64, f), 64);
  fclose(f);
  ck_assert_uint_eq(img[6] | img[7] << 8, 1);
  float s;
  memcpy(&s, img + 44, 4); /* little-endian host */
  ck_assert(s == SCALE);
  cli_result r;
  RUN(&r, g_dir, "info", g_model);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "model image v1.1"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "input scale " SCALE_TXT " (feature value of payload 1"), "%s", r.out);
  char tiny[1100];
  path_join(tiny, sizeof tiny, g_dir, "tiny.slm");
  RUN(&r, g_dir, "build", SL_EXAMPLES "/tiny.sln", "-o", tiny);
  ck_assert_int_eq(r.status, 0);
  RUN(&r, g_dir, "info", tiny);
  ck_assert_msg(strstr(r.out, "model image v1.0") && strstr(r.out, "input scale not recorded"), "%s", r.out);
}
END_TEST

/* rewire keeps the recorded scale; run and classify --target sim: (the driver's load path)
 * accept a minor-1 image. */
START_TEST(minor1_image_through_the_tools) {
  char rw[1100], trace[1100], ev[1100];
  path_join(rw, sizeof rw, g_dir, "rewired.slm");
  path_join(trace, sizeof trace, g_dir, "rw.slt");
  cli_result r;
  RUN(&r, g_dir, "rewire", g_model, "-o", rw, "in:0/0=-");
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "info", rw);
  ck_assert_msg(strstr(r.out, "input scale " SCALE_TXT " "), "%s", r.out);
  /* events of the cache at the model's scale, then the RTL through the driver */
  path_join(ev, sizeof ev, g_dir, "few.sle");
  RUN(&r, g_dir, "events", g_cache, "-o", ev, "--max", "2");
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "run", "-q", g_model, ev, "-o", trace);
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "classify", g_model, ev, "--target", "sim:", "-q");
  if (strstr(r.err, "no RTL simulation")) return; /* a build without SL_RTL */
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "every spike and decision equal"), "%s", r.out);
}
END_TEST

/* A damaged scale in a minor-1 image: run, info, eval and classify refuse it in one line
 * naming the file. */
START_TEST(bad_scale_refused) {
  static uint8_t img[1 << 20];
  FILE *f = fopen(g_model, "rb");
  const size_t len = fread(img, 1, sizeof img, f);
  fclose(f);
  static const struct { uint32_t bits; const char *why; } cases[] = {
      {0x7FC00000u, "not finite"}, {0x7F800000u, "not finite"}, {0xBF800000u, "negative"}};
  for (size_t k = 0; k < 3; k++) {
    char bad[1100];
    snprintf(bad, sizeof bad, "%s/bad-scale-%zu.slm", g_dir, k);
    for (int b = 0; b < 4; b++) img[44 + b] = (uint8_t)(cases[k].bits >> (8 * b));
    memset(img + 12, 0, 4);
    const uint32_t crc = sl_crc32(0, img, len);
    for (int b = 0; b < 4; b++) img[12 + b] = (uint8_t)(crc >> (8 * b));
    f = fopen(bad, "wb");
    ck_assert_uint_eq(fwrite(img, 1, len, f), len);
    fclose(f);
    cli_result r;
    RUN(&r, g_dir, "info", bad);
    refused(&r, 1, "info", bad, cases[k].why);
    RUN(&r, g_dir, "eval", bad, "--features", g_cache);
    refused(&r, 1, "eval", bad, cases[k].why);
    RUN(&r, g_dir, "classify", bad, g_wav);
    refused(&r, 1, "classify", bad, cases[k].why);
  }
}
END_TEST

/* ---- eval ------------------------------------------------------------------------------------ */

/* eval quantises with the scale the model was trained with: the same inputs (spikes and
 * synaptic operations) as with --in-scale of that value, others than with the default; an
 * explicit other scale is used and said so on stderr. The checkpoint likewise. */
START_TEST(eval_uses_model_scale) {
  cli_result r;
  RUN(&r, g_dir, "eval", g_model, "--features", g_cache);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_str_eq(r.err, "");
  ck_assert_msg(strstr(r.out, "input scale " SCALE_TXT " (the model's)"), "%s", r.out);
  const eval_line own = parse_eval(r.out);
  RUN(&r, g_dir, "eval", g_model, "--features", g_cache, "--in-scale", "0.01");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_str_eq(r.err, ""); /* the same scale: nothing to say */
  const eval_line same = parse_eval(r.out);
  ck_assert(own.spikes == same.spikes && own.synops == same.synops && own.acc == same.acc);
  RUN(&r, g_dir, "eval", g_model, "--features", g_cache, "--in-scale", "1.584/255");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.err, "--in-scale " DEF_TXT ", not the " SCALE_TXT), "%s", r.err);
  ck_assert_msg(strstr(r.out, "input scale " DEF_TXT " (--in-scale)"), "%s", r.out);
  const eval_line def = parse_eval(r.out);
  ck_assert_msg(def.synops != own.synops, "default scale gives the same inputs (%g synops)", def.synops);
  RUN(&r, g_dir, "eval", g_ckpt, "--features", g_cache);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "input scale " SCALE_TXT " (the model's)"), "%s", r.out);
}
END_TEST

/* --split all: every sample of a foreign corpus (train and test files of the FSDD cache). */
START_TEST(eval_split_all) {
  cli_result r;
  RUN(&r, g_dir, "eval", g_model, "--features", g_cache, "--split", "all");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_int_eq(parse_eval(r.out).n, 60);
  ck_assert_ptr_nonnull(strstr(r.out, "on 60 all samples"));
  RUN(&r, g_dir, "eval", g_model, "--features", g_cache, "--split", "test");
  ck_assert_int_eq(parse_eval(r.out).n, 30);
  RUN(&r, g_dir, "eval", g_ckpt, "--features", g_cache, "--split", "all");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_int_eq(parse_eval(r.out).n, 60);
  RUN(&r, g_dir, "eval", g_model, "--features", g_cache, "--split", "every");
  refused(&r, 2, "eval", "train, val, test or all", "'every'");
}
END_TEST

/* --per-speaker on a cache that is not HD-layout: speakers named from the file names, 10
 * test samples each, and the groups heard / not heard in training (every speaker is in the
 * cache's training split here). */
START_TEST(eval_per_speaker_names) {
  cli_result r;
  RUN(&r, g_dir, "eval", g_model, "--features", g_cache, "--per-speaker");
  ck_assert_msg(r.status == 0, "%s", r.err);
  for (int s = 0; s < 3; s++) {
    char want[64];
    snprintf(want, sizeof want, "\n%7s  english        10  ", g_speakers[s]);
    ck_assert_msg(strstr(r.out, want), "no row '%s' in:\n%s", want + 1, r.out);
  }
  ck_assert_msg(strstr(r.out, "speakers in the cache's train split       30  "), "%s", r.out);
  ck_assert_msg(!strstr(r.out, "speakers not in its train split"), "%s", r.out);
  ck_assert_msg(!strstr(r.out, "\n      0  "), "a row of speaker number 0:\n%s", r.out);
}
END_TEST

/* Data the model cannot take: labels beyond its classes, more channels than its inputs; bad
 * --in-scale values. One line each, nothing on stdout. */
START_TEST(eval_refusals) {
  char c20[1100], c41[1100];
  path_join(c20, sizeof c20, g_dir, "labels.slf");
  path_join(c41, sizeof c41, g_dir, "wide.slf");
  write_fsdd_cache(c20, 40, 15);
  write_fsdd_cache(c41, 41, 9);
  cli_result r;
  RUN(&r, g_dir, "eval", g_model10, "--features", c20);
  refused(&r, 1, "eval", "labels.slf", "label 15, but the network has 10 readouts");
  RUN(&r, g_dir, "eval", g_model10, "--features", g_cache); /* labels 0..9: fine */
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "eval", g_model, "--features", c41);
  refused(&r, 1, "eval", "wide.slf: 41 channels", "takes 40 inputs");
  RUN(&r, g_dir, "eval", g_ckpt, "--features", c41);
  refused(&r, 1, "eval", "wide.slf: 41 channels", "takes 40 inputs");
  const char *bad[] = {"nan", "-1", "0", "inf", "2e6", "x"};
  for (int i = 0; i < 6; i++) {
    RUN(&r, g_dir, "eval", g_model, "--features", g_cache, "--in-scale", bad[i]);
    refused(&r, 2, "eval", "--in-scale", bad[i]);
  }
}
END_TEST

/* ---- classify audio files -------------------------------------------------------------------- */

/* Per file: "FILE: class K; scores 0:S0 ... 19:S19"; K is the first maximum. Returns K. */
static int check_file_line(const char *out, const char *file, int classes, long long *scores) {
  char key[1200];
  snprintf(key, sizeof key, "%s: class ", file);
  const char *p = strstr(out, key);
  ck_assert_msg(p != NULL, "no line for %s in:\n%s", file, out);
  p += strlen(key);
  int k = -1, used = 0;
  ck_assert_int_eq(sscanf(p, "%d; scores%n", &k, &used), 1);
  p += used;
  int best = 0;
  for (int q = 0; q < classes; q++) {
    int idx = -1;
    ck_assert_int_eq(sscanf(p, " %d:%lld%n", &idx, &scores[q], &used), 2);
    ck_assert_int_eq(idx, q);
    p += used;
    if (scores[q] > scores[best]) best = q;
  }
  ck_assert_msg(*p == '\n', "more than %d scores: %s", classes, p);
  ck_assert_int_eq(k, best);
  return k;
}

START_TEST(classify_audio_files) {
  cli_result r;
  RUN(&r, g_dir, "classify", g_model, g_wav, SL_TEST_DATA "/hd-sample/spoken_digit.flac", g_flac);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "20 classes; front end 40 bands x 80 frames; input scale " SCALE_TXT
                              " (recorded in the model)"), "%s", r.out);
  long long s1[20], s2[20], s3[20], t[20];
  const int k1 = check_file_line(r.out, g_wav, 20, s1);
  check_file_line(r.out, SL_TEST_DATA "/hd-sample/spoken_digit.flac", 20, s2);
  check_file_line(r.out, g_flac, 20, s3);
  /* a file alone gives the same scores (every file runs from reset) */
  RUN(&r, g_dir, "classify", g_model, g_wav, "-q");
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_int_eq(check_file_line(r.out, g_wav, 20, t), k1);
  ck_assert_mem_eq(t, s1, sizeof t);
  /* the RTL through the driver: the same scores, every spike checked */
  RUN(&r, g_dir, "classify", g_model, g_wav, g_flac, "--target", "sim:");
  if (strstr(r.err, "no RTL simulation")) return;
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "every spike and decision on sim: equal to the C model's (2 files)"), "%s", r.out);
  check_file_line(r.out, g_wav, 20, t);
  ck_assert_mem_eq(t, s1, sizeof t);
  check_file_line(r.out, g_flac, 20, t);
  ck_assert_mem_eq(t, s3, sizeof t);
  /* and the SystemC virtual platform */
  RUN(&r, g_dir, "classify", g_model, g_wav, "--target", "sim:sc", "-q");
  if (strstr(r.err, "this build has no SystemC") || strstr(r.err, "no RTL simulation")) return;
  ck_assert_msg(r.status == 0, "%s", r.err);
  check_file_line(r.out, g_wav, 20, t);
  ck_assert_mem_eq(t, s1, sizeof t);
}
END_TEST

/* events --model quantises at the model's recorded scale, the same as --in-scale of it and
 * not as the default; both options at once, or a bad scale, are refused. */
START_TEST(events_at_model_scale) {
  char a[1100], b[1100], c[1100];
  path_join(a, sizeof a, g_dir, "ev-model.sle");
  path_join(b, sizeof b, g_dir, "ev-scale.sle");
  path_join(c, sizeof c, g_dir, "ev-default.sle");
  cli_result r;
  RUN(&r, g_dir, "events", g_cache, "-o", a, "--model", g_model);
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "events", g_cache, "-o", b, "--in-scale", "0.01");
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "events", g_cache, "-o", c);
  ck_assert_msg(r.status == 0, "%s", r.err);
  static char ta[1 << 20], tb[1 << 20], tc[1 << 20];
  ck_assert_int_gt(read_text(a, ta, sizeof ta), 0);
  ck_assert_int_gt(read_text(b, tb, sizeof tb), 0);
  ck_assert_int_gt(read_text(c, tc, sizeof tc), 0);
  ck_assert_str_eq(ta, tb);
  ck_assert_str_ne(ta, tc);
  /* a feature of 1.584 is payload 255 by default, 158 at 0.01 */
  ck_assert_ptr_nonnull(strstr(tc, " 255\n"));
  ck_assert_ptr_null(strstr(ta, " 255\n"));
  char d[1100];
  path_join(d, sizeof d, g_dir, "ev-bad.sle");
  RUN(&r, g_dir, "events", g_cache, "-o", d, "--model", g_model, "--in-scale", "0.01");
  refused(&r, 2, "events", "use one", NULL);
  RUN(&r, g_dir, "events", g_cache, "-o", d, "--in-scale", "-3");
  refused(&r, 2, "events", "--in-scale '-3'", NULL);
  RUN(&r, g_dir, "events", g_cache, "-o", d, "--model", g_cache);
  refused(&r, 1, "events", "fsdd.slf", "magic");
  ck_assert(!file_exists(d));
}
END_TEST

/* Missing, corrupt, wrong-rate and silent audio: one line naming the file, exit 1, nothing
 * printed for the good file before it. */
START_TEST(classify_bad_audio) {
  char missing[1100], corrupt[1100], slow[1100], silent[1100];
  path_join(missing, sizeof missing, g_dir, "missing.wav");
  path_join(corrupt, sizeof corrupt, g_dir, "corrupt.flac");
  path_join(slow, sizeof slow, g_dir, "slow.wav");
  path_join(silent, sizeof silent, g_dir, "silent.wav");
  FILE *f = fopen(corrupt, "wb");
  fputs("fLaC but then nothing a decoder wants", f);
  fclose(f);
  write_audio(slow, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1000, 100, 0.5);
  {
    SF_INFO si = {.samplerate = 16000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open(silent, SFM_WRITE, &si);
    static float z[8000];
    sf_write_float(sf, z, 8000);
    sf_close(sf);
  }
  const char *files[] = {missing, corrupt, slow, silent};
  for (int i = 0; i < 4; i++) {
    cli_result r;
    RUN(&r, g_dir, "classify", g_model, g_wav, files[i]);
    refused(&r, 1, "classify", files[i], NULL);
  }
  cli_result r;
  RUN(&r, g_dir, "classify", g_model, g_wav, "-o", "x.slt");
  refused(&r, 2, "classify", "apply to an EVENTS file", NULL);
}
END_TEST

/* The event-file usage is unchanged: MODEL EVENTS needs --target; an event file without the
 * .sle extension is still one. */
START_TEST(classify_events_usage_kept) {
  char tiny[1100], ev[1100];
  path_join(tiny, sizeof tiny, g_dir, "tiny2.slm");
  path_join(ev, sizeof ev, g_dir, "tiny-events.txt");
  cli_result r;
  RUN(&r, g_dir, "build", SL_EXAMPLES "/tiny.sln", "-o", tiny);
  ck_assert_int_eq(r.status, 0);
  RUN(&r, g_dir, "classify", tiny, SL_EXAMPLES "/tiny.sle");
  refused(&r, 2, "classify", "need MODEL, EVENTS and --target", NULL);
  char text[4096];
  ck_assert_int_gt(read_text(SL_EXAMPLES "/tiny.sle", text, sizeof text), 0);
  FILE *f = fopen(ev, "w");
  fputs(text, f);
  fclose(f);
  RUN(&r, g_dir, "classify", tiny, ev);
  refused(&r, 2, "classify", "need MODEL, EVENTS and --target", NULL);
  RUN(&r, g_dir, "classify", tiny, ev, "--target", "sim:", "-q");
  if (strstr(r.err, "no RTL simulation")) return;
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "every spike and decision equal"), "%s", r.out);
}
END_TEST

/* ---- train --extra-train --------------------------------------------------------------------- */

/* "key = N" of a run's summary.txt, -1 when absent */
static int summary_int(const char *run, const char *key) {
  char path[1200], line[256];
  snprintf(path, sizeof path, "%.1100s/summary.txt", run);
  FILE *f = fopen(path, "r");
  ck_assert_msg(f != NULL, "no %s", path);
  int v = -1;
  const size_t kl = strlen(key);
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, key, kl) && !strncmp(line + kl, " = ", 3)) v = atoi(line + kl + 3);
  fclose(f);
  return v;
}

/* every sample of the extra cache (its test split too) joins training; validation and test
 * stay the primary data's; without --features, and in eval, the option is refused */
START_TEST(train_extra_train) {
  char a[1100], b[1100];
  path_join(a, sizeof a, g_dir, "x-own");
  path_join(b, sizeof b, g_dir, "x-extra");
  cli_result r;
  const char *common[] = {"--hidden", "8", "--classes", "10", "--epochs", "1", "--qat-epochs", "0", "--threads", "1",
                          "--no-progress", "--quiet", "--no-plot"};
  RUN(&r, g_dir, "train", "--features", g_cache, common[0], common[1], common[2], common[3], common[4], common[5],
      common[6], common[7], common[8], common[9], common[10], common[11], common[12], "-o", a);
  ck_assert_msg(r.status == 0, "%s", r.err);
  RUN(&r, g_dir, "train", "--features", g_cache, "--extra-train", g_cache, common[0], common[1], common[2],
      common[3], common[4], common[5], common[6], common[7], common[8], common[9], common[10], common[11],
      common[12], "-o", b);
  ck_assert_msg(r.status == 0, "%s", r.err);
  const int tr = summary_int(a, "train_samples"), va = summary_int(a, "val_samples");
  ck_assert_int_eq(tr + va, 30); /* the cache's training files, validation carved from them */
  ck_assert_int_eq(summary_int(b, "train_samples"), tr + 60);
  ck_assert_int_eq(summary_int(b, "val_samples"), va);
  ck_assert_int_eq(summary_int(b, "test_samples"), 30);
  RUN(&r, g_dir, "train", "--synth", "4", "--extra-train", g_cache, "-o", b);
  refused(&r, 2, "train", "--extra-train", "needs --features");
  RUN(&r, g_dir, "eval", g_model10, "--features", g_cache, "--extra-train", g_cache);
  refused(&r, 2, "eval", "--extra-train", "not of eval");
}
END_TEST

int main(void) {
  Suite *s = suite_create("cli_real");
  TCase *tc = tcase_create("real");
  tcase_add_unchecked_fixture(tc, setup_once, NULL);
  tcase_add_test(tc, image_records_scale);
  tcase_add_test(tc, minor1_image_through_the_tools);
  tcase_add_test(tc, bad_scale_refused);
  tcase_add_test(tc, eval_uses_model_scale);
  tcase_add_test(tc, eval_split_all);
  tcase_add_test(tc, eval_per_speaker_names);
  tcase_add_test(tc, eval_refusals);
  tcase_add_test(tc, classify_audio_files);
  tcase_add_test(tc, classify_bad_audio);
  tcase_add_test(tc, classify_events_usage_kept);
  tcase_add_test(tc, events_at_model_scale);
  tcase_add_test(tc, train_extra_train);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
