/* sl_netdesc.c — compiler of network descriptions (docs/spec.md §9). Populations must come
 * before the synapses that name them; sizes (inputs, depth, rowcap) before either. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_image.h"
#include "sl_netdesc.h"

typedef struct {
  sl_net *n;
  sl_names *nm;
  const char *what;
  uint32_t line;
  sl_err *err;
} ctx;

#define FAIL(code, ...) fail(c, code, __VA_ARGS__)
static sl_status fail(ctx *c, sl_status code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static sl_status fail(ctx *c, sl_status code, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sl_err_set(c->err, code, "%s:%u: %s", c->what, c->line, msg);
}

/* 1 if s is a decimal long; 0 otherwise, with errno = ERANGE only for a number beyond long */
static int to_long(const char *s, long *v) {
  char *end;
  errno = 0;
  *v = strtol(s, &end, 10);
  if (!*s || *end) {
    errno = 0;
    return 0;
  }
  return !errno;
}

/* "name:a" or "name:a-b" → name (in buf), a, b. */
static int split_range(const char *s, char *name, size_t len, long *a, long *b) {
  const char *colon = strchr(s, ':');
  if (!colon || (size_t)(colon - s) >= len || colon == s) return 0;
  memcpy(name, s, (size_t)(colon - s));
  name[colon - s] = '\0';
  char num[32];
  snprintf(num, sizeof num, "%s", colon + 1);
  char *dash = strchr(num, '-');
  if (dash) *dash = '\0';
  if (!to_long(num, a) || *a < 0) return 0;
  if (!dash) {
    *b = *a;
    return 1;
  }
  return to_long(dash + 1, b) && *b >= *a;
}

/* Resolve "in:a-b" / "pop:a-b" to a range of source (or neuron) indices. */
static sl_status resolve(ctx *c, const char *s, int as_source, uint32_t *lo, uint32_t *hi) {
  char name[SL_NAME_LEN + 2];
  long a, b;
  if (!split_range(s, name, sizeof name, &a, &b)) return FAIL(SL_ERR_PARSE, "cannot read '%s' (want name:i or name:i-j)", s);
  if (!strcmp(name, "in")) {
    if (!as_source) return FAIL(SL_ERR_PARSE, "'%s': an input channel cannot be a target", s);
    if (b >= c->n->n_inputs) return FAIL(SL_ERR_RANGE, "'%s': input channel %ld >= inputs %u", s, b, c->n->n_inputs);
    *lo = (uint32_t)a, *hi = (uint32_t)b;
    return SL_OK;
  }
  for (uint32_t p = 0; p < c->n->n_pops; p++) {
    if (strcmp(c->nm->pop[p], name)) continue;
    if (b >= c->n->pop[p].count)
      return FAIL(SL_ERR_RANGE, "'%s': index %ld >= population size %u", s, b, c->n->pop[p].count);
    uint32_t base = sl_net_pop_first(c->n, p) + (as_source ? c->n->n_inputs : 0);
    *lo = base + (uint32_t)a, *hi = base + (uint32_t)b;
    return SL_OK;
  }
  return FAIL(SL_ERR_PARSE, "'%s': no population named '%s'", s, name);
}

static sl_status parse_wd(ctx *c, char **w, int n, int at, long *weight, long *delay) {
  if (n != at + 4 || strcmp(w[at], "weight") || !to_long(w[at + 1], weight) || strcmp(w[at + 2], "delay") ||
      !to_long(w[at + 3], delay))
    return FAIL(SL_ERR_PARSE, "expected 'weight <w> delay <d>'");
  if (*weight < -128 || *weight > 127) return FAIL(SL_ERR_WEIGHT, "weight %ld not in -128..127", *weight);
  if (*delay < 0 || *delay >= c->n->depth) return FAIL(SL_ERR_DELAY, "delay %ld not in 0..%u", *delay, c->n->depth - 1u);
  return SL_OK;
}

