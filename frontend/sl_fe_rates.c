/* sl_fe_rates.c — bandwidth of band-limited input: the bands a file cannot fill, the
 * sample rates of a corpus and the mixed-bandwidth warning. */
#include <stdio.h>
#include "sl_fe_rates.h"

void sl_fe_floor_empty_bands(const sl_fe *fe, int32_t rate_in, float *feat) {
  const sl_fe_params *p = sl_fe_get_params(fe);
  int32_t bw = sl_fe_bandwidth(p, rate_in);
  if (bw >= p->sample_rate / 2 || (p->band_limit == 0 && rate_in >= 16000)) return;
  /* the lower edges of the triangles, as the filterbank computes them (sl_fe_mel.c) */
  double mel_hi = sl_fe_hz_to_mel(p->sample_rate / 2.0);
  int first = p->n_mels;
  for (int m = 0; m < p->n_mels && first == p->n_mels; m++)
    if (sl_fe_mel_to_hz(mel_hi * m / (p->n_mels + 1)) >= (double)bw) first = m;
  for (int32_t t = 0; t < p->n_frames; t++)
    for (int m = first; m < p->n_mels; m++) feat[(size_t)t * p->n_mels + m] = 0.0f;
}

void sl_fe_rates_add(sl_fe_rates *r, int32_t rate) {
  if (r->n == 0 && !r->more) r->lo = r->hi = rate;
  if (rate < r->lo) r->lo = rate;
  if (rate > r->hi) r->hi = rate;
  for (size_t i = 0; i < r->n; i++)
    if (r->rate[i] == rate) return;
  if (r->n < SL_FE_RATES_MAX) r->rate[r->n++] = rate;
  else r->more = 1;
}

int32_t sl_fe_bandwidth(const sl_fe_params *p, int32_t rate) {
  int32_t bw = rate / 2;
  if (bw > p->sample_rate / 2) bw = p->sample_rate / 2;
  if (p->band_limit > 0 && p->band_limit < bw) bw = p->band_limit;
  return bw;
}

int sl_fe_rates_warning(const sl_fe_rates *r, const sl_fe_params *p, char *buf, size_t len) {
  if (r->n == 0) return 0;
  int32_t lo = sl_fe_bandwidth(p, r->lo), hi = sl_fe_bandwidth(p, r->hi);
  if (lo == hi) return 0;
  char list[160];
  size_t k = 0;
  list[0] = '\0';
  for (size_t i = 0; i < r->n && k < sizeof list; i++) {
    int w = snprintf(list + k, sizeof list - k, "%s%d", i ? ", " : "", (int)r->rate[i]);
    if (w < 0) break;
    k += (size_t)w;
  }
  snprintf(buf, len,
           "mixed sample rates (%s%s Hz): the features of some files reach %d Hz, of others %d Hz; "
           "--band-limit %d makes them alike",
           list, r->more ? ", ..." : "", (int)lo, (int)hi, (int)lo);
  return 1;
}
