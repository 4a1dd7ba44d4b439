/* sl_trace.c — trace and state writers, the reference runner, and the trace reader. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "sl_image.h"
#include "sl_trace.h"

void sl_trace_write_header(FILE *f, uint32_t n_neurons, uint32_t n_readouts, uint32_t steps) {
  fprintf(f, "sl-trace 1 neurons %u readouts %u steps %u\n", n_neurons, n_readouts, steps);
}

void sl_trace_write_sample(FILE *f, int32_t id, int32_t label) {
  if (label >= 0)
    fprintf(f, "sample %d label %d\n", id, label);
  else
    fprintf(f, "sample %d\n", id);
}

void sl_trace_write_spikes(FILE *f, uint32_t step, const uint8_t *spikes, uint32_t n_neurons) {
  for (uint32_t n = 0; n < n_neurons; n++)
    if (spikes[n]) fprintf(f, "%u %u\n", step, n);
}

void sl_trace_write_decision(FILE *f, int32_t decision, const int64_t *score, uint32_t n_readouts) {
  fprintf(f, "decision %d", decision);
  for (uint32_t k = 0; k < n_readouts; k++) fprintf(f, " %" PRId64, score[k]);
  fputc('\n', f);
}

void sl_state_write_header(FILE *f, uint32_t n_neurons, uint32_t depth, uint32_t steps) {
  fprintf(f, "sl-state 1 neurons %u depth %u steps %u\n", n_neurons, depth, steps);
}

void sl_state_write_step(FILE *f, const sl_core *c, uint32_t step) {
  const uint32_t N = c->net.n_neurons, D = c->net.depth;
  fprintf(f, "v %u", step);
  for (uint32_t n = 0; n < N; n++) fprintf(f, " %d", c->v[n]);
  fputc('\n', f);
  for (uint32_t n = 0; n < N; n++) {
    fprintf(f, "r %u %u", step, n);
    for (uint32_t k = 0; k < D; k++) fprintf(f, " %d", c->ring[n * SL_MAX_DEPTH + k]);
    fputc('\n', f);
  }
}

int32_t sl_run_sample(sl_core *c, const sl_eventset *es, uint32_t i, FILE *trace, FILE *state, sl_run_stats *st) {
  const sl_sample *sm = &es->samples[i];
  uint8_t spikes[SL_MAX_NEURONS];
  uint16_t chan[SL_MAX_INPUTS];
  uint8_t pay[SL_MAX_INPUTS];
  uint32_t k = 0;
  sl_core_reset(c);
  if (trace) sl_trace_write_sample(trace, sm->id, sm->label);
  if (state) fprintf(state, "sample %d\n", sm->id);
  for (uint32_t t = 0; t < es->steps; t++) {
    uint32_t ne = 0;
    while (k < sm->count && es->ev[sm->first + k].step == t) {
      chan[ne] = es->ev[sm->first + k].chan;
      pay[ne++] = es->ev[sm->first + k].payload;
      k++;
    }
    uint32_t ops = sl_core_step(c, chan, pay, ne, spikes);
    if (trace) sl_trace_write_spikes(trace, t, spikes, c->net.n_neurons);
    if (state) sl_state_write_step(state, c, t);
    if (st) {
      st->steps++;
      st->input_events += ne;
      st->synops += ops;
      for (uint32_t n = 0; n < c->net.n_neurons; n++) st->spikes += spikes[n];
    }
  }
  int32_t d = sl_core_decision(c);
  if (trace) sl_trace_write_decision(trace, d, c->score, c->n_readouts);
  return d;
}

void sl_trace_free(sl_trace *tr) {
  if (!tr) return;
  for (uint32_t i = 0; i < tr->n_samples; i++) free(tr->samples[i].score);
  free(tr->samples);
  free(tr->spk);
  memset(tr, 0, sizeof *tr);
}

/* Line-oriented parse; every line is checked against §8.3. */
sl_status sl_trace_load(const char *path, sl_trace *tr, sl_err *err) {
  uint8_t *buf;
  size_t len;
  memset(tr, 0, sizeof *tr);
  sl_status s = sl_read_file(path, &buf, &len, err);
  if (s) return s;
  char *text = realloc(buf, len + 1);
  if (!text) {
    free(buf);
    return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
  }
  text[len] = '\0';
  uint32_t cap_s = 0, cap_p = 0, lineno = 0;
  int in_sample = 0;
  char *next;
  for (char *line = text; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    lineno++;
    unsigned a, b, c, v;
    int consumed = 0;
    if (lineno == 1) {
      if (sscanf(line, "sl-trace %u neurons %u readouts %u steps %u%n", &v, &a, &b, &c, &consumed) != 4 ||
          line[consumed] || v != 1) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s:1: expected 'sl-trace 1 neurons <N> readouts <R> steps <T>'", path);
        break;
      }
      tr->n_neurons = a, tr->n_readouts = b, tr->steps = c;
      continue;
    }
    if (!strncmp(line, "sample ", 7)) {
      if (in_sample) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: sample line before the previous sample's decision line", path, lineno);
        break;
      }
      if (tr->n_samples == cap_s) {
        cap_s = cap_s ? 2 * cap_s : 16;
        sl_trace_sample *ns = realloc(tr->samples, cap_s * sizeof *ns);
        if (!ns) { s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path); break; }
        tr->samples = ns;
      }
      sl_trace_sample *sm = &tr->samples[tr->n_samples];
      memset(sm, 0, sizeof *sm);
      sm->label = -1;
      int id, label;
      if (sscanf(line, "sample %d label %d%n", &id, &label, &consumed) == 2 && !line[consumed])
        sm->label = label;
      else if (!(sscanf(line, "sample %d%n", &id, &consumed) == 1 && !line[consumed])) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: malformed sample line", path, lineno);
        break;
      }
      sm->id = id;
      sm->first = tr->n_spikes;
      sm->score = calloc(tr->n_readouts ? tr->n_readouts : 1, sizeof(int64_t));
      tr->n_samples++;
      if (!sm->score) { s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path); break; }
      in_sample = 1;
      continue;
    }
    if (!in_sample) {
      s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: line outside a sample", path, lineno);
      break;
    }
    sl_trace_sample *sm = &tr->samples[tr->n_samples - 1];
    if (!strncmp(line, "decision ", 9)) {
      char *p = line + 9, *end;
      sm->decision = (int32_t)strtol(p, &end, 10);
      for (uint32_t k = 0; k < tr->n_readouts && end != p; k++) {
        p = end;
        sm->score[k] = strtoll(p, &end, 10);
      }
      if (end == p || *end) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: malformed decision line", path, lineno);
        break;
      }
      in_sample = 0;
      continue;
    }
    if (sscanf(line, "%u %u%n", &a, &b, &consumed) != 2 || line[consumed] || a >= tr->steps || b >= tr->n_neurons) {
      s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: expected '<step> <neuron>' in range", path, lineno);
      break;
    }
    if (sm->count && (a < tr->spk[tr->n_spikes - 1].step ||
                      (a == tr->spk[tr->n_spikes - 1].step && b <= tr->spk[tr->n_spikes - 1].neuron))) {
      s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: spike '%u %u' not after the previous one (order: step, then neuron)",
                     path, lineno, a, b);
      break;
    }
    if (tr->n_spikes == cap_p) {
      cap_p = cap_p ? 2 * cap_p : 256;
      sl_spike *np = realloc(tr->spk, cap_p * sizeof *np);
      if (!np) { s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path); break; }
      tr->spk = np;
    }
    tr->spk[tr->n_spikes].step = (uint16_t)a;
    tr->spk[tr->n_spikes].neuron = (uint16_t)b;
    tr->n_spikes++;
    sm->count++;
  }
  if (!s && lineno == 0) s = sl_err_set(err, SL_ERR_PARSE, "%s: empty trace", path);
  if (!s && in_sample) s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: truncated: last sample has no decision line", path);
  free(text);
  if (s) sl_trace_free(tr);
  return s;
}
