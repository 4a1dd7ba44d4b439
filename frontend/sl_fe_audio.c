/* sl_fe_audio.c — reading audio files for the front end with libsndfile: checks (empty,
 * unreadable, truncated, channels, rate, length, non-finite samples), down-mix policy,
 * resampling. */
#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sl_fe_internal.h"

#define SL_FE_MAX_SECONDS 600
#define SL_FE_MAX_RATE 768000     /* Hz; above any real recording, keeps buffers bounded */
#define SL_FE_MAX_AMPLITUDE 1000.0f /* 60 dB over full scale: a float file gone wrong */

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
    info->frames = si.frames == SF_COUNT_MAX ? 0 : si.frames; /* unknown until read */
    info->seconds = si.samplerate > 0 ? (double)info->frames / si.samplerate : 0.0;
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
                   "%s: sample rate %d Hz is below the %d Hz minimum (telephone speech)",
                   path, si.samplerate, fe->p.min_rate);
    goto done;
  }
  if (si.samplerate > SL_FE_MAX_RATE) {
    s = sl_err_set(err, SL_ERR_HEADER, "%s: sample rate %d Hz is above the %d Hz maximum", path,
                   si.samplerate, SL_FE_MAX_RATE);
    goto done;
  }
  /* libsndfile reports SF_COUNT_MAX frames when the header gives no length (a FLAC with
   * total_samples 0): read to the end of the stream, at most one frame past the limit */
  const sf_count_t cap = (sf_count_t)SL_FE_MAX_SECONDS * si.samplerate;
  const int known = si.frames != SF_COUNT_MAX;
  if (known && si.frames <= 0) {
    s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: no audio samples", path);
    goto done;
  }
  if (known && si.frames > cap) {
    s = sl_err_set(err, SL_ERR_RANGE, "%s: its header says %.0f s of audio; the front end takes utterances up to %d s",
                   path, (double)si.frames / si.samplerate, SL_FE_MAX_SECONDS);
    goto done;
  }
  sf_count_t want = known ? si.frames : cap + 1, got = 0, have = 0;
  while (got < want) {
    if (got == have) { /* grow geometrically, never past want */
      sf_count_t next = have ? 2 * have : (want < 65536 ? want : 65536);
      if (next > want) next = want;
      float *nb = realloc(buf, sizeof(float) * (size_t)next * (size_t)si.channels);
      if (!nb) {
        s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
        goto done;
      }
      buf = nb;
      have = next;
    }
    sf_count_t k = sf_readf_float(sf, buf + (size_t)got * (size_t)si.channels, have - got);
    if (k <= 0) break;
    got += k;
  }
  if (sf_error(sf) != SF_ERR_NO_ERROR || (known && got != si.frames)) {
    const char *why = sf_error(sf) != SF_ERR_NO_ERROR ? sf_strerror(sf) : "file ends early";
    if (known)
      s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: truncated or corrupt audio: read %lld of %lld frames (%s)",
                     path, (long long)got, (long long)si.frames, why);
    else
      s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: corrupt audio after %lld frames (%s)", path, (long long)got, why);
    goto done;
  }
  if (got == 0) {
    s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: no audio samples", path);
    goto done;
  }
  if (got > cap) {
    s = sl_err_set(err, SL_ERR_RANGE, "%s: longer than %d s; the front end takes utterances up to %d s",
                   path, SL_FE_MAX_SECONDS, SL_FE_MAX_SECONDS);
    goto done;
  }
  si.frames = got;
  if (info) {
    info->frames = got;
    info->seconds = (double)got / si.samplerate;
  }
  /* float files can hold anything: NaN or infinity would turn every feature into NaN */
  for (size_t i = 0; i < (size_t)got * (size_t)si.channels; i++)
    if (!isfinite(buf[i]) || fabsf(buf[i]) > SL_FE_MAX_AMPLITUDE) {
      size_t fr = i / (size_t)si.channels;
      s = isfinite(buf[i])
              ? sl_err_set(err, SL_ERR_RANGE, "%s: sample value %g at %.3f s (frame %zu) is far outside the "
                           "[-1, 1] range of audio", path, (double)buf[i], (double)fr / si.samplerate, fr)
              : sl_err_set(err, SL_ERR_RANGE, "%s: non-finite sample (%s) at %.3f s (frame %zu); the audio is corrupt",
                           path, isnan(buf[i]) ? "NaN" : "infinity", (double)fr / si.samplerate, fr);
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

sl_status sl_fe_audio_probe(const char *path, sl_fe_info *info, sl_err *err) {
  memset(info, 0, sizeof *info);
  SF_INFO si = {0};
  SNDFILE *sf = sf_open(path, SFM_READ, &si);
  if (!sf)
    return sl_err_set(err, SL_ERR_IO, "%s: not a readable audio file (%s)", path, sf_strerror(NULL));
  sl_status s = SL_OK;
  sf_count_t frames = si.frames;
  if (si.samplerate <= 0 || si.samplerate > SL_FE_MAX_RATE || si.channels <= 0) {
    s = sl_err_set(err, SL_ERR_HEADER, "%s: sample rate %d Hz and %d channels: not audio the front end reads", path,
                   si.samplerate, si.channels);
    goto done;
  }
  if (frames == SF_COUNT_MAX) { /* no length in the header: count to the end (or the limit) */
    const sf_count_t cap = (sf_count_t)SL_FE_MAX_SECONDS * si.samplerate;
    float *buf = malloc(sizeof(float) * 4096 * (size_t)si.channels);
    if (!buf) {
      s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
      goto done;
    }
    frames = 0;
    for (sf_count_t k; frames <= cap && (k = sf_readf_float(sf, buf, 4096)) > 0;) frames += k;
    free(buf);
  }
  if (frames <= 0) {
    s = sl_err_set(err, SL_ERR_TRUNCATED, "%s: no audio samples", path);
    goto done;
  }
  info->rate = si.samplerate;
  info->channels = si.channels;
  info->frames = frames;
  info->seconds = (double)frames / si.samplerate;
done:
  sf_close(sf);
  return s;
}
