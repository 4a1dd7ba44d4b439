/* test_trainer_grad.c — finite-difference checks of every gradient of the trainer, built in
 * double (SL_REAL_DOUBLE). The spike output is the smooth arctan step whose derivative is
 * the surrogate (cfg.smooth = 1) while the reset uses the hard spike, exactly as the
 * backward assumes; so central differences of the loss must equal the backward's
 * gradients for the weights of every projection (delay layer backward, LIF surrogate path
 * through a second hidden layer, readout, loss) and for the DCLS positions. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_data.h"
#include "sl_train.h"

#define B 3

static sl_dataset data;
static const uint8_t *pay[B];
static int32_t lab[B];

static void setup(void) {
  sl_err err;
  ck_assert_int_eq(sl_data_synth(&data, 1, 4, 6, 24, 1.584f / 255, 5, &err), SL_OK);
  for (int b = 0; b < B; b++) {
    pay[b] = data.pay + (size_t)b * 24 * 6;
    lab[b] = data.label[b];
  }
}

static void teardown(void) { sl_data_free(&data); }

static void small_cfg(sl_train_cfg *c, int mode) {
  sl_train_cfg_default(c);
  c->n_in = 6;
  c->n_hid = 7;
  c->n_layers = 2;
  c->n_out = 4;
  c->steps = 24;
  c->taps = 6;
  c->batch = B;
  c->dropout = 0.3f; /* masks are a function of (seed, sample): identical in every evaluation */
  c->delay_mode = mode;
  c->kernel_radius = 50; /* whole kernel: no truncation edges inside the differences */
  c->smooth = 1;
  c->init_gain = 3.0f;   /* enough drive that hidden neurons cross the threshold */
  c->seed = 11;
}

static double loss_of(sl_model *m, float sigma) {
  sl_stats st = {0};
  sl_model_prepare(m, sigma, 0);
  sl_model_batch(m, pay, lab, B, 1, 1234, &st);
  return st.loss / B;
}

/* Compare d loss / d theta[k] for every k of a tensor. Error of an entry = |fd - g| relative
 * to the tensor's largest gradient (entries can be legitimately ~0); returns the worst. */
static double check_tensor(sl_model *m, sl_real *theta, const sl_real *grad_snapshot, int n, float sigma,
                           const char *what, double *gmax_out) {
  double worst = 0, gmax = 0;
  double *fd = malloc(sizeof(double) * (size_t)n);
  for (int k = 0; k < n; k++) {
    const double h = 1e-5, save = theta[k];
    theta[k] = save + h;
    const double lp = loss_of(m, sigma);
    theta[k] = save - h;
    const double lm = loss_of(m, sigma);
    theta[k] = save;
    fd[k] = (lp - lm) / (2 * h);
    gmax = fmax(gmax, fabs(grad_snapshot[k]));
  }
  for (int k = 0; k < n; k++) {
    const double err = fabs(fd[k] - grad_snapshot[k]) / fmax(gmax, 1e-300);
    if (err > worst) worst = err;
    if (err > 1e-5) fprintf(stderr, "%s[%d]: backward %.10g, finite difference %.10g\n", what, k, grad_snapshot[k], fd[k]);
  }
  free(fd);
  *gmax_out = gmax;
  return worst;
}

/* membrane > 0: the fine-tuning phase's hardware-rule term (m.phase = 1); < 0: the same term
 * with weight -membrane in the main phase (--membrane) */
