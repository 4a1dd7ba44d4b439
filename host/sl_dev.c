/* sl_dev.c — the driver's protocol over a backend (sl_dev_backend.h): identification, model
 * loading with read-back, rewiring, the per-step stream exchange and the fault checks.
 * Register map and stream formats: sl_regs.h, docs/rtl.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_dev.h"
#include "sl_dev_backend.h"
#include "sl_image.h"
#include "sl_regs.h"

#define SL_IDLE_WAIT 4000000u  /* polls of STATUS before a clear is declared stuck */
#define SL_XFER_IDLE 200000u   /* stream calls without progress before a step is stuck */

struct sl_dev {
  const sl_dev_ops *ops;
  void *ctx;
  char uri[256];
  sl_dev_info info;
  sl_net *net;   /* what is loaded (NULL if nothing), kept for rewire checks */
  uint16_t n_readouts;
};

static sl_status bus(sl_dev *d, int r, const char *what, uint32_t addr, sl_err *err) {
  if (r == SL_BUS_OK) return SL_OK;
  if (r == SL_BUS_SLVERR) return sl_err_set(err, SL_ERR_BUS, "%s: bus error (SLVERR) on %s at 0x%06x", d->uri, what, addr);
  return sl_err_set(err, SL_ERR_TIMEOUT, "%s: device does not answer (%s at 0x%06x)", d->uri, what, addr);
}

sl_status sl_dev_read32(sl_dev *d, uint32_t addr, uint32_t *v, sl_err *err) {
  return bus(d, d->ops->read32(d->ctx, addr, v), "read", addr, err);
}

sl_status sl_dev_write32(sl_dev *d, uint32_t addr, uint32_t v, sl_err *err) {
  return bus(d, d->ops->write32(d->ctx, addr, v), "write", addr, err);
}

static sl_status wait_idle(sl_dev *d, sl_err *err) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < SL_IDLE_WAIT; i++) {
    sl_status st = sl_dev_read32(d, SL_REG_STATUS, &s, err);
    if (st) return st;
    if (s & SL_STATUS_IDLE) return SL_OK;
  }
  return sl_err_set(err, SL_ERR_TIMEOUT, "%s: core not idle (STATUS 0x%08x)", d->uri, s);
}

static uint32_t bits_of(uint32_t caps, int shift, uint32_t mask) { return 1u << ((caps >> shift) & mask); }

static sl_status identify(sl_dev *d, sl_err *err) {
  sl_dev_info *in = &d->info;
  sl_status s;
  if ((s = sl_dev_read32(d, SL_REG_ID, &in->id, err))) return s;
  if (in->id != SL_ID_VALUE)
    return sl_err_set(err, SL_ERR_DEVICE, "%s: ID register reads 0x%08x, not a spikeline core (0x%08x)", d->uri, in->id,
                      SL_ID_VALUE);
  if ((s = sl_dev_read32(d, SL_REG_VERSION, &in->version, err)) || (s = sl_dev_read32(d, SL_REG_CAPS, &in->caps, err)) ||
      (s = sl_dev_read32(d, SL_REG_VARIANT, &in->variant, err)))
    return s;
  if (SL_VERSION_SPEC(in->version) != SL_IMAGE_VERSION_MAJOR)
    return sl_err_set(err, SL_ERR_DEVICE, "%s: core implements spec version %u, this driver speaks version %d",
                      d->uri, SL_VERSION_SPEC(in->version), SL_IMAGE_VERSION_MAJOR);
  const uint32_t c = in->caps;
  in->max_inputs = bits_of(c, 0, 15);
  in->max_neurons = bits_of(c, 4, 15);
  in->max_depth = bits_of(c, 8, 15);
  in->max_row_cap = bits_of(c, 12, 15);
  in->max_syn = bits_of(c, 16, 31);
  in->max_readouts = bits_of(c, 24, 15);
  in->max_pops = bits_of(c, 28, 15);
  return SL_OK;
}

