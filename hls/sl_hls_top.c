/* sl_hls_top.c — the spikeline HLS top (see sl_hls_top.h and docs/hls.md): decodes one
 * command per call and runs it on a static sl_core with the functions of
 * cmodel/core/sl_core.c, which is #included below (the same file, never a copy).
 *
 * What lives here and not in the core: the hardware's own checks. The IP may be driven by
 * any bus master, so it checks the model image (spec §8.1 minus the CRC and population
 * names, which cannot change a result; the recorded input scale and recipe by their bits only), every event word (spec §3, §8.2) and every rewire
 * (spec §4.1) itself, and reports refusals as sticky status bits — never silently. */
/* The core, compiled into this translation unit: static linkage so the csim bench can link
 * the reference build beside it, and forwarding registers on for an II = 1 fan-out walk. */
#define SL_CORE_API static inline
#define SL_RING_FORWARD 1
#include "sl_core.c"

#include <string.h>
#include "sl_hls_top.h"
#include "sl_pragma.h"

#define SL_HLS_MAGIC 0x494D4C53u /* "SLMI" read as a little-endian word */
#define SL_HLS_HDR_WORDS 16
#define SL_HLS_POP_WORDS 8

/* On-chip state. Block RAMs in hardware (the large arrays of sl_core), zero at power-up. */
static sl_core sl_hls_core;
static uint32_t sl_hls_fanin[SL_MAX_NEURONS]; /* valid entries per target (spec §4) */
static uint32_t sl_hls_seen[SL_MAX_INPUTS];   /* serial of the last STEP with an event on
                                                 the channel: catches repeats in a step */
static uint32_t sl_hls_serial;                /* STEP commands since power-up */
static uint32_t sl_hls_status;

static int is_pow2(uint32_t x) { return x != 0 && (x & (x - 1)) == 0; }

/* One synapse word against the current sizes (spec §7): an invalid entry is the word 0. */
static int entry_ok(uint32_t e, uint32_t n_neurons, uint32_t depth) {
  if (!(e & SL_SYN_VALID)) return e == 0;
  return (e & SL_SYN_RESERVED) == 0 && ((e >> SL_SYN_T_SHIFT) & SL_SYN_T_MASK) < n_neurons &&
         ((e >> SL_SYN_D_SHIFT) & SL_SYN_D_MASK) < depth;
}

/* LOAD: stream the image in, then check it in the loader's order (spec §8.1). The table
 * is written straight into the core's memory; on refusal the core stays unconfigured. */
