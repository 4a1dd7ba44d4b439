/* recursion.c — hls_check fixture: mutual recursion (a call cycle), not synthesisable. */
#include <stdint.h>

static uint32_t odd(uint32_t n);

static uint32_t even(uint32_t n) { return n == 0 ? 1u : odd(n - 1); }
static uint32_t odd(uint32_t n) { return n == 0 ? 0u : even(n - 1); }

uint32_t sl_bad_parity(uint32_t n) { return even(n); }
