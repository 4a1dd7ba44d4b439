/* bench_core.c — speed of the C reference model on the seed-sized network (40 graded inputs,
 * 256 LIF hidden, 20 readouts, D = 32, row capacity 256) with random input at realistic
 * rates. Prints synaptic events/s and timesteps/s, and the same for a bare fan-out walk
 * (pre-decoded ring indices, no model around it) as the ceiling the model is compared to.
 *
 *   bench/sl_bench_core [--steps N] [--input-rate P] [--hidden-rate-target R] [--seed S]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sl_net.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12, rng_state ^= rng_state << 25, rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
  uint32_t steps = 50000, seed = 1;
  double in_rate = 0.9; /* log-mel features: most bands above the floor at most frames */
  int32_t threshold = 20000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--steps")) steps = (uint32_t)atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--input-rate")) in_rate = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--threshold")) threshold = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seed")) seed = (uint32_t)atoi(argv[i + 1]);
    else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
  }
  rng_state += seed;
  sl_core *c = sl_core_new();
  sl_net *n = &c->net;
  n->n_inputs = 40, n->n_neurons = 276, n->n_pops = 2, n->depth = 32, n->row_cap = 256;
  n->pop[0] = (sl_pop){256, 3688, threshold, SL_RESET_ZERO, SL_POP_SPIKING};
  n->pop[1] = (sl_pop){20, 3688, 1, SL_RESET_ZERO, SL_POP_READOUT};
  for (uint32_t i = 0; i < 40; i++) /* dense input -> hidden, delays 0..24 */
    for (uint32_t h = 0; h < 256; h++)
      n->syn[i * 256 + h] = sl_syn_pack((uint16_t)h, (int8_t)((int)(rnd() % 81) - 40), (uint8_t)(rnd() % 25));
  for (uint32_t h = 0; h < 256; h++)
    for (uint32_t k = 0; k < 20; k++)
      n->syn[(40 + h) * 256 + k] = sl_syn_pack((uint16_t)(256 + k), (int8_t)((int)(rnd() % 255) - 127), (uint8_t)(rnd() % 25));
  sl_err err;
  if (sl_net_validate(n, "bench", &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  sl_core_configure(c);

  /* Pre-draw a pool of input steps so the RNG is not in the timed loop. */
  enum { POOL = 4096 };
  static uint16_t chan[POOL][40];
  static uint8_t pay[POOL][40], cnt[POOL];
  for (uint32_t s = 0; s < POOL; s++) {
    cnt[s] = 0;
    for (uint16_t ch = 0; ch < 40; ch++)
      if (rnd() < in_rate * 4294967296.0) chan[s][cnt[s]] = ch, pay[s][cnt[s]++] = (uint8_t)(1 + rnd() % 255);
  }
  /* Each kernel runs REPS times; the best run counts (the machine may be shared). */
  enum { REPS = 5 };
  uint8_t spikes[SL_MAX_NEURONS];
  uint64_t ops = 0, nsp = 0, nin = 0, bare_ops = 0;
  double dt = 1e30, bdt = 1e30;
  static uint32_t idx[40 * 256];
  static int32_t wt[40 * 256];
  for (uint32_t i = 0; i < 40 * 256; i++)
    idx[i] = (i % 256) * SL_MAX_DEPTH + (rnd() % 25), wt[i] = (int32_t)(rnd() % 81) - 40;
  for (int r = 0; r < REPS; r++) {
    ops = nsp = nin = 0;
    sl_core_reset(c);
    double t0 = now();
    for (uint32_t t = 0; t < steps; t++) {
      const uint32_t s = t % POOL;
      if (t % 80 == 0) sl_core_reset(c); /* a new 80-step sample */
      ops += sl_core_step(c, chan[s], pay[s], cnt[s], spikes);
      nin += cnt[s];
      for (uint32_t k = 0; k < 256; k++) nsp += spikes[k];
    }
    double d = now() - t0;
    if (d < dt) dt = d;

    /* Ceiling: a bare fan-out walk of the input rows with pre-decoded ring indices. */
    bare_ops = 0;
    double b0 = now();
    for (uint32_t t = 0; t < steps; t++) {
      const uint32_t s = t % POOL;
      for (uint32_t e = 0; e < cnt[s]; e++) {
        const uint32_t *ri = &idx[chan[s][e] * 256];
        const int32_t *rw = &wt[chan[s][e] * 256];
        const int32_t p = pay[s][e];
        for (uint32_t k = 0; k < 256; k++) c->ring[(ri[k] & ~31u) | ((ri[k] + t + 1) & 31u)] += rw[k] * p;
      }
      bare_ops += 256u * cnt[s];
    }
    d = now() - b0;
    if (d < bdt) bdt = d;
  }

  printf("command: %s", argv[0]);
  for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
  printf("\nnetwork: 40 inputs -> 256 LIF -> 20 readouts, D 32, row capacity 256, %u steps, input rate %.2f\n",
         steps, in_rate);
  printf("model:   %.1f M synaptic events/s, %.0f k timesteps/s (%.2f input events and %.2f hidden spikes per step)\n",
         ops / dt / 1e6, steps / dt / 1e3, (double)nin / steps, (double)nsp / steps);
  printf("bare:    %.1f M synaptic events/s (pre-decoded fan-out walk, no model)\n", bare_ops / bdt / 1e6);
  printf("ratio:   model / bare = %.2f\n", (ops / dt) / (bare_ops / bdt));
  sl_core_free(c);
  return 0;
}
