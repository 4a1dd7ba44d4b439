/* test_bad_input.c — the bad-input matrix of the host library (docs/spec.md §7, §8, §9): every
 * malformed model image, network description and event file is refused with its specific
 * sl_status code and a message naming the file, the field and the population or row/slot
 * (or the line). Corrupted images that are otherwise valid get their CRC recomputed, so the
 * field check — not the CRC check — is what is exercised. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sl_crc32.h"
#include "sl_events.h"
#include "sl_image.h"
#include "sl_netdesc.h"

static const char *tmp_path(const char *name) {
  static char buf[4][1024];
  static int k;
  const char *dir = getenv("SL_TMPDIR");
  char *p = buf[k++ & 3];
  snprintf(p, 1024, "%s/bad_%ld_%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
  return p;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xFFFF), put16(p + 2, v >> 16); }

/* Recompute the CRC of spec §8.1: the whole file with bytes 12..15 as zero. */
static void fix_crc(uint8_t *buf, size_t len) {
  memset(buf + 12, 0, 4);
  put32(buf + 12, sl_crc32(0, buf, len));
}

/* Decode and assert the code and that the message holds every given substring (NULL-ended).
 * Every message must also start with the name of the image. */
static void expect_v(const uint8_t *buf, size_t len, sl_status code, va_list ap) {
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_err e;
  sl_err_clear(&e);
  sl_status s = sl_image_decode(buf, len, "bad.slm", n, &nm, &e);
  ck_assert_msg(s == code, "status %d (%s), want %d (%s); message: %s", s, sl_strerror(s), code, sl_strerror(code), e.msg);
  ck_assert_int_eq(e.code, code);
  ck_assert_msg(!strncmp(e.msg, "bad.slm: ", 9), "message does not name the file: %s", e.msg);
  for (const char *sub; (sub = va_arg(ap, const char *));)
    ck_assert_msg(strstr(e.msg, sub) != NULL, "message '%s' lacks '%s'", e.msg, sub);
  sl_net_free(n);
}
static void expect(const uint8_t *buf, size_t len, sl_status code, ...) {
  va_list ap;
  va_start(ap, code);
  expect_v(buf, len, code, ap);
  va_end(ap);
}

/* The base image: 3 inputs, pops "hidden" (3, L 3688, θ 100, zero, spiking) and "out"
 * (2, L 4096, θ 1, zero, readout), D = 8, C = 4. S = 8 sources.
 * pop_size = 64, syn_offset = 128, syn_size = 4·8·4 = 128, file_size = 256. */
enum { BASE_SIZE = 256, POP0 = 64, POP1 = 96, SYN = 128 };
static uint8_t base[BASE_SIZE];

static void make_base(void) {
  sl_net *n = sl_net_new();
  sl_names nm;
  memset(&nm, 0, sizeof nm);
  n->n_inputs = 3;
  n->n_neurons = 5;
  n->n_pops = 2;
  n->depth = 8;
  n->row_cap = 4;
  n->pop[0] = (sl_pop){3, 3688, 100, SL_RESET_ZERO, SL_POP_SPIKING};
  n->pop[1] = (sl_pop){2, 4096, 1, SL_RESET_ZERO, SL_POP_READOUT};
  strcpy(nm.pop[0], "hidden");
  strcpy(nm.pop[1], "out");
  n->syn[0] = sl_syn_pack(0, 10, 0);
  n->syn[1 * 4 + 2] = sl_syn_pack(1, -5, 7);
  n->syn[3 * 4 + 0] = sl_syn_pack(3, 20, 1);
  n->syn[5 * 4 + 3] = sl_syn_pack(4, 1, 2);
  ck_assert_uint_eq(sl_image_size(n), BASE_SIZE);
  sl_image_encode(n, &nm, base);
  sl_net_free(n);
}

static uint8_t img[BASE_SIZE + 16];
static void fresh(void) { memcpy(img, base, BASE_SIZE); }
/* word (row, slot) of the table */
static uint8_t *entry(uint32_t row, uint32_t slot) { return img + SYN + 4 * (row * 4 + slot); }

START_TEST(base_is_valid) {
  fresh();
  sl_net *n = sl_net_new();
  sl_err e;
  ck_assert_int_eq(sl_image_decode(img, BASE_SIZE, "bad.slm", n, NULL, &e), SL_OK);
  sl_net_free(n);
}
END_TEST

/* ---- size, magic, version, file_size, CRC ----------------------------------------------------- */

START_TEST(truncated_every_short_length) {
  for (size_t len = 0; len < 64; len++) {
    fresh();
    expect(img, len, SL_ERR_TRUNCATED, "truncated", NULL);
  }
  /* one byte short of the real size: the header promises 256 bytes */
  fresh();
  expect(img, BASE_SIZE - 1, SL_ERR_TRUNCATED, "truncated", "256", "255", NULL);
  /* only the header of a larger file */
  expect(img, 64, SL_ERR_TRUNCATED, "truncated", NULL);
}
END_TEST

START_TEST(truncated_file) {
  fresh();
  const char *path = tmp_path("short.slm");
  FILE *f = fopen(path, "wb");
  fwrite(img, 1, BASE_SIZE - 1, f);
  fclose(f);
  sl_net *n = sl_net_new();
  sl_err e;
  ck_assert_int_eq(sl_image_load(path, n, NULL, &e), SL_ERR_TRUNCATED);
  ck_assert_ptr_nonnull(strstr(e.msg, path));
  /* a missing file is an I/O error naming it */
  unlink(path);
  ck_assert_int_eq(sl_image_load(path, n, NULL, &e), SL_ERR_IO);
  ck_assert_ptr_nonnull(strstr(e.msg, path));
  sl_net_free(n);
}
END_TEST

