/* sl_net.c — validation and helpers for sl_net (see sl_net.h and docs/spec.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_net.h"

sl_net *sl_net_new(void) { return calloc(1, sizeof(sl_net)); }
void sl_net_free(sl_net *n) { free(n); }
sl_core *sl_core_new(void) { return calloc(1, sizeof(sl_core)); }
void sl_core_free(sl_core *c) { free(c); }

static int is_pow2(uint32_t x) { return x && !(x & (x - 1)); }

uint32_t sl_net_pop_first(const sl_net *n, uint32_t p) {
  uint32_t first = 0;
  for (uint32_t i = 0; i < p && i < n->n_pops; i++) first += n->pop[i].count;
  return first;
}

sl_status sl_net_validate_header(const sl_net *n, const char *what, sl_err *err) {
  if (n->n_inputs < 1 || n->n_inputs > SL_MAX_INPUTS)
    return sl_err_set(err, SL_ERR_HEADER, "%s: n_inputs %u not in 1..%u", what, n->n_inputs, SL_MAX_INPUTS);
  if (n->n_neurons < 1 || n->n_neurons > SL_MAX_NEURONS)
    return sl_err_set(err, SL_ERR_HEADER, "%s: n_neurons %u not in 1..%u", what, n->n_neurons, SL_MAX_NEURONS);
  if (n->n_pops < 1 || n->n_pops > SL_MAX_POPS)
    return sl_err_set(err, SL_ERR_HEADER, "%s: n_pops %u not in 1..%u", what, n->n_pops, SL_MAX_POPS);
  if (!is_pow2(n->depth) || n->depth < 2 || n->depth > SL_MAX_DEPTH)
    return sl_err_set(err, SL_ERR_HEADER, "%s: depth %u is not a power of two in 2..%u", what, n->depth, SL_MAX_DEPTH);
  if (!is_pow2(n->row_cap) || n->row_cap > SL_MAX_ROW_CAP)
    return sl_err_set(err, SL_ERR_HEADER, "%s: row_cap %u is not a power of two in 1..%u", what, n->row_cap, SL_MAX_ROW_CAP);
  if ((uint64_t)sl_net_sources(n) * n->row_cap > SL_MAX_SYN)
    return sl_err_set(err, SL_ERR_HEADER, "%s: table of %u sources x %u entries exceeds the maximum of %u entries",
                      what, sl_net_sources(n), n->row_cap, SL_MAX_SYN);
  return SL_OK;
}

static sl_status check_pops(const sl_net *n, const char *what, sl_err *err) {
  uint32_t total = 0, readouts = 0;
  for (uint32_t p = 0; p < n->n_pops; p++) {
    const sl_pop *q = &n->pop[p];
    if (q->count < 1)
      return sl_err_set(err, SL_ERR_POP, "%s: population %u: count is 0", what, p);
    if (q->leak > SL_LEAK_ONE)
      return sl_err_set(err, SL_ERR_POP, "%s: population %u: leak %u > %u", what, p, q->leak, SL_LEAK_ONE);
    if (q->threshold < 1 || q->threshold > SL_V_MAX)
      return sl_err_set(err, SL_ERR_POP, "%s: population %u: threshold %d not in 1..%d", what, p,
                        (int)q->threshold, (int)SL_V_MAX);
    if (q->reset > SL_RESET_SUB)
      return sl_err_set(err, SL_ERR_POP, "%s: population %u: reset mode %u not 0 or 1", what, p, q->reset);
    if (q->flags & ~(SL_POP_SPIKING | SL_POP_READOUT))
      return sl_err_set(err, SL_ERR_POP, "%s: population %u: unknown flag bits 0x%02x", what, p, q->flags);
    total += q->count;
    if (q->flags & SL_POP_READOUT) readouts += q->count;
  }
  if (total != n->n_neurons)
    return sl_err_set(err, SL_ERR_POP, "%s: population counts sum to %u, n_neurons is %u", what, total, n->n_neurons);
  if (readouts > SL_MAX_READOUTS)
    return sl_err_set(err, SL_ERR_POP, "%s: %u readout neurons exceed the maximum of %u", what, readouts, SL_MAX_READOUTS);
  return SL_OK;
}

/* Ranges of one word, without fan-in. */
static sl_status check_word(const sl_net *n, uint32_t src, uint32_t slot, uint32_t e, const char *what, sl_err *err) {
  if (!(e & SL_SYN_VALID)) {
    if (e != 0)
      return sl_err_set(err, SL_ERR_RESERVED, "%s: row %u slot %u: invalid entry 0x%08x is not zero", what, src, slot, e);
    return SL_OK;
  }
  if (e & SL_SYN_RESERVED)
    return sl_err_set(err, SL_ERR_RESERVED, "%s: row %u slot %u: reserved bits set in 0x%08x", what, src, slot, e);
  if (sl_syn_target(e) >= n->n_neurons)
    return sl_err_set(err, SL_ERR_TARGET, "%s: row %u slot %u: target %u >= n_neurons %u", what, src, slot,
                      sl_syn_target(e), n->n_neurons);
  if (sl_syn_delay(e) >= n->depth)
    return sl_err_set(err, SL_ERR_DELAY, "%s: row %u slot %u: delay %u >= depth %u", what, src, slot,
                      sl_syn_delay(e), n->depth);
  return SL_OK;
}

