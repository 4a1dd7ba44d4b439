/* sl_augment.c — training-time augmentation on the payload grid (see sl_augment.h). The
 * augmented sample is quantised back to payloads, so training still sees only values the
 * hardware can receive. */
#include <math.h>
#include "sl_augment.h"

int sl_augment_on(const sl_train_cfg *c) {
  return c->aug_shift > 0 || c->aug_stretch > 0 || c->aug_time > 0 || c->aug_fmask > 0 || c->aug_tmask > 0;
}

uint64_t sl_augment_key(uint64_t seed, int32_t epoch, int32_t index) {
  return sl_hash64(sl_hash64(seed * 0x9E3779B97F4A7C15ull + 0xA5A5) ^ ((uint64_t)(uint32_t)epoch << 32) ^
                   (uint64_t)(uint32_t)index);
}

void sl_augment_draw(const sl_train_cfg *c, uint64_t key, double *stretch, double *tshift, double *fshift) {
  uint64_t r = key;
  *stretch = 1.0 + c->aug_stretch * (2.0 * sl_unif(&r) - 1.0);
  *tshift = c->aug_time * (2.0 * sl_unif(&r) - 1.0);
  *fshift = c->aug_shift * (2.0 * sl_unif(&r) - 1.0);
}

/* width in 0..max, then the first index so that the range fits in n */
static void draw_range(uint64_t *r, int32_t max, int32_t n, int32_t *first, int32_t *width) {
  int32_t w = (int32_t)(sl_unif(r) * (max + 1));
  if (w > max) w = max;
  if (w > n) w = n;
  int32_t f = (int32_t)(sl_unif(r) * (n - w + 1));
  if (f > n - w) f = n - w;
  *first = f;
  *width = w;
}

void sl_augment_draw_masks(const sl_train_cfg *c, int32_t steps, int32_t channels, uint64_t key,
                           int32_t *f0, int32_t *fw, int32_t *t0, int32_t *tw) {
  /* a stream of its own, so that the other draws stay what they were without masks */
  uint64_t r = sl_hash64(key ^ 0x6D61736B73ull);
  draw_range(&r, c->aug_fmask, channels, f0, fw);
  draw_range(&r, c->aug_tmask, steps, t0, tw);
}

void sl_augment_mask(uint8_t *g, int32_t steps, int32_t channels, int32_t f0, int32_t fw, int32_t t0,
                     int32_t tw) {
  for (int32_t t = 0; t < steps; t++) {
    uint8_t *row = g + (size_t)t * channels;
    if (t >= t0 && t < t0 + tw) {
      for (int32_t ch = 0; ch < channels; ch++) row[ch] = 0;
      continue;
    }
    for (int32_t ch = f0; ch < f0 + fw && ch < channels; ch++) row[ch] = 0;
  }
}

void sl_augment(uint8_t *out, const uint8_t *in, int32_t steps, int32_t channels, const sl_train_cfg *c,
                uint64_t key) {
  double stretch, tshift, fshift;
  sl_augment_draw(c, key, &stretch, &tshift, &fshift);
  sl_augment_apply(out, in, steps, channels, stretch, tshift, fshift);
  if (c->aug_fmask > 0 || c->aug_tmask > 0) {
    int32_t f0, fw, t0, tw;
    sl_augment_draw_masks(c, steps, channels, key, &f0, &fw, &t0, &tw);
    sl_augment_mask(out, steps, channels, f0, fw, t0, tw);
  }
}

void sl_augment_apply(uint8_t *out, const uint8_t *in, int32_t steps, int32_t channels, double stretch,
                      double tshift, double fshift) {
  for (int32_t t = 0; t < steps; t++) {
    const double ts = t / stretch - tshift;
    const double tf = floor(ts);
    const int32_t t0 = (int32_t)tf;
    const double wt = ts - tf;
    for (int32_t ch = 0; ch < channels; ch++) {
      double cs = ch - fshift;
      if (cs < 0) cs = 0;
      if (cs > channels - 1) cs = channels - 1;
      const double cf = floor(cs);
      int32_t c0 = (int32_t)cf, c1 = c0 + 1 < channels ? c0 + 1 : c0;
      const double wc = cs - cf;
      double v = 0;
      for (int k = 0; k < 2; k++) {
        const int32_t tt = t0 + k;
        const double w = k ? wt : 1.0 - wt;
        if (tt < 0 || tt >= steps || w == 0) continue;
        const uint8_t *row = in + (size_t)tt * channels;
        v += w * ((1.0 - wc) * row[c0] + wc * row[c1]);
      }
      const long q = lround(v);
      out[(size_t)t * channels + ch] = (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q);
    }
  }
}
