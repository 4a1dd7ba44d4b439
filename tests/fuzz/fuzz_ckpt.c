/* fuzz_ckpt.c — libFuzzer harness of the trainer's checkpoint reader (sl_ckpt_decode, the
 * body of sl_ckpt_load). Each input is decoded as it is, then again with its size field and
 * CRC made consistent (as a crafted file would have them), so that mutations reach the
 * configuration, state and tensor checks behind the CRC. A refusal must name the file; an
 * accepted checkpoint must evaluate (the sanitizers watch the values it let through) and
 * re-encode to a fixed point: encode(decode(encode(decode(x)))) == encode(decode(x)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sl_crc32.h"
#include "sl_train.h"

#define NAME "fuzz.slc"

static void must_name_file(const sl_err *e) {
  if (strncmp(e->msg, NAME ": ", strlen(NAME) + 2)) abort();
}

static void one(const uint8_t *data, size_t size) {
  sl_model m;
  sl_err err;
  if (sl_ckpt_decode(&m, data, size, NAME, 1, &err)) {
    must_name_file(&err);
    return;
  }
  /* the bytes it re-encodes to (before anything changes the model) */
  uint8_t *b1, *b2;
  size_t n1, n2;
  if (sl_ckpt_encode(&m, &b1, &n1, &err)) abort();
  /* one sample through the best snapshot, as `spikeline eval` does */
  const size_t per = (size_t)m.cfg.steps * m.cfg.n_in;
  uint8_t *pay = malloc(per);
  if (!pay) abort();
  for (size_t k = 0; k < per; k++) pay[k] = (uint8_t)(k % 7 == 0 ? 1 + k % 255 : 0);
  const uint8_t *pp[1] = {pay};
  const int32_t label[1] = {0};
  sl_stats st = {0};
  sl_model_restore(&m);
  sl_model_prepare(&m, 0, 0);
  sl_model_batch(&m, pp, label, 1, 0, 0, &st);
  free(pay);
  sl_model_free(&m);
  /* re-encoding reaches a fixed point after one round (the first may fill in row-cap 0 = auto) */
  if (sl_ckpt_decode(&m, b1, n1, NAME, 1, &err) || sl_ckpt_encode(&m, &b2, &n2, &err)) abort();
  sl_model_free(&m);
  if (n1 != n2 || memcmp(b1, b2, n1)) abort();
  free(b1);
  free(b2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  one(data, size);
  if (size < 32) return 0;
  /* the same bytes with total (offset 24) = the size and the CRC (offset 12) recomputed */
  uint8_t *fixed = malloc(size);
  if (!fixed) abort();
  memcpy(fixed, data, size);
  const uint64_t total = size;
  memcpy(fixed + 24, &total, 8);
  memset(fixed + 12, 0, 4);
  const uint32_t crc = sl_crc32(0, fixed, size);
  memcpy(fixed + 12, &crc, 4);
  one(fixed, size);
  free(fixed);
  return 0;
}
