/* sl_data_speaker.c — speakers of corpus samples named from their file names (HD layout
 * "speaker-NN", FSDD-style "{digit}_{name}_{take}"), so per-speaker tables work on any
 * feature cache, whatever speaker numbers the cache holds. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_data.h"

static int all_digits(const char *s, size_t n) {
  if (!n) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i])) return 0;
  return 1;
}

int sl_speaker_from_name(const char *file, char *out, size_t len) {
  out[0] = '\0';
  const char *hd = strstr(file, "speaker-");
  if (hd) { /* HD layout: the number after "speaker-" */
    const char *p = hd + 8;
    size_t k = 0;
    while (isdigit((unsigned char)p[k])) k++;
    if (k) {
      while (k > 1 && *p == '0') p++, k--;
      snprintf(out, len, "%.*s", (int)k, p);
      return 1;
    }
  }
  /* {digit}_{name}_{take}[.ext]: digits, a name, digits */
  const char *dot = strrchr(file, '.');
  const size_t stem = dot ? (size_t)(dot - file) : strlen(file);
  const char *a = memchr(file, '_', stem), *b = NULL;
  for (size_t i = stem; i-- > 0;)
    if (file[i] == '_') {
      b = file + i;
      break;
    }
  if (a && b > a + 1 && all_digits(file, (size_t)(a - file)) && all_digits(b + 1, (size_t)(file + stem - b - 1))) {
    snprintf(out, len, "%.*s", (int)(b - a - 1), a + 1);
    return 1;
  }
  return 0;
}

/* Numbers numerically (shorter digit strings are smaller), before other names. */
static int name_cmp(const void *x, const void *y) {
  const char *a = x, *b = y;
  const size_t la = strlen(a), lb = strlen(b);
  const int da = all_digits(a, la), db = all_digits(b, lb);
  if (da != db) return db - da;
  if (da && la != lb) return la < lb ? -1 : 1;
  return strcmp(a, b);
}

sl_status sl_data_name_speakers(sl_dataset *d, int32_t first, int32_t n, const char (*names)[64],
                                const uint16_t *fallback, sl_err *err) {
  char(*tab)[SL_DATA_SPEAKER_LEN] = malloc(sizeof *tab * (size_t)(n ? n : 1));
  char(*own)[SL_DATA_SPEAKER_LEN] = malloc(sizeof *own * (size_t)(n ? n : 1));
  if (!tab || !own) {
    free(tab);
    free(own);
    return sl_err_set(err, SL_ERR_NOMEM, "out of memory for %d speaker names", n);
  }
  int32_t k = 0;
  for (int32_t i = 0; i < n; i++) {
    if (!sl_speaker_from_name(names[i], own[i], sizeof own[i]))
      snprintf(own[i], sizeof own[i], "#%u", (unsigned)fallback[i]);
    memcpy(tab[k++], own[i], sizeof own[i]);
  }
  qsort(tab, (size_t)k, sizeof *tab, name_cmp);
  int32_t u = 0;
  for (int32_t i = 0; i < k; i++)
    if (!u || strcmp(tab[u - 1], tab[i])) memmove(tab[u++], tab[i], sizeof *tab);
  if (u > INT16_MAX) {
    free(tab);
    free(own);
    return sl_err_set(err, SL_ERR_RANGE, "%d speakers: more than %d", u, INT16_MAX);
  }
  for (int32_t i = 0; i < n; i++) {
    const char(*hit)[SL_DATA_SPEAKER_LEN] = bsearch(own[i], tab, (size_t)u, sizeof *tab, name_cmp);
    d->speaker[first + i] = (int16_t)(hit - tab);
  }
  free(own);
  free(d->speaker_name);
  d->speaker_name = tab;
  d->n_speakers = u;
  return SL_OK;
}
