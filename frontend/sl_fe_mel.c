/* sl_fe_mel.c — the log-mel features of the seed's RawHD input (docs/data.md §2): handle
 * set-up (window, Slaney mel filterbank, kissfft plan) and the per-utterance computation. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sl_fe_internal.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Slaney's auditory-toolbox mel scale: 3 mel per 200 Hz below 1 kHz, then logarithmic with
 * 27 mel per factor 6.4 (librosa htk=False, torchaudio mel_scale="slaney"). */
#define SL_MEL_F_SP (200.0 / 3.0)
#define SL_MEL_MIN_LOG_HZ 1000.0
#define SL_MEL_MIN_LOG_MEL (SL_MEL_MIN_LOG_HZ / SL_MEL_F_SP)
#define SL_MEL_LOGSTEP (log(6.4) / 27.0)

double sl_fe_hz_to_mel(double hz) {
  if (hz < SL_MEL_MIN_LOG_HZ) return hz / SL_MEL_F_SP;
  return SL_MEL_MIN_LOG_MEL + log(hz / SL_MEL_MIN_LOG_HZ) / SL_MEL_LOGSTEP;
}

double sl_fe_mel_to_hz(double mel) {
  if (mel < SL_MEL_MIN_LOG_MEL) return mel * SL_MEL_F_SP;
  return SL_MEL_MIN_LOG_HZ * exp(SL_MEL_LOGSTEP * (mel - SL_MEL_MIN_LOG_MEL));
}

static sl_status check_params(const sl_fe_params *p, sl_err *err) {
  if (p->sample_rate < 1000 || p->sample_rate > 384000)
    return sl_err_set(err, SL_ERR_ARG, "front end: sample_rate %d Hz out of 1000..384000", p->sample_rate);
  if (p->n_fft < 16 || p->n_fft > 65536 || (p->n_fft & 1))
    return sl_err_set(err, SL_ERR_ARG, "front end: n_fft %d must be even, 16..65536", p->n_fft);
  if (p->win_length < 2 || p->win_length > p->n_fft)
    return sl_err_set(err, SL_ERR_ARG, "front end: win_length %d out of 2..n_fft", p->win_length);
  if (p->hop < 1) return sl_err_set(err, SL_ERR_ARG, "front end: hop %d < 1", p->hop);
  if (p->n_mels < 1 || p->n_mels > p->n_fft / 2)
    return sl_err_set(err, SL_ERR_ARG, "front end: n_mels %d out of 1..n_fft/2", p->n_mels);
  if (p->n_frames < 1 || p->n_frames > 65535)
    return sl_err_set(err, SL_ERR_ARG, "front end: n_frames %d out of 1..65535", p->n_frames);
  if (!(p->preemph >= 0.0f && p->preemph < 1.0f))
    return sl_err_set(err, SL_ERR_ARG, "front end: preemph %g out of [0, 1)", (double)p->preemph);
  if (p->min_rate < 1) return sl_err_set(err, SL_ERR_ARG, "front end: min_rate %d < 1", p->min_rate);
  sl_err e2;
  if (sl_fe_check_recipe(p->top_db, p->scale, p->band_limit, p->sample_rate, &e2))
    return sl_err_set(err, SL_ERR_ARG, "front end: %s", e2.msg);
  return SL_OK;
}

/* Triangles between consecutive points of n_mels + 2 mel-spaced frequencies from 0 Hz to
 * rate/2, each scaled by 2 / (its width in Hz) so that every band has the same area. */
