/* sl_run.h — the training driver behind `spikeline train`: epochs, schedules, validation
 * selection, quantisation-aware fine-tuning, checkpoints every epoch (atomic), --resume,
 * metrics CSV, PNG curves, export and deployed accuracy. */
#ifndef SL_RUN_H
#define SL_RUN_H

#include "sl_data.h"
#include "sl_train.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const char *out_dir;  /* checkpoint.slc, metrics.csv, curves.png, model.slm, summary.txt */
  int resume;           /* continue from out_dir/checkpoint.slc if it exists */
  const char *init;     /* NULL, or a checkpoint whose best snapshot starts a new run */
  int threads;          /* 0 = OpenMP default */
  int progress;         /* 1 = progress bar on stderr, 0 = none, -1 = if stderr is a terminal */
  int quiet;            /* no per-epoch lines */
  int plot;             /* write curves.png with gnuplot (if installed) */
  /* The front-end recipe of the training features, recorded in model.slm (spec §8.1 minor 2)
   * when there is one to record: band_limit Hz (0 = none), top_db dB (0 = not known: the
   * image records none). */
  uint32_t band_limit;
  float top_db;
  const char *in_scale_from; /* where cfg.in_scale came from, for summary.txt (NULL: not said) */
} sl_run_opts;

typedef struct {
  double val_acc, test_acc;       /* float, integer delays (and quantised weights after QAT) */
  double test_acc_float;          /* float weights, integer delays, best main-phase snapshot */
  double deployed_acc;            /* the C model on the test split, exported image */
  double epoch_seconds;           /* mean wall time of a training epoch (main phase) */
  int32_t best_epoch, epochs_run;
  long peak_rss_kb;
} sl_run_result;

/* Start m (just initialised) from the best snapshot of checkpoint `path`: weights, delay
 * positions and structure; optimiser state and schedules are m's own. The network's shape
 * must be the same; structure-learning runs must also share the seed and sign rule (the
 * signs are drawn from them). */
sl_status sl_model_init_from(sl_model *m, const char *path, sl_err *err);

sl_status sl_train_run(const sl_train_cfg *cfg, const sl_dataset *d, const sl_run_opts *o, sl_run_result *res,
                       sl_err *err);

/* Accuracy (hardware decision rule) and mean loss of the model as prepared, over a split. */
void sl_model_eval(sl_model *m, const sl_dataset *d, const int32_t *idx, int32_t n, sl_stats *st);

long sl_peak_rss_kb(void);

#ifdef __cplusplus
}
#endif
#endif
