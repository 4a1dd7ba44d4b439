/* sl_run.c — the training driver (see sl_run.h and docs/trainer.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "sl_atomic.h"
#include "sl_augment.h"
#include "sl_export.h"
#include "sl_image.h"
#include "sl_run.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void mkdir_p(const char *dir) {
  char b[1024];
  snprintf(b, sizeof b, "%s", dir);
  for (char *p = b + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      mkdir(b, 0777);
      *p = '/';
    }
  mkdir(b, 0777);
}

long sl_peak_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

void sl_model_eval(sl_model *m, const sl_dataset *d, const int32_t *idx, int32_t n, sl_stats *st) {
  const int B = m->cfg.batch;
  const size_t per = (size_t)d->steps * d->channels;
  const uint8_t **pay = malloc(sizeof(uint8_t *) * (size_t)B);
  int32_t *lab = malloc(sizeof(int32_t) * (size_t)B);
  memset(st, 0, sizeof *st);
  if (!pay || !lab) { free(pay); free(lab); return; }
  for (int32_t b0 = 0; b0 < n; b0 += B) {
    const int nb = n - b0 < B ? n - b0 : B;
    for (int k = 0; k < nb; k++) {
      pay[k] = d->pay + per * idx[b0 + k];
      lab[k] = d->label[idx[b0 + k]];
    }
    sl_model_batch(m, pay, lab, nb, 0, 0, st);
  }
  if (st->n) st->loss /= st->n;
  free(pay);
  free(lab);
}

static void fmt_time(char *b, size_t n, double s) {
  if (s < 0 || s > 1e7) s = 0;
  int m = (int)(s / 60), h = m / 60;
  if (h)
    snprintf(b, n, "%dh%02dm", h, m % 60);
  else
    snprintf(b, n, "%dm%02ds", m, (int)s % 60);
}

static void progress(int epoch, int total, double frac, double loss, double acc, double eta) {
  char bar[31], et[32];
  int k = (int)(frac * 30);
  for (int i = 0; i < 30; i++) bar[i] = i < k ? '#' : '.';
  bar[30] = 0;
  fmt_time(et, sizeof et, eta);
  fprintf(stderr, "\repoch %3d/%d [%s] %3.0f%% loss %.4f acc %5.1f%% ETA %s   ", epoch, total, bar, 100 * frac, loss,
          100 * acc, et);
  fflush(stderr);
}

/* metrics.csv: kept as lines in memory, rewritten whole (atomically) every epoch. On resume
 * the lines of epochs already done are read back. */
typedef struct {
  char **line;
  int n, cap;
} lines_t;

static void lines_add(lines_t *L, const char *s) {
  if (L->n == L->cap) {
    if (L->cap > (1 << 24)) return; /* bounded: one line per epoch, epochs <= 2 x 10^6 */
    int cap = L->cap ? 2 * L->cap : 64;
    char **p = realloc(L->line, sizeof(char *) * cap);
    if (!p) return;
    L->line = p;
    L->cap = cap;
  }
  L->line[L->n++] = strdup(s);
}

static void lines_free(lines_t *L) {
  for (int i = 0; i < L->n; i++) free(L->line[i]);
  free(L->line);
}

static const char *CSV_HEADER =
    "epoch,phase,sigma,lr_w,lr_pos,train_loss,train_acc,val_loss,val_acc,test_acc,spikes_per_neuron,pruned,seconds\n";

static void write_plot(const char *dir, const char *csv) {
  char png[1200], cmd[6000];
  snprintf(png, sizeof png, "%s/curves.png", dir);
  if (system("command -v gnuplot >/dev/null 2>&1") != 0) return;
  snprintf(cmd, sizeof cmd,
           "gnuplot -e \"set terminal pngcairo size 1000,420 noenhanced; set output '%s'; set datafile separator ',';"
           " set key autotitle columnhead; set multiplot layout 1,2; set xlabel 'epoch';"
           " set title 'loss (fine-tuning adds the membrane term)'; set logscale y;"
           " plot '%s' using 1:6 with lines title 'train', '' using 1:8 with lines title 'validation';"
           " unset logscale y; set title 'accuracy (hardware decision rule)'; set yrange [0:1]; set key bottom right;"
           " plot '%s' using 1:7 with lines title 'train', '' using 1:9 with lines title 'validation',"
           " '' using 1:10 with lines title 'test'; unset multiplot\" 2>/dev/null",
           png, csv, csv);
  if (system(cmd) != 0) { /* plotting is best effort */
  }
}

