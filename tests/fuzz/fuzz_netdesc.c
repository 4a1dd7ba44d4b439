/* fuzz_netdesc.c — libFuzzer target: arbitrary text into the network-description compiler
 * (sl_netdesc_parse, docs/spec.md §9). Invariants: an accepted description is a valid network
 * (sl_net_validate) and survives the image round trip unchanged. */
#include <stdlib.h>
#include <string.h>
#include "sl_image.h"
#include "sl_netdesc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_net *n, *back;
  if (!n && (!(n = sl_net_new()) || !(back = sl_net_new()))) abort();
  char *text = malloc(size + 1);
  if (!text) abort();
  memcpy(text, data, size);
  text[size] = '\0';
  sl_names nm, nm2;
  sl_err err;
  memset(n, 0, sizeof *n);
  if (sl_netdesc_parse(text, "fuzz", n, &nm, &err) == SL_OK) {
    if (sl_net_validate(n, "fuzz", &err)) abort();
    size_t len = sl_image_size(n);
    uint8_t *img = malloc(len);
    if (!img) abort();
    sl_image_encode(n, &nm, img);
    if (sl_image_decode(img, len, "fuzz", back, &nm2, &err)) abort();
    if (back->n_inputs != n->n_inputs || back->n_neurons != n->n_neurons || back->n_pops != n->n_pops ||
        back->depth != n->depth || back->row_cap != n->row_cap ||
        memcmp(back->pop, n->pop, sizeof n->pop[0] * n->n_pops) ||
        memcmp(back->syn, n->syn, sizeof n->syn[0] * sl_net_sources(n) * n->row_cap))
      abort();
    for (uint32_t p = 0; p < n->n_pops; p++)
      if (strcmp(nm.pop[p], nm2.pop[p])) abort();
    free(img);
  }
  free(text);
  return 0;
}
