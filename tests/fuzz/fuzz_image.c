/* fuzz_image.c — libFuzzer target: arbitrary bytes into the model-image decoder. Any crash,
 * sanitizer report or an accepted image that fails re-validation is a bug.
 *   clang -fsanitize=fuzzer,address,undefined -I cmodel/core -I cmodel/host ... */
#include <stdlib.h>
#include <string.h>
#include "sl_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_net *n;
  sl_names nm;
  sl_err err;
  if (!n) n = sl_net_new();
  if (sl_image_decode(data, size, "fuzz", n, &nm, &err) == SL_OK) {
    /* An accepted image re-encodes to exactly the same bytes. */
    uint8_t *buf = malloc(sl_image_size(n));
    sl_image_encode(n, &nm, buf);
    if (sl_image_size(n) != size || memcmp(buf, data, size)) abort();
    free(buf);
  }
  return 0;
}
