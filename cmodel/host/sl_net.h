/* sl_net.h — host-side helpers over the core's sl_net: allocation, validation against
 * docs/spec.md, single-entry checks for rewiring, statistics and source naming. */
#ifndef SL_NET_H
#define SL_NET_H

#include <stddef.h>
#include <stdint.h>
#include "sl_core.h"
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_NAME_LEN 16

/* Population names live beside the network (the core never needs them). */
typedef struct {
  char pop[SL_MAX_POPS][SL_NAME_LEN + 1];
} sl_names;

/* Zeroed allocations; free(NULL)-safe frees. */
sl_net *sl_net_new(void);
void sl_net_free(sl_net *n);
sl_core *sl_core_new(void);
void sl_core_free(sl_core *c);

static inline uint32_t sl_net_sources(const sl_net *n) { return (uint32_t)n->n_inputs + n->n_neurons; }

/* Check every rule of spec §1, §2, §7 and the fan-in bound (§4). `what` (a file name) starts
 * the message; the first failure is reported naming the field, population or row/slot. */
sl_status sl_net_validate(const sl_net *n, const char *what, sl_err *err);

/* The header part of sl_net_validate: sizes only (spec §1). */
sl_status sl_net_validate_header(const sl_net *n, const char *what, sl_err *err);

/* Check that `entry` may be written at (src, slot): ranges, reserved bits, and the fan-in
 * of the target after the write (spec §4.1). */
sl_status sl_net_check_entry(const sl_net *n, uint32_t src, uint32_t slot, uint32_t entry,
                             const char *what, sl_err *err);

/* First neuron index of population p. */
uint32_t sl_net_pop_first(const sl_net *n, uint32_t p);

/* "in:3" or "<pop>:<i>" for a source index. */
void sl_net_source_name(const sl_net *n, const sl_names *nm, uint32_t src, char *buf, size_t len);
/* Parse "in:<c>" or "<pop>:<i>" into a source index; returns SL_ERR_RANGE / SL_ERR_PARSE. */
sl_status sl_net_parse_source(const sl_net *n, const sl_names *nm, const char *s, uint32_t *src);
/* Parse "<pop>:<i>" into a neuron index. */
sl_status sl_net_parse_neuron(const sl_net *n, const sl_names *nm, const char *s, uint32_t *neuron);

typedef struct {
  uint64_t valid;               /* valid entries */
  uint64_t per_pop_in[SL_MAX_POPS]; /* valid entries whose target is in population p */
  uint64_t from_inputs;         /* valid entries in input rows */
  uint32_t fanin_min, fanin_max;
  uint32_t rowfill_max;         /* most valid entries in one row */
  uint32_t delay_hist[SL_MAX_DEPTH];
  uint32_t pop_delay_hist[SL_MAX_POPS][SL_MAX_DEPTH]; /* the same, per target population */
  int32_t w_min, w_max;
  uint32_t n_readouts;
} sl_net_stats;

void sl_net_compute_stats(const sl_net *n, sl_net_stats *st);

#ifdef __cplusplus
}
#endif
#endif
