/* test_fe_bad_files.c — hostile and damaged inputs of the front end through the `spikeline`
 * binary (#17): SHD files that crash or hang libhdf5 (tests/data/bad/), SHD values out of
 * range, a damaged feature cache that `features` must not call up to date, and audio files
 * with no samples, no length in the header or non-finite samples. Every refusal exits
 * non-zero within seconds with one stderr line naming the file and the problem, and leaves
 * nothing behind (no output, no temp file, no core file). */
#include <math.h>
#include <sndfile.h>
#include <time.h>
#include "cli_util.h"
#include "sl_crc32.h"
#include "sl_fe_shd.h"

#define BAD SL_TEST_DATA "/bad/"
#define HD_SAMPLE SL_TEST_DATA "/hd-sample/spoken_digit.flac"
#define NAME0 "lang-english_speaker-01_trial-0_digit-3.flac"
#define NAME1 "lang-german_speaker-02_trial-1_digit-7.flac"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A scratch directory that is also the working directory (where a core file would land). */
static void scratch(char *dir, size_t len, const char *tag) {
  make_scratch(dir, len, tag);
  ck_assert_int_eq(chdir(dir), 0);
}

/* Non-zero exit (not a crash), exactly one stderr line naming `file` and holding s1 (and s2,
 * and not `not`), within max_s seconds. */
static void expect_refusal(const cli_result *r, double secs, double max_s, const char *file, const char *s1,
                           const char *s2, const char *not) {
  ck_assert_msg(r->status != 0 && r->status < 128, "exit status %d; stderr: %s", r->status, r->err);
  size_t len = strlen(r->err);
  ck_assert_msg(len > 1 && r->err[len - 1] == '\n' && strchr(r->err, '\n') == r->err + len - 1,
                "stderr is not one line: '%s'", r->err);
  ck_assert_msg(strstr(r->err, file) != NULL, "stderr '%s' does not name %s", r->err, file);
  ck_assert_msg(strstr(r->err, s1) != NULL, "stderr '%s' lacks '%s'", r->err, s1);
  if (s2) ck_assert_msg(strstr(r->err, s2) != NULL, "stderr '%s' lacks '%s'", r->err, s2);
  if (not) ck_assert_msg(strstr(r->err, not) == NULL, "stderr '%s' says '%s'", r->err, not);
  ck_assert_msg(secs < max_s, "took %.1f s (limit %.0f s)", secs, max_s);
}

/* `spikeline data FILE` on an SHD file from tests/data/bad/ */
static void shd_case(const char *name, double max_s, const char *s1, const char *s2, const char *not) {
  char dir[1024];
  scratch(dir, sizeof dir, "shd");
  cli_result r;
  double t0 = now_s();
  RUN(&r, dir, "data", name);
  expect_refusal(&r, now_s() - t0, max_s, name, s1, s2, not);
  ck_assert_int_eq(count_entries(dir), 0);
}

/* ---- SHD files that break libhdf5 --------------------------------------------------------- */

START_TEST(shd_heap_overflow) { shd_case(BAD "shd_h5hg_heap_overflow.h5", 10.0, "libhdf5 crashed", NULL, NULL); }
END_TEST

START_TEST(shd_memcpy_overlap) { shd_case(BAD "shd_h5hg_memcpy_overlap.h5", 10.0, "libhdf5 crashed", NULL, NULL); }
END_TEST

START_TEST(shd_endless_loop) {
  /* libhdf5 spins in H5HG_read: the guard's 3 s limit kills it */
  shd_case(BAD "shd_slow.h5", 10.0, "timed out after 3 s", NULL, NULL);
}
END_TEST

START_TEST(shd_labels_2d) { shd_case(BAD "shd_labels2d.h5", 10.0, "'labels'", "must be 1-D", "-1 entries"); }
END_TEST

/* ---- SHD values the parent checks -------------------------------------------------------- */

/* 2 samples (3 and 2 spikes), valid; the caller spoils one value */
static void make_shd(sl_fe_shd *s) {
  sl_err e;
  ck_assert_int_eq(sl_fe_shd_alloc(s, 2, 5, &e), SL_OK);
  static const float t[5] = {0.01f, 0.25f, 0.5f, 0.125f, 0.75f};
  static const uint16_t u[5] = {0, 350, 699, 7, 8};
  memcpy(s->times, t, sizeof t);
  memcpy(s->units, u, sizeof u);
  s->off[1] = 3, s->off[2] = 5;
  s->label[0] = 19, s->label[1] = 0;
  s->speaker[0] = 3, s->speaker[1] = 11;
}

