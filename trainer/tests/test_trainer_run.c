/* test_trainer_run.c — the trainer end to end: export onto the integer core agrees with the
 * quantised float network; a tiny run reaches a stated deployed accuracy; the same seed and
 * thread count give a byte-identical checkpoint; DEEP R keeps its budget and row capacity;
 * --init starts a run at another run's snapshot. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stddef.h>
#include "sl_crc32.h"
#include "sl_export.h"
#include "sl_image.h"
#include "sl_run.h"

static const char *tmpdir(void) {
  const char *t = getenv("SL_TMPDIR");
  return t ? t : "/tmp";
}

static void tiny_cfg(sl_train_cfg *c) {
  sl_train_cfg_default(c);
  c->n_hid = 64;
  c->batch = 32;
  c->epochs = 12;
  c->qat_epochs = 2;
  c->seed = 3;
}

static int read_all(const char *path, uint8_t **buf, size_t *len) {
  sl_err err;
  return sl_read_file(path, buf, len, &err) == SL_OK;
}

/* The float network with int8 weights and integer delays vs the C model on the same
 * samples: same decision on (almost) every sample. The float image differs only in the
 * leak's per-step rounding and the 24-bit saturation. */
START_TEST(export_agrees_with_c_model) {
  sl_train_cfg c;
  tiny_cfg(&c);
  c.epochs = 3;
  c.qat_epochs = 0;
  c.delay_mode = SL_DELAY_FIXED;
  sl_dataset d;
  sl_err err;
  ck_assert(sl_data_synth(&d, 10, 20, 40, 80, c.in_scale, 9, &err) == SL_OK);
  char dir[512];
  snprintf(dir, sizeof dir, "%s/trainer-export", tmpdir());
  sl_run_opts o = {.out_dir = dir, .threads = 2, .quiet = 1};
  sl_run_result r;
  ck_assert_msg(sl_train_run(&c, &d, &o, &r, &err) == SL_OK, "%s", err.msg);
  /* reload the checkpoint, quantise, and compare decisions sample by sample */
  char ck[600], img[600];
  snprintf(ck, sizeof ck, "%s/checkpoint.slc", dir);
  snprintf(img, sizeof img, "%s/model.slm", dir);
  sl_model m;
  ck_assert(sl_ckpt_load(&m, ck, 1, &err) == SL_OK);
  sl_model_restore(&m);
  sl_model_prepare(&m, 0, 1);
  sl_net *net = sl_net_new();
  ck_assert(sl_image_load(img, net, NULL, &err) == SL_OK);
  sl_core *core = sl_core_new();
  core->net = *net;
  sl_core_configure(core);
  int32_t all[1000];
  for (int i = 0; i < d.n; i++) all[i] = i;
  sl_eventset es = {0};
  ck_assert(sl_data_to_events(&d, all, d.n, &es, &err) == SL_OK);
  int agree = 0;
  for (int i = 0; i < d.n; i++) {
    int32_t pf;
    sl_model_sample(&m, d.pay + (size_t)i * 80 * 40, d.label[i], NULL, NULL, &pf);
    int32_t pc = sl_run_sample(core, &es, (uint32_t)i, NULL, NULL, NULL);
    agree += pf == pc;
  }
  fprintf(stderr, "export: float (int8, integer delays) and C model agree on %d of %d samples\n", agree, d.n);
  ck_assert_int_ge(agree, d.n * 97 / 100);
  /* the thresholds carry the hidden scale, leak is the spec's for tau = 10.05 */
  ck_assert_int_eq(net->pop[0].leak, 3688);
  ck_assert_int_gt(net->pop[0].threshold, 100);
  sl_events_free(&es);
  sl_core_free(core);
  sl_net_free(net);
  sl_model_free(&m);
  sl_data_free(&d);
}
END_TEST

/* The CI training run: 20 classes of synthetic spatio-temporal patterns, 64 hidden neurons,
 * DCLS delays, 12 + 2 epochs. It must reach 85 % deployed (C model) test accuracy. */
