/* sl_fe_rates.h — the sample rates seen in one corpus, and the warning when they give the
 * files different bandwidths (docs/decisions.md "band-limited input"). */
#ifndef SL_FE_RATES_H
#define SL_FE_RATES_H

#include <stddef.h>
#include <stdint.h>
#include "sl_fe.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_FE_RATES_MAX 8

typedef struct {
  int32_t rate[SL_FE_RATES_MAX]; /* distinct rates, in order of first appearance */
  size_t n;
  int more;                      /* 1: more than SL_FE_RATES_MAX distinct rates */
  int32_t lo, hi;                /* lowest and highest rate seen */
} sl_fe_rates;

void sl_fe_rates_add(sl_fe_rates *r, int32_t rate);

/* The bandwidth a file of this rate has in the features: min(rate / 2, analysis Nyquist,
 * band_limit when set), Hz. */
int32_t sl_fe_bandwidth(const sl_fe_params *p, int32_t rate);

/* 1 and a one-line text in buf when the rates seen give the files different bandwidths
 * (names the rates and suggests --band-limit); 0 when all files look alike. */
int sl_fe_rates_warning(const sl_fe_rates *r, const sl_fe_params *p, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