static int load_image(const uint32_t in[SL_HLS_IN_WORDS], uint32_t n_in) {
  sl_net *net = &sl_hls_core.net;
  uint32_t hdr[SL_HLS_HDR_WORDS];
  uint32_t popw[SL_HLS_POP_WORDS * SL_MAX_POPS];
  SL_PRAGMA(HLS ARRAY_PARTITION variable=hdr type=complete)
  SL_PRAGMA(HLS ARRAY_PARTITION variable=popw type=complete)
  uint32_t i, p, syn_base = SL_HLS_HDR_WORDS, too_long = 0;
  uint32_t ni, nn, np, depth, cap, sources, words, readouts = 0, neurons = 0;
  int ok = 1;

init_words:
  for (i = 0; i < SL_HLS_HDR_WORDS + SL_HLS_POP_WORDS * SL_MAX_POPS; i++) {
    SL_PRAGMA(HLS UNROLL)
    if (i < SL_HLS_HDR_WORDS) hdr[i] = 0;
    else popw[i - SL_HLS_HDR_WORDS] = 0;
  }
load_stream:
  for (i = 0; i < n_in; i++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=16 max=SL_HLS_IN_WORDS)
    const uint32_t w = in[i];
    if (i < SL_HLS_HDR_WORDS)
      hdr[i] = w;
    else if (i < syn_base)
      popw[i - SL_HLS_HDR_WORDS] = w;
    else if (i - syn_base < SL_MAX_SYN)
      net->syn[i - syn_base] = w;
    else
      too_long = 1;
    if (i == 5) { /* n_pops is known: place the table */
      const uint32_t n = w & 0xFFFFu;
      syn_base = SL_HLS_HDR_WORDS + SL_HLS_POP_WORDS * (n <= SL_MAX_POPS ? n : SL_MAX_POPS);
    }
  }

  /* Header (bytes 0..63 = words 0..15). */
  ni = hdr[4] & 0xFFFFu, nn = hdr[4] >> 16;
  np = hdr[5] & 0xFFFFu, depth = hdr[5] >> 16;
  cap = hdr[6] & 0xFFFFu;
  sources = ni + nn;
  words = sources * cap; /* < 2^27 once the sizes below hold */
  if (n_in < SL_HLS_HDR_WORDS || too_long || hdr[0] != SL_HLS_MAGIC || (hdr[1] & 0xFFFFu) != 1 ||
      (hdr[2] & 3u) != 0 || hdr[2] / 4u != n_in)
    return 0;
  if (ni < 1 || ni > SL_MAX_INPUTS || nn < 1 || nn > SL_MAX_NEURONS || np < 1 || np > SL_MAX_POPS ||
      depth < 2 || depth > SL_MAX_DEPTH || !is_pow2(depth) || cap < 1 || cap > SL_MAX_ROW_CAP ||
      !is_pow2(cap) || (hdr[6] >> 16) != 0 || words > SL_MAX_SYN)
    return 0;
  if (hdr[7] != 64 || hdr[8] != 32 * np || hdr[9] != 64 + 32 * np || hdr[10] != 4 * words ||
      hdr[2] != hdr[9] + hdr[10])
    return 0;
  /* Word 11 (bytes 44..47): reserved in a minor-0 image; from minor 1 the recorded input
   * scale (a float the core never uses), refused when not finite or negative, as the host
   * loader does. From minor 2, words 12 and 13 record the front-end recipe (never used by the
   * core either), checked as the host loader checks them: the band limit 0 or 1000..10254 Hz,
   * top_db 0 or a float in (0, 1000] (bits at most 0x447A0000 = 1000.0f: a sign bit, NaN or
   * infinity lies above). The other header words are reserved. */
  if ((hdr[1] >> 16) != 0) {
    if (((hdr[11] >> 23) & 0xFFu) == 0xFFu || (hdr[11] >> 31) != 0) ok = 0;
  } else if (hdr[11] != 0) {
    ok = 0;
  }
  if ((hdr[1] >> 16) >= 2) {
    if (hdr[12] != 0 && (hdr[12] < 1000u || hdr[12] > 10254u)) ok = 0;
    if (hdr[13] > 0x447A0000u) ok = 0;
  }
check_reserved:
  for (i = 12; i < SL_HLS_HDR_WORDS; i++) {
    SL_PRAGMA(HLS UNROLL)
    if (hdr[i] != 0 && (i > 13 || (hdr[1] >> 16) < 2)) ok = 0;
  }
  /* Populations (names are not checked: they never change a result). */
check_pops:
  for (p = 0; p < SL_MAX_POPS; p++) {
    SL_PRAGMA(HLS UNROLL)
    const uint32_t *q = &popw[SL_HLS_POP_WORDS * p];
    const uint32_t count = q[4] & 0xFFFFu, leak = q[4] >> 16;
    const int32_t thr = (int32_t)q[5];
    const uint32_t flags = (q[6] >> 8) & 0xFFu;
    if (p >= np) continue;
    if (count < 1 || leak > SL_LEAK_ONE || thr < 1 || thr > SL_V_MAX || (q[6] & 0xFFu) > 1 ||
        (flags & ~(SL_POP_SPIKING | SL_POP_READOUT)) != 0 || (q[6] >> 16) != 0 || q[7] != 0)
      ok = 0;
    neurons += count;
    if (flags & SL_POP_READOUT) readouts += count;
  }
  if (!ok || neurons != nn || readouts > SL_MAX_READOUTS) return 0;
  /* Entries and fan-in (spec §7, §4). */
clear_fanin:
  for (i = 0; i < SL_MAX_NEURONS; i++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    sl_hls_fanin[i] = 0;
  }
