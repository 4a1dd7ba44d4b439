/* sl_dev.h — the spikeline host driver: open a core by URI, check what it can hold, load a
 * model image over the bus (verified before the core is enabled), rewire single entries at
 * run time, stream a sample's events and collect its spikes, read status and counters.
 *
 * URIs:  sim:[option,...]     the Verilated RTL core, in this process
 *        sim:sc[,option,...]  the same RTL in a SystemC virtual platform, in this process
 *                             (SystemC builds only; one open sim:sc device per process)
 *        uio:/dev/uioN        a board's core through Linux UIO (docs/board.md)
 *   sim options: fst=FILE (waves), fault=hang|version|smallcaps|slverr@N (tests)
 * Errors are sl_status codes with a one-line message in sl_err; the driver never exits. */
#ifndef SL_DEV_H
#define SL_DEV_H

#include <stdint.h>
#include "sl_events.h"
#include "sl_net.h"
#include "sl_trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_dev sl_dev;

/* What the core reports about itself. */
typedef struct {
  uint32_t id, version, caps, variant;
  uint32_t max_inputs, max_neurons, max_depth, max_row_cap, max_syn, max_readouts, max_pops;
} sl_dev_info;

typedef struct {
  uint64_t cycles;                         /* since reset (sim: exact) */
  uint32_t busy, sweep, deliver, stall;    /* cycles since the last counter clear */
  uint32_t events, synops, spikes, steps, in_bad;
} sl_dev_counters;

/* The outcome of one sample on the device. */
typedef struct {
  int32_t decision;
  uint32_t n_readouts;
  int64_t score[SL_MAX_READOUTS];
  uint32_t n_spikes, cap_spikes;
  sl_spike *spk;                           /* (step, neuron), in step then neuron order */
  uint64_t cycles;                         /* clock cycles the sample took (0 if unknown) */
} sl_dev_result;

/* Open and identify: a device that does not answer, or answers with another ID or an
 * unsupported spec version, is refused. The core is left reset and disabled. */
sl_status sl_dev_open(const char *uri, sl_dev **dev, sl_err *err);
void sl_dev_close(sl_dev *dev); /* NULL is harmless */
const sl_dev_info *sl_dev_get_info(const sl_dev *dev);

/* Load a (validated) network: refuse it if the core cannot hold it; write the configuration
 * and the table, read everything back and compare, and only then enable the core. On any
 * failure the core is left disabled with an empty table, never half-loaded. */
sl_status sl_dev_load(sl_dev *dev, const sl_net *net, sl_err *err);

/* Rewrite one entry at run time (spec §4.1 checks first, then write, read back). */
sl_status sl_dev_rewire(sl_dev *dev, uint32_t src, uint32_t slot, uint32_t entry, sl_err *err);

/* Run sample i of es from reset; fill res (allocates res->spk; free with sl_dev_result_free).
 * Fails with SL_ERR_DEVICE if the core flags an error (e.g. a dropped event word). */
sl_status sl_dev_run_sample(sl_dev *dev, const sl_eventset *es, uint32_t i, sl_dev_result *res, sl_err *err);
void sl_dev_result_free(sl_dev_result *res);

/* One step with raw input words (the end-of-step word is appended): for tools and tests
 * that must send what the typed API refuses. Spike words are stored into res. */
sl_status sl_dev_step_raw(sl_dev *dev, const uint32_t *words, uint32_t n, sl_dev_result *res, sl_err *err);

sl_status sl_dev_read_counters(sl_dev *dev, sl_dev_counters *c, sl_err *err);
/* Sticky error bits (SL_ERR_* of sl_regs.h); clear_mask bits are written back to clear. */
sl_status sl_dev_read_errors(sl_dev *dev, uint32_t *bits, uint32_t clear_mask, sl_err *err);
/* Reset the core (disabled, configuration kept only in the driver). */
sl_status sl_dev_reset(sl_dev *dev, sl_err *err);

/* Raw register access (bus errors and timeouts are reported as such). */
sl_status sl_dev_read32(sl_dev *dev, uint32_t addr, uint32_t *value, sl_err *err);
sl_status sl_dev_write32(sl_dev *dev, uint32_t addr, uint32_t value, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
