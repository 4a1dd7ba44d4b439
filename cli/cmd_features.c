/* cmd_features.c — `spikeline features`: log-mel features of a recorded-speech corpus (a
 * Heidelberg Digits directory or an FSDD folder) into a feature cache (.slf), skipped when
 * the cache is already up to date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sl_cli.h"
#include "sl_fe.h"
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"
#include "sl_fe_rates.h"
#include "sl_fe_split.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void usage(void) {
  puts("usage: spikeline features CORPUS_DIR -o CACHE.slf [--test-speakers A[,B] | --fold K]\n"
       "                          [--band-limit HZ] [--top-db DB] [--force] [--mix-stereo] [-q]\n\n"
       "Reads a Heidelberg Digits directory (audio/*.flac + train/test[/validation]_filenames.txt;\n"
       "the real corpus or one from scripts/corpus/synth_corpus.py) or an FSDD folder\n"
       "({digit}_{speaker}_{take}.wav|.flac in CORPUS_DIR or CORPUS_DIR/recordings; label =\n"
       "digit, the English digit classes of HD), computes the seed's log-mel features (20,510 Hz,\n"
       "25 ms Hann, 10 ms hop, 512-point FFT, 40 Slaney mel bands, dB relative to the utterance\n"
       "maximum floored at -80, 80 frames, (dB + 80) * 0.0198) and writes them with labels,\n"
       "speakers, splits and names to CACHE (docs/formats-features.md). Input from 8 kHz up;\n"
       "bands above a file's Nyquist frequency sit at the floor. Nothing is recomputed when\n"
       "CACHE already holds this corpus with these parameters and this split.\n\n"
       "  -o FILE              the cache to write (atomically)\n"
       "  --test-speakers A,B  these speakers' files are the test set, the others train (FSDD:\n"
       "                       names; HD: speaker numbers). Default: the corpus's own split\n"
       "                       (HD's lists; FSDD's official one, takes 0-4 test)\n"
       "  --fold K             leave-one-speaker-out: the K-th speaker (1-based, sorted) is test\n"
       "  --band-limit HZ      low-pass every file at HZ (1000..10254; 0 = off, the default):\n"
       "                       makes wide-band audio look like band-limited (e.g. 4000 for 8 kHz\n"
       "                       telephone speech) and a corpus of mixed rates uniform\n"
       "  --top-db DB          floor of the features in dB below the utterance's maximum (20..120,\n"
       "                       default 80); features then span 0..DB * 0.0198\n"
       "  --force              recompute even when CACHE is up to date\n"
       "  --mix-stereo         average the channels of multi-channel files instead of refusing them\n"
       "  -q                   no progress lines\n\n"
       "Validation: about 10 % of the training files (FNV-1a hash of the name), unless an HD\n"
       "directory's validation_filenames.txt gives them (own split only).");
}

/* "A,B" of at most len - 1 characters */
static int copy_arg(char *dst, size_t len, const char *src) {
  if (strlen(src) >= len) return 0;
  strcpy(dst, src);
  return 1;
}