check_table:
  for (i = 0; i < words; i++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=2 max=SL_MAX_SYN)
    /* fanin[t]++ is a read-modify-write like the ring's, but on a saturating counter the
     * tool may schedule it at II=2; the loader is not the hot path. */
    const uint32_t e = net->syn[i];
    if (!entry_ok(e, nn, depth)) ok = 0;
    if (e & SL_SYN_VALID) sl_hls_fanin[(e >> SL_SYN_T_SHIFT) & SL_SYN_T_MASK]++;
  }
check_fanin:
  for (i = 0; i < nn; i++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_NEURONS)
    if (sl_hls_fanin[i] > SL_MAX_FANIN) ok = 0;
  }
  if (!ok) return 0;

  net->n_inputs = (uint16_t)ni, net->n_neurons = (uint16_t)nn, net->n_pops = (uint16_t)np;
  net->depth = (uint16_t)depth, net->row_cap = (uint16_t)cap;
set_pops:
  for (p = 0; p < SL_MAX_POPS; p++) {
    SL_PRAGMA(HLS UNROLL)
    const uint32_t *q = &popw[SL_HLS_POP_WORDS * p];
    net->pop[p].count = (uint16_t)(q[4] & 0xFFFFu);
    net->pop[p].leak = (uint16_t)(q[4] >> 16);
    net->pop[p].threshold = (int32_t)q[5];
    net->pop[p].reset = (uint8_t)(q[6] & 0xFFu);
    net->pop[p].flags = (uint8_t)((q[6] >> 8) & 0xFFu);
  }
  sl_core_configure(&sl_hls_core);
  return 1;
}

/* STEP: gather this step's events (dropping bad ones, visibly), run the core's step, emit
 * the spikes. Returns synaptic operations; *n_out = spike words. */
static uint32_t step(const uint32_t in[SL_HLS_IN_WORDS], uint32_t n_in, uint32_t out[SL_HLS_OUT_WORDS],
                     uint32_t *n_out) {
  sl_core *c = &sl_hls_core;
  uint16_t chan[SL_MAX_INPUTS];
  uint8_t pay[SL_MAX_INPUTS];
  uint8_t spikes[SL_MAX_NEURONS];
  const uint32_t serial = ++sl_hls_serial;
  const uint32_t t = c->t;
  uint32_t i, n, ne = 0, k = 0, ops;
read_events:
  for (i = 0; i < n_in; i++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=0 max=SL_MAX_INPUTS)
    const uint32_t w = in[i];
    const uint32_t ch = w & 0xFFFFu, p = (w >> 16) & 0xFFu;
    if ((w >> 24) != 0 || p == 0 || ch >= c->net.n_inputs || ne == SL_MAX_INPUTS ||
        sl_hls_seen[ch] == serial) {
      sl_hls_status |= SL_HLS_ST_ERR_EVENT;
    } else {
      sl_hls_seen[ch] = serial;
      chan[ne] = (uint16_t)ch;
      pay[ne] = (uint8_t)p;
      ne++;
    }
  }
  ops = sl_core_step(c, chan, pay, ne, spikes);
emit_spikes:
  for (n = 0; n < c->net.n_neurons; n++) {
    SL_PRAGMA(HLS PIPELINE II=1)
    SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_NEURONS)
    if (spikes[n]) out[k++] = ((t & 0xFFFFu) << 16) | n;
  }
  *n_out = k;
  return ops;
}

/* REWIRE (spec §4.1): the host's sl_net_check_entry, in hardware, with the fan-in kept as
 * counters instead of a table scan. */
static int rewire(uint32_t arg0, uint32_t e) {
  sl_core *c = &sl_hls_core;
  const uint32_t src = arg0 & 0xFFFFu, slot = arg0 >> 16;
  uint32_t old, t_new, t_old;
  if (src >= (uint32_t)c->net.n_inputs + c->net.n_neurons || slot >= c->net.row_cap) return 0;
  if (!entry_ok(e, c->net.n_neurons, c->net.depth)) return 0;
  old = c->net.syn[src * c->net.row_cap + slot];
  t_new = (e >> SL_SYN_T_SHIFT) & SL_SYN_T_MASK;
  t_old = (old >> SL_SYN_T_SHIFT) & SL_SYN_T_MASK;
  if ((e & SL_SYN_VALID) && !((old & SL_SYN_VALID) && t_old == t_new) &&
      sl_hls_fanin[t_new] + 1 > SL_MAX_FANIN)
    return 0;
  if (old & SL_SYN_VALID) sl_hls_fanin[t_old]--;
  if (e & SL_SYN_VALID) sl_hls_fanin[t_new]++;
  sl_core_rewire(c, (uint16_t)src, (uint16_t)slot, e);
  return 1;
}