static void check_model_full(int mode, float sigma, int kernel, float membrane) {
  sl_train_cfg c;
  small_cfg(&c, mode);
  c.dcls_kernel = kernel;
  if (membrane > 0) c.qat_membrane = membrane; /* applies in the fine-tuning phase (m.phase = 1 below) */
  if (membrane < 0) c.membrane = -membrane;
  c.qat_readout_only = 0;    /* every projection's gradient, not only the readout's */
  if (kernel == SL_KERNEL_INTERP) c.kernel_radius = 2; /* truncated basis: p never moves its edges */
  sl_model m;
  sl_err err;
  ck_assert_msg(sl_model_init(&m, &c, 1, &err) == SL_OK, "%s", err.msg);
  if (membrane > 0) m.phase = 1;
  if (kernel == SL_KERNEL_INTERP) /* the kernel has kinks at integer positions: stay 0.1 away */
    for (int p = 0; p < m.n_proj; p++)
      for (int s = 0; s < m.proj[p].n_syn; s++) {
        const double P = m.params.pos[p][s], f = P - floor(P);
        m.params.pos[p][s] = floor(P) + 0.1 + 0.8 * f;
      }
  loss_of(&m, sigma);
  sl_real *g = malloc(sizeof(sl_real) * m.n_params);
  memcpy(g, m.grads_mem, sizeof(sl_real) * m.n_params);
  /* the network must be alive: hidden spikes present, gradients not all zero */
  sl_stats st = {0};
  sl_model_prepare(&m, sigma, 0);
  sl_model_batch(&m, pay, lab, B, 1, 1234, &st);
  double gnorm = 0;
  for (size_t k = 0; k < m.n_params; k++) gnorm += (double)g[k] * g[k];
  ck_assert_msg(gnorm > 1e-12, "all gradients are zero");
  for (int p = 0; p < m.n_proj; p++) {
    char what[64];
    double gmax;
    snprintf(what, sizeof what, "w[%d]", p);
    const sl_real *gw = g + (m.params.w[p] - m.params_mem);
    double worst = check_tensor(&m, m.params.w[p], gw, m.proj[p].n_syn, sigma, what, &gmax);
    fprintf(stderr, "delays %d sigma %.2f: %-6s %3d weights,   max |grad| %.3e, worst error %.2e\n", mode, sigma, what,
            m.proj[p].n_syn, gmax, worst);
    ck_assert_msg(gmax > 1e-6, "%s: gradients vanish (%.3g): the check would prove nothing", what, gmax);
    ck_assert_msg(worst < 1e-5, "%s: error %.3g", what, worst);
    if (mode == SL_DELAY_DCLS) {
      snprintf(what, sizeof what, "pos[%d]", p);
      const sl_real *gp = g + (m.params.pos[p] - m.params_mem);
      worst = check_tensor(&m, m.params.pos[p], gp, m.proj[p].n_syn, sigma, what, &gmax);
      fprintf(stderr, "delays %d sigma %.2f: %-6s %3d positions, max |grad| %.3e, worst error %.2e\n", mode, sigma,
              what, m.proj[p].n_syn, gmax, worst);
      ck_assert_msg(gmax > 1e-6, "%s: gradients vanish (%.3g)", what, gmax);
      ck_assert_msg(worst < 1e-5, "%s: error %.3g", what, worst);
    }
  }
  free(g);
  sl_model_free(&m);
}

static void check_model_kernel(int mode, float sigma, int kernel) { check_model_full(mode, sigma, kernel, 0); }
static void check_model(int mode, float sigma) { check_model_kernel(mode, sigma, SL_KERNEL_GAUSS); }

/* the fine-tuning loss: summed-softmax CE + 2 x CE of the mean readout membrane */
START_TEST(weights_membrane_loss) { check_model_full(SL_DELAY_FIXED, 0, SL_KERNEL_GAUSS, 2.0f); }
END_TEST

/* the same term in the main phase, with learned positions: it is applied (the loss grows by
 * 2 x a positive cross-entropy) and its gradients are right */
START_TEST(positions_membrane_main_phase) {
  sl_train_cfg c;
  small_cfg(&c, SL_DELAY_DCLS);
  sl_model m;
  sl_err err;
  ck_assert_msg(sl_model_init(&m, &c, 1, &err) == SL_OK, "%s", err.msg);
  const double l0 = loss_of(&m, 1.3f);
  m.cfg.membrane = 2.0f;
  const double l2 = loss_of(&m, 1.3f);
  ck_assert_msg(l2 > l0 + 1e-3, "main-phase membrane term not applied: loss %.9g vs %.9g", l2, l0);
  sl_model_free(&m);
  check_model_full(SL_DELAY_DCLS, 1.3f, SL_KERNEL_INTERP, -2.0f);
}
END_TEST

START_TEST(weights_integer_delays) { check_model(SL_DELAY_FIXED, 0); }
END_TEST

