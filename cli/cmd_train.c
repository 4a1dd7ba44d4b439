/* cmd_train.c — `spikeline train` and `spikeline eval`: the host trainer (trainer/) from the
 * command line. Data: event files with labels (the hardware's own input), or the built-in
 * synthetic corpus. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sl_cli.h"
#include "sl_cli_recipe.h"
#include "sl_export.h"
#ifdef SL_HAVE_FRONTEND
#include "sl_fe_cache.h"
#endif
#include "sl_image.h"
#include "sl_parse.h"
#include "sl_run.h"

typedef struct {
  const char *train, *val, *test, *features, *extra;
  int synth;          /* samples per class of the synthetic corpus (0 = none) */
  uint64_t synth_seed;
  const char *cmd;    /* for the messages */
  int bad;            /* an option was refused (the message is printed) */
} data_opts;

#define SL_MAX_SYNTH 100000 /* samples per class */
#define SL_MAX_THREADS 1024

/* Labels of the samples first..d->n-1 (all from one file) must name a readout. */
static int check_labels(const char *cmd, const char *path, const sl_dataset *d, int32_t first, int32_t n_out) {
  for (int32_t i = first; i < d->n; i++)
    if (d->label[i] < 0 || d->label[i] >= n_out) {
      sl_cli_error(cmd, "%s: sample %d has label %d, but the network has %d readouts (labels 0..%d)", path,
                   i - first, d->label[i], n_out, n_out - 1);
      return 0;
    }
  return 1;
}

static int load_data(const char *cmd, const data_opts *o, const sl_train_cfg *c, sl_dataset *d) {
  sl_err err;
  if (o->features) {
#ifdef SL_HAVE_FRONTEND
    if (sl_data_from_cache(d, o->features, c->in_scale * 255.0f, &err)) {
      sl_cli_error(cmd, "%s", err.msg);
      return 0;
    }
    if (!check_labels(cmd, o->features, d, 0, c->n_out)) { sl_data_free(d); return 0; }
    if (o->extra) {
      const int32_t first = d->n;
      if (sl_data_add_cache(d, o->extra, c->in_scale * 255.0f, SL_SPLIT_TRAIN, &err)) {
        sl_cli_error(cmd, "%s", err.msg);
        sl_data_free(d);
        return 0;
      }
      if (!check_labels(cmd, o->extra, d, first, c->n_out)) { sl_data_free(d); return 0; }
    }
    return 1;
#else
    sl_cli_error(cmd, "built without the front end: --features is not available");
    return 0;
#endif
  }
  if (o->synth > 0 || (!o->train && !o->test)) {
    int per = o->synth > 0 ? o->synth : 60;
    if (sl_data_synth(d, per, c->n_out, c->n_in, c->steps, c->in_scale, o->synth_seed, &err)) {
      sl_cli_error(cmd, "%s", err.msg);
      return 0;
    }
    return 1;
  }
  if (sl_data_init(d, c->steps, c->n_in, &err)) {
    sl_cli_error(cmd, "%s", err.msg);
    return 0;
  }
  const char *files[3] = {o->train, o->val, o->test};
  for (int s = 0; s < 3; s++) {
    if (!files[s]) continue;
    const int32_t first = d->n;
    if (sl_data_add_events(d, files[s], s, &err)) {
      sl_cli_error(cmd, "%s", err.msg);
      sl_data_free(d);
      return 0;
    }
    if (!check_labels(cmd, files[s], d, first, c->n_out)) { sl_data_free(d); return 0; }
  }
  return 1;
}

/* An integer option in lo..hi; else a one-line error naming it. */
static int int_option(const char *cmd, const char *opt, const char *v, int64_t lo, int64_t hi, int64_t *out) {
  sl_parse_result r = sl_parse_int(v, lo, hi, out);
  if (r == SL_PARSE_RANGE)
    sl_cli_error(cmd, "%s %s out of range %lld..%lld", opt, v, (long long)lo, (long long)hi);
  else if (r)
    sl_cli_error(cmd, "%s '%s': %s", opt, v, sl_parse_what(r));
  return r == SL_PARSE_OK;
}

