/* sl_augment.h — training-time augmentation of a sample's payload grid [steps][channels]:
 * a shift along the channel (mel band) axis, a time stretch and a time shift, drawn per
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

/* The key of sample `index` in epoch `epoch` of a run with seed `seed`. */
uint64_t sl_augment_key(uint64_t seed, int32_t epoch, int32_t index);

#ifdef __cplusplus
}
#endif
#endif
