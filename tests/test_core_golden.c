/* test_core_golden.c — hand-computed golden cases for the spikeline core (docs/spec.md §3–§6).
 *
 * Every expected number below is derived from the spec by hand; the arithmetic is written out
 * next to it. Nothing here was obtained by running the code under test. Each case builds a
 * tiny sl_net directly in C (or from an inline network description), validates it with the
 * host layer and steps it with the core API. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "sl_core.h"
#include "sl_net.h"
#include "sl_netdesc.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static sl_core *net_begin(uint16_t n_inputs, uint16_t depth, uint16_t row_cap) {
  sl_core *c = sl_core_new();
  ck_assert_ptr_nonnull(c);
  c->net.n_inputs = n_inputs;
  c->net.depth = depth;
  c->net.row_cap = row_cap;
  return c;
}

static void net_pop(sl_core *c, uint16_t count, uint16_t leak, int32_t thr, uint8_t reset, uint8_t flags) {
  sl_pop *p = &c->net.pop[c->net.n_pops++];
  p->count = count;
  p->leak = leak;
  p->threshold = thr;
  p->reset = reset;
  p->flags = flags;
  c->net.n_neurons = (uint16_t)(c->net.n_neurons + count);
}

static void net_syn(sl_core *c, uint32_t src, uint32_t slot, uint16_t tgt, int8_t w, uint8_t d) {
  c->net.syn[src * c->net.row_cap + slot] = sl_syn_pack(tgt, w, d);
}

static void net_end(sl_core *c) {
  sl_err e;
  sl_err_clear(&e);
  sl_status s = sl_net_validate(&c->net, "golden", &e);
  ck_assert_msg(s == SL_OK, "test network invalid: %s", e.msg);
  sl_core_configure(c);
}

/* One step with at most one input event (chan < 0: none). Returns the spike count. */
static uint8_t spk[SL_MAX_NEURONS];
static uint32_t step_ev(sl_core *c, int chan, uint8_t payload) {
  uint16_t ch = (uint16_t)(chan < 0 ? 0 : chan);
  sl_core_step(c, &ch, &payload, chan < 0 ? 0 : 1, spk);
  uint32_t n = 0;
  for (uint32_t i = 0; i < c->net.n_neurons; i++) n += spk[i];
  return n;
}
static uint32_t step0(sl_core *c) { return step_ev(c, -1, 0); }

static int32_t ring_at(const sl_core *c, uint32_t n, uint32_t slot) { return c->ring[n * SL_MAX_DEPTH + slot]; }

#define ALL ((uint8_t)(SL_POP_SPIKING))
#define BIG 8388607 /* a threshold never reached: 2^23 - 1 */

/* ---- delay and the one-step lag (§3, §4) -------------------------------------------------- */

/* 1 input -> 1 neuron (L = 4096, θ = 100, reset zero, spiking), weight 100, delay d, depth D.
 * One input spike (payload 1) at step t0.
 * Delivery at step t0 writes 100·1 = 100 into slot (t0 + 1 + d) mod D.
 * Update of step t0+1+d reads it: lk = (0·4096 + 2048) >> 12 = 0, V = 0 + 100 = 100.
 * Update of step t0+2+d: s = (V = 100 ≥ 100) = 1 → spike, V = 0 (reset to zero).
 * Every other step: V = 0, no spike. */
static void check_delay(uint16_t D, uint8_t d, uint32_t t0) {
  sl_core *c = net_begin(1, D, 1);
  net_pop(c, 1, 4096, 100, SL_RESET_ZERO, ALL);
  net_syn(c, 0, 0, 0, 100, d);
  net_end(c);
  const uint32_t arrive = t0 + 1 + d, fire = t0 + 2 + d;
  for (uint32_t t = 0; t <= fire + 2 * D; t++) {
    uint32_t n = (t == t0) ? step_ev(c, 0, 1) : step0(c);
    if (t == t0) {
      /* the slot written is (t0+1+d) mod D; nothing else in the ring */
      for (uint32_t k = 0; k < D; k++)
        ck_assert_int_eq(ring_at(c, 0, k), k == (t0 + 1 + d) % D ? 100 : 0);
    }
    ck_assert_msg(n == (t == fire ? 1u : 0u), "D=%u d=%u t0=%u: step %u spikes %u", D, d, t0, t, n);
    ck_assert_msg(c->v[0] == (t == arrive ? 100 : 0), "D=%u d=%u t0=%u: step %u V=%d", D, d, t0, t, c->v[0]);
  }
  sl_core_free(c);
}

START_TEST(delay_zero) { check_delay(8, 0, 2); } /* slot 3, V=100 at step 3, spike at step 4 */
END_TEST
START_TEST(delay_one) { check_delay(8, 1, 2); } /* slot 4, V=100 at step 4, spike at step 5 */
END_TEST
/* d = D−1 = 7, t0 = 2: slot (2+1+7) mod 8 = 10 mod 8 = 2 — the slot read (and cleared)
 * earlier in step 2 itself; it is next read at step 10 = t0 + D. V=100 at 10, spike at 11. */
START_TEST(delay_max_wraps) { check_delay(8, 7, 2); }
END_TEST
/* t0 = 13 with D = 8: slot (13+1+3) mod 8 = 1 (wrap of the step counter); V at 17, spike 18. */
START_TEST(delay_late_step_wraps) { check_delay(8, 3, 13); }
END_TEST
/* D = 2 minimum: d=0 → slot (5+1) mod 2 = 0, V at 6, spike 7; d=1 → slot 7 mod 2 = 1 = slot of
 * step 5 itself, V at 7, spike at 8. */
