/* sl_fe_internal.h — the front-end handle's insides, shared by the front end's own files. */
#ifndef SL_FE_INTERNAL_H
#define SL_FE_INTERNAL_H

#include <kiss_fftr.h>
#include "sl_fe.h"

/* The polyphase table of one input rate; a row (phase) is computed and allocated when first
 * used, so a short file at an odd rate pays for the phases it uses, not for all of them. */
#define SL_FE_RS_TABLES 16 /* input rates kept (a corpus of mixed rates) */
typedef struct {
  int32_t rate_in;         /* 0: slot unused */
  int64_t up, down;        /* output position j is input position j * down / up */
  int32_t taps;            /* taps per phase */
  int32_t first;           /* input offset of tap 0 relative to floor(position) */
  double fc, half, i0b;    /* cut-off (cycles per input sample), half-width, I0(beta) */
  float **row;             /* [up]: row ph ([taps]) once computed, else NULL */
  uint64_t last_use;
} sl_fe_rs_table;

struct sl_fe {
  sl_fe_params p;
  int32_t n_bins;          /* n_fft / 2 + 1 */
  kiss_fftr_cfg fft;
  float *window;           /* [n_fft], zero outside the centred win_length */
  float *fb;               /* [n_mels][n_bins] */
  int32_t *fb_lo, *fb_hi;  /* [n_mels]: band m's non-zero weights lie in bins [lo, hi) */
  float *frame;            /* [n_fft] scratch */
  kiss_fft_cpx *spec;      /* [n_bins] scratch */
  double *db;              /* [n_frames][n_mels] scratch */
  /* resampler tables of the last input rates used (sl_fe_resample.c) */
  sl_fe_rs_table rs[SL_FE_RS_TABLES];
  uint64_t rs_clock;       /* counts table look-ups: the least recently used goes first */
};

/* Free the resampler's tables (sl_fe_close). */
void sl_fe_resample_free(sl_fe *fe);

#endif
