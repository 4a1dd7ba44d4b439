/* fuzz_image.c — libFuzzer target: arbitrary bytes into the model-image decoder
 * (sl_image_decode, docs/spec.md §8.1). The harness recomputes the CRC and patches it into the
 * bytes first, so mutations reach the field checks behind it. Invariant: an accepted image
 * re-encodes to the same bytes (the recorded input scale of a minor >= 1 image and the recipe
 * of a minor >= 2 image included), except that the encoder writes the lowest minor that holds
 * what it records — 2 with a band limit or top_db, 1 with an input scale alone, else 0 (a
 * reader accepts any minor, docs/decisions.md) — and its own CRC. */
#include <stdlib.h>
#include <string.h>
#include "sl_crc32.h"
#include "sl_image.h"

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static int any(const uint8_t *p, size_t n) {
  while (n--)
    if (*p++) return 1;
  return 0;
}

/* The minor the encoder writes (2 when bytes 48..55 record a recipe, else 1 when bytes 44..47
 * record an input scale, else 0) and the CRC of §8.1 (bytes 12..15 taken as zero). */
static void normalise(uint8_t *buf, size_t len) {
  if (len >= 64) buf[6] = any(buf + 48, 8) ? 2 : any(buf + 44, 4) ? 1 : 0, buf[7] = 0;
  if (len < 16) return;
  memset(buf + 12, 0, 4);
  put32(buf + 12, sl_crc32(0, buf, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_net *n;
  sl_names nm;
  sl_image_meta meta;
  sl_err err;
  if (!n && !(n = sl_net_new())) abort();
  uint8_t *in = malloc(size ? size : 1);
  if (!in) abort();
  memcpy(in, data, size);
  if (size >= 16) {
    memset(in + 12, 0, 4);
    put32(in + 12, sl_crc32(0, in, size));
  }
  if (sl_image_decode_meta(in, size, "fuzz", n, &nm, &meta, &err) == SL_OK) {
    if (sl_image_size(n) != size) abort();
    uint8_t *out = malloc(size);
    if (!out) abort();
    sl_image_encode_meta(n, &nm, &meta, out);
    if (sl_image_meta_has_recipe(&meta) != any(in + 48, 8)) abort();
    normalise(in, size);
    if (memcmp(out, in, size)) abort();
    free(out);
  }
  free(in);
  return 0;
}