START_TEST(bad_magic) {
  fresh();
  img[3] = 'J'; /* "SLMJ" */
  expect(img, BASE_SIZE, SL_ERR_MAGIC, "magic", NULL);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_MAGIC, "magic", NULL);
  /* a text file is not an image */
  uint8_t text[80];
  memset(text, 'x', sizeof text);
  memcpy(text, "sl-events 1 channels 4 steps 10\n", 32);
  expect(text, sizeof text, SL_ERR_MAGIC, "magic", NULL);
}
END_TEST

START_TEST(wrong_major_version) {
  fresh();
  put16(img + 4, 2);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_VERSION, "version 2", NULL);
  fresh();
  put16(img + 4, 0);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_VERSION, "version 0", NULL);
}
END_TEST

START_TEST(bad_crc) {
  /* flip one payload byte: a weight byte in the table */
  fresh();
  entry(3, 0)[0] ^= 0x01;
  expect(img, BASE_SIZE, SL_ERR_CRC, "CRC", NULL);
  /* a flipped bit in a population record and in the last byte */
  fresh();
  img[POP1 + 18] ^= 0x80;
  expect(img, BASE_SIZE, SL_ERR_CRC, "CRC", NULL);
  fresh();
  img[BASE_SIZE - 1] ^= 0x40;
  expect(img, BASE_SIZE, SL_ERR_CRC, "CRC", NULL);
  /* the stored CRC itself damaged */
  fresh();
  img[14] ^= 0xFF;
  expect(img, BASE_SIZE, SL_ERR_CRC, "CRC", NULL);
  /* a header field damaged without fixing the CRC: the CRC is checked before the fields */
  fresh();
  put16(img + 22, 3);
  expect(img, BASE_SIZE, SL_ERR_CRC, "CRC", NULL);
}
END_TEST

START_TEST(file_size_mismatch) {
  /* file_size larger than the file: the file is truncated */
  fresh();
  put32(img + 8, BASE_SIZE + 4);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_TRUNCATED, "260", NULL);
  /* file_size smaller than the file */
  fresh();
  put32(img + 8, BASE_SIZE - 4);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_SIZE, "file_size 252", NULL);
  /* bytes appended after a valid image */
  fresh();
  memset(img + BASE_SIZE, 0, 16);
  expect(img, BASE_SIZE + 16, SL_ERR_SIZE, "file_size 256", NULL);
  /* file_size consistent with the file but not with the sections (16 extra zero bytes,
   * file_size 272, CRC over all 272) */
  fresh();
  memset(img + BASE_SIZE, 0, 16);
  put32(img + 8, BASE_SIZE + 16);
  fix_crc(img, BASE_SIZE + 16);
  expect(img, BASE_SIZE + 16, SL_ERR_SIZE, "272", NULL);
}
END_TEST

/* ---- header fields ---------------------------------------------------------------------------- */

static void header_case(uint32_t off, uint32_t value, int is32, sl_status code, const char *field, const char *val) {
  fresh();
  if (is32) put32(img + off, value);
  else put16(img + off, value);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, code, field, val, NULL);
}

START_TEST(header_fields) {
  header_case(16, 0, 0, SL_ERR_HEADER, "n_inputs", "n_inputs 0");
  header_case(16, 1025, 0, SL_ERR_HEADER, "n_inputs", "n_inputs 1025");
  header_case(16, 65535, 0, SL_ERR_HEADER, "n_inputs", "65535");
  header_case(18, 0, 0, SL_ERR_HEADER, "n_neurons", "n_neurons 0");
  header_case(18, 1025, 0, SL_ERR_HEADER, "n_neurons", "n_neurons 1025");
  header_case(20, 0, 0, SL_ERR_HEADER, "n_pops", "n_pops 0");
  header_case(20, 9, 0, SL_ERR_HEADER, "n_pops", "n_pops 9");
  header_case(22, 0, 0, SL_ERR_HEADER, "depth", "depth 0");
  header_case(22, 1, 0, SL_ERR_HEADER, "depth", "depth 1"); /* a power of two, below 2 */
  header_case(22, 3, 0, SL_ERR_HEADER, "depth", "depth 3");
  header_case(22, 24, 0, SL_ERR_HEADER, "depth", "depth 24"); /* the seed's used delays, not a power of two */
  header_case(22, 64, 0, SL_ERR_HEADER, "depth", "depth 64");
  header_case(24, 0, 0, SL_ERR_HEADER, "row_cap", "row_cap 0");
  header_case(24, 3, 0, SL_ERR_HEADER, "row_cap", "row_cap 3");
  header_case(24, 2048, 0, SL_ERR_HEADER, "row_cap", "row_cap 2048");
  /* sizes each legal but S·C = (1024 + 5)·512 = 526,848 > 262,144 */
  fresh();
  put16(img + 16, 1024);
  put16(img + 24, 512);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "1029 sources", "262144", NULL);
  /* n_neurons legal but not the populations' sum: the section sizes no longer fit
   * (S = 3 + 6 = 9, syn_size should be 144) */
  header_case(18, 6, 0, SL_ERR_HEADER, "syn_size", "144");
  /* section offsets and sizes */
  header_case(28, 65, 1, SL_ERR_HEADER, "pop_offset", "pop_offset 65");
  header_case(32, 32, 1, SL_ERR_HEADER, "pop_size", "pop_size 32");
  header_case(36, 64, 1, SL_ERR_HEADER, "syn_offset", "syn_offset 64");
  header_case(40, 132, 1, SL_ERR_HEADER, "syn_size", "syn_size 132");
  /* reserved header bytes */
  header_case(26, 1, 0, SL_ERR_RESERVED, "reserved", NULL);
  header_case(60, 0x01000000u, 1, SL_ERR_RESERVED, "reserved", NULL);
}
END_TEST

/* ---- the recorded input scale (spec §8.1, version minor 1) --------------------------------------- */

static void scale_case(uint32_t minor, uint32_t bits) {
  fresh();
  put16(img + 6, minor);
  put32(img + 44, bits);
  fix_crc(img, BASE_SIZE);
}

