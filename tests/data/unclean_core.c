/* unclean_core.c — fixture: a "core" that allocates and prints; check_core_clean.sh must
 * reject it (the ctest core_hls_clean_rejects_libc expects failure). */
#include <stdio.h>
#include <stdlib.h>
int sl_unclean(int n) {
  int *p = malloc(sizeof(int) * (size_t)n);
  if (!p) return -1;
  p[0] = n;
  printf("%d\n", p[0]);
  n = p[0];
  free(p);
  return n;
}
