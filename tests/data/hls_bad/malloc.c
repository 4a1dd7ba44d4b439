/* malloc.c — hls_check fixture: dynamic allocation, which HLS cannot synthesise. */
#include <stdint.h>
#include <stdlib.h>

int32_t sl_bad_sum(uint32_t n) {
  int32_t *buf = malloc(n * sizeof *buf);
  int32_t s = 0;
  uint32_t i;
  if (!buf) return -1;
  for (i = 0; i < n; i++) buf[i] = (int32_t)i;
  for (i = 0; i < n; i++) s += buf[i];
  free(buf);
  return s;
}
