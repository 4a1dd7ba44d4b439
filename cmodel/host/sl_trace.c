/* sl_trace.c — trace and state writers, the reference runner, and the trace reader. */
#include <errno.h>
#include <stdint.h>
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

/* Split a line into blank-separated words of at most 23 characters; returns the count (9 when
 * there are more than 8 words or a word is too long). */
static int words(const char *line, char w[8][24]) {
  int n = 0;
  for (const char *p = line;;) {
    while (*p == ' ') p++;
    if (!*p) return n;
    size_t len = strcspn(p, " ");
    if (n == 8 || len > 23) return 9;
    memcpy(w[n], p, len);
    w[n++][len] = '\0';
    p += len;
  }
}

/* A decimal unsigned number: digits only (no sign, no blanks), within 32 bits. */
static int to_u32(const char *s, uint32_t *v) {
  uint64_t x = 0;
  if (!*s) return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || (x = 10 * x + (uint64_t)(*s - '0')) > UINT32_MAX) return 0;
  }
  *v = (uint32_t)x;
  return 1;
}

/* A decimal signed number within 32 bits: an optional '-', then digits. */
static int to_i32(const char *s, int32_t *v) {
  uint32_t u;
  const int neg = *s == '-';
  if (!to_u32(s + neg, &u) || u > (neg ? 2147483648u : 2147483647u)) return 0;
  *v = neg ? (int32_t)(0u - u) : (int32_t)u;
  return 1;
}

void sl_trace_free(sl_trace *tr) {
  if (!tr) return;
  for (uint32_t i = 0; i < tr->n_samples; i++) free(tr->samples[i].score);
  free(tr->samples);
  free(tr->spk);
  memset(tr, 0, sizeof *tr);
}

/* Line-oriented parse; every line is checked against §8.3. */
sl_status sl_trace_parse(const char *src, const char *what, sl_trace *tr, sl_err *err) {
  sl_status s = SL_OK;
  const char *path = what;
  memset(tr, 0, sizeof *tr);
  char *text = strdup(src);
  if (!text) return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", what);
  uint32_t cap_s = 0, cap_p = 0, lineno = 0;
  int in_sample = 0;
  char *next;
  for (char *line = text; line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    if (!next && !*line) break; /* the end, after the last newline */
    lineno++;
    if (!*line) {
      s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: empty line", path, lineno);
      break;
    }
    uint32_t a, b, c, v;
    if (lineno == 1) {
      char w[8][24];
      if (words(line, w) != 8 || strcmp(w[0], "sl-trace") || !to_u32(w[1], &v) || v != 1 || strcmp(w[2], "neurons") ||
          !to_u32(w[3], &a) || strcmp(w[4], "readouts") || !to_u32(w[5], &b) || strcmp(w[6], "steps") ||
          !to_u32(w[7], &c)) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s:1: expected 'sl-trace 1 neurons <N> readouts <R> steps <T>'", path);
        break;
      }
      if (a < 1 || a > SL_MAX_NEURONS || b > SL_MAX_READOUTS || b > a || c > SL_MAX_STEPS) {
        s = sl_err_set(err, SL_ERR_RANGE,
                       "%s:1: neurons %u, readouts %u, steps %u: want neurons 1..%d, readouts 0..neurons (at most %d), "
                       "steps 0..%d", path, a, b, c, SL_MAX_NEURONS, SL_MAX_READOUTS, SL_MAX_STEPS);
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
      int32_t id, label;
      char w[8][24];
      const int nw = words(line, w);
      if (nw == 4 && !strcmp(w[2], "label") && to_i32(w[1], &id) && to_i32(w[3], &label) && label >= 0)
        sm->label = label;
      else if (!(nw == 2 && to_i32(w[1], &id))) {
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
      errno = 0;
      long long d = strtoll(p, &end, 10);
      int bad = end == p || d < INT32_MIN || d > INT32_MAX;
      sm->decision = (int32_t)d;
      for (uint32_t k = 0; k < tr->n_readouts && !bad; k++) {
        p = end;
        sm->score[k] = strtoll(p, &end, 10);
        bad = end == p;
      }
      if (bad || errno || *end) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s:%u: malformed decision line", path, lineno);
        break;
      }
      in_sample = 0;
      continue;
    }
    char w[8][24];
    if (words(line, w) != 2 || !to_u32(w[0], &a) || !to_u32(w[1], &b) || a >= tr->steps || b >= tr->n_neurons) {
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

sl_status sl_trace_load(const char *path, sl_trace *tr, sl_err *err) {
  memset(tr, 0, sizeof *tr);
  char *text;
  sl_status s = sl_read_text(path, "trace", &text, err);
  if (s) return s;
  s = sl_trace_parse(text, path, tr, err);
  free(text);
  return s;
}