static void count_fanin(const sl_net *n, uint32_t *fanin) {
  const uint32_t total = sl_net_sources(n) * n->row_cap;
  memset(fanin, 0, sizeof(uint32_t) * SL_MAX_NEURONS);
  for (uint32_t i = 0; i < total; i++)
    if (n->syn[i] & SL_SYN_VALID) fanin[sl_syn_target(n->syn[i])]++;
}

sl_status sl_net_validate(const sl_net *n, const char *what, sl_err *err) {
  sl_status s;
  if ((s = sl_net_validate_header(n, what, err)) || (s = check_pops(n, what, err))) return s;
  const uint32_t S = sl_net_sources(n), C = n->row_cap;
  for (uint32_t src = 0; src < S; src++)
    for (uint32_t k = 0; k < C; k++)
      if ((s = check_word(n, src, k, n->syn[src * C + k], what, err))) return s;
  uint32_t fanin[SL_MAX_NEURONS];
  count_fanin(n, fanin);
  for (uint32_t t = 0; t < n->n_neurons; t++)
    if (fanin[t] > SL_MAX_FANIN)
      return sl_err_set(err, SL_ERR_FANIN, "%s: neuron %u: fan-in %u > %u", what, t, fanin[t], SL_MAX_FANIN);
  return SL_OK;
}

sl_status sl_net_check_entry(const sl_net *n, uint32_t src, uint32_t slot, uint32_t e, const char *what, sl_err *err) {
  sl_status s;
  if (src >= sl_net_sources(n))
    return sl_err_set(err, SL_ERR_RANGE, "%s: row %u >= %u sources", what, src, sl_net_sources(n));
  if (slot >= n->row_cap)
    return sl_err_set(err, SL_ERR_RANGE, "%s: row %u: slot %u >= row_cap %u", what, src, slot, n->row_cap);
  if ((s = check_word(n, src, slot, e, what, err))) return s;
  if (!(e & SL_SYN_VALID)) return SL_OK;
  const uint32_t old = n->syn[src * n->row_cap + slot];
  const uint32_t t = sl_syn_target(e);
  if ((old & SL_SYN_VALID) && sl_syn_target(old) == t) return SL_OK; /* fan-in unchanged */
  uint32_t fi = 0;
  const uint32_t total = sl_net_sources(n) * n->row_cap;
  for (uint32_t i = 0; i < total; i++)
    fi += (n->syn[i] & SL_SYN_VALID) && sl_syn_target(n->syn[i]) == t;
  if (fi + 1 > SL_MAX_FANIN)
    return sl_err_set(err, SL_ERR_FANIN, "%s: row %u slot %u: neuron %u would have fan-in %u > %u", what, src,
                      slot, t, fi + 1, SL_MAX_FANIN);
  return SL_OK;
}

