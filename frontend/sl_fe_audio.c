/* sl_fe_audio.c — reading audio files for the front end with libsndfile: checks (empty,
 * unreadable, truncated, channels, rate, length), down-mix policy, resampling. */
#include <sndfile.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "sl_fe_internal.h"

#define SL_FE_MAX_SECONDS 600

sl_status sl_fe_read_audio(sl_fe *fe, const char *path, float **out, size_t *n,
                           sl_fe_info *info, sl_err *err) {
  *out = NULL;
  *n = 0;
  struct stat st;
  if (stat(path, &st) != 0) return sl_err_set(err, SL_ERR_IO, "%s: cannot open (no such file)", path);
  if (st.st_size == 0) return sl_err_set(err, SL_ERR_TRUNCATED, "%s: empty file (0 bytes)", path);

  SF_INFO si = {0};
  SNDFILE *sf = sf_open(path, SFM_READ, &si);
  if (!sf)
    return sl_err_set(err, SL_ERR_IO, "%s: not a readable audio file (%s)", path, sf_strerror(NULL));
  sl_status s = SL_OK;
  float *buf = NULL;
  if (info) {
    info->rate = si.samplerate;
    info->channels = si.channels;
    info->frames = si.frames;
    info->seconds = si.samplerate > 0 ? (double)si.frames / si.samplerate : 0.0;
    info->frames_used = 0;
  }
  if (si.channels != 1 && !fe->p.mix_stereo) {
    s = sl_err_set(err, SL_ERR_HEADER,
                   "%s: %d channels; spikeline reads mono audio (mix down first, or use --mix-stereo)",
                   path, si.channels);
    goto done;
  }
  if (si.samplerate < fe->p.min_rate) {
    s = sl_err_set(err, SL_ERR_HEADER,
                   "%s: sample rate %d Hz is below the %d Hz minimum (the filterbank reaches %d Hz)",
                   path, si.samplerate, fe->p.min_rate, fe->p.sample_rate / 2);
    goto done;
  }
  if (si.frames <= 0) {
    s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: no audio samples", path);
    goto done;
  }
  if (si.frames > (sf_count_t)SL_FE_MAX_SECONDS * si.samplerate) {
    s = sl_err_set(err, SL_ERR_RANGE, "%s: %.0f s long; the front end takes utterances up to %d s",
                   path, (double)si.frames / si.samplerate, SL_FE_MAX_SECONDS);
    goto done;
  }
  buf = malloc(sizeof(float) * (size_t)si.frames * (size_t)si.channels);
  if (!buf) {
    s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
    goto done;
  }
  sf_count_t got = sf_readf_float(sf, buf, si.frames);
  if (got != si.frames || sf_error(sf) != SF_ERR_NO_ERROR) {
    const char *why = sf_error(sf) != SF_ERR_NO_ERROR ? sf_strerror(sf) : "file ends early";
    s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: truncated or corrupt audio: read %lld of %lld frames (%s)",
                   path, (long long)(got < 0 ? 0 : got), (long long)si.frames, why);
    goto done;
  }
  if (si.channels > 1) { /* average the channels in place */
    for (sf_count_t i = 0; i < si.frames; i++) {
      double acc = 0.0;
      for (int c = 0; c < si.channels; c++) acc += buf[i * si.channels + c];
      buf[i] = (float)(acc / si.channels);
    }
  }
  s = sl_fe_resample(fe, buf, (size_t)si.frames, si.samplerate, out, n, err);
  if (s != SL_OK) {
    sl_err e2 = {0};
    if (err) e2 = *err;
    s = sl_err_set(err, s, "%s: %s", path, e2.msg);
  }
done:
  free(buf);
  sf_close(sf);
  return s;
}