static void shd_value_case(const sl_fe_shd *s, const char *s1, const char *s2) {
  char dir[1024], path[1100];
  scratch(dir, sizeof dir, "shdv");
  path_join(path, sizeof path, dir, "spoilt.h5");
  sl_err e;
  ck_assert_msg(sl_fe_shd_write(path, s, &e) == SL_OK, "%s", e.msg);
  cli_result r;
  double t0 = now_s();
  RUN(&r, dir, "data", path);
  expect_refusal(&r, now_s() - t0, 10.0, path, s1, s2, NULL);
  unlink(path);
  ck_assert_int_eq(count_entries(dir), 0);
}

START_TEST(shd_valid_file_read) {
  char dir[1024], path[1100];
  scratch(dir, sizeof dir, "shdok");
  path_join(path, sizeof path, dir, "ok.h5");
  sl_fe_shd s;
  sl_err e;
  make_shd(&s);
  ck_assert_msg(sl_fe_shd_write(path, &s, &e) == SL_OK, "%s", e.msg);
  cli_result r;
  RUN(&r, dir, "data", path);
  ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
  ck_assert_msg(strstr(r.out, "2 samples, 5 spikes") && strstr(r.out, "highest unit 699") &&
                    strstr(r.out, "per class: 0:1 19:1") && strstr(r.out, "per speaker: 3:1 11:1"),
                "%s", r.out);
  sl_fe_shd_free(&s);
}
END_TEST

START_TEST(shd_values_out_of_range) {
  sl_fe_shd s;
  make_shd(&s);
  s.label[1] = 20;
  shd_value_case(&s, "sample 1: label 20", "20 classes");
  s.label[1] = 0;
  s.units[4] = 700;
  shd_value_case(&s, "sample 1: unit 700", "700 units");
  s.units[4] = 8;
  s.times[1] = NAN;
  shd_value_case(&s, "sample 0: spike time nan", "finite");
  s.times[1] = -0.5f;
  shd_value_case(&s, "sample 0: spike time -0.5", ">= 0");
  s.times[1] = 0.25f;
  s.times[4] = 0.0625f; /* before 0.125 */
  shd_value_case(&s, "sample 1: spike times decrease", "0.0625");
  sl_fe_shd_free(&s);
}
END_TEST

/* ---- a Heidelberg Digits directory for `features` -------------------------------------- */

static void copy_file(const char *from, const char *to) {
  FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, a)) > 0) ck_assert_uint_eq(fwrite(buf, 1, n, b), n);
  fclose(a);
  fclose(b);
}

/* dir/corpus: NAME0 (train) and NAME1 (test), both the real HD sample; returns the path of
 * NAME0's audio file in audio0 */
static void make_corpus(const char *dir, char *corpus, size_t len, char *audio0, size_t alen) {
  char p[1200];
  snprintf(corpus, len, "%s/corpus", dir);
  ck_assert_int_eq(mkdir(corpus, 0755), 0);
  snprintf(p, sizeof p, "%s/audio", corpus);
  ck_assert_int_eq(mkdir(p, 0755), 0);
  snprintf(audio0, alen, "%s/audio/" NAME0, corpus);
  copy_file(HD_SAMPLE, audio0);
  snprintf(p, sizeof p, "%s/audio/" NAME1, corpus);
  copy_file(HD_SAMPLE, p);
  snprintf(p, sizeof p, "%s/train_filenames.txt", corpus);
  write_bytes(p, NAME0 "\n", strlen(NAME0) + 1);
  snprintf(p, sizeof p, "%s/test_filenames.txt", corpus);
  write_bytes(p, NAME1 "\n", strlen(NAME1) + 1);
}

/* ---- the feature cache: damaged means not up to date ------------------------------------ */

static void flip_byte(const char *path, long off) {
  FILE *f = fopen(path, "r+b");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fseek(f, off, SEEK_SET), 0);
  int c = fgetc(f);
  ck_assert_int_ge(c, 0);
  ck_assert_int_eq(fseek(f, off, SEEK_SET), 0);
  fputc(c ^ 0x5a, f);
  fclose(f);
}

