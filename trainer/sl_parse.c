/* sl_parse.c — strict number parsing for the trainer's options and configuration files
 * (see sl_parse.h). */
#include "sl_parse.h"
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

sl_parse_result sl_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out) {
  if (!s || !*s || isspace((unsigned char)*s)) return SL_PARSE_SYNTAX;
  char *end = NULL;
  errno = 0;
  const long long v = strtoll(s, &end, 10);
  if (end == s || *end) return SL_PARSE_SYNTAX;
  if (errno == ERANGE || v < lo || v > hi) return SL_PARSE_RANGE;
  *out = v;
  return SL_PARSE_OK;
}

sl_parse_result sl_parse_u64(const char *s, uint64_t *out) {
  if (!s || !isdigit((unsigned char)*s)) return SL_PARSE_SYNTAX; /* strtoull accepts "-1" */
  char *end = NULL;
  errno = 0;
  const unsigned long long v = strtoull(s, &end, 10);
  if (*end) return SL_PARSE_SYNTAX;
  if (errno == ERANGE) return SL_PARSE_RANGE;
  *out = v;
  return SL_PARSE_OK;
}

/* one decimal number, finite as a double */
static sl_parse_result parse_double(const char *s, char **end, double *v) {
  if (!*s || isspace((unsigned char)*s)) return SL_PARSE_SYNTAX;
  *v = strtod(s, end);
  if (*end == s) return SL_PARSE_SYNTAX;
  if (!isfinite(*v)) return SL_PARSE_NONFINITE;
  return SL_PARSE_OK;
}

sl_parse_result sl_parse_real(const char *s, float *out) {
  if (!s) return SL_PARSE_SYNTAX;
  char *end = NULL;
  double v;
  sl_parse_result r = parse_double(s, &end, &v);
  if (r) return r;
  if (*end == '/') { /* a fraction such as 31/32 */
    double d;
    const char *den = end + 1;
    if ((r = parse_double(den, &end, &d))) return r;
    if (d == 0) return SL_PARSE_NONFINITE;
    v /= d;
  }
  if (*end) return SL_PARSE_SYNTAX;
  if (!isfinite(v) || fabs(v) > FLT_MAX) return SL_PARSE_NONFINITE;
  *out = (float)v;
  return SL_PARSE_OK;
}

const char *sl_parse_what(sl_parse_result r) {
  switch (r) {
    case SL_PARSE_OK: return "ok";
    case SL_PARSE_SYNTAX: return "not a number";
    case SL_PARSE_RANGE: return "out of range";
    default: return "not a finite number";
  }
}