START_TEST(weights_and_positions_dcls) { check_model(SL_DELAY_DCLS, 1.3f); }
END_TEST

START_TEST(weights_and_positions_dcls_narrow) { check_model(SL_DELAY_DCLS, 0.5f); }
END_TEST

START_TEST(weights_and_positions_interp) { check_model_kernel(SL_DELAY_DCLS, 1.3f, SL_KERNEL_INTERP); }
END_TEST

START_TEST(weights_and_positions_interp_narrow) { check_model_kernel(SL_DELAY_DCLS, 0.5f, SL_KERNEL_INTERP); }
END_TEST

START_TEST(weights_and_positions_interp_wide) { check_model_kernel(SL_DELAY_DCLS, 12.0f, SL_KERNEL_INTERP); }
END_TEST

/* The layers one by one against hand-derived values. */
/* The three decision rules on membranes where each picks a different class (worked by hand):
 * class 0 has one huge step (largest sum), class 1 leads two steps (most votes), class 2 is
 * a close second on those and leads the last step (largest summed softmax: 1.95 vs 1.05, 1). */
/* Fine-tuning the readout only: the readout's gradient is the full backward's, the hidden
 * projections get none (the backward stops at the readout). */
START_TEST(readout_only_backward) {
  sl_train_cfg c;
  small_cfg(&c, SL_DELAY_FIXED);
  c.qat_membrane = 2.0f;
  sl_model full, ro;
  sl_err err;
  c.qat_readout_only = 0;
  ck_assert_msg(sl_model_init(&full, &c, 1, &err) == SL_OK, "%s", err.msg);
  c.qat_readout_only = 1;
  ck_assert_msg(sl_model_init(&ro, &c, 1, &err) == SL_OK, "%s", err.msg);
  full.phase = ro.phase = 1;
  loss_of(&full, 0);
  loss_of(&ro, 0);
  const int L = full.n_proj - 1;
  double gsum = 0;
  for (int s = 0; s < full.proj[L].n_syn; s++) {
    ck_assert(full.grads.w[L][s] == ro.grads.w[L][s]);
    gsum += fabs(full.grads.w[L][s]);
  }
  ck_assert(gsum > 0);
  for (int p = 0; p < L; p++) {
    double hid = 0, hid_full = 0;
    for (int s = 0; s < full.proj[p].n_syn; s++) hid += fabs(ro.grads.w[p][s]), hid_full += fabs(full.grads.w[p][s]);
    ck_assert_msg(hid == 0 && hid_full > 0, "projection %d: %g (full backward %g)", p, hid, hid_full);
  }
  sl_model_free(&full);
  sl_model_free(&ro);
}
END_TEST

/* Straight-through delays (--ste-frac): the forward is exactly the deployed integer delay
 * (loss and weight gradients equal the integer path's, positions rounding down or up), and
 * a position's gradient is the slope of the loss towards the next delay: for a position at
 * an integer c0 that is the right derivative of the interp kernel at c0, whose gradient the
 * finite-difference checks above cover (sigma 0.01: a one-tap basis, pure interpolation). */
