/* sl_twin_dump.c — one batch of the C trainer written as text for the PyTorch twin
 * (sl_twin.py): configuration, every synapse (pre, post, active, w, pos), the batch
 * (payloads, labels, dropout masks), then the C results: readout membranes, loss and every
 * gradient. Usage: sl_twin_dump OUT.txt {int|dcls|interp|membrane|wide} (interp: the DCLS
 * kernel interpolated between integer-centred Gaussians, positions kept off the integers;
 * wide: the same at a sigma wide enough for the blocked smoothing, 80 steps; runs: delays
 * 0-31 at sigma 2, where the centres with whole windows share one smoothed row). Built twice:
 * in double (the exact comparison) and in float with the vectorised kernels (sl_twin_dump_f32,
 * compared to float rounding). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_data.h"
#include "sl_train.h"

static void vec(FILE *f, const char *name, const sl_real *v, size_t n) {
  fprintf(f, "%s %zu", name, n);
  for (size_t i = 0; i < n; i++) fprintf(f, " %.17g", (double)v[i]);
  fputc('\n', f);
}

static void ivec(FILE *f, const char *name, const int32_t *v, size_t n) {
  fprintf(f, "%s %zu", name, n);
  for (size_t i = 0; i < n; i++) fprintf(f, " %d", v[i]);
  fputc('\n', f);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: sl_twin_dump OUT.txt int|dcls|interp|membrane|wide|runs\n");
    return 2;
  }
  const int wide = !strcmp(argv[2], "wide"), runs = !strcmp(argv[2], "runs");
  const int interp = wide || runs || !strcmp(argv[2], "interp");
  const int dcls = interp || !strcmp(argv[2], "dcls");
  const int membrane = !strcmp(argv[2], "membrane"); /* the fine-tuning loss, integer delays */
  sl_train_cfg c;
  sl_train_cfg_default(&c);
  c.n_in = 8; c.n_hid = 12; c.n_layers = 2; c.n_out = 5; c.steps = 30; c.taps = 7;
  c.batch = 4; c.dropout = 0.25f; c.init_gain = 3.0f; c.seed = 21;
  c.delay_mode = dcls ? SL_DELAY_DCLS : SL_DELAY_FIXED;
  c.dcls_kernel = interp ? SL_KERNEL_INTERP : SL_KERNEL_GAUSS;
  if (interp) c.kernel_radius = 2; /* truncation inside the range */
  if (wide) c.steps = 80, c.taps = 12, c.kernel_radius = 3; /* every centre's window >= 8 taps */
  if (runs) c.steps = 80, c.taps = 32, c.kernel_radius = 3; /* centres 6..25 have whole windows */
  if (membrane) c.qat_membrane = 1.5f, c.qat_readout_only = 0; /* all gradients are compared */
  const float sigma = wide ? 5.0f : runs ? 2.0f : dcls ? 1.1f : 0.0f;
  sl_dataset d;
  sl_err err;
  if (sl_data_synth(&d, 1, c.n_out, c.n_in, c.steps, c.in_scale, 3, &err)) return 1;
  sl_model m;
  if (sl_model_init(&m, &c, 1, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  if (membrane) m.phase = 1; /* the term applies in the fine-tuning phase */
  if (interp) /* away from the kinks at integers; one synapse per projection at each end */
    for (int p = 0; p < m.n_proj; p++) {
      for (int s = 0; s < m.proj[p].n_syn; s++) {
        const double P = m.params.pos[p][s];
        m.params.pos[p][s] = floor(P) + 0.1 + 0.8 * (P - floor(P));
      }
      m.params.pos[p][0] = 0;
      m.params.pos[p][1] = c.taps - 1;
    }
  const int B = c.batch;
  const uint8_t *pay[8];
  int32_t lab[8];
  for (int b = 0; b < B; b++) {
    pay[b] = d.pay + (size_t)b * c.steps * c.n_in;
    lab[b] = d.label[b];
  }
  const uint64_t seed = 777;
  sl_model_prepare(&m, sigma, 0);
  sl_stats st = {0};
  sl_model_batch(&m, pay, lab, B, 1, seed, &st);
  FILE *f = fopen(argv[1], "w");
  if (!f) return 1;
  fprintf(f, "cfg n_in %d n_hid %d n_layers %d n_out %d steps %d taps %d batch %d interp %d bits %d\n", c.n_in,
          c.n_hid, c.n_layers, c.n_out, c.steps, c.taps, B, interp, (int)(8 * sizeof(sl_real)));
  fprintf(f, "real membrane %.17g\n", membrane ? (double)c.qat_membrane : 0.0);
  fprintf(f, "real beta %.17g beta_out %.17g alpha %.17g sigma %.17g radius %.17g in_scale %.17g loss %.17g\n",
          sl_leak_q12(c.tau) / 4096.0, sl_leak_q12(c.tau_out) / 4096.0, (double)c.surr_alpha, (double)sigma,
          (double)c.kernel_radius, (double)c.in_scale, st.loss / B);
  for (int p = 0; p < m.n_proj; p++) {
    const sl_proj *q = &m.proj[p];
    int32_t *act = malloc(sizeof(int32_t) * q->n_syn);
    for (int s = 0; s < q->n_syn; s++) act[s] = q->active[s];
    ivec(f, "pre", q->pre, (size_t)q->n_syn);
    ivec(f, "post", q->post, (size_t)q->n_syn);
    ivec(f, "active", act, (size_t)q->n_syn);
    vec(f, "w", m.params.w[p], (size_t)q->n_syn);
    vec(f, "pos", m.params.pos[p], (size_t)q->n_syn);
    vec(f, "grad_w", m.grads.w[p], (size_t)q->n_syn);
    vec(f, "grad_pos", m.grads.pos[p], (size_t)q->n_syn);
    free(act);
  }
  sl_real *mask = malloc(sizeof(sl_real) * c.n_hid), *M = malloc(sizeof(sl_real) * c.n_out * c.steps);
  for (int b = 0; b < B; b++) {
    int32_t x[4096];
    for (int k = 0; k < c.steps * c.n_in; k++) x[k] = pay[b][k];
    ivec(f, "payload", x, (size_t)c.steps * c.n_in);
    ivec(f, "label", &lab[b], 1);
    for (int l = 0; l < c.n_layers; l++) {
      sl_model_dropout_mask(&m, seed, b, l, 1, mask);
      vec(f, "mask", mask, (size_t)c.n_hid);
    }
    /* forward of this sample alone with the same masks: the readout membranes */
    sl_real masks[4 * 256];
    for (int l = 0; l < c.n_layers; l++) sl_model_dropout_mask(&m, seed, b, l, 1, masks + l * c.n_hid);
    sl_model_sample(&m, pay[b], lab[b], masks, M, NULL);
    vec(f, "M", M, (size_t)c.n_out * c.steps);
  }
  fclose(f);
  free(mask);
  free(M);
  sl_model_free(&m);
  sl_data_free(&d);
  return 0;
}
