/* test_fe_mel.c — the log-mel front end against values worked out here by formula: the
 * Slaney mel scale, pure tones peaking in the band centred on them, the feature range,
 * padding of short utterances, the resampler on a sine, the quantiser and event output. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include "sl_fe.h"
#include "sl_fe_quant.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Slaney's scale, written out again from its definition: f/(200/3) below 1 kHz, above it
 * 15 + 27 * ln(f / 1000) / ln(6.4). */
static double mel_ref(double hz) { return hz < 1000.0 ? hz * 3.0 / 200.0 : 15.0 + 27.0 * log(hz / 1000.0) / log(6.4); }
static double hz_ref(double mel) { return mel < 15.0 ? mel * 200.0 / 3.0 : 1000.0 * pow(6.4, (mel - 15.0) / 27.0); }

static sl_fe *open_default(void) {
  sl_fe_params p;
  sl_fe_params_default(&p);
  sl_err e;
  sl_fe *fe = sl_fe_open(&p, &e);
  ck_assert_msg(fe != NULL, "%s", e.msg);
  return fe;
}

START_TEST(mel_scale) {
  ck_assert_double_eq_tol(sl_fe_hz_to_mel(200.0), 3.0, 1e-12);
  ck_assert_double_eq_tol(sl_fe_hz_to_mel(1000.0), 15.0, 1e-12);
  ck_assert_double_eq_tol(sl_fe_hz_to_mel(6400.0), 42.0, 1e-9);
  ck_assert_double_eq_tol(sl_fe_mel_to_hz(42.0), 6400.0, 1e-6);
  for (double f = 10.0; f < 12000.0; f *= 1.37)
    ck_assert_double_eq_tol(sl_fe_hz_to_mel(f), mel_ref(f), 1e-9);
}
END_TEST

/* A tone at the centre of band m: centre = hz_ref(mel(rate/2) * (m + 1) / (n_mels + 1)). */
START_TEST(tone_peaks_in_its_band) {
  static const int bands[] = {3, 10, 20, 30, 38};
  const int m = bands[_i];
  sl_fe *fe = open_default();
  const double rate = 20510.0;
  double centre = hz_ref(mel_ref(rate / 2.0) * (m + 1) / 41.0);
  size_t n = 20510;
  float *x = malloc(n * sizeof *x), feat[80 * 40];
  for (size_t i = 0; i < n; i++) x[i] = (float)(0.5 * sin(2.0 * M_PI * centre * (double)i / rate));
  sl_err e;
  int32_t used = 0;
  ck_assert_int_eq(sl_fe_features(fe, x, n, feat, &used, &e), SL_OK);
  ck_assert_int_eq(used, 80);
  double mean[40] = {0};
  for (int t = 0; t < 80; t++)
    for (int c = 0; c < 40; c++) mean[c] += feat[t * 40 + c];
  int best = 0;
  for (int c = 1; c < 40; c++)
    if (mean[c] > mean[best]) best = c;
  ck_assert_msg(best == m, "tone %.1f Hz: peak in band %d, expected %d", centre, best, m);
  free(x);
  sl_fe_close(fe);
}
END_TEST

START_TEST(range_and_padding) {
  sl_fe *fe = open_default();
  /* 0.3 s of a chirp: 6153 samples -> 1 + 6153/205 = 31 frames from audio, 49 padded */
  size_t n = 6153;
  float *x = malloc(n * sizeof *x), feat[80 * 40];
  for (size_t i = 0; i < n; i++) {
    double t = (double)i / 20510.0;
    x[i] = (float)(0.3 * sin(2.0 * M_PI * (200.0 + 3000.0 * t) * t));
  }
  sl_err e;
  int32_t used = 0;
  ck_assert_int_eq(sl_fe_features(fe, x, n, feat, &used, &e), SL_OK);
  ck_assert_int_eq(used, 1 + 6153 / 205);
  float mx = 0.0f, mn = 10.0f;
  for (int i = 0; i < 80 * 40; i++) {
    if (feat[i] > mx) mx = feat[i];
    if (feat[i] < mn) mn = feat[i];
  }
  ck_assert_float_eq_tol(mx, 80.0f * 0.0198f, 1e-5f); /* 0 dB below the maximum */
  ck_assert_float_eq_tol(mn, 0.0f, 1e-7f);
  for (int i = used * 40; i < 80 * 40; i++) ck_assert_float_eq(feat[i], 0.0f);
  /* a silent signal has no maximum to be relative to */
  for (size_t i = 0; i < n; i++) x[i] = 0.0f;
  ck_assert_int_eq(sl_fe_features(fe, x, n, feat, &used, &e), SL_ERR_RANGE);
  free(x);
  sl_fe_close(fe);
}
END_TEST

START_TEST(filterbank_area) {
  sl_fe *fe = open_default();
  const float *fb = sl_fe_filterbank(fe);
  /* each triangle has height 2/(f2 - f0) over a base f2 - f0: area 1 (in Hz); sampled on
   * 40.06 Hz bins the sum * bin width is close to 1 once a band spans many bins */
  for (int m = 20; m < 40; m++) {
    double area = 0.0;
    for (int k = 0; k < 257; k++) area += fb[m * 257 + k] * (20510.0 / 512.0);
    ck_assert_msg(fabs(area - 1.0) < 0.03, "band %d area %.4f", m, area);
  }
  sl_fe_close(fe);
}
END_TEST

