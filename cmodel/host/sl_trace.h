/* sl_trace.h — spike traces (.slt, docs/spec.md §8.3) and state dumps (.sls, §8.4), and
 * the reference runner that produces them from a core and an event set. */
#ifndef SL_TRACE_H
#define SL_TRACE_H

#include <stdint.h>
#include <stdio.h>
#include "sl_core.h"
#include "sl_events.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- writing ---- */
void sl_trace_write_header(FILE *f, uint32_t n_neurons, uint32_t n_readouts, uint32_t steps);
void sl_trace_write_sample(FILE *f, int32_t id, int32_t label);
void sl_trace_write_spikes(FILE *f, uint32_t step, const uint8_t *spikes, uint32_t n_neurons);
void sl_trace_write_decision(FILE *f, int32_t decision, const int64_t *score, uint32_t n_readouts);
void sl_state_write_header(FILE *f, uint32_t n_neurons, uint32_t depth, uint32_t steps);
void sl_state_write_step(FILE *f, const sl_core *c, uint32_t step);

/* ---- running (the reference) ---- */
typedef struct {
  uint64_t steps, input_events, spikes, synops;
} sl_run_stats;

/* Reset the core, run sample i of es for es->steps steps; write its trace block to `trace`
 * and, if `state` is not NULL, its state after every step. Accumulates into st (may be NULL).
 * Returns the decision. */
int32_t sl_run_sample(sl_core *c, const sl_eventset *es, uint32_t i, FILE *trace, FILE *state,
                      sl_run_stats *st);

/* ---- reading ---- */
typedef struct {
  uint16_t step;
  uint16_t neuron;
} sl_spike;

typedef struct {
  int32_t id, label, decision;
  int64_t *score;       /* n_readouts values */
  uint32_t first, count; /* spikes in sl_trace.spk */
} sl_trace_sample;

typedef struct {
  uint32_t n_neurons, n_readouts, steps;
  uint32_t n_samples;
  sl_trace_sample *samples;
  uint32_t n_spikes;
  sl_spike *spk;
} sl_trace;

sl_status sl_trace_load(const char *path, sl_trace *tr, sl_err *err);
/* Parse text in memory; `what` names it in messages. */
sl_status sl_trace_parse(const char *text, const char *what, sl_trace *tr, sl_err *err);
void sl_trace_free(sl_trace *tr);

#ifdef __cplusplus
}
#endif
#endif
