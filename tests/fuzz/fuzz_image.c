/* fuzz_image.c — libFuzzer target: arbitrary bytes into the model-image decoder
 * (sl_image_decode, docs/spec.md §8.1). The harness recomputes the CRC and patches it into the
 * bytes first, so mutations reach the field checks behind it. Invariant: an accepted image
 * re-encodes to the same bytes, except that the encoder writes version minor
 * SL_IMAGE_VERSION_MINOR (a reader accepts any minor, docs/decisions.md) and its own CRC. */
#include <stdlib.h>
#include <string.h>
#include "sl_crc32.h"
#include "sl_image.h"

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Minor version SL_IMAGE_VERSION_MINOR and the CRC of §8.1 (bytes 12..15 taken as zero). */
static void normalise(uint8_t *buf, size_t len) {
  if (len >= 8) buf[6] = SL_IMAGE_VERSION_MINOR & 0xFF, buf[7] = SL_IMAGE_VERSION_MINOR >> 8;
  if (len < 16) return;
  memset(buf + 12, 0, 4);
  put32(buf + 12, sl_crc32(0, buf, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_net *n;
  sl_names nm;
  sl_err err;
  if (!n && !(n = sl_net_new())) abort();
  uint8_t *in = malloc(size ? size : 1);
  if (!in) abort();
  memcpy(in, data, size);
  if (size >= 16) {
    memset(in + 12, 0, 4);
    put32(in + 12, sl_crc32(0, in, size));
  }
  if (sl_image_decode(in, size, "fuzz", n, &nm, &err) == SL_OK) {
    if (sl_image_size(n) != size) abort();
    uint8_t *out = malloc(size);
    if (!out) abort();
    sl_image_encode(n, &nm, out);
    normalise(in, size);
    if (memcmp(out, in, size)) abort();
    free(out);
  }
  free(in);
  return 0;
}
