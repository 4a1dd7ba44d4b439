/* ubsan_train.c — tiny training runs over the trainer's kernel paths (INTERP pre and post
 * side, Gaussian DCLS, fixed delays, DEEP R with candidates, two layers, straight-through,
 * the membrane loss), for a build with clang's UndefinedBehaviorSanitizer (clang_ubsan.sh):
 * clang's pointer-overflow check also catches an unsigned index that wraps below a row's
 * start, which gcc's does not. Exit 0 when every run finishes; a sanitizer report aborts.
 *   ubsan_train OUT_DIR */
#include <stdio.h>
#include <string.h>
#include "sl_run.h"

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  static const char *runs[][12] = {
      {"inputs", "4", "hidden", "8", "taps", "4", NULL},                              /* INTERP, pre side */
      {"inputs", "24", "hidden", "8", "taps", "25", NULL},                            /* INTERP, post side, wide */
      {"layers", "2", "taps", "25", "ste-frac", "0.5", NULL},                         /* two layers, STE */
      {"dcls-kernel", "gauss", "membrane", "1", NULL},                                /* Gaussian kernel */
      {"delays", "fixed", "deepr", "1", "candidates", "2", "sparsity", "0.5", NULL}, /* DEEP R */
      {"delays", "none", "aug-shift", "2", "aug-time", "3", "aug-stretch", "0.1", NULL},
  };
  for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
    sl_train_cfg c;
    sl_train_cfg_default(&c);
    sl_err err;
    static const char *base[][2] = {{"inputs", "8"}, {"steps", "30"}, {"hidden", "16"}, {"classes", "4"}, {"taps", "8"},
                                    {"batch", "8"},  {"epochs", "2"}, {"qat-epochs", "1"}};
    for (size_t i = 0; i < sizeof base / sizeof *base; i++) sl_train_cfg_set(&c, base[i][0], base[i][1], &err);
    for (int i = 0; runs[r][i]; i += 2)
      if (sl_train_cfg_set(&c, runs[r][i], runs[r][i + 1], &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    sl_dataset d;
    if (sl_data_synth(&d, 6, c.n_out, c.n_in, c.steps, c.in_scale, 7, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    char out[1024];
    snprintf(out, sizeof out, "%s/run%zu", argv[1], r);
    sl_run_opts ro = {.out_dir = out, .quiet = 1, .threads = 1};
    sl_run_result res;
    const sl_status st = sl_train_run(&c, &d, &ro, &res, &err);
    sl_data_free(&d);
    if (st) { fprintf(stderr, "run %zu: %s\n", r, err.msg); return 1; }
    printf("run %zu: deployed accuracy %.3f\n", r, res.deployed_acc);
  }
  return 0;
}