/* `features` on a damaged cache recomputes it (never "up to date"), and `events` then reads it */
static void damaged_cache_case(const char *dir, const char *corpus, const char *cache) {
  cli_result r;
  RUN(&r, dir, "features", corpus, "-o", cache);
  ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
  ck_assert_msg(strstr(r.out, "up to date") == NULL, "a damaged cache was called up to date: %s", r.out);
  ck_assert_msg(strstr(r.out, "2 utterances"), "%s", r.out);
  ck_assert_msg(strstr(r.err, cache) && strstr(r.err, "recomputing"), "no note about the damaged cache: %s", r.err);
  char sle[1100];
  path_join(sle, sizeof sle, dir, "test.sle");
  RUN(&r, dir, "events", cache, "-o", sle);
  ck_assert_msg(r.status == 0, "events after features: status %d: %s", r.status, r.err);
  unlink(sle);
  ck_assert_int_eq(count_tmp_files(dir), 0);
}

START_TEST(cache_damaged_is_recomputed) {
  char dir[1024], corpus[1100], audio0[1300], cache[1100];
  scratch(dir, sizeof dir, "cache");
  make_corpus(dir, corpus, sizeof corpus, audio0, sizeof audio0);
  path_join(cache, sizeof cache, dir, "hd.slf");
  cli_result r;
  RUN(&r, dir, "features", "-q", corpus, "-o", cache);
  ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
  RUN(&r, dir, "features", corpus, "-o", cache);
  ck_assert_msg(r.status == 0 && strstr(r.out, "up to date"), "an intact cache is up to date: %s", r.out);
  /* one feature byte changed: the header still matches, the CRC does not */
  flip_byte(cache, 64 + 1000);
  damaged_cache_case(dir, corpus, cache);
  /* cut short */
  struct stat sb;
  ck_assert_int_eq(stat(cache, &sb), 0);
  ck_assert_int_eq(truncate(cache, sb.st_size - 100), 0);
  damaged_cache_case(dir, corpus, cache);
  /* only the header is left */
  ck_assert_int_eq(truncate(cache, 64), 0);
  damaged_cache_case(dir, corpus, cache);
  /* the stored CRC itself damaged */
  flip_byte(cache, 33);
  damaged_cache_case(dir, corpus, cache);
  /* a valid CRC over a label out of range (utterance 1's label, after 2 x 80 x 40 features) */
  enum { SIZE = 64 + 2 * (80 * 40 * 4 + 69) };
  static uint8_t buf[SIZE + 2];
  ck_assert_int_eq(read_text(cache, (char *)buf, sizeof buf), SIZE);
  buf[64 + 2 * 80 * 40 * 4 + 2] = 20;
  uint32_t crc = sl_crc32(0, buf + 64, SIZE - 64);
  for (int i = 0; i < 4; i++) buf[32 + i] = (uint8_t)(crc >> (8 * i));
  write_bytes(cache, buf, SIZE);
  damaged_cache_case(dir, corpus, cache);
}
END_TEST

/* ---- audio files ---------------------------------------------------------------------------- */

/* `features` on the corpus whose NAME0 was replaced: refused, nothing written */
static void audio_case(const char *tag, void (*spoil)(const char *audio0), const char *s1, const char *not) {
  char dir[1024], corpus[1100], audio0[1300], cache[1100];
  scratch(dir, sizeof dir, tag);
  make_corpus(dir, corpus, sizeof corpus, audio0, sizeof audio0);
  spoil(audio0);
  path_join(cache, sizeof cache, dir, "hd.slf");
  cli_result r;
  double t0 = now_s();
  RUN(&r, dir, "features", "-q", corpus, "-o", cache);
  expect_refusal(&r, now_s() - t0, 30.0, audio0, s1, NULL, not);
  ck_assert_msg(!file_exists(cache), "%s was left behind", cache);
  ck_assert_int_eq(count_tmp_files(dir), 0);
  ck_assert_int_eq(count_entries(dir), 1); /* the corpus alone */
  /* `data` on the directory says the same */
  RUN(&r, dir, "data", corpus);
  if (strcmp(s1, "no audio samples") == 0) expect_refusal(&r, 0.0, 30.0, audio0, s1, NULL, NULL);
}

/* A FLAC with a STREAMINFO block and no audio frames: total_samples 0 means "unknown" to
 * libsndfile, which then reports SF_COUNT_MAX frames. */
static void zero_sample_flac(const char *path) {
  uint8_t b[42] = {'f', 'L', 'a', 'C', 0x80, 0, 0, 34, 0x10, 0x00, 0x10, 0x00};
  /* rate 48000 (20 bits) | channels - 1 (3) | bits - 1 (5) | total samples (36) */
  uint64_t v = (uint64_t)48000 << 44 | (uint64_t)0 << 41 | (uint64_t)15 << 36 | 0;
  for (int i = 0; i < 8; i++) b[18 + i] = (uint8_t)(v >> (56 - 8 * i));
  write_bytes(path, b, sizeof b);
}

