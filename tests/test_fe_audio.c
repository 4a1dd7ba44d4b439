/* test_fe_audio.c — reading audio: the real Heidelberg Digits sample (48 kHz, 80 x 40
 * features) and the clear, file-naming errors for empty, truncated, corrupt, stereo and
 * low-rate (below 8 kHz) files; other rates are resampled (the resampler's kept tables give
 * what a fresh handle gives). Every file is also read from
 * memory (sl_fe_mem_features): the same status, message and features, bit for bit. */
#include <check.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_fe.h"

#define HD_SAMPLE SL_TEST_DATA "/hd-sample/spoken_digit.flac"

static char tmpdir[512];

static sl_fe *open_fe(int mix) {
  sl_fe_params p;
  sl_fe_params_default(&p);
  p.mix_stereo = mix;
  sl_err e;
  sl_fe *fe = sl_fe_open(&p, &e);
  ck_assert_msg(fe != NULL, "%s", e.msg);
  return fe;
}

static void tmp_path(char *buf, size_t len, const char *name) { snprintf(buf, len, "%s/%s", tmpdir, name); }

/* a WAV of n frames of a 440 Hz tone */
static void write_wav(const char *path, int rate, int channels, int n) {
  SF_INFO si = {.samplerate = rate, .channels = channels, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
  SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
  ck_assert_msg(sf != NULL, "cannot write %s", path);
  float *x = malloc(sizeof(float) * (size_t)n * channels);
  for (int i = 0; i < n; i++)
    for (int c = 0; c < channels; c++) x[i * channels + c] = (float)(0.3 * sin(2 * 3.14159265 * 440.0 * i / rate));
  sf_writef_float(sf, x, n);
  sf_close(sf);
  free(x);
}

static void write_bytes(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  if (len) ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* The file's bytes through the in-memory reader, named as the file: the status `want` and,
 * when refused, the message `want_msg`; when accepted, the features `want_feat` and the info
 * `want_info` exactly. A missing file has no bytes to read: nothing to compare. */
static void same_from_memory(sl_fe *fe, const char *path, sl_status want, const float *want_feat,
                             const sl_fe_info *want_info, const char *want_msg) {
  FILE *f = fopen(path, "rb");
  if (!f) return;
  static unsigned char bytes[1 << 20];
  size_t len = fread(bytes, 1, sizeof bytes, f);
  ck_assert_msg(feof(f), "%s: larger than the test's buffer", path);
  fclose(f);
  float feat[80 * 40];
  sl_fe_info info;
  sl_err e;
  sl_err_clear(&e);
  sl_status s = sl_fe_mem_features(fe, bytes, len, path, feat, &info, &e);
  ck_assert_msg(s == want, "%s: from memory status %d, from the file %d (%s)", path, (int)s, (int)want, e.msg);
  if (s != SL_OK) {
    ck_assert_str_eq(e.msg, want_msg);
    return;
  }
  ck_assert_msg(memcmp(feat, want_feat, sizeof feat) == 0, "%s: features from memory differ", path);
  ck_assert(info.rate == want_info->rate && info.channels == want_info->channels &&
            info.frames == want_info->frames && info.frames_used == want_info->frames_used);
}

/* An accepted file: its features from the file, then the same from memory. */
static void file_features_ok(sl_fe *fe, const char *path, float *feat, sl_fe_info *info) {
  sl_err e;
  ck_assert_msg(sl_fe_file_features(fe, path, feat, info, &e) == SL_OK, "%s", e.msg);
  same_from_memory(fe, path, SL_OK, feat, info, NULL);
}

/* the error must name the file and contain the given words */
static void expect_error(sl_fe *fe, const char *path, const char *words) {
  float feat[80 * 40];
  sl_err e;
  sl_err_clear(&e);
  sl_status s = sl_fe_file_features(fe, path, feat, NULL, &e);
  ck_assert_msg(s != SL_OK, "%s was accepted", path);
  ck_assert_msg(strstr(e.msg, path) != NULL, "message does not name the file: %s", e.msg);
  ck_assert_msg(strstr(e.msg, words) != NULL, "message lacks '%s': %s", words, e.msg);
  ck_assert_msg(strchr(e.msg, '\n') == NULL, "message is not one line: %s", e.msg);
  same_from_memory(fe, path, s, NULL, NULL, e.msg);
}

START_TEST(hd_sample) {
  sl_fe *fe = open_fe(0);
  float feat[80 * 40];
  sl_fe_info info;
  file_features_ok(fe, HD_SAMPLE, feat, &info);
  ck_assert_int_eq(info.rate, 48000);
  ck_assert_int_eq(info.channels, 1);
  ck_assert_int_eq(info.frames, 38172);
  /* 38,172 samples at 48 kHz -> ceil(38172 * 20510 / 48000) = 16,311 at 20,510 Hz
   * -> 1 + 16311 / 205 = 80 centred frames: the whole 80 x 40 grid comes from audio */
  ck_assert_int_eq(info.frames_used, 80);
  float mx = 0.0f;
  double mean = 0.0;
  for (int i = 0; i < 80 * 40; i++) {
    ck_assert(feat[i] >= 0.0f && feat[i] <= 1.584f + 1e-5f);
    if (feat[i] > mx) mx = feat[i];
    mean += feat[i];
  }
  ck_assert_float_eq_tol(mx, 1.584f, 1e-5f);
  mean /= 80 * 40;
  /* a real utterance is neither all floor nor all peak */
  ck_assert_msg(mean > 0.2 && mean < 1.3, "mean feature %.3f", mean);
  /* the 40 ms lead-in is quiet: the first frame sits well below the peak frame */
  double first = 0.0, peak = 0.0;
  for (int t = 0; t < 80; t++) {
    double s = 0.0;
    for (int c = 0; c < 40; c++) s += feat[t * 40 + c];
    if (t == 0) first = s;
    if (s > peak) peak = s;
  }
  ck_assert_msg(first < 0.8 * peak, "first frame %.2f, loudest %.2f", first, peak);
  sl_fe_close(fe);
}
END_TEST

START_TEST(resampled_rates) {
  sl_fe *fe = open_fe(0);
  char p[600];
  float feat[80 * 40];
  sl_fe_info info;
  tmp_path(p, sizeof p, "tone-22050.wav");
  write_wav(p, 22050, 1, 22050 / 2);
  file_features_ok(fe, p, feat, &info);
  ck_assert_int_eq(info.rate, 22050);
  /* 11025 samples -> ceil(11025 * 20510 / 22050) = 10255 -> 1 + 10255/205 = 51 frames */
  ck_assert_int_eq(info.frames_used, 51);
  tmp_path(p, sizeof p, "tone-20510.wav");
  write_wav(p, 20510, 1, 2051);
  file_features_ok(fe, p, feat, &info);
  ck_assert_int_eq(info.frames_used, 1 + 2051 / 205);
  sl_fe_close(fe);
}
END_TEST

/* The resampler keeps the tables of recent input rates and computes a table's rows when
 * first used: on one handle, rates coming and going (more of them than tables kept, one
 * table of 13.5 M floats that pushes the others out, short signals that use a few rows of a
 * table before long ones use them all) give bit for bit what a fresh handle gives. */
START_TEST(resampler_tables_kept) {
  static const int32_t rates[] = {8000, 11025, 16000, 22050, 44100, 48000, 12345, 96000, 24000,
                                  32000, 9001, 64000, 88200, 176400, 192000, 10000, 30000, 400003};
  const int nr = (int)(sizeof rates / sizeof *rates);
  sl_fe *fe = open_fe(0);
  float *x = malloc(sizeof(float) * 48000);
  for (int i = 0; i < 48000; i++) x[i] = (float)(0.3 * sin(0.01 * i * i / 48000.0) + 0.1 * cos(0.37 * i));
  for (int pass = 0; pass < 3; pass++)
    for (int k = 0; k < nr; k++) {
      const int32_t r = rates[(k * 7 + pass) % nr];
      /* short first, then long; the 13.5 M-float table only with short signals */
      const size_t n = r > 200000 ? 700 + 100 * (size_t)pass : pass == 0 ? 300 : (size_t)(r / 4 < 48000 ? r / 4 : 48000);
      float *y, *want;
      size_t ny, nwant;
      sl_err e;
      ck_assert_msg(sl_fe_resample(fe, x, n, r, &y, &ny, &e) == SL_OK, "%d Hz: %s", r, e.msg);
      sl_fe *fresh = open_fe(0);
      ck_assert_msg(sl_fe_resample(fresh, x, n, r, &want, &nwant, &e) == SL_OK, "%d Hz: %s", r, e.msg);
      sl_fe_close(fresh);
      ck_assert_uint_eq(ny, nwant);
      ck_assert_msg(memcmp(y, want, sizeof(float) * ny) == 0, "%d Hz, %zu samples, pass %d: differs from a fresh handle",
                    r, n, pass);
      free(y);
      free(want);
    }
  free(x);
  sl_fe_close(fe);
}
END_TEST

START_TEST(bad_files) {
  sl_fe *fe = open_fe(0);
  char p[600];
  tmp_path(p, sizeof p, "empty.flac");
  write_bytes(p, "", 0);
  expect_error(fe, p, "empty");

  tmp_path(p, sizeof p, "missing.flac");
  remove(p);
  expect_error(fe, p, "cannot open");

  /* the first half of the real sample: a FLAC whose stream stops early */
  FILE *f = fopen(HD_SAMPLE, "rb");
  ck_assert_ptr_nonnull(f);
  static unsigned char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  ck_assert_uint_gt(n, 20000);
  tmp_path(p, sizeof p, "truncated.flac");
  write_bytes(p, buf, n / 2);
  expect_error(fe, p, "truncated");

  /* bytes that are no audio format */
  unsigned char junk[4096];
  for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(i * 7919u >> 3);
  tmp_path(p, sizeof p, "corrupt.flac");
  write_bytes(p, junk, sizeof junk);
  expect_error(fe, p, "not a readable audio file");

  /* a FLAC header followed by garbage frames */
  memcpy(junk, buf, 2048);
  tmp_path(p, sizeof p, "garbled.flac");
  write_bytes(p, junk, sizeof junk);
  expect_error(fe, p, "corrupt");

  tmp_path(p, sizeof p, "stereo.wav");
  write_wav(p, 48000, 2, 4800);
  expect_error(fe, p, "2 channels");

  tmp_path(p, sizeof p, "rate-4000.wav");
  write_wav(p, 4000, 1, 2000);
  expect_error(fe, p, "sample rate 4000 Hz is below the 8000 Hz minimum");

  tmp_path(p, sizeof p, "no-samples.wav");
  write_wav(p, 48000, 1, 0);
  expect_error(fe, p, "no audio samples");

  /* seeds of the audio fuzz harness (written by test_fe_bad_files): a FLAC without frames,
   * a float WAV with a NaN */
  expect_error(fe, SL_TEST_DATA "/../fuzz/seeds/audio/zero-samples.flac", "no audio samples");
  expect_error(fe, SL_TEST_DATA "/../fuzz/seeds/audio/nan-float.wav", "non-finite sample (NaN)");
  sl_fe_close(fe);
}
END_TEST

START_TEST(stereo_mixed_when_asked) {
  sl_fe *fe = open_fe(1);
  char p[600];
  float feat[80 * 40];
  sl_fe_info info;
  tmp_path(p, sizeof p, "stereo-mix.wav");
  write_wav(p, 48000, 2, 4800);
  file_features_ok(fe, p, feat, &info);
  ck_assert_int_eq(info.channels, 2);
  sl_fe_close(fe);
}
END_TEST

int main(void) {
  const char *t = getenv("SL_TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s", t ? t : "/tmp");
  Suite *s = suite_create("frontend-audio");
  TCase *tc = tcase_create("audio");
  tcase_add_test(tc, hd_sample);
  tcase_add_test(tc, resampled_rates);
  tcase_add_test(tc, resampler_tables_kept);
  tcase_add_test(tc, bad_files);
  tcase_add_test(tc, stereo_mixed_when_asked);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
