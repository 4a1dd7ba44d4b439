/* test_fe_hd.c — the Heidelberg Digits directory loader on a small directory laid out like
 * the real corpus (the real HD sample under four names): names, the label formula
 * (digit + 10 for German), split flags, validation, and errors naming the bad file; and the
 * feature cache's round trip and damage checks, from a file and from memory. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"

static char tmpdir[512];

static void copy_file(const char *from, const char *to) {
  FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, a)) > 0) fwrite(buf, 1, n, b);
  fclose(a);
  fclose(b);
}

static void put_text(const char *dir, const char *name, const char *text) {
  char p[1200];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

static const char *names[4] = {
  "lang-english_speaker-01_trial-0_digit-3.flac", "lang-german_speaker-01_trial-0_digit-7.flac",
  "lang-german_speaker-04_trial-2_digit-0.flac", "lang-english_speaker-05_trial-10_digit-9.flac"};

/* dir/audio/ with the four files, train = first two, test = last two */
static void make_dir(char *dir, size_t len, const char *tag) {
  char p[1200];
  snprintf(dir, len, "%s/hd-%s", tmpdir, tag);
  mkdir(dir, 0755);
  snprintf(p, sizeof p, "%s/audio", dir);
  mkdir(p, 0755);
  for (int i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s/audio/%s", dir, names[i]);
    copy_file(SL_TEST_DATA "/hd-sample/spoken_digit.flac", p);
  }
  char text[512];
  snprintf(text, sizeof text, "%s\n%s\r\n\n", names[0], names[1]);
  put_text(dir, "train_filenames.txt", text);
  snprintf(text, sizeof text, "%s\n%s\n", names[2], names[3]);
  put_text(dir, "test_filenames.txt", text);
  snprintf(p, sizeof p, "%s/validation_filenames.txt", dir);
  remove(p);
}

