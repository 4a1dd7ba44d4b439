/* sl_augment.h — training-time augmentation of a sample's payload grid [steps][channels]:
 * a shift along the channel (mel band) axis, a time stretch, a time shift and a band and a
 * time mask (SpecAugment), drawn per
 * sample and epoch from a counter-based hash (docs/trainer.md, "Augmentation"). */
#ifndef SL_AUGMENT_H
#define SL_AUGMENT_H

#include <stdint.h>
#include "sl_train.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if the configuration asks for any augmentation. */
int sl_augment_on(const sl_train_cfg *c);

/* out = in resampled at (t / stretch - tshift, ch - fshift) with bilinear interpolation of
 * the payload values, rounded; channels beyond the edges repeat the edge band, steps beyond
 * the sample are silent (payload 0). stretch, tshift, fshift are drawn uniformly from
 * [1 - aug_stretch, 1 + aug_stretch], [-aug_time, aug_time], [-aug_shift, aug_shift] with a
 * generator seeded by key (the same key gives the same sample). */
void sl_augment(uint8_t *out, const uint8_t *in, int32_t steps, int32_t channels, const sl_train_cfg *c,
                uint64_t key);

/* The resampling itself, for given parameters (what sl_augment does after drawing them). */
void sl_augment_apply(uint8_t *out, const uint8_t *in, int32_t steps, int32_t channels, double stretch,
                      double tshift, double fshift);
/* The parameters sl_augment draws for a key. */
void sl_augment_draw(const sl_train_cfg *c, uint64_t key, double *stretch, double *tshift, double *fshift);

/* SpecAugment-style masks: a band range [f0, f0 + fw) and a time range [t0, t0 + tw) with
 * fw uniform in 0..aug_fmask, tw in 0..aug_tmask and the first index uniform among those
 * that keep the range inside the grid, drawn from key (a stream separate from the one of
 * sl_augment_draw). sl_augment applies them after the resampling. */
void sl_augment_draw_masks(const sl_train_cfg *c, int32_t steps, int32_t channels, uint64_t key,
                           int32_t *f0, int32_t *fw, int32_t *t0, int32_t *tw);
/* Silence (payload 0) the masked bands at every step and every band of the masked steps. */
void sl_augment_mask(uint8_t *g, int32_t steps, int32_t channels, int32_t f0, int32_t fw, int32_t t0,
                     int32_t tw);

/* The key of sample `index` in epoch `epoch` of a run with seed `seed`. */
uint64_t sl_augment_key(uint64_t seed, int32_t epoch, int32_t index);

#ifdef __cplusplus
}
#endif
#endif