/* the same STREAMINFO claiming 2^36 - 1 samples (16.6 days at 48 kHz) */
static void huge_length_flac(const char *path) {
  zero_sample_flac(path);
  FILE *f = fopen(path, "r+b");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fseek(f, 21, SEEK_SET), 0);
  fputc(0xff, f); /* low 4 bits of bits per sample - 1 (15), top 4 bits of the sample count */
  for (int i = 0; i < 4; i++) fputc(0xff, f);
  fclose(f);
}

START_TEST(audio_huge_length) {
  audio_case("huge-len", huge_length_flac, "its header says 1431656 s of audio", NULL);
}
END_TEST

START_TEST(audio_zero_samples) { audio_case("zero", zero_sample_flac, "no audio samples", " s long"); }
END_TEST

/* the real sample with its STREAMINFO total_samples zeroed: read to the end of the stream */
START_TEST(audio_length_unknown) {
  char dir[1024], corpus[1100], audio0[1300], cache[1100];
  scratch(dir, sizeof dir, "nolen");
  make_corpus(dir, corpus, sizeof corpus, audio0, sizeof audio0);
  static uint8_t buf[1 << 17];
  long n = read_text(HD_SAMPLE, (char *)buf, sizeof buf);
  ck_assert_int_gt(n, 1000);
  ck_assert_mem_eq(buf, "fLaC", 4);
  buf[8 + 13] &= 0xf0; /* the top 4 of the 36 total-sample bits share a byte with bits per sample */
  buf[8 + 14] = buf[8 + 15] = buf[8 + 16] = buf[8 + 17] = 0;
  write_bytes(audio0, buf, (size_t)n);
  path_join(cache, sizeof cache, dir, "hd.slf");
  cli_result r;
  RUN(&r, dir, "features", "-q", corpus, "-o", cache);
  ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
  RUN(&r, dir, "data", corpus);
  ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
  ck_assert_msg(strstr(r.out, "2 files, 1.6 s of audio"), "%s", r.out);
}
END_TEST

/* a 0.1 s float WAV (440 Hz) with one sample replaced */
static void float_wav(const char *path, float bad, int at) {
  SF_INFO si = {.samplerate = 48000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
  SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
  ck_assert_ptr_nonnull(sf);
  float x[4800];
  for (int i = 0; i < 4800; i++) x[i] = i == at ? bad : (float)(0.3 * sin(2 * 3.14159265 * 440.0 * i / 48000));
  ck_assert_int_eq(sf_writef_float(sf, x, 4800), 4800);
  sf_close(sf);
}
static void wav_nan_all(const char *p) {
  SF_INFO si = {.samplerate = 48000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
  SNDFILE *sf = sf_open(p, SFM_WRITE, &si);
  ck_assert_ptr_nonnull(sf);
  float x[4800];
  for (int i = 0; i < 4800; i++) x[i] = NAN;
  ck_assert_int_eq(sf_writef_float(sf, x, 4800), 4800);
  sf_close(sf);
}
static void wav_nan_one(const char *p) { float_wav(p, NAN, 100); }
static void wav_inf(const char *p) { float_wav(p, -INFINITY, 2400); }
static void wav_huge(const char *p) { float_wav(p, 1e30f, 7); }

START_TEST(audio_non_finite) {
  audio_case("nan", wav_nan_all, "non-finite sample (NaN) at 0.000 s", "silent");
  audio_case("nan1", wav_nan_one, "non-finite sample (NaN) at 0.002 s (frame 100)", NULL);
  audio_case("inf", wav_inf, "non-finite sample (infinity) at 0.050 s", NULL);
  audio_case("huge", wav_huge, "sample value 1e+30", "silent");
}
END_TEST

int main(void) {
  Suite *s = suite_create("frontend-bad-files");
  TCase *tc = tcase_create("shd");
  tcase_add_test(tc, shd_heap_overflow);
  tcase_add_test(tc, shd_memcpy_overlap);
  tcase_add_test(tc, shd_endless_loop);
  tcase_add_test(tc, shd_labels_2d);
  tcase_add_test(tc, shd_valid_file_read);
  tcase_add_test(tc, shd_values_out_of_range);
  suite_add_tcase(s, tc);
  tc = tcase_create("cache");
  tcase_add_test(tc, cache_damaged_is_recomputed);
  suite_add_tcase(s, tc);
  tc = tcase_create("audio");
  tcase_add_test(tc, audio_zero_samples);
  tcase_add_test(tc, audio_huge_length);
  tcase_add_test(tc, audio_length_unknown);
  tcase_add_test(tc, audio_non_finite);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