static void make_filterbank(sl_fe *fe) {
  const sl_fe_params *p = &fe->p;
  int nm = p->n_mels, nb = fe->n_bins;
  double mel_hi = sl_fe_hz_to_mel(p->sample_rate / 2.0);
  double *f = malloc(sizeof(double) * (size_t)(nm + 2));
  for (int i = 0; i < nm + 2; i++) f[i] = sl_fe_mel_to_hz(mel_hi * i / (nm + 1));
  for (int m = 0; m < nm; m++) {
    double norm = 2.0 / (f[m + 2] - f[m]);
    for (int k = 0; k < nb; k++) {
      double hz = (double)k * p->sample_rate / p->n_fft;
      double lo = (hz - f[m]) / (f[m + 1] - f[m]);
      double hi = (f[m + 2] - hz) / (f[m + 2] - f[m + 1]);
      double w = lo < hi ? lo : hi;
      fe->fb[(size_t)m * nb + k] = w > 0.0 ? (float)(w * norm) : 0.0f;
    }
    int lo = 0, hi = nb;
    while (lo < nb && fe->fb[(size_t)m * nb + lo] == 0.0f) lo++;
    while (hi > lo && fe->fb[(size_t)m * nb + hi - 1] == 0.0f) hi--;
    fe->fb_lo[m] = lo;
    fe->fb_hi[m] = hi;
  }
  free(f);
}

sl_fe *sl_fe_open(const sl_fe_params *p, sl_err *err) {
  if (!p) {
    sl_err_set(err, SL_ERR_ARG, "front end: no parameters");
    return NULL;
  }
  if (check_params(p, err) != SL_OK) return NULL;
  sl_fe *fe = calloc(1, sizeof *fe);
  if (!fe) goto nomem;
  fe->p = *p;
  fe->n_bins = p->n_fft / 2 + 1;
  fe->fft = kiss_fftr_alloc(p->n_fft, 0, NULL, NULL);
  fe->window = calloc((size_t)p->n_fft, sizeof(float));
  fe->fb = calloc((size_t)p->n_mels * fe->n_bins, sizeof(float));
  fe->fb_lo = calloc((size_t)p->n_mels, sizeof(int32_t));
  fe->fb_hi = calloc((size_t)p->n_mels, sizeof(int32_t));
  fe->frame = calloc((size_t)p->n_fft, sizeof(float));
  fe->spec = calloc((size_t)fe->n_bins, sizeof(kiss_fft_cpx));
  fe->db = calloc((size_t)p->n_frames * p->n_mels, sizeof(double));
  if (!fe->fft || !fe->window || !fe->fb || !fe->fb_lo || !fe->fb_hi || !fe->frame || !fe->spec || !fe->db)
    goto nomem;
  /* periodic Hann of win_length, centred in the n_fft frame (as torch.stft pads it) */
  int off = (p->n_fft - p->win_length) / 2;
  for (int i = 0; i < p->win_length; i++)
    fe->window[off + i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * i / p->win_length));
  make_filterbank(fe);
  return fe;
nomem:
  sl_fe_close(fe);
  sl_err_set(err, SL_ERR_NOMEM, "front end: out of memory");
  return NULL;
}

void sl_fe_close(sl_fe *fe) {
  if (!fe) return;
  kiss_fftr_free(fe->fft);
  free(fe->window);
  free(fe->fb);
  free(fe->fb_lo);
  free(fe->fb_hi);
  free(fe->frame);
  free(fe->spec);
  free(fe->db);
  sl_fe_resample_free(fe);
  free(fe);
}

const sl_fe_params *sl_fe_get_params(const sl_fe *fe) { return &fe->p; }
const float *sl_fe_filterbank(const sl_fe *fe) { return fe->fb; }

/* Sample i of the pre-emphasised signal, with reflection at both ends (torch.stft's
 * center=True, pad_mode="reflect"; zero beyond one reflection for very short signals). */
static float sample_at(const float *x, size_t n, float a, long i) {
  long ln = (long)n;
  if (i < 0) i = -i;
  if (i >= ln) i = 2 * (ln - 1) - i;
  if (i < 0 || i >= ln) return 0.0f;
  return i == 0 ? x[0] : x[i] - a * x[i - 1];
}

