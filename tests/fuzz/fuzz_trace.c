/* fuzz_trace.c — libFuzzer target: arbitrary text into the spike-trace reader
 * (sl_trace_parse, docs/spec.md §8.3), used to compare traces. Invariants: an accepted trace
 * has every spike in range, ordered by step then neuron within a sample, and the samples
 * partition the spike list. */
#include <stdlib.h>
#include <string.h>
#include "sl_trace.h"

static void check(const sl_trace *tr) {
  uint32_t total = 0;
  for (uint32_t i = 0; i < tr->n_samples; i++) {
    const sl_trace_sample *sm = &tr->samples[i];
    if (sm->first != total || sm->count > tr->n_spikes - sm->first) abort();
    for (uint32_t k = 0; k < sm->count; k++) {
      const sl_spike *s = &tr->spk[sm->first + k];
      if (s->step >= tr->steps || s->neuron >= tr->n_neurons) abort();
      if (k && (s->step < s[-1].step || (s->step == s[-1].step && s->neuron <= s[-1].neuron))) abort();
    }
    total += sm->count;
  }
  if (total != tr->n_spikes) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) abort();
  memcpy(text, data, size);
  text[size] = '\0';
  sl_trace tr;
  sl_err err;
  if (sl_trace_parse(text, "fuzz", &tr, &err) == SL_OK) {
    check(&tr);
    sl_trace_free(&tr);
  }
  free(text);
  return 0;
}