static void ste_vs_integer(double frac) {
  sl_train_cfg c;
  small_cfg(&c, SL_DELAY_DCLS);
  c.dcls_kernel = SL_KERNEL_INTERP;
  sl_model m;
  sl_err err;
  ck_assert_msg(sl_model_init(&m, &c, 1, &err) == SL_OK, "%s", err.msg);
  for (int p = 0; p < m.n_proj; p++) /* c0 + frac, c0 <= taps - 2 */
    for (int s = 0; s < m.proj[p].n_syn; s++)
      m.params.pos[p][s] = (sl_real)(fmin(floor(m.params.pos[p][s]), c.taps - 2) + frac);
  const size_t n = m.n_params;
  sl_real *gi = malloc(sizeof(sl_real) * n);
  const double li = loss_of(&m, 0);
  memcpy(gi, m.grads_mem, sizeof(sl_real) * n);
  m.ste = 1;
  const double ls = loss_of(&m, 0);
  m.ste = 0;
  ck_assert_msg(fabs(ls - li) < 1e-12 * fabs(li), "ste loss %.15g, integer %.15g", ls, li);
  double gmax = 0;
  for (int p = 0; p < m.n_proj; p++) {
    const sl_real *a = m.grads.w[p], *b = gi + (m.params.w[p] - m.params_mem);
    for (int s = 0; s < m.proj[p].n_syn; s++) {
      ck_assert_msg(fabs(a[s] - b[s]) < 1e-12 + 1e-9 * fabs(b[s]), "w[%d][%d]: %g vs %g", p, s, a[s], b[s]);
      gmax = fmax(gmax, fabs(m.grads.pos[p][s]));
    }
  }
  ck_assert_msg(gmax > 1e-6, "straight-through position gradients vanish");
  if (frac < 0.5) { /* round down: the slope at c0 */
    sl_real *gs = malloc(sizeof(sl_real) * n);
    memcpy(gs, m.grads_mem, sizeof(sl_real) * n);
    for (int p = 0; p < m.n_proj; p++)
      for (int s = 0; s < m.proj[p].n_syn; s++) m.params.pos[p][s] = (sl_real)floor(m.params.pos[p][s]);
    const double l0 = loss_of(&m, 0.01f);
    ck_assert_msg(fabs(l0 - li) < 1e-12 * fabs(li), "interp at c0: loss %.15g, integer %.15g", l0, li);
    for (int p = 0; p < m.n_proj; p++) {
      const sl_real *a = gs + (m.params.pos[p] - m.params_mem);
      for (int s = 0; s < m.proj[p].n_syn; s++)
        ck_assert_msg(fabs(a[s] - m.grads.pos[p][s]) < 1e-12 + 1e-9 * fabs(a[s]), "pos[%d][%d]: %g vs interp %g", p,
                      s, a[s], m.grads.pos[p][s]);
    }
    free(gs);
  }
  free(gi);
  sl_model_free(&m);
}

START_TEST(straight_through_round_down) { ste_vs_integer(0.3); }
END_TEST

START_TEST(straight_through_round_up) { ste_vs_integer(0.7); }
END_TEST

/* DEEP R with --regrow-every 3: pruning every step, regrowth (and the RigL gradients of the
 * dormant candidates) every third step, which refills the budget exactly. */
START_TEST(deepr_regrow_every) {
  sl_train_cfg c;
  small_cfg(&c, SL_DELAY_FIXED);
  c.smooth = 0;
  c.deepr = 1;
  c.n_cand = 2;
  c.sparsity = 0.5f;
  c.regrow_every = 3;
  sl_model m;
  sl_err err;
  ck_assert_msg(sl_model_init(&m, &c, 1, &err) == SL_OK, "%s", err.msg);
  size_t nd = m.dorm_off[m.n_proj - 1] + (size_t)m.proj[m.n_proj - 1].n_syn;
  int below = 0;
  for (int k = 0; k < 12; k++) {
    loss_of(&m, 0);
    double gd = 0;
    for (size_t i = 0; i < nd; i++) gd += fabs(m.gdorm[i]);
    const int regrow = (m.step + 1) % 3 == 0;
    ck_assert_msg(regrow ? gd > 0 : gd == 0, "step %d: dormant gradient sum %g", (int)m.step + 1, gd);
    sl_model_update(&m, 0.2f, 0, 0); /* large steps: weights cross zero and are pruned */
    for (int p = 0; p < m.n_proj; p++) {
      int act = 0;
      for (int s = 0; s < m.proj[p].n_syn; s++) act += m.proj[p].active[s];
      if (regrow) ck_assert_msg(act == m.proj[p].budget, "step %d proj %d: %d active, budget %d", (int)m.step, p,
                                act, m.proj[p].budget);
      else ck_assert_int_le(act, m.proj[p].budget);
      below += act < m.proj[p].budget;
    }
  }
  ck_assert_msg(m.pruned_total > 0 && below > 0, "no pruning between regrowth steps: the test proves nothing");
  sl_model_free(&m);
}
END_TEST

