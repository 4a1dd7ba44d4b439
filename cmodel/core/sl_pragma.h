/* sl_pragma.h — HLS directives written next to the loops they govern, visible only to the
 * HLS tool. Vitis HLS defines __SYNTHESIS__ while synthesising; gcc (and csim) see nothing,
 * so -Wall -Werror builds stay quiet about unknown pragmas and results cannot change.
 *
 *   SL_PRAGMA(HLS PIPELINE II=1)
 *
 * The argument is macro-expanded before it is stringised, so sizes such as SL_MAX_ROW_CAP
 * may appear in it (e.g. in LOOP_TRIPCOUNT). Never write `true`/`false` through a header
 * that defines them as macros (stdbool.h): the core does not include it. */
#ifndef SL_PRAGMA_H
#define SL_PRAGMA_H

#ifdef __SYNTHESIS__
#define SL_PRAGMA_STR_(x) _Pragma(#x)
#define SL_PRAGMA(x) SL_PRAGMA_STR_(x)
#else
#define SL_PRAGMA(x)
#endif

#endif