sl_status sl_model_init_from(sl_model *m, const char *path, sl_err *err) {
  sl_model src;
  sl_status st = sl_ckpt_load(&src, path, 1, err);
  if (st) return st;
  const sl_train_cfg *a = &src.cfg, *b = &m->cfg;
  const char *why = NULL;
  if (a->n_in != b->n_in || a->n_hid != b->n_hid || a->n_layers != b->n_layers || a->n_out != b->n_out)
    why = "network sizes differ (inputs, hidden, layers, classes)";
  else if (a->taps != b->taps) why = "delay range (taps) differs";
  else if (a->deepr != b->deepr || a->sparsity != b->sparsity || a->n_cand != b->n_cand || a->row_cap != b->row_cap)
    why = "connectivity differs (deepr, sparsity, candidates, row-cap)";
  else if (b->deepr && (a->seed != b->seed || a->dale != b->dale)) why = "structure learning needs the same seed and dale";
  else if (src.n_params != m->n_params) why = "parameter counts differ";
  if (why) {
    sl_model_free(&src);
    return sl_err_set(err, SL_ERR_ARG, "%s: cannot start this run from it: %s", path, why);
  }
  memcpy(m->params_mem, src.best_mem, m->n_params * sizeof(sl_real));
  for (int p = 0; p < m->n_proj; p++) memcpy(m->proj[p].active, src.proj[p].best_active, (size_t)m->proj[p].n_syn);
  sl_model_free(&src);
  sl_model_snapshot(m);
  return SL_OK;
}

