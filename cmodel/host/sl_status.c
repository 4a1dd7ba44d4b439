/* sl_status.c — messages for sl_status codes and the error-record helper. */
#include <stdarg.h>
#include <stdio.h>
#include "sl_status.h"

static const char *const messages[SL_ERR_COUNT_] = {
  [SL_OK] = "ok",
  [SL_ERR_IO] = "I/O error",
  [SL_ERR_NOMEM] = "out of memory",
  [SL_ERR_TRUNCATED] = "truncated file",
  [SL_ERR_MAGIC] = "bad magic (not a spikeline file)",
  [SL_ERR_VERSION] = "unsupported version",
  [SL_ERR_SIZE] = "size mismatch",
  [SL_ERR_CRC] = "bad CRC",
  [SL_ERR_HEADER] = "header field out of range",
  [SL_ERR_POP] = "population field out of range",
  [SL_ERR_TARGET] = "synapse target out of range",
  [SL_ERR_DELAY] = "synapse delay out of range",
  [SL_ERR_RESERVED] = "reserved field not zero",
  [SL_ERR_FANIN] = "fan-in too large",
  [SL_ERR_CAPACITY] = "row over capacity",
  [SL_ERR_RANGE] = "index out of range",
  [SL_ERR_WEIGHT] = "weight out of range",
  [SL_ERR_PARSE] = "malformed line",
  [SL_ERR_EVENT] = "bad event",
  [SL_ERR_ARG] = "bad argument",
  [SL_ERR_BUS] = "bus error",
  [SL_ERR_TIMEOUT] = "device does not answer",
  [SL_ERR_DEVICE] = "device cannot take this",
};

const char *sl_strerror(sl_status s) {
  if ((unsigned)s >= SL_ERR_COUNT_) return "unknown error";
  return messages[s];
}

sl_status sl_err_set(sl_err *err, sl_status code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

void sl_err_clear(sl_err *err) {
  if (err) {
    err->code = SL_OK;
    err->msg[0] = '\0';
  }
}
