/* fuzz_audio.c — libFuzzer target: arbitrary bytes as an audio file through the front end's
 * reader and features (sl_fe_file_features: libsndfile, the length / rate / sample checks,
 * resampling, log-mel). The bytes go to a memfd, read by its /proc/self/fd path. A crash,
 * a sanitizer report, an accepted file with features outside [0, fmax] or a refusal whose
 * message is not one line naming the file is a bug. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "sl_fe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_fe *fe;
  static int fd = -1;
  static char path[64];
  if (!fe) {
    sl_fe_params p;
    sl_fe_params_default(&p);
    p.mix_stereo = 1; /* reach the down-mix too */
    sl_err e;
    fe = sl_fe_open(&p, &e);
    fd = memfd_create("fuzz-audio", 0);
    if (!fe || fd < 0) abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  }
  if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) abort();
  const sl_fe_params *p = sl_fe_get_params(fe);
  float *feat = malloc(sizeof(float) * (size_t)p->n_frames * (size_t)p->n_mels);
  sl_fe_info info;
  sl_err err;
  sl_err_clear(&err);
  if (sl_fe_file_features(fe, path, feat, &info, &err) == SL_OK) {
    const float fmax = sl_fe_feature_max(p);
    if (info.frames <= 0 || info.frames_used < 0 || info.frames_used > p->n_frames) abort();
    for (size_t i = 0; i < (size_t)p->n_frames * (size_t)p->n_mels; i++)
      if (!(feat[i] >= 0.0f && feat[i] <= fmax * 1.0001f)) abort();
  } else if (strncmp(err.msg, path, strlen(path)) != 0 || strchr(err.msg, '\n')) {
    abort();
  }
  free(feat);
  return 0;
}
