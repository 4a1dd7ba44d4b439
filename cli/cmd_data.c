/* cmd_data.c — `spikeline data`: what a corpus holds. For a Heidelberg Digits directory or
 * an FSDD folder, per-class and per-speaker counts, durations and sample rates, and
 * optionally a PNG of one sample's waveform and features (gnuplot); for an SHD file or a
 * feature cache, their counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sl_cli.h"
#include "sl_fe.h"
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"
#include "sl_fe_rates.h"
#include "sl_fe_split.h"
#include "sl_fe_shd.h"

static const char *const words[20] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "null", "eins", "zwei", "drei", "vier", "fuenf", "sechs", "sieben", "acht", "neun"};

static int ends_with(const char *s, const char *t) {
  size_t a = strlen(s), b = strlen(t);
  return a >= b && !strcmp(s + a - b, t);
}

typedef struct {
  long n, train, test, valid, over;
  double sum, max;
} tally;

static void add(tally *t, uint8_t split, double sec, double limit) {
  t->n++;
  t->train += !!(split & SL_FE_TRAIN);
  t->test += !!(split & SL_FE_TEST);
  t->valid += !!(split & SL_FE_VALID);
  t->over += sec > limit;
  t->sum += sec;
  if (sec > t->max) t->max = sec;
}

static void row(const char *name, const tally *t) {
  printf("  %-16s %6ld %6ld %6ld %6ld   %5.3f %5.3f %5.1f\n", name, t->n, t->train, t->test, t->valid,
         t->n ? t->sum / (double)t->n : 0.0, t->max, t->n ? 100.0 * (double)t->over / (double)t->n : 0.0);
}

static void header(const char *what) {
  printf("  %-16s %6s %6s %6s %6s   %5s %5s %5s\n", what, "files", "train", "test", "valid", "mean", "max",
         ">0.8");
}

static int summary_hd(const char *dir) {
  sl_fe_hd hd;
  sl_err err;
  if (sl_fe_corpus_open(dir, NULL, &hd, NULL, 0, &err) != SL_OK) {
    sl_cli_error("data", "%s", err.msg);
    return 1;
  }
  const int fsdd = hd.layout == SL_FE_LAYOUT_FSDD;
  tally cls[20] = {{0}}, total = {0}, *spk = calloc(65536, sizeof *spk);
  long chan_other = 0, nrate[SL_FE_RATES_MAX] = {0};
  sl_fe_rates rates = {0};
  for (size_t i = 0; i < hd.n; i++) {
    char path[1200];
    sl_fe_info si;
    if (sl_fe_audio_probe(sl_fe_hd_path(&hd, i, path, sizeof path), &si, &err) != SL_OK) {
      sl_cli_error("data", "%s", err.msg);
      free(spk);
      sl_fe_hd_free(&hd);
      return 1;
    }
    double sec = si.seconds;
    sl_fe_rates_add(&rates, si.rate);
    for (size_t r = 0; r < rates.n; r++)
      if (rates.rate[r] == si.rate) nrate[r]++;
    chan_other += si.channels != 1;
    add(&cls[hd.e[i].label], hd.e[i].split, sec, 0.8);
    add(&spk[hd.e[i].speaker], hd.e[i].split, sec, 0.8);
    add(&total, hd.e[i].split, sec, 0.8);
  }
  printf("%s: %s, %zu files, %.1f s of audio, %ld not mono; validation %s\n", dir,
         fsdd ? "FSDD folder (official split: takes 0-4 test)" : "Heidelberg Digits directory", hd.n, total.sum,
         chan_other, hd.valid_from_list ? "from validation_filenames.txt" : "carved by rule (no list)");
  printf("sample rates:");
  for (size_t r = 0; r < rates.n; r++) printf(" %d Hz (%ld files)", (int)rates.rate[r], nrate[r]);
  printf("%s\n", rates.more ? " and more" : "");
  sl_fe_params p;
  sl_fe_params_default(&p);
  char warn[400];
  if (sl_fe_rates_warning(&rates, &p, warn, sizeof warn)) printf("note: %s\n", warn);
  else if (sl_fe_bandwidth(&p, rates.lo) < p.sample_rate / 2)
    printf("note: the features reach %d Hz (the files' Nyquist frequency); bands above it stay at the floor\n",
           (int)sl_fe_bandwidth(&p, rates.lo));
  printf("per class (durations in s; >0.8 = %% longer than the 80 frames the front end keeps)\n");
  header("class");
  for (int c = 0; c < (fsdd ? 10 : 20); c++) {
    char name[40];
    snprintf(name, sizeof name, "%2d %s %s", c, c < 10 ? "en" : "de", words[c]);
    row(name, &cls[c]);
  }
  printf("per speaker\n");
  header("speaker");
  for (int s = 0; s < 65536; s++)
    if (spk[s].n) {
      char name[48];
      if (fsdd) snprintf(name, sizeof name, "%d %s", s, hd.speaker_names[s]);
      else snprintf(name, sizeof name, "%02d", s);
      row(name, &spk[s]);
    }
  header("total");
  row("all", &total);
  free(spk);
  sl_fe_hd_free(&hd);
  return 0;
}

static int summary_shd(const char *path) {
  sl_fe_shd s;
  sl_err err;
  if (sl_fe_shd_read(path, &s, &err) != SL_OK) {
    sl_cli_error("data", "%s", err.msg);
    return 1;
  }
  long cls[65536 / 64] = {0};
  long *spk = calloc(65536, sizeof *spk);
  float tmax = 0.0f;
  uint16_t umax = 0;
  for (uint64_t k = 0; k < s.off[s.n]; k++) {
    if (s.times[k] > tmax) tmax = s.times[k];
    if (s.units[k] > umax) umax = s.units[k];
  }
  for (uint32_t i = 0; i < s.n; i++) {
    if (s.label[i] < sizeof cls / sizeof *cls) cls[s.label[i]]++;
    spk[s.speaker[i]]++;
  }
  printf("%s: SHD layout, %u samples, %llu spikes (%.0f per sample), last spike %.3f s, highest unit %u\n",
         path, s.n, (unsigned long long)s.off[s.n], s.n ? (double)s.off[s.n] / s.n : 0.0, (double)tmax, umax);
  printf("per class:");
  for (size_t c = 0; c < sizeof cls / sizeof *cls; c++)
    if (cls[c]) printf(" %zu:%ld", c, cls[c]);
  printf("\nper speaker:");
  for (int c = 0; c < 65536; c++)
    if (spk[c]) printf(" %d:%ld", c, spk[c]);
  printf("\n");
  free(spk);
  sl_fe_shd_free(&s);
  return 0;
}

static int summary_cache(const char *path, int list) {
  sl_fe_cache c;
  sl_err err;
  if (sl_fe_cache_load(path, &c, &err) != SL_OK) {
    sl_cli_error("data", "%s", err.msg);
    return 1;
  }
  long train = 0, test = 0, valid = 0;
  for (uint32_t i = 0; i < c.n; i++) {
    train += !!(c.split[i] & SL_FE_TRAIN);
    test += !!(c.split[i] & SL_FE_TEST);
    valid += !!(c.split[i] & SL_FE_VALID);
  }
  sl_fe_params p;
  sl_fe_params_default(&p);
  char recipe[160] = "not the default recipe";
  if (c.params_hash == sl_fe_params_hash(&p)) snprintf(recipe, sizeof recipe, "the default recipe");
  else if (c.minor) { /* what the cache records of it (docs/formats-features.md) */
    char band[24] = "none";
    if (c.band_limit) snprintf(band, sizeof band, "%u Hz", c.band_limit);
    snprintf(recipe, sizeof recipe, "not the default recipe: band limit %s, top_db %g dB, scale %g", band,
             (double)c.top_db, (double)c.scale);
  }
  printf("%s: feature cache v%d, %u utterances x %u frames x %u bands; train %ld (validation %ld), test %ld;\n"
         "  parameters %016llx (%s), corpus %016llx\n",
         path, SL_FE_CACHE_VERSION, c.n, c.n_frames, c.n_mels, train, valid, test,
         (unsigned long long)c.params_hash, recipe, (unsigned long long)c.corpus_key);
  if (list)
    for (uint32_t i = 0; i < c.n; i++)
      printf("%u %u %s %s\n", i, c.label[i], c.split[i] & SL_FE_TEST ? "test" : c.split[i] & SL_FE_VALID ? "valid" : "train",
             c.name[i]);
  sl_fe_cache_free(&c);
  return 0;
}