/* Options shared by train and eval; returns 1 if argv[*i] was consumed (o->bad: refused). */
static int data_option(int argc, char **argv, int *i, data_opts *o) {
  const char *a = argv[*i];
  const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
  if (!v) return 0;
  int64_t n;
  if (!strcmp(a, "--features")) o->features = v;
  else if (!strcmp(a, "--extra-train")) o->extra = v;
  else if (!strcmp(a, "--train-events")) o->train = v;
  else if (!strcmp(a, "--val-events")) o->val = v;
  else if (!strcmp(a, "--test-events")) o->test = v;
  else if (!strcmp(a, "--synth")) {
    if (!int_option(o->cmd, a, v, 1, SL_MAX_SYNTH, &n)) { o->bad = 1; return 1; }
    o->synth = (int)n;
  } else if (!strcmp(a, "--synth-seed")) {
    sl_parse_result r = sl_parse_u64(v, &o->synth_seed);
    if (r) { sl_cli_error(o->cmd, "%s '%s': %s (an unsigned 64-bit integer)", a, v, sl_parse_what(r)); o->bad = 1; }
  } else return 0;
  (*i)++;
  return 1;
}

/* The data source of a split, for messages: the file it came from, or the synthetic corpus. */
static const char *data_source(const data_opts *o, int split) {
  if (o->features) return o->features;
  if (o->synth > 0 || (!o->train && !o->test)) return "the synthetic corpus";
  const char *files[3] = {o->train, o->val, o->test};
  return split >= 0 && split < 3 && files[split] ? files[split] : o->test ? o->test : o->train;
}

/* A run needs samples in a split: 1 if there are, else a one-line error naming the data. */
static int have_samples(const char *cmd, const data_opts *o, int split, const char *what, int32_t n) {
  if (n > 0) return 1;
  sl_cli_error(cmd, "%s: no %s%ssamples", data_source(o, split), split == SL_SPLIT_ALL ? "" : what,
               split == SL_SPLIT_ALL ? "" : " ");
  return 0;
}

/* The recipe of the feature cache (and of an --extra-train cache, which must be the same):
 * recorded in the run (model.slm) and, unless in-scale was given (scale_given), the source of
 * cfg->in_scale = top_db * scale / 255 (the default scale for the default recipe). 0 after a
 * one-line error. */
static int recipe_of_features(const char *cmd, const data_opts *o, sl_train_cfg *cfg, const char *scale_given,
                              sl_run_opts *ro, char *from, size_t len) {
#ifdef SL_HAVE_FRONTEND
  sl_fe_cache c, x;
  sl_err err;
  if (sl_fe_cache_head(o->features, &c, &err)) {
    sl_cli_error(cmd, "%s", err.msg);
    return 0;
  }
  if (o->extra) {
    char why[2400];
    if (sl_fe_cache_head(o->extra, &x, &err)) {
      sl_cli_error(cmd, "%s", err.msg);
      return 0;
    }
    if (c.minor && x.minor &&
        sl_cli_recipe_differs(c.band_limit, c.top_db, o->features, x.band_limit, x.top_db, o->extra, why, sizeof why)) {
      sl_cli_error(cmd, "%s and %s: different front-end recipes: %s; re-run `spikeline features` on one of them",
                   o->features, o->extra, why);
      return 0;
    }
  }
  if (c.minor) { /* a minor-0 cache records no recipe: nothing recorded in the model */
    ro->band_limit = c.band_limit;
    ro->top_db = c.top_db;
  }
  const float derived = sl_fe_cache_in_scale(&c);
  if (scale_given) {
    if (c.minor && derived != cfg->in_scale)
      fprintf(stderr, "spikeline %s: in-scale %.9g (%s), though the recipe of %s gives %.9g\n", cmd,
              (double)cfg->in_scale, scale_given, o->features, (double)derived);
    return 1;
  }
  if (!c.minor) {
    snprintf(from, len, "the default (%s records no recipe)", o->features);
    return 1;
  }
  cfg->in_scale = derived;
  snprintf(from, len, "the recipe of %s (top_db %g dB x scale %g / 255)", o->features, (double)c.top_db,
           (double)c.scale);
  return 1;
#else
  (void)cmd; (void)o; (void)cfg; (void)scale_given; (void)ro; (void)from; (void)len;
  return 1;
#endif
}

