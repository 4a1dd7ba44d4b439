/* sl_config.h — compile-time maxima and field widths of the spikeline core (docs/spec.md §1, §7).
 * Every maximum can be lowered with -D for a smaller hardware build; the field widths are the
 * spec's and must not change. */
#ifndef SL_CONFIG_H
#define SL_CONFIG_H

#ifndef SL_MAX_INPUTS
#define SL_MAX_INPUTS 1024
#endif
#ifndef SL_MAX_NEURONS
#define SL_MAX_NEURONS 1024 /* target field is 10 bits: never above 1024 */
#endif
#ifndef SL_MAX_POPS
#define SL_MAX_POPS 8
#endif
#ifndef SL_MAX_DEPTH
#define SL_MAX_DEPTH 32 /* delay field is 5 bits: never above 32 */
#endif
#ifndef SL_MAX_ROW_CAP
#define SL_MAX_ROW_CAP 1024
#endif
#ifndef SL_MAX_SYN
#define SL_MAX_SYN 262144 /* entries in the whole table: sources * row_cap */
#endif
#ifndef SL_MAX_READOUTS
#define SL_MAX_READOUTS 256
#endif

#define SL_MAX_SOURCES (SL_MAX_INPUTS + SL_MAX_NEURONS)
#define SL_MAX_FANIN 65535     /* valid entries onto one neuron; keeps the ring exact (§4) */
#define SL_MAX_STEPS 65535     /* timesteps per sample */

/* State and parameter widths (spec §2, §4). */
#define SL_V_BITS 24
#define SL_V_MAX ((int32_t)((1L << (SL_V_BITS - 1)) - 1))
#define SL_V_MIN ((int32_t)(-(1L << (SL_V_BITS - 1))))
#define SL_LEAK_FRAC 12
#define SL_LEAK_ONE (1 << SL_LEAK_FRAC) /* 4096 = no leak */
#define SL_PAYLOAD_MAX 255

/* Synapse entry word packing (spec §7). */
#define SL_SYN_W_MASK 0x000000FFu
#define SL_SYN_D_SHIFT 8
#define SL_SYN_D_MASK 0x1Fu
#define SL_SYN_T_SHIFT 16
#define SL_SYN_T_MASK 0x3FFu
#define SL_SYN_VALID 0x80000000u
#define SL_SYN_RESERVED 0x7C00E000u /* bits 30:26 and 15:13 */

/* Population flags and reset modes (spec §2). */
#define SL_POP_SPIKING 0x01u
#define SL_POP_READOUT 0x02u
#define SL_RESET_ZERO 0u
#define SL_RESET_SUB 1u

#if SL_MAX_NEURONS > 1024 || SL_MAX_DEPTH > 32
#error "SL_MAX_NEURONS and SL_MAX_DEPTH are bounded by the entry packing (spec section 7)"
#endif

#endif