START_TEST(delay_depth2) {
  check_delay(2, 0, 5);
  check_delay(2, 1, 5);
}
END_TEST
/* D = 32 (the maximum), d = 31 = D−1, t0 = 0: slot 32 mod 32 = 0, V at 32, spike at 33. */
START_TEST(delay_depth32) { check_delay(32, 31, 0); }
END_TEST

/* ---- leak and rounding (§5) ---------------------------------------------------------------- */

/* Non-spiking neuron (flags 0) with leak L; a single event w·p at step 0, delay 0, so
 * V(step 1) = 0 + w·p; from then on only the leak acts. */
static sl_core *leak_net(uint16_t L, int8_t w) {
  sl_core *c = net_begin(1, 4, 1);
  net_pop(c, 1, L, 1, SL_RESET_ZERO, 0);
  net_syn(c, 0, 0, 0, w, 0);
  net_end(c);
  return c;
}

START_TEST(leak_half_negative) {
  sl_core *c = leak_net(2048, -3);
  step_ev(c, 0, 1);
  ck_assert_int_eq(c->v[0], 0);
  step0(c); /* step 1: V = 0 + (−3·1) = −3 */
  ck_assert_int_eq(c->v[0], -3);
  step0(c); /* step 2: lk = (−3·2048 + 2048) >> 12 = −4096 >> 12 = −1 */
  ck_assert_int_eq(c->v[0], -1);
  step0(c); /* step 3: lk = (−1·2048 + 2048) >> 12 = 0 >> 12 = 0  (−0.5 rounds up to 0) */
  ck_assert_int_eq(c->v[0], 0);
  sl_core_free(c);
}
END_TEST

START_TEST(leak_half_positive) {
  sl_core *c = leak_net(2048, 3);
  step_ev(c, 0, 1);
  step0(c); /* V = 3 */
  ck_assert_int_eq(c->v[0], 3);
  step0(c); /* (3·2048 + 2048) >> 12 = 8192 >> 12 = 2 */
  ck_assert_int_eq(c->v[0], 2);
  step0(c); /* (2·2048 + 2048) >> 12 = 6144 >> 12 = 1 */
  ck_assert_int_eq(c->v[0], 1);
  for (int i = 0; i < 5; i++) {
    step0(c); /* (1·2048 + 2048) >> 12 = 4096 >> 12 = 1: 0.5 rounds half up, V sticks at 1 */
    ck_assert_int_eq(c->v[0], 1);
  }
  sl_core_free(c);
}
END_TEST

START_TEST(leak_beta_negative) {
  sl_core *c = leak_net(3688, -5);
  step_ev(c, 0, 1);
  step0(c); /* V = −5 */
  ck_assert_int_eq(c->v[0], -5);
  for (int i = 0; i < 4; i++) {
    step0(c); /* (−5·3688 + 2048) >> 12 = (−18440 + 2048) >> 12 = −16392 >> 12 = floor(−4.0020) = −5 */
    ck_assert_int_eq(c->v[0], -5);
  }
  sl_core_free(c);
}
END_TEST

START_TEST(leak_beta_large) {
  /* w = 100, p = 10 → V = 1000 */
  sl_core *c = leak_net(3688, 100);
  step_ev(c, 0, 10);
  step0(c);
  ck_assert_int_eq(c->v[0], 1000);
  step0(c); /* (1000·3688 + 2048) >> 12 = 3690048 >> 12 = floor(900.89) = 900 */
  ck_assert_int_eq(c->v[0], 900);
  step0(c); /* (900·3688 + 2048) >> 12 = (3319200 + 2048) >> 12 = 3321248 >> 12 = floor(810.85) = 810 */
  ck_assert_int_eq(c->v[0], 810);
  sl_core_free(c);

  /* w = −100, p = 10 → V = −1000; (−1000·3688 + 2048) >> 12 = −3685952 >> 12 = floor(−899.89) = −900 */
  c = leak_net(3688, -100);
  step_ev(c, 0, 10);
  step0(c);
  ck_assert_int_eq(c->v[0], -1000);
  step0(c);
  ck_assert_int_eq(c->v[0], -900);
  sl_core_free(c);
}
END_TEST

START_TEST(leak_zero_and_one) {
  /* L = 0: lk = (V·0 + 2048) >> 12 = 2048 >> 12 = 0; V is only this step's input. */
  sl_core *c = leak_net(0, 77);
  step_ev(c, 0, 1);
  step_ev(c, 0, 2); /* step 1: V = 0 + 77 (from step 0) */
  ck_assert_int_eq(c->v[0], 77);
  step0(c); /* step 2: V = lk(77) + 154 = 0 + 154 */
  ck_assert_int_eq(c->v[0], 154);
  step0(c); /* step 3: V = lk(154) + 0 = 0 */
  ck_assert_int_eq(c->v[0], 0);
  sl_core_free(c);

  /* L = 4096: lk = (V·4096 + 2048) >> 12 = V + (2048 >> 12) = V: no leak, V holds. */
  c = leak_net(4096, -77);
  step_ev(c, 0, 3);
  for (int i = 0; i < 6; i++) {
    step0(c); /* V = −231 from step 1 on */
    ck_assert_int_eq(c->v[0], -231);
  }
  sl_core_free(c);
}
END_TEST

/* ---- resets and the spike decision (§5) ---------------------------------------------------- */

/* 2 inputs -> 1 neuron (θ = 100): in:0 weight 100 delay 0, in:1 weight 30 delay 0.
 * Events: in:0 at step 0, in:1 at step 1. */
static sl_core *reset_net(uint16_t L, uint8_t reset) {
  sl_core *c = net_begin(2, 4, 1);
  net_pop(c, 1, L, 100, reset, ALL);
  net_syn(c, 0, 0, 0, 100, 0);
  net_syn(c, 1, 0, 0, 30, 0);
  net_end(c);
  return c;
}