sl_status sl_train_run(const sl_train_cfg *cfg, const sl_dataset *d, const sl_run_opts *o, sl_run_result *res,
                       sl_err *err) {
  char ckpt[1100], csv[1100], model[1100], summary[1100];
  memset(res, 0, sizeof *res);
  snprintf(ckpt, sizeof ckpt, "%s/checkpoint.slc", o->out_dir);
  snprintf(csv, sizeof csv, "%s/metrics.csv", o->out_dir);
  snprintf(model, sizeof model, "%s/model.slm", o->out_dir);
  snprintf(summary, sizeof summary, "%s/summary.txt", o->out_dir);
  if (d->channels != cfg->n_in || d->steps != cfg->steps)
    return sl_err_set(err, SL_ERR_ARG, "data has %d channels x %d steps, the network %d x %d", d->channels,
                      d->steps, cfg->n_in, cfg->steps);
  if (d->n_classes > cfg->n_out)
    return sl_err_set(err, SL_ERR_ARG, "data has %d classes, the network %d readouts", d->n_classes, cfg->n_out);
  sl_model m;
  sl_status st;
  int resumed = 0;
  if (o->resume && access(ckpt, F_OK) == 0) {
    if ((st = sl_ckpt_load(&m, ckpt, o->threads, err))) return st;
    resumed = 1;
  } else if ((st = sl_model_init(&m, cfg, o->threads, err))) {
    return st;
  } else if (o->init && (st = sl_model_init_from(&m, o->init, err))) {
    sl_model_free(&m);
    return st;
  }
  const sl_train_cfg *c = &m.cfg;
  int32_t ntr, nva, nte;
  int32_t *tr = sl_data_split(d, SL_SPLIT_TRAIN, &ntr), *va = sl_data_split(d, SL_SPLIT_VAL, &nva),
          *te = sl_data_split(d, SL_SPLIT_TEST, &nte);
  int32_t *order = malloc(sizeof(int32_t) * (size_t)(ntr ? ntr : 1));
  const uint8_t **pay = malloc(sizeof(uint8_t *) * (size_t)c->batch);
  int32_t *lab = malloc(sizeof(int32_t) * (size_t)c->batch);
  const size_t per = (size_t)d->steps * d->channels;
  const int aug = sl_augment_on(c);
  uint8_t *aug_buf = aug ? malloc(per * (size_t)c->batch) : NULL;
  lines_t lines = {0};
  if (!tr || !va || !te || !order || !pay || !lab || (aug && !aug_buf)) {
    st = sl_err_set(err, SL_ERR_NOMEM, "out of memory");
    goto done;
  }
  if (ntr == 0) {
    st = sl_err_set(err, SL_ERR_ARG, "no training samples");
    goto done;
  }
  /* only once the run can start (model and data checked): a refused one leaves nothing behind */
  mkdir_p(o->out_dir);
  if (resumed) { /* keep the metrics of the epochs already done */
    FILE *f = fopen(csv, "r");
    char buf[1024];
    if (f) {
      while (fgets(buf, sizeof buf, f))
        if (buf[0] >= '0' && buf[0] <= '9' && atoi(buf) <= m.epoch) lines_add(&lines, buf);
      fclose(f);
    }
    if (!o->quiet) fprintf(stderr, "resuming %s at epoch %d (step %lld)\n", ckpt, m.epoch, (long long)m.step);
  }
  const int64_t spe = (ntr + c->batch - 1) / c->batch;
  const int total = c->epochs + c->qat_epochs;
  const int show = o->progress > 0 || (o->progress < 0 && isatty(2));
  double t_main = 0;
  int n_main = 0;
  double t_start = now();
  int epochs_here = 0;
  while (m.epoch < total) {
    const int e = m.epoch;
    const int phase = e >= c->epochs;
    if (phase && !m.phase) { /* quantisation-aware fine-tuning starts from the best snapshot */
      if (m.best_epoch >= 0) sl_model_restore(&m);
      m.phase = 1;
      m.best_val = -1;
    }
    const float sigma = phase ? 0 : sl_sigma_at(c, e);
    /* the epoch's order from (seed, epoch) only: a resumed run sees the same batches */
    for (int32_t i = 0; i < ntr; i++) order[i] = tr[i];
    uint64_t r = sl_hash64(c->seed * 0x2545F4914F6CDD1Dull + (uint64_t)e + 17);
    for (int32_t i = ntr - 1; i > 0; i--) {
      int32_t j = (int32_t)(sl_unif(&r) * (i + 1));
      int32_t t = order[i]; order[i] = order[j]; order[j] = t;
    }
    sl_stats ts = {0};
    const double t0 = now();
    float lr_w = 0, lr_pos = 0;
    for (int64_t bi = 0; bi < spe; bi++) {
      const int b0 = (int)(bi * c->batch);
      const int nb = ntr - b0 < c->batch ? ntr - b0 : c->batch;
      for (int k = 0; k < nb; k++) {
        pay[k] = d->pay + per * order[b0 + k];
        lab[k] = d->label[order[b0 + k]];
      }
      if (aug) { /* a new variant of every training sample each epoch; evaluation sees the data as is */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(m.n_threads)
#endif
        for (int k = 0; k < nb; k++)
          sl_augment(aug_buf + per * k, d->pay + per * order[b0 + k], d->steps, d->channels, c,
                     sl_augment_key(c->seed, e, order[b0 + k]));
        for (int k = 0; k < nb; k++) pay[k] = aug_buf + per * k;
      }
      m.ste = !phase && sl_ste_at(c, e);
      sl_model_prepare(&m, sigma, phase);
      m.ste = 0;
      sl_model_batch(&m, pay, lab, nb, 1, sl_hash64(c->seed ^ sl_hash64((uint64_t)m.step + 99)), &ts);
      lr_w = phase ? c->lr_qat : sl_lr_w_at(c, m.step, spe);
      lr_pos = phase ? 0 : sl_lr_pos_at(c, e);
      sl_model_update(&m, lr_w, lr_pos, c->delay_mode == SL_DELAY_DCLS && !phase);
      if (show) {
        const double el = now() - t0, frac = (bi + 1.0) / spe;
        const double per_epoch = el / frac;
        progress(e + 1, total, frac, ts.loss / ts.n, (double)ts.correct / ts.n,
                 per_epoch * (1 - frac) + per_epoch * (total - e - 1));
      }
    }
    const double dt = now() - t0;
    if (!phase) { t_main += dt; n_main++; }
    /* validation and test with integer delays (as the hardware), quantised in phase 1 */
    sl_model_prepare(&m, 0, phase);
    sl_stats vs, es;
    sl_model_eval(&m, d, va, nva, &vs);
    sl_model_eval(&m, d, te, nte, &es);
    const double vacc = nva ? (double)vs.correct / nva : (double)ts.correct / ts.n;
    const int improved = vacc > m.best_val;
    if (improved) {
      m.best_val = (float)vacc;
      m.best_epoch = e;
      sl_model_snapshot(&m);
    }
    m.epoch++;
    m.sigma = m.epoch < total && m.epoch >= c->epochs ? 0 : sl_sigma_at(c, m.epoch);
    char line[512];
    snprintf(line, sizeof line, "%d,%d,%.4f,%.6g,%.6g,%.5f,%.4f,%.5f,%.4f,%.4f,%.3f,%d,%.3f\n", e + 1, phase, sigma,
             lr_w, lr_pos, ts.loss / ts.n, (double)ts.correct / ts.n, vs.loss, nva ? (double)vs.correct / nva : 0,
             nte ? (double)es.correct / nte : 0, ts.spikes_per_neuron / ts.n, m.pruned_total, dt);
    lines_add(&lines, line);
    if ((st = sl_ckpt_save(&m, ckpt, err))) goto done;
    {
      size_t tot = strlen(CSV_HEADER);
      for (int i = 0; i < lines.n; i++) tot += strlen(lines.line[i]);
      char *all = malloc(tot + 1), *p = all;
      if (all) {
        p += sprintf(p, "%s", CSV_HEADER);
        for (int i = 0; i < lines.n; i++) p += sprintf(p, "%s", lines.line[i]);
        if ((st = sl_write_file_atomic(csv, all, (size_t)(p - all), err))) { free(all); goto done; }
        free(all);
      }
    }
    if (show) fputc('\n', stderr);
    if (!o->quiet)
      fprintf(stderr, "epoch %3d/%d %s loss %.4f acc %5.1f%% | val %5.1f%% test %5.1f%% | sigma %.2f spikes %.2f %s%.2fs\n",
              e + 1, total, phase ? "qat " : "main", ts.loss / ts.n, 100.0 * ts.correct / ts.n, 100 * vacc,
              nte ? 100.0 * es.correct / nte : 0, sigma, ts.spikes_per_neuron / ts.n, improved ? "* " : "  ", dt);
    if (o->plot && (m.epoch % 10 == 0 || m.epoch == total)) write_plot(o->out_dir, csv);
    epochs_here++;
  }
  (void)t_start;
  /* final: the best (validation) snapshot, integer delays, quantised as deployed */
  sl_model_restore(&m);
  {
    sl_stats vs, es;
    sl_model_prepare(&m, 0, 0);
    sl_model_eval(&m, d, te, nte, &es);
    res->test_acc_float = nte ? (double)es.correct / nte : 0;
    sl_model_prepare(&m, 0, 1);
    sl_model_eval(&m, d, va, nva, &vs);
    sl_model_eval(&m, d, te, nte, &es);
    res->val_acc = nva ? (double)vs.correct / nva : 0;
    res->test_acc = nte ? (double)es.correct / nte : 0;
  }
  res->best_epoch = m.best_epoch + 1;
  res->epochs_run = epochs_here;
  res->epoch_seconds = n_main ? t_main / n_main : 0;
  if ((st = sl_export_save_recipe(&m, model, o->band_limit, o->top_db, err))) goto done;
  {
    sl_net *net = sl_net_new();
    if (!net) { st = sl_err_set(err, SL_ERR_NOMEM, "out of memory"); goto done; }
    if ((st = sl_image_load(model, net, NULL, err))) { sl_net_free(net); goto done; }
    sl_run_stats rs = {0};
    res->deployed_acc = sl_deployed_accuracy(net, d, te, nte, &rs, err);
    sl_net_free(net);
    if (res->deployed_acc < 0) { st = err ? err->code : SL_ERR_NOMEM; goto done; }
  }
  res->peak_rss_kb = sl_peak_rss_kb();
  {
    FILE *f = fopen(summary, "w");
    if (f) {
      fprintf(f, "best_epoch = %d\nval_acc_quant = %.4f\ntest_acc_float = %.4f\ntest_acc_quant = %.4f\n"
                 "deployed_test_acc = %.4f\nepoch_seconds = %.3f\npeak_rss_kb = %ld\nthreads = %d\ntest_samples = %d\n"
                 "train_samples = %d\nval_samples = %d\n",
              res->best_epoch, res->val_acc, res->test_acc_float, res->test_acc, res->deployed_acc, res->epoch_seconds,
              res->peak_rss_kb, m.n_threads, nte, ntr, nva);
      if (o->in_scale_from) fprintf(f, "in_scale_from = %s\n", o->in_scale_from);
      sl_train_cfg_print(f, c);
      fclose(f);
    }
  }
  if (!o->quiet)
    fprintf(stderr, "best epoch %d: test %.2f%% float, %.2f%% quantised float, deployed (C model) %.2f%% -> %s\n",
            res->best_epoch, 100 * res->test_acc_float, 100 * res->test_acc, 100 * res->deployed_acc, model);
  st = SL_OK;
done:
  lines_free(&lines);
  free(tr); free(va); free(te); free(order); free(pay); free(lab); free(aug_buf);
  sl_model_free(&m);
  return st;
}