static float decoded_scale(void) {
  sl_net *n = sl_net_new();
  sl_image_meta meta = {.in_scale = -7};
  sl_err e;
  sl_err_clear(&e);
  ck_assert_msg(sl_image_decode_meta(img, BASE_SIZE, "bad.slm", n, NULL, &meta, &e) == SL_OK, "%s", e.msg);
  sl_net_free(n);
  return meta.in_scale;
}

START_TEST(input_scale_field) {
  /* minor 0: bytes 44..47 are reserved, and nothing is recorded */
  scale_case(0, 0x3F800000u);
  expect(img, BASE_SIZE, SL_ERR_RESERVED, "reserved", NULL);
  fresh();
  ck_assert(decoded_scale() == 0.0f);
  /* minor 1 (and any later minor): the feature value of payload 1 */
  scale_case(1, 0x3BCB8C0Fu);
  ck_assert(decoded_scale() == 1.584f / 255.0f);
  scale_case(1, 0);
  ck_assert(decoded_scale() == 0.0f);
  scale_case(5, 0x3F800000u);
  ck_assert(decoded_scale() == 1.0f);
  scale_case(1, 0x00000001u); /* a subnormal is finite and positive */
  ck_assert(decoded_scale() > 0.0f);
  /* not finite, or negative: refused naming the file and the field */
  scale_case(1, 0x7FC00000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "in_scale", "not finite", "NaN", NULL);
  scale_case(1, 0x7F800000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "in_scale", "not finite", "infinity", NULL);
  scale_case(2, 0xFF800000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "in_scale", "not finite", NULL);
  scale_case(1, 0xBF800000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "in_scale", "-1 is negative", NULL);
  scale_case(1, 0x80000000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "in_scale", "negative", NULL);
  /* bytes 48..63 stay reserved in minor 1 */
  scale_case(1, 0x3F800000u);
  put32(img + 48, 1);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_RESERVED, "reserved", NULL);
}
END_TEST

/* The writer: a recorded scale gives minor 1 and reads back bit for bit; none gives the
 * minor-0 image of earlier builds; a scale a reader would refuse is never written. */
START_TEST(input_scale_write) {
  sl_net *n = sl_net_new(), *m = sl_net_new();
  sl_names nm;
  sl_err e;
  ck_assert_int_eq(sl_image_decode(base, BASE_SIZE, "base", n, &nm, &e), SL_OK);
  uint8_t buf[BASE_SIZE];
  const sl_image_meta none = {0}, rec = {.in_scale = 0.0123f};
  sl_image_encode_meta(n, &nm, &none, buf);
  ck_assert_mem_eq(buf, base, BASE_SIZE); /* minor 0, as earlier builds wrote it */
  sl_image_encode_meta(n, &nm, &rec, buf);
  ck_assert_int_eq(buf[6], 1);
  sl_image_meta back = {0};
  ck_assert_int_eq(sl_image_decode_meta(buf, BASE_SIZE, "rec", m, NULL, &back, &e), SL_OK);
  ck_assert(back.in_scale == 0.0123f);
  const char *path = tmp_path("scale.slm");
  unlink(path);
  ck_assert_int_eq(sl_image_save_meta(path, n, &nm, &rec, &e), SL_OK);
  back.in_scale = 0;
  ck_assert_int_eq(sl_image_load_meta(path, m, NULL, &back, &e), SL_OK);
  ck_assert(back.in_scale == 0.0123f);
  unlink(path);
  const sl_image_meta nan_scale = {.in_scale = __builtin_nanf("")}, neg = {.in_scale = -2.0f};
  ck_assert_int_eq(sl_image_save_meta(path, n, &nm, &nan_scale, &e), SL_ERR_HEADER);
  ck_assert_ptr_nonnull(strstr(e.msg, path));
  ck_assert_ptr_nonnull(strstr(e.msg, "not finite"));
  ck_assert_int_eq(sl_image_save_meta(path, n, &nm, &neg, &e), SL_ERR_HEADER);
  ck_assert_ptr_nonnull(strstr(e.msg, "negative"));
  ck_assert_int_eq(access(path, F_OK), -1); /* nothing written */
  sl_net_free(n);
  sl_net_free(m);
}
END_TEST

/* ---- the recorded front-end recipe (spec §8.1, version minor 2) ------------------------------------ */

static void recipe_case(uint32_t minor, uint32_t band, uint32_t top_bits) {
  fresh();
  put16(img + 6, minor);
  put32(img + 48, band);
  put32(img + 52, top_bits);
  fix_crc(img, BASE_SIZE);
}

static sl_image_meta decoded_meta(void) {
  sl_net *n = sl_net_new();
  sl_image_meta meta = {.in_scale = -7, .band_limit = 7, .top_db = -7};
  sl_err e;
  sl_err_clear(&e);
  ck_assert_msg(sl_image_decode_meta(img, BASE_SIZE, "bad.slm", n, NULL, &meta, &e) == SL_OK, "%s", e.msg);
  sl_net_free(n);
  return meta;
}

