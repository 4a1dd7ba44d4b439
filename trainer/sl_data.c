/* sl_data.c — datasets of graded events: the synthetic generator, event-file import and
 * export (see sl_data.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sl_data.h"
#include "sl_train.h"

sl_status sl_data_init(sl_dataset *d, int32_t steps, int32_t channels, sl_err *err) {
  memset(d, 0, sizeof *d);
  if (steps < 1 || channels < 1) return sl_err_set(err, SL_ERR_ARG, "dataset needs steps and channels >= 1");
  d->steps = steps;
  d->channels = channels;
  return SL_OK;
}

void sl_data_free(sl_dataset *d) {
  if (!d) return;
  free(d->pay);
  free(d->label);
  free(d->split);
  free(d->speaker);
  free(d->speaker_name);
  memset(d, 0, sizeof *d);
}

uint8_t *sl_data_add(sl_dataset *d, int32_t label, int split, sl_err *err) {
  const size_t per = (size_t)d->steps * d->channels;
  if (d->n == d->cap) {
    if (d->cap > INT32_MAX / 2) { /* the doubling is bounded: sample indices are int32 */
      sl_err_set(err, SL_ERR_NOMEM, "more than %d samples", d->cap);
      return NULL;
    }
    int32_t cap = d->cap ? 2 * d->cap : 256;
    uint8_t *p = realloc(d->pay, per * cap);
    if (p) d->pay = p;
    int32_t *l = realloc(d->label, sizeof(int32_t) * cap);
    if (l) d->label = l;
    uint8_t *s = realloc(d->split, (size_t)cap);
    if (s) d->split = s;
    int16_t *sp = realloc(d->speaker, sizeof(int16_t) * cap);
    if (sp) d->speaker = sp;
    if (!p || !l || !s || !sp) {
      sl_err_set(err, SL_ERR_NOMEM, "out of memory for %d samples", cap);
      return NULL;
    }
    d->cap = cap;
  }
  uint8_t *x = d->pay + per * d->n;
  memset(x, 0, per);
  d->label[d->n] = label;
  d->split[d->n] = (uint8_t)split;
  d->speaker[d->n] = -1;
  if (label + 1 > d->n_classes) d->n_classes = label + 1;
  d->n++;
  return x;
}

sl_status sl_data_synth(sl_dataset *d, int32_t per_class, int32_t classes, int32_t channels, int32_t steps,
                        float in_scale, uint64_t seed, sl_err *err) {
  sl_status st = sl_data_init(d, steps, channels, err);
  if (st) return st;
  const double fmax = 1.584;
  double *f = malloc(sizeof(double) * (size_t)steps * channels);
  if (!f) return sl_err_set(err, SL_ERR_NOMEM, "out of memory");
  for (int32_t i = 0; i < per_class * classes; i++) {
    const int k = i % classes;
    /* the class pair's bursts: channels and gaps from a hash of (seed, pair) */
    uint64_t cr = sl_hash64(seed * 31 + 1000 + (uint64_t)(k / 2));
    int ch[3], gap[2];
    for (int b = 0; b < 3; b++) ch[b] = 2 + (int)(sl_unif(&cr) * (channels - 4));
    gap[0] = 6 + (int)(sl_unif(&cr) * 10);
    gap[1] = 6 + (int)(sl_unif(&cr) * 10);
    if (k & 1) { int t = ch[0]; ch[0] = ch[2]; ch[2] = t; }
    uint64_t r = sl_hash64(seed * 0x9E3779B97F4A7C15ull + (uint64_t)i + 1);
    for (int32_t j = 0; j < steps * channels; j++) f[j] = sl_unif(&r) < 0.3 ? 0.35 * sl_unif(&r) : 0;
    int t0 = (int)(steps * 0.15) + (int)(sl_unif(&r) * steps * 0.2);
    for (int b = 0; b < 3; b++) {
      const int on = t0 + (b > 0 ? gap[0] : 0) + (b > 1 ? gap[1] : 0) + (int)(sl_unif(&r) * 5) - 2;
      const int dur = 4 + (int)(sl_unif(&r) * 4);
      const double c0 = ch[b] + 2 * sl_unif(&r) - 1, amp = 0.7 + 0.8 * sl_unif(&r);
      for (int t = on; t < on + dur && t < steps; t++)
        for (int c = 0; c < channels; c++) {
          if (t < 0) continue;
          const double g = amp * exp(-(c - c0) * (c - c0) / (2 * 1.5 * 1.5));
          f[(size_t)t * channels + c] += g;
        }
    }
    const int split = (sl_hash64(seed ^ ((uint64_t)i * 0xA24BAED4963EE407ull)) % 100) < 70 ? SL_SPLIT_TRAIN
                      : (sl_hash64(seed ^ ((uint64_t)i * 0x9FB21C651E98DF25ull)) % 2)   ? SL_SPLIT_VAL
                                                                                         : SL_SPLIT_TEST;
    uint8_t *x = sl_data_add(d, k, split, err);
    if (!x) { free(f); return SL_ERR_NOMEM; }
    for (int32_t j = 0; j < steps * channels; j++) {
      double v = f[j] > fmax ? fmax : f[j];
      long p = lround(v / in_scale);
      x[j] = (uint8_t)(p > 255 ? 255 : p < 0 ? 0 : p);
    }
  }
  if (d->n_classes < classes) d->n_classes = classes;
  free(f);
  return SL_OK;
}