sl_status sl_dev_open(const char *uri, sl_dev **out, sl_err *err) {
  *out = NULL;
  sl_dev *d = calloc(1, sizeof *d);
  if (!d) return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", uri);
  snprintf(d->uri, sizeof d->uri, "%s", uri);
  sl_status s;
  if (!strncmp(uri, "sim:", 4))
    s = sl_dev_sim_open(uri + 4, &d->ops, &d->ctx, err);
  else if (!strncmp(uri, "uio:", 4))
    s = sl_dev_uio_open(uri + 4, &d->ops, &d->ctx, err);
  else
    s = sl_err_set(err, SL_ERR_ARG, "%s: unknown device (want sim: or uio:/dev/uioN)", uri);
  if (!s) {
    d->ops->reset(d->ctx);
    s = identify(d, err);
  }
  if (s) {
    sl_dev_close(d);
    return s;
  }
  *out = d;
  return SL_OK;
}

void sl_dev_close(sl_dev *d) {
  if (!d) return;
  if (d->ops) d->ops->close(d->ctx);
  sl_net_free(d->net);
  free(d);
}

const sl_dev_info *sl_dev_get_info(const sl_dev *d) { return &d->info; }

static uint32_t log2u(uint32_t x) {
  uint32_t l = 0;
  while ((1u << l) < x) l++;
  return l;
}

static sl_status check_fits(sl_dev *d, const sl_net *n, uint32_t readouts, sl_err *err) {
  const sl_dev_info *in = &d->info;
  struct { const char *what; uint32_t have, max; } lim[] = {
      {"inputs", n->n_inputs, in->max_inputs},       {"neurons", n->n_neurons, in->max_neurons},
      {"depth", n->depth, in->max_depth},            {"row capacity", n->row_cap, in->max_row_cap},
      {"table words", sl_net_sources(n) * n->row_cap, in->max_syn},
      {"readouts", readouts, in->max_readouts},      {"populations", n->n_pops, in->max_pops}};
  for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++)
    if (lim[i].have > lim[i].max)
      return sl_err_set(err, SL_ERR_DEVICE, "%s: model has %u %s; this core holds at most %u", d->uri, lim[i].have,
                        lim[i].what, lim[i].max);
  return SL_OK;
}

/* Leave the core disabled with an empty table (best effort: the bus may be what failed). */
static void unload(sl_dev *d) {
  sl_err ignore;
  sl_dev_write32(d, SL_REG_CTRL, SL_CTRL_CLEAR_TABLE, &ignore);
  wait_idle(d, &ignore);
  sl_net_free(d->net);
  d->net = NULL;
}