START_TEST(reset_zero_discards_input) {
  sl_core *c = reset_net(4096, SL_RESET_ZERO);
  ck_assert_uint_eq(step_ev(c, 0, 1), 0); /* step 0: V = 0 */
  ck_assert_uint_eq(step_ev(c, 1, 1), 0); /* step 1: s = (0 ≥ 100) = 0, V = 0 + 100 = 100 */
  ck_assert_int_eq(c->v[0], 100);
  /* step 2: s = (100 ≥ 100) = 1 → V = 0; the 30 arriving this step is discarded */
  ck_assert_uint_eq(step0(c), 1);
  ck_assert_int_eq(c->v[0], 0);
  ck_assert_int_eq(ring_at(c, 0, 2), 0); /* the slot was read and cleared */
  ck_assert_uint_eq(step0(c), 0); /* step 3: V = 0 */
  ck_assert_int_eq(c->v[0], 0);
  sl_core_free(c);
}
END_TEST

START_TEST(reset_sub_keeps_input) {
  sl_core *c = reset_net(4096, SL_RESET_SUB);
  step_ev(c, 0, 1);
  step_ev(c, 1, 1); /* V = 100 */
  /* step 2: s = 1; V = sat24(lk + a − θ) = 100 + 30 − 100 = 30 */
  ck_assert_uint_eq(step0(c), 1);
  ck_assert_int_eq(c->v[0], 30);
  ck_assert_uint_eq(step0(c), 0); /* step 3: 30 < 100, V = 30 */
  ck_assert_int_eq(c->v[0], 30);
  sl_core_free(c);
}
END_TEST

START_TEST(reset_sub_with_leak) {
  /* in:0 payload 2 → a = 200 at step 1: V = 200. in:1 payload 1 at step 1 → a = 30 at step 2.
   * step 2: s = (200 ≥ 100); lk = (200·3688 + 2048) >> 12 = (737600 + 2048) >> 12
   *         = 739648 >> 12 = floor(180.58) = 180; V = 180 + 30 − 100 = 110.
   * step 3: s = (110 ≥ 100); lk = (110·3688 + 2048) >> 12 = (405680 + 2048) >> 12
   *         = 407728 >> 12 = floor(99.54) = 99; V = 99 + 0 − 100 = −1.
   * step 4: s = 0; lk = (−1·3688 + 2048) >> 12 = −1640 >> 12 = floor(−0.40) = −1; V = −1. */
  sl_core *c = reset_net(3688, SL_RESET_SUB);
  step_ev(c, 0, 2);
  step_ev(c, 1, 1);
  ck_assert_int_eq(c->v[0], 200);
  ck_assert_uint_eq(step0(c), 1);
  ck_assert_int_eq(c->v[0], 110);
  ck_assert_uint_eq(step0(c), 1);
  ck_assert_int_eq(c->v[0], -1);
  ck_assert_uint_eq(step0(c), 0);
  ck_assert_int_eq(c->v[0], -1);
  sl_core_free(c);
}
END_TEST

START_TEST(decision_uses_v_before_input) {
  /* in:0 weight 99 delay 0, in:1 weight 100 delay 0; θ = 100, L = 4096, reset zero.
   * step 0: in:0 → slot 1.  step 1: V = 99; in:1 → slot 2.
   * step 2: s = (99 ≥ 100) = 0 although V + a = 199: V = 199, no spike.
   * step 3: s = (199 ≥ 100) = 1 → spike, V = 0. */
  sl_core *c = net_begin(2, 4, 1);
  net_pop(c, 1, 4096, 100, SL_RESET_ZERO, ALL);
  net_syn(c, 0, 0, 0, 99, 0);
  net_syn(c, 1, 0, 0, 100, 0);
  net_end(c);
  ck_assert_uint_eq(step_ev(c, 0, 1), 0);
  ck_assert_uint_eq(step_ev(c, 1, 1), 0);
  ck_assert_int_eq(c->v[0], 99);
  ck_assert_uint_eq(step0(c), 0);
  ck_assert_int_eq(c->v[0], 199);
  ck_assert_uint_eq(step0(c), 1);
  ck_assert_int_eq(c->v[0], 0);
  sl_core_free(c);

  /* The other way round: V = 100 then a = −128·1: the spike still happens (V before input).
   * in:0 weight 100, in:1 weight −128. step 1: V = 100. step 2: s = 1, V = 0 (zero reset). */
  c = net_begin(2, 4, 1);
  net_pop(c, 1, 4096, 100, SL_RESET_ZERO, ALL);
  net_syn(c, 0, 0, 0, 100, 0);
  net_syn(c, 1, 0, 0, -128, 0);
  net_end(c);
  step_ev(c, 0, 1);
  step_ev(c, 1, 1);
  ck_assert_uint_eq(step0(c), 1);
  ck_assert_int_eq(c->v[0], 0);
  sl_core_free(c);
}
END_TEST

/* ---- graded payloads and slot sharing (§3, §4) -------------------------------------------- */

START_TEST(graded_payloads) {
  /* 3 inputs -> 1 non-spiking neuron, L = 4096; in:0 w −128, in:1 w 127, in:2 w 3, delay 0. */
  sl_core *c = net_begin(3, 4, 1);
  net_pop(c, 1, 4096, 1, SL_RESET_ZERO, 0);
  net_syn(c, 0, 0, 0, -128, 0);
  net_syn(c, 1, 0, 0, 127, 0);
  net_syn(c, 2, 0, 0, 3, 0);
  net_end(c);
  step_ev(c, 0, 255); /* −128·255 = −32640 into slot 1 */
  ck_assert_int_eq(ring_at(c, 0, 1), -32640);
  step_ev(c, 1, 255); /* V = −32640; 127·255 = 32385 into slot 2 */
  ck_assert_int_eq(c->v[0], -32640);
  ck_assert_int_eq(ring_at(c, 0, 2), 32385);
  step_ev(c, 2, 200); /* V = −32640 + 32385 = −255; 3·200 = 600 into slot 3 */
  ck_assert_int_eq(c->v[0], -255);
  step0(c); /* V = −255 + 600 = 345 */
  ck_assert_int_eq(c->v[0], 345);
  sl_core_free(c);
}
END_TEST

