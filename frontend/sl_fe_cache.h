/* sl_fe_cache.h — the feature cache (.slf, docs/formats-features.md): features of a whole
 * corpus with labels, speakers, splits and names, keyed by the corpus and the front-end
 * parameters so that training does not recompute them. Little-endian, CRC-checked. */
#ifndef SL_FE_CACHE_H
#define SL_FE_CACHE_H

#include <stdint.h>
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_FE_CACHE_MAGIC "SLFC"
#define SL_FE_CACHE_VERSION 1
#define SL_FE_CACHE_MINOR 1 /* the highest minor this build knows: 1 records the recipe */
#define SL_FE_CACHE_HEADER 64
#define SL_FE_CACHE_NAME 64

typedef struct {
  uint32_t n;                  /* samples */
  uint16_t n_frames, n_mels;
  uint64_t params_hash;        /* sl_fe_params_hash of the front end that made them */
  uint64_t corpus_key;         /* sl_fe_hd_key of the corpus they came from */
  /* The recipe of the features (header bytes 48..59, version minor 1). minor 0: not recorded
   * (a cache of an earlier build): read as the default top_db and scale, band limit unknown;
   * saved again as minor 0. sl_fe_cache_alloc sets minor 1 and the default recipe. */
  uint16_t minor;
  float top_db;                /* floor below the utterance maximum, dB (80) */
  float scale;                 /* feature = (dB + top_db) * scale (0.0198) */
  uint32_t band_limit;         /* Hz; 0 = none (minor 1) or unknown (minor 0) */
  float *feat;                 /* [n][n_frames][n_mels] */
  uint16_t *label;             /* [n] */
  uint16_t *speaker;           /* [n] */
  uint8_t *split;              /* [n] SL_FE_TRAIN / SL_FE_TEST / | SL_FE_VALID */
  char (*name)[SL_FE_CACHE_NAME]; /* [n] NUL-terminated basenames */
} sl_fe_cache;

/* Allocate arrays for n samples (zeroed), minor 1 with the default recipe. Free with
 * sl_fe_cache_free. */
sl_status sl_fe_cache_alloc(sl_fe_cache *c, uint32_t n, uint16_t n_frames, uint16_t n_mels,
                            sl_err *err);
void sl_fe_cache_free(sl_fe_cache *c);
/* Write atomically (temp file + rename); a recipe out of the front end's limits is refused. */
sl_status sl_fe_cache_save(const char *path, const sl_fe_cache *c, sl_err *err);
/* Read and check everything (magic, version, recipe, sizes, CRC; labels 0..19, split flags
 * train, test or train + validation, finite features, printable names). */
sl_status sl_fe_cache_load(const char *path, sl_fe_cache *c, sl_err *err);
/* sl_fe_cache_load on a cache file's bytes in memory: the same checks and messages, `name`
 * standing for the file. */
sl_status sl_fe_cache_decode(const void *data, size_t size, const char *name, sl_fe_cache *c, sl_err *err);
/* Check the whole file as load does (magic, version, sizes, CRC, values) and keep only the
 * header fields (arrays NULL); for "is the cache up to date?". */
sl_status sl_fe_cache_peek(const char *path, sl_fe_cache *c, sl_err *err);
/* Only the header, checked as a load checks it (magic, version, recipe, sizes against the
 * file's real size), arrays NULL; not the body (no CRC): for the recipe before a load. */
sl_status sl_fe_cache_head(const char *path, sl_fe_cache *c, sl_err *err);
/* The in_scale (feature value of payload 1) of features made with this recipe:
 * top_db * scale / 255, and for the default recipe exactly the trainer's default
 * 1.584f / 255.0f. */
float sl_fe_cache_in_scale(const sl_fe_cache *c);

#ifdef __cplusplus
}
#endif
#endif
