/* vla.c — hls_check fixture: a variable-length array (size known only at run time). */
#include <stdint.h>

int32_t sl_bad_window(const int32_t *x, uint32_t n) {
  int32_t w[n];
  int32_t s = 0;
  uint32_t i;
  for (i = 0; i < n; i++) w[i] = x[i];
  for (i = 0; i < n; i++) s += w[i];
  return s;
}