/* Waveform (min/max envelope) above the 80 x 40 features, one PNG, via gnuplot. */
static int plot_sample(const char *dir, const char *want, const char *png) {
  sl_fe_hd hd;
  sl_err err;
  if (sl_fe_corpus_open(dir, NULL, &hd, NULL, 0, &err) != SL_OK) {
    sl_cli_error("data", "%s", err.msg);
    return 1;
  }
  size_t idx = hd.n;
  for (size_t i = 0; i < hd.n && idx == hd.n; i++)
    if (want ? !strcmp(hd.e[i].name, want) : (hd.e[i].split & SL_FE_TEST) != 0) idx = i;
  if (idx == hd.n) {
    sl_cli_error("data", "%s: no sample %s", dir, want ? want : "in the test set");
    sl_fe_hd_free(&hd);
    return 1;
  }
  if (strchr(png, '\'')) {
    sl_cli_error("data", "%s: a PNG path with a quote is not supported", png);
    sl_fe_hd_free(&hd);
    return 1;
  }
  char path[1200], tdir[] = "/tmp/sl-data-XXXXXX", wav[64], fea[64], tmp[1200];
  sl_fe_hd_path(&hd, idx, path, sizeof path);
  float *x = NULL, feat[80 * 40];
  size_t nx = 0;
  int rc = 1;
  sl_fe_info info;
  sl_fe_params p;
  sl_fe_params_default(&p);
  p.mix_stereo = 1;
  sl_fe *fe = sl_fe_open(&p, &err);
  /* the waveform drawn is the one the features are computed from: mono, at the analysis rate */
  if (!fe || sl_fe_read_audio(fe, path, &x, &nx, &info, &err) != SL_OK) {
    sl_cli_error("data", "%s", err.msg);
    goto out;
  }
  if (sl_fe_features(fe, x, nx, feat, NULL, &err) != SL_OK) {
    sl_cli_error("data", "%s: %s", path, err.msg + (strncmp(err.msg, "front end: ", 11) ? 0 : 11));
    goto out;
  }
  sl_fe_floor_empty_bands(fe, info.rate, feat); /* as `features` computes them */
  if (!mkdtemp(tdir)) {
    sl_cli_error("data", "cannot make a temporary directory");
    goto out;
  }
  snprintf(wav, sizeof wav, "%s/wave.dat", tdir);
  snprintf(fea, sizeof fea, "%s/feat.dat", tdir);
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld.png", png, (long)getpid());
  FILE *fw = fopen(wav, "w"), *ff = fopen(fea, "w");
  if (fw && ff) {
    long buckets = 2000, n = (long)nx, per = (n + buckets - 1) / buckets;
    for (long b = 0; b * per < n; b++) {
      float lo = 1.0f, hi = -1.0f;
      for (long i = b * per; i < (b + 1) * per && i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
      }
      fprintf(fw, "%.6f %.5f\n%.6f %.5f\n", (double)(b * per) / p.sample_rate, lo,
              (double)(b * per) / p.sample_rate, hi);
    }
    for (int m = 0; m < 40; m++)
      for (int t = 0; t < 80; t++) fprintf(ff, "%.4f%c", feat[t * 40 + m], t == 79 ? '\n' : ' ');
  }
  int ok = fw && ff;
  if (fw) ok &= fclose(fw) == 0;
  if (ff) ok &= fclose(ff) == 0;
  FILE *g = ok ? popen("gnuplot 2>&1", "w") : NULL;
  if (!g) {
    sl_cli_error("data", "cannot run gnuplot (scripts/setup.sh installs gnuplot-nox)");
  } else {
    fprintf(g,
            "set terminal pngcairo noenhanced size 900,640 font ',10'\nset output '%s'\n"
            "set multiplot layout 2,1 title '%s (label %u, %s)'\n"
            "set xlabel 'time (s)'\nset ylabel 'amplitude'\nunset key\nset yrange [-1:1]\n"
            "plot '%s' with lines lc rgb '#1f4e79'\n"
            "set xlabel 'frame (10 ms)'\nset ylabel 'mel band'\nset yrange [-0.5:39.5]\nset xrange [-0.5:79.5]\n"
            "set cblabel 'feature (0 = -80 dB, 1.584 = max)'\nset cbrange [0:1.584]\nset palette rgbformulae 33,13,10\n"
            "plot '%s' matrix with image\nunset multiplot\n",
            tmp, hd.e[idx].name, hd.e[idx].label, hd.e[idx].split & SL_FE_TEST ? "test" : "train", wav, fea);
    int st = pclose(g);
    struct stat sb;
    if (st != 0 || stat(tmp, &sb) != 0 || sb.st_size == 0) {
      sl_cli_error("data", "%s: gnuplot failed", png);
      unlink(tmp);
    } else if (rename(tmp, png) != 0) {
      sl_cli_error("data", "%s: cannot rename %s onto it", png, tmp);
      unlink(tmp);
    } else {
      printf("%s: waveform and features of %s\n", png, path);
      rc = 0;
    }
  }
  unlink(wav);
  unlink(fea);
  rmdir(tdir);
out:
  free(x);
  sl_fe_close(fe);
  sl_fe_hd_free(&hd);
  return rc;
}

