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

int main(void) {
  Suite *s = suite_create("trainer_augment");
  TCase *tc = tcase_create("augment");
  tcase_add_test(tc, identity_when_no_change);
  tcase_add_test(tc, half_band_shift_splits_a_cell);
  tcase_add_test(tc, edges_repeat_bands_and_silence_time);
  tcase_add_test(tc, stretch_resamples_time);
  tcase_add_test(tc, draws_in_range_and_deterministic);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
