/* test_trainer_augment.c — the training-time augmentation (trainer/sl_augment.c): hand-made
 * grids with known shifts, the parameter ranges, determinism, and identity when off. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "sl_augment.h"

enum { T = 12, C = 6 };

START_TEST(identity_when_no_change) {
  uint8_t in[T * C], out[T * C];
  for (int k = 0; k < T * C; k++) in[k] = (uint8_t)(k * 37 % 256);
  sl_augment_apply(out, in, T, C, 1.0, 0.0, 0.0);
  ck_assert_mem_eq(out, in, sizeof in);
}
END_TEST

START_TEST(half_band_shift_splits_a_cell) {
  uint8_t in[T * C] = {0}, out[T * C];
  in[5 * C + 2] = 200;
  /* out[t][c] = in[t][c - 0.5]: band 2's value is read half by band 2 and half by band 3 */
  sl_augment_apply(out, in, T, C, 1.0, 0.0, 0.5);
  for (int t = 0; t < T; t++)
    for (int c = 0; c < C; c++) {
      const int want = (t == 5 && (c == 2 || c == 3)) ? 100 : 0;
      ck_assert_msg(out[t * C + c] == want, "t %d c %d: %d, want %d", t, c, out[t * C + c], want);
    }
}
END_TEST

START_TEST(edges_repeat_bands_and_silence_time) {
  uint8_t in[T * C], out[T * C];
  for (int t = 0; t < T; t++)
    for (int c = 0; c < C; c++) in[t * C + c] = (uint8_t)(10 * c + t + 1);
  /* shift up 2 bands and 3 steps later: bands 0, 1 repeat band 0; the first 3 steps are silent */
  sl_augment_apply(out, in, T, C, 1.0, 3.0, 2.0);
  for (int t = 0; t < T; t++)
    for (int c = 0; c < C; c++) {
      const int src_c = c - 2 < 0 ? 0 : c - 2, src_t = t - 3;
      const int want = src_t < 0 ? 0 : 10 * src_c + src_t + 1;
      ck_assert_msg(out[t * C + c] == want, "t %d c %d: %d, want %d", t, c, out[t * C + c], want);
    }
}
END_TEST

START_TEST(stretch_resamples_time) {
  uint8_t in[T * C] = {0}, out[T * C];
  for (int t = 0; t < T; t++) in[t * C] = (uint8_t)(20 * t);
  /* stretch 2: out[t] = in[t / 2]; odd t interpolate two neighbours: 20 * t / 2 = 10 t */
  sl_augment_apply(out, in, T, C, 2.0, 0.0, 0.0);
  for (int t = 0; t < T; t++) ck_assert_int_eq(out[t * C], 10 * t);
}
END_TEST

START_TEST(draws_in_range_and_deterministic) {
  sl_train_cfg c;
  sl_train_cfg_default(&c);
  c.aug_shift = 2.0f;
  c.aug_stretch = 0.1f;
  c.aug_time = 4.0f;
  ck_assert(sl_augment_on(&c));
  double lo[3] = {9, 9, 9}, hi[3] = {-9, -9, -9};
  for (int i = 0; i < 2000; i++) {
    double p[3], q[3];
    sl_augment_draw(&c, sl_augment_key(c.seed, i % 7, i), &p[0], &p[1], &p[2]);
    sl_augment_draw(&c, sl_augment_key(c.seed, i % 7, i), &q[0], &q[1], &q[2]);
    ck_assert(memcmp(p, q, sizeof p) == 0);
    p[0] = (p[0] - 1.0) / 0.1, p[1] /= 4.0, p[2] /= 2.0; /* each now in [-1, 1] */
    for (int k = 0; k < 3; k++) {
      ck_assert(p[k] >= -1.0 - 1e-6 && p[k] <= 1.0 + 1e-6);
      lo[k] = p[k] < lo[k] ? p[k] : lo[k];
      hi[k] = p[k] > hi[k] ? p[k] : hi[k];
    }
  }
  for (int k = 0; k < 3; k++) ck_assert_msg(lo[k] < -0.9 && hi[k] > 0.9, "draw %d spans [%g, %g]", k, lo[k], hi[k]);
  /* different epochs, different draws */
  double a[3], b[3];
  sl_augment_draw(&c, sl_augment_key(c.seed, 0, 5), &a[0], &a[1], &a[2]);
  sl_augment_draw(&c, sl_augment_key(c.seed, 1, 5), &b[0], &b[1], &b[2]);
  ck_assert(memcmp(a, b, sizeof a) != 0);
  sl_train_cfg_default(&c);
  ck_assert(!sl_augment_on(&c));
}
END_TEST