START_TEST(two_events_same_slot) {
  /* in:0 weight 10 delay 2, in:1 weight 7 delay 0 -> neuron 0 (non-spiking, L = 4096), D = 4.
   * step 0: in:0 p=1 → slot (0+1+2) mod 4 = 3 gets 10.
   * step 2: in:1 p=1 → slot (2+1+0) mod 4 = 3 gets 7: slot 3 holds 17.
   * step 3: a = 17, V = 17. */
  sl_core *c = net_begin(2, 4, 1);
  net_pop(c, 1, 4096, 1, SL_RESET_ZERO, 0);
  net_syn(c, 0, 0, 0, 10, 2);
  net_syn(c, 1, 0, 0, 7, 0);
  net_end(c);
  step_ev(c, 0, 1);
  ck_assert_int_eq(ring_at(c, 0, 3), 10);
  step0(c);
  step_ev(c, 1, 1);
  ck_assert_int_eq(ring_at(c, 0, 3), 17);
  ck_assert_int_eq(c->v[0], 0);
  step0(c);
  ck_assert_int_eq(c->v[0], 17);
  ck_assert_int_eq(ring_at(c, 0, 3), 0);
  sl_core_free(c);
}
END_TEST

/* ---- saturation (§4, §5) ------------------------------------------------------------------- */

/* n_in inputs, each with one entry (weight w, delay 0) onto neuron 0 (non-spiking, leak L).
 * Every input fires at step 0 with payload 255. */
static sl_core *sat_net(uint16_t n_in, int8_t w, uint16_t L) {
  sl_core *c = net_begin(n_in, 4, 1);
  net_pop(c, 1, L, 1, SL_RESET_ZERO, 0);
  for (uint32_t i = 0; i < n_in; i++) net_syn(c, i, 0, 0, w, 0);
  net_end(c);
  uint16_t ch[1024];
  uint8_t pay[1024];
  for (uint32_t i = 0; i < n_in; i++) ch[i] = (uint16_t)i, pay[i] = 255;
  sl_core_step(c, ch, pay, n_in, spk);
  return c;
}

START_TEST(saturation_at_read_positive) {
  /* 260 events of 127·255 = 32385: slot 1 holds 260·32385 = 8,420,100 > 2^23−1 = 8,388,607,
   * exact in 32 bits. step 1: a = sat24(8420100) = 8388607, V = sat24(0 + 8388607) = 8388607. */
  sl_core *c = sat_net(260, 127, 4096);
  ck_assert_int_eq(ring_at(c, 0, 1), 8420100);
  step0(c);
  ck_assert_int_eq(c->v[0], 8388607);
  ck_assert_int_eq(ring_at(c, 0, 1), 0);
  sl_core_free(c);
}
END_TEST

START_TEST(saturation_at_read_negative) {
  /* 258 events of −128·255 = −32640: slot 1 holds −8,421,120 < −2^23 = −8,388,608.
   * a = −8388608, V = −8388608. (257 events would give −8,388,480: in range, no clamp.) */
  sl_core *c = sat_net(258, -128, 4096);
  ck_assert_int_eq(ring_at(c, 0, 1), -8421120);
  step0(c);
  ck_assert_int_eq(c->v[0], -8388608);
  sl_core_free(c);
  c = sat_net(257, -128, 4096);
  ck_assert_int_eq(ring_at(c, 0, 1), -8388480);
  step0(c);
  ck_assert_int_eq(c->v[0], -8388480);
  sl_core_free(c);
}
END_TEST

START_TEST(saturation_after_leak_plus_input) {
  /* L = 4096, V = 8388607 after step 1 (as above). Step 1 also delivers 260·32385 again into
   * slot 2. step 2: lk = 8388607, a = sat24(8420100) = 8388607, lk + a = 16,777,214 →
   * sat24 = 8388607. */
  sl_core *c = net_begin(260, 4, 1);
  net_pop(c, 1, 4096, 1, SL_RESET_ZERO, 0);
  for (uint32_t i = 0; i < 260; i++) net_syn(c, i, 0, 0, 127, 0);
  net_end(c);
  uint16_t ch[260];
  uint8_t pay[260];
  for (uint32_t i = 0; i < 260; i++) ch[i] = (uint16_t)i, pay[i] = 255;
  sl_core_step(c, ch, pay, 260, spk);
  sl_core_step(c, ch, pay, 260, spk);
  ck_assert_int_eq(c->v[0], 8388607);
  sl_core_step(c, ch, pay, 1, spk); /* in:0 only: 32385 into slot 3 */
  ck_assert_int_eq(c->v[0], 8388607);
  /* step 3: lk = 8388607, a = 32385: 8,420,992 → 8388607 */
  step0(c);
  ck_assert_int_eq(c->v[0], 8388607);
  sl_core_free(c);

  /* L = 3688 with V = 8388607 and a = 32385 (one in:0 event at step 1):
   * lk = (8388607·3688 + 2048) >> 12 = (30,937,182,616 + 2048) >> 12 = 30,937,184,664 >> 12
   *    = floor(7,553,023.6) = 7,553,023; V = 7,553,023 + 32385 = 7,585,408 (no clamp). */
  c = sat_net(260, 127, 3688);
  uint16_t ch0 = 0;
  uint8_t p255 = 255;
  sl_core_step(c, &ch0, &p255, 1, spk); /* step 1: V = sat24(0 + 8388607) = 8388607 */
  ck_assert_int_eq(c->v[0], 8388607);
  step0(c);
  ck_assert_int_eq(c->v[0], 7585408);
  sl_core_free(c);

  /* Negative side: V = −8388608 (258 × −32640), then one more −32640 at step 2:
   * lk = −8388608, lk + a = −8,421,248 → sat24 = −8388608. */
  c = sat_net(258, -128, 4096);
  sl_core_step(c, &ch0, &p255, 1, spk);
  ck_assert_int_eq(c->v[0], -8388608);
  step0(c);
  ck_assert_int_eq(c->v[0], -8388608);
  sl_core_free(c);
}
END_TEST

