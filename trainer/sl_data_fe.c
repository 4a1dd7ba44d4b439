/* sl_data_fe.c — the trainer's dataset from a feature cache of the front end (frontend/,
 * docs/formats-features.md): every feature becomes the payload the hardware will receive,
 * round(f * 255 / fmax) (sl_fe_quantise), so training sees exactly the deployed inputs. */
#include <string.h>
#include "sl_data.h"
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"
#include "sl_fe_quant.h"

sl_status sl_data_from_cache(sl_dataset *d, const char *path, float fmax, sl_err *err) {
  sl_fe_cache c;
  memset(&c, 0, sizeof c);
  sl_status st = sl_fe_cache_load(path, &c, err);
  if (st) return st;
  if ((st = sl_data_init(d, c.n_frames, c.n_mels, err))) { sl_fe_cache_free(&c); return st; }
  for (uint32_t i = 0; i < c.n; i++) {
    const int split = (c.split[i] & SL_FE_TEST) ? SL_SPLIT_TEST : (c.split[i] & SL_FE_VALID) ? SL_SPLIT_VAL : SL_SPLIT_TRAIN;
    uint8_t *x = sl_data_add(d, c.label[i], split, err);
    if (!x) { sl_fe_cache_free(&c); return SL_ERR_NOMEM; }
    const float *f = c.feat + (size_t)i * c.n_frames * c.n_mels;
    for (size_t k = 0; k < (size_t)c.n_frames * c.n_mels; k++) x[k] = sl_fe_quantise(f[k], fmax);
  }
  /* speakers by name (HD "speaker-NN", FSDD "{digit}_{name}_{take}"), the cache's number
   * where the name says nothing */
  st = sl_data_name_speakers(d, d->n - (int32_t)c.n, (int32_t)c.n, (const char(*)[64])c.name, c.speaker, err);
  if (st) sl_data_free(d);
  sl_fe_cache_free(&c);
  return st;
}

sl_status sl_data_add_cache(sl_dataset *d, const char *path, float fmax, int split, sl_err *err) {
  sl_fe_cache c;
  memset(&c, 0, sizeof c);
  sl_status st = sl_fe_cache_load(path, &c, err);
  if (st) return st;
  if (c.n_frames != d->steps || c.n_mels != d->channels) {
    st = sl_err_set(err, SL_ERR_ARG, "%s: %u frames x %u bands, the other data has %d x %d", path,
                    (unsigned)c.n_frames, (unsigned)c.n_mels, d->steps, d->channels);
    sl_fe_cache_free(&c);
    return st;
  }
  for (uint32_t i = 0; i < c.n && !st; i++) {
    uint8_t *x = sl_data_add(d, c.label[i], split, err);
    if (!x) { st = SL_ERR_NOMEM; break; }
    d->speaker[d->n - 1] = -1; /* not a speaker of the primary data */
    const float *f = c.feat + (size_t)i * c.n_frames * c.n_mels;
    for (size_t k = 0; k < (size_t)c.n_frames * c.n_mels; k++) x[k] = sl_fe_quantise(f[k], fmax);
  }
  sl_fe_cache_free(&c);
  return st;
}