static sl_status load(sl_dev *d, const sl_net *n, sl_err *err) {
  sl_status s;
  uint32_t v;
  if ((s = sl_dev_write32(d, SL_REG_CTRL, 0, err)) || (s = wait_idle(d, err))) return s;
  uint32_t regs[2 * (5 + 4 * SL_MAX_POPS)], nr = 0;
#define REG(a, x) (regs[nr++] = (a), regs[nr++] = (uint32_t)(x))
  REG(SL_REG_N_INPUTS, n->n_inputs);
  REG(SL_REG_N_NEURONS, n->n_neurons);
  REG(SL_REG_N_POPS, n->n_pops);
  REG(SL_REG_DEPTH_LOG2, log2u(n->depth));
  REG(SL_REG_ROWCAP_LOG2, log2u(n->row_cap));
  for (uint32_t p = 0; p < n->n_pops; p++) {
    const sl_pop *q = &n->pop[p];
    REG(SL_REG_POP(p) + 0, q->count);
    REG(SL_REG_POP(p) + 4, q->leak);
    REG(SL_REG_POP(p) + 8, q->threshold);
    REG(SL_REG_POP(p) + 12, (q->reset ? SL_MODE_RESET_SUB : 0) | (q->flags & SL_POP_SPIKING ? SL_MODE_SPIKING : 0) |
                                (q->flags & SL_POP_READOUT ? SL_MODE_READOUT : 0));
  }
#undef REG
  for (uint32_t i = 0; i < nr; i += 2)
    if ((s = sl_dev_write32(d, regs[i], regs[i + 1], err))) return s;
  for (uint32_t i = 0; i < nr; i += 2) {
    if ((s = sl_dev_read32(d, regs[i], &v, err))) return s;
    if (v != regs[i + 1])
      return sl_err_set(err, SL_ERR_DEVICE, "%s: register 0x%03x reads back 0x%08x, wrote 0x%08x", d->uri, regs[i], v,
                        regs[i + 1]);
  }
  if ((s = sl_dev_read32(d, SL_REG_STATUS, &v, err))) return s;
  if (!(v & SL_STATUS_CFG_OK))
    return sl_err_set(err, SL_ERR_DEVICE, "%s: core refuses the configuration (STATUS 0x%08x)", d->uri, v);
  if ((s = sl_dev_write32(d, SL_REG_CTRL, SL_CTRL_CLEAR_TABLE, err)) || (s = wait_idle(d, err))) return s;
  const uint32_t words = sl_net_sources(n) * n->row_cap;
  for (uint32_t i = 0; i < words; i++)
    if (n->syn[i] && (s = sl_dev_write32(d, SL_WIN_SYN + 4 * i, n->syn[i], err))) return s;
  for (uint32_t i = 0; i < words; i++) {
    if ((s = sl_dev_read32(d, SL_WIN_SYN + 4 * i, &v, err))) return s;
    if (v != n->syn[i])
      return sl_err_set(err, SL_ERR_DEVICE, "%s: table row %u slot %u reads back 0x%08x, wrote 0x%08x", d->uri,
                        i / n->row_cap, i % n->row_cap, v, n->syn[i]);
  }
  if ((s = sl_dev_read32(d, SL_REG_ERR, &v, err))) return s;
  if (v) return sl_err_set(err, SL_ERR_DEVICE, "%s: core flags errors 0x%02x after loading", d->uri, v);
  return sl_dev_write32(d, SL_REG_CTRL, SL_CTRL_ENABLE | SL_CTRL_CLEAR_COUNT, err);
}

sl_status sl_dev_load(sl_dev *d, const sl_net *n, sl_err *err) {
  sl_status s = sl_net_validate(n, d->uri, err);
  if (s) return s;
  uint32_t readouts = 0;
  for (uint32_t p = 0; p < n->n_pops; p++)
    if (n->pop[p].flags & SL_POP_READOUT) readouts += n->pop[p].count;
  if ((s = check_fits(d, n, readouts, err))) return s;
  s = load(d, n, err);
  if (s) {
    unload(d);
    return s;
  }
  if (!d->net && !(d->net = sl_net_new())) {
    unload(d);
    return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", d->uri);
  }
  memcpy(d->net, n, sizeof *n);
  d->n_readouts = (uint16_t)readouts;
  return SL_OK;
}

sl_status sl_dev_rewire(sl_dev *d, uint32_t src, uint32_t slot, uint32_t entry, sl_err *err) {
  if (!d->net) return sl_err_set(err, SL_ERR_DEVICE, "%s: no model loaded", d->uri);
  sl_status s = sl_net_check_entry(d->net, src, slot, entry, d->uri, err);
  if (s) return s;
  const uint32_t i = src * d->net->row_cap + slot;
  uint32_t v;
  if ((s = sl_dev_write32(d, SL_WIN_SYN + 4 * i, entry, err)) || (s = sl_dev_read32(d, SL_WIN_SYN + 4 * i, &v, err)))
    return s;
  if (v != entry)
    return sl_err_set(err, SL_ERR_DEVICE, "%s: row %u slot %u reads back 0x%08x after writing 0x%08x", d->uri, src, slot,
                      v, entry);
  d->net->syn[i] = entry;
  return SL_OK;
}

static sl_status push_spike(sl_dev_result *r, uint32_t step, uint32_t neuron) {
  if (r->n_spikes == r->cap_spikes) {
    uint32_t nc = r->cap_spikes ? 2 * r->cap_spikes : 1024;
    sl_spike *ns = realloc(r->spk, nc * sizeof *ns);
    if (!ns) return SL_ERR_NOMEM;
    r->spk = ns;
    r->cap_spikes = nc;
  }
  r->spk[r->n_spikes].step = (uint16_t)step;
  r->spk[r->n_spikes].neuron = (uint16_t)neuron;
  r->n_spikes++;
  return SL_OK;
}