/* READ: the state compared at every timestep boundary (spec §8.4), plus scores and t. */
static uint32_t read_state(uint32_t mask, uint32_t out[SL_HLS_OUT_WORDS]) {
  const sl_core *c = &sl_hls_core;
  const uint32_t N = c->net.n_neurons, D = c->net.depth;
  uint32_t n, s, k = 0;
  if (mask & SL_HLS_READ_V) {
  read_v:
    for (n = 0; n < N; n++) {
      SL_PRAGMA(HLS PIPELINE II=1)
      SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_NEURONS)
      out[k++] = (uint32_t)c->v[n];
    }
  }
  if (mask & SL_HLS_READ_RING) {
  read_rings:
    for (n = 0; n < N; n++) {
      SL_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=SL_MAX_NEURONS)
    read_ring_slots:
      for (s = 0; s < D; s++) {
        SL_PRAGMA(HLS PIPELINE II=1)
        SL_PRAGMA(HLS LOOP_TRIPCOUNT min=2 max=SL_MAX_DEPTH)
        out[k++] = (uint32_t)c->ring[n * SL_MAX_DEPTH + s];
      }
    }
  }
  if (mask & SL_HLS_READ_SCORE) {
  read_scores:
    for (n = 0; n < c->n_readouts; n++) {
      SL_PRAGMA(HLS PIPELINE II=2)
      SL_PRAGMA(HLS LOOP_TRIPCOUNT min=0 max=SL_MAX_READOUTS)
      const uint64_t v = (uint64_t)c->score[n];
      out[k++] = (uint32_t)v;
      out[k++] = (uint32_t)(v >> 32);
    }
  }
  if (mask & SL_HLS_READ_T) out[k++] = c->t;
  return k;
}

void sl_hls_top(uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t n_in,
                const uint32_t in[SL_HLS_IN_WORDS], uint32_t out[SL_HLS_OUT_WORDS],
                uint32_t *n_out, uint32_t *result, uint32_t *status) {
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=cmd bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=arg0 bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=arg1 bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=n_in bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=n_out bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=result bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=status bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=s_axilite port=return bundle=ctrl)
  SL_PRAGMA(HLS INTERFACE mode=axis port=in)
  SL_PRAGMA(HLS INTERFACE mode=axis port=out)
  const uint32_t configured = sl_hls_status & SL_HLS_ST_CONFIGURED;
  uint32_t r = 0, k = 0;

  if (cmd == SL_HLS_CMD_LOAD) {
    sl_hls_status = 0;
    if (load_image(in, n_in))
      sl_hls_status = SL_HLS_ST_CONFIGURED;
    else
      sl_hls_status = SL_HLS_ST_ERR_IMAGE;
    r = sl_hls_status & SL_HLS_ST_CONFIGURED;
  } else if (cmd == SL_HLS_CMD_CLEAR) {
    sl_hls_status &= SL_HLS_ST_CONFIGURED;
  } else if (cmd == SL_HLS_CMD_NOP) {
    r = 0;
  } else if (!configured || cmd > SL_HLS_CMD_CLEAR) {
    sl_hls_status |= SL_HLS_ST_ERR_CMD;
  } else if (cmd == SL_HLS_CMD_RESET) {
    sl_core_reset(&sl_hls_core);
  } else if (cmd == SL_HLS_CMD_STEP) {
    r = step(in, n_in, out, &k);
  } else if (cmd == SL_HLS_CMD_REWIRE) {
    r = (uint32_t)rewire(arg0, arg1);
    if (!r) sl_hls_status |= SL_HLS_ST_ERR_REWIRE;
  } else { /* SL_HLS_CMD_READ */
    k = read_state(arg0, out);
    r = (uint32_t)sl_core_decision(&sl_hls_core);
  }
  *n_out = k;
  *result = r;
  *status = sl_hls_status;
}