START_TEST(tiny_run_reaches_accuracy) {
  sl_train_cfg c;
  tiny_cfg(&c);
  sl_dataset d;
  sl_err err;
  ck_assert(sl_data_synth(&d, 30, 20, 40, 80, c.in_scale, 7, &err) == SL_OK);
  char dir[512];
  snprintf(dir, sizeof dir, "%s/trainer-tiny", tmpdir());
  sl_run_opts o = {.out_dir = dir, .threads = 2, .quiet = 1};
  sl_run_result r;
  const clock_t t0 = clock();
  ck_assert_msg(sl_train_run(&c, &d, &o, &r, &err) == SL_OK, "%s", err.msg);
  fprintf(stderr, "tiny run: deployed %.1f%%, float %.1f%%, best epoch %d, %.2f s/epoch, %.1f s CPU\n",
          100 * r.deployed_acc, 100 * r.test_acc_float, r.best_epoch, r.epoch_seconds,
          (double)(clock() - t0) / CLOCKS_PER_SEC);
  ck_assert_msg(r.deployed_acc >= 0.85, "deployed accuracy %.3f below 0.85", r.deployed_acc);
  ck_assert_msg(r.deployed_acc >= r.test_acc - 0.03, "deployed %.3f vs quantised float %.3f", r.deployed_acc,
                r.test_acc);
  sl_data_free(&d);
}
END_TEST

static void run_into_k(const char *name, uint64_t seed, int deepr, int kernel, uint8_t **buf, size_t *len) {
  sl_train_cfg c;
  tiny_cfg(&c);
  c.dcls_kernel = kernel;
  c.epochs = 2;
  c.qat_epochs = 1;
  c.seed = seed;
  if (deepr) {
    c.deepr = 1;
    c.sparsity = 0.75f;
    c.n_cand = 4;
    c.l1 = 1e-4f;
  }
  sl_dataset d;
  sl_err err;
  ck_assert(sl_data_synth(&d, 8, 20, 40, 80, c.in_scale, 7, &err) == SL_OK);
  char dir[512], ck[600];
  snprintf(dir, sizeof dir, "%s/%s", tmpdir(), name);
  snprintf(ck, sizeof ck, "%s/checkpoint.slc", dir);
  remove(ck);
  sl_run_opts o = {.out_dir = dir, .threads = 2, .quiet = 1};
  sl_run_result r;
  ck_assert_msg(sl_train_run(&c, &d, &o, &r, &err) == SL_OK, "%s", err.msg);
  ck_assert(read_all(ck, buf, len));
  sl_data_free(&d);
}

static void run_into(const char *name, uint64_t seed, int deepr, uint8_t **buf, size_t *len) {
  run_into_k(name, seed, deepr, SL_KERNEL_GAUSS, buf, len);
}

START_TEST(same_seed_same_checkpoint) {
  uint8_t *a, *b, *c;
  size_t la, lb, lc;
  run_into("trainer-det-a", 5, 0, &a, &la);
  run_into("trainer-det-b", 5, 0, &b, &lb);
  run_into("trainer-det-c", 6, 0, &c, &lc);
  ck_assert_uint_eq(la, lb);
  ck_assert_msg(memcmp(a, b, la) == 0, "same seed and threads: checkpoints differ");
  ck_assert_msg(la != lc || memcmp(a, c, la) != 0, "a different seed gave the same checkpoint");
  free(a); free(b); free(c);
}
END_TEST

/* the interp DCLS kernel (its own per-thread buffers and summation order) is deterministic too */
START_TEST(same_seed_same_checkpoint_interp) {
  uint8_t *a, *b, *g;
  size_t la, lb, lg;
  run_into_k("trainer-det-ia", 5, 0, SL_KERNEL_INTERP, &a, &la);
  run_into_k("trainer-det-ib", 5, 0, SL_KERNEL_INTERP, &b, &lb);
  run_into("trainer-det-g", 5, 0, &g, &lg);
  ck_assert_uint_eq(la, lb);
  ck_assert_msg(memcmp(a, b, la) == 0, "interp kernel, same seed and threads: checkpoints differ");
  ck_assert_msg(la != lg || memcmp(a, g, la) != 0, "interp and gauss kernels gave the same checkpoint");
  free(a); free(b); free(g);
}
END_TEST

