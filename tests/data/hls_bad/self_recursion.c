/* self_recursion.c — hls_check fixture: a function that calls itself. */
#include <stdint.h>

uint32_t sl_bad_fact(uint32_t n) { return n < 2 ? 1u : n * sl_bad_fact(n - 1); }
