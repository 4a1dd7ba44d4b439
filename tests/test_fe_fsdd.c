/* test_fe_fsdd.c — recorded speech in the front end: the FSDD name parser, folder loading
 * (DIR or DIR/recordings, speakers sorted, label = digit), the splits (official takes 0-4,
 * named test speakers, leave-one-speaker-out folds, also by number on an HD directory), the
 * one-line errors naming a bad file, 8 kHz input (bands above 4 kHz at the floor), the band
 * limit (a tone above it vanishes, one below stays), `spikeline features` on such a
 * folder (split in the cache key, mixed-rate warning) and `spikeline data` on the vendored
 * subset (tests/data/fsdd). */
#include <check.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_util.h"
#include "sl_fe.h"
#include "sl_fe_cache.h"
#include "sl_fe_fsdd.h"
#include "sl_fe_split.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static char tmpdir[512];

static uint64_t fnv(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

/* a mono 16-bit WAV (or FLAC) of n frames: amplitude a1 at f1 Hz plus a2 at f2 Hz */
static void write_tones(const char *path, int rate, int n, double f1, double a1, double f2, double a2) {
  int flac = strstr(path, ".flac") != NULL;
  SF_INFO si = {.samplerate = rate, .channels = 1,
                .format = (flac ? SF_FORMAT_FLAC : SF_FORMAT_WAV) | SF_FORMAT_PCM_16};
  SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
  ck_assert_msg(sf != NULL, "cannot write %s", path);
  float *x = malloc(sizeof(float) * (size_t)n);
  for (int i = 0; i < n; i++)
    x[i] = (float)(a1 * sin(2 * M_PI * f1 * i / rate) + a2 * sin(2 * M_PI * f2 * i / rate));
  sf_writef_float(sf, x, n);
  sf_close(sf);
  free(x);
}

static void touch_audio(const char *dir, const char *name, int rate) {
  char p[2048];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  write_tones(p, rate, rate / 4, 440.0, 0.3, 1200.0, 0.1);
}

static void fresh_dir(char *dir, size_t len, const char *tag) {
  snprintf(dir, len, "%s/fsdd-%s-XXXXXX", tmpdir, tag);
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* speakers carol, alice, bob (sorted: alice 0, bob 1, carol 2); digits 0-2; takes 0, 4, 5, 12 */
static const char *spk3[3] = {"carol", "alice", "bob"};
static const unsigned takes[4] = {0, 4, 5, 12};
static void make_fsdd(char *dir, size_t len, const char *tag, int in_recordings) {
  fresh_dir(dir, len, tag);
  char sub[1200];
  snprintf(sub, sizeof sub, "%s%s", dir, in_recordings ? "/recordings" : "");
  if (in_recordings) ck_assert_int_eq(mkdir(sub, 0755), 0);
  for (int s = 0; s < 3; s++)
    for (int d = 0; d < 3; d++)
      for (int t = 0; t < 4; t++) {
        char name[64];
        snprintf(name, sizeof name, "%d_%s_%u.%s", d, spk3[s], takes[t], (d + t) % 2 ? "flac" : "wav");
        touch_audio(sub, name, 8000);
      }
  char p[1300];
  snprintf(p, sizeof p, "%s/README.md", sub);   /* other files are ignored */
  FILE *f = fopen(p, "w");
  fputs("not audio\n", f);
  fclose(f);
}

START_TEST(name_parser) {
  sl_fe_hd_entry e;
  char spk[SL_FE_SPEAKER_NAME];
  sl_err err;
  ck_assert_int_eq(sl_fe_fsdd_parse_name("7_jackson_32.wav", &e, spk, &err), SL_OK);
  ck_assert_uint_eq(e.digit, 7);
  ck_assert_uint_eq(e.label, 7);
  ck_assert_uint_eq(e.trial, 32);
  ck_assert_str_eq(spk, "jackson");
  ck_assert_str_eq(e.name, "7_jackson_32.wav");
  ck_assert_int_eq(sl_fe_fsdd_parse_name("0_yweweler_0.flac", &e, spk, &err), SL_OK);
  ck_assert_uint_eq(e.label, 0);
  ck_assert_uint_eq(e.trial, 0);
  ck_assert_str_eq(spk, "yweweler");
  ck_assert_int_eq(sl_fe_fsdd_parse_name("9_Spk-2_65535.wav", &e, spk, &err), SL_OK);
  ck_assert_uint_eq(e.trial, 65535);
  static const struct { const char *name, *why; } bad[] = {
    {"x_jackson_3.wav", "digit"},       {"10_jackson_3.wav", "digit"},  {"_jackson_3.wav", "digit"},
    {"3_jackson.wav", "three fields"},  {"3__1.wav", "speaker"},        {"3_jack_son_1.wav", "'_'"},
    {"3_jackson_01.wav", "take"},       {"3_jackson_x.wav", "take"},    {"3_jackson_.wav", "take"},
    {"3_jackson_65536.wav", "take"},    {"3_jack son_1.wav", "speaker"}, {"3_jackson_3.mp3", ".wav"},
    {"3_jackson_3.wav.txt", ".wav"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ck_assert_msg(sl_fe_fsdd_parse_name(bad[i].name, &e, spk, &err) == SL_ERR_PARSE, "accepted '%s'", bad[i].name);
    ck_assert_msg(strstr(err.msg, bad[i].name) && strstr(err.msg, bad[i].why), "%s: %s", bad[i].name, err.msg);
  }
}
END_TEST

/* a refusal is one line of printable ASCII: bytes of the name that are not (a newline, an
 * escape sequence, UTF-8) are shown as \xNN, also when the folder holds such a file */
static int printable_line(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) return 0;
  return 1;
}

START_TEST(name_refusal_printable) {
  sl_fe_hd_entry e;
  char spk[SL_FE_SPEAKER_NAME];
  sl_err err;
  static const struct { const char *name, *shown; } bad[] = {
    {"3_jack\nson_1.wav", "3_jack\\x0ason_1.wav"},
    {"\x1b[2J3_jackson_1.wav", "\\x1b[2J3_jackson_1.wav"},
    {"3_jos\xc3\xa9_1.flac", "3_jos\\xc3\\xa9_1.flac"},
    {"3_jackson_1.wav\r", "3_jackson_1.wav\\x0d"},
    {"3_a\\b_1.wav", "3_a\\x5cb_1.wav"}};  /* a backslash of the name is escaped too */
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ck_assert_int_eq(sl_fe_fsdd_parse_name(bad[i].name, &e, spk, &err), SL_ERR_PARSE);
    ck_assert_msg(printable_line(err.msg), "not one printable line: %s", err.msg);
    ck_assert_msg(strstr(err.msg, bad[i].shown) != NULL, "does not show %s: %s", bad[i].shown, err.msg);
  }
  char dir[600], p[1300];
  fresh_dir(dir, sizeof dir, "nl");
  touch_audio(dir, "1_jackson_3.wav", 8000);
  touch_audio(dir, "1_jack\nson_4.wav", 8000);
  sl_fe_hd c;
  ck_assert(sl_fe_corpus_open(dir, NULL, &c, NULL, 0, &err) != SL_OK);
  snprintf(p, sizeof p, "%s/1_jack\\x0ason_4.wav", dir);
  ck_assert_msg(strstr(err.msg, p) != NULL && printable_line(err.msg), "%s", err.msg);
}
END_TEST

static void check_official(const sl_fe_hd *c) {
  for (size_t i = 0; i < c->n; i++) {
    const sl_fe_hd_entry *e = &c->e[i];
    unsigned want = e->trial <= 4 ? SL_FE_TEST : SL_FE_TRAIN;
    if (want == SL_FE_TRAIN && fnv(e->name) % 10 == 0) want |= SL_FE_VALID;
    ck_assert_msg(e->split == want, "%s: split %u, want %u", e->name, e->split, want);
  }
}

START_TEST(folder_official_split) {
  for (int rec = 0; rec < 2; rec++) {
    char dir[600];
    make_fsdd(dir, sizeof dir, rec ? "rec" : "flat", rec);
    sl_fe_hd c;
    sl_err err;
    ck_assert_msg(sl_fe_corpus_open(dir, NULL, &c, NULL, 0, &err) == SL_OK, "%s", err.msg);
    ck_assert_int_eq(c.layout, SL_FE_LAYOUT_FSDD);
    ck_assert_str_eq(c.sub, rec ? "recordings" : "");
    ck_assert_uint_eq(c.n, 36);
    ck_assert_uint_eq(c.n_speakers, 3);
    ck_assert_str_eq(c.speaker_names[0], "alice");
    ck_assert_str_eq(c.speaker_names[1], "bob");
    ck_assert_str_eq(c.speaker_names[2], "carol");
    size_t ntest = 0;
    for (size_t i = 0; i < c.n; i++) {
      const sl_fe_hd_entry *e = &c.e[i];
      ck_assert_uint_eq(e->label, (unsigned)(e->name[0] - '0'));
      char want[32];   /* the name between the two '_' */
      snprintf(want, sizeof want, "%.*s", (int)(strrchr(e->name, '_') - e->name - 2), e->name + 2);
      ck_assert_str_eq(c.speaker_names[e->speaker], want);
      if (i) ck_assert_int_lt(strcmp(c.e[i - 1].name, e->name), 0);
      ntest += (e->split & SL_FE_TEST) != 0;
      char p[1300];
      struct stat st;
      ck_assert_msg(stat(sl_fe_hd_path(&c, i, p, sizeof p), &st) == 0, "%s", p);
    }
    ck_assert_uint_eq(ntest, 18);   /* takes 0 and 4 */
    check_official(&c);
    sl_fe_hd_free(&c);
  }
}
END_TEST

START_TEST(speaker_splits) {
  char dir[600], note[600];
  make_fsdd(dir, sizeof dir, "split", 0);
  sl_fe_hd c;
  sl_err err;
  sl_fe_split sp;
  uint64_t keys[5];
  /* official */
  sl_fe_split_default(&sp);
  ck_assert_int_eq(sl_fe_corpus_open(dir, &sp, &c, note, sizeof note, &err), SL_OK);
  ck_assert_str_eq(note, "");
  keys[0] = sl_fe_hd_key(&c);
  sl_fe_hd_free(&c);
  /* named test speakers: all their files test, the others train */
  strcpy(sp.test_speakers, "carol, alice");
  ck_assert_msg(sl_fe_corpus_open(dir, &sp, &c, note, sizeof note, &err) == SL_OK, "%s", err.msg);
  ck_assert_msg(strstr(note, "carol") && strstr(note, "alice"), "%s", note);
  for (size_t i = 0; i < c.n; i++) {
    unsigned want = c.e[i].speaker != 1 ? SL_FE_TEST : SL_FE_TRAIN;
    if (want == SL_FE_TRAIN && fnv(c.e[i].name) % 10 == 0) want |= SL_FE_VALID;
    ck_assert_msg(c.e[i].split == want, "%s: %u", c.e[i].name, c.e[i].split);
  }
  keys[1] = sl_fe_hd_key(&c);
  sl_fe_hd_free(&c);
  /* folds: the K-th speaker in sorted order */
  sl_fe_split_default(&sp);
  for (int k = 1; k <= 3; k++) {
    sp.fold = k;
    ck_assert_msg(sl_fe_corpus_open(dir, &sp, &c, note, sizeof note, &err) == SL_OK, "%s", err.msg);
    const char *held = spk3[k == 1 ? 1 : k == 2 ? 2 : 0];
    ck_assert_msg(strstr(note, held) && strstr(note, "held out"), "fold %d: %s", k, note);
    for (size_t i = 0; i < c.n; i++)
      ck_assert_int_eq(!!(c.e[i].split & SL_FE_TEST), c.e[i].speaker == (unsigned)(k - 1));
    keys[1 + k] = sl_fe_hd_key(&c);
    sl_fe_hd_free(&c);
  }
  /* every split gives another corpus key (the cache is not "up to date" across splits) */
  for (int a = 0; a < 5; a++)
    for (int b = a + 1; b < 5; b++) ck_assert_msg(keys[a] != keys[b], "splits %d and %d share a key", a, b);
  /* refusals name what is wrong; nothing is opened */
  static const struct { const char *spk; int fold; const char *words; } bad[] = {
    {"dave", 0, "no speaker 'dave'"}, {"alice,dave", 0, "'dave'"}, {"", 4, "fold 4 out of 1..3"},
    {"alice", 2, "exclude"}, {"alice,bob,carol", 0, "none is left"}, {" , ", 0, "names no speaker"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    strcpy(sp.test_speakers, bad[i].spk);
    sp.fold = bad[i].fold;
    ck_assert_msg(sl_fe_corpus_open(dir, &sp, &c, note, sizeof note, &err) != SL_OK, "accepted %zu", i);
    ck_assert_msg(strstr(err.msg, bad[i].words) && strstr(err.msg, dir), "%zu: %s", i, err.msg);
    ck_assert_msg(strchr(err.msg, '\n') == NULL, "%s", err.msg);
    ck_assert_ptr_null(c.e);
  }
  sl_fe_split_default(&sp);
  strcpy(sp.test_speakers, "dave");
  sl_fe_corpus_open(dir, &sp, &c, note, sizeof note, &err);
  ck_assert_msg(strstr(err.msg, "(speakers: alice, bob, carol)"), "%s", err.msg);
}
END_TEST

/* an HD directory: speakers by number */
START_TEST(hd_test_speakers) {
  static const char *names[4] = {
    "lang-english_speaker-01_trial-0_digit-3.flac", "lang-german_speaker-01_trial-0_digit-7.flac",
    "lang-german_speaker-04_trial-2_digit-0.flac", "lang-english_speaker-05_trial-10_digit-9.flac"};
  char dir[600], p[1300];
  fresh_dir(dir, sizeof dir, "hd");
  snprintf(p, sizeof p, "%s/audio", dir);
  mkdir(p, 0755);
  for (int i = 0; i < 4; i++) touch_audio(p, names[i], 48000);
  snprintf(p, sizeof p, "%s/train_filenames.txt", dir);
  FILE *f = fopen(p, "w");
  fprintf(f, "%s\n%s\n", names[0], names[1]);
  fclose(f);
  snprintf(p, sizeof p, "%s/test_filenames.txt", dir);
  f = fopen(p, "w");
  fprintf(f, "%s\n%s\n", names[2], names[3]);
  fclose(f);
  sl_fe_hd c;
  sl_err err;
  sl_fe_split sp;
  sl_fe_split_default(&sp);
  strcpy(sp.test_speakers, "1");
  ck_assert_msg(sl_fe_corpus_open(dir, &sp, &c, NULL, 0, &err) == SL_OK, "%s", err.msg);
  ck_assert_int_eq(c.layout, SL_FE_LAYOUT_HD);
  for (size_t i = 0; i < c.n; i++)
    ck_assert_int_eq(!!(c.e[i].split & SL_FE_TEST), c.e[i].speaker == 1);
  sl_fe_hd_free(&c);
  sl_fe_split_default(&sp);
  sp.fold = 3;   /* speakers 1, 4, 5: fold 3 holds out 5 */
  char note[300];
  ck_assert_msg(sl_fe_corpus_open(dir, &sp, &c, note, sizeof note, &err) == SL_OK, "%s", err.msg);
  ck_assert_msg(strstr(note, "speaker 05 held out"), "%s", note);
  for (size_t i = 0; i < c.n; i++)
    ck_assert_int_eq(!!(c.e[i].split & SL_FE_TEST), c.e[i].speaker == 5);
  sl_fe_hd_free(&c);
  strcpy(sp.test_speakers, "2");
  sp.fold = 0;
  ck_assert(sl_fe_corpus_open(dir, &sp, &c, NULL, 0, &err) != SL_OK);
  ck_assert_msg(strstr(err.msg, "no speaker '2' (speakers: 01, 04, 05)"), "%s", err.msg);
}
END_TEST

START_TEST(bad_folders) {
  char dir[600], p[1300];
  sl_fe_hd c;
  sl_err err;
  /* empty */
  fresh_dir(dir, sizeof dir, "empty");
  ck_assert(sl_fe_corpus_open(dir, NULL, &c, NULL, 0, &err) != SL_OK);
  ck_assert_msg(strstr(err.msg, dir) && strstr(err.msg, "no {digit}_{speaker}_{take}"), "%s", err.msg);
  /* an empty recordings/ does not help */
  snprintf(p, sizeof p, "%s/recordings", dir);
  mkdir(p, 0755);
  ck_assert(sl_fe_corpus_open(dir, NULL, &c, NULL, 0, &err) != SL_OK);
  ck_assert_msg(strstr(err.msg, "no {digit}_{speaker}_{take}"), "%s", err.msg);
  /* missing */
  snprintf(p, sizeof p, "%s/nope", dir);
  ck_assert(sl_fe_corpus_open(p, NULL, &c, NULL, 0, &err) != SL_OK);
  ck_assert_msg(strstr(err.msg, p) && strstr(err.msg, "cannot open"), "%s", err.msg);
  /* one malformed name among good ones: the error names that file */
  static const char *bad[] = {"x_jackson_3.wav", "12_jackson_3.flac", "3_jackson_007.wav"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    fresh_dir(dir, sizeof dir, "bad");
    touch_audio(dir, "1_jackson_3.wav", 8000);
    touch_audio(dir, bad[i], 8000);
    ck_assert(sl_fe_corpus_open(dir, NULL, &c, NULL, 0, &err) != SL_OK);
    snprintf(p, sizeof p, "%s/%s", dir, bad[i]);
    ck_assert_msg(strstr(err.msg, p) != NULL, "does not name %s: %s", p, err.msg);
    ck_assert_msg(strchr(err.msg, '\n') == NULL, "%s", err.msg);
  }
  /* one utterance twice */
  fresh_dir(dir, sizeof dir, "twice");
  touch_audio(dir, "1_jackson_3.wav", 8000);
  touch_audio(dir, "1_jackson_3.flac", 8000);
  ck_assert(sl_fe_corpus_open(dir, NULL, &c, NULL, 0, &err) != SL_OK);
  ck_assert_msg(strstr(err.msg, "1_jackson_3.wav: the same utterance as 1_jackson_3.flac"), "%s", err.msg);
}
END_TEST

static sl_fe *open_fe(int32_t band_limit) {
  sl_fe_params p;
  sl_fe_params_default(&p);
  p.band_limit = band_limit;
  sl_err e;
  sl_fe *fe = sl_fe_open(&p, &e);
  ck_assert_msg(fe != NULL, "%s", e.msg);
  return fe;
}

/* the mel band whose triangle peaks nearest hz */
static int band_of(const sl_fe *fe, double hz) {
  const sl_fe_params *p = sl_fe_get_params(fe);
  int nb = p->n_fft / 2 + 1, k = (int)lround(hz * p->n_fft / p->sample_rate), best = 0;
  const float *fb = sl_fe_filterbank(fe);
  for (int m = 1; m < p->n_mels; m++)
    if (fb[(size_t)m * nb + k] > fb[(size_t)best * nb + k]) best = m;
  return best;
}

/* the band's largest feature over the frames computed from audio */
static float band_max(const float *feat, int used, int m) {
  float v = 0.0f;
  for (int t = 0; t < used; t++)
    if (feat[t * 40 + m] > v) v = feat[t * 40 + m];
  return v;
}

/* every band whose triangle starts at or above hz is at the floor in every frame */
static void expect_floor_above(const float *feat, double hz, int min_bands, const char *what) {
  double mel_hi = sl_fe_hz_to_mel(20510 / 2.0);
  int above = 0;
  for (int m = 0; m < 40; m++)
    if (sl_fe_mel_to_hz(mel_hi * m / 41) >= hz) {
      above++;
      for (int t = 0; t < 80; t++)
        ck_assert_msg(feat[t * 40 + m] == 0.0f, "%s: band %d frame %d: %g", what, m, t, (double)feat[t * 40 + m]);
    }
  ck_assert_int_ge(above, min_bands);
}

START_TEST(eight_khz_accepted) {
  sl_fe *fe = open_fe(0);
  char p[600];
  float feat[80 * 40];
  sl_fe_info info;
  sl_err e;
  /* a loud file starting and ending abruptly (a click in the edge frames), and a quiet one
   * (its empty bands would sit at the -100 dB clamp, within 80 dB of its peak) */
  const double amp[2] = {0.3, 0.003};
  for (int q = 0; q < 2; q++) {
    snprintf(p, sizeof p, "%s/tone-8k-%d.wav", tmpdir, q);
    write_tones(p, 8000, 4000, 440.0, amp[q], 3000.0, amp[q] / 3);
    ck_assert_msg(sl_fe_file_features(fe, p, feat, &info, &e) == SL_OK, "%s", e.msg);
    ck_assert_int_eq(info.rate, 8000);
    ck_assert_int_eq(info.frames_used, 51);   /* 0.5 s at 20,510 Hz: 1 + 10,255 / 205 */
    ck_assert_float_gt(band_max(feat, 51, band_of(fe, 440.0)), 1.4f);
    ck_assert_float_gt(band_max(feat, 51, band_of(fe, 3000.0)), 0.5f);
    /* the bands above the file's Nyquist (4 kHz): 30-39 */
    expect_floor_above(feat, 4000.0, 10, amp[q] > 0.1 ? "8 kHz, loud" : "8 kHz, quiet");
  }
  /* below 8 kHz is refused, naming the file and the minimum */
  snprintf(p, sizeof p, "%s/tone-4k.wav", tmpdir);
  write_tones(p, 4000, 2000, 440.0, 0.3, 0.0, 0.0);
  ck_assert(sl_fe_file_features(fe, p, feat, &info, &e) != SL_OK);
  ck_assert_msg(strstr(e.msg, p) && strstr(e.msg, "sample rate 4000 Hz is below the 8000 Hz minimum"), "%s", e.msg);
  sl_fe_close(fe);
}
END_TEST

/* RMS of y[a, b) */
static double rms(const float *y, size_t a, size_t b) {
  double s = 0.0;
  for (size_t i = a; i < b; i++) s += (double)y[i] * y[i];
  return sqrt(s / (double)(b - a));
}

START_TEST(band_limit) {
  sl_fe *plain = open_fe(0), *lim = open_fe(4000);
  char p[600];
  float a[80 * 40], b[80 * 40];
  sl_fe_info ia, ib;
  sl_err e;
  const int rates[3] = {48000, 20510, 16000};
  for (int r = 0; r < 3; r++) {
    /* the resampler's filter: a 1 kHz tone passes, a 6 kHz tone is gone (> 80 dB down) */
    const double hz[2] = {1000.0, 6000.0};
    for (int k = 0; k < 2; k++) {
      int n = rates[r] / 2;
      float *x = malloc(sizeof(float) * (size_t)n), *y = NULL;
      size_t ny = 0;
      for (int i = 0; i < n; i++) x[i] = (float)(0.5 * sin(2 * M_PI * hz[k] * i / rates[r]));
      ck_assert_int_eq(sl_fe_resample(lim, x, (size_t)n, rates[r], &y, &ny, &e), SL_OK);
      double g = rms(y, ny / 4, 3 * ny / 4) / (0.5 / sqrt(2.0));
      if (k == 0) ck_assert_msg(fabs(g - 1.0) < 0.01, "%d Hz input: 1 kHz gain %g", rates[r], g);
      else ck_assert_msg(g < 1e-4, "%d Hz input: 6 kHz gain %g under a 4 kHz limit", rates[r], g);
      free(y);
      /* without the limit the 6 kHz tone passes */
      ck_assert_int_eq(sl_fe_resample(plain, x, (size_t)n, rates[r], &y, &ny, &e), SL_OK);
      g = rms(y, ny / 4, 3 * ny / 4) / (0.5 / sqrt(2.0));
      ck_assert_msg(fabs(g - 1.0) < 0.01, "%d Hz input, no limit: %g Hz gain %g", rates[r], hz[k], g);
      free(y);
      free(x);
    }
    /* the features: 1 kHz stays, 6 kHz vanishes, every band above the limit is at the floor */
    snprintf(p, sizeof p, "%s/tones-%d.wav", tmpdir, rates[r]);
    write_tones(p, rates[r], rates[r] / 2, 1000.0, 0.3, 6000.0, 0.3);
    ck_assert_msg(sl_fe_file_features(plain, p, a, &ia, &e) == SL_OK, "%s", e.msg);
    ck_assert_msg(sl_fe_file_features(lim, p, b, &ib, &e) == SL_OK, "%s", e.msg);
    int lo = band_of(plain, 1000.0), hi = band_of(plain, 6000.0), used = ia.frames_used;
    ck_assert_float_gt(band_max(a, used, lo), 1.4f);
    ck_assert_float_gt(band_max(a, used, hi), 1.4f);
    ck_assert_float_gt(band_max(b, used, lo), 1.4f);
    ck_assert_msg(band_max(b, used, hi) == 0.0f, "%d Hz: 6 kHz band at %g under a 4 kHz limit", rates[r],
                  (double)band_max(b, used, hi));
    expect_floor_above(b, 4000.0, 10, "4 kHz limit");
  }
  /* a file whose Nyquist is at or below the limit is read as without one */
  snprintf(p, sizeof p, "%s/tones-8k.wav", tmpdir);
  write_tones(p, 8000, 4000, 1000.0, 0.3, 3500.0, 0.3);
  ck_assert_int_eq(sl_fe_file_features(plain, p, a, &ia, &e), SL_OK);
  ck_assert_int_eq(sl_fe_file_features(lim, p, b, &ib, &e), SL_OK);
  ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
  sl_fe_close(plain);
  sl_fe_close(lim);
  /* the parameter keys the cache; without it the key is the one of earlier releases */
  sl_fe_params q;
  sl_fe_params_default(&q);
  ck_assert_uint_eq(sl_fe_params_hash(&q),
                    fnv("sl-fe 1 rate 20510 fft 512 win 512 hop 205 mels 40 frames 80 pre 0.95 top 80 scale 0.0198"));
  uint64_t h0 = sl_fe_params_hash(&q);
  q.band_limit = 4000;
  ck_assert_uint_ne(sl_fe_params_hash(&q), h0);
  /* out of range */
  const int32_t badv[3] = {999, 10255, -1};
  for (int i = 0; i < 3; i++) {
    q.band_limit = badv[i];
    ck_assert_ptr_null(sl_fe_open(&q, &e));
    ck_assert_msg(strstr(e.msg, "band limit"), "%s", e.msg);
  }
}
END_TEST

/* without a band limit, input at 16 kHz or more keeps its features: no band is floored */
START_TEST(wide_band_unchanged) {
  sl_fe *fe = open_fe(0);
  char p[600];
  float a[80 * 40], b[80 * 40];
  sl_fe_info ia;
  sl_err e;
  snprintf(p, sizeof p, "%s/quiet-16k.wav", tmpdir);
  write_tones(p, 16000, 8000, 440.0, 0.003, 3000.0, 0.001);
  ck_assert_int_eq(sl_fe_file_features(fe, p, a, &ia, &e), SL_OK);
  float *x = NULL;
  size_t n = 0;
  ck_assert_int_eq(sl_fe_read_audio(fe, p, &x, &n, NULL, &e), SL_OK);
  ck_assert_int_eq(sl_fe_features(fe, x, n, b, NULL, &e), SL_OK);
  free(x);
  ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
  sl_fe_close(fe);
}
END_TEST

/* `spikeline features` on a folder: split note, split in the key, mixed-rate warning, errors */
START_TEST(features_cli) {
  char dir[600], scratch[600], slf[1300];
  make_fsdd(dir, sizeof dir, "cli", 1);
  make_scratch(scratch, sizeof scratch, "fsdd_cli");
  snprintf(slf, sizeof slf, "%s/f.slf", scratch);
  cli_result r;
  const char *a1[] = {"features", dir, "-o", slf, "--fold", "2", NULL};
  run_cli(&r, scratch, a1);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "fold 2 of 3: speaker bob held out"), "%s", r.out);
  ck_assert_msg(strstr(r.err, "warning") == NULL, "%s", r.err);
  sl_fe_cache c;
  sl_err e;
  ck_assert_int_eq(sl_fe_cache_load(slf, &c, &e), SL_OK);
  ck_assert_uint_eq(c.n, 36);
  for (uint32_t i = 0; i < c.n; i++) {
    ck_assert_uint_eq(c.label[i], (unsigned)(c.name[i][0] - '0'));
    ck_assert_int_eq(!!(c.split[i] & SL_FE_TEST), strstr(c.name[i], "_bob_") != NULL);
  }
  sl_fe_cache_free(&c);
  run_cli(&r, scratch, a1);
  ck_assert_msg(strstr(r.out, "up to date"), "%s", r.out);
  const char *a2[] = {"features", dir, "-o", slf, "--fold", "3", NULL};
  run_cli(&r, scratch, a2);
  ck_assert_msg(r.status == 0 && !strstr(r.out, "up to date"), "%s", r.out);
  const char *a3[] = {"features", dir, "-o", slf, NULL};
  run_cli(&r, scratch, a3);
  ck_assert_msg(r.status == 0 && !strstr(r.out, "up to date"), "%s", r.out);
  const char *a4[] = {"features", dir, "-o", slf, "--band-limit", "3000", NULL};
  run_cli(&r, scratch, a4);
  ck_assert_msg(r.status == 0 && !strstr(r.out, "up to date"), "%s", r.out);
  /* a 48 kHz file among 8 kHz ones: one warning line naming the rates and the remedy */
  char p[1300];
  snprintf(p, sizeof p, "%s/recordings", dir);
  touch_audio(p, "2_dave_7.wav", 48000);
  run_cli(&r, scratch, a3);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.err, "warning: mixed sample rates (8000, 48000 Hz)") && strstr(r.err, "--band-limit 4000"),
                "%s", r.err);
  run_cli(&r, scratch, a4);
  ck_assert_msg(strstr(r.err, "warning") == NULL, "%s", r.err);
  /* bad input: one line naming the file, exit 1, the old cache untouched */
  struct stat before, after;
  ck_assert_int_eq(stat(slf, &before), 0);
  touch_audio(p, "x_jackson_3.wav", 8000);
  run_cli(&r, scratch, a3);
  ck_assert_int_eq(r.status, 1);
  ck_assert_msg(strstr(r.err, "x_jackson_3.wav: not an FSDD name") && strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
                "%s", r.err);
  ck_assert_int_eq(stat(slf, &after), 0);
  ck_assert_int_eq(before.st_mtime, after.st_mtime);
  const char *a5[] = {"features", dir, "-o", slf, "--test-speakers", "zed", NULL};
  unlink(p);
  snprintf(p, sizeof p, "%s/recordings/x_jackson_3.wav", dir);
  unlink(p);
  run_cli(&r, scratch, a5);
  ck_assert_int_eq(r.status, 1);
  ck_assert_msg(strstr(r.err, "no speaker 'zed'"), "%s", r.err);
  const char *a6[] = {"features", dir, "-o", slf, "--band-limit", "20000", NULL};
  run_cli(&r, scratch, a6);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "band limit 20000 Hz"), "%s", r.err);
}
END_TEST

