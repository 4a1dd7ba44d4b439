/* fuzz_audio_read.c — libFuzzer target: arbitrary bytes as an audio file through the front
 * end's in-memory reader alone (sl_fe_read_audio_mem: libsndfile over the bytes, the length /
 * rate / sample checks, the down-mix of several channels, resampling to the analysis rate; no
 * features). Invariants: an accepted file has a rate, channel count and length in the
 * reader's ranges, gives ceil(frames * analysis rate / file rate) samples, all finite and
 * within the reader's amplitude limit (1000) times the resampler's gain (below 4); a refusal
 * is one printable line naming the input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sl_fe.h"

#define NAME "fuzz-input.wav"

static int printable_line(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) return 0;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_fe *fe;
  if (!fe) {
    sl_fe_params p;
    sl_fe_params_default(&p);
    p.mix_stereo = 1; /* reach the down-mix too */
    sl_err e;
    if (!(fe = sl_fe_open(&p, &e))) abort();
  }
  const sl_fe_params *p = sl_fe_get_params(fe);
  float *x = NULL;
  size_t n = 0;
  sl_fe_info info;
  sl_err err;
  sl_err_clear(&err);
  if (sl_fe_read_audio_mem(fe, data, size, NAME, &x, &n, &info, &err) == SL_OK) {
    if (!x || info.rate < p->min_rate || info.rate > 768000 || info.channels < 1 || info.frames < 1 ||
        info.frames > (int64_t)600 * info.rate)
      abort();
    const int64_t want = (info.frames * p->sample_rate + info.rate - 1) / info.rate;
    if ((int64_t)n != want) abort();
    for (size_t i = 0; i < n; i++)
      if (!isfinite(x[i]) || fabsf(x[i]) > 4000.0f) abort();
  } else if (x || strncmp(err.msg, NAME ": ", strlen(NAME) + 2) != 0 || !printable_line(err.msg)) {
    abort();
  }
  free(x);
  return 0;
}
