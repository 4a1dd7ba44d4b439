/* fuzz_audio.c — libFuzzer target: arbitrary bytes as an audio file through the front end's
 * in-memory reader and features (sl_fe_mem_features: libsndfile over the bytes, the same
 * length / rate / sample checks as the file reader, resampling, log-mel). A crash, a
 * sanitizer report, an accepted file with features outside [0, fmax] or a refusal whose
 * message is not one line naming the input is a bug. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_fe.h"

#define NAME "fuzz-input.flac"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_fe *fe;
  static float *feat;
  if (!fe) {
    sl_fe_params p;
    sl_fe_params_default(&p);
    p.mix_stereo = 1; /* reach the down-mix too */
    sl_err e;
    fe = sl_fe_open(&p, &e);
    if (!fe) abort();
    feat = malloc(sizeof(float) * (size_t)p.n_frames * (size_t)p.n_mels);
    if (!feat) abort();
  }
  const sl_fe_params *p = sl_fe_get_params(fe);
  sl_fe_info info;
  sl_err err;
  sl_err_clear(&err);
  if (sl_fe_mem_features(fe, data, size, NAME, feat, &info, &err) == SL_OK) {
    const float fmax = sl_fe_feature_max(p);
    if (info.frames <= 0 || info.frames_used < 0 || info.frames_used > p->n_frames) abort();
    for (size_t i = 0; i < (size_t)p->n_frames * (size_t)p->n_mels; i++)
      if (!(feat[i] >= 0.0f && feat[i] <= fmax * 1.0001f)) abort();
  } else if (strncmp(err.msg, NAME ": ", strlen(NAME) + 2) != 0 || strchr(err.msg, '\n')) {
    abort();
  }
  return 0;
}