START_TEST(decision_rules) {
  enum { R = 3, T = 4 };
  const int S = sl_stride(T);
  static const double v[R][T] = {{100, -10, -10, -10}, {-10, 2, 2, -10}, {-10, 1.9, 1.9, 1.9}};
  sl_real *M = calloc((size_t)R * S, sizeof(sl_real));
  for (int k = 0; k < R; k++)
    for (int t = 0; t < T; t++) M[(size_t)k * S + t] = (sl_real)v[k][t];
  int32_t pred = -1;
  sl_loss_forward_backward(NULL, M, 0, R, T, 1, &pred, SL_RULE_HARDWARE);
  ck_assert_int_eq(pred, 0);
  sl_loss_forward_backward(NULL, M, 0, R, T, 1, &pred, SL_RULE_VOTE);
  ck_assert_int_eq(pred, 1);
  sl_loss_forward_backward(NULL, M, 0, R, T, 1, &pred, SL_RULE_SOFTMAX);
  ck_assert_int_eq(pred, 2);
  free(M);
}
END_TEST

START_TEST(lif_semantics) {
  /* one neuron, T = 6: constant input 0.6 with beta = 0.5: V = 0.6, 0.9, 1.05 -> spike at the
   * step after V >= 1 (decided from V before that step's input), then reset to zero */
  const int T = 6, S = sl_stride(T);
  sl_real *buf = calloc((size_t)S + 2 * SL_BORDER, sizeof(sl_real)) , *I = buf + SL_BORDER;
  sl_real V[256], h[256];
  uint8_t s[256];
  for (int t = 0; t < T; t++) I[t] = 0.6;
  sl_lif_forward(V, s, h, I, NULL, 1, T, 0.5, 5, 0);
  const double eV[6] = {0.6, 0.9, 1.05, 0, 0.6, 0.9};
  const int es[6] = {0, 0, 0, 1, 0, 0};
  for (int t = 0; t < T; t++) {
    ck_assert_double_eq_tol(V[t], eV[t], 1e-12);
    ck_assert_int_eq(s[t], es[t]);
  }
  free(buf);
}
END_TEST

START_TEST(delay_semantics) {
  /* an input value at step t through delay d is consumed at step t + 1 + d (spec §4) */
  sl_train_cfg c;
  sl_train_cfg_default(&c);
  c.n_in = 1; c.n_hid = 1; c.n_out = 2; c.steps = 10; c.taps = 4; c.delay_mode = SL_DELAY_FIXED;
  sl_model m;
  sl_err err;
  ck_assert(sl_model_init(&m, &c, 1, &err) == SL_OK);
  m.params.w[0][0] = 2;
  m.params.pos[0][0] = 3;
  sl_model_prepare(&m, 0, 0);
  const int S = sl_stride(10);
  sl_real *xb = calloc((size_t)S + 2 * SL_BORDER, sizeof(sl_real)), *x = xb + SL_BORDER;
  sl_real *yb = calloc((size_t)S + 2 * SL_BORDER, sizeof(sl_real)), *y = yb + SL_BORDER;
  x[2] = 1.5;
  sl_delay_forward(y, x, NULL, NULL, &m.proj[0], 10);
  for (int t = 0; t < 10; t++) ck_assert_double_eq_tol(y[t], t == 6 ? 3.0 : 0.0, 1e-12);
  free(xb);
  free(yb);
  sl_model_free(&m);
}
END_TEST

int main(void) {
  Suite *s = suite_create("trainer_grad");
  TCase *tc = tcase_create("finite_differences");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, weights_integer_delays);
  tcase_add_test(tc, weights_and_positions_dcls);
  tcase_add_test(tc, weights_and_positions_dcls_narrow);
  tcase_add_test(tc, weights_and_positions_interp);
  tcase_add_test(tc, weights_and_positions_interp_narrow);
  tcase_add_test(tc, weights_and_positions_interp_wide);
  tcase_add_test(tc, weights_membrane_loss);
  tcase_add_test(tc, positions_membrane_main_phase);
  tcase_add_test(tc, readout_only_backward);
  tcase_add_test(tc, straight_through_round_down);
  tcase_add_test(tc, straight_through_round_up);
  tcase_add_test(tc, deepr_regrow_every);
  tcase_add_test(tc, decision_rules);
  tcase_add_test(tc, lif_semantics);
  tcase_add_test(tc, delay_semantics);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int nf = srunner_ntests_failed(sr);
  srunner_free(sr);
  return nf ? 1 : 0;
}
