/* fuzz_cache.c — libFuzzer target: arbitrary bytes as a feature cache (.slf,
 * docs/formats-features.md) into the reader of the trainer and `spikeline events`, from
 * memory (sl_fe_cache_decode: the checks of sl_fe_cache_load without the file). The harness
 * recomputes the body CRC and patches it in so mutations reach the checks behind it. A
 * refusal must name the input. Invariant: an accepted cache saved again (sl_fe_cache_save,
 * to a scratch file) loads back (sl_fe_cache_load) identical, every byte of every name field
 * included (the reader refuses names that are not NUL-padded), and so does the recipe of a
 * minor-1 cache, bit for bit (a minor-0 cache, which records none, stays minor 0). An accepted
 * recipe is within the front end's own limits (sl_fe_check_recipe). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sl_crc32.h"
#include "sl_fe.h"
#include "sl_fe_cache.h"

static char out_path[80];

static void cleanup(void) { unlink(out_path); }

static void same(const sl_fe_cache *a, const sl_fe_cache *b) {
  if (a->n != b->n || a->n_frames != b->n_frames || a->n_mels != b->n_mels || a->params_hash != b->params_hash ||
      a->corpus_key != b->corpus_key)
    abort();
  if (a->minor != b->minor || memcmp(&a->top_db, &b->top_db, 4) || memcmp(&a->scale, &b->scale, 4) ||
      a->band_limit != b->band_limit)
    abort();
  sl_fe_params d;
  sl_fe_params_default(&d);
  if (a->minor > 1 || sl_fe_check_recipe(a->top_db, a->scale, (int32_t)a->band_limit, d.sample_rate, NULL) ||
      (a->minor == 0 && (a->top_db != d.top_db || a->scale != d.scale || a->band_limit != 0)))
    abort();
  const size_t n = a->n, nf = n * a->n_frames * a->n_mels;
  if (memcmp(a->feat, b->feat, nf * sizeof(float)) || memcmp(a->label, b->label, n * 2) ||
      memcmp(a->speaker, b->speaker, n * 2) || memcmp(a->split, b->split, n))
    abort();
  for (size_t i = 0; i < n; i++)
    if (memcmp(a->name[i], b->name[i], SL_FE_CACHE_NAME)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!out_path[0]) {
    /* tmpfs when there is one: a disk file costs more than the parse */
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(out_path, sizeof out_path, "%s/fuzz_cache_%ld_out.slf", dir, (long)getpid());
    atexit(cleanup);
  }
  uint8_t *buf = malloc(size ? size : 1);
  if (!buf) abort();
  memcpy(buf, data, size);
  if (size >= SL_FE_CACHE_HEADER) {
    uint32_t crc = sl_crc32(0, buf + SL_FE_CACHE_HEADER, size - SL_FE_CACHE_HEADER);
    for (int i = 0; i < 4; i++) buf[32 + i] = (uint8_t)(crc >> (8 * i));
  }
  sl_fe_cache c, back;
  sl_err err;
  if (sl_fe_cache_decode(buf, size, "fuzz.slf", &c, &err) == SL_OK) {
    if (sl_fe_cache_save(out_path, &c, &err) || sl_fe_cache_load(out_path, &back, &err)) abort();
    same(&c, &back);
    sl_fe_cache_free(&back);
    cleanup(); /* per accepted input: a crash leaves at most the input it crashed on */
  } else if (strncmp(err.msg, "fuzz.slf: ", 10) != 0) {
    abort();
  }
  free(buf);
  sl_fe_cache_free(&c);
  return 0;
}
