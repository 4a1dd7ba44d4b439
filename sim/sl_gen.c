/* sl_gen.c — the random case generator (see sl_gen.h): plain random cases, and the
 * saturation and dense-spiking kinds that random draws alone would almost never produce. */
#include "sl_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint64_t s;
} rng_t;

static uint64_t rnext(rng_t *r) { /* splitmix64 */
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static uint32_t rbelow(rng_t *r, uint32_t n) { return n ? (uint32_t)(rnext(r) % n) : 0; }
static uint32_t rrange(rng_t *r, uint32_t lo, uint32_t hi) { return lo + rbelow(r, hi - lo + 1); }
static int rchance(rng_t *r, uint32_t pct) { return rbelow(r, 100) < pct; }
static uint32_t rlog(rng_t *r, uint32_t lo, uint32_t hi) { /* log-uniform-ish: small values favoured */
  uint32_t bits = 0;
  while ((1u << bits) < hi) bits++;
  uint32_t v = (uint32_t)(rnext(r) & ((1ull << rrange(r, 0, bits)) - 1));
  return v < lo ? lo : v > hi ? hi : v;
}

sl_gen_limits sl_gen_limits_default(void) {
  sl_gen_limits l = {64, 512, 32, 256, 1u << 17, 64, 8};
  return l;
}

static int32_t pick_weight(rng_t *r) {
  switch (rbelow(r, 8)) {
    case 0: return 127;
    case 1: return -128;
    case 2: return 0;
    case 3: return (int32_t)rrange(r, 1, 8);
    default: return (int32_t)rrange(r, 0, 255) - 128;
  }
}

static uint32_t pick_delay(rng_t *r, uint32_t D) {
  switch (rbelow(r, 4)) {
    case 0: return 0;
    case 1: return D - 1;
    default: return rbelow(r, D);
  }
}

/* The kind comes from its own stream of the seed, so plain cases are the same as before
 * kinds existed. */
sl_gen_kind sl_gen_case_kind(uint64_t seed, sl_gen_profile prof) {
  rng_t k = {seed ^ 0xD1B54A32D192ED03ull};
  const uint32_t x = rbelow(&k, 100);
  if (prof == SL_GEN_SEEDNET) return SL_GEN_KIND_PLAIN;
  return x < 12 ? SL_GEN_KIND_SATURATE : x < 24 ? SL_GEN_KIND_DENSE : SL_GEN_KIND_PLAIN;
}

static uint32_t min_u(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* Saturation: pops P (positive drive), M (negative drive) and X (random, fed by P and M's
 * spikes and the inputs). 12..16 inputs fire every step at payload 255; each input row has
 * 128 entries, half onto P (weight 120..127), half onto M (weight -128..-121), so a P slot
 * collects >= 384 * 120 * 255 > 1.1e7 > 2^23 within D steps and an M slot as much below
 * -2^23; with leak near 1 and no reset the membranes then sit at the 24-bit bounds. */
static sl_status gen_saturate(rng_t *r, const sl_gen_limits *lim, sl_net *n, sl_names *names, sl_eventset *es,
                              sl_err *err) {
  static const uint16_t leaks[] = {4096, 4095, 3688};
  const uint32_t max_in = min_u(lim->inputs, SL_MAX_INPUTS), C = min_u(128, lim->row_cap);
  n->n_inputs = (uint16_t)rrange(r, min_u(12, max_in), min_u(16, max_in));
  n->n_pops = 3;
  n->pop[0].count = (uint16_t)rrange(r, 1, 2);
  n->pop[1].count = (uint16_t)rrange(r, 1, 2);
  n->pop[2].count = (uint16_t)rrange(r, 1, 12);
  n->n_neurons = (uint16_t)(n->pop[0].count + n->pop[1].count + n->pop[2].count);
  n->row_cap = (uint16_t)C;
  n->depth = (uint16_t)(1u << rrange(r, 1, 5));
  if (n->depth > lim->depth) n->depth = (uint16_t)lim->depth;
  for (uint32_t i = 0; i < 3; i++) {
    sl_pop *p = &n->pop[i];
    p->leak = leaks[rbelow(r, 3)];
    p->reset = (uint8_t)rbelow(r, 2);
    p->threshold = rchance(r, 50) ? SL_V_MAX : (int32_t)rlog(r, 1, SL_V_MAX);
    /* P and M never fire on the way to the bounds (or fire at threshold 2^23 - 1 with
     * subtraction: V stays near the top); X is anything. */
    const uint32_t f = rbelow(r, 4);
    p->flags = (uint8_t)(f == 0 ? SL_POP_READOUT : f == 1 ? 0 : f == 2 ? SL_POP_READOUT | SL_POP_SPIKING : SL_POP_SPIKING);
    if (i < 2 && (p->flags & SL_POP_SPIKING)) p->threshold = SL_V_MAX, p->reset = SL_RESET_SUB;
    if (i == 2) p->flags = (uint8_t)rbelow(r, 4);
    if (names) snprintf(names->pop[i], sizeof names->pop[i], "%s", i == 0 ? "P" : i == 1 ? "M" : "X");
  }
  uint32_t readouts = 0;
  for (uint32_t i = 0; i < 3; i++)
    if (n->pop[i].flags & SL_POP_READOUT) {
      if (readouts + n->pop[i].count > lim->readouts) n->pop[i].flags &= (uint8_t)~SL_POP_READOUT;
      else readouts += n->pop[i].count;
    }
  const uint32_t P0 = 0, NP = n->pop[0].count, M0 = NP, NM = n->pop[1].count, X0 = NP + NM, NX = n->pop[2].count;
  const uint32_t S = (uint32_t)n->n_inputs + n->n_neurons, D = n->depth;
  for (uint32_t c = 0; c < n->n_inputs; c++)
    for (uint32_t k = 0; k < C; k++) {
      const int pos = k % 2 == 0;
      const uint32_t tgt = pos ? P0 + rbelow(r, NP) : M0 + rbelow(r, NM);
      const int32_t w = pos ? (int32_t)rrange(r, 120, 127) : -(int32_t)rrange(r, 121, 128);
      n->syn[c * C + k] = sl_syn_pack((uint16_t)tgt, (int8_t)w, (uint8_t)pick_delay(r, D));
    }
  for (uint32_t src = n->n_inputs; src < S; src++) /* neuron rows: a few entries into X */
    for (uint32_t k = 0; k < C; k++)
      if (rchance(r, 5))
        n->syn[src * C + k] = sl_syn_pack((uint16_t)(X0 + rbelow(r, NX)), (int8_t)pick_weight(r), (uint8_t)pick_delay(r, D));
  const uint32_t steps = rrange(r, 2 * D + 2 < 12 ? 12 : 2 * D + 2, 2 * D + 24);
  sl_status s = sl_events_init(es, n->n_inputs, steps, err);
  const uint32_t samples = rrange(r, 1, 2);
  for (uint32_t sm = 0; sm < samples && !s; sm++) {
    s = sl_events_add_sample(es, (int32_t)sm, readouts && rchance(r, 50) ? (int32_t)rbelow(r, readouts) : -1, err);
    for (uint32_t t = 0; t < steps && !s; t++)
      for (uint32_t c = 0; c < n->n_inputs && !s; c++)
        if (t < steps - 4 || rchance(r, 50)) s = sl_events_add(es, t, c, 255, err);
  }
  return s ? s : sl_net_validate(n, "gen", err);
}

/* Dense spiking: 1..3 spiking populations (16..64 neurons each), thresholds 1..40, reset by
 * subtraction, every input firing every step through positive weights onto every neuron:
 * most neurons fire every step, in long runs of consecutive indices. */
static sl_status gen_dense(rng_t *r, const sl_gen_limits *lim, sl_net *n, sl_names *names, sl_eventset *es,
                           sl_err *err) {
  const uint32_t max_in = min_u(lim->inputs, SL_MAX_INPUTS), max_neu = min_u(lim->neurons, SL_MAX_NEURONS);
  n->n_inputs = (uint16_t)rrange(r, min_u(4, max_in), min_u(16, max_in));
  n->n_pops = (uint16_t)rrange(r, 1, min_u(3, min_u(lim->pops, SL_MAX_POPS)));
  uint32_t N = 0, readouts = 0;
  for (uint32_t i = 0; i < n->n_pops; i++) {
    sl_pop *p = &n->pop[i];
    p->count = (uint16_t)rrange(r, min_u(16, max_neu / n->n_pops), min_u(64, max_neu / n->n_pops));
    N += p->count;
    p->leak = rchance(r, 50) ? 4096 : (uint16_t)rrange(r, 3000, 4096);
    p->threshold = (int32_t)rrange(r, 1, 40);
    p->reset = SL_RESET_SUB; /* V stays above threshold: a spike every step */
    p->flags = SL_POP_SPIKING;
    if (i + 1 == n->n_pops && n->n_pops > 1 && readouts + p->count <= lim->readouts && rchance(r, 50)) {
      p->flags |= SL_POP_READOUT;
      readouts += p->count;
    }
    if (names) snprintf(names->pop[i], sizeof names->pop[i], "d%u", i);
  }
  n->n_neurons = (uint16_t)N;
  uint32_t C = 1u << rrange(r, 3, 5);
  while (C * n->n_inputs < N && C < 64) C <<= 1; /* the input rows reach every neuron */
  while (C > 1 && ((uint32_t)n->n_inputs + N) * C > lim->syn) C >>= 1;
  if (C > lim->row_cap) C = lim->row_cap;
  n->row_cap = (uint16_t)C;
  n->depth = (uint16_t)(1u << rrange(r, 1, 3));
  const uint32_t D = n->depth, S = (uint32_t)n->n_inputs + N;
  /* Input rows cover the neurons round-robin, so every neuron gets drive from some input. */
  uint32_t next = rbelow(r, N);
  for (uint32_t c = 0; c < n->n_inputs; c++)
    for (uint32_t k = 0; k < C; k++, next = (next + 1) % N)
      n->syn[c * C + k] = sl_syn_pack((uint16_t)next, (int8_t)rrange(r, 40, 127), (uint8_t)pick_delay(r, D));
  for (uint32_t src = n->n_inputs; src < S; src++)
    for (uint32_t k = 0; k < C; k++)
      if (rchance(r, 20)) /* recurrence, mostly excitatory */
        n->syn[src * C + k] = sl_syn_pack((uint16_t)rbelow(r, N), (int8_t)(rchance(r, 90) ? (int32_t)rrange(r, 0, 127) : pick_weight(r)),
                                          (uint8_t)pick_delay(r, D));
  const uint32_t steps = rrange(r, 8, 30);
  sl_status s = sl_events_init(es, n->n_inputs, steps, err);
  for (uint32_t sm = 0; sm < 1 && !s; sm++) {
    s = sl_events_add_sample(es, 0, readouts && rchance(r, 50) ? (int32_t)rbelow(r, readouts) : -1, err);
    for (uint32_t t = 0; t < steps && !s; t++)
      for (uint32_t c = 0; c < n->n_inputs && !s; c++) s = sl_events_add(es, t, c, rrange(r, 1, 255), err);
  }
  return s ? s : sl_net_validate(n, "gen", err);
}

sl_status sl_gen_case(uint64_t seed, sl_gen_profile prof, const sl_gen_limits *lim, sl_net *n, sl_names *names,
                      sl_eventset *es, sl_err *err) {
  rng_t r = {seed * 0x2545F4914F6CDD1Dull + 0x1234567ull};
  switch (sl_gen_case_kind(seed, prof)) {
    case SL_GEN_KIND_SATURATE:
      if (lim->inputs >= 12 && lim->row_cap >= 128 && lim->neurons >= 16 && lim->pops >= 3 &&
          (16u + 16u) * 128u <= lim->syn)
        return gen_saturate(&r, lim, n, names, es, err);
      break; /* a core too small for it: a plain case */
    case SL_GEN_KIND_DENSE:
      if (lim->inputs >= 4 && lim->neurons >= 24 && lim->syn >= 1024) return gen_dense(&r, lim, n, names, es, err);
      break;
    default: break;
  }
  static uint32_t fanin[SL_MAX_NEURONS];
  uint32_t i;
  memset(fanin, 0, sizeof fanin);
  const uint32_t max_in = lim->inputs < SL_MAX_INPUTS ? lim->inputs : SL_MAX_INPUTS;
  const uint32_t max_neu = lim->neurons < SL_MAX_NEURONS ? lim->neurons : SL_MAX_NEURONS;
  const uint32_t max_pops = lim->pops < SL_MAX_POPS ? lim->pops : SL_MAX_POPS;
  uint32_t big = prof == SL_GEN_SEEDNET || rchance(&r, 10); /* 10 %: up to the maxima */

  /* ---- sizes ---- */
  if (prof == SL_GEN_SEEDNET) {
    n->n_inputs = 40;
    n->n_pops = 2;
    n->pop[0].count = 256;
    n->pop[1].count = 20;
    n->depth = 32;
    n->row_cap = 256;
  } else {
    n->n_inputs = (uint16_t)(big ? rrange(&r, 1, max_in)
                              : rchance(&r, 50) ? rlog(&r, 1, max_in) : rrange(&r, 1, max_in < 24 ? max_in : 24));
    n->n_pops = (uint16_t)rrange(&r, 1, max_pops < 4 ? max_pops : (rchance(&r, 15) ? max_pops : 4));
    uint32_t budget = big ? rrange(&r, n->n_pops, max_neu) : rrange(&r, n->n_pops, max_neu < 64 ? max_neu : 64);
    uint32_t left = budget;
    for (i = 0; i < n->n_pops; i++) {
      uint32_t rest = n->n_pops - 1 - i;
      uint32_t c = i + 1 == n->n_pops ? left : rrange(&r, 1, left - rest);
      if (i + 1 < n->n_pops && rchance(&r, 50)) c = rrange(&r, 1, (left - rest + 1) / 2);
      n->pop[i].count = (uint16_t)c;
      left -= c;
    }
    uint32_t dmax = 0;
    while ((2u << dmax) <= lim->depth) dmax++;
    n->depth = (uint16_t)(1u << rrange(&r, 1, dmax));
    uint32_t cmax = 0;
    while ((2u << cmax) <= lim->row_cap) cmax++;
    do
      n->row_cap = (uint16_t)(1u << rrange(&r, 0, big ? cmax : (cmax < 5 ? cmax : 5)));
    while ((uint32_t)(n->n_inputs + budget) * n->row_cap > lim->syn && n->row_cap > 1);
  }
  uint32_t N = 0;
  for (i = 0; i < n->n_pops; i++) N += n->pop[i].count;
  n->n_neurons = (uint16_t)N;
  const uint32_t S = (uint32_t)n->n_inputs + N, C = n->row_cap, D = n->depth;
  if (S * C > lim->syn) return sl_err_set(err, SL_ERR_ARG, "gen: seed %llu: table too large", (unsigned long long)seed);

  /* ---- populations ---- */
  uint32_t readouts = 0;
  for (i = 0; i < n->n_pops; i++) {
    sl_pop *p = &n->pop[i];
    static const uint16_t leaks[] = {0, 4096, 3688, 2048, 1, 4095};
    p->leak = rchance(&r, 60) ? leaks[rbelow(&r, 6)] : (uint16_t)rrange(&r, 0, 4096);
    switch (rbelow(&r, 6)) {
      case 0: p->threshold = 1; break;
      case 1: p->threshold = SL_V_MAX; break;
      case 2: p->threshold = (int32_t)rrange(&r, 1, 300); break;
      case 3: p->threshold = (int32_t)rrange(&r, 1, 40000); break;
      default: p->threshold = (int32_t)rlog(&r, 1, SL_V_MAX); break;
    }
    p->reset = (uint8_t)rbelow(&r, 2);
    int readout = (i + 1 == n->n_pops && n->n_pops > 1 && rchance(&r, 70)) || rchance(&r, 10);
    if (prof == SL_GEN_SEEDNET) readout = i == 1;
    if (readout && readouts + p->count > lim->readouts) readout = 0;
    p->flags = (uint8_t)((readout ? SL_POP_READOUT : 0) | (!readout || rchance(&r, 20) ? SL_POP_SPIKING : 0));
    if (rchance(&r, 5)) p->flags = 0; /* neither: a silent integrator */
    if (readout) readouts += p->count;
    if (names) snprintf(names->pop[i], sizeof names->pop[i], "p%u", i);
  }

  /* ---- synapse table ---- */
  const uint32_t hot = rbelow(&r, N);       /* a target many rows share: fan-in, saturation */
  const uint32_t fill_mode = rbelow(&r, 5); /* 0 sparse, 1 half, 2 full, 3 mixed, 4 packed-from-0 */
  for (uint32_t src = 0; src < S; src++) {
    uint32_t want;
    switch (rchance(&r, 20) ? rbelow(&r, 4) : fill_mode) {
      case 0: want = rbelow(&r, C < 4 ? C + 1 : C / 4 + 1); break;
      case 1: want = rrange(&r, C / 2, C); break;
      case 2: want = C; break;
      default: want = rbelow(&r, C + 1); break;
    }
    if (rchance(&r, 8)) want = 0;
    const int packed = fill_mode == 4 || rchance(&r, 30);
    const int same_target = rchance(&r, 15); /* back-to-back hits on one ring word */
    uint32_t tgt0 = rchance(&r, 50) ? hot : rbelow(&r, N), d0 = pick_delay(&r, D);
    int32_t w0 = pick_weight(&r);
    for (uint32_t k = 0; k < want; k++) {
      uint32_t slot = packed ? k : rbelow(&r, C);
      uint32_t *e = &n->syn[src * C + slot];
      if (*e) continue;
      uint32_t tgt = same_target ? tgt0 : (rchance(&r, 10) ? hot : rbelow(&r, N));
      uint32_t d = same_target && rchance(&r, 80) ? d0 : pick_delay(&r, D);
      int32_t w = same_target && rchance(&r, 50) ? w0 : pick_weight(&r);
      if (fanin[tgt] >= SL_MAX_FANIN) continue;
      fanin[tgt]++;
      *e = sl_syn_pack((uint16_t)tgt, (int8_t)w, (uint8_t)d);
    }
  }

  /* ---- events ---- */
  const uint32_t steps = prof == SL_GEN_SEEDNET ? 80 : (rchance(&r, 10) ? rrange(&r, 60, 200) : rrange(&r, 1, 60));
  sl_status s = sl_events_init(es, n->n_inputs, steps, err);
  if (s) return s;
  const uint32_t samples = rrange(&r, 1, 3);
  for (uint32_t sm = 0; sm < samples && !s; sm++) {
    s = sl_events_add_sample(es, (int32_t)sm, rchance(&r, 70) ? (int32_t)rbelow(&r, readouts ? readouts : 1) : -1, err);
    const uint32_t rate = rchance(&r, 15) ? 100 : rrange(&r, 0, 40); /* % of channels per step */
    const uint32_t pay_mode = rbelow(&r, 3);                          /* 0 binary, 1 graded, 2 max */
    for (uint32_t t = 0; t < steps && !s; t++)
      for (uint32_t c = 0; c < n->n_inputs && !s; c++)
        if (rchance(&r, rate)) {
          uint32_t p = pay_mode == 0 ? 1 : pay_mode == 2 ? 255 : rrange(&r, 1, 255);
          s = sl_events_add(es, t, c, p, err);
        }
  }
  if (s) return s;
  return sl_net_validate(n, "gen", err);
}