/* `spikeline data` on the vendored subset: layout, counts per digit and speaker, rate */
START_TEST(data_cli) {
  char scratch[600];
  make_scratch(scratch, sizeof scratch, "fsdd_data");
  cli_result r;
  const char *a[] = {"data", SL_TEST_DATA "/fsdd", NULL};
  run_cli(&r, scratch, a);
  ck_assert_msg(r.status == 0, "%s", r.err);
  ck_assert_msg(strstr(r.out, "FSDD folder (official split: takes 0-4 test), 360 files"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "sample rates: 8000 Hz (360 files)"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "the features reach 4000 Hz"), "%s", r.out);
  /* 36 files per digit (20 test), 90 per speaker (50 test), named */
  static const struct { const char *row; long files, train, test; } want[] = {
    {"7 en seven", 36, 16, 20}, {"0 en zero", 36, 16, 20}, {"1 jackson", 90, 40, 50}, {"3 yweweler", 90, 40, 50}};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    const char *at = strstr(r.out, want[i].row);
    long f = -1, tr = -1, te = -1;
    ck_assert_msg(at && sscanf(at + strlen(want[i].row), "%ld %ld %ld", &f, &tr, &te) == 3, "%s: %s", want[i].row, r.out);
    ck_assert_msg(f == want[i].files && tr == want[i].train && te == want[i].test, "%s: %ld %ld %ld", want[i].row, f, tr, te);
  }
  ck_assert_msg(strstr(r.out, "19 de neun") == NULL, "German classes listed for FSDD: %s", r.out);
}
END_TEST

int main(void) {
  const char *t = getenv("SL_TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s", t ? t : "/tmp");
  Suite *s = suite_create("frontend-fsdd");
  TCase *tc = tcase_create("fsdd");
  tcase_add_test(tc, name_parser);
  tcase_add_test(tc, name_refusal_printable);
  tcase_add_test(tc, folder_official_split);
  tcase_add_test(tc, speaker_splits);
  tcase_add_test(tc, hd_test_speakers);
  tcase_add_test(tc, bad_folders);
  tcase_add_test(tc, eight_khz_accepted);
  tcase_add_test(tc, band_limit);
  tcase_add_test(tc, wide_band_unchanged);
  tcase_add_test(tc, features_cli);
  tcase_add_test(tc, data_cli);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
