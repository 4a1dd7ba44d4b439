/* sl_core.c — the reference implementation of a spikeline timestep (docs/spec.md §3–§6).
 * HLS-clean C99; the HLS top (hls/) compiles this file unchanged. */
#include <string.h>
#include "sl_core.h"
#include "sl_fixed.h"
#include "sl_pragma.h"

/* Forwarding registers on the ring read-modify-write (see sl_core_deliver): on in the HLS
 * top, where they let the fan-out walk pipeline at II = 1; off in the reference build,
 * where they cannot change a result and only lengthen the loop's dependence chain. */
#ifndef SL_RING_FORWARD
#define SL_RING_FORWARD 0
#endif

/* No ring address: an address register holding this never matches (max 1024 * 32 - 1). */
#define SL_NO_ADDR 0xFFFFFFFFu

SL_CORE_API uint32_t sl_syn_pack(uint16_t target, int8_t weight, uint8_t delay) {
  return SL_SYN_VALID | ((uint32_t)(target & SL_SYN_T_MASK) << SL_SYN_T_SHIFT) |
         ((uint32_t)(delay & SL_SYN_D_MASK) << SL_SYN_D_SHIFT) | ((uint32_t)(uint8_t)weight);
}

/* Recompute the derived length (1 + last valid slot) and valid count of one row. */
static void row_scan(sl_core *c, uint16_t src) {
  const uint32_t *row = &c->net.syn[(uint32_t)src * c->net.row_cap];
  uint16_t len = 0, valid = 0;
  uint32_t k;
row_scan:
  for (k = 0; k < c->net.row_cap; k++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_ROW_CAP)
    if (row[k] != 0) {
      len = (uint16_t)(k + 1);
      valid++;
    }
  }
  c->row_len[src] = len;
  c->row_valid[src] = valid;
}

SL_CORE_API void sl_core_configure(sl_core *c) {
  uint32_t p, i, n = 0, s;
  uint16_t ro = 0;
pop_walk:
  for (p = 0; p < c->net.n_pops; p++) {
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_POPS)
  pop_members:
    for (i = 0; i < c->net.pop[p].count; i++) {
      SL_PRAGMA(HLS PIPELINE II=1)
      SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_NEURONS)
      c->pop_of[n++] = (uint8_t)p;
    }
    if (c->net.pop[p].flags & SL_POP_READOUT) ro = (uint16_t)(ro + c->net.pop[p].count);
  }
  c->n_readouts = ro;
row_lengths:
  for (s = 0; s < (uint32_t)c->net.n_inputs + c->net.n_neurons; s++) {
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=2 max=SL_MAX_SOURCES)
    row_scan(c, (uint16_t)s);
  }
  sl_core_reset(c);
}

SL_CORE_API void sl_core_reset(sl_core *c) {
  memset(c->v, 0, sizeof c->v);
  memset(c->ring, 0, sizeof c->ring);
  memset(c->score, 0, sizeof c->score);
  c->t = 0;
}

SL_CORE_API uint32_t sl_core_update(sl_core *c, uint8_t spikes[SL_MAX_NEURONS]) {
  const uint32_t slot = c->t & (uint32_t)(c->net.depth - 1);
  int32_t *const ring = c->ring;
  int32_t *const vm = c->v;
  int64_t *const score = c->score;
  uint32_t n, k = 0, fired = 0;
update_sweep:
  for (n = 0; n < c->net.n_neurons; n++) {
    /* Every iteration touches its own neuron's V and ring cell, and score[k] with k
     * strictly increasing: no address is visited twice in a sweep, so these "inter false"
     * are true statements (unlike in fanout_walk below). */
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_NEURONS)
    SL_PRAGMA(HLS DEPENDENCE variable=ring inter false)
    SL_PRAGMA(HLS DEPENDENCE variable=vm inter false)
    SL_PRAGMA(HLS DEPENDENCE variable=score inter false)
    const sl_pop *p = &c->net.pop[c->pop_of[n]];
    int32_t *cell = &ring[n * SL_MAX_DEPTH + slot];
    const int32_t a = sl_sat24(*cell);
    const int32_t v = vm[n];
    const int32_t lk = sl_leak(v, p->leak);
    const int s = (p->flags & SL_POP_SPIKING) && v >= p->threshold;
    int32_t vn;
    *cell = 0;
    if (!s)
      vn = sl_sat24((int64_t)lk + a);
    else if (p->reset == SL_RESET_ZERO)
      vn = 0;
    else
      vn = sl_sat24((int64_t)lk + a - p->threshold);
    vm[n] = vn;
    spikes[n] = (uint8_t)s;
    fired += (uint32_t)s;
    if (p->flags & SL_POP_READOUT) score[k++] += vn;
  }
  return fired;
}

