/* sl_fe_internal.h — the front-end handle's insides, shared by the front end's own files. */
#ifndef SL_FE_INTERNAL_H
#define SL_FE_INTERNAL_H

#include <kiss_fftr.h>
#include "sl_fe.h"

struct sl_fe {
  sl_fe_params p;
  int32_t n_bins;          /* n_fft / 2 + 1 */
  kiss_fftr_cfg fft;
  float *window;           /* [n_fft], zero outside the centred win_length */
  float *fb;               /* [n_mels][n_bins] */
  float *frame;            /* [n_fft] scratch */
  kiss_fft_cpx *spec;      /* [n_bins] scratch */
  double *db;              /* [n_frames][n_mels] scratch */
  /* resampler table for the last input rate (sl_fe_resample.c) */
  int32_t rs_rate_in;
  int64_t rs_up, rs_down;  /* output position j is input position j * down / up */
  int32_t rs_taps;         /* taps per phase */
  int32_t rs_first;        /* input offset of tap 0 relative to floor(position) */
  float *rs_table;         /* [up][taps] */
};

#endif
