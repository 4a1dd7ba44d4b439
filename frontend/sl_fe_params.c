/* sl_fe_params.c — the front end's parameters: the seed's defaults, validation and the hash
 * that keys the feature cache. */
#include <stdio.h>
#include "sl_fe.h"

void sl_fe_params_default(sl_fe_params *p) {
  p->sample_rate = 20510;
  p->n_fft = 512;
  p->win_length = 512;
  p->hop = 205;
  p->n_mels = 40;
  p->n_frames = 80;
  p->preemph = 0.95f;
  p->top_db = 80.0f;
  p->scale = 0.0198f;   /* the seed loader's 0.00099 * 20 */
  p->min_rate = 8000;    /* telephone band; bands above a file's Nyquist floor at -80 dB */
  p->mix_stereo = 0;
  p->band_limit = 0;
}

sl_status sl_fe_check_recipe(float top_db, float scale, int32_t band_limit, int32_t sample_rate, sl_err *err) {
  if (!(top_db > 0.0f && top_db <= SL_FE_RECIPE_MAX))
    return sl_err_set(err, SL_ERR_RANGE, "top_db %g dB out of (0, %g]", (double)top_db, (double)SL_FE_RECIPE_MAX);
  if (!(scale > 0.0f && scale <= SL_FE_RECIPE_MAX))
    return sl_err_set(err, SL_ERR_RANGE, "scale %g out of (0, %g]", (double)scale, (double)SL_FE_RECIPE_MAX);
  if (band_limit != 0 && (band_limit < SL_FE_BAND_MIN || band_limit >= sample_rate / 2))
    return sl_err_set(err, SL_ERR_RANGE, "band limit %d Hz out of %d..%d (or 0 for none)", band_limit, SL_FE_BAND_MIN,
                      sample_rate / 2 - 1);
  return SL_OK;
}

float sl_fe_feature_max(const sl_fe_params *p) { return p->top_db * p->scale; }

uint64_t sl_fe_params_hash(const sl_fe_params *p) {
  /* mix_stereo and min_rate decide which files are accepted, not the features: left out */
  char text[256];
  int n = snprintf(text, sizeof text,
                   "sl-fe 1 rate %d fft %d win %d hop %d mels %d frames %d pre %.6g top %.6g scale %.6g",
                   p->sample_rate, p->n_fft, p->win_length, p->hop, p->n_mels, p->n_frames,
                   (double)p->preemph, (double)p->top_db, (double)p->scale);
  /* appended only when set: caches made without a band limit keep their key */
  if (p->band_limit && n > 0 && n < (int)sizeof text)
    n += snprintf(text + n, sizeof text - (size_t)n, " band %d", p->band_limit);
  uint64_t h = 14695981039346656037ull;
  for (int i = 0; i < n && i < (int)sizeof text; i++) {
    h ^= (unsigned char)text[i];
    h *= 1099511628211ull;
  }
  return h;
}