START_TEST(recipe_fields) {
  /* minor 2 (and later): band limit at 48, top_db at 52 */
  recipe_case(2, 4000, 0x42480000u); /* 50.0f */
  sl_image_meta m = decoded_meta();
  ck_assert_uint_eq(m.band_limit, 4000);
  ck_assert(m.top_db == 50.0f && m.in_scale == 0.0f);
  ck_assert(sl_image_meta_has_recipe(&m));
  recipe_case(7, 10254, 0x447A0000u); /* the maxima: 10254 Hz, 1000 dB */
  m = decoded_meta();
  ck_assert(m.band_limit == 10254 && m.top_db == 1000.0f);
  recipe_case(2, 0, 0); /* minor 2 recording nothing */
  m = decoded_meta();
  ck_assert(!sl_image_meta_has_recipe(&m) && m.band_limit == 0 && m.top_db == 0.0f);
  fresh(); /* minor 0 and 1: nothing recorded */
  m = decoded_meta();
  ck_assert(m.band_limit == 0 && m.top_db == 0.0f && m.in_scale == 0.0f);
  /* out of the front end's range, not finite or negative: refused naming the file and field */
  recipe_case(2, 999, 0);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "band_limit 999 Hz", "1000..10254", NULL);
  recipe_case(2, 10255, 0);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "band_limit 10255", NULL);
  recipe_case(2, 0xFFFFFFFFu, 0);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "band_limit 4294967295", NULL);
  recipe_case(2, 0, 0x7FC00000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "top_db nan", NULL);
  recipe_case(2, 0, 0x7F800000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "top_db inf", NULL);
  recipe_case(2, 4000, 0xC2480000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "top_db -50", NULL);
  recipe_case(2, 4000, 0x80000000u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "top_db -0", NULL);
  recipe_case(2, 0, 0x447A0001u);
  expect(img, BASE_SIZE, SL_ERR_HEADER, "top_db 1000", "(0, 1000]", NULL);
  /* below minor 2 the words are reserved; 56..63 always are */
  recipe_case(1, 4000, 0);
  expect(img, BASE_SIZE, SL_ERR_RESERVED, "reserved", NULL);
  recipe_case(1, 0, 0x42480000u);
  expect(img, BASE_SIZE, SL_ERR_RESERVED, "reserved", NULL);
  recipe_case(2, 4000, 0x42480000u);
  put32(img + 56, 1);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_RESERVED, "reserved", NULL);
}
END_TEST

/* The writer: a recipe gives minor 2 and reads back bit for bit (with or without a scale);
 * a scale alone stays minor 1; a recipe a reader would refuse is never written. */
START_TEST(recipe_write) {
  sl_net *n = sl_net_new(), *m = sl_net_new();
  sl_names nm;
  sl_err e;
  ck_assert_int_eq(sl_image_decode(base, BASE_SIZE, "base", n, &nm, &e), SL_OK);
  uint8_t buf[BASE_SIZE];
  const sl_image_meta scale_only = {.in_scale = 0.0123f}, rec = {.in_scale = 0.0038823529f, .band_limit = 4000,
                                                                  .top_db = 50.0f};
  sl_image_encode_meta(n, &nm, &scale_only, buf);
  ck_assert_int_eq(buf[6], 1);
  for (int i = 48; i < 64; i++) ck_assert_int_eq(buf[i], 0);
  sl_image_encode_meta(n, &nm, &rec, buf);
  ck_assert_int_eq(buf[6], 2);
  ck_assert(buf[48] == 0xA0 && buf[49] == 0x0F && buf[50] == 0 && buf[51] == 0); /* 4000 */
  ck_assert(buf[52] == 0 && buf[53] == 0 && buf[54] == 0x48 && buf[55] == 0x42); /* 50.0f */
  sl_image_meta back = {0};
  ck_assert_int_eq(sl_image_decode_meta(buf, BASE_SIZE, "rec", m, NULL, &back, &e), SL_OK);
  ck_assert(back.in_scale == rec.in_scale && back.band_limit == 4000 && back.top_db == 50.0f);
  const sl_image_meta top_only = {.top_db = 60.0f}; /* no scale, a recipe: minor 2 */
  sl_image_encode_meta(n, &nm, &top_only, buf);
  ck_assert_int_eq(buf[6], 2);
  ck_assert_int_eq(sl_image_decode_meta(buf, BASE_SIZE, "top", m, NULL, &back, &e), SL_OK);
  ck_assert(back.in_scale == 0.0f && back.band_limit == 0 && back.top_db == 60.0f);
  const char *path = tmp_path("recipe.slm");
  unlink(path);
  ck_assert_int_eq(sl_image_save_meta(path, n, &nm, &rec, &e), SL_OK);
  memset(&back, 0, sizeof back);
  ck_assert_int_eq(sl_image_load_meta(path, m, NULL, &back, &e), SL_OK);
  ck_assert(back.band_limit == 4000 && back.top_db == 50.0f);
  unlink(path);
  const sl_image_meta bad_band = {.band_limit = 500}, bad_top = {.top_db = __builtin_nanf("")};
  ck_assert_int_eq(sl_image_save_meta(path, n, &nm, &bad_band, &e), SL_ERR_HEADER);
  ck_assert_ptr_nonnull(strstr(e.msg, path));
  ck_assert_ptr_nonnull(strstr(e.msg, "band_limit 500"));
  ck_assert_int_eq(sl_image_save_meta(path, n, &nm, &bad_top, &e), SL_ERR_HEADER);
  ck_assert_ptr_nonnull(strstr(e.msg, "top_db"));
  ck_assert_int_eq(access(path, F_OK), -1); /* nothing written */
  sl_net_free(n);
  sl_net_free(m);
}
END_TEST

/* ---- populations ------------------------------------------------------------------------------ */

static void pop_case(uint32_t p, uint32_t off, uint32_t size, uint32_t value, sl_status code, const char *s1,
                     const char *s2) {
  fresh();
  uint8_t *r = img + POP0 + 32 * p + off;
  if (size == 1) r[0] = (uint8_t)value;
  else if (size == 2) put16(r, value);
  else put32(r, value);
  fix_crc(img, BASE_SIZE);
  char who[32];
  snprintf(who, sizeof who, "population %u", p);
  expect(img, BASE_SIZE, code, who, s1, s2, NULL);
}

START_TEST(population_fields) {
  pop_case(1, 16, 2, 0, SL_ERR_POP, "count is 0", NULL);
  pop_case(0, 18, 2, 4097, SL_ERR_POP, "leak 4097", NULL);
  pop_case(1, 18, 2, 65535, SL_ERR_POP, "leak 65535", NULL);
  pop_case(0, 20, 4, 0, SL_ERR_POP, "threshold 0", NULL);
  pop_case(1, 20, 4, 8388608, SL_ERR_POP, "threshold 8388608", NULL); /* 2^23 */
  pop_case(0, 20, 4, 0xFFFFFFFFu, SL_ERR_POP, "threshold -1", NULL);
  pop_case(1, 24, 1, 2, SL_ERR_POP, "reset", "2");
  pop_case(0, 25, 1, 0x04, SL_ERR_POP, "flag", "0x04");
  pop_case(1, 25, 1, 0x82, SL_ERR_POP, "flag", "0x82");
  pop_case(0, 26, 1, 1, SL_ERR_RESERVED, "reserved", NULL);
  pop_case(1, 31, 1, 0x10, SL_ERR_RESERVED, "reserved", NULL);
}
END_TEST