START_TEST(saturation_reset_sub) {
  /* lk + a − θ needs 26 bits: L = 0, θ = 100, reset by subtraction. in:0 w 100 → V = 100 at
   * step 1. At step 1 also 258 × (−32640) = −8,421,120 into slot 2 (in:1..in:258).
   * step 2: s = (100 ≥ 100) = 1; lk = (100·0 + 2048) >> 12 = 0;
   *         a = sat24(−8421120) = −8388608; lk + a − θ = −8,388,708 → sat24 = −8388608. */
  sl_core *c = net_begin(259, 4, 1);
  net_pop(c, 1, 0, 100, SL_RESET_SUB, ALL);
  net_syn(c, 0, 0, 0, 100, 0);
  for (uint32_t i = 1; i <= 258; i++) net_syn(c, i, 0, 0, -128, 0);
  net_end(c);
  step_ev(c, 0, 1);
  uint16_t ch[258];
  uint8_t pay[258];
  for (uint32_t i = 0; i < 258; i++) ch[i] = (uint16_t)(i + 1), pay[i] = 255;
  sl_core_step(c, ch, pay, 258, spk);
  ck_assert_int_eq(c->v[0], 100);
  ck_assert_uint_eq(step0(c), 1);
  ck_assert_int_eq(c->v[0], -8388608);
  sl_core_free(c);
}
END_TEST

/* ---- recurrence, readouts, decision (§5, §6) ---------------------------------------------- */

START_TEST(recurrent_edges) {
  /* 1 input, 2 neurons (L = 4096, θ = 100, reset zero, spiking), D = 8, row_cap 2.
   * in:0 → n0 w 100 d 0;  n0 → n1 w 100 d 1;  n1 → n1 (itself) w 100 d 0.
   * step 0: in:0 → n0 slot 1.      step 1: V0 = 100.
   * step 2: n0 fires (100 ≥ 100), V0 = 0; its spike → n1 slot (2+1+1) = 4.
   * step 4: V1 = 100.   step 5: n1 fires, V1 = 0; spike → n1 slot 6.
   * step 6: V1 = 100.   step 7: n1 fires again ... n1 fires at 5, 7, 9, 11, ... */
  sl_core *c = net_begin(1, 8, 2);
  net_pop(c, 2, 4096, 100, SL_RESET_ZERO, ALL);
  net_syn(c, 0, 0, 0, 100, 0);
  net_syn(c, 1, 0, 1, 100, 1);
  net_syn(c, 2, 0, 1, 100, 0);
  net_end(c);
  for (uint32_t t = 0; t < 20; t++) {
    if (t == 0) step_ev(c, 0, 1);
    else step0(c);
    ck_assert_msg(spk[0] == (t == 2), "step %u: n0 spike %u", t, spk[0]);
    ck_assert_msg(spk[1] == (t >= 5 && t % 2 == 1), "step %u: n1 spike %u", t, spk[1]);
    ck_assert_int_eq(c->v[0], t == 1 ? 100 : 0);
    ck_assert_int_eq(c->v[1], (t == 4 || (t >= 6 && t % 2 == 0)) ? 100 : 0);
  }
  sl_core_free(c);
}
END_TEST

START_TEST(readout_never_spikes) {
  /* Readout population (READOUT, not SPIKING), θ = 1, L = 4096, in:0 w 127 d 0; payload 255
   * every step 0..4. V after step t (t ≥ 1) = t·32385 — far above θ, never a spike and no
   * reset. Scores: Σ V = 0 + 32385·(1+2+3+4+5) = 32385·15 = 485,775 after 6 steps. */
  sl_core *c = net_begin(1, 4, 1);
  net_pop(c, 1, 4096, 1, SL_RESET_ZERO, SL_POP_READOUT);
  net_syn(c, 0, 0, 0, 127, 0);
  net_end(c);
  ck_assert_uint_eq(c->n_readouts, 1);
  for (int32_t t = 0; t < 6; t++) {
    ck_assert_uint_eq(t < 5 ? step_ev(c, 0, 255) : step0(c), 0);
    ck_assert_int_eq(c->v[0], 32385 * t);
  }
  ck_assert_int_eq(c->score[0], 485775);
  ck_assert_int_eq(sl_core_decision(c), 0);
  sl_core_free(c);
}
END_TEST

/* Readouts r0..r2 (L = 4096, non-spiking) fed by in:k weight w[k] delay 0 at step 0.
 * V_k = w_k from step 1 on; after T = 4 steps score[k] = 0 + 3·w_k. */
