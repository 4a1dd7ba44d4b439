/* sl_parse.h — the trainer's number parsers, used for every option and configuration key:
 * the whole text must be the number, integers are range-checked in 64 bits before they are
 * stored, and reals must be finite (no nan, inf, or overflow to inf). */
#ifndef SL_PARSE_H
#define SL_PARSE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  SL_PARSE_OK = 0,
  SL_PARSE_SYNTAX,  /* not a number (empty, trailing characters) */
  SL_PARSE_RANGE,   /* a number, but outside lo..hi */
  SL_PARSE_NONFINITE /* nan, inf, or too large for a float */
} sl_parse_result;

/* Decimal integer in lo..hi (the comparison is made before any narrowing). */
sl_parse_result sl_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out);
/* Decimal unsigned 64-bit integer (no sign). */
sl_parse_result sl_parse_u64(const char *s, uint64_t *out);
/* A finite real that is also finite as a float: a decimal number or a fraction "a/b"
 * (b != 0), e.g. 31/32. */
sl_parse_result sl_parse_real(const char *s, float *out);
/* A short English description of a result ("not a number", ...). */
const char *sl_parse_what(sl_parse_result r);

#ifdef __cplusplus
}
#endif
#endif