START_TEST(deepr_keeps_budget_and_rows) {
  uint8_t *a, *b;
  size_t la, lb;
  run_into("trainer-deepr-a", 5, 1, &a, &la);
  run_into("trainer-deepr-b", 5, 1, &b, &lb);
  ck_assert_msg(la == lb && memcmp(a, b, la) == 0, "DEEP R run not deterministic");
  char ck[600];
  snprintf(ck, sizeof ck, "%s/trainer-deepr-a/checkpoint.slc", tmpdir());
  sl_model m;
  sl_err err;
  ck_assert(sl_ckpt_load(&m, ck, 1, &err) == SL_OK);
  for (int p = 0; p < m.n_proj; p++) {
    const sl_proj *q = &m.proj[p];
    int act = 0, wrong = 0;
    for (int i = 0; i < q->n_pre; i++) {
      int fill = 0;
      for (int s = q->row[i]; s < q->row[i + 1]; s++) {
        if (!q->active[s]) continue;
        fill++;
        act++;
        wrong += m.params.w[p][s] * q->sign[s] <= 0; /* sign kept (Dale) */
      }
      ck_assert_int_le(fill, q->row_cap);
    }
    fprintf(stderr, "deepr projection %d: %d active of %d candidates (budget %d), %d pruned in total\n", p, act,
            q->n_syn, q->budget, m.pruned_total);
    ck_assert_int_eq(act, q->budget);
    ck_assert_int_eq(wrong, 0);
  }
  /* Dale: one sign per presynaptic row */
  for (int i = 0; i < m.proj[0].n_pre; i++)
    for (int s = m.proj[0].row[i]; s < m.proj[0].row[i + 1]; s++)
      ck_assert_int_eq(m.proj[0].sign[s], m.proj[0].sign[m.proj[0].row[i]]);
  ck_assert_int_gt(m.pruned_total, 0);
  sl_model_free(&m);
  free(a); free(b);
}
END_TEST

/* --init: a new run (other seed, fixed delays) starts at the source's best snapshot exactly,
 * evaluates the same, and a run of another shape is refused with the reason. */
START_TEST(init_from_starts_at_snapshot) {
  uint8_t *a;
  size_t la;
  run_into("trainer-init-src", 5, 0, &a, &la);
  free(a);
  char ck[600];
  snprintf(ck, sizeof ck, "%s/trainer-init-src/checkpoint.slc", tmpdir());
  sl_model src, m;
  sl_err err;
  ck_assert(sl_ckpt_load(&src, ck, 1, &err) == SL_OK);
  sl_train_cfg c;
  tiny_cfg(&c);
  c.seed = 9;
  c.delay_mode = SL_DELAY_FIXED;
  ck_assert(sl_model_init(&m, &c, 1, &err) == SL_OK);
  ck_assert_msg(memcmp(m.params_mem, src.best_mem, m.n_params * sizeof(sl_real)) != 0, "seeds 5 and 9 start equal");
  ck_assert_msg(sl_model_init_from(&m, ck, &err) == SL_OK, "%s", err.msg);
  ck_assert_msg(memcmp(m.params_mem, src.best_mem, m.n_params * sizeof(sl_real)) == 0, "weights, delays not copied");
  ck_assert_msg(memcmp(m.best_mem, src.best_mem, m.n_params * sizeof(sl_real)) == 0, "snapshot not taken");
  sl_dataset d;
  ck_assert(sl_data_synth(&d, 8, 20, 40, 80, c.in_scale, 7, &err) == SL_OK);
  int32_t n;
  int32_t *te = sl_data_split(&d, SL_SPLIT_TEST, &n);
  sl_model_restore(&src);
  sl_model_prepare(&src, 0, 0);
  sl_model_prepare(&m, 0, 0);
  m.phase = src.phase; /* the source ended in fine-tuning, whose loss adds the membrane term */
  sl_stats s1, s2;
  sl_model_eval(&src, &d, te, n, &s1);
  sl_model_eval(&m, &d, te, n, &s2);
  ck_assert_int_eq(s1.correct, s2.correct);
  ck_assert_msg(s1.loss == s2.loss, "loss %g vs %g", s1.loss, s2.loss);
  sl_model_free(&m);
  /* other shapes: refused, naming the checkpoint and the reason */
  c.n_hid = 32;
  ck_assert(sl_model_init(&m, &c, 1, &err) == SL_OK);
  ck_assert(sl_model_init_from(&m, ck, &err) == SL_ERR_ARG);
  ck_assert_ptr_nonnull(strstr(err.msg, "trainer-init-src/checkpoint.slc"));
  ck_assert_ptr_nonnull(strstr(err.msg, "network sizes differ"));
  sl_model_free(&m);
  c.n_hid = 64;
  c.taps = 20;
  ck_assert(sl_model_init(&m, &c, 1, &err) == SL_OK);
  ck_assert(sl_model_init_from(&m, ck, &err) == SL_ERR_ARG);
  ck_assert_ptr_nonnull(strstr(err.msg, "taps"));
  sl_model_free(&m);
  free(te);
  sl_data_free(&d);
  sl_model_free(&src);
}
END_TEST

