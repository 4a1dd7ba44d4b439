/* test_fe_shd.c — SHD files: half-float conversion against hand-computed bit patterns, a
 * write/read round trip of the real layout with float16 times (checked through HDF5's own
 * type API), binning with pooling, errors for files that are not SHD, the guard's limits and
 * the parent's decoding of the guard child's reply (sl_fe_shd_decode_reply). */
#include <check.h>
#include <hdf5.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sl_fe_shd.h"

static char tmpdir[512];

START_TEST(half_bits) {
  /* sign | 5-bit exponent (bias 15) | 10-bit mantissa */
  ck_assert_uint_eq(sl_fe_half_from_float(1.0f), 0x3C00);       /* 0 01111 0000000000 */
  ck_assert_uint_eq(sl_fe_half_from_float(-2.0f), 0xC000);
  ck_assert_uint_eq(sl_fe_half_from_float(0.5f), 0x3800);
  ck_assert_uint_eq(sl_fe_half_from_float(65504.0f), 0x7BFF);   /* largest finite */
  ck_assert_uint_eq(sl_fe_half_from_float(70000.0f), 0x7C00);   /* overflow -> inf */
  ck_assert_uint_eq(sl_fe_half_from_float(0.1f), 0x2E66);       /* 0.0999755859375 */
  ck_assert_uint_eq(sl_fe_half_from_float(5.9604645e-8f), 0x0001); /* 2^-24, smallest subnormal */
  ck_assert_uint_eq(sl_fe_half_from_float(1e-9f), 0x0000);
  ck_assert_uint_eq(sl_fe_half_from_float(1.0f + 1.0f / 2048.0f), 0x3C00); /* tie -> even */
  ck_assert_uint_eq(sl_fe_half_from_float(1.0f + 3.0f / 2048.0f), 0x3C02); /* tie -> even */
  ck_assert_float_eq(sl_fe_half_to_float(0x3C00), 1.0f);
  ck_assert_float_eq(sl_fe_half_to_float(0x2E66), 0.0999755859375f);
  ck_assert_float_eq(sl_fe_half_to_float(0x0001), 5.9604644775390625e-8f);
  ck_assert(isinf(sl_fe_half_to_float(0x7C00)));
}
END_TEST

/* 3 samples: 4, 0 and 3 spikes */
static void make(sl_fe_shd *s) {
  sl_err e;
  ck_assert_int_eq(sl_fe_shd_alloc(s, 3, 7, &e), SL_OK);
  static const float t[7] = {0.0f, 0.0123f, 0.5f, 1.375f, 0.00999f, 0.0301f, 0.79f};
  static const uint16_t u[7] = {0, 699, 4, 5, 9, 10, 14};
  memcpy(s->times, t, sizeof t);
  memcpy(s->units, u, sizeof u);
  s->off[0] = 0, s->off[1] = 4, s->off[2] = 4, s->off[3] = 7;
  s->label[0] = 3, s->label[1] = 17, s->label[2] = 19;
  s->speaker[0] = 0, s->speaker[1] = 4, s->speaker[2] = 11;
}