static void train_help(void) {
  puts("usage: spikeline train [--config FILE] [--OPTION VALUE ...] [data] [-o DIR] [--resume]\n"
       "                       [--init RUN/checkpoint.slc]\n"
       "\n"
       "Trains the delay-SNN (inputs -> LIF hidden -> leaky-integrator readouts, delayed synapses)\n"
       "with surrogate-gradient BPTT; delays by DCLS (--delays dcls) and/or structure (--deepr 1);\n"
       "then quantisation-aware fine-tuning, export of DIR/model.slm and its deployed accuracy on\n"
       "the test split through the bit-accurate C model. Writes into DIR (default train-out):\n"
       "checkpoint.slc (atomic, every epoch), metrics.csv, curves.png, model.slm, summary.txt.\n"
       "\n"
       "data:  --features CACHE.slf   a front-end feature cache (spikeline features); payload =\n"
       "                 round(f / in-scale), its train / validation / test splits. Without\n"
       "                 --in-scale (here or in a config) in-scale comes from the cache's recipe,\n"
       "                 top_db x scale / 255 (1.584/255 by default); model.slm records the recipe\n"
       "       --train-events F.sle --val-events F.sle --test-events F.sle   labelled event files\n"
       "       --synth N [--synth-seed S]   synthetic corpus, N samples per class (the default)\n"
       "       --extra-train CACHE.slf   with --features: every sample of a further cache joins the\n"
       "                 training split (e.g. the synthetic corpus beside real recordings)\n"
       "run:   -o DIR   --resume (continue DIR/checkpoint.slc exactly)   --threads N\n"
       "       --init CKPT   start from the best snapshot of another run's checkpoint (weights,\n"
       "                     delays, structure; same network shape), with this run's schedule\n"
       "       --progress / --no-progress   --quiet   --no-plot   --print-config\n"
       "config file lines are 'option = value' with the option names below.\n\noptions:");
  sl_train_cfg_help(stdout);
}

