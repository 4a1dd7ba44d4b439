/* sl_fe_resample.c — sample-rate conversion for the front end: a polyphase windowed-sinc
 * (Kaiser, beta 8.6, 16 zero crossings each side, cut-off at 95 % of the lower Nyquist, or
 * of the band limit when one is set below both Nyquist rates).
 * Output sample j sits at input position j * down / up with up/down = rate_out/rate_in in
 * lowest terms; its phase (j * down mod up) picks one row of a tap table. A row is computed
 * when first used and kept with its table; the tables of the last few input rates are kept
 * (sl_fe_internal.h), so a folder of mixed rates does not rebuild one per file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
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

/* Row ph of a table: taps of the windowed sinc at position frac = ph / up past an input
 * sample, scaled to unit DC gain. NULL when memory runs out. */
static const float *build_row(sl_fe_rs_table *t, int64_t ph) {
  float *row = malloc(sizeof(float) * (size_t)t->taps);
  if (!row) return NULL;
  const double fc = t->fc, half = t->half;
  double frac = (double)ph / (double)t->up;   /* position minus floor(position) */
  double sum = 0.0;
  for (int32_t i = 0; i < t->taps; i++) {
    double x = (double)(t->first + i) - frac;   /* input index minus position */
    double h = 0.0;
    if (fabs(x) < half) {
      double r = x / half;
      double win = bessel_i0(SL_RS_BETA * sqrt(1.0 - r * r)) / t->i0b;
      double a = 2.0 * fc * x;
      h = 2.0 * fc * (a == 0.0 ? 1.0 : sin(M_PI * a) / (M_PI * a)) * win;
    }
    row[i] = (float)h;
    sum += h;
  }
  for (int32_t i = 0; i < t->taps; i++) row[i] = (float)(row[i] / sum);  /* unit DC gain */
  return t->row[ph] = row;
}

static size_t table_floats(const sl_fe_rs_table *t) { return t->rate_in ? (size_t)t->up * (size_t)t->taps : 0; }

static void drop_table(sl_fe_rs_table *t) {
  if (t->row)
    for (int64_t ph = 0; ph < t->up; ph++) free(t->row[ph]);
  free(t->row);
  memset(t, 0, sizeof *t);
}

void sl_fe_resample_free(sl_fe *fe) {
  for (int k = 0; k < SL_FE_RS_TABLES; k++) drop_table(&fe->rs[k]);
}

/* The table for rate_in: a kept one, or a new one with no row computed yet in the slot of
 * the least recently used rate. The tables kept hold at most SL_RS_MAX_TABLE floats together
 * (older ones are dropped to make room), so the cache costs no more memory than one table. */
static sl_status get_table(sl_fe *fe, int32_t rate_in, sl_fe_rs_table **out, sl_err *err) {
  fe->rs_clock++;
  for (int k = 0; k < SL_FE_RS_TABLES; k++)
    if (fe->rs[k].rate_in == rate_in) {
      fe->rs[k].last_use = fe->rs_clock;
      *out = &fe->rs[k];
      return SL_OK;
    }
  sl_fe_rs_table t = {0};
  int64_t g = gcd64(rate_in, fe->p.sample_rate);
  t.up = fe->p.sample_rate / g;
  t.down = rate_in / g;
  /* cut-off in cycles per input sample */
  t.fc = 0.5 * SL_RS_ROLLOFF * (t.up < t.down ? (double)t.up / (double)t.down : 1.0);
  if (band_active(fe, rate_in)) t.fc = SL_RS_ROLLOFF * fe->p.band_limit / (double)rate_in;
  t.half = SL_RS_ZEROS / (2.0 * t.fc);             /* half-width in input samples */
  t.first = -(int32_t)floor(t.half);               /* tap i reads input floor(pos) + first + i */
  t.taps = 2 * (int32_t)floor(t.half) + 2;
  if ((double)t.up * t.taps > SL_RS_MAX_TABLE)
    return sl_err_set(err, SL_ERR_ARG, "front end: cannot resample %d Hz to %d Hz (rate ratio too fine)",
                      rate_in, fe->p.sample_rate);
  t.rate_in = rate_in;
  t.i0b = bessel_i0(SL_RS_BETA);
  t.last_use = fe->rs_clock;
  /* room: drop the least recently used tables until this one fits beside the rest */
  for (;;) {
    size_t total = table_floats(&t);
    int lru = -1, used = 0;
    for (int k = 0; k < SL_FE_RS_TABLES; k++)
      if (fe->rs[k].rate_in) {
        used++;
        total += table_floats(&fe->rs[k]);
        if (lru < 0 || fe->rs[k].last_use < fe->rs[lru].last_use) lru = k;
      }
    if (used < SL_FE_RS_TABLES && total <= SL_RS_MAX_TABLE) break;
    drop_table(&fe->rs[lru]); /* used > 0 here: the new table alone fits */
  }
  if (!(t.row = calloc((size_t)t.up, sizeof *t.row)))
    return sl_err_set(err, SL_ERR_NOMEM, "front end: out of memory (resampler)");
  int slot = 0;
  for (int k = 0; k < SL_FE_RS_TABLES; k++)
    if (!fe->rs[k].rate_in) {
      slot = k;
      break;
    }
  fe->rs[slot] = t;
  *out = &fe->rs[slot];
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
  sl_fe_rs_table *t = NULL;
  sl_status s = get_table(fe, rate_in, &t, err);
  if (s != SL_OK) return s;
  /* ceil(n * up / down) outputs cover the input's duration */
  size_t m = (size_t)(((int64_t)n * t->up + t->down - 1) / t->down);
  float *y = malloc(sizeof(float) * (m ? m : 1));
  if (!y) return sl_err_set(err, SL_ERR_NOMEM, "front end: out of memory");
  const int32_t taps = t->taps;
  for (size_t j = 0; j < m; j++) {
    int64_t num = (int64_t)j * t->down;
    int64_t base = num / t->up, ph = num % t->up;
    const float *row = t->row[ph] ? t->row[ph] : build_row(t, ph);
    if (!row) {
      free(y);
      return sl_err_set(err, SL_ERR_NOMEM, "front end: out of memory (resampler)");
    }
    int64_t i0 = base + t->first;
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