static int32_t decide(int8_t w0, int8_t w1, int8_t w2, int64_t *score) {
  sl_core *c = net_begin(3, 4, 1);
  net_pop(c, 1, 4096, 50, SL_RESET_ZERO, ALL); /* a spiking hidden neuron: not a class */
  net_pop(c, 3, 4096, 1, SL_RESET_ZERO, SL_POP_READOUT);
  net_syn(c, 0, 0, 1, w0, 0);
  net_syn(c, 1, 0, 2, w1, 0);
  net_syn(c, 2, 0, 3, w2, 0);
  net_end(c);
  uint16_t ch[3] = {0, 1, 2};
  uint8_t pay[3] = {1, 1, 1};
  sl_core_step(c, ch, pay, 3, spk);
  for (int i = 0; i < 3; i++) step0(c);
  for (int k = 0; k < 3; k++) score[k] = c->score[k];
  int32_t d = sl_core_decision(c);
  sl_core_free(c);
  return d;
}

START_TEST(decision_rule) {
  int64_t s[3];
  /* scores 3·5 = 15, 3·9 = 27, 3·2 = 6 → class 1 */
  ck_assert_int_eq(decide(5, 9, 2, s), 1);
  ck_assert_int_eq(s[0], 15);
  ck_assert_int_eq(s[1], 27);
  ck_assert_int_eq(s[2], 6);
  /* 21, 12, 21: tie between 0 and 2 → lowest index 0 */
  ck_assert_int_eq(decide(7, 4, 7, s), 0);
  /* −30, −21, −21: tie between 1 and 2 → 1 */
  ck_assert_int_eq(decide(-10, -7, -7, s), 1);
  ck_assert_int_eq(s[1], -21);
  /* all zero → 0 */
  ck_assert_int_eq(decide(0, 0, 0, s), 0);
  /* the largest is last: 3, 6, 381 → 2 */
  ck_assert_int_eq(decide(1, 2, 127, s), 2);
  ck_assert_int_eq(s[2], 381);

  /* R = 0: no readout population → −1 */
  sl_core *c = net_begin(1, 2, 1);
  net_pop(c, 2, 4096, 1, SL_RESET_ZERO, ALL);
  net_end(c);
  ck_assert_uint_eq(c->n_readouts, 0);
  step0(c);
  ck_assert_int_eq(sl_core_decision(c), -1);
  sl_core_free(c);
}
END_TEST

START_TEST(readout_in_middle_population) {
  /* Readout population between two others: classes follow neuron order within READOUT pops.
   * pops: a (1 neuron, spiking), r (2 readouts), b (1 neuron, readout): classes r0, r1, b0.
   * in:0 → neuron 3 (b:0) w 9 → score[2] = 3·9 = 27 after 4 steps, the others 0 → class 2. */
  const char *desc = "inputs 1\ndepth 4\nrowcap 1\n"
                     "pop a 1 leak 4096 threshold 5 reset zero spiking\n"
                     "pop r 2 leak 4096 threshold 5 reset zero readout\n"
                     "pop b 1 leak 4096 threshold 5 reset sub readout\n"
                     "syn in:0 b:0 weight 9 delay 0\n";
  sl_core *c = sl_core_new();
  sl_names nm;
  sl_err e;
  ck_assert_int_eq(sl_netdesc_parse(desc, "inline.sln", &c->net, &nm, &e), SL_OK);
  sl_core_configure(c);
  ck_assert_uint_eq(c->n_readouts, 3);
  step_ev(c, 0, 1);
  step0(c);
  step0(c);
  step0(c);
  ck_assert_int_eq(c->score[0], 0);
  ck_assert_int_eq(c->score[1], 0);
  ck_assert_int_eq(c->score[2], 27);
  ck_assert_int_eq(sl_core_decision(c), 2);
  sl_core_free(c);
}
END_TEST

/* ---- rewiring (§4.1) ------------------------------------------------------------------------ */

/* 2 inputs, 3 non-spiking neurons (L = 4096), D = 8, row_cap 4.
 * in:0: slot 0 → n0 w 10 d 0; slot 1 → n1 w 20 d 0; slot 2 → n2 w 30 d 0.
 * in:1: slot 0 → n1 w 5 d 1. */
static sl_core *rewire_net(void) {
  sl_core *c = net_begin(2, 8, 4);
  net_pop(c, 3, 4096, 1, SL_RESET_ZERO, 0);
  net_syn(c, 0, 0, 0, 10, 0);
  net_syn(c, 0, 1, 1, 20, 0);
  net_syn(c, 0, 2, 2, 30, 0);
  net_syn(c, 1, 0, 1, 5, 1);
  net_end(c);
  return c;
}

START_TEST(rewire_changes_only_that_synapse) {
  sl_core *a = rewire_net(), *b = rewire_net();
  /* B: (in:0, slot 1) → n1 weight −7 delay 2 */
  const uint32_t e = sl_syn_pack(1, -7, 2);
  sl_err err;
  ck_assert_int_eq(sl_net_check_entry(&b->net, 0, 1, e, "rewire", &err), SL_OK);
  sl_core_rewire(b, 0, 1, e);
  ck_assert_uint_eq(b->net.syn[1], 0x80010200u | 0xF9u); /* valid | target 1 <<16 | delay 2 <<8 | (−7 & 0xFF) */
  for (uint32_t i = 0; i < SL_MAX_SYN; i++)
    if (i != 1) ck_assert_uint_eq(a->net.syn[i], b->net.syn[i]);
  /* Events: step 0: in:0 and in:1 (p = 1). Expected V of n1:
   *  A: step 1 +20 → 20; step 2 +5 (in:1, d 1) → 25; then 25.
   *  B: step 2 +5 → 5; step 3 −7 (in:0 slot 1, d 2) → −2; then −2.
   * n0 (10 from step 1) and n2 (30 from step 1) are identical in A and B at every step. */
  const int32_t va[6] = {0, 20, 25, 25, 25, 25}, vb[6] = {0, 0, 5, -2, -2, -2};
  uint16_t ch[2] = {0, 1};
  uint8_t pay[2] = {1, 1};
  uint8_t sa[SL_MAX_NEURONS], sb[SL_MAX_NEURONS];
  for (int t = 0; t < 6; t++) {
    sl_core_step(a, ch, pay, t == 0 ? 2 : 0, sa);
    sl_core_step(b, ch, pay, t == 0 ? 2 : 0, sb);
    ck_assert_int_eq(a->v[0], b->v[0]);
    ck_assert_int_eq(a->v[2], b->v[2]);
    ck_assert_int_eq(a->v[0], t == 0 ? 0 : 10);
    ck_assert_int_eq(a->v[2], t == 0 ? 0 : 30);
    ck_assert_int_eq(a->v[1], va[t]);
    ck_assert_int_eq(b->v[1], vb[t]);
    for (uint32_t k = 0; k < 8; k++) {
      ck_assert_int_eq(ring_at(a, 0, k), ring_at(b, 0, k));
      ck_assert_int_eq(ring_at(a, 2, k), ring_at(b, 2, k));
    }
  }
  sl_core_free(a);
  sl_core_free(b);
}
END_TEST

