/* sl_fe.h — the audio front end: read FLAC/WAV, resample, and compute the seed's log-mel
 * features (docs/data.md §2). One handle holds the FFT plan, the filterbank, the resampler
 * table and the last error message; it is not shared between threads.
 *
 * Features are float [n_frames][n_mels] (time-major), values in [0, 80 * scale] with the
 * default scale 0.0198: 0 is the -80 dB floor (and padding), 1.584 the utterance maximum. */
#ifndef SL_FE_H
#define SL_FE_H

#include <stddef.h>
#include <stdint.h>
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t sample_rate;   /* analysis rate, Hz (20510: a 25 ms window is 512 samples) */
  int32_t n_fft;         /* FFT size (512) */
  int32_t win_length;    /* periodic Hann window length, <= n_fft (512) */
  int32_t hop;           /* hop in samples (205 = 10 ms) */
  int32_t n_mels;        /* mel bands, Slaney scale and area normalisation, 0 .. rate/2 (40) */
  int32_t n_frames;      /* frames kept / zero-padded to (80) */
  float preemph;         /* pre-emphasis coefficient (0.95) */
  float top_db;          /* floor below the utterance maximum, dB (80) */
  float scale;           /* (dB + top_db) * scale = feature (0.0198) */
  int32_t min_rate;      /* input rates below this are refused (8000); others are resampled */
  int32_t mix_stereo;    /* 0: refuse multi-channel files (default); 1: average the channels */
  int32_t band_limit;    /* Hz; 0: off (default). Else every input is low-passed at this
                          * frequency while it is resampled (the resampler's own filter,
                          * docs/decisions.md "band-limited input"); 1000 .. sample_rate/2 */
} sl_fe_params;

/* The seed's recipe (the values in parentheses above). */
void sl_fe_params_default(sl_fe_params *p);
/* The limits of the recipe fields that a feature cache and a model image record (the front
 * end's own checks, also those of sl_fe_open): top_db and scale finite, in (0, 1000]; a band
 * limit 0 (none) or 1000 .. sample_rate / 2 - 1 Hz. SL_ERR_RANGE with a message naming the
 * field (err's text starts with the field, the caller puts the file before it). */
#define SL_FE_RECIPE_MAX 1000.0f
#define SL_FE_BAND_MIN 1000
sl_status sl_fe_check_recipe(float top_db, float scale, int32_t band_limit, int32_t sample_rate, sl_err *err);
/* 64-bit FNV-1a of the parameters' canonical text; keys the feature cache. */
uint64_t sl_fe_params_hash(const sl_fe_params *p);
/* Largest feature value: top_db * scale (1.584 by default). */
float sl_fe_feature_max(const sl_fe_params *p);

typedef struct sl_fe sl_fe;

/* Make a handle; NULL and a message in err when a parameter is out of range or memory runs
 * out. The parameters are copied. */
sl_fe *sl_fe_open(const sl_fe_params *p, sl_err *err);
void sl_fe_close(sl_fe *fe);   /* NULL is harmless */
const sl_fe_params *sl_fe_get_params(const sl_fe *fe);

/* What a file held before resampling. */
typedef struct {
  int32_t rate;          /* the file's sample rate, Hz */
  int32_t channels;
  int64_t frames;        /* frames in the file */
  double seconds;        /* frames / rate */
  int32_t frames_used;   /* feature frames computed from audio (the rest is padding) */
} sl_fe_info;

/* Read a whole audio file (any format libsndfile reads: FLAC, WAV, ...) as mono float in
 * [-1, 1) at the handle's analysis rate. *out is malloc'ed, the caller frees it. Errors
 * name the file: empty, unreadable or corrupt, truncated, multi-channel (unless
 * mix_stereo), rate below min_rate or above 768 kHz, no samples, longer than 10 minutes,
 * non-finite samples (NaN, infinity) or values beyond +-1000. A header without a length
 * (FLAC total_samples 0) is read to the end of the stream. */
sl_status sl_fe_read_audio(sl_fe *fe, const char *path, float **out, size_t *n,
                           sl_fe_info *info, sl_err *err);

/* sl_fe_read_audio on `size` bytes in memory (the contents of an audio file), with the same
 * checks and messages; `name` stands for the file in them. */
sl_status sl_fe_read_audio_mem(sl_fe *fe, const void *data, size_t size, const char *name, float **out,
                               size_t *n, sl_fe_info *info, sl_err *err);

/* What an audio file holds, without decoding it unless the header gives no length (then
 * the frames are counted, up to the 10-minute limit). Errors name the file: unreadable,
 * a sample rate or channel count out of range, no samples. */
sl_status sl_fe_audio_probe(const char *path, sl_fe_info *info, sl_err *err);

/* Resample mono audio from rate_in to the handle's rate. *out is malloc'ed. With a
 * band_limit below both Nyquist rates (rate_in / 2 and the handle's), the anti-aliasing
 * filter's cut-off moves down to it (also when rate_in is the handle's rate); a file whose
 * Nyquist rate is at or below band_limit is resampled as without one. */
sl_status sl_fe_resample(sl_fe *fe, const float *x, size_t n, int32_t rate_in,
                         float **out, size_t *n_out, sl_err *err);

/* Features of mono audio already at the handle's rate: out[n_frames * n_mels].
 * *frames_used (may be NULL) gets the number of frames computed from audio. An all-zero
 * signal is refused (SL_ERR_RANGE): it has no maximum to be relative to. */
sl_status sl_fe_features(sl_fe *fe, const float *x, size_t n, float *out,
                         int32_t *frames_used, sl_err *err);

/* Set to the floor (0) the bands a file of rate rate_in cannot fill: those whose triangle
 * starts at or above its bandwidth (rate_in / 2, or band_limit when lower), for input below
 * 16 kHz or under a band limit (docs/decisions.md "Band-limited input"; without a band
 * limit, files at 16 kHz or more keep the features they always had). Without it, such a
 * band shows the edge frames' reflection click and, in quiet files, the -100 dB clamp.
 * sl_fe_file_features does this; callers that read and resample audio themselves call it
 * on the output of sl_fe_features. */
void sl_fe_floor_empty_bands(const sl_fe *fe, int32_t rate_in, float *feat);

/* read_audio + features + floor_empty_bands. info may be NULL. */
sl_status sl_fe_file_features(sl_fe *fe, const char *path, float *out, sl_fe_info *info,
                              sl_err *err);
/* read_audio_mem + features: the same for an audio file's bytes in memory, named `name`. */
sl_status sl_fe_mem_features(sl_fe *fe, const void *data, size_t size, const char *name, float *out,
                             sl_fe_info *info, sl_err *err);

/* The mel filterbank the handle uses: weights[n_mels][n_fft/2 + 1] (read-only). */
const float *sl_fe_filterbank(const sl_fe *fe);
/* Slaney mel scale: Hz -> mel and back (linear below 1 kHz, logarithmic above). */
double sl_fe_hz_to_mel(double hz);
double sl_fe_mel_to_hz(double mel);

#ifdef __cplusplus
}
#endif
#endif