static sl_status place(ctx *c, uint32_t src, long slot, uint32_t tgt, long w, long d) {
  uint32_t *row = &c->n->syn[src * c->n->row_cap];
  char nm[48];
  if (slot < 0) {
    for (slot = 0; slot < c->n->row_cap && row[slot]; slot++) {}
    if (slot == c->n->row_cap) {
      sl_net_source_name(c->n, c->nm, src, nm, sizeof nm);
      return FAIL(SL_ERR_CAPACITY, "row %s (%u) is full: more than rowcap %u entries", nm, src, c->n->row_cap);
    }
  } else if (slot >= c->n->row_cap) {
    return FAIL(SL_ERR_RANGE, "slot %ld >= rowcap %u", slot, c->n->row_cap);
  } else if (row[slot]) {
    sl_net_source_name(c->n, c->nm, src, nm, sizeof nm);
    return FAIL(SL_ERR_RANGE, "row %s slot %ld is already used", nm, slot);
  }
  row[slot] = sl_syn_pack((uint16_t)tgt, (int8_t)w, (uint8_t)d);
  return SL_OK;
}

static sl_status sizes_fixed(ctx *c) {
  if (!c->n->n_inputs || !c->n->depth || !c->n->row_cap)
    return FAIL(SL_ERR_PARSE, "'inputs', 'depth' and 'rowcap' must come before populations and synapses");
  return SL_OK;
}

static sl_status do_line(ctx *c, char **w, int n, int *pops_closed) {
  sl_net *net = c->n;
  long v;
  sl_status s;
  if (!strcmp(w[0], "inputs") || !strcmp(w[0], "depth") || !strcmp(w[0], "rowcap")) {
    if (net->n_pops) return FAIL(SL_ERR_PARSE, "'%s' must come before populations", w[0]);
    if (n != 2) return FAIL(SL_ERR_PARSE, "expected '%s <number>'", w[0]);
    const int ok = to_long(w[1], &v), range = errno == ERANGE; /* range: a number, but beyond long */
    if (!ok && !range) return FAIL(SL_ERR_PARSE, "expected '%s <number>', not '%s'", w[0], w[1]);
    if (range || v < 1 || v > 65535) return FAIL(SL_ERR_HEADER, "%s %s out of range 1..65535", w[0], w[1]);
    if (!strcmp(w[0], "inputs")) net->n_inputs = (uint16_t)v;
    else if (!strcmp(w[0], "depth")) net->depth = (uint16_t)v;
    else net->row_cap = (uint16_t)v;
    return SL_OK;
  }
  if (!strcmp(w[0], "pop")) {
    if ((s = sizes_fixed(c))) return s;
    if (*pops_closed) return FAIL(SL_ERR_PARSE, "populations must come before synapses");
    if (net->n_pops == SL_MAX_POPS) return FAIL(SL_ERR_POP, "more than %d populations", SL_MAX_POPS);
    long count, leak, thr;
    if (n < 9 || !to_long(w[2], &count) || strcmp(w[3], "leak") || !to_long(w[4], &leak) || strcmp(w[5], "threshold") ||
        !to_long(w[6], &thr) || strcmp(w[7], "reset"))
      return FAIL(SL_ERR_PARSE, "expected 'pop <name> <count> leak <L> threshold <T> reset zero|sub [spiking] [readout]'");
    /* the image's rule (spec §8.1): what build accepts, every reader of the image accepts */
    int printable = 1;
    for (const unsigned char *ch = (const unsigned char *)w[1]; *ch; ch++) printable &= *ch > ' ' && *ch <= '~';
    if (strlen(w[1]) > SL_NAME_LEN || !strcmp(w[1], "in") || strchr(w[1], ':') || !printable)
      return FAIL(SL_ERR_POP, "population name must be 1..%d printable ASCII characters, not 'in', without ':'",
                  SL_NAME_LEN);
    for (uint32_t p = 0; p < net->n_pops; p++)
      if (!strcmp(c->nm->pop[p], w[1])) return FAIL(SL_ERR_POP, "population '%s' defined twice", w[1]);
    if (count < 1 || (long)net->n_neurons + count > SL_MAX_NEURONS)
      return FAIL(SL_ERR_POP, "population size %ld: total neurons must stay within 1..%d", count, SL_MAX_NEURONS);
    if (leak < 0 || leak > SL_LEAK_ONE) return FAIL(SL_ERR_POP, "leak %ld not in 0..%d", leak, SL_LEAK_ONE);
    if (thr < 1 || thr > SL_V_MAX) return FAIL(SL_ERR_POP, "threshold %ld not in 1..%d", thr, (int)SL_V_MAX);
    sl_pop *q = &net->pop[net->n_pops];
    if (!strcmp(w[8], "zero")) q->reset = SL_RESET_ZERO;
    else if (!strcmp(w[8], "sub")) q->reset = SL_RESET_SUB;
    else return FAIL(SL_ERR_PARSE, "reset must be 'zero' or 'sub', not '%s'", w[8]);
    for (int i = 9; i < n; i++) {
      if (!strcmp(w[i], "spiking")) q->flags |= SL_POP_SPIKING;
      else if (!strcmp(w[i], "readout")) q->flags |= SL_POP_READOUT;
      else return FAIL(SL_ERR_PARSE, "unknown population flag '%s'", w[i]);
    }
    q->count = (uint16_t)count;
    q->leak = (uint16_t)leak;
    q->threshold = (int32_t)thr;
    strcpy(c->nm->pop[net->n_pops], w[1]);
    net->n_pops++;
    net->n_neurons = (uint16_t)(net->n_neurons + count);
    return SL_OK;
  }
  if (!strcmp(w[0], "syn") || !strcmp(w[0], "slot")) {
    if ((s = sizes_fixed(c))) return s;
    if (!net->n_pops) return FAIL(SL_ERR_PARSE, "synapses need populations first");
    if (!*pops_closed) {
      sl_err e;
      if ((s = sl_net_validate_header(net, c->what, &e))) return FAIL(s, "%s", e.msg + strlen(c->what) + 2);
      *pops_closed = 1;
    }
    const int is_slot = w[0][1] == 'l';
    uint32_t slo, shi, tlo, thi;
    long weight = 0, delay = 0, slot = -1;
    if (n < 3) return FAIL(SL_ERR_PARSE, "expected '%s' arguments", w[0]);
    if ((s = resolve(c, w[1], 1, &slo, &shi))) return s;
    if (is_slot) {
      if (n < 4 || !to_long(w[2], &slot) || slot < 0) return FAIL(SL_ERR_PARSE, "expected 'slot <source> <k> <target> ...'");
      if (slo != shi) return FAIL(SL_ERR_PARSE, "'slot' takes one source, not a range");
    }
    if ((s = resolve(c, w[is_slot ? 3 : 2], 0, &tlo, &thi))) return s;
    if (is_slot && tlo != thi) return FAIL(SL_ERR_PARSE, "'slot' takes one target, not a range");
    if ((s = parse_wd(c, w, n, is_slot ? 4 : 3, &weight, &delay))) return s;
    for (uint32_t src = slo; src <= shi; src++)
      for (uint32_t t = tlo; t <= thi; t++)
        if ((s = place(c, src, slot, t, weight, delay))) return s;
    return SL_OK;
  }
  return FAIL(SL_ERR_PARSE, "unknown keyword '%s'", w[0]);
}