START_TEST(resample_sine) {
  sl_fe *fe = open_default();
  size_t n = 48000;
  float *x = malloc(n * sizeof *x), *y = NULL;
  for (size_t i = 0; i < n; i++) x[i] = (float)(0.5 * sin(2.0 * M_PI * 1000.0 * (double)i / 48000.0));
  size_t m = 0;
  sl_err e;
  ck_assert_int_eq(sl_fe_resample(fe, x, n, 48000, &y, &m, &e), SL_OK);
  ck_assert_uint_eq(m, 20510); /* ceil(48000 * 20510 / 48000) */
  double worst = 0.0;
  for (size_t j = 200; j < m - 200; j++) {
    double d = fabs(y[j] - 0.5 * sin(2.0 * M_PI * 1000.0 * (double)j / 20510.0));
    if (d > worst) worst = d;
  }
  ck_assert_msg(worst < 1e-3, "worst error %.3g", worst);
  free(y);
  /* a tone above the new Nyquist (12 kHz > 10,255 Hz) is removed */
  for (size_t i = 0; i < n; i++) x[i] = (float)(0.5 * sin(2.0 * M_PI * 12000.0 * (double)i / 48000.0));
  ck_assert_int_eq(sl_fe_resample(fe, x, n, 48000, &y, &m, &e), SL_OK);
  worst = 0.0;
  for (size_t j = 200; j < m - 200; j++)
    if (fabs(y[j]) > worst) worst = fabs(y[j]);
  ck_assert_msg(worst < 1e-3, "alias amplitude %.3g", worst);
  free(y);
  free(x);
  sl_fe_close(fe);
}
END_TEST

START_TEST(quantiser) {
  const float fmax = 1.584f;
  ck_assert_uint_eq(sl_fe_quantise(0.0f, fmax), 0);
  ck_assert_uint_eq(sl_fe_quantise(fmax, fmax), 255);
  ck_assert_uint_eq(sl_fe_quantise(2.0f, fmax), 255);
  ck_assert_uint_eq(sl_fe_quantise(-1.0f, fmax), 0);
  ck_assert_uint_eq(sl_fe_quantise(NAN, fmax), 0);
  ck_assert_uint_eq(sl_fe_quantise(fmax * 100.0f / 255.0f, fmax), 100);
  ck_assert_uint_eq(sl_fe_quantise(fmax * 99.6f / 255.0f, fmax), 100);
  ck_assert_uint_eq(sl_fe_quantise(fmax * 99.4f / 255.0f, fmax), 99);
  ck_assert_uint_eq(sl_fe_quantise(fmax * 0.4f / 255.0f, fmax), 0);
  ck_assert_float_eq_tol(sl_fe_dequantise(255, fmax), fmax, 1e-6f);
  /* events: 3 steps x 2 channels, payloads 0, 255, 1 / 0, 0, 128 */
  float f[6] = {0.0f, fmax, fmax / 255.0f, 0.0f, 0.0f, fmax * 128.0f / 255.0f};
  sl_eventset es;
  sl_err e;
  ck_assert_int_eq(sl_events_init(&es, 40, 80, &e), SL_OK);
  ck_assert_int_eq(sl_fe_append_events(&es, 7, 13, f, 3, 2, fmax, &e), SL_OK);
  ck_assert_uint_eq(es.n_samples, 1);
  ck_assert_int_eq(es.samples[0].label, 13);
  ck_assert_uint_eq(es.n_events, 3);
  ck_assert_uint_eq(es.ev[0].step, 0);
  ck_assert_uint_eq(es.ev[0].chan, 1);
  ck_assert_uint_eq(es.ev[0].payload, 255);
  ck_assert_uint_eq(es.ev[1].step, 1);
  ck_assert_uint_eq(es.ev[1].chan, 0);
  ck_assert_uint_eq(es.ev[1].payload, 1);
  ck_assert_uint_eq(es.ev[2].step, 2);
  ck_assert_uint_eq(es.ev[2].chan, 1);
  ck_assert_uint_eq(es.ev[2].payload, 128);
  /* features that do not fit the event set's header are refused */
  ck_assert_int_eq(sl_fe_append_events(&es, 8, 0, f, 3, 41, fmax, &e), SL_ERR_ARG);
  sl_events_free(&es);
}
END_TEST

START_TEST(bad_params) {
  sl_fe_params p;
  sl_fe_params_default(&p);
  p.n_mels = 0;
  sl_err e;
  ck_assert_ptr_null(sl_fe_open(&p, &e));
  ck_assert_int_eq(e.code, SL_ERR_ARG);
  sl_fe_params_default(&p);
  sl_fe_params q = p;
  ck_assert(sl_fe_params_hash(&p) == sl_fe_params_hash(&q));
  q.hop = 206;
  ck_assert(sl_fe_params_hash(&p) != sl_fe_params_hash(&q));
}
END_TEST

int main(void) {
  Suite *s = suite_create("frontend-mel");
  TCase *tc = tcase_create("mel");
  tcase_add_test(tc, mel_scale);
  tcase_add_loop_test(tc, tone_peaks_in_its_band, 0, 5);
  tcase_add_test(tc, range_and_padding);
  tcase_add_test(tc, filterbank_area);
  tcase_add_test(tc, resample_sine);
  tcase_add_test(tc, quantiser);
  tcase_add_test(tc, bad_params);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