/* Send one step's words (end-of-step appended) and collect its spikes up to the end word. */
static sl_status exchange(sl_dev *d, uint32_t t, const uint32_t *words, uint32_t n, sl_dev_result *r, sl_err *err) {
  uint32_t in[SL_MAX_INPUTS + 1], out[256];
  if (n) memcpy(in, words, n * sizeof *in); /* words may be NULL for a step without input */
  in[n++] = SL_IN_EOS;
  uint32_t sent = 0, idle = 0, got_spikes = 0;
  for (;;) {
    uint32_t taken = 0, got = 0;
    if (d->ops->xfer(d->ctx, in + sent, n - sent, &taken, out, 256, &got) != SL_BUS_OK)
      return sl_err_set(err, SL_ERR_TIMEOUT, "%s: step %u: device does not answer on the streams", d->uri, t);
    sent += taken;
    idle = taken || got ? 0 : idle + 1;
    for (uint32_t k = 0; k < got; k++) {
      const uint32_t w = out[k];
      if (SL_OUT_STEP(w) != (t & 0xFFFFu))
        return sl_err_set(err, SL_ERR_DEVICE, "%s: step %u: output word 0x%08x carries step %u", d->uri, t, w,
                          SL_OUT_STEP(w));
      if (SL_OUT_IS_EOS(w)) {
        if (SL_OUT_COUNT(w) != got_spikes)
          return sl_err_set(err, SL_ERR_DEVICE, "%s: step %u: end-of-step word counts %u spikes, %u came", d->uri, t,
                            SL_OUT_COUNT(w), got_spikes);
        if (k + 1 != got || sent != n)
          return sl_err_set(err, SL_ERR_DEVICE, "%s: step %u: words after the end of the step", d->uri, t);
        return SL_OK;
      }
      if (push_spike(r, t, SL_OUT_NEURON(w))) return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", d->uri);
      got_spikes++;
    }
    /* A core that refused the step (ERR.CFG: the configuration is inconsistent) never takes
     * a word: say so at once rather than after the whole idle budget. */
    uint32_t e;
    if (idle && idle % 1024u == 0 && d->ops->read32(d->ctx, SL_REG_ERR, &e) == SL_BUS_OK && (e & SL_ERR_CFG))
      return sl_err_set(err, SL_ERR_DEVICE, "%s: step %u: the core refuses to step: inconsistent configuration (ERR 0x%02x)",
                        d->uri, t, e);
    if (idle > SL_XFER_IDLE)
      return sl_err_set(err, SL_ERR_TIMEOUT, "%s: step %u: no end-of-step word (%u of %u input words taken)", d->uri, t,
                        sent, n);
  }
}

static sl_status check_errors(sl_dev *d, const char *when, sl_err *err) {
  uint32_t v;
  sl_status s = sl_dev_read32(d, SL_REG_ERR, &v, err);
  if (s) return s;
  if (!v) return SL_OK;
  uint32_t bad = 0;
  sl_dev_read32(d, SL_REG_IN_BAD, &bad, NULL);
  sl_dev_write32(d, SL_REG_ERR, v, NULL);
  if (v & SL_ERR_IN_PROTO)
    return sl_err_set(err, SL_ERR_DEVICE, "%s: %s: core dropped %u malformed event word(s) (ERR 0x%02x)", d->uri, when,
                      bad, v);
  return sl_err_set(err, SL_ERR_DEVICE, "%s: %s: core flags errors 0x%02x", d->uri, when, v);
}

static sl_status start_sample(sl_dev *d, sl_dev_result *r, sl_err *err) {
  if (!d->net) return sl_err_set(err, SL_ERR_DEVICE, "%s: no model loaded", d->uri);
  r->n_spikes = 0;
  r->decision = -1;
  r->n_readouts = d->n_readouts;
  sl_status s = sl_dev_write32(d, SL_REG_CTRL, SL_CTRL_ENABLE | SL_CTRL_CLEAR_STATE, err);
  return s ? s : wait_idle(d, err);
}

