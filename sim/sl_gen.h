/* sl_gen.h — random legal networks and inputs for differential cosimulation. One 64-bit
 * seed gives one case (network + event set), the same on every machine. Cases cover sizes
 * up to the core's maxima, row fill up to capacity, delays 0..D-1 with both ends favoured,
 * weights at +-max, payloads up to 255, thresholds and inputs that saturate the 24-bit
 * membrane, recurrent edges, readouts, both reset modes and leak 0 / 4096 / in between. */
#ifndef SL_GEN_H
#define SL_GEN_H

#include <stdint.h>
#include "sl_events.h"
#include "sl_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Maxima of the target core (the RTL's CAPS); sl_gen_limits_default() = the default build. */
typedef struct {
  uint32_t inputs, neurons, depth, row_cap, syn, readouts, pops;
} sl_gen_limits;

typedef enum {
  SL_GEN_RANDOM = 0, /* sizes drawn small to maximum, mostly small (fast CI cases) */
  SL_GEN_SEEDNET = 1 /* the seed network's shape: 40 inputs, 256 + 20 neurons, D 32, C 256 */
} sl_gen_profile;

/* What a random case is built to stress, decided by its seed alone. */
typedef enum {
  SL_GEN_KIND_PLAIN = 0,    /* random sizes, fill, weights, delays, parameters */
  SL_GEN_KIND_SATURATE = 1, /* 12 %: hundreds of +127 / -128 entries at payload 255 onto a few
                               neurons: ring slots beyond +-2^23 where the sweep reads them and
                               membranes pinned at both 24-bit bounds */
  SL_GEN_KIND_DENSE = 2     /* 12 %: low thresholds, every input every step: most neurons spike
                               every step, one after another (output back-pressure) */
} sl_gen_kind;

sl_gen_limits sl_gen_limits_default(void);
sl_gen_kind sl_gen_case_kind(uint64_t seed, sl_gen_profile prof);

/* Fill n (zeroed by the caller, e.g. sl_net_new) and es (empty; free with sl_events_free)
 * from seed. names may be NULL. The result passes sl_net_validate. */
sl_status sl_gen_case(uint64_t seed, sl_gen_profile prof, const sl_gen_limits *lim, sl_net *n, sl_names *names,
                      sl_eventset *es, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
