/* fuzz_events.c — libFuzzer target: arbitrary text into the event-file parser
 * (sl_events_parse, docs/spec.md §8.2). Invariant: an accepted set obeys every rule of §8.2
 * (ranges, sample bounds, steps non-decreasing within a sample). */
#include <stdlib.h>
#include <string.h>
#include "sl_events.h"

static void check(const sl_eventset *es) {
  uint32_t total = 0;
  for (uint32_t i = 0; i < es->n_samples; i++) {
    const sl_sample *sm = &es->samples[i];
    if (sm->first != total || sm->count > es->n_events - sm->first) abort();
    for (uint32_t k = 0; k < sm->count; k++) {
      const sl_event *e = &es->ev[sm->first + k];
      if (e->step >= es->steps || e->chan >= es->channels || e->payload == 0) abort();
      if (k && e->step < e[-1].step) abort();
    }
    total += sm->count;
  }
  if (total != es->n_events) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) abort();
  memcpy(text, data, size);
  text[size] = '\0';
  sl_eventset es;
  sl_err err;
  if (sl_events_parse(text, "fuzz", &es, &err) == SL_OK) {
    check(&es);
    sl_events_free(&es);
  }
  free(text);
  return 0;
}