START_TEST(rewire_keeps_contributions_in_flight) {
  /* in:1 slot 0 → n1 w 5 d 1: event at step 0 puts 5 in n1's slot 2. Removing the entry at
   * step 1 (before the read) does not take it back: V1 = 5 from step 2. A second event at
   * step 2 through the removed entry delivers nothing. */
  sl_core *c = rewire_net();
  step_ev(c, 1, 1);
  ck_assert_int_eq(ring_at(c, 1, 2), 5);
  sl_core_rewire(c, 1, 0, 0);
  ck_assert_uint_eq(c->row_len[1], 0);
  step0(c);
  step_ev(c, 1, 1);
  ck_assert_int_eq(c->v[1], 5);
  for (int i = 0; i < 4; i++) step0(c);
  ck_assert_int_eq(c->v[1], 5);
  sl_core_free(c);
}
END_TEST

START_TEST(rewire_row_len) {
  /* in:0 has entries at slots 0, 1, 2 of 4: row_len = 1 + last valid index = 3, and one
   * delivery walks 3 valid entries. */
  sl_core *c = rewire_net();
  ck_assert_uint_eq(c->row_len[0], 3);
  ck_assert_uint_eq(sl_core_deliver(c, 0, 1), 3);
  sl_core_reset(c);
  /* remove the last entry (slot 2): row_len 2; a delivery walks 2 entries, n2 gets nothing */
  sl_core_rewire(c, 0, 2, 0);
  ck_assert_uint_eq(c->row_len[0], 2);
  ck_assert_uint_eq(sl_core_deliver(c, 0, 1), 2);
  ck_assert_int_eq(ring_at(c, 2, 1), 0);
  ck_assert_int_eq(ring_at(c, 0, 1), 10);
  sl_core_reset(c);
  /* write slot 3 (beyond the old end, leaving a gap at 2): row_len 4 and it is delivered:
   * n2 w 40 d 5 → slot (0+1+5) = 6 of n2 gets 40 */
  sl_core_rewire(c, 0, 3, sl_syn_pack(2, 40, 5));
  ck_assert_uint_eq(c->row_len[0], 4);
  ck_assert_uint_eq(sl_core_deliver(c, 0, 1), 3);
  ck_assert_int_eq(ring_at(c, 2, 6), 40);
  ck_assert_int_eq(ring_at(c, 1, 1), 20);
  sl_core_reset(c);
  /* remove slot 3 again: the rescan skips the gap at 2 → row_len 2 */
  sl_core_rewire(c, 0, 3, 0);
  ck_assert_uint_eq(c->row_len[0], 2);
  /* remove slot 0 (not the last): row_len stays 2; one valid entry walked */
  sl_core_rewire(c, 0, 0, 0);
  ck_assert_uint_eq(c->row_len[0], 2);
  ck_assert_uint_eq(sl_core_deliver(c, 0, 1), 1);
  ck_assert_int_eq(ring_at(c, 0, 1), 0);
  ck_assert_int_eq(ring_at(c, 1, 1), 20);
  /* remove slot 1: the row is empty, row_len 0, nothing delivered */
  sl_core_rewire(c, 0, 1, 0);
  ck_assert_uint_eq(c->row_len[0], 0);
  ck_assert_uint_eq(sl_core_deliver(c, 0, 1), 0);
  sl_core_free(c);
}
END_TEST

/* ---- order independence (§4) --------------------------------------------------------------- */