static uint64_t fnv(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

START_TEST(label_formula) {
  sl_fe_hd_entry e;
  sl_err err;
  for (int german = 0; german < 2; german++)
    for (int d = 0; d < 10; d++) {
      char n[80];
      snprintf(n, sizeof n, "lang-%s_speaker-07_trial-12_digit-%d.flac", german ? "german" : "english", d);
      ck_assert_int_eq(sl_fe_hd_parse_name(n, &e, &err), SL_OK);
      ck_assert_uint_eq(e.label, d + 10 * german);
      ck_assert_uint_eq(e.speaker, 7);
      ck_assert_uint_eq(e.trial, 12);
    }
  static const char *bad[] = {"lang-french_speaker-01_trial-0_digit-3.flac",
                              "lang-english_speaker-01_trial-0_digit-10.flac",
                              "lang-english_speaker-01_trial-0_digit-3.wav",
                              "lang-english_speaker-_trial-0_digit-3.flac",
                              "english_speaker-01_trial-0_digit-3.flac", ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_msg(sl_fe_hd_parse_name(bad[i], &e, &err) == SL_ERR_PARSE, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(directory) {
  char dir[600];
  make_dir(dir, sizeof dir, "ok");
  sl_fe_hd hd;
  sl_err e;
  ck_assert_msg(sl_fe_hd_open(dir, &hd, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(hd.n, 4);
  ck_assert_int_eq(hd.valid_from_list, 0);
  /* sorted by name: english-01, english-05, german-01, german-04 */
  ck_assert_str_eq(hd.e[0].name, names[0]);
  ck_assert_uint_eq(hd.e[0].label, 3);
  ck_assert_str_eq(hd.e[1].name, names[3]);
  ck_assert_uint_eq(hd.e[1].label, 9);
  ck_assert_uint_eq(hd.e[1].split & 3, SL_FE_TEST);
  ck_assert_uint_eq(hd.e[2].label, 17);
  ck_assert_uint_eq(hd.e[3].label, 10);
  ck_assert_uint_eq(hd.e[3].speaker, 4);
  for (size_t i = 0; i < hd.n; i++) {
    int want_valid = (hd.e[i].split & SL_FE_TRAIN) && fnv(hd.e[i].name) % 10 == 0;
    ck_assert_int_eq(!!(hd.e[i].split & SL_FE_VALID), want_valid);
  }
  uint64_t k1 = sl_fe_hd_key(&hd);
  sl_fe_hd_free(&hd);
  /* a validation list marks its files; the corpus key changes with the split */
  put_text(dir, "validation_filenames.txt", "lang-german_speaker-01_trial-0_digit-7.flac\n");
  ck_assert_msg(sl_fe_hd_open(dir, &hd, &e) == SL_OK, "%s", e.msg);
  ck_assert_int_eq(hd.valid_from_list, 1);
  ck_assert_uint_eq(hd.e[2].split, SL_FE_TRAIN | SL_FE_VALID);
  ck_assert_uint_eq(hd.e[0].split, SL_FE_TRAIN);
  ck_assert(sl_fe_hd_key(&hd) != k1 || fnv(names[1]) % 10 == 0);
  sl_fe_hd_free(&hd);
}
END_TEST

static void expect_open_error(const char *dir, const char *words) {
  sl_fe_hd hd;
  sl_err e;
  ck_assert_msg(sl_fe_hd_open(dir, &hd, &e) != SL_OK, "%s opened", dir);
  ck_assert_msg(strstr(e.msg, words) != NULL, "message lacks '%s': %s", words, e.msg);
}

START_TEST(directory_errors) {
  char dir[600], p[1200];
  make_dir(dir, sizeof dir, "bad");
  put_text(dir, "validation_filenames.txt", "lang-german_speaker-04_trial-2_digit-0.flac\n");
  expect_open_error(dir, "is not in train_filenames.txt");
  make_dir(dir, sizeof dir, "bad");
  snprintf(p, sizeof p, "%s/audio/%s", dir, names[2]);
  remove(p);
  expect_open_error(dir, p); /* names the missing file */
  make_dir(dir, sizeof dir, "bad");
  put_text(dir, "test_filenames.txt", "lang-german_speaker-04_trial-2_digit-0.flac\nnot-a-name.flac\n");
  expect_open_error(dir, "test_filenames.txt:2:");
  make_dir(dir, sizeof dir, "bad");
  put_text(dir, "test_filenames.txt", "lang-english_speaker-01_trial-0_digit-3.flac\n");
  expect_open_error(dir, "listed twice");
  snprintf(p, sizeof p, "%s/hd-none", tmpdir);
  mkdir(p, 0755);
  expect_open_error(p, "train_filenames.txt");
}
END_TEST

START_TEST(cache_round_trip) {
  sl_fe_cache a, b;
  sl_err e;
  ck_assert_int_eq(sl_fe_cache_alloc(&a, 3, 80, 40, &e), SL_OK);
  for (size_t i = 0; i < 3u * 80 * 40; i++) a.feat[i] = (float)i * 0.25f - 7.0f;
  for (int i = 0; i < 3; i++) {
    a.label[i] = (uint16_t)(5 + i);
    a.speaker[i] = (uint16_t)(10 - i);
    a.split[i] = (uint8_t)(i == 2 ? SL_FE_TEST : SL_FE_TRAIN);
    snprintf(a.name[i], SL_FE_CACHE_NAME, "sample-%d.flac", i);
  }
  a.params_hash = 0x1122334455667788ull;
  a.corpus_key = 0x99aabbccddeeff00ull;
  char path[600];
  snprintf(path, sizeof path, "%s/cache.slf", tmpdir);
  ck_assert_msg(sl_fe_cache_save(path, &a, &e) == SL_OK, "%s", e.msg);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  /* 64-byte header + 3 * (12,800 feature bytes + 2 + 2 + 1 + 64) */
  ck_assert_int_eq(st.st_size, 64 + 3 * (80 * 40 * 4 + 69));
  ck_assert_msg(sl_fe_cache_load(path, &b, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(b.n, 3);
  ck_assert(b.params_hash == a.params_hash && b.corpus_key == a.corpus_key);
  ck_assert_int_eq(memcmp(a.feat, b.feat, 3u * 80 * 40 * 4), 0);
  for (int i = 0; i < 3; i++) {
    ck_assert_uint_eq(b.label[i], a.label[i]);
    ck_assert_uint_eq(b.speaker[i], a.speaker[i]);
    ck_assert_uint_eq(b.split[i], a.split[i]);
    ck_assert_str_eq(b.name[i], a.name[i]);
  }
  sl_fe_cache_free(&b);
  /* the first feature, little-endian at byte 64: -7.0f = 0xC0E00000 */
  FILE *f = fopen(path, "r+b");
  unsigned char w[4];
  fseek(f, 64, SEEK_SET);
  ck_assert_uint_eq(fread(w, 1, 4, f), 4);
  ck_assert(w[0] == 0x00 && w[1] == 0x00 && w[2] == 0xE0 && w[3] == 0xC0);
  /* flip one byte of a feature: CRC error */
  fseek(f, 100, SEEK_SET);
  fputc(0x5a, f);
  fclose(f);
  ck_assert_int_eq(sl_fe_cache_load(path, &b, &e), SL_ERR_CRC);
  ck_assert_ptr_nonnull(strstr(e.msg, path));
  /* truncated */
  ck_assert_int_eq(truncate(path, 5000), 0);
  ck_assert_int_eq(sl_fe_cache_load(path, &b, &e), SL_ERR_TRUNCATED);
  /* not a cache */
  f = fopen(path, "wb");
  for (int i = 0; i < 100; i++) fputc('x', f);
  fclose(f);
  ck_assert_int_eq(sl_fe_cache_load(path, &b, &e), SL_ERR_MAGIC);
  sl_fe_cache_free(&a);
}
END_TEST

/* ---- the recipe (header bytes 48..59, minor 1) ---- */

static void put32le(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t f2u(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

/* a one-utterance cache with this recipe, saved to path; returns its header */
static void recipe_cache(const char *path, float top_db, uint32_t band, uint8_t *hdr) {
  sl_fe_cache a;
  sl_err e;
  ck_assert_int_eq(sl_fe_cache_alloc(&a, 1, 80, 40, &e), SL_OK);
  a.split[0] = SL_FE_TEST;
  snprintf(a.name[0], SL_FE_CACHE_NAME, "3_george_0.flac");
  a.top_db = top_db;
  a.band_limit = band;
  ck_assert_msg(sl_fe_cache_save(path, &a, &e) == SL_OK, "%s", e.msg);
  sl_fe_cache_free(&a);
  FILE *f = fopen(path, "rb");
  ck_assert_uint_eq(fread(hdr, 1, 64, f), 64);
  fclose(f);
}

/* header bytes at off patched to v (the CRC covers the body only) */
static void patch32(const char *path, long off, uint32_t v) {
  uint8_t b[4];
  put32le(b, v);
  FILE *f = fopen(path, "r+b");
  fseek(f, off, SEEK_SET);
  ck_assert_uint_eq(fwrite(b, 1, 4, f), 4);
  fclose(f);
}

START_TEST(cache_recipe_round_trip) {
  char path[600];
  uint8_t h[64];
  sl_fe_cache b;
  sl_err e;
  snprintf(path, sizeof path, "%s/recipe.slf", tmpdir);
  recipe_cache(path, 50.0f, 4000, h);
  ck_assert_int_eq(h[6] | h[7] << 8, 1); /* minor 1 */
  uint32_t w[3];
  for (int k = 0; k < 3; k++) w[k] = (uint32_t)h[48 + 4 * k] | (uint32_t)h[49 + 4 * k] << 8 |
                                     (uint32_t)h[50 + 4 * k] << 16 | (uint32_t)h[51 + 4 * k] << 24;
  ck_assert_uint_eq(w[0], f2u(50.0f));
  ck_assert_uint_eq(w[1], f2u(0.0198f));
  ck_assert_uint_eq(w[2], 4000);
  for (int i = 60; i < 64; i++) ck_assert_int_eq(h[i], 0);
  ck_assert_msg(sl_fe_cache_load(path, &b, &e) == SL_OK, "%s", e.msg);
  ck_assert(b.minor == 1 && b.top_db == 50.0f && b.scale == 0.0198f && b.band_limit == 4000);
  ck_assert(sl_fe_cache_in_scale(&b) == 50.0f * 0.0198f / 255.0f);
  sl_fe_cache_free(&b);
  ck_assert_msg(sl_fe_cache_head(path, &b, &e) == SL_OK, "%s", e.msg);
  ck_assert(b.minor == 1 && b.top_db == 50.0f && b.band_limit == 4000 && b.feat == NULL);
  /* the default recipe: in_scale is the trainer's default bit for bit */
  recipe_cache(path, 80.0f, 0, h);
  ck_assert_msg(sl_fe_cache_load(path, &b, &e) == SL_OK, "%s", e.msg);
  ck_assert(sl_fe_cache_in_scale(&b) == 1.584f / 255.0f);
  sl_fe_cache_free(&b);
  /* minor 0 (an earlier build's cache): the default recipe, band limit unknown; saved again
   * it stays minor 0 */
  patch32(path, 4, 1); /* major 1, minor 0 */
  for (long off = 48; off < 64; off += 4) patch32(path, off, 0);
  ck_assert_msg(sl_fe_cache_load(path, &b, &e) == SL_OK, "%s", e.msg);
  ck_assert(b.minor == 0 && b.top_db == 80.0f && b.scale == 0.0198f && b.band_limit == 0);
  ck_assert_msg(sl_fe_cache_save(path, &b, &e) == SL_OK, "%s", e.msg);
  sl_fe_cache_free(&b);
  FILE *f = fopen(path, "rb");
  ck_assert_uint_eq(fread(h, 1, 64, f), 64);
  fclose(f);
  ck_assert_int_eq(h[6] | h[7] << 8, 0);
  for (int i = 48; i < 64; i++) ck_assert_int_eq(h[i], 0);
  /* a later minor reads as minor 1 */
  recipe_cache(path, 60.0f, 0, h);
  patch32(path, 4, 1 | 3u << 16);
  ck_assert_msg(sl_fe_cache_load(path, &b, &e) == SL_OK, "%s", e.msg);
  ck_assert(b.minor == 1 && b.top_db == 60.0f);
  sl_fe_cache_free(&b);
}
END_TEST

/* recipe fields out of the front end's limits: refused naming the file and the field, by
 * load, head and peek alike; a minor-0 cache's bytes 48..63 and minor 1's 60..63 are reserved */
START_TEST(cache_recipe_refused) {
  static const struct { long off; uint32_t v; const char *want; } bad[] = {
      {48, 0x7FC00000u, "top_db nan"},  {48, 0x7F800000u, "top_db inf"}, {48, 0, "top_db 0"},
      {48, 0xC2480000u, "top_db -50"},  {48, 0x447A4000u, "top_db 1001"}, {52, 0, "scale 0"},
      {52, 0xFFC00000u, "scale -nan"},  {56, 999, "band limit 999 Hz"},   {56, 10255, "band limit 10255 Hz"},
      {56, 0xFFFFFFFFu, "band limit 4294967295 Hz"}};
  char path[600];
  uint8_t h[64];
  sl_fe_cache b;
  sl_err e;
  snprintf(path, sizeof path, "%s/bad-recipe.slf", tmpdir);
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    recipe_cache(path, 50.0f, 4000, h);
    patch32(path, bad[k].off, bad[k].v);
    ck_assert_int_eq(sl_fe_cache_load(path, &b, &e), SL_ERR_RANGE);
    ck_assert_msg(!strncmp(e.msg, path, strlen(path)) && strstr(e.msg, "recipe: ") && strstr(e.msg, bad[k].want) &&
                      !strchr(e.msg, '\n'),
                  "'%s' lacks '%s'", e.msg, bad[k].want);
    ck_assert_int_eq(sl_fe_cache_head(path, &b, &e), SL_ERR_RANGE);
    ck_assert_int_eq(sl_fe_cache_peek(path, &b, &e), SL_ERR_RANGE);
  }
  recipe_cache(path, 50.0f, 4000, h);
  patch32(path, 60, 1);
  ck_assert_int_eq(sl_fe_cache_load(path, &b, &e), SL_ERR_RESERVED);
  recipe_cache(path, 80.0f, 0, h);
  patch32(path, 4, 1); /* minor 0 with a recipe in its reserved bytes */
  ck_assert_int_eq(sl_fe_cache_load(path, &b, &e), SL_ERR_RESERVED);
  /* the writer refuses what a reader would */
  sl_fe_cache a;
  ck_assert_int_eq(sl_fe_cache_alloc(&a, 1, 80, 40, &e), SL_OK);
  a.split[0] = SL_FE_TEST;
  a.top_db = NAN;
  unlink(path);
  ck_assert_int_eq(sl_fe_cache_save(path, &a, &e), SL_ERR_RANGE);
  ck_assert_msg(strstr(e.msg, path) && strstr(e.msg, "top_db nan"), "%s", e.msg);
  ck_assert_int_eq(access(path, F_OK), -1);
  sl_fe_cache_free(&a);
}
END_TEST

/* a valid CRC over values that make no sense: refused by name */
static void bad_value_case(void (*spoil)(sl_fe_cache *), const char *want) {
  sl_fe_cache a, b;
  sl_err e;
  ck_assert_int_eq(sl_fe_cache_alloc(&a, 2, 80, 40, &e), SL_OK);
  for (int i = 0; i < 2; i++) {
    a.label[i] = (uint16_t)(i * 19);
    a.split[i] = i ? SL_FE_TEST : SL_FE_TRAIN | SL_FE_VALID;
    snprintf(a.name[i], SL_FE_CACHE_NAME, "sample-%d.flac", i);
  }
  spoil(&a);
  char path[600];
  snprintf(path, sizeof path, "%s/spoilt.slf", tmpdir);
  ck_assert_msg(sl_fe_cache_save(path, &a, &e) == SL_OK, "%s", e.msg);
  ck_assert_int_eq(sl_fe_cache_load(path, &b, &e), SL_ERR_RANGE);
  ck_assert_msg(strstr(e.msg, path) && strstr(e.msg, want) && !strchr(e.msg, '\n'), "'%s' lacks '%s'", e.msg, want);
  ck_assert_ptr_null(b.feat);
  sl_fe_cache_free(&a);
}
static void label20(sl_fe_cache *c) { c->label[1] = 20; }
static void split0(sl_fe_cache *c) { c->split[0] = 0; }
static void split_test_valid(sl_fe_cache *c) { c->split[1] = SL_FE_TEST | SL_FE_VALID; }
static void feature_nan(sl_fe_cache *c) { c->feat[80 * 40 + 7] = NAN; }
static void feature_inf(sl_fe_cache *c) { c->feat[3] = INFINITY; }
static void name_newline(sl_fe_cache *c) { strcpy(c->name[1], "a\nb.flac"); }

START_TEST(cache_bad_values) {
  bad_value_case(label20, "utterance 1 (sample-1.flac): label 20");
  bad_value_case(split0, "utterance 0 (sample-0.flac): split flags 0x00");
  bad_value_case(split_test_valid, "utterance 1 (sample-1.flac): split flags 0x06");
  bad_value_case(feature_nan, "utterance 1 (sample-1.flac): feature 7 is not finite");
  bad_value_case(feature_inf, "utterance 0 (sample-0.flac): feature 3 is not finite");
  bad_value_case(name_newline, "utterance 1: the name is not printable ASCII");
}
END_TEST

/* counts whose body size does not fit 64 bits are refused before any size arithmetic */
START_TEST(cache_header_too_large) {
  unsigned char h[64] = {'S', 'L', 'F', 'C', 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  h[36] = 64; /* name_len */
  char path[600];
  snprintf(path, sizeof path, "%s/huge.slf", tmpdir);
  FILE *f = fopen(path, "wb");
  ck_assert_uint_eq(fwrite(h, 1, sizeof h, f), sizeof h);
  fclose(f);
  sl_fe_cache c;
  sl_err e;
  ck_assert_int_eq(sl_fe_cache_load(path, &c, &e), SL_ERR_HEADER);
  ck_assert_msg(strstr(e.msg, path) && strstr(e.msg, "4294967295 utterances x 65535 frames x 65535 bands is too large"),
                "%s", e.msg);
  ck_assert_int_eq(sl_fe_cache_peek(path, &c, &e), SL_ERR_HEADER);
}
END_TEST

/* fuzzing finds (tests/data/bad): a name with bytes after its NUL would not survive a save
 * and reload; an empty cache with huge T x bands must not allocate one utterance's worth */
START_TEST(cache_fuzz_finds) {
  sl_fe_cache c;
  sl_err e;
  const char *p1 = SL_TEST_DATA "/bad/cache-name-not-nul-padded.slf";
  ck_assert_int_eq(sl_fe_cache_load(p1, &c, &e), SL_ERR_RANGE);
  ck_assert_msg(strstr(e.msg, p1) && strstr(e.msg, "the name is not NUL-padded"), "%s", e.msg);
  ck_assert_ptr_null(c.feat);
  const char *p2 = SL_TEST_DATA "/bad/cache-empty-allocates-2gb.slf";
#ifndef __SANITIZE_ADDRESS__ /* ASan's shadow memory counts as data: no limit there */
  struct rlimit lim = {(rlim_t)1 << 30, (rlim_t)1 << 30}; /* data: 1 GiB is plenty */
  ck_assert_int_eq(setrlimit(RLIMIT_DATA, &lim), 0);
#endif
  /* its minor (512) says it records a recipe, and the recipe is all zero: refused by that
   * field since format minor 1; as the minor-0 cache it otherwise is, it loads, empty */
  ck_assert_int_eq(sl_fe_cache_load(p2, &c, &e), SL_ERR_RANGE);
  ck_assert_msg(strstr(e.msg, p2) && strstr(e.msg, "recipe: top_db 0"), "%s", e.msg);
  uint8_t bytes[64];
  FILE *f = fopen(p2, "rb");
  ck_assert_uint_eq(fread(bytes, 1, sizeof bytes, f), 64);
  ck_assert_int_eq(fgetc(f), EOF);
  fclose(f);
  bytes[6] = bytes[7] = 0;
  ck_assert_msg(sl_fe_cache_decode(bytes, sizeof bytes, p2, &c, &e) == SL_OK, "%s", e.msg);
  ck_assert_uint_eq(c.n, 0);
  sl_fe_cache_free(&c);
}
END_TEST

/* The file's bytes through sl_fe_cache_decode (named as the file) must give what
 * sl_fe_cache_load gives: the same status and message, or the same cache. */
static void decode_same_as_load(const char *path) {
  sl_fe_cache a, b;
  sl_err ea, eb;
  sl_err_clear(&ea);
  sl_err_clear(&eb);
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  static unsigned char bytes[1 << 20];
  size_t len = fread(bytes, 1, sizeof bytes, f);
  fclose(f);
  sl_status sa = sl_fe_cache_load(path, &a, &ea), sb = sl_fe_cache_decode(bytes, len, path, &b, &eb);
  ck_assert_msg(sa == sb, "%s: load %d (%s), decode %d (%s)", path, (int)sa, ea.msg, (int)sb, eb.msg);
  if (sa != SL_OK) {
    ck_assert_str_eq(eb.msg, ea.msg);
    ck_assert_ptr_null(b.feat);
    return;
  }
  const size_t nf = (size_t)a.n * a.n_frames * a.n_mels;
  ck_assert(a.n == b.n && a.n_frames == b.n_frames && a.n_mels == b.n_mels && a.params_hash == b.params_hash &&
            a.corpus_key == b.corpus_key);
  ck_assert(!memcmp(a.feat, b.feat, nf * 4) && !memcmp(a.label, b.label, a.n * 2u) &&
            !memcmp(a.speaker, b.speaker, a.n * 2u) && !memcmp(a.split, b.split, a.n) &&
            !memcmp(a.name, b.name, (size_t)a.n * SL_FE_CACHE_NAME));
  sl_fe_cache_free(&a);
  sl_fe_cache_free(&b);
}

/* The in-memory reader (the fuzz harness's) runs the file reader's checks: a good cache, the
 * committed bad ones, a flipped byte, a cut at every region, trailing bytes, no header. */
START_TEST(cache_decode_same_as_load) {
  sl_fe_cache a;
  sl_err e;
  ck_assert_int_eq(sl_fe_cache_alloc(&a, 2, 80, 40, &e), SL_OK);
  for (int i = 0; i < 2; i++) {
    a.label[i] = (uint16_t)(3 + i);
    a.split[i] = SL_FE_TRAIN;
    snprintf(a.name[i], SL_FE_CACHE_NAME, "sample-%d.flac", i);
  }
  char path[600];
  snprintf(path, sizeof path, "%s/decode.slf", tmpdir);
  ck_assert_msg(sl_fe_cache_save(path, &a, &e) == SL_OK, "%s", e.msg);
  decode_same_as_load(path);
  decode_same_as_load(SL_TEST_DATA "/bad/cache-name-not-nul-padded.slf");
  decode_same_as_load(SL_TEST_DATA "/bad/cache-empty-allocates-2gb.slf");
  decode_same_as_load(SL_TEST_DATA "/bad/cache_zero_samples.slf");
  FILE *f = fopen(path, "r+b");
  fseek(f, 100, SEEK_SET);
  fputc(0x5a, f); /* CRC */
  fclose(f);
  decode_same_as_load(path);
  const long cuts[] = {25769, 20000, 64, 63, 10, 0};
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
    ck_assert_int_eq(truncate(path, cuts[i]), 0);
    decode_same_as_load(path);
  }
  ck_assert_msg(sl_fe_cache_save(path, &a, &e) == SL_OK, "%s", e.msg);
  sl_fe_cache_free(&a);
  f = fopen(path, "ab");
  fputc(0, f); /* one byte more than the header says */
  fclose(f);
  decode_same_as_load(path);
}
END_TEST

int main(void) {
  const char *t = getenv("SL_TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s", t ? t : "/tmp");
  Suite *s = suite_create("frontend-hd");
  TCase *tc = tcase_create("hd");
  tcase_add_test(tc, label_formula);
  tcase_add_test(tc, directory);
  tcase_add_test(tc, directory_errors);
  tcase_add_test(tc, cache_round_trip);
  tcase_add_test(tc, cache_recipe_round_trip);
  tcase_add_test(tc, cache_recipe_refused);
  tcase_add_test(tc, cache_header_too_large);
  tcase_add_test(tc, cache_bad_values);
  tcase_add_test(tc, cache_fuzz_finds);
  tcase_add_test(tc, cache_decode_same_as_load);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