int sl_cmd_data(int argc, char **argv) {
  if (sl_cli_wants_help(argc, argv)) {
    puts("usage: spikeline data CORPUS_DIR [--png OUT.png [--sample NAME]]   (HD or FSDD)\n"
         "       spikeline data FILE.h5          (an SHD file)\n"
         "       spikeline data CACHE.slf [--list]\n\n"
         "For a Heidelberg Digits directory or an FSDD folder ({digit}_{speaker}_{take}.wav|.flac\n"
         "in CORPUS_DIR or CORPUS_DIR/recordings): per-class and per-speaker file counts (train,\n"
         "test, validation; FSDD: the official split), durations with the share longer than\n"
         "0.8 s, and the sample rates. --png draws a sample's\n"
         "waveform above its 80 x 40 features (default sample: the first test file).\n"
         "For an SHD file: sample, spike, class and speaker counts. For a feature cache: its\n"
         "sizes and keys; --list prints `index label split name` per utterance.");
    return 0;
  }
  const char *in = NULL, *png = NULL, *sample = NULL;
  int list = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--png") && i + 1 < argc) png = argv[++i];
    else if (!strcmp(argv[i], "--sample") && i + 1 < argc) sample = argv[++i];
    else if (!strcmp(argv[i], "--list")) list = 1;
    else if (argv[i][0] != '-' && !in) in = argv[i];
    else {
      sl_cli_error("data", "unexpected argument '%s' (see --help)", argv[i]);
      return 2;
    }
  }
  if (!in) {
    sl_cli_error("data", "need a corpus directory, an SHD file or a feature cache (see --help)");
    return 2;
  }
  struct stat st;
  if (stat(in, &st) != 0) {
    sl_cli_error("data", "%s: no such file or directory", in);
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    int rc = summary_hd(in);
    if (rc == 0 && png) rc = plot_sample(in, sample, png);
    return rc;
  }
  if (png) {
    sl_cli_error("data", "--png needs a corpus directory");
    return 2;
  }
  if (ends_with(in, ".slf")) return summary_cache(in, list);
  return summary_shd(in);
}