sl_status sl_netdesc_parse(const char *text, const char *what, sl_net *n, sl_names *nm, sl_err *err) {
  ctx c = {n, nm, what, 0, err};
  memset(nm, 0, sizeof *nm);
  char *copy = strdup(text);
  if (!copy) return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", what);
  sl_status s = SL_OK;
  int pops_closed = 0;
  char *next;
  for (char *line = copy; line && !s; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    c.line++;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *w[16];
    int k = 0;
    for (char *p = strtok(line, " \t\r"); p; p = strtok(NULL, " \t\r")) {
      if (k == 16) {
        s = fail(&c, SL_ERR_PARSE, "too many words");
        break;
      }
      w[k++] = p;
    }
    if (!s && k) s = do_line(&c, w, k, &pops_closed);
  }
  free(copy);
  if (!s && !n->n_pops) s = sl_err_set(err, SL_ERR_PARSE, "%s: no populations defined", what);
  if (!s) s = sl_net_validate(n, what, err);
  return s;
}

sl_status sl_netdesc_load(const char *path, sl_net *n, sl_names *nm, sl_err *err) {
  char *text;
  sl_status s = sl_read_text(path, "network description", &text, err);
  if (s) return s;
  s = sl_netdesc_parse(text, path, n, nm, err);
  free(text);
  return s;
}