START_TEST(population_counts_not_summing) {
  /* hidden count 3 → 2: counts sum to 2 + 2 = 4, n_neurons is 5 */
  fresh();
  put16(img + POP0 + 16, 2);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_POP, "sum to 4", "n_neurons is 5", NULL);
  /* 3 → 4: sum 6 */
  fresh();
  put16(img + POP0 + 16, 4);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_POP, "sum to 6", NULL);
}
END_TEST

START_TEST(population_names) {
  /* "out" followed by a non-NUL byte after its terminator */
  fresh();
  img[POP1 + 5] = 'x';
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_POP, "population 1", "NUL-padded", NULL);
  /* duplicate: population 1 also called "hidden" */
  fresh();
  memcpy(img + POP1, "hidden\0\0", 8);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_POP, "population 1", "hidden", "twice", NULL);
  /* empty name */
  fresh();
  memset(img + POP0, 0, 16);
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_POP, "population 0", "empty", NULL);
  /* a control character */
  fresh();
  img[POP0 + 2] = 0x07;
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_POP, "population 0", "name", NULL);
  /* a byte above '~' */
  fresh();
  img[POP1 + 0] = 0xC3;
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_POP, "population 1", "name", NULL);
}
END_TEST

/* ---- synapse entries -------------------------------------------------------------------------- */

static void entry_case(uint32_t row, uint32_t slot, uint32_t word, sl_status code, const char *s1) {
  fresh();
  put32(entry(row, slot), word);
  fix_crc(img, BASE_SIZE);
  char where[48];
  snprintf(where, sizeof where, "row %u slot %u", row, slot);
  expect(img, BASE_SIZE, code, where, s1, NULL);
}

START_TEST(entry_fields) {
  /* target 5 = n_neurons: 0x80000000 | 5<<16 | 0<<8 | 1 */
  entry_case(3, 2, 0x80050001u, SL_ERR_TARGET, "target 5");
  entry_case(7, 3, 0x83FF0001u, SL_ERR_TARGET, "target 1023"); /* last row, last slot */
  /* delay 8 = depth: 0x80000000 | 0<<16 | 8<<8 | 1 */
  entry_case(1, 3, 0x80000801u, SL_ERR_DELAY, "delay 8");
  entry_case(0, 1, 0x80021F00u, SL_ERR_DELAY, "delay 31");
  /* overwrite a valid entry with a delay out of range */
  entry_case(1, 2, 0x80010805u, SL_ERR_DELAY, "delay 8");
  /* reserved bits 15:13 and 30:26 of a valid entry */
  entry_case(2, 0, 0x80002001u, SL_ERR_RESERVED, "reserved bits");
  entry_case(2, 1, 0x80008001u, SL_ERR_RESERVED, "reserved bits");
  entry_case(4, 0, 0x84000001u, SL_ERR_RESERVED, "reserved bits");
  entry_case(4, 1, 0xC0000001u, SL_ERR_RESERVED, "reserved bits");
  /* an invalid entry that is not the word 0 */
  entry_case(6, 3, 0x00000005u, SL_ERR_RESERVED, "not zero");
  entry_case(0, 0, 0x00010A0Au, SL_ERR_RESERVED, "not zero");
  entry_case(5, 1, 0x7FFFFFFFu, SL_ERR_RESERVED, "not zero");
}
END_TEST

START_TEST(entry_first_failure_reported) {
  /* two bad entries: the first in (row, slot) order is the one named */
  fresh();
  put32(entry(6, 0), 0x80050001u); /* target */
  put32(entry(2, 3), 0x80000901u); /* delay 9, earlier row */
  fix_crc(img, BASE_SIZE);
  expect(img, BASE_SIZE, SL_ERR_DELAY, "row 2 slot 3", "delay 9", NULL);
}
END_TEST