int sl_cmd_train(int argc, char **argv) {
  sl_train_cfg cfg;
  sl_train_cfg_default(&cfg);
  sl_run_opts ro = {.out_dir = "train-out", .progress = -1, .plot = 1};
  data_opts dopt = {.synth_seed = 7, .cmd = "train"};
  int print_cfg = 0;
  const char *scale_given = NULL; /* where an explicit in-scale was set, NULL: nowhere */
  char given_buf[1100];
  sl_err err;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { train_help(); return 0; }
    if (data_option(argc, argv, &i, &dopt)) {
      if (dopt.bad) return 2;
      continue;
    }
    if (!strcmp(a, "--resume")) { ro.resume = 1; continue; }
    if (!strcmp(a, "--progress")) { ro.progress = 1; continue; }
    if (!strcmp(a, "--no-progress")) { ro.progress = 0; continue; }
    if (!strcmp(a, "--quiet")) { ro.quiet = 1; continue; }
    if (!strcmp(a, "--no-plot")) { ro.plot = 0; continue; }
    if (!strcmp(a, "--print-config")) { print_cfg = 1; continue; }
    if (i + 1 >= argc || strncmp(a, "-", 1)) {
      sl_cli_error("train", "unexpected argument '%s' (see --help)", a);
      return 2;
    }
    const char *v = argv[++i];
    if (!strcmp(a, "-o") || !strcmp(a, "--out")) ro.out_dir = v;
    else if (!strcmp(a, "--threads")) {
      int64_t n;
      if (!int_option("train", a, v, 0, SL_MAX_THREADS, &n)) return 2;
      ro.threads = (int)n;
    }
    else if (!strcmp(a, "--init")) ro.init = v;
    else if (!strcmp(a, "--config")) {
      /* does the file set in-scale? a NaN (which no value parses to) tells */
      const float before = cfg.in_scale;
      cfg.in_scale = NAN;
      if (sl_train_cfg_load(&cfg, v, &err)) { sl_cli_error("train", "%s", err.msg); return 2; }
      if (isnan(cfg.in_scale)) cfg.in_scale = before;
      else {
        snprintf(given_buf, sizeof given_buf, "in-scale of the configuration %s", v);
        scale_given = given_buf;
      }
    } else if (!strncmp(a, "--", 2)) {
      if (sl_train_cfg_set(&cfg, a + 2, v, &err)) { sl_cli_error("train", "%s", err.msg); return 2; }
      if (!strcmp(a, "--in-scale")) scale_given = "--in-scale";
    } else {
      sl_cli_error("train", "unknown option '%s' (see --help)", a);
      return 2;
    }
  }
  if (sl_train_cfg_check(&cfg, &err)) { sl_cli_error("train", "%s", err.msg); return 2; }
  if (dopt.extra && !dopt.features) {
    sl_cli_error("train", "--extra-train %s needs --features (the data it is added to)", dopt.extra);
    return 2;
  }
  /* the input scale: --in-scale (command line or configuration), else the recipe of the
   * feature cache, else the default (docs/trainer.md "Input scale") */
  char scale_from[1400];
  snprintf(scale_from, sizeof scale_from, "%s", scale_given ? scale_given : "the default");
  if (dopt.features && !recipe_of_features("train", &dopt, &cfg, scale_given, &ro, scale_from, sizeof scale_from))
    return 1;
  ro.in_scale_from = scale_from;
  if (sl_train_cfg_check(&cfg, &err)) { sl_cli_error("train", "%s", err.msg); return 2; }
  if (print_cfg) { sl_train_cfg_print(stdout, &cfg); return 0; }
  sl_dataset d;
  if (!load_data("train", &dopt, &cfg, &d)) return 1;
  int32_t n_train = 0;
  for (int32_t i = 0; i < d.n; i++) n_train += d.split[i] == SL_SPLIT_TRAIN;
  if (!have_samples("train", &dopt, SL_SPLIT_TRAIN, "training", n_train)) { sl_data_free(&d); return 1; }
  sl_run_result res;
  sl_status st = sl_train_run(&cfg, &d, &ro, &res, &err);
  sl_data_free(&d);
  if (st) { sl_cli_error("train", "%s", err.msg); return 1; }
  printf("deployed accuracy %.2f%% (C model, test split), float %.2f%%, best epoch %d, %.3f s/epoch, peak %ld MB\n",
         100 * res.deployed_acc, 100 * res.test_acc_float, res.best_epoch, res.epoch_seconds, res.peak_rss_kb / 1024);
  return 0;
}

static int ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

/* Accuracy per speaker and language (labels >= 10 are German in the HD layout) over a split:
 * subsets of idx handed to the same evaluator as the whole split. */