sl_status sl_data_add_events(sl_dataset *d, const char *path, int split, sl_err *err) {
  sl_eventset es;
  memset(&es, 0, sizeof es);
  sl_status st = sl_events_load(path, &es, err);
  if (st) return st;
  if ((int32_t)es.steps != d->steps || (int32_t)es.channels > d->channels) {
    sl_events_free(&es);
    return sl_err_set(err, SL_ERR_ARG, "%s: %u channels x %u steps, the trainer expects %d x %d", path,
                      es.channels, es.steps, d->channels, d->steps);
  }
  for (uint32_t i = 0; i < es.n_samples; i++) {
    const sl_sample *s = &es.samples[i];
    if (s->label < 0) {
      const int32_t id = s->id; /* s is freed with es */
      sl_events_free(&es);
      return sl_err_set(err, SL_ERR_ARG, "%s: sample %d has no label", path, id);
    }
    uint8_t *x = sl_data_add(d, s->label, split, err);
    if (!x) { sl_events_free(&es); return SL_ERR_NOMEM; }
    for (uint32_t k = 0; k < s->count; k++) {
      const sl_event *e = &es.ev[s->first + k];
      x[(size_t)e->step * d->channels + e->chan] = e->payload;
    }
  }
  sl_events_free(&es);
  return SL_OK;
}

int32_t *sl_data_split(const sl_dataset *d, int split, int32_t *n) {
  int32_t *idx = malloc(sizeof(int32_t) * (size_t)(d->n ? d->n : 1));
  *n = 0;
  if (!idx) return NULL;
  for (int32_t i = 0; i < d->n; i++)
    if (split == SL_SPLIT_ALL || d->split[i] == split) idx[(*n)++] = i;
  return idx;
}

sl_status sl_data_to_events(const sl_dataset *d, const int32_t *idx, int32_t n, sl_eventset *es, sl_err *err) {
  sl_status st = sl_events_init(es, (uint32_t)d->channels, (uint32_t)d->steps, err);
  if (st) return st;
  for (int32_t k = 0; k < n; k++) {
    const int32_t i = idx[k];
    if ((st = sl_events_add_sample(es, i, d->label[i], err))) return st;
    const uint8_t *x = d->pay + (size_t)i * d->steps * d->channels;
    for (int32_t t = 0; t < d->steps; t++)
      for (int32_t c = 0; c < d->channels; c++)
        if (x[(size_t)t * d->channels + c] && (st = sl_events_add(es, (uint32_t)t, (uint32_t)c, x[(size_t)t * d->channels + c], err)))
          return st;
  }
  return SL_OK;
}

sl_status sl_data_save_events(const sl_dataset *d, int split, const char *path, sl_err *err) {
  int32_t n;
  int32_t *idx = sl_data_split(d, split, &n);
  if (!idx) return sl_err_set(err, SL_ERR_NOMEM, "out of memory");
  sl_eventset es;
  memset(&es, 0, sizeof es);
  sl_status st = sl_data_to_events(d, idx, n, &es, err);
  if (!st) st = sl_events_save(path, &es, err);
  sl_events_free(&es);
  free(idx);
  return st;
}
