/* sl_fixed.h — the integer arithmetic of the neuron update (docs/spec.md §5): saturation to
 * the 24-bit membrane range and the Q12 leak with round-half-up. One definition, shared by
 * the core, the HLS top and the test oracles' documentation. */
#ifndef SL_FIXED_H
#define SL_FIXED_H

#include <stdint.h>
#include "sl_config.h"

static inline int32_t sl_sat24(int64_t x) {
  if (x > SL_V_MAX) return SL_V_MAX;
  if (x < SL_V_MIN) return SL_V_MIN;
  return (int32_t)x;
}

/* C99 leaves >> of a negative value implementation-defined; every compiler spikeline
 * targets (gcc, clang, Vitis HLS) shifts arithmetically. This typedef fails to compile
 * on one that does not, rather than computing a different floor. */
typedef char sl_arithmetic_shift_required[((-8) >> 1) == -4 ? 1 : -1];

/* (v * leak + 2048) >> 12: Q12 multiply, round half up, floor shift. |v*leak| < 2^36. */
static inline int32_t sl_leak(int32_t v, uint16_t leak) {
  int64_t x = (int64_t)v * (int64_t)leak + (int64_t)(1 << (SL_LEAK_FRAC - 1));
  return (int32_t)(x >> SL_LEAK_FRAC);
}

#endif
