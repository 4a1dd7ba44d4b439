/* sl_fe_quant.c — quantisation of log-mel features into graded input events. */
#include <math.h>
#include "sl_fe_quant.h"

uint8_t sl_fe_quantise(float f, float fmax) {
  if (!(f > 0.0f) || !(fmax > 0.0f)) return 0;
  double q = floor((double)f * 255.0 / (double)fmax + 0.5);
  if (q > 255.0) q = 255.0;
  return (uint8_t)q;
}

float sl_fe_dequantise(uint8_t p, float fmax) { return (float)((double)p * fmax / 255.0); }

sl_status sl_fe_append_events(sl_eventset *es, int32_t id, int32_t label, const float *feat,
                              int n_frames, int n_mels, float fmax, sl_err *err) {
  if ((uint32_t)n_mels > es->channels || (uint32_t)n_frames > es->steps)
    return sl_err_set(err, SL_ERR_ARG, "events: %d x %d features do not fit %u steps x %u channels",
                      n_frames, n_mels, es->steps, es->channels);
  sl_status s = sl_events_add_sample(es, id, label, err);
  if (s != SL_OK) return s;
  for (int t = 0; t < n_frames; t++)
    for (int c = 0; c < n_mels; c++) {
      uint8_t p = sl_fe_quantise(feat[(size_t)t * n_mels + c], fmax);
      if (p && (s = sl_events_add(es, (uint32_t)t, (uint32_t)c, p, err)) != SL_OK) return s;
    }
  return SL_OK;
}