START_TEST(fanin_bound) {
  /* 1024 inputs, 1 neuron, C = 64: S·C = 1025·64 = 65,600 ≤ 262,144. Fill every input row
   * with entries onto neuron 0: fan-in = 1024·64 = 65,536 > 65,535. */
  sl_net *n = sl_net_new(), *m = sl_net_new();
  sl_names nm;
  memset(&nm, 0, sizeof nm);
  strcpy(nm.pop[0], "n");
  n->n_inputs = 1024;
  n->n_neurons = 1;
  n->n_pops = 1;
  n->depth = 32;
  n->row_cap = 64;
  n->pop[0] = (sl_pop){1, 4096, 1, SL_RESET_ZERO, SL_POP_SPIKING};
  for (uint32_t i = 0; i < 1024 * 64; i++) n->syn[i] = sl_syn_pack(0, (int8_t)(i & 0x7F), (uint8_t)(i % 32));
  const size_t size = sl_image_size(n);
  ck_assert_uint_eq(size, 64 + 32 + 4 * 65600);
  uint8_t *buf = malloc(size);
  sl_image_encode(n, &nm, buf);
  sl_err e;
  sl_err_clear(&e);
  ck_assert_int_eq(sl_image_decode(buf, size, "bad.slm", m, NULL, &e), SL_ERR_FANIN);
  ck_assert_ptr_nonnull(strstr(e.msg, "bad.slm: "));
  ck_assert_ptr_nonnull(strstr(e.msg, "neuron 0"));
  ck_assert_ptr_nonnull(strstr(e.msg, "65536"));
  ck_assert_int_eq(sl_net_validate(n, "v", &e), SL_ERR_FANIN);
  /* the image saver refuses too, and leaves no file */
  const char *path = tmp_path("fanin.slm");
  ck_assert_int_eq(sl_image_save(path, n, &nm, &e), SL_ERR_FANIN);
  ck_assert_int_ne(access(path, F_OK), 0);
  /* one entry fewer: 65,535 is legal */
  n->syn[1023 * 64 + 63] = 0;
  sl_image_encode(n, &nm, buf);
  ck_assert_int_eq(sl_image_decode(buf, size, "ok.slm", m, NULL, &e), SL_OK);
  /* a rewire adding a 65,536th entry is refused and names row and slot; rewriting an
   * existing entry onto the same neuron, or removing one, is fine */
  ck_assert_int_eq(sl_net_check_entry(n, 1023, 63, sl_syn_pack(0, 1, 0), "rw", &e), SL_ERR_FANIN);
  ck_assert_ptr_nonnull(strstr(e.msg, "row 1023 slot 63"));
  ck_assert_ptr_nonnull(strstr(e.msg, "65536"));
  ck_assert_int_eq(sl_net_check_entry(n, 1024, 0, sl_syn_pack(0, 1, 0), "rw", &e), SL_ERR_FANIN); /* neuron row */
  ck_assert_int_eq(sl_net_check_entry(n, 5, 5, sl_syn_pack(0, -128, 31), "rw", &e), SL_OK);
  ck_assert_int_eq(sl_net_check_entry(n, 5, 5, 0, "rw", &e), SL_OK);
  free(buf);
  sl_net_free(n);
  sl_net_free(m);
}
END_TEST

START_TEST(check_entry_ranges) {
  /* the single-entry check of a rewire (§4.1) on the base network: S = 8 sources, C = 4 */
  sl_net *n = sl_net_new();
  sl_err e;
  fresh();
  ck_assert_int_eq(sl_image_decode(img, BASE_SIZE, "b", n, NULL, &e), SL_OK);
  ck_assert_int_eq(sl_net_check_entry(n, 8, 0, sl_syn_pack(0, 1, 0), "rw", &e), SL_ERR_RANGE);
  ck_assert_ptr_nonnull(strstr(e.msg, "row 8"));
  ck_assert_int_eq(sl_net_check_entry(n, 2, 4, sl_syn_pack(0, 1, 0), "rw", &e), SL_ERR_RANGE);
  ck_assert_ptr_nonnull(strstr(e.msg, "slot 4"));
  ck_assert_int_eq(sl_net_check_entry(n, 2, 3, sl_syn_pack(5, 1, 0), "rw", &e), SL_ERR_TARGET);
  ck_assert_ptr_nonnull(strstr(e.msg, "row 2 slot 3"));
  ck_assert_int_eq(sl_net_check_entry(n, 2, 3, sl_syn_pack(4, 1, 8), "rw", &e), SL_ERR_DELAY);
  ck_assert_ptr_nonnull(strstr(e.msg, "delay 8"));
  ck_assert_int_eq(sl_net_check_entry(n, 2, 3, 0x80002001u, "rw", &e), SL_ERR_RESERVED);
  ck_assert_int_eq(sl_net_check_entry(n, 2, 3, 0x00000001u, "rw", &e), SL_ERR_RESERVED);
  ck_assert_int_eq(sl_net_check_entry(n, 2, 3, sl_syn_pack(4, -128, 7), "rw", &e), SL_OK);
  ck_assert_int_eq(sl_net_check_entry(n, 7, 3, 0, "rw", &e), SL_OK);
  sl_net_free(n);
}
END_TEST

/* ---- network descriptions (build) --------------------------------------------------------------- */

static void desc_case(const char *text, sl_status code, const char *s1, const char *s2) {
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_err e;
  sl_err_clear(&e);
  sl_status s = sl_netdesc_parse(text, "bad.sln", n, &nm, &e);
  ck_assert_msg(s == code, "status %d, want %d: %s", s, code, e.msg);
  ck_assert_msg(strstr(e.msg, s1) != NULL, "message '%s' lacks '%s'", e.msg, s1);
  if (s2) ck_assert_msg(strstr(e.msg, s2) != NULL, "message '%s' lacks '%s'", e.msg, s2);
  sl_net_free(n);
}

#define HEAD "inputs 2\ndepth 8\nrowcap 2\npop h 3 leak 4096 threshold 10 reset zero spiking\n"

START_TEST(desc_row_overflow) {
  /* rowcap 2: the third entry of row in:0 (line 7) overflows */
  desc_case(HEAD "syn in:0 h:0 weight 1 delay 0\nsyn in:0 h:1 weight 1 delay 0\nsyn in:0 h:2 weight 1 delay 0\n",
            SL_ERR_CAPACITY, "bad.sln:7:", "row in:0");
  /* a range that needs 3 entries in one row (line 5) */
  desc_case(HEAD "syn h:1 h:0-2 weight 1 delay 0\n", SL_ERR_CAPACITY, "bad.sln:5:", "row h:1");
  /* an explicit slot fills the row first */
  desc_case(HEAD "slot in:1 0 h:0 weight 1 delay 0\nslot in:1 1 h:1 weight 1 delay 0\nsyn in:1 h:2 weight 1 delay 0\n",
            SL_ERR_CAPACITY, "bad.sln:7:", "row in:1");
}
END_TEST