void sl_net_source_name(const sl_net *n, const sl_names *nm, uint32_t src, char *buf, size_t len) {
  if (src < n->n_inputs) {
    snprintf(buf, len, "in:%u", src);
    return;
  }
  uint32_t i = src - n->n_inputs;
  for (uint32_t p = 0; p < n->n_pops; p++) {
    if (i < n->pop[p].count) {
      if (nm && nm->pop[p][0])
        snprintf(buf, len, "%s:%u", nm->pop[p], i);
      else
        snprintf(buf, len, "pop%u:%u", p, i);
      return;
    }
    i -= n->pop[p].count;
  }
  snprintf(buf, len, "?%u", src);
}

static sl_status parse_index(const char *s, uint32_t *v) {
  char *end;
  if (*s < '0' || *s > '9') return SL_ERR_PARSE;
  unsigned long x = strtoul(s, &end, 10);
  if (*end || x > 0xFFFFFFFFul) return SL_ERR_PARSE;
  *v = (uint32_t)x;
  return SL_OK;
}

sl_status sl_net_parse_neuron(const sl_net *n, const sl_names *nm, const char *s, uint32_t *neuron) {
  const char *colon = strchr(s, ':');
  uint32_t i;
  if (!colon || parse_index(colon + 1, &i)) return SL_ERR_PARSE;
  size_t len = (size_t)(colon - s);
  for (uint32_t p = 0; p < n->n_pops; p++) {
    char def[SL_NAME_LEN + 1];
    const char *name = nm && nm->pop[p][0] ? nm->pop[p] : (snprintf(def, sizeof def, "pop%u", p), def);
    if (strlen(name) == len && !strncmp(name, s, len)) {
      if (i >= n->pop[p].count) return SL_ERR_RANGE;
      *neuron = sl_net_pop_first(n, p) + i;
      return SL_OK;
    }
  }
  return SL_ERR_PARSE;
}

sl_status sl_net_parse_source(const sl_net *n, const sl_names *nm, const char *s, uint32_t *src) {
  uint32_t i;
  if (!strncmp(s, "in:", 3)) {
    if (parse_index(s + 3, &i)) return SL_ERR_PARSE;
    if (i >= n->n_inputs) return SL_ERR_RANGE;
    *src = i;
    return SL_OK;
  }
  sl_status st = sl_net_parse_neuron(n, nm, s, &i);
  if (st) return st;
  *src = n->n_inputs + i;
  return SL_OK;
}

void sl_net_compute_stats(const sl_net *n, sl_net_stats *st) {
  uint32_t fanin[SL_MAX_NEURONS];
  memset(st, 0, sizeof *st);
  st->w_min = 127;
  st->w_max = -128;
  const uint32_t S = sl_net_sources(n), C = n->row_cap;
  for (uint32_t src = 0; src < S; src++) {
    uint32_t fill = 0;
    for (uint32_t k = 0; k < C; k++) {
      uint32_t e = n->syn[src * C + k];
      if (!(e & SL_SYN_VALID)) continue;
      fill++;
      st->valid++;
      if (src < n->n_inputs) st->from_inputs++;
      st->delay_hist[sl_syn_delay(e)]++;
      int32_t w = sl_syn_weight(e);
      if (w < st->w_min) st->w_min = w;
      if (w > st->w_max) st->w_max = w;
      uint32_t t = sl_syn_target(e), first = 0;
      for (uint32_t p = 0; p < n->n_pops; p++) {
        if (t < first + n->pop[p].count) {
          st->per_pop_in[p]++;
          st->pop_delay_hist[p][sl_syn_delay(e)]++;
          break;
        }
        first += n->pop[p].count;
      }
    }
    if (fill > st->rowfill_max) st->rowfill_max = fill;
  }
  count_fanin(n, fanin);
  st->fanin_min = UINT32_MAX;
  for (uint32_t t = 0; t < n->n_neurons; t++) {
    if (fanin[t] < st->fanin_min) st->fanin_min = fanin[t];
    if (fanin[t] > st->fanin_max) st->fanin_max = fanin[t];
  }
  for (uint32_t p = 0; p < n->n_pops; p++)
    if (n->pop[p].flags & SL_POP_READOUT) st->n_readouts += n->pop[p].count;
  if (!st->valid) st->w_min = st->w_max = 0;
}
