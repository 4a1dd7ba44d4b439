/* sl_hls_top.h — the spikeline HLS top: one function, sl_hls_top, that Vitis HLS turns into
 * an IP with an AXI4-Lite control/status window and two AXI4-Stream ports. The core state
 * (synapse table, rings, membranes, scores) lives in static on-chip memories inside it; the
 * computation is cmodel/core/sl_core.c compiled in unchanged. docs/hls.md has the register
 * map, the word formats and what to expect from synthesis.
 *
 * Plain C (C99), so no hls::stream: the streams are arrays with `INTERFACE axis`, read and
 * written strictly in index order from 0 (Vitis HLS's rule for arrays on axis ports). They
 * carry TDATA/TVALID/TREADY only (no TLAST: that needs C++ ap_axiu); the word counts travel
 * through the AXI4-Lite registers n_in and n_out. */
#ifndef SL_HLS_TOP_H
#define SL_HLS_TOP_H

#include <stdint.h>
#include "sl_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Commands (register `cmd`). Anything else sets SL_HLS_ST_ERR_CMD and does nothing. */
#define SL_HLS_CMD_NOP 0u    /* report status only */
#define SL_HLS_CMD_LOAD 1u   /* in: the model image (.slm, spec §8.1) as n_in little-endian
                                32-bit words; checked, configured, reset. */
#define SL_HLS_CMD_RESET 2u  /* start of a sample: V, rings, scores, t = 0 */
#define SL_HLS_CMD_STEP 3u   /* in: n_in event words; one timestep (spec §5);
                                out: one word per spike; result = synaptic operations */
#define SL_HLS_CMD_REWIRE 4u /* arg0 = source | slot << 16, arg1 = entry word (spec §7);
                                result = 1 if written, 0 if refused (spec §4.1) */
#define SL_HLS_CMD_READ 5u   /* arg0 = section mask (SL_HLS_READ_*); out: those sections in
                                order; result = decision (spec §6, -1 as 0xFFFFFFFF) */
#define SL_HLS_CMD_CLEAR 6u  /* clear the sticky error bits */

/* Event word (in stream, STEP): channel | payload << 16, bits 31:24 zero. */
#define SL_HLS_EV_WORD(chan, payload) ((uint32_t)(chan) | ((uint32_t)(payload) << 16))
/* Spike word (out stream, STEP): neuron | (step & 0xFFFF) << 16. */
#define SL_HLS_SPK_NEURON(w) ((uint16_t)((w) & 0xFFFFu))
#define SL_HLS_SPK_STEP(w) ((uint16_t)((w) >> 16))

/* READ sections, emitted in this order when selected. */
#define SL_HLS_READ_V 1u      /* n_neurons words: V (signed 24-bit in int32) */
#define SL_HLS_READ_RING 2u   /* n_neurons * depth words: ring[n][0..D-1], absolute slots */
#define SL_HLS_READ_SCORE 4u  /* 2 words per readout: low then high half of the int64 score */
#define SL_HLS_READ_T 8u      /* 1 word: the step counter t */

/* Status bits (register `status`). ERR bits are sticky until CLEAR; a LOAD clears them. */
#define SL_HLS_ST_CONFIGURED 0x01u /* a model image was accepted */
#define SL_HLS_ST_ERR_IMAGE 0x02u  /* LOAD refused the image (nothing will run) */
#define SL_HLS_ST_ERR_EVENT 0x04u  /* an event word was malformed, out of range or a repeat
                                      of a channel in the same step: dropped */
#define SL_HLS_ST_ERR_REWIRE 0x08u /* a REWIRE was refused; the table is unchanged */
#define SL_HLS_ST_ERR_CMD 0x10u    /* unknown command, or STEP/RESET/REWIRE/READ unconfigured */

/* Stream capacities (also the cosim depths). */
#define SL_HLS_IMAGE_WORDS (16 + 8 * SL_MAX_POPS + SL_MAX_SYN)
#define SL_HLS_IN_WORDS SL_HLS_IMAGE_WORDS
#define SL_HLS_OUT_WORDS (SL_MAX_NEURONS * (1 + SL_MAX_DEPTH) + 2 * SL_MAX_READOUTS + 1)

/* One command. Scalars and the three result pointers are AXI4-Lite registers; `in` and
 * `out` are AXI4-Stream ports. n_in words are consumed from `in` by LOAD and STEP (0 for
 * the others); *n_out words were produced on `out`. */
void sl_hls_top(uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t n_in,
                const uint32_t in[SL_HLS_IN_WORDS], uint32_t out[SL_HLS_OUT_WORDS],
                uint32_t *n_out, uint32_t *result, uint32_t *status);

#ifdef __cplusplus
}
#endif
#endif
