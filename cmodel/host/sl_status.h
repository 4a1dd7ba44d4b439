/* sl_status.h — error codes of the spikeline host layer and the error record that carries a
 * one-line message naming the file and the problem. Library code never exits or prints. */
#ifndef SL_STATUS_H
#define SL_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  SL_OK = 0,
  SL_ERR_IO,        /* cannot open, read, write or rename a file */
  SL_ERR_NOMEM,     /* allocation failed */
  SL_ERR_TRUNCATED, /* file shorter than its header says, or shorter than a header */
  SL_ERR_MAGIC,     /* not a spikeline file */
  SL_ERR_VERSION,   /* unsupported format version */
  SL_ERR_SIZE,      /* stored size disagrees with the real one */
  SL_ERR_CRC,       /* checksum mismatch */
  SL_ERR_HEADER,    /* a header field out of range */
  SL_ERR_POP,       /* a population field out of range */
  SL_ERR_TARGET,    /* a synapse target out of range */
  SL_ERR_DELAY,     /* a synapse delay >= depth */
  SL_ERR_RESERVED,  /* reserved bits or fields not zero, or an invalid entry not zero */
  SL_ERR_FANIN,     /* a neuron's fan-in above SL_MAX_FANIN */
  SL_ERR_CAPACITY,  /* a row needs more entries than row_cap */
  SL_ERR_RANGE,     /* an index (source, slot, neuron, channel) out of range */
  SL_ERR_WEIGHT,    /* a weight outside -128..127 */
  SL_ERR_PARSE,     /* a malformed text line */
  SL_ERR_EVENT,     /* an event out of range, out of order or duplicated */
  SL_ERR_ARG,       /* a bad argument from the caller */
  SL_ERR_BUS,       /* the device answered a bus access with an error response */
  SL_ERR_TIMEOUT,   /* the device did not answer */
  SL_ERR_DEVICE,    /* the device cannot take this (identity, version, capacity, state) */
  SL_ERR_COUNT_
} sl_status;

/* Short fixed description of a code ("bad CRC", ...). Never NULL. */
const char *sl_strerror(sl_status s);

/* An error record: the code and a one-line message such as
 * "net.slm: row 3 slot 7: delay 40 >= depth 32". Callers may pass NULL. */
typedef struct {
  sl_status code;
  char msg[384];
} sl_err;

/* Set err (if not NULL) and return code. The message is printf-formatted. */
sl_status sl_err_set(sl_err *err, sl_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sl_err_clear(sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