typedef double (*acc_fn)(void *ctx, const sl_dataset *d, const int32_t *idx, int32_t n);
static void print_per_speaker(const sl_dataset *d, const int32_t *idx, int32_t n, acc_fn f, void *ctx) {
  int32_t *sub = malloc(sizeof(int32_t) * (n ? n : 1));
  if (!sub) return;
  int max_spk = -1;
  for (int32_t i = 0; i < n; i++) max_spk = d->speaker[idx[i]] > max_spk ? d->speaker[idx[i]] : max_spk;
  int w = 7; /* speaker names (from the file names, sl_data_name_speakers) set the width */
  for (int32_t s = 0; d->speaker_name && s < d->n_speakers; s++)
    w = (int)strlen(d->speaker_name[s]) > w ? (int)strlen(d->speaker_name[s]) : w;
  printf("%*s  language  samples  accuracy\n", w, "speaker");
  for (int spk = -1; spk <= max_spk; spk++)
    for (int lang = 0; lang < 2; lang++) {
      int32_t k = 0;
      for (int32_t i = 0; i < n; i++)
        if (d->speaker[idx[i]] == spk && (d->label[idx[i]] >= 10) == lang) sub[k++] = idx[i];
      char name[SL_DATA_SPEAKER_LEN + 16];
      if (spk >= 0 && d->speaker_name && spk < d->n_speakers) snprintf(name, sizeof name, "%s", d->speaker_name[spk]);
      else snprintf(name, sizeof name, "%d", spk);
      if (k) printf("%*s  %-8s  %7d  %7.2f%%\n", w, name, lang ? "german" : "english", k, 100 * f(ctx, d, sub, k));
    }
  /* the same samples in two groups: speakers with files in the cache's train split (new
   * utterances of voices training heard, when the model was trained on this cache) and
   * speakers without. The cache cannot tell what another corpus's model heard: say which. */
  uint8_t *heard = calloc((size_t)max_spk + 2, 1);
  if (heard) {
    for (int32_t i = 0; i < d->n; i++)
      if (d->split[i] == SL_SPLIT_TRAIN && d->speaker[i] >= 0 && d->speaker[i] <= max_spk) heard[d->speaker[i]] = 1;
    for (int g = 1; g >= 0; g--) {
      int32_t k = 0;
      for (int32_t i = 0; i < n; i++)
        if (d->speaker[idx[i]] >= 0 && heard[d->speaker[idx[i]]] == g) sub[k++] = idx[i];
      if (k) printf("%-35s  %7d  %7.2f%%\n", g ? "speakers in the cache's train split" : "speakers not in its train split", k,
                    100 * f(ctx, d, sub, k));
    }
    free(heard);
  }
  free(sub);
}

static double acc_deployed(void *ctx, const sl_dataset *d, const int32_t *idx, int32_t n) {
  sl_run_stats rs = {0};
  sl_err err;
  return sl_deployed_accuracy((const sl_net *)ctx, d, idx, n, &rs, &err);
}

static double acc_float(void *ctx, const sl_dataset *d, const int32_t *idx, int32_t n) {
  sl_stats st;
  sl_model_eval((sl_model *)ctx, d, idx, n, &st);
  return n ? (double)st.correct / n : 0;
}

/* The input scale features are quantised with: --in-scale if given (saying so on stderr when
 * the model records another), else the model's own (recorded), else the default. */
static float eval_scale(const char *model, float recorded, float user, float def, const char **why) {
  if (user > 0) {
    if (recorded > 0 && recorded != user)
      fprintf(stderr, "spikeline eval: quantising features with --in-scale %.9g, not the %.9g %s was trained with\n",
              (double)user, (double)recorded, model);
    *why = "--in-scale";
    return user;
  }
  *why = recorded > 0 ? "the model's" : "the default; the model records none";
  return recorded > 0 ? recorded : def;
}

/* Every sample's channels must reach an input of the model, and a checkpoint needs its own
 * number of steps. */
static int data_fits(const char *cmd, const data_opts *o, const sl_dataset *d, int32_t n_in, int32_t steps,
                     const char *model) {
  if (d->channels > n_in || (steps > 0 && (d->channels != n_in || d->steps != steps))) {
    sl_cli_error(cmd, "%s: %d channels x %d steps, but %s takes %d inputs%s", data_source(o, SL_SPLIT_TEST),
                 d->channels, d->steps, model, n_in, steps > 0 ? " and that many steps" : "");
    return 0;
  }
  return 1;
}

