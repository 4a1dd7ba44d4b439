/* fnptr.c — hls_check fixture: a call through a function pointer. */
#include <stdint.h>

typedef int32_t (*sl_bad_op)(int32_t);

int32_t sl_bad_apply(sl_bad_op f, int32_t v) { return f(v); }