sl_status sl_dev_run_sample(sl_dev *d, const sl_eventset *es, uint32_t i, sl_dev_result *r, sl_err *err) {
  const sl_sample *sm = &es->samples[i];
  if (d->net && es->channels > d->net->n_inputs)
    return sl_err_set(err, SL_ERR_DEVICE, "%s: events have %u channels, the model %u inputs", d->uri, es->channels,
                      d->net->n_inputs);
  sl_status s = start_sample(d, r, err);
  if (s) return s;
  const uint64_t c0 = d->ops->cycles(d->ctx);
  uint32_t words[SL_MAX_INPUTS], k = 0;
  for (uint32_t t = 0; t < es->steps; t++) {
    uint32_t n = 0;
    while (k < sm->count && es->ev[sm->first + k].step == t) {
      const sl_event *e = &es->ev[sm->first + k++];
      words[n++] = SL_IN_EVENT(e->chan, e->payload);
    }
    if ((s = exchange(d, t, words, n, r, err))) return s;
  }
  r->cycles = d->ops->cycles(d->ctx) - c0;
  char when[48];
  snprintf(when, sizeof when, "sample %d", sm->id);
  if ((s = check_errors(d, when, err))) return s;
  for (uint32_t k2 = 0; k2 < r->n_readouts; k2++) {
    uint32_t lo, hi;
    if ((s = sl_dev_read32(d, SL_WIN_SCORE + 8 * k2, &lo, err)) || (s = sl_dev_read32(d, SL_WIN_SCORE + 8 * k2 + 4, &hi, err)))
      return s;
    r->score[k2] = (int64_t)((uint64_t)hi << 32 | lo);
    if (r->decision < 0 || r->score[k2] > r->score[r->decision]) r->decision = (int32_t)k2;
  }
  return SL_OK;
}

sl_status sl_dev_step_raw(sl_dev *d, const uint32_t *words, uint32_t n, sl_dev_result *r, sl_err *err) {
  if (n > SL_MAX_INPUTS) return sl_err_set(err, SL_ERR_ARG, "%s: %u words in one step", d->uri, n);
  sl_status s = start_sample(d, r, err);
  if (s) return s;
  if ((s = exchange(d, 0, words, n, r, err))) return s;
  return check_errors(d, "raw step", err);
}

void sl_dev_result_free(sl_dev_result *r) {
  if (!r) return;
  free(r->spk);
  r->spk = NULL;
  r->n_spikes = r->cap_spikes = 0;
}

sl_status sl_dev_read_counters(sl_dev *d, sl_dev_counters *c, sl_err *err) {
  struct { uint32_t addr; uint32_t *dst; } r[] = {
      {SL_REG_BUSY_CYC, &c->busy}, {SL_REG_SWEEP_CYC, &c->sweep}, {SL_REG_DELIV_CYC, &c->deliver},
      {SL_REG_STALL_CYC, &c->stall}, {SL_REG_EVENTS, &c->events}, {SL_REG_SYNOPS, &c->synops},
      {SL_REG_SPIKES, &c->spikes}, {SL_REG_STEPS, &c->steps}, {SL_REG_IN_BAD, &c->in_bad}};
  uint32_t lo, hi;
  sl_status s;
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
    if ((s = sl_dev_read32(d, r[i].addr, r[i].dst, err))) return s;
  if ((s = sl_dev_read32(d, SL_REG_CYC_LO, &lo, err)) || (s = sl_dev_read32(d, SL_REG_CYC_HI, &hi, err))) return s;
  c->cycles = (uint64_t)hi << 32 | lo;
  return SL_OK;
}

sl_status sl_dev_read_errors(sl_dev *d, uint32_t *bits, uint32_t clear, sl_err *err) {
  sl_status s = sl_dev_read32(d, SL_REG_ERR, bits, err);
  if (s || !(clear & *bits)) return s;
  return sl_dev_write32(d, SL_REG_ERR, clear & *bits, err);
}

sl_status sl_dev_reset(sl_dev *d, sl_err *err) {
  d->ops->reset(d->ctx);
  sl_net_free(d->net);
  d->net = NULL;
  return identify(d, err);
}
