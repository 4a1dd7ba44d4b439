/* sl_core.h — the bit-accurate spikeline core (docs/spec.md): data layout and the three
 * operations every level shares — step a timestep, deliver an event, rewrite an entry.
 *
 * HLS-clean C99: sizes are compile-time maxima, no allocation, no I/O, no recursion, no
 * function pointers. The caller owns the sl_core (static in HLS, allocated by the host). */
#ifndef SL_CORE_H
#define SL_CORE_H

#include <stdint.h>
#include "sl_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Linkage of the core's functions. The HLS top compiles sl_core.c into its own translation
 * unit with SL_CORE_API defined as `static inline` (and SL_RING_FORWARD 1), so the IP and the
 * reference model are the same source under two settings and can be linked side by side. */
#ifndef SL_CORE_API
#define SL_CORE_API
#endif

/* Parameters shared by the neurons of one population (spec §2). */
typedef struct {
  uint16_t count;     /* neurons in this population */
  uint16_t leak;      /* Q12 multiplier, 0..4096 */
  int32_t threshold;  /* 1 .. 2^23-1 */
  uint8_t reset;      /* SL_RESET_ZERO or SL_RESET_SUB */
  uint8_t flags;      /* SL_POP_SPIKING | SL_POP_READOUT */
} sl_pop;

/* Network configuration: everything a model image holds. */
typedef struct {
  uint16_t n_inputs, n_neurons, n_pops, depth, row_cap;
  sl_pop pop[SL_MAX_POPS];
  uint32_t syn[SL_MAX_SYN];          /* row-major: word (source * row_cap + slot), spec §7 */
} sl_net;

/* A core: the network plus its run-time state. */
typedef struct {
  sl_net net;
  /* Derived from net by sl_core_configure (never stored in a file). */
  uint8_t pop_of[SL_MAX_NEURONS];     /* population index of each neuron */
  uint16_t row_len[SL_MAX_SOURCES];   /* 1 + index of the last valid entry in the row */
  uint16_t row_valid[SL_MAX_SOURCES]; /* valid entries in the row */
  uint16_t n_readouts;
  /* State (spec §2, §4, §5). */
  uint32_t t;                          /* step counter since reset */
  int32_t v[SL_MAX_NEURONS];           /* membrane, always within signed 24 bits */
  int32_t ring[SL_MAX_NEURONS * SL_MAX_DEPTH]; /* ring[n * SL_MAX_DEPTH + slot] */
  int64_t score[SL_MAX_READOUTS];      /* readout membrane summed over steps */
} sl_core;

/* Pack / unpack one synapse entry (spec §7). */
SL_CORE_API uint32_t sl_syn_pack(uint16_t target, int8_t weight, uint8_t delay);
static inline int sl_syn_valid(uint32_t e) { return (e & SL_SYN_VALID) != 0; }
static inline uint16_t sl_syn_target(uint32_t e) { return (uint16_t)((e >> SL_SYN_T_SHIFT) & SL_SYN_T_MASK); }
static inline uint8_t sl_syn_delay(uint32_t e) { return (uint8_t)((e >> SL_SYN_D_SHIFT) & SL_SYN_D_MASK); }
static inline int8_t sl_syn_weight(uint32_t e) { return (int8_t)(uint8_t)(e & SL_SYN_W_MASK); }

/* Derive per-neuron population, row lengths and readout count from c->net, then reset the
 * state. The network must already be valid (host layer: sl_net_validate). */
SL_CORE_API void sl_core_configure(sl_core *c);

/* Zero membranes, rings, scores and the step counter (start of a sample). */
SL_CORE_API void sl_core_reset(sl_core *c);

/* Phase 1+2 of step t (spec §5): update sweep and readout scores. Writes 1/0 per neuron to
 * spikes[0..n_neurons-1]; returns the number of spikes. Does not advance t. */
SL_CORE_API uint32_t sl_core_update(sl_core *c, uint8_t spikes[SL_MAX_NEURONS]);

/* Phase 3 (spec §3, §4): deliver one event of the current step from source `src`
 * (input channel c, or n_inputs + neuron) with `payload` (1..255). Returns synaptic
 * operations performed (valid entries walked). */
SL_CORE_API uint32_t sl_core_deliver(sl_core *c, uint16_t src, uint8_t payload);

/* A whole step: update, deliver this step's spikes and the given input events, t += 1.
 * chan[i], payload[i] for i < n_events are this step's input events (already validated). */
SL_CORE_API uint32_t sl_core_step(sl_core *c, const uint16_t *chan, const uint8_t *payload,
                      uint32_t n_events, uint8_t spikes[SL_MAX_NEURONS]);

/* Decision rule (spec §6): class with the largest score, ties to the lowest; -1 if none. */
SL_CORE_API int32_t sl_core_decision(const sl_core *c);

/* Rewrite one entry (spec §4.1) without checks; the host layer checks first
 * (sl_net_check_entry). Keeps row_len and row_valid consistent (O(row_cap)). */
SL_CORE_API void sl_core_rewire(sl_core *c, uint16_t src, uint16_t slot, uint32_t entry);

#ifdef __cplusplus
}
#endif
#endif