START_TEST(desc_other_errors) {
  desc_case(HEAD "syn in:0 h:0 weight 1 delay 8\n", SL_ERR_DELAY, "bad.sln:5:", "delay 8");
  desc_case(HEAD "syn in:0 h:0 weight 128 delay 0\n", SL_ERR_WEIGHT, "bad.sln:5:", "weight 128");
  desc_case(HEAD "syn in:0 h:0 weight -129 delay 0\n", SL_ERR_WEIGHT, "bad.sln:5:", "-129");
  desc_case(HEAD "syn in:0 h:3 weight 1 delay 0\n", SL_ERR_RANGE, "bad.sln:5:", "h:3");
  desc_case(HEAD "syn in:2 h:0 weight 1 delay 0\n", SL_ERR_RANGE, "bad.sln:5:", "in:2");
  desc_case(HEAD "syn in:0 x:0 weight 1 delay 0\n", SL_ERR_PARSE, "bad.sln:5:", "x");
  desc_case(HEAD "slot in:0 2 h:0 weight 1 delay 0\n", SL_ERR_RANGE, "bad.sln:5:", "slot 2");
  desc_case(HEAD "slot in:0 1 h:0 weight 1 delay 0\nslot in:0 1 h:1 weight 1 delay 0\n", SL_ERR_RANGE, "bad.sln:6:",
            "slot 1");
  desc_case("inputs 2\ndepth 8\nrowcap 2\npop h 3 leak 4097 threshold 10 reset zero spiking\n", SL_ERR_POP,
            "bad.sln:4:", "leak 4097");
  desc_case("inputs 2\ndepth 8\nrowcap 2\npop h 3 leak 1 threshold 8388608 reset zero spiking\n", SL_ERR_POP,
            "bad.sln:4:", "threshold");
  desc_case("inputs 2\ndepth 8\nrowcap 2\npop h 3 leak 1 threshold 5 reset half spiking\n", SL_ERR_PARSE,
            "bad.sln:4:", "reset");
  desc_case(HEAD "pop h 1 leak 1 threshold 5 reset zero\n", SL_ERR_POP, "bad.sln:5:", "twice");
  desc_case("inputs 2\ndepth 6\nrowcap 2\npop h 3 leak 1 threshold 5 reset zero\nsyn in:0 h:0 weight 1 delay 0\n",
            SL_ERR_HEADER, "bad.sln:5:", "depth 6");
  desc_case("inputs 2\ndepth 6\nrowcap 2\npop h 3 leak 1 threshold 5 reset zero\n", SL_ERR_HEADER, "bad.sln", "depth 6");
  desc_case(HEAD "bogus 1\n", SL_ERR_PARSE, "bad.sln:5:", "bogus");
  desc_case("# nothing\n", SL_ERR_PARSE, "bad.sln", "no populations");
}
END_TEST

/* Found by fuzzing (tests/fuzz/seeds/netdesc/): a population name with a non-printable or
 * non-ASCII byte was compiled, and build wrote an image that every image reader refuses. */
START_TEST(desc_name_not_printable) {
  desc_case("inputs 2\ndepth 8\nrowcap 2\npop o\xfeut 3 leak 1 threshold 5 reset zero\n", SL_ERR_POP, "bad.sln:4:",
            "printable");
  desc_case("inputs 2\ndepth 8\nrowcap 2\npop h\x01 3 leak 1 threshold 5 reset zero\n", SL_ERR_POP, "bad.sln:4:",
            "printable");
  desc_case("inputs 2\ndepth 8\nrowcap 2\npop h\x7f 3 leak 1 threshold 5 reset zero\n", SL_ERR_POP, "bad.sln:4:",
            "printable");
}
END_TEST

/* A NUL byte in a description file was the end of the text: the lines after it were dropped
 * and a partial network was built. */
START_TEST(desc_binary) {
  static const char nul[] = HEAD "syn in:0 h:0 weight 1 delay 0\n\0syn in:0 h:1 weight 1 delay 0\n";
  const char *path = tmp_path("bin.sln");
  FILE *f = fopen(path, "wb");
  fwrite(nul, 1, sizeof nul - 1, f);
  fclose(f);
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_err e;
  sl_err_clear(&e);
  ck_assert_int_eq(sl_netdesc_load(path, n, &nm, &e), SL_ERR_PARSE);
  char where[1100];
  snprintf(where, sizeof where, "%s:6: binary data", path);
  ck_assert_msg(!strncmp(e.msg, where, strlen(where)), "message '%s' does not start with '%s'", e.msg, where);
  sl_net_free(n);
  unlink(path);
}
END_TEST

/* ---- event files ------------------------------------------------------------------------------ */

static void ev_case(const char *text, sl_status code, const char *where, const char *s2) {
  sl_eventset es;
  sl_err e;
  sl_err_clear(&e);
  sl_status s = sl_events_parse(text, "bad.sle", &es, &e);
  ck_assert_msg(s == code, "status %d (%s), want %d: %s", s, sl_strerror(s), code, e.msg);
  ck_assert_msg(!strncmp(e.msg, where, strlen(where)), "message '%s' does not start with '%s'", e.msg, where);
  if (s2) ck_assert_msg(strstr(e.msg, s2) != NULL, "message '%s' lacks '%s'", e.msg, s2);
  ck_assert_uint_eq(es.n_events, 0); /* freed on error */
  ck_assert_ptr_null(es.ev);
}

#define EVH "sl-events 1 channels 4 steps 10\n"

START_TEST(event_header) {
  ev_case("0 0 1\n", SL_ERR_PARSE, "bad.sle:1:", "header");
  ev_case("# comment\n\nsample 0\n", SL_ERR_PARSE, "bad.sle:3:", "header");
  ev_case("sl-events 1 chanels 4 steps 10\n", SL_ERR_PARSE, "bad.sle:1:", "header");
  ev_case("sl-events 1 channels 4\n", SL_ERR_PARSE, "bad.sle:1:", "header");
  ev_case("sl-events 1 channels 4 steps 10 extra\n", SL_ERR_PARSE, "bad.sle:1:", "header");
  ev_case("sl-events 2 channels 4 steps 10\n", SL_ERR_VERSION, "bad.sle:1:", "version 2");
  ev_case("\n\nsl-events 1 channels 0 steps 10\n", SL_ERR_HEADER, "bad.sle:3:", "channels 0");
  ev_case("sl-events 1 channels 1025 steps 10\n", SL_ERR_HEADER, "bad.sle:1:", "channels 1025");
  ev_case("sl-events 1 channels 4 steps 0\n", SL_ERR_HEADER, "bad.sle:1:", "steps 0");
  ev_case("sl-events 1 channels 4 steps 65536\n", SL_ERR_HEADER, "bad.sle:1:", "steps 65536");
  ev_case("", SL_ERR_PARSE, "bad.sle", "header");
  ev_case("# only a comment\n", SL_ERR_PARSE, "bad.sle", "header");
}
END_TEST