START_TEST(order_independence) {
  /* 600 inputs onto neuron 0 (non-spiking, L = 4096), D = 4: in:0..299 w 127 d 1,
   * in:300..599 w −128 d 1; plus in:0..599 each a second entry onto neuron 1 w (i mod 7) − 3
   * delay (i mod 4). All 600 fire at step 0 with payload 255.
   * Slot 2 of neuron 0: 300·32385 − 300·32640 = 9,715,500 − 9,792,000 = −76,500 — in either
   * order, although the partial sums leave the 24-bit range (a per-add clamp would give
   * 8388607 − 9,792,000 = −1,403,393 in one order). At step 2 V0 = −76,500. */
  sl_core *a = net_begin(600, 4, 2), *b = net_begin(600, 4, 2);
  sl_core *cs[2] = {a, b};
  for (int k = 0; k < 2; k++) {
    sl_core *c = cs[k];
    net_pop(c, 2, 4096, 1, SL_RESET_ZERO, 0);
    for (uint32_t i = 0; i < 600; i++) {
      net_syn(c, i, 0, 0, i < 300 ? 127 : -128, 1);
      net_syn(c, i, 1, 1, (int8_t)((int)(i % 7) - 3), (uint8_t)(i % 4));
    }
    net_end(c);
    sl_core_update(c, spk);
  }
  for (uint32_t i = 0; i < 600; i++) sl_core_deliver(a, (uint16_t)i, 255);
  for (uint32_t i = 600; i-- > 0;) sl_core_deliver(b, (uint16_t)i, 255);
  ck_assert_int_eq(ring_at(a, 0, 2), -76500);
  ck_assert_mem_eq(a->ring, b->ring, sizeof a->ring);
  /* also interleaved: even sources first, then odd */
  sl_core *c = net_begin(600, 4, 2);
  net_pop(c, 2, 4096, 1, SL_RESET_ZERO, 0);
  for (uint32_t i = 0; i < 600; i++) {
    net_syn(c, i, 0, 0, i < 300 ? 127 : -128, 1);
    net_syn(c, i, 1, 1, (int8_t)((int)(i % 7) - 3), (uint8_t)(i % 4));
  }
  net_end(c);
  sl_core_update(c, spk);
  for (uint32_t i = 0; i < 600; i += 2) sl_core_deliver(c, (uint16_t)i, 255);
  for (uint32_t i = 1; i < 600; i += 2) sl_core_deliver(c, (uint16_t)i, 255);
  ck_assert_mem_eq(a->ring, c->ring, sizeof a->ring);
  for (int k = 0; k < 3; k++) {
    sl_core *x = k == 0 ? a : k == 1 ? b : c;
    x->t++;
    step0(x); /* step 1 */
    step0(x); /* step 2: V0 = −76,500 */
    ck_assert_int_eq(x->v[0], -76500);
  }
  ck_assert_int_eq(a->v[1], b->v[1]);
  ck_assert_int_eq(a->v[1], c->v[1]);
  sl_core_free(a);
  sl_core_free(b);
  sl_core_free(c);
}
END_TEST

START_TEST(reset_clears_state) {
  /* After sl_core_reset every V, ring slot, score and t are zero (§2). */
  sl_core *c = rewire_net();
  c->net.pop[0].flags = SL_POP_READOUT;
  sl_core_configure(c);
  step_ev(c, 0, 9);
  step_ev(c, 1, 9);
  ck_assert_int_ne(c->v[0], 0);
  sl_core_reset(c);
  ck_assert_uint_eq(c->t, 0);
  for (uint32_t n = 0; n < 3; n++) {
    ck_assert_int_eq(c->v[n], 0);
    ck_assert_int_eq(c->score[n], 0);
    for (uint32_t k = 0; k < 8; k++) ck_assert_int_eq(ring_at(c, n, k), 0);
  }
  sl_core_free(c);
}
END_TEST

START_TEST(syn_pack_layout) {
  /* §7: word = valid<<31 | target<<16 | d<<8 | (w & 0xFF) */
  ck_assert_uint_eq(sl_syn_pack(0, 0, 0), 0x80000000u);
  ck_assert_uint_eq(sl_syn_pack(1023, -128, 31), 0x83FF1F80u); /* 1023<<16 = 0x03FF0000, 31<<8 = 0x1F00 */
  ck_assert_uint_eq(sl_syn_pack(5, -1, 3), 0x800503FFu);
  ck_assert_uint_eq(sl_syn_pack(2, 127, 0), 0x8002007Fu);
  ck_assert_int_eq(sl_syn_weight(0x80000080u), -128);
  ck_assert_uint_eq(sl_syn_delay(0x80001F00u), 31);
  ck_assert_uint_eq(sl_syn_target(0x83FF0000u), 1023);
}
END_TEST

static Suite *golden_suite(void) {
  Suite *s = suite_create("core_golden");
  TCase *tc = tcase_create("delay");
  tcase_add_test(tc, delay_zero);
  tcase_add_test(tc, delay_one);
  tcase_add_test(tc, delay_max_wraps);
  tcase_add_test(tc, delay_late_step_wraps);
  tcase_add_test(tc, delay_depth2);
  tcase_add_test(tc, delay_depth32);
  tcase_add_test(tc, two_events_same_slot);
  suite_add_tcase(s, tc);
  tc = tcase_create("leak");
  tcase_add_test(tc, leak_half_negative);
  tcase_add_test(tc, leak_half_positive);
  tcase_add_test(tc, leak_beta_negative);
  tcase_add_test(tc, leak_beta_large);
  tcase_add_test(tc, leak_zero_and_one);
  suite_add_tcase(s, tc);
  tc = tcase_create("spike_reset");
  tcase_add_test(tc, reset_zero_discards_input);
  tcase_add_test(tc, reset_sub_keeps_input);
  tcase_add_test(tc, reset_sub_with_leak);
  tcase_add_test(tc, decision_uses_v_before_input);
  tcase_add_test(tc, graded_payloads);
  tcase_add_test(tc, recurrent_edges);
  tcase_add_test(tc, reset_clears_state);
  suite_add_tcase(s, tc);
  tc = tcase_create("saturation");
  tcase_add_test(tc, saturation_at_read_positive);
  tcase_add_test(tc, saturation_at_read_negative);
  tcase_add_test(tc, saturation_after_leak_plus_input);
  tcase_add_test(tc, saturation_reset_sub);
  tcase_add_test(tc, order_independence);
  suite_add_tcase(s, tc);
  tc = tcase_create("readout");
  tcase_add_test(tc, readout_never_spikes);
  tcase_add_test(tc, decision_rule);
  tcase_add_test(tc, readout_in_middle_population);
  suite_add_tcase(s, tc);
  tc = tcase_create("rewire");
  tcase_add_test(tc, rewire_changes_only_that_synapse);
  tcase_add_test(tc, rewire_keeps_contributions_in_flight);
  tcase_add_test(tc, rewire_row_len);
  tcase_add_test(tc, syn_pack_layout);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(golden_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