int sl_cmd_features(int argc, char **argv) {
  if (sl_cli_wants_help(argc, argv)) {
    usage();
    return 0;
  }
  const char *dir = NULL, *out = NULL;
  int force = 0, quiet = 0;
  sl_fe_params p;
  sl_fe_params_default(&p);
  sl_fe_split sp;
  sl_fe_split_default(&sp);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--test-speakers") && i + 1 < argc) {
      if (!copy_arg(sp.test_speakers, sizeof sp.test_speakers, argv[++i]) || !argv[i][0]) {
        sl_cli_error("features", "--test-speakers: give 1 to %zu characters", sizeof sp.test_speakers - 1);
        return 2;
      }
    } else if ((!strcmp(argv[i], "--fold") || !strcmp(argv[i], "--band-limit")) && i + 1 < argc) {
      const char *opt = argv[i++];
      char *end;
      long v = strtol(argv[i], &end, 10);
      int fold = !strcmp(opt, "--fold");
      if (end == argv[i] || *end || v < (fold ? 1 : 0) || v > 65535) {
        sl_cli_error("features", "%s '%s': not %s", opt, argv[i], fold ? "a fold number 1, 2, ..." : "a frequency in Hz");
        return 2;
      }
      if (fold) sp.fold = (int)v;
      else p.band_limit = (int32_t)v;
    }
    else if (!strcmp(argv[i], "--top-db") && i + 1 < argc) {
      char *end;
      double v = strtod(argv[++i], &end);
      if (end == argv[i] || *end || !(v >= 20.0 && v <= 120.0)) {
        sl_cli_error("features", "--top-db '%s': not a level in dB, 20..120", argv[i]);
        return 2;
      }
      p.top_db = (float)v;
    }
    else if (!strcmp(argv[i], "--force")) force = 1;
    else if (!strcmp(argv[i], "--mix-stereo")) p.mix_stereo = 1;
    else if (!strcmp(argv[i], "-q")) quiet = 1;
    else if (argv[i][0] != '-' && !dir) dir = argv[i];
    else {
      sl_cli_error("features", "unexpected argument '%s' (see --help)", argv[i]);
      return 2;
    }
  }
  if (!dir || !out) {
    sl_cli_error("features", "need CORPUS_DIR and -o CACHE (see --help)");
    return 2;
  }
  sl_err err;
  sl_fe_hd hd;
  char note[1200];
  /* parameters first: a bad --band-limit is refused before the corpus is read */
  sl_fe *fe = sl_fe_open(&p, &err);
  if (!fe) {
    sl_cli_error("features", "%s", err.msg + (strncmp(err.msg, "front end: ", 11) ? 0 : 11));
    return 2;
  }
  if (sl_fe_corpus_open(dir, &sp, &hd, note, sizeof note, &err) != SL_OK) {
    sl_cli_error("features", "%s", err.msg);
    sl_fe_close(fe);
    return 1;
  }
  if (note[0] && !quiet) printf("%s: %s\n", dir, note);
  uint64_t key = sl_fe_hd_key(&hd), ph = sl_fe_params_hash(&p);
  sl_fe_cache c;
  sl_err perr;
  /* up to date only when the whole file checks out (size and CRC), not just its header */
  if (!force && access(out, F_OK) == 0) {
    if (sl_fe_cache_peek(out, &c, &perr) != SL_OK) {
      char *advice = strstr(perr.msg, "; re-run");
      if (advice) *advice = '\0';
      if (!quiet) fprintf(stderr, "features: %s; recomputing it\n", perr.msg);
    } else if (c.minor == 0) {
      /* an earlier build's cache records no recipe: made again with it (same features) */
      if (!quiet) fprintf(stderr, "features: %s records no recipe (format minor 0); recomputing it\n", out);
    } else if (c.corpus_key == key && c.params_hash == ph && c.n == hd.n && c.n_frames == p.n_frames &&
               c.n_mels == p.n_mels) {
      if (!quiet) printf("%s: up to date (%u utterances)\n", out, c.n);
      sl_fe_hd_free(&hd);
      sl_fe_close(fe);
      return 0;
    }
  }
  if (sl_fe_cache_alloc(&c, (uint32_t)hd.n, (uint16_t)p.n_frames, (uint16_t)p.n_mels, &err) != SL_OK) {
    sl_cli_error("features", "%s", err.msg);
    sl_fe_close(fe);
    sl_fe_hd_free(&hd);
    return 1;
  }
  c.params_hash = ph;
  c.corpus_key = key;
  c.top_db = p.top_db;   /* the recipe travels with the features (docs/formats-features.md) */
  c.scale = p.scale;
  c.band_limit = (uint32_t)p.band_limit;
  int rc = 0;
  double t0 = now_s(), last = t0, audio_s = 0.0;
  size_t cut = 0;
  sl_fe_rates rates = {0};
  for (size_t i = 0; i < hd.n; i++) {
    char path[1200];
    sl_fe_info info;
    if (sl_fe_file_features(fe, sl_fe_hd_path(&hd, i, path, sizeof path),
                            c.feat + i * (size_t)p.n_frames * p.n_mels, &info, &err) != SL_OK) {
      sl_cli_error("features", "%s", err.msg);
      rc = 1;
      break;
    }
    audio_s += info.seconds;
    sl_fe_rates_add(&rates, info.rate);
    if (info.seconds > p.n_frames * (double)p.hop / p.sample_rate) cut++;
    c.label[i] = hd.e[i].label;
    c.speaker[i] = hd.e[i].speaker;
    c.split[i] = hd.e[i].split;
    snprintf(c.name[i], SL_FE_CACHE_NAME, "%s", hd.e[i].name);
    double t = now_s();
    if (!quiet && (t - last > 1.0 || i + 1 == hd.n)) {
      last = t;
      double el = t - t0;
      fprintf(stderr, "features: %zu/%zu (%.0f %%)  %.1f s elapsed, ETA %.0f s\n", i + 1, hd.n,
              100.0 * (double)(i + 1) / (double)hd.n, el, el / (double)(i + 1) * (double)(hd.n - i - 1));
    }
  }
  double el = now_s() - t0;
  char warn[400];
  if (rc == 0 && sl_fe_rates_warning(&rates, &p, warn, sizeof warn)) fprintf(stderr, "features: warning: %s\n", warn);
  if (rc == 0 && sl_fe_cache_save(out, &c, &err) != SL_OK) {
    sl_cli_error("features", "%s", err.msg);
    rc = 1;
  }
  if (rc == 0 && !quiet)
    printf("%s: %zu utterances (%.1f s of audio, %zu longer than %d frames and cut) in %.2f s: "
           "%.0f utterances/s, 1 thread\n",
           out, hd.n, audio_s, cut, p.n_frames, el, (double)hd.n / (el > 0 ? el : 1e-9));
  sl_fe_cache_free(&c);
  sl_fe_close(fe);
  sl_fe_hd_free(&hd);
  return rc;
}