int sl_cmd_eval(int argc, char **argv) {
  data_opts dopt = {.synth_seed = 7, .cmd = "eval"};
  const char *model = NULL;
  int quant = 0, current = 0, threads = 0, per_speaker = 0, rule = SL_RULE_HARDWARE;
  float user_scale = 0; /* --in-scale; 0 = the model's */
  const char *split_name = "test";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      puts("usage: spikeline eval MODEL [--quant] [--current] [--split train|val|test|all] [--per-speaker]\n"
           "                      [--in-scale X] [--rule hardware|softmax|vote] [data]\n"
           "\n"
           "MODEL.slc (a training checkpoint): the float network with integer delays, its best\n"
           "(validation) snapshot unless --current; --quant uses the int8-quantised weights.\n"
           "MODEL.slm (an exported image): the bit-accurate C model, hardware decision rule.\n"
           "data: as for train (--features CACHE.slf, --test-events F.sle, or --synth N\n"
           "--synth-seed S); the split defaults to test; all = every sample (e.g. a foreign\n"
           "corpus: an FSDD cache evaluated by a model trained on HD). Features are quantised with\n"
           "the input scale the model was trained with (recorded in the image, or the checkpoint's\n"
           "configuration; the default for an image that records none); --in-scale X overrides it.\n"
           "Prints accuracy and mean loss; --per-speaker adds a table of the accuracy per speaker\n"
           "(named from the file names: HD speaker-NN, FSDD {digit}_{name}_{take}) and language,\n"
           "then the accuracy over the speakers that have files in the cache's train split (heard\n"
           "in training if the model was trained on this cache) and over the other speakers.\n"
           "--rule (checkpoints only): the decision counted — hardware (argmax of the summed\n"
           "readout membrane, default), softmax (the reference method's argmax of the summed\n"
           "per-step softmax) or vote (the class leading the most steps).");
      return 0;
    }
    if (data_option(argc, argv, &i, &dopt)) {
      if (dopt.bad) return 2;
      if (dopt.extra) {
        sl_cli_error("eval", "--extra-train is an option of train, not of eval");
        return 2;
      }
      continue;
    }
    if (!strcmp(a, "--quant")) quant = 1;
    else if (!strcmp(a, "--current")) current = 1;
    else if (!strcmp(a, "--per-speaker")) per_speaker = 1;
    else if (!strcmp(a, "--rule") && i + 1 < argc) {
      const char *r = argv[++i];
      rule = !strcmp(r, "hardware") ? SL_RULE_HARDWARE : !strcmp(r, "softmax") ? SL_RULE_SOFTMAX
           : !strcmp(r, "vote") ? SL_RULE_VOTE : -1;
      if (rule < 0) { sl_cli_error("eval", "rule must be hardware, softmax or vote, not '%s'", r); return 2; }
    }
    else if (!strcmp(a, "--split") && i + 1 < argc) split_name = argv[++i];
    else if (!strcmp(a, "--in-scale") && i + 1 < argc) {
      const char *v = argv[++i];
      sl_parse_result r = sl_parse_real(v, &user_scale);
      if (r) { sl_cli_error("eval", "--in-scale '%s': %s", v, sl_parse_what(r)); return 2; }
      if (!(user_scale > 0 && user_scale <= 1e6f)) {
        sl_cli_error("eval", "--in-scale %s not in (0, 1e6]", v);
        return 2;
      }
    }
    else if (!strcmp(a, "--threads") && i + 1 < argc) {
      int64_t t;
      if (!int_option("eval", a, argv[++i], 0, SL_MAX_THREADS, &t)) return 2;
      threads = (int)t;
    }
    else if (a[0] != '-' && !model) model = a;
    else { sl_cli_error("eval", "unexpected argument '%s' (see --help)", a); return 2; }
  }
  if (!model) { sl_cli_error("eval", "need a MODEL (.slc or .slm)"); return 2; }
  int split = !strcmp(split_name, "train") ? SL_SPLIT_TRAIN : !strcmp(split_name, "val") ? SL_SPLIT_VAL
            : !strcmp(split_name, "test") ? SL_SPLIT_TEST : !strcmp(split_name, "all") ? SL_SPLIT_ALL : -1;
  if (split < 0) { sl_cli_error("eval", "split must be train, val, test or all, not '%s'", split_name); return 2; }
  sl_err err;
  sl_dataset d;
  int32_t n;
  if (ends_with(model, ".slm") && rule != SL_RULE_HARDWARE) {
    sl_cli_error("eval", "%s: an exported image decides by the hardware rule; --rule needs a checkpoint (.slc)", model);
    return 2;
  }
  if (ends_with(model, ".slm")) {
    sl_net *net = sl_net_new();
    sl_image_meta meta;
    if (!net || sl_image_load_meta(model, net, NULL, &meta, &err)) { sl_cli_error("eval", "%s", net ? err.msg : "out of memory"); sl_net_free(net); return 1; }
    /* features of another recipe than the model's training features: refused, not misread */
    if (dopt.features && !sl_cli_recipe_fits("eval", model, &meta, dopt.features)) { sl_net_free(net); return 1; }
    sl_train_cfg c;
    sl_train_cfg_default(&c);
    const char *scale_from;
    c.in_scale = eval_scale(model, meta.in_scale, user_scale, c.in_scale, &scale_from);
    c.n_in = net->n_inputs;
    uint32_t ro = 0;
    for (uint32_t p = 0; p < net->n_pops; p++) if (net->pop[p].flags & SL_POP_READOUT) ro += net->pop[p].count;
    c.n_out = (int32_t)ro;
    if (dopt.test) {
      sl_eventset es = {0};
      if (sl_events_load(dopt.test, &es, &err)) { sl_cli_error("eval", "%s", err.msg); sl_net_free(net); return 1; }
      c.steps = (int32_t)es.steps;
      c.n_in = (int32_t)es.channels;
      sl_events_free(&es);
    }
    if (!load_data("eval", &dopt, &c, &d)) { sl_net_free(net); return 1; }
    if (!data_fits("eval", &dopt, &d, net->n_inputs, 0, model)) { sl_net_free(net); sl_data_free(&d); return 1; }
    int32_t *idx = sl_data_split(&d, split, &n);
    if (!have_samples("eval", &dopt, split, split_name, n)) { free(idx); sl_net_free(net); sl_data_free(&d); return 1; }
    sl_run_stats rs = {0};
    double acc = sl_deployed_accuracy(net, &d, idx, n, &rs, &err);
    if (acc >= 0 && per_speaker) print_per_speaker(&d, idx, n, acc_deployed, net);
    free(idx);
    sl_net_free(net);
    sl_data_free(&d);
    if (acc < 0) { sl_cli_error("eval", "%s", err.msg); return 1; }
    printf("%s: deployed (C model) accuracy %.2f%% on %d %s samples; %.1f spikes, %.0f synaptic ops per sample; "
           "input scale %.9g (%s)\n", model, 100 * acc, n, split_name, n ? (double)rs.spikes / n : 0,
           n ? (double)rs.synops / n : 0, (double)c.in_scale, scale_from);
    return 0;
  }
  sl_model m;
  if (sl_ckpt_load(&m, model, threads, &err)) { sl_cli_error("eval", "%s", err.msg); return 1; }
  const char *scale_from;
  m.cfg.in_scale = eval_scale(model, m.cfg.in_scale, user_scale, m.cfg.in_scale, &scale_from);
  if (!load_data("eval", &dopt, &m.cfg, &d)) { sl_model_free(&m); return 1; }
  if (!data_fits("eval", &dopt, &d, m.cfg.n_in, m.cfg.steps, model)) { sl_data_free(&d); sl_model_free(&m); return 1; }
  if (!current) sl_model_restore(&m);
  m.rule = rule;
  sl_model_prepare(&m, 0, quant);
  int32_t *idx = sl_data_split(&d, split, &n);
  if (!have_samples("eval", &dopt, split, split_name, n)) { free(idx); sl_data_free(&d); sl_model_free(&m); return 1; }
  sl_stats st;
  sl_model_eval(&m, &d, idx, n, &st);
  static const char *rule_names[] = {"hardware", "softmax", "vote"};
  printf("%s: %s accuracy %.2f%% on %d %s samples, loss %.4f (integer delays, %s weights, %s rule); "
         "input scale %.9g (%s)\n", model, current ? "current" : "best-snapshot", n ? 100.0 * st.correct / n : 0, n,
         split_name, st.loss, quant ? "int8-quantised" : "float", rule_names[rule], (double)m.cfg.in_scale,
         scale_from);
  if (per_speaker) print_per_speaker(&d, idx, n, acc_float, &m);
  free(idx);
  sl_data_free(&d);
  sl_model_free(&m);
  return 0;
}