/* The hot loop: no checks and no branches per entry. An empty entry is the word 0, which
 * adds 0 to a slot of neuron 0 (harmless), so valid bits need not be tested (spec §7);
 * the count of synaptic operations comes from row_valid, kept outside the loop.
 *
 * Pipelining it at II = 1 meets a read-modify-write of ring[addr] whose address is data:
 * two entries of one row may name the same (target, delay), even back to back (legal,
 * spec §7), and then entry k+1 must read what entry k wrote. In a pipeline the read of
 * k+1 (and of k+2) is issued before the write of k has reached the memory, so declaring
 * "inter false" on the ring would be WRONG: it would silently lose contributions.
 * Instead the last two written (address, value) pairs are kept in registers and forwarded
 * (a1/v1, a2/v2): a read hits the memory only when its address differs from both, so the
 * memory dependence that remains is at distance >= 3, which is what the DEPENDENCE
 * directive states (still "true": the tool keeps write(k) before read(k+3)). In C the
 * forwarded value always equals the memory's, so results are those of the plain
 * "ring[addr] += w * p" — which is what the reference build (SL_RING_FORWARD 0) runs; the
 * HLS csim bench compares the two builds at every step. If the tool's schedule needs more than 3 cycles for the RMW it
 * raises II (correct, slower) rather than producing a wrong result. */
SL_CORE_API uint32_t sl_core_deliver(sl_core *c, uint16_t src, uint8_t payload) {
  const uint32_t *row = &c->net.syn[(uint32_t)src * c->net.row_cap];
  int32_t *const ring = c->ring;
  const uint32_t len = c->row_len[src];
  const uint32_t base = c->t + 1u;
  const uint32_t mask = (uint32_t)(c->net.depth - 1);
  const int32_t p = payload;
  uint32_t k;
#if SL_RING_FORWARD
  uint32_t a1 = SL_NO_ADDR, a2 = SL_NO_ADDR; /* addresses written by entries k-1, k-2 */
  int32_t v1 = 0, v2 = 0;                    /* the values written there */
#endif
fanout_walk:
  for (k = 0; k < len; k++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_ROW_CAP)
    SL_PRAGMA(HLS DEPENDENCE variable=ring inter RAW true distance=3)
    const uint32_t e = row[k];
    const uint32_t slot = (base + (e >> SL_SYN_D_SHIFT)) & mask; /* mask <= 31 drops the bits above d */
    const uint32_t tgt = (e >> SL_SYN_T_SHIFT) & SL_SYN_T_MASK;
    const uint32_t addr = tgt * SL_MAX_DEPTH + slot;
#if SL_RING_FORWARD
    const int32_t old = addr == a1 ? v1 : addr == a2 ? v2 : ring[addr];
    const int32_t sum = old + (int32_t)(int8_t)(uint8_t)(e & SL_SYN_W_MASK) * p;
    ring[addr] = sum;
    a2 = a1;
    v2 = v1;
    a1 = addr;
    v1 = sum;
#else
    ring[addr] += (int32_t)(int8_t)(uint8_t)(e & SL_SYN_W_MASK) * p;
#endif
  }
  return c->row_valid[src];
}

SL_CORE_API uint32_t sl_core_step(sl_core *c, const uint16_t *chan, const uint8_t *payload,
                      uint32_t n_events, uint8_t spikes[SL_MAX_NEURONS]) {
  uint32_t n, i, ops = 0;
  sl_core_update(c, spikes);
deliver_spikes:
  for (n = 0; n < c->net.n_neurons; n++) {
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_NEURONS)
    if (spikes[n]) ops += sl_core_deliver(c, (uint16_t)(c->net.n_inputs + n), 1);
  }
deliver_inputs:
  for (i = 0; i < n_events; i++) {
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=0 max=SL_MAX_INPUTS)
    ops += sl_core_deliver(c, chan[i], payload[i]);
  }
  c->t++;
  return ops;
}

SL_CORE_API int32_t sl_core_decision(const sl_core *c) {
  int32_t best = -1;
  uint32_t k;
decide:
  for (k = 0; k < c->n_readouts; k++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=0 max=SL_MAX_READOUTS)
    if (best < 0 || c->score[k] > c->score[best]) best = (int32_t)k;
  }
  return best;
}

SL_CORE_API void sl_core_rewire(sl_core *c, uint16_t src, uint16_t slot, uint32_t entry) {
  c->net.syn[(uint32_t)src * c->net.row_cap + slot] = entry;
  row_scan(c, src);
}
