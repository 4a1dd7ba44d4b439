/* sl_events.h — event files (.sle, docs/spec.md §8.2): a set of samples, each a list of input
 * events (step, channel, payload) sorted by step. Read with full checking; write atomically. */
#ifndef SL_EVENTS_H
#define SL_EVENTS_H

#include <stdint.h>
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint16_t step;
  uint16_t chan;
  uint8_t payload;
} sl_event;

typedef struct {
  int32_t id;
  int32_t label;      /* -1 when the file gives none */
  uint32_t first;     /* index of the sample's first event in sl_eventset.ev */
  uint32_t count;     /* number of events */
} sl_sample;

typedef struct {
  uint32_t channels, steps;
  uint32_t n_samples, cap_samples;
  sl_sample *samples;
  uint32_t n_events, cap_events;
  sl_event *ev;
} sl_eventset;

/* Empty set with the given header; free with sl_events_free. */
sl_status sl_events_init(sl_eventset *es, uint32_t channels, uint32_t steps, sl_err *err);
void sl_events_free(sl_eventset *es);
/* Append a sample, then its events (in order). These check the same rules as the reader. */
sl_status sl_events_add_sample(sl_eventset *es, int32_t id, int32_t label, sl_err *err);
sl_status sl_events_add(sl_eventset *es, uint32_t step, uint32_t chan, uint32_t payload, sl_err *err);

/* Parse a file. Errors name "<path>:<line>: <problem>". */
sl_status sl_events_load(const char *path, sl_eventset *es, sl_err *err);
/* Parse text in memory; `what` names it in messages. */
sl_status sl_events_parse(const char *text, const char *what, sl_eventset *es, sl_err *err);
/* Write atomically. */
sl_status sl_events_save(const char *path, const sl_eventset *es, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
