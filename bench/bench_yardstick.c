/* bench_yardstick.c — a non-spiking floor for the delay-SNN: nearest-centroid classifiers
 * on a feature cache (spikeline features), trained on the train split (validation files
 * included), scored on the test split, on its unseen speakers 4 and 5 and on the rest.
 * Two inputs: the full 80 x 40 features, and features pooled over 8 time segments. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"

#define N_CLASSES 20

/* x[dim] of sample i: pooled = mean over `seg` equal time segments, else the raw grid */
static void vec(const sl_fe_cache *c, uint32_t i, int seg, double *x, int dim) {
  const float *f = c->feat + (size_t)i * c->n_frames * c->n_mels;
  if (!seg) {
    for (int k = 0; k < dim; k++) x[k] = f[k];
    return;
  }
  memset(x, 0, sizeof(double) * (size_t)dim);
  for (int t = 0; t < c->n_frames; t++)
    for (int m = 0; m < c->n_mels; m++) x[(t * seg / c->n_frames) * c->n_mels + m] += f[t * c->n_mels + m];
  for (int k = 0; k < dim; k++) x[k] /= (double)c->n_frames / seg;
}

static void run(const sl_fe_cache *c, int seg, const char *what) {
  int dim = seg ? seg * c->n_mels : c->n_frames * c->n_mels;
  double *cent = calloc((size_t)N_CLASSES * dim, sizeof(double)), *x = malloc(sizeof(double) * dim);
  long cnt[N_CLASSES] = {0};
  for (uint32_t i = 0; i < c->n; i++) {
    if (!(c->split[i] & SL_FE_TRAIN) || c->label[i] >= N_CLASSES) continue;
    vec(c, i, seg, x, dim);
    for (int k = 0; k < dim; k++) cent[c->label[i] * dim + k] += x[k];
    cnt[c->label[i]]++;
  }
  for (int l = 0; l < N_CLASSES; l++)
    for (int k = 0; k < dim; k++) cent[l * dim + k] /= cnt[l] ? cnt[l] : 1;
  long ok[3] = {0}, n[3] = {0}; /* all test, speakers 4/5, other speakers */
  for (uint32_t i = 0; i < c->n; i++) {
    if (!(c->split[i] & SL_FE_TEST)) continue;
    vec(c, i, seg, x, dim);
    int best = 0;
    double bd = INFINITY;
    for (int l = 0; l < N_CLASSES; l++) {
      double d = 0.0;
      for (int k = 0; k < dim; k++) d += (x[k] - cent[l * dim + k]) * (x[k] - cent[l * dim + k]);
      if (d < bd) bd = d, best = l;
    }
    int g = (c->speaker[i] == 4 || c->speaker[i] == 5) ? 1 : 2, hit = best == c->label[i];
    ok[0] += hit, n[0]++;
    ok[g] += hit, n[g]++;
  }
  printf("nearest centroid, %-26s test %5.1f %% (%ld)   speakers 4+5 %5.1f %% (%ld)   others %5.1f %% (%ld)\n", what,
         n[0] ? 100.0 * ok[0] / n[0] : 0.0, n[0], n[1] ? 100.0 * ok[1] / n[1] : 0.0, n[1],
         n[2] ? 100.0 * ok[2] / n[2] : 0.0, n[2]);
  free(cent);
  free(x);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: sl_bench_yardstick CACHE.slf   (chance is 5 %%)\n");
    return 2;
  }
  sl_fe_cache c;
  sl_err e;
  if (sl_fe_cache_load(argv[1], &c, &e) != SL_OK) {
    fprintf(stderr, "sl_bench_yardstick: %s\n", e.msg);
    return 1;
  }
  printf("command: sl_bench_yardstick %s   (%u utterances, chance 5 %%)\n", argv[1], c.n);
  run(&c, 0, "80 x 40 features:");
  run(&c, 8, "8 time segments x 40:");
  run(&c, 1, "time-averaged 40 bands:");
  sl_fe_cache_free(&c);
  return 0;
}