sl_status sl_fe_features(sl_fe *fe, const float *x, size_t n, float *out,
                         int32_t *frames_used, sl_err *err) {
  const sl_fe_params *p = &fe->p;
  const int nm = p->n_mels, nb = fe->n_bins, nf = p->n_fft;
  if (!x || n == 0) return sl_err_set(err, SL_ERR_ARG, "front end: no samples");
  /* centred frames: frame t is centred on sample t * hop; 1 + n / hop of them, cropped */
  size_t avail = 1 + n / (size_t)p->hop;
  int32_t used = avail < (size_t)p->n_frames ? (int32_t)avail : p->n_frames;
  double peak = -DBL_MAX;
  for (int32_t t = 0; t < used; t++) {
    long start = (long)t * p->hop - nf / 2;
    for (int i = 0; i < nf; i++)
      fe->frame[i] = fe->window[i] * sample_at(x, n, p->preemph, start + i);
    kiss_fftr(fe->fft, fe->frame, fe->spec);
    for (int m = 0; m < nm; m++) {
      const float *w = fe->fb + (size_t)m * nb;
      double e = 0.0;
      for (int k = fe->fb_lo[m]; k < fe->fb_hi[m]; k++) {   /* outside: zero weights */
        if (w[k] == 0.0f) continue;
        double re = fe->spec[k].r, im = fe->spec[k].i;
        e += w[k] * (re * re + im * im);
      }
      double db = 10.0 * log10(e > 1e-10 ? e : 1e-10);
      fe->db[(size_t)t * nm + m] = db;
      if (db > peak) peak = db;
    }
  }
  if (peak <= -100.0 + 1e-9)
    return sl_err_set(err, SL_ERR_RANGE, "front end: silent audio (no energy above -100 dB)");
  for (int32_t t = 0; t < p->n_frames; t++)
    for (int m = 0; m < nm; m++) {
      float v = 0.0f;  /* padding frames sit at the floor */
      if (t < used) {
        double rel = fe->db[(size_t)t * nm + m] - peak;
        if (rel < -p->top_db) rel = -p->top_db;
        v = (float)((rel + p->top_db) * p->scale);
      }
      out[(size_t)t * nm + m] = v;
    }
  if (frames_used) *frames_used = used;
  return SL_OK;
}

/* Features of audio read from `path` (s: the reader's status, x: its samples, freed here). */
static sl_status features_of_read(sl_fe *fe, const char *path, sl_status s, float *x, size_t n, float *out,
                                  sl_fe_info *inf, sl_err *err) {
  if (s != SL_OK) return s;
  s = sl_fe_features(fe, x, n, out, &inf->frames_used, err);
  free(x);
  if (s == SL_OK) sl_fe_floor_empty_bands(fe, inf->rate, out);
  if (s != SL_OK) {
    sl_err e2 = {0};
    if (err) e2 = *err;
    return sl_err_set(err, s, "%s: %s", path, e2.msg + (strncmp(e2.msg, "front end: ", 11) ? 0 : 11));
  }
  return SL_OK;
}

sl_status sl_fe_file_features(sl_fe *fe, const char *path, float *out, sl_fe_info *info,
                              sl_err *err) {
  float *x = NULL;
  size_t n = 0;
  sl_fe_info local;
  sl_fe_info *inf = info ? info : &local;
  sl_status s = sl_fe_read_audio(fe, path, &x, &n, inf, err);
  return features_of_read(fe, path, s, x, n, out, inf, err);
}

sl_status sl_fe_mem_features(sl_fe *fe, const void *data, size_t size, const char *name, float *out,
                             sl_fe_info *info, sl_err *err) {
  float *x = NULL;
  size_t n = 0;
  sl_fe_info local;
  sl_fe_info *inf = info ? info : &local;
  sl_status s = sl_fe_read_audio_mem(fe, data, size, name, &x, &n, inf, err);
  return features_of_read(fe, name, s, x, n, out, inf, err);
}