START_TEST(round_trip) {
  sl_fe_shd a, b;
  sl_err e;
  char path[600];
  snprintf(path, sizeof path, "%s/shd-roundtrip.h5", tmpdir);
  make(&a);
  ck_assert_msg(sl_fe_shd_write(path, &a, &e) == SL_OK, "%s", e.msg);
  ck_assert_msg(sl_fe_shd_read(path, &b, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(b.n, 3);
  for (int i = 0; i <= 3; i++) ck_assert_uint_eq(b.off[i], a.off[i]);
  for (int k = 0; k < 7; k++) {
    ck_assert_uint_eq(b.units[k], a.units[k]);
    /* what a float16 holds: the value rounded to 11 significant bits */
    float want = sl_fe_half_to_float(sl_fe_half_from_float(a.times[k]));
    ck_assert_msg(b.times[k] == want, "spike %d: read %.9g, want %.9g", k, b.times[k], want);
    ck_assert(fabsf(b.times[k] - a.times[k]) <= a.times[k] / 2048.0f);
  }
  ck_assert_float_eq(b.times[2], 0.5f);       /* exactly representable */
  ck_assert_float_eq(b.times[3], 1.375f);
  for (int i = 0; i < 3; i++) {
    ck_assert_uint_eq(b.label[i], a.label[i]);
    ck_assert_uint_eq(b.speaker[i], a.speaker[i]);
  }
  /* the stored type really is a 2-byte float inside a variable-length sequence */
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(f, "spikes/times", H5P_DEFAULT);
  hid_t t = H5Dget_type(d), base = H5Tget_super(t);
  ck_assert_int_eq(H5Tget_class(t), H5T_VLEN);
  ck_assert_int_eq(H5Tget_class(base), H5T_FLOAT);
  ck_assert_uint_eq(H5Tget_size(base), 2);
  ck_assert_uint_eq(H5Tget_ebias(base), 15);
  H5Tclose(base), H5Tclose(t), H5Dclose(d);
  ck_assert_int_ge(H5Lexists(f, "extra/keys", H5P_DEFAULT), 1);
  H5Fclose(f);
  sl_fe_shd_free(&a);
  sl_fe_shd_free(&b);
}
END_TEST

START_TEST(binning) {
  sl_fe_shd s;
  sl_err e;
  make(&s);
  float out[80 * 140];
  uint64_t dropped = 9;
  /* sample 0 at dt 10 ms, 700 units pooled by 5: t 0 -> step 0 ch 0; 0.0123 -> step 1
   * ch 139; 0.5 -> step 50 ch 0 (unit 4); 1.375 -> past 80 steps, dropped */
  ck_assert_int_eq(sl_fe_shd_bin(&s, 0, 0.01, 80, 700, 5, out, &dropped, &e), SL_OK);
  ck_assert_uint_eq(dropped, 1);
  double total = 0.0;
  for (int i = 0; i < 80 * 140; i++) total += out[i];
  ck_assert_double_eq(total, 3.0);
  ck_assert_float_eq(out[0 * 140 + 0], 1.0f);
  ck_assert_float_eq(out[1 * 140 + 139], 1.0f);
  ck_assert_float_eq(out[50 * 140 + 0], 1.0f);
  /* sample 2: 0.00999 -> step 0, units 9/5=1; 0.0301 -> step 3, 10/5=2; 0.79 -> step 79 */
  ck_assert_int_eq(sl_fe_shd_bin(&s, 2, 0.01, 80, 700, 5, out, &dropped, &e), SL_OK);
  ck_assert_uint_eq(dropped, 0);
  ck_assert_float_eq(out[0 * 140 + 1], 1.0f);
  ck_assert_float_eq(out[3 * 140 + 2], 1.0f);
  ck_assert_float_eq(out[79 * 140 + 2], 1.0f);
  /* pool 1 with too few units: unit 14 >= 12 */
  ck_assert_int_eq(sl_fe_shd_bin(&s, 2, 0.01, 80, 12, 1, out, NULL, &e), SL_ERR_RANGE);
  ck_assert_int_eq(sl_fe_shd_bin(&s, 3, 0.01, 80, 700, 5, out, NULL, &e), SL_ERR_RANGE);
  sl_fe_shd_free(&s);
}
END_TEST

START_TEST(not_shd) {
  sl_fe_shd s;
  sl_err e;
  char path[600];
  snprintf(path, sizeof path, "%s/not-hdf5.h5", tmpdir);
  FILE *f = fopen(path, "wb");
  fputs("this is not HDF5\n", f);
  fclose(f);
  ck_assert_int_eq(sl_fe_shd_read(path, &s, &e), SL_ERR_MAGIC);
  ck_assert_ptr_nonnull(strstr(e.msg, path));
  ck_assert_ptr_nonnull(strstr(e.msg, "not an HDF5 file"));
  /* HDF5, but without the SHD datasets */
  snprintf(path, sizeof path, "%s/empty.h5", tmpdir);
  hid_t h = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(h);
  ck_assert_int_eq(sl_fe_shd_read(path, &s, &e), SL_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(e.msg, "spikes/times"));
  snprintf(path, sizeof path, "%s/no-such.h5", tmpdir);
  ck_assert_int_eq(sl_fe_shd_read(path, &s, &e), SL_ERR_IO);
}
END_TEST

/* The guard's limits: a file libhdf5 spins on is killed at the time limit; a file larger
 * than the memory limit is refused as such (by the child's RLIMIT_AS, or by the parent's
 * size check in ASan builds, where the child has no RLIMIT_AS). */
START_TEST(guard_limits) {
  sl_fe_shd s;
  sl_err e;
  sl_fe_shd_limits lim = {0.5, 0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ck_assert_int_eq(sl_fe_shd_read_limited(SL_TEST_DATA "/bad/shd_slow.h5", &s, &lim, &e), SL_ERR_TIMEOUT);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  ck_assert_msg(secs < 5.0, "took %.2f s", secs);
  ck_assert_msg(strstr(e.msg, "shd_slow.h5: timed out after 0.5 s"), "%s", e.msg);
  ck_assert_ptr_null(s.off);
  /* 2000 samples x 100 spikes: 1.2 MB of arrays against a 256 KiB limit */
  sl_fe_shd big;
  ck_assert_int_eq(sl_fe_shd_alloc(&big, 2000, 200000, &e), SL_OK);
  for (uint32_t i = 0; i < 2000; i++) {
    big.off[i + 1] = big.off[i] + 100;
    big.label[i] = (uint16_t)(i % 20);
    for (uint64_t k = big.off[i]; k < big.off[i + 1]; k++) {
      big.times[k] = (float)(k - big.off[i]) * 0.01f;
      big.units[k] = (uint16_t)(k % 700);
    }
  }
  char path[600];
  snprintf(path, sizeof path, "%s/shd-big.h5", tmpdir);
  ck_assert_msg(sl_fe_shd_write(path, &big, &e) == SL_OK, "%s", e.msg);
  lim.timeout_s = 10.0;
  lim.mem_bytes = 256 << 10;
  ck_assert_msg(sl_fe_shd_read_limited(path, &s, &lim, &e) == SL_ERR_NOMEM, "%s", e.msg);
  ck_assert_msg(strstr(e.msg, path) && strstr(e.msg, "memory limit (0.25 MiB)"), "%s", e.msg);
  /* with the defaults it reads back */
  ck_assert_msg(sl_fe_shd_read(path, &s, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(s.off[2000], 200000);
  sl_fe_shd_free(&s);
  sl_fe_shd_free(&big);
}
END_TEST

/* A child's reply as the guard's wire format has it (frontend/sl_fe_shd_guard.c): head
 * (magic, status, n, total, 384-byte message), then off[n + 1], times, units, label,
 * speaker. Two samples, three spikes; returns its length. */
static size_t make_reply(unsigned char *b, int32_t code, const char *msg) {
  memset(b, 0, 512);
  memcpy(b, "SLSHDG1", 8);
  uint32_t n = code == SL_OK ? 2 : 0;
  uint64_t total = code == SL_OK ? 3 : 0;
  memcpy(b + 8, &code, 4);
  memcpy(b + 12, &n, 4);
  memcpy(b + 16, &total, 8);
  if (msg) memcpy(b + 24, msg, strlen(msg));
  size_t k = 408;
  if (code != SL_OK) return k;
  const uint64_t off[3] = {0, 2, 3};
  const float times[3] = {0.1f, 0.25f, 0.05f};
  const uint16_t units[3] = {1, 699, 3}, label[2] = {0, 19}, speaker[2] = {1, 2};
  memcpy(b + k, off, sizeof off), k += sizeof off;
  memcpy(b + k, times, sizeof times), k += sizeof times;
  memcpy(b + k, units, sizeof units), k += sizeof units;
  memcpy(b + k, label, sizeof label), k += sizeof label;
  memcpy(b + k, speaker, sizeof speaker), k += sizeof speaker;
  return k;
}

static void expect_reply_refused(const unsigned char *b, size_t len, int ws, sl_status want, const char *words) {
  const sl_fe_shd_limits lim = {1.0, 1u << 20};
  sl_fe_shd s;
  sl_err e;
  sl_err_clear(&e);
  ck_assert_int_eq(sl_fe_shd_decode_reply("x.h5", b, len, ws, &lim, &s, &e), want);
  ck_assert_msg(strncmp(e.msg, "x.h5: ", 6) == 0 && strstr(e.msg, words), "%s", e.msg);
  ck_assert_ptr_null(s.off);
}

/* The parent's decoding of the child's reply, without a child: accepted as sent, and every
 * way a reply or the child's end can go wrong refused with a line naming the file. */
START_TEST(guard_reply_decoding) {
  unsigned char b[512];
  size_t len = make_reply(b, SL_OK, NULL);
  const sl_fe_shd_limits lim = {1.0, 1u << 20};
  sl_fe_shd s;
  sl_err e;
  ck_assert_msg(sl_fe_shd_decode_reply("x.h5", b, len, 0, &lim, &s, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(s.n, 2);
  ck_assert_uint_eq(s.off[2], 3);
  ck_assert_uint_eq(s.units[1], 699);
  ck_assert_uint_eq(s.label[1], 19);
  ck_assert_uint_eq(s.speaker[1], 2);
  ck_assert(s.times[2] == 0.05f);
  sl_fe_shd_free(&s);
  expect_reply_refused(b, len - 1, 0, SL_ERR_PARSE, "crashed reading it (exit status 0)");  /* cut short */
  expect_reply_refused(b, len, 11, SL_ERR_PARSE, "crashed reading it (signal 11");
  expect_reply_refused(b, len, 3 << 8, SL_ERR_PARSE, "exit status 3");
  expect_reply_refused(b, len, SIGXCPU, SL_ERR_TIMEOUT, "timed out");
  unsigned char c[512];
  memcpy(c, b, len);
  c[0] = 'X'; /* not the magic */
  expect_reply_refused(c, len, 0, SL_ERR_PARSE, "crashed");
  memcpy(c, b, len);
  const uint32_t n_big = 100000000u; /* 1.2 GB of arrays against 1 MiB */
  memcpy(c + 12, &n_big, 4);
  expect_reply_refused(c, len, 0, SL_ERR_NOMEM, "memory limit (1 MiB) reached: 100000000 samples");
  memcpy(c, b, len);
  const uint64_t off2 = 2;
  memcpy(c + 408 + 16, &off2, 8); /* off[2] = 2, total 3 */
  expect_reply_refused(c, len, 0, SL_ERR_PARSE, "inconsistent spike counts");
  memcpy(c, b, len);
  const uint16_t unit700 = 700;
  memcpy(c + 408 + 24 + 12 + 2, &unit700, 2);
  expect_reply_refused(c, len, 0, SL_ERR_RANGE, "unit 700");
  /* the child's own refusal is passed on; one that does not name the file gets its name,
   * and control characters become spaces */
  len = make_reply(b, SL_ERR_PARSE, "x.h5: 'labels' must be 1-D");
  expect_reply_refused(b, len, 0, SL_ERR_PARSE, "x.h5: 'labels' must be 1-D");
  len = make_reply(b, SL_ERR_RANGE, "bad\tvalue\nsecond line");
  expect_reply_refused(b, len, 0, SL_ERR_RANGE, "x.h5: bad value second line");
  len = make_reply(b, SL_ERR_PARSE, "x.h5:"); /* the name, but no message after it */
  expect_reply_refused(b, len, 0, SL_ERR_PARSE, "x.h5: x.h5:");
  len = make_reply(b, SL_ERR_NOMEM, NULL);
  expect_reply_refused(b, len, 0, SL_ERR_NOMEM, "memory limit (1 MiB) reached reading it");
}
END_TEST

/* Offsets that rise past the arrays and fall back to their size at the end (off[n] = the
 * spike count, as the guard requires): the check must refuse them before it walks a sample
 * past the arrays (fuzz_shd_reply found the parent reading past them). The arrays here are
 * longer than off[n] says, with a bad unit behind it, so that a walk past off[n] shows. */
START_TEST(check_offsets_before_walking) {
  sl_fe_shd s;
  sl_err e;
  ck_assert_int_eq(sl_fe_shd_alloc(&s, 2, 100, &e), SL_OK);
  for (int k = 3; k < 100; k++) s.units[k] = 9999;
  s.off[1] = 50;
  s.off[2] = 3;
  ck_assert_int_eq(sl_fe_shd_check("x.h5", &s, &e), SL_ERR_RANGE);
  ck_assert_msg(strstr(e.msg, "x.h5: sample 1: spike offsets decrease"), "%s", e.msg);
  sl_fe_shd_free(&s);
}
END_TEST

int main(void) {
  const char *t = getenv("SL_TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s", t ? t : "/tmp");
  Suite *s = suite_create("frontend-shd");
  TCase *tc = tcase_create("shd");
  tcase_add_test(tc, half_bits);
  tcase_add_test(tc, round_trip);
  tcase_add_test(tc, binning);
  tcase_add_test(tc, not_shd);
  tcase_add_test(tc, guard_limits);
  tcase_add_test(tc, guard_reply_decoding);
  tcase_add_test(tc, check_offsets_before_walking);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
