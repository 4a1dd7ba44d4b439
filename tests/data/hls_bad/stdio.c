/* stdio.c — hls_check fixture: printf outside #ifndef __SYNTHESIS__ (no I/O in hardware). */
#include <stdint.h>
#include <stdio.h>

int32_t sl_bad_trace(int32_t v) {
  printf("v = %d\n", (int)v);
  return v + 1;
}

/* This one is fine: the tool never sees the print. */
int32_t sl_ok_trace(int32_t v) {
#ifndef __SYNTHESIS__
  fprintf(stderr, "v = %d\n", (int)v);
#endif
  return v + 1;
}
