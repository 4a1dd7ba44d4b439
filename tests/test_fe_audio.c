/* test_fe_audio.c — reading audio: the real Heidelberg Digits sample (48 kHz, 80 x 40
 * features) and the clear, file-naming errors for empty, truncated, corrupt, stereo and
 * low-rate (below 8 kHz) files; other rates are resampled. */
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
}

START_TEST(hd_sample) {
  sl_fe *fe = open_fe(0);
  float feat[80 * 40];
  sl_fe_info info;
  sl_err e;
  ck_assert_msg(sl_fe_file_features(fe, HD_SAMPLE, feat, &info, &e) == SL_OK, "%s", e.msg);
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
  sl_err e;
  tmp_path(p, sizeof p, "tone-22050.wav");
  write_wav(p, 22050, 1, 22050 / 2);
  ck_assert_msg(sl_fe_file_features(fe, p, feat, &info, &e) == SL_OK, "%s", e.msg);
  ck_assert_int_eq(info.rate, 22050);
  /* 11025 samples -> ceil(11025 * 20510 / 22050) = 10255 -> 1 + 10255/205 = 51 frames */
  ck_assert_int_eq(info.frames_used, 51);
  tmp_path(p, sizeof p, "tone-20510.wav");
  write_wav(p, 20510, 1, 2051);
  ck_assert_msg(sl_fe_file_features(fe, p, feat, &info, &e) == SL_OK, "%s", e.msg);
  ck_assert_int_eq(info.frames_used, 1 + 2051 / 205);
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
  sl_fe_close(fe);
}
END_TEST

START_TEST(stereo_mixed_when_asked) {
  sl_fe *fe = open_fe(1);
  char p[600];
  float feat[80 * 40];
  sl_fe_info info;
  sl_err e;
  tmp_path(p, sizeof p, "stereo-mix.wav");
  write_wav(p, 48000, 2, 4800);
  ck_assert_msg(sl_fe_file_features(fe, p, feat, &info, &e) == SL_OK, "%s", e.msg);
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
  tcase_add_test(tc, bad_files);
  tcase_add_test(tc, stereo_mixed_when_asked);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
