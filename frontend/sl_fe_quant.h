/* sl_fe_quant.h — features to graded input events (docs/spec.md §3, §8.2): a feature f in
 * [0, fmax] becomes the payload round(f * 255 / fmax), clamped to 0..255; payload 0 is no
 * event. With the default fmax = 1.584 one payload step is 0.00621 = 0.314 dB. */
#ifndef SL_FE_QUANT_H
#define SL_FE_QUANT_H

#include <stddef.h>
#include <stdint.h>
#include "sl_events.h"
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Payload of one feature value (NaN gives 0). */
uint8_t sl_fe_quantise(float f, float fmax);
/* Feature value a payload stands for: p * fmax / 255. */
float sl_fe_dequantise(uint8_t p, float fmax);

/* Append one sample's events to es: for each step t < n_frames and channel c < n_mels with
 * a nonzero payload, the event (t, c, payload), in step-then-channel order. es must have
 * channels >= n_mels and steps >= n_frames. feat is [n_frames][n_mels]. */
sl_status sl_fe_append_events(sl_eventset *es, int32_t id, int32_t label, const float *feat,
                              int n_frames, int n_mels, float fmax, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