START_TEST(event_lines) {
  ev_case(EVH "10 0 1\n", SL_ERR_EVENT, "bad.sle:2:", "step 10");
  ev_case(EVH "65535 0 1\n", SL_ERR_EVENT, "bad.sle:2:", "step 65535");
  ev_case(EVH "5 0 1\n4 1 1\n", SL_ERR_EVENT, "bad.sle:3:", "decrease");
  ev_case(EVH "sample 0\n5 0 1\nsample 1\n5 0 1\n4 0 1\n", SL_ERR_EVENT, "bad.sle:6:", "decrease");
  ev_case(EVH "0 4 1\n", SL_ERR_EVENT, "bad.sle:2:", "channel 4");
  ev_case(EVH "0 0 0\n", SL_ERR_EVENT, "bad.sle:2:", "payload 0");
  ev_case(EVH "0 0 256\n", SL_ERR_EVENT, "bad.sle:2:", "payload 256");
  ev_case(EVH "2 1 1\n2 0 1\n2 1 5\n", SL_ERR_EVENT, "bad.sle:4:", "twice");
  ev_case(EVH "# c\n2 3 1\n\n2 3 1\n", SL_ERR_EVENT, "bad.sle:5:", "twice");
}
END_TEST

START_TEST(event_garbage) {
  static const char *lines[] = {
      "0 1 x\n", "0 1\n", "0 1 1 1\n", "-1 0 1\n", "0 0 +1\n", "0 0 1.5\n", "0x1 0 1\n", "a b c\n",
      "hello\n", "sample\n", "sample x\n", "sample 1 lbl 2\n", "sample 1 label -3\n", "sample 1 label\n",
      "0 0 99999999999999999999\n", "\x01\x02\x03\n", "0 0 1\xff\n",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    char text[256];
    snprintf(text, sizeof text, EVH "1 1 1\n%s", lines[i]);
    ev_case(text, SL_ERR_PARSE, "bad.sle:3:", NULL);
  }
}
END_TEST

static void ev_file_case(const void *data, size_t len, const char *line, sl_status code) {
  const char *path = tmp_path("bin.sle");
  FILE *f = fopen(path, "wb");
  fwrite(data, 1, len, f);
  fclose(f);
  sl_eventset es;
  sl_err e;
  sl_err_clear(&e);
  ck_assert_int_eq(sl_events_load(path, &es, &e), code);
  char where[1100];
  snprintf(where, sizeof where, "%s:%s:", path, line);
  ck_assert_msg(!strncmp(e.msg, where, strlen(where)), "message '%s' does not start with '%s'", e.msg, where);
  unlink(path);
}

START_TEST(event_binary) {
  /* a NUL byte on line 3 */
  static const char nul[] = EVH "1 1 1\n2 2\0 2\n3 3 3\n";
  ev_file_case(nul, sizeof nul - 1, "3", SL_ERR_PARSE);
  /* a NUL on the first line */
  static const char nul1[] = "\0sl-events";
  ev_file_case(nul1, sizeof nul1 - 1, "1", SL_ERR_PARSE);
  /* high bytes (not text) on line 2 */
  static const char hi[] = EVH "\xfe\xff\x80\x81\n";
  ev_file_case(hi, sizeof hi - 1, "2", SL_ERR_PARSE);
  /* a model image given as an event file */
  uint8_t imgdata[BASE_SIZE];
  memcpy(imgdata, base, BASE_SIZE);
  ev_file_case(imgdata, BASE_SIZE, "1", SL_ERR_PARSE);
}
END_TEST

static Suite *bad_suite(void) {
  Suite *s = suite_create("bad_input");
  TCase *tc = tcase_create("image_envelope");
  tcase_add_unchecked_fixture(tc, make_base, NULL);
  tcase_add_test(tc, base_is_valid);
  tcase_add_test(tc, truncated_every_short_length);
  tcase_add_test(tc, truncated_file);
  tcase_add_test(tc, bad_magic);
  tcase_add_test(tc, wrong_major_version);
  tcase_add_test(tc, bad_crc);
  tcase_add_test(tc, file_size_mismatch);
  suite_add_tcase(s, tc);
  tc = tcase_create("image_fields");
  tcase_add_unchecked_fixture(tc, make_base, NULL);
  tcase_add_test(tc, header_fields);
  tcase_add_test(tc, input_scale_field);
  tcase_add_test(tc, input_scale_write);
  tcase_add_test(tc, recipe_fields);
  tcase_add_test(tc, recipe_write);
  tcase_add_test(tc, population_fields);
  tcase_add_test(tc, population_counts_not_summing);
  tcase_add_test(tc, population_names);
  tcase_add_test(tc, entry_fields);
  tcase_add_test(tc, entry_first_failure_reported);
  tcase_add_test(tc, check_entry_ranges);
  tcase_add_test(tc, fanin_bound);
  suite_add_tcase(s, tc);
  tc = tcase_create("description");
  tcase_add_test(tc, desc_row_overflow);
  tcase_add_test(tc, desc_other_errors);
  tcase_add_test(tc, desc_name_not_printable);
  tcase_add_test(tc, desc_binary);
  suite_add_tcase(s, tc);
  tc = tcase_create("events");
  tcase_add_unchecked_fixture(tc, make_base, NULL);
  tcase_add_test(tc, event_header);
  tcase_add_test(tc, event_lines);
  tcase_add_test(tc, event_garbage);
  tcase_add_test(tc, event_binary);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(bad_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
