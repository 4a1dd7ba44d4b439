/* test_gen_cover.c — what the random case generator (sim/sl_gen.c, used by `spikeline gen`
 * and `spikeline regress`) makes the core do, measured on the C model over the seeds the CI
 * regression runs (1..200): ring slots beyond both 24-bit bounds where the sweep reads them,
 * membrane updates beyond both bounds (saturated), and long runs of consecutive spiking
 * neurons (the output FIFO's credit check under a stalled consumer). The cosimulation
 * compares the RTL's state with the C model's at every step, so what the C model does here
 * the RTL did too. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sl_gen.h"

#define SEEDS 200

typedef struct {
  uint32_t slot_hi, slot_lo, mem_hi, mem_lo; /* updates beyond +2^23-1 / below -2^23 */
  uint32_t longest_run;                      /* most consecutive neurons spiking in one step */
} cover;

/* One case on the C model; before each step the update of spec §5 is recomputed from the
 * model's own state (the slot it is about to read, V, the population) without saturation. */
static void run_case(uint64_t seed, cover *cv, sl_gen_kind *kind) {
  static sl_core core;
  sl_eventset es;
  sl_err err;
  memset(&core, 0, sizeof core);
  memset(&es, 0, sizeof es);
  memset(cv, 0, sizeof *cv);
  sl_gen_limits lim = sl_gen_limits_default();
  ck_assert_msg(sl_gen_case(seed, SL_GEN_RANDOM, &lim, &core.net, NULL, &es, &err) == SL_OK, "seed %llu: %s",
                (unsigned long long)seed, err.msg);
  *kind = sl_gen_case_kind(seed, SL_GEN_RANDOM);
  sl_core_configure(&core);
  const sl_net *n = &core.net;
  uint16_t chan[SL_MAX_INPUTS];
  uint8_t pay[SL_MAX_INPUTS], spk[SL_MAX_NEURONS];
  for (uint32_t s = 0; s < es.n_samples; s++) {
    const sl_sample *sm = &es.samples[s];
    uint32_t k = 0;
    sl_core_reset(&core);
    for (uint32_t t = 0; t < es.steps; t++) {
      uint32_t ne = 0;
      while (k < sm->count && es.ev[sm->first + k].step == t) {
        chan[ne] = es.ev[sm->first + k].chan;
        pay[ne++] = es.ev[sm->first + k].payload;
        k++;
      }
      for (uint32_t i = 0; i < n->n_neurons; i++) {
        const sl_pop *p = &n->pop[core.pop_of[i]];
        const int64_t slot = core.ring[i * SL_MAX_DEPTH + t % n->depth], v = core.v[i];
        if (slot > SL_V_MAX) cv->slot_hi++;
        if (slot < SL_V_MIN) cv->slot_lo++;
        const int64_t a = slot > SL_V_MAX ? SL_V_MAX : slot < SL_V_MIN ? SL_V_MIN : slot;
        const int64_t prod = v * p->leak + 2048;
        const int64_t lk = prod >= 0 ? prod / 4096 : -((-prod + 4095) / 4096);
        const int fire = (p->flags & SL_POP_SPIKING) && v >= p->threshold;
        const int64_t pre = !fire ? lk + a : p->reset == SL_RESET_SUB ? lk + a - p->threshold : 0;
        if (pre > SL_V_MAX) cv->mem_hi++;
        if (pre < SL_V_MIN) cv->mem_lo++;
      }
      sl_core_step(&core, chan, pay, ne, spk);
      uint32_t run = 0;
      for (uint32_t i = 0; i < n->n_neurons; i++) {
        run = spk[i] ? run + 1 : 0;
        if (run > cv->longest_run) cv->longest_run = run;
      }
    }
  }
  sl_events_free(&es);
}

START_TEST(saturation_both_bounds_both_paths) {
  uint32_t cases[4] = {0}, sat_cases = 0;
  for (uint64_t seed = 1; seed <= SEEDS; seed++) {
    cover cv;
    sl_gen_kind kind;
    run_case(seed, &cv, &kind);
    cases[0] += cv.slot_hi > 0, cases[1] += cv.slot_lo > 0, cases[2] += cv.mem_hi > 0, cases[3] += cv.mem_lo > 0;
    if (kind != SL_GEN_KIND_SATURATE) continue;
    sat_cases++;
    /* Every saturation case drives a slot past both bounds and a membrane below -2^23. */
    ck_assert_msg(cv.slot_hi && cv.slot_lo && cv.mem_lo,
                  "seed %llu (saturate): slot > max %u, slot < min %u, membrane < min %u times",
                  (unsigned long long)seed, cv.slot_hi, cv.slot_lo, cv.mem_lo);
  }
  printf("test_gen_cover: seeds 1..%d: %u saturation cases; cases with slot > 2^23-1: %u, slot < -2^23: %u, "
         "membrane update > 2^23-1: %u, < -2^23: %u\n",
         SEEDS, sat_cases, cases[0], cases[1], cases[2], cases[3]);
  static const char *what[] = {"slot > 2^23-1", "slot < -2^23", "membrane update > 2^23-1", "membrane update < -2^23"};
  for (int i = 0; i < 4; i++) ck_assert_msg(cases[i] >= 10, "%s in only %u cases of %d", what[i], cases[i], SEEDS);
  ck_assert_uint_ge(sat_cases, 10);
}
END_TEST

START_TEST(dense_spiking_runs) {
  uint32_t dense = 0, long_runs = 0;
  for (uint64_t seed = 1; seed <= SEEDS; seed++) {
    cover cv;
    sl_gen_kind kind;
    run_case(seed, &cv, &kind);
    if (cv.longest_run >= 16) long_runs++;
    if (kind != SL_GEN_KIND_DENSE) continue;
    dense++;
    /* More than the output FIFO holds (8 words), one neuron after another. */
    ck_assert_msg(cv.longest_run >= 16, "seed %llu (dense): longest run of spiking neurons %u",
                  (unsigned long long)seed, cv.longest_run);
  }
  printf("test_gen_cover: seeds 1..%d: %u dense cases, %u cases with >= 16 consecutive neurons spiking\n", SEEDS,
         dense, long_runs);
  ck_assert_uint_ge(dense, 10);
}
END_TEST

static Suite *cover_suite(void) {
  Suite *s = suite_create("gen_cover");
  TCase *tc = tcase_create("gen");
  tcase_add_test(tc, saturation_both_bounds_both_paths);
  tcase_add_test(tc, dense_spiking_runs);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(cover_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