START_TEST(mask_silences_exactly_its_ranges) {
  uint8_t g[T * C];
  memset(g, 7, sizeof g);
  sl_augment_mask(g, T, C, 2, 2, 3, 4); /* bands 2-3 everywhere, steps 3-6 entirely */
  for (int t = 0; t < T; t++)
    for (int c = 0; c < C; c++) {
      const int want = (t >= 3 && t < 7) || c == 2 || c == 3 ? 0 : 7;
      ck_assert_msg(g[t * C + c] == want, "t %d c %d: %d, want %d", t, c, g[t * C + c], want);
    }
}
END_TEST

START_TEST(mask_draws_in_range_and_leave_the_rest) {
  sl_train_cfg c;
  sl_train_cfg_default(&c);
  c.aug_shift = 1.0f;
  c.aug_time = 2.0f;
  c.aug_fmask = 3;
  c.aug_tmask = 5;
  ck_assert(sl_augment_on(&c));
  int seen_f[4] = {0}, seen_t[6] = {0}, last_f0 = 0;
  uint8_t in[T * C], a[T * C], b[T * C];
  for (int k = 0; k < T * C; k++) in[k] = (uint8_t)(1 + k * 37 % 250);
  for (int i = 0; i < 2000; i++) {
    const uint64_t key = sl_augment_key(c.seed, i % 5, i);
    int32_t f0, fw, t0, tw, g0, gw, u0, uw;
    sl_augment_draw_masks(&c, T, C, key, &f0, &fw, &t0, &tw);
    sl_augment_draw_masks(&c, T, C, key, &g0, &gw, &u0, &uw);
    ck_assert(f0 == g0 && fw == gw && t0 == u0 && tw == uw);
    ck_assert(fw >= 0 && fw <= 3 && f0 >= 0 && f0 + fw <= C);
    ck_assert(tw >= 0 && tw <= 5 && t0 >= 0 && t0 + tw <= T);
    seen_f[fw]++, seen_t[tw]++, last_f0 = f0 > last_f0 ? f0 : last_f0;
    /* the masked sample = the unmasked one with the ranges silenced */
    sl_augment(a, in, T, C, &c, key);
    double st, ts, fs;
    sl_augment_draw(&c, key, &st, &ts, &fs);
    sl_augment_apply(b, in, T, C, st, ts, fs);
    sl_augment_mask(b, T, C, f0, fw, t0, tw);
    ck_assert_mem_eq(a, b, sizeof a);
  }
  for (int w = 0; w <= 3; w++) ck_assert_msg(seen_f[w] > 0, "band mask width %d never drawn", w);
  for (int w = 0; w <= 5; w++) ck_assert_msg(seen_t[w] > 0, "time mask width %d never drawn", w);
  ck_assert_int_eq(last_f0, C); /* a zero-width mask may start at C */
  /* masks off: the draw of the other parameters does not depend on them */
  double p[3], q[3];
  sl_augment_draw(&c, sl_augment_key(c.seed, 2, 9), &p[0], &p[1], &p[2]);
  c.aug_fmask = c.aug_tmask = 0;
  sl_augment_draw(&c, sl_augment_key(c.seed, 2, 9), &q[0], &q[1], &q[2]);
  ck_assert(memcmp(p, q, sizeof p) == 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("trainer_augment");
  TCase *tc = tcase_create("augment");
  tcase_add_test(tc, identity_when_no_change);
  tcase_add_test(tc, half_band_shift_splits_a_cell);
  tcase_add_test(tc, edges_repeat_bands_and_silence_time);
  tcase_add_test(tc, stretch_resamples_time);
  tcase_add_test(tc, draws_in_range_and_deterministic);
  tcase_add_test(tc, mask_silences_exactly_its_ranges);
  tcase_add_test(tc, mask_draws_in_range_and_leave_the_rest);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
