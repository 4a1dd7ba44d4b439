/* bench_train.c — seconds per training epoch of the seed network (40 -> 256 LIF -> 20 LI,
 * delayed synapses, batch 256) over N synthetic utterances, and peak memory.
 *   sl_bench_train [--samples 3420] [--threads N] [--sigma S] [--epochs E] [--deepr 1 --sparsity 0.5 ...]
 * sigma 0 = integer delays (the end of a DCLS run and every evaluation); DCLS trains at the
 * annealed sigma (0.5 after the first quarter of the epochs; 12 at the start).
 * --dcls-kernel gauss|interp picks the DCLS kernel (docs/trainer.md): its cost per synapse is
 * ~6 sigma taps for gauss, two for interp; --ste-frac 1 times straight-through epochs
 * (rounded delays forward, two taps per synapse in the backward).
 * Any trainer option (--hidden, --taps, ...) may be given as for `spikeline train`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sl_data.h"
#include "sl_run.h"
#include "sl_train.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
  sl_train_cfg cfg;
  sl_train_cfg_default(&cfg);
  int samples = 3420, threads = 0, epochs = 2;
  float sigma = 0.5f;
  sl_err err;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--samples")) samples = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--threads")) threads = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--sigma")) sigma = (float)atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--epochs")) epochs = atoi(argv[i + 1]);
    else if (sl_train_cfg_set(&cfg, argv[i] + 2, argv[i + 1], &err)) {
      fprintf(stderr, "bench_train: %s\n", err.msg);
      return 2;
    }
  }
  sl_dataset d;
  int per = (samples + cfg.n_out - 1) / cfg.n_out;
  if (sl_data_synth(&d, per, cfg.n_out, cfg.n_in, cfg.steps, cfg.in_scale, 3, &err)) return 1;
  sl_model m;
  if (sl_model_init(&m, &cfg, threads, &err)) { fprintf(stderr, "bench_train: %s\n", err.msg); return 1; }
  const size_t P = (size_t)d.steps * d.channels;
  const uint8_t **pay = malloc(sizeof(uint8_t *) * cfg.batch);
  int32_t *lab = malloc(sizeof(int32_t) * cfg.batch);
  double best = 1e30, sum_events = 0;
  for (int i = 0; i < samples; i++)
    for (size_t k = 0; k < P; k++) sum_events += d.pay[(size_t)(i % d.n) * P + k] != 0;
  const int ste = sl_ste_at(&cfg, 0); /* --ste-frac 1: rounded delays, straight-through positions */
  for (int e = 0; e < epochs; e++) {
    sl_stats st = {0};
    double t0 = now();
    for (int b0 = 0; b0 < samples; b0 += cfg.batch) {
      int nb = samples - b0 < cfg.batch ? samples - b0 : cfg.batch;
      for (int k = 0; k < nb; k++) {
        pay[k] = d.pay + P * ((b0 + k) % d.n);
        lab[k] = d.label[(b0 + k) % d.n];
      }
      m.ste = ste;
      sl_model_prepare(&m, cfg.delay_mode == SL_DELAY_DCLS && !ste ? sigma : 0, 0);
      sl_model_batch(&m, pay, lab, nb, 1, (uint64_t)b0, &st);
      sl_model_update(&m, 1e-3f, cfg.delay_mode == SL_DELAY_DCLS ? 0.05f : 0, cfg.delay_mode == SL_DELAY_DCLS);
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
    printf("epoch %d: %.3f s  (loss %.3f, %.2f hidden spikes/neuron/sample)\n", e + 1, dt, st.loss / st.n,
           st.spikes_per_neuron / st.n);
  }
  printf("seed network %d-%dx%d-%d, taps %d, %s%s, sigma %.2f, batch %d, %d samples, %d threads: "
         "best %.3f s/epoch, %.1f input events/sample, peak RSS %ld MB\n",
         cfg.n_in, cfg.n_hid, cfg.n_layers, cfg.n_out, cfg.taps,
         cfg.delay_mode != SL_DELAY_DCLS ? (cfg.delay_mode == SL_DELAY_FIXED ? "fixed" : "none")
         : ste ? "dcls straight-through" : cfg.dcls_kernel == SL_KERNEL_INTERP ? "dcls interp" : "dcls gauss",
         cfg.deepr ? " + deepr" : "", cfg.delay_mode == SL_DELAY_DCLS && !ste ? sigma : 0, cfg.batch, samples, m.n_threads,
         best, sum_events / samples, sl_peak_rss_kb() / 1024);
  sl_model_free(&m);
  sl_data_free(&d);
  free(pay);
  free(lab);
  return 0;
}
