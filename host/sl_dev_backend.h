/* sl_dev_backend.h — what a backend gives the driver: 32-bit register access on the
 * AXI4-Lite window and progress on the two streams. Backends: sim (the Verilated RTL,
 * in-process), sim:sc (the same RTL in a SystemC virtual platform, in-process), uio (a
 * board's UIO window). The driver's protocol lives in sl_dev.c. */
#ifndef SL_DEV_BACKEND_H
#define SL_DEV_BACKEND_H

#include <stdint.h>
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bus results. */
#define SL_BUS_OK 0
#define SL_BUS_SLVERR 1   /* the slave answered with an error response */
#define SL_BUS_TIMEOUT -1 /* no answer */

typedef struct {
  const char *name;
  int (*read32)(void *ctx, uint32_t addr, uint32_t *value);
  int (*write32)(void *ctx, uint32_t addr, uint32_t value);
  /* Make progress on the streams: offer in[0..n_in) (sets *taken to how many the core
   * accepted) and collect up to max_out output words (*got). Returns SL_BUS_OK, or
   * SL_BUS_TIMEOUT when the backend is dead. A call that moves nothing is allowed; the
   * driver gives up after a bounded number of idle calls. */
  int (*xfer)(void *ctx, const uint32_t *in, uint32_t n_in, uint32_t *taken, uint32_t *out, uint32_t max_out,
              uint32_t *got);
  /* Clock cycles elapsed (sim) or 0 when unknown. */
  uint64_t (*cycles)(void *ctx);
  /* Pulse the core's reset. */
  void (*reset)(void *ctx);
  void (*close)(void *ctx);
} sl_dev_ops;

/* Backend constructors: parse the part of the URI after "sim:" / "uio:". sl_dev_sim_open
 * hands "sim:sc[,...]" to sl_dev_sc_open (the options after "sc,"). */
sl_status sl_dev_sim_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err);
sl_status sl_dev_sc_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err);
sl_status sl_dev_uio_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
