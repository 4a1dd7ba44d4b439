/* sl_fe_resample.c — sample-rate conversion for the front end: a polyphase windowed-sinc
 * (Kaiser, beta 8.6, 16 zero crossings each side, cut-off at 95 % of the lower Nyquist, or
 * of the band limit when one is set below both Nyquist rates).
 * Output sample j sits at input position j * down / up with up/down = rate_out/rate_in in
 * lowest terms; its phase (j * down mod up) picks one row of a precomputed tap table. */
#include <math.h>
#include <stdlib.h>
#include "sl_fe_internal.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define SL_RS_ZEROS 16
#define SL_RS_BETA 8.6
#define SL_RS_ROLLOFF 0.95
#define SL_RS_MAX_TABLE (1 << 24)   /* floats: caps odd rate pairs at 64 MB */

static int64_t gcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* modified Bessel function of the first kind, order 0 (power series) */
static double bessel_i0(double x) {
  double sum = 1.0, term = 1.0, q = x * x / 4.0;
  for (int k = 1; k < 64; k++) {
    term *= q / ((double)k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/* The band limit applies when it is below both Nyquist rates: an 8 kHz file under a 4 kHz
 * limit is resampled exactly as without one. */
static int band_active(const sl_fe *fe, int32_t rate_in) {
  int32_t lo = rate_in < fe->p.sample_rate ? rate_in : fe->p.sample_rate;
  return fe->p.band_limit > 0 && 2 * (int64_t)fe->p.band_limit < lo;
}

static sl_status build_table(sl_fe *fe, int32_t rate_in, sl_err *err) {
  int64_t g = gcd64(rate_in, fe->p.sample_rate);
  int64_t up = fe->p.sample_rate / g, down = rate_in / g;
  /* cut-off in cycles per input sample */
  double fc = 0.5 * SL_RS_ROLLOFF * (up < down ? (double)up / (double)down : 1.0);
  if (band_active(fe, rate_in)) fc = SL_RS_ROLLOFF * fe->p.band_limit / (double)rate_in;
  double half = SL_RS_ZEROS / (2.0 * fc);         /* half-width in input samples */
  int32_t first = -(int32_t)floor(half);           /* tap i reads input floor(pos) + first + i */
  int32_t taps = 2 * (int32_t)floor(half) + 2;
  if ((double)up * taps > SL_RS_MAX_TABLE)
    return sl_err_set(err, SL_ERR_ARG, "front end: cannot resample %d Hz to %d Hz (rate ratio too fine)",
                      rate_in, fe->p.sample_rate);
  float *tab = malloc(sizeof(float) * (size_t)up * (size_t)taps);
  if (!tab) return sl_err_set(err, SL_ERR_NOMEM, "front end: out of memory (resampler)");
  double i0b = bessel_i0(SL_RS_BETA);
  for (int64_t ph = 0; ph < up; ph++) {
    double frac = (double)ph / (double)up;   /* position minus floor(position) */
    double sum = 0.0;
    float *row = tab + ph * taps;
    for (int32_t i = 0; i < taps; i++) {
      double t = (double)(first + i) - frac;   /* input index minus position */
      double h = 0.0;
      if (fabs(t) < half) {
        double r = t / half;
        double win = bessel_i0(SL_RS_BETA * sqrt(1.0 - r * r)) / i0b;
        double a = 2.0 * fc * t;
        h = 2.0 * fc * (a == 0.0 ? 1.0 : sin(M_PI * a) / (M_PI * a)) * win;
      }
      row[i] = (float)h;
      sum += h;
    }
    for (int32_t i = 0; i < taps; i++) row[i] = (float)(row[i] / sum);  /* unit DC gain */
  }
  free(fe->rs_table);
  fe->rs_table = tab;
  fe->rs_rate_in = rate_in;
  fe->rs_up = up;
  fe->rs_down = down;
  fe->rs_taps = taps;
  fe->rs_first = first;
  return SL_OK;
}

sl_status sl_fe_resample(sl_fe *fe, const float *x, size_t n, int32_t rate_in,
                         float **out, size_t *n_out, sl_err *err) {
  *out = NULL;
  *n_out = 0;
  if (rate_in <= 0) return sl_err_set(err, SL_ERR_ARG, "front end: input rate %d Hz", rate_in);
  if (rate_in == fe->p.sample_rate && !band_active(fe, rate_in)) {
    float *y = malloc(sizeof(float) * (n ? n : 1));
    if (!y) return sl_err_set(err, SL_ERR_NOMEM, "front end: out of memory");
    for (size_t i = 0; i < n; i++) y[i] = x[i];
    *out = y;
    *n_out = n;
    return SL_OK;
  }
  if (fe->rs_rate_in != rate_in || !fe->rs_table) {
    sl_status s = build_table(fe, rate_in, err);
    if (s != SL_OK) return s;
  }
  /* ceil(n * up / down) outputs cover the input's duration */
  size_t m = (size_t)(((int64_t)n * fe->rs_up + fe->rs_down - 1) / fe->rs_down);
  float *y = malloc(sizeof(float) * (m ? m : 1));
  if (!y) return sl_err_set(err, SL_ERR_NOMEM, "front end: out of memory");
  const int32_t taps = fe->rs_taps;
  for (size_t j = 0; j < m; j++) {
    int64_t num = (int64_t)j * fe->rs_down;
    int64_t base = num / fe->rs_up, ph = num % fe->rs_up;
    const float *row = fe->rs_table + ph * taps;
    int64_t i0 = base + fe->rs_first;
    double acc = 0.0;
    if (i0 >= 0 && i0 + taps <= (int64_t)n) {
      const float *xs = x + i0;
      for (int32_t i = 0; i < taps; i++) acc += (double)row[i] * xs[i];
    } else {
      for (int32_t i = 0; i < taps; i++) {
        int64_t k = i0 + i;
        if (k >= 0 && k < (int64_t)n) acc += (double)row[i] * x[k];
      }
    }
    y[j] = (float)acc;
  }
  *out = y;
  *n_out = m;
  return SL_OK;
}