/* A version-4 checkpoint (its configuration ends at seed) loads, the fields added since
 * zero; other versions are refused. The version-4 bytes are made from a version-5 one by
 * hand: the 8 configuration bytes of the masks cut out, header fields and CRC fixed. */
START_TEST(version4_checkpoint_loads) {
  sl_train_cfg c;
  tiny_cfg(&c);
  c.n_hid = 16;
  c.aug_fmask = 3;
  c.aug_tmask = 5;
  sl_model m;
  sl_err err;
  ck_assert_msg(sl_model_init(&m, &c, 1, &err) == SL_OK, "%s", err.msg);
  uint8_t *v5;
  size_t n5;
  ck_assert(sl_ckpt_encode(&m, &v5, &n5, &err) == SL_OK);
  const size_t cut = 64 + offsetof(sl_train_cfg, aug_fmask), n4 = n5 - 8;
  uint8_t *v4 = malloc(n5);
  memcpy(v4, v5, cut);
  memcpy(v4 + cut, v5 + cut + 8, n5 - cut - 8);
  uint16_t ver = 4;
  uint32_t cfg_size, crc = 0;
  uint64_t total = n4;
  memcpy(&cfg_size, v4 + 8, 4);
  ck_assert_uint_eq(cfg_size, sizeof(sl_train_cfg));
  cfg_size -= 8;
  memcpy(v4 + 4, &ver, 2);
  memcpy(v4 + 8, &cfg_size, 4);
  memcpy(v4 + 24, &total, 8);
  memcpy(v4 + 12, &crc, 4);
  crc = sl_crc32(0, v4, n4);
  memcpy(v4 + 12, &crc, 4);
  sl_model r;
  ck_assert_msg(sl_ckpt_decode(&r, v4, n4, "v4.slc", 1, &err) == SL_OK, "%s", err.msg);
  ck_assert_int_eq(r.cfg.aug_fmask, 0);
  ck_assert_int_eq(r.cfg.aug_tmask, 0);
  ck_assert_int_eq(r.cfg.n_hid, 16);
  ck_assert(r.cfg.seed == c.seed);
  ck_assert_uint_eq(r.n_params, m.n_params);
  ck_assert_mem_eq(r.params_mem, m.params_mem, m.n_params * sizeof(sl_real));
  sl_model_free(&r);
  /* the version-5 bytes load with their masks */
  ck_assert(sl_ckpt_decode(&r, v5, n5, "v5.slc", 1, &err) == SL_OK);
  ck_assert_int_eq(r.cfg.aug_fmask, 3);
  ck_assert_int_eq(r.cfg.aug_tmask, 5);
  sl_model_free(&r);
  /* version 3 with the same bytes: refused by version */
  ver = 3;
  memcpy(v4 + 4, &ver, 2);
  ck_assert(sl_ckpt_decode(&r, v4, n4, "v3.slc", 1, &err) == SL_ERR_VERSION);
  ck_assert_msg(strstr(err.msg, "v3.slc: checkpoint version 3"), "%s", err.msg);
  free(v4);
  free(v5);
  sl_model_free(&m);
}
END_TEST

int main(void) {
  Suite *s = suite_create("trainer_run");
  TCase *tc = tcase_create("run");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, export_agrees_with_c_model);
  tcase_add_test(tc, version4_checkpoint_loads);
  tcase_add_test(tc, tiny_run_reaches_accuracy);
  tcase_add_test(tc, same_seed_same_checkpoint);
  tcase_add_test(tc, same_seed_same_checkpoint_interp);
  tcase_add_test(tc, deepr_keeps_budget_and_rows);
  tcase_add_test(tc, init_from_starts_at_snapshot);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int nf = srunner_ntests_failed(sr);
  srunner_free(sr);
  return nf ? 1 : 0;
}
