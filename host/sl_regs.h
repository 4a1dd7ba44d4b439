/* sl_regs.h — the spikeline core's host interface as seen from software: AXI4-Lite register
 * offsets, memory windows, control/status/error bits and the stream word formats
 * (docs/rtl.md; rtl/sl_pkg.sv is the hardware side of the same map). */
#ifndef SL_REGS_H
#define SL_REGS_H

#define SL_REG_ID 0x000u        /* reads SL_ID_VALUE ("SLC1") */
#define SL_REG_VERSION 0x004u   /* [31:24] RTL major, [7:0] spec (model image) major */
#define SL_REG_CAPS 0x008u      /* address widths of the built core (SL_CAPS_*) */
#define SL_REG_VARIANT 0x00Cu
#define SL_REG_CTRL 0x010u
#define SL_REG_STATUS 0x014u
#define SL_REG_ERR 0x018u       /* sticky, write 1 to clear */
#define SL_REG_ERR_ADDR 0x01Cu
#define SL_REG_N_INPUTS 0x020u
#define SL_REG_N_NEURONS 0x024u
#define SL_REG_N_POPS 0x028u
#define SL_REG_DEPTH_LOG2 0x02Cu
#define SL_REG_ROWCAP_LOG2 0x030u
#define SL_REG_N_READOUTS 0x034u
#define SL_REG_CYC_LO 0x040u
#define SL_REG_CYC_HI 0x044u
#define SL_REG_BUSY_CYC 0x048u
#define SL_REG_SWEEP_CYC 0x04Cu
#define SL_REG_DELIV_CYC 0x050u
#define SL_REG_STALL_CYC 0x054u
#define SL_REG_EVENTS 0x058u
#define SL_REG_SYNOPS 0x05Cu
#define SL_REG_SPIKES 0x060u
#define SL_REG_STEPS 0x064u
#define SL_REG_IN_BAD 0x068u
#define SL_REG_POP(p) (0x100u + 16u * (p)) /* + 0 COUNT, + 4 LEAK, + 8 THRESHOLD, + 12 MODE */

#define SL_WIN_SCORE 0x020000u /* 2 words per readout: low, high (40-bit, sign-extended) */
#define SL_WIN_V 0x040000u
#define SL_WIN_RING 0x080000u
#define SL_WIN_SYN 0x100000u   /* word i = table entry i (source * row_cap + slot) */

#define SL_ID_VALUE 0x534C4331u
#define SL_VERSION_SPEC(v) ((v) & 0xFFu)

#define SL_CTRL_ENABLE 0x1u
#define SL_CTRL_CLEAR_STATE 0x2u
#define SL_CTRL_CLEAR_TABLE 0x4u
#define SL_CTRL_CLEAR_COUNT 0x8u

#define SL_STATUS_IDLE 0x01u
#define SL_STATUS_CFG_OK 0x10u

#define SL_ERR_IN_PROTO 0x01u  /* malformed input stream word (dropped, counted) */
#define SL_ERR_BUS_ADDR 0x02u  /* unmapped, read-only, out-of-window or partial write */
#define SL_ERR_BUS_BUSY 0x04u  /* configuration access while the core was not idle */
#define SL_ERR_BAD_VALUE 0x08u /* refused value (illegal entry, register out of range) */
#define SL_ERR_RING_OVF 0x10u  /* ring accumulator overflow (fan-in bound broken) */
#define SL_ERR_CFG 0x20u       /* step requested with an inconsistent configuration */

#define SL_MODE_RESET_SUB 0x1u
#define SL_MODE_SPIKING 0x2u
#define SL_MODE_READOUT 0x4u

/* Input stream: an event is payload << 16 | channel; SL_IN_EOS ends a step. Output stream:
 * bit 31 clear: a spike, neuron in [25:16], step in [15:0]; bit 31 set: end of step, the
 * step's spike count in [26:16], step in [15:0]. */
#define SL_IN_EOS 0x80000000u
#define SL_IN_EVENT(chan, payload) ((uint32_t)(payload) << 16 | (uint32_t)(chan))
#define SL_OUT_IS_EOS(w) (((w) >> 31) & 1u)
#define SL_OUT_NEURON(w) (((w) >> 16) & 0x3FFu)
#define SL_OUT_COUNT(w) (((w) >> 16) & 0x7FFu)
#define SL_OUT_STEP(w) ((w) & 0xFFFFu)

#endif
