// sl_cosim.cpp — the cosimulation host (see sl_cosim.h): bus transactions, model loading,
// event streaming, lockstep comparison against the C model and the RTL-side trace.
#include "sl_cosim.h"

#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <deque>
#include "sl_trace.h"

using namespace slreg;

static constexpr uint64_t kBusTimeout = 2000;       // cycles for one bus handshake
static constexpr uint64_t kStepTimeout = 20000000;  // cycles for one timestep

SlCosim::SlCosim(SlDut &dut, sl_core *ref, const SlCosimOptions &opt)
    : dut_(dut), ref_(ref), opt_(opt), rng_(opt.jitter ? opt.jitter : 1) {}

void SlCosim::tick() { dut_.cycle(in_, out_); }

bool SlCosim::fail(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  msg_ = buf;
  fail_cycle_ = (int64_t)dut_.cycles();
  return false;
}

bool SlCosim::write(uint32_t addr, uint32_t data) {
  const int r = write_resp(addr, data);
  if (r < 0) return false;
  if (r != 0) return fail("bus write 0x%06x <- 0x%08x: SLVERR", addr, data);
  return true;
}

int SlCosim::write_resp(uint32_t addr, uint32_t data) {
  in_.awaddr = addr;
  in_.wdata = data;
  in_.wstrb = 0xF;
  in_.awvalid = in_.wvalid = true;
  uint64_t n = 0;
  do {
    tick();
    if (++n > kBusTimeout) return fail("bus write 0x%06x: no AWREADY/WREADY", addr), -1;
  } while (!(out_.awready && out_.wready));
  in_.awvalid = in_.wvalid = false;
  in_.bready = true;
  n = 0;
  do {
    tick();
    if (++n > kBusTimeout) return fail("bus write 0x%06x: no BVALID", addr), -1;
  } while (!out_.bvalid);
  in_.bready = false;
  return (int)out_.bresp;
}

uint32_t SlCosim::rand32() {
  rng_ = rng_ * 1103515245u + 12345u;
  uint32_t hi = rng_ >> 16;
  rng_ = rng_ * 1103515245u + 12345u;
  return hi << 16 | (rng_ >> 16);
}

// Run-time rewiring between steps (spec §4.1): one legal entry written over the bus and into
// the C model; one illegal entry that the core must refuse with SLVERR and ERR.BAD_VALUE,
// leaving the table word unchanged.
bool SlCosim::rewire(uint32_t t) {
  sl_net &n = ref_->net;
  const uint32_t S = sl_net_sources(&n), C = n.row_cap;
  for (int tries = 0; tries < 8; tries++) {
    const uint32_t src = rand32() % S, slot = rand32() % C;
    const uint32_t e = rand32() % 4 == 0 ? 0u
                     : sl_syn_pack((uint16_t)(rand32() % n.n_neurons), (int8_t)(rand32() & 0xFF),
                                   (uint8_t)(rand32() % n.depth));
    if (sl_net_check_entry(&n, src, slot, e, "rewire", NULL)) continue;
    if (!write(kWinSyn + 4 * (src * C + slot), e)) return false;
    sl_core_rewire(ref_, (uint16_t)src, (uint16_t)slot, e);
    break;
  }
  const uint32_t src = rand32() % S, slot = rand32() % C, addr = kWinSyn + 4 * (src * C + slot);
  uint32_t bad;
  switch (rand32() % 3) {
    case 0: bad = sl_syn_pack(0, 1, 0) | 0x2000u; break;  // a reserved bit
    case 1: bad = n.n_neurons < 1024 ? sl_syn_pack(n.n_neurons, 1, 0) : 0x1u; break;  // target / not-zero invalid
    default: bad = n.depth < 32 ? sl_syn_pack(0, 1, (uint8_t)n.depth) : 0x40000000u; break;
  }
  const int r = write_resp(addr, bad);
  if (r < 0) return false;
  if (r != 2) return fail("step %u: illegal entry 0x%08x at row %u slot %u was accepted", t, bad, src, slot);
  uint32_t v;
  if (!read(kErr, v)) return false;
  if (v != 8) return fail("step %u: after a refused entry ERR reads 0x%08x, expected 0x8 (BAD_VALUE)", t, v);
  if (!write(kErr, v) || !read(kErr, v)) return false;
  if (v != 0) return fail("step %u: ERR reads 0x%08x after write-1-to-clear", t, v);
  if (!read(addr, v)) return false;
  if (v != n.syn[src * C + slot])
    return fail("step %u: a refused write changed row %u slot %u to 0x%08x", t, src, slot, v);
  return true;
}

bool SlCosim::read(uint32_t addr, uint32_t &data) {
  in_.araddr = addr;
  in_.arvalid = true;
  uint64_t n = 0;
  do {
    tick();
    if (++n > kBusTimeout) return fail("bus read 0x%06x: no ARREADY", addr);
  } while (!out_.arready);
  in_.arvalid = false;
  in_.rready = true;
  n = 0;
  do {
    tick();
    if (++n > kBusTimeout) return fail("bus read 0x%06x: no RVALID", addr);
  } while (!out_.rvalid);
  in_.rready = false;
  data = out_.rdata;
  if (out_.rresp != 0) return fail("bus read 0x%06x: SLVERR", addr);
  return true;
}

bool SlCosim::wait_idle(uint64_t limit) {
  uint32_t s = 0;
  for (uint64_t start = dut_.cycles(); dut_.cycles() - start < limit;) {
    if (!read(kStatus, s)) return false;
    if (s & 1) return true;
  }
  return fail("core not idle after %llu cycles (STATUS 0x%08x)", (unsigned long long)limit, s);
}

static uint32_t log2u(uint32_t x) {
  uint32_t l = 0;
  while ((1u << l) < x) l++;
  return l;
}

bool SlCosim::setup() {
  const sl_net &n = ref_->net;
  in_ = SlPinsIn();
  for (int i = 0; i < 4; i++) tick();
  in_.rst_n = true;
  for (int i = 0; i < 2; i++) tick();
  uint32_t v;
  if (!read(kId, v)) return false;
  if (v != kIdValue) return fail("ID register reads 0x%08x, expected 0x%08x (not a spikeline core)", v, kIdValue);
  if (!read(kCaps, v)) return false;
  caps_ = {v & 15, (v >> 4) & 15, (v >> 8) & 15, (v >> 12) & 15, (v >> 16) & 31, (v >> 24) & 15, v >> 28};
  const uint32_t S = sl_net_sources(&n);
  struct { const char *what; uint32_t have, max; } lim[] = {
      {"inputs", n.n_inputs, 1u << caps_.input_aw},     {"neurons", n.n_neurons, 1u << caps_.neuron_aw},
      {"depth", n.depth, 1u << caps_.depth_aw},         {"row_cap", n.row_cap, 1u << caps_.rowcap_aw},
      {"table words", S * n.row_cap, 1u << caps_.syn_aw}, {"readouts", ref_->n_readouts, 1u << caps_.readout_aw},
      {"populations", n.n_pops, 1u << caps_.pop_aw}};
  for (auto &l : lim)
    if (l.have > l.max) return fail("model has %u %s; this core holds at most %u", l.have, l.what, l.max);

  // Configuration, each register read back.
  std::vector<std::pair<uint32_t, uint32_t>> regs = {{kNInputs, n.n_inputs},  {kNNeurons, n.n_neurons},
                                                      {kNPops, n.n_pops},      {kDepthLog2, log2u(n.depth)},
                                                      {kRowCapLog2, log2u(n.row_cap)}};
  for (uint32_t p = 0; p < n.n_pops; p++) {
    const sl_pop &q = n.pop[p];
    const uint32_t mode = q.reset | (q.flags & SL_POP_SPIKING ? 2u : 0u) | (q.flags & SL_POP_READOUT ? 4u : 0u);
    const uint32_t b = kPopBase + 16 * p;
    regs.push_back({b + 0, q.count});
    regs.push_back({b + 4, q.leak});
    regs.push_back({b + 8, (uint32_t)q.threshold});
    regs.push_back({b + 12, mode});
  }
  for (auto &r : regs)
    if (!write(r.first, r.second)) return false;
  for (auto &r : regs) {
    if (!read(r.first, v)) return false;
    if (v != r.second) return fail("register 0x%03x reads back 0x%08x, wrote 0x%08x", r.first, v, r.second);
  }
  if (!read(kNReadouts, v)) return false;
  if (v != ref_->n_readouts) return fail("N_READOUTS reads %u, the model has %u", v, ref_->n_readouts);
  if (!read(kStatus, v)) return false;
  if (!(v & 16)) return fail("STATUS.CFG_OK is 0 after configuration (STATUS 0x%08x)", v);

  const uint32_t words = S * n.row_cap;
  if (opt_.load_bus) {
    if (!write(kCtrl, kCtrlClearTable) || !wait_idle(1u << 22)) return false;
    for (uint32_t i = 0; i < words; i++)
      if (n.syn[i] && !write(kWinSyn + 4 * i, n.syn[i])) return false;
  }
  if (opt_.verify_load)
    for (uint32_t i = 0; i < words; i++) {
      if (!read(kWinSyn + 4 * i, v)) return false;
      if (v != n.syn[i])
        return fail("table word %u (row %u slot %u) reads 0x%08x, the model has 0x%08x", i, i / n.row_cap,
                    i % n.row_cap, v, n.syn[i]);
    }
  if (!read(kErr, v)) return false;
  if (v) return fail("ERR 0x%08x after loading", v);
  return write(kCtrl, kCtrlClearCount);
}

void SlCosim::history(std::string &s) const {
  char buf[160];
  s += "  recent steps (input events channel:payload | RTL spikes):\n";
  for (const StepLog &l : log_) {
    snprintf(buf, sizeof buf, "    step %u: in", l.t);
    s += buf;
    for (size_t i = 0; i < l.ev.size() && i < 12; i++) {
      snprintf(buf, sizeof buf, " %u:%u", l.ev[i].first, l.ev[i].second);
      s += buf;
    }
    if (l.ev.size() > 12) s += " ...";
    s += " | spikes";
    for (size_t i = 0; i < l.spikes.size() && i < 16; i++) {
      snprintf(buf, sizeof buf, " %u", l.spikes[i]);
      s += buf;
    }
    if (l.spikes.size() > 16) s += " ...";
    s += "\n";
  }
}

bool SlCosim::check_state(uint32_t t) {
  const uint32_t N = ref_->net.n_neurons, D = ref_->net.depth;
  for (uint32_t n = 0; n < N; n++) {
    int32_t r = dut_.peek_v(n);
    if (r != ref_->v[n]) {
      fail("step %u: neuron %u: membrane RTL %d, C model %d", t, n, r, ref_->v[n]);
      return false;
    }
    for (uint32_t k = 0; k < D; k++) {
      r = dut_.peek_ring((n << caps_.depth_aw) | k);
      if (r != ref_->ring[n * SL_MAX_DEPTH + k])
        return fail("step %u: neuron %u: ring slot %u: RTL %d, C model %d", t, n, k, r,
                    ref_->ring[n * SL_MAX_DEPTH + k]);
    }
  }
  for (uint32_t k = 0; k < ref_->n_readouts; k++) {
    int64_t r = dut_.peek_score(k);
    if (r != ref_->score[k])
      return fail("step %u: readout %u: score RTL %lld, C model %lld", t, k, (long long)r, (long long)ref_->score[k]);
  }
  return true;
}

bool SlCosim::run_sample(const sl_eventset &es, uint32_t i, FILE *trace) {
  const sl_sample &sm = es.samples[i];
  const uint32_t N = ref_->net.n_neurons;
  uint8_t spikes[SL_MAX_NEURONS];
  uint16_t chan[SL_MAX_INPUTS];
  uint8_t pay[SL_MAX_INPUTS];
  uint32_t k = 0;
  if (!write(kCtrl, kCtrlEnable | kCtrlClearState) || !wait_idle(1u << 22)) return false;
  sl_core_reset(ref_);
  log_.clear();
  if (trace) sl_trace_write_sample(trace, sm.id, sm.label);
  for (uint32_t t = 0; t < es.steps; t++) {
    StepLog lg;
    lg.t = t;
    std::deque<uint32_t> q;
    uint32_t ne = 0;
    while (k < sm.count && es.ev[sm.first + k].step == t) {
      const sl_event &e = es.ev[sm.first + k++];
      chan[ne] = e.chan;
      pay[ne++] = e.payload;
      q.push_back((uint32_t)e.payload << 16 | e.chan);
      lg.ev.push_back({e.chan, e.payload});
    }
    q.push_back(0x80000000u);
    bool eos = false;
    uint32_t eos_count = 0;
    const uint64_t start = dut_.cycles();
    while (!eos) {
      const bool gap_in = opt_.jitter && (rng_ = rng_ * 1103515245u + 12345u, (rng_ >> 16) % 4 == 0);
      const bool gap_out = opt_.jitter && (rng_ = rng_ * 1103515245u + 12345u, (rng_ >> 16) % 3 == 0);
      in_.evt_valid = !q.empty() && !gap_in;
      in_.evt_data = q.empty() ? 0 : q.front();
      in_.spk_ready = !gap_out;
      tick();
      if (in_.evt_valid && out_.evt_ready) q.pop_front();
      if (out_.spk_valid && in_.spk_ready) {
        const uint32_t w = out_.spk_data;
        if ((w & 0xFFFF) != (t & 0xFFFF)) {
          in_.evt_valid = false;
          return fail("step %u: output word 0x%08x carries step %u", t, w, w & 0xFFFF);
        }
        if (w >> 31) {
          eos = true;
          eos_count = (w >> 16) & 0x7FF;
        } else {
          lg.spikes.push_back((uint16_t)((w >> 16) & 0x3FF));
        }
      }
      if (dut_.cycles() - start > kStepTimeout) {
        in_.evt_valid = false;
        return fail("step %u: no end-of-step word after %llu cycles", t, (unsigned long long)kStepTimeout);
      }
    }
    in_.evt_valid = false;
    in_.spk_ready = true;
    st_.input_events += ne;
    st_.synops += sl_core_step(ref_, chan, pay, ne, spikes);
    st_.steps++;
    log_.push_back(lg);
    if (log_.size() > 8) log_.erase(log_.begin());

    // Spikes: the RTL reports them in neuron order.
    std::vector<uint16_t> want;
    for (uint32_t n = 0; n < N; n++)
      if (spikes[n]) want.push_back((uint16_t)n);
    if (eos_count != lg.spikes.size())
      return fail("step %u: end-of-step word counts %u spikes, %zu spike words came", t, eos_count, lg.spikes.size());
    if (want != lg.spikes) {
      size_t j = 0;
      while (j < want.size() && j < lg.spikes.size() && want[j] == lg.spikes[j]) j++;
      uint32_t n = j < want.size() && j < lg.spikes.size() ? std::min(want[j], lg.spikes[j])
                                                          : (j < want.size() ? want[j] : lg.spikes[j]);
      const bool rtl = std::find(lg.spikes.begin(), lg.spikes.end(), n) != lg.spikes.end();
      std::string h;
      history(h);
      return fail("step %u: neuron %u: RTL spike %d, C model spike %d (membrane after the step: RTL %d, C model %d)\n%s",
                  t, n, rtl, !rtl, dut_.peek_v(n), ref_->v[n], h.c_str());
    }
    st_.spikes += want.size();
    if (trace) sl_trace_write_spikes(trace, t, spikes, N);
    if (opt_.check_state && !check_state(t)) {
      std::string h;
      history(h);
      msg_ += "\n" + h;
      return false;
    }
    if (opt_.rewire_every && (t + 1) % opt_.rewire_every == 0 && !rewire(t)) return false;
    if (++steps_total_ == opt_.stop_after) return fail("stopped after %u steps (--stop-after)", opt_.stop_after);
  }
  // Scores over the bus, the decision from them.
  std::vector<int64_t> score(ref_->n_readouts);
  for (uint32_t c = 0; c < ref_->n_readouts; c++) {
    uint32_t lo, hi;
    if (!read(kWinScore + 8 * c, lo) || !read(kWinScore + 8 * c + 4, hi)) return false;
    score[c] = (int64_t)(((uint64_t)hi << 32) | lo);
    if (score[c] != ref_->score[c])
      return fail("sample %d: readout %u: score RTL %lld, C model %lld", sm.id, c, (long long)score[c],
                  (long long)ref_->score[c]);
  }
  int32_t d = -1;
  for (uint32_t c = 0; c < ref_->n_readouts; c++)
    if (d < 0 || score[c] > score[d]) d = (int32_t)c;
  if (d != sl_core_decision(ref_)) return fail("sample %d: decision RTL %d, C model %d", sm.id, d, sl_core_decision(ref_));
  if (trace) sl_trace_write_decision(trace, d, score.data(), ref_->n_readouts);
  return true;
}

bool SlCosim::run(const sl_eventset &es, FILE *trace) {
  if (trace) sl_trace_write_header(trace, ref_->net.n_neurons, ref_->n_readouts, es.steps);
  for (uint32_t i = 0; i < es.n_samples; i++)
    if (!run_sample(es, i, trace)) return false;
  uint32_t v;
  struct { uint32_t addr; uint64_t *dst; } ctr[] = {{kBusyCyc, &st_.busy}, {kSweepCyc, &st_.sweep},
                                                    {kDelivCyc, &st_.deliver}, {kStallCyc, &st_.stall}};
  for (auto &c : ctr) {
    if (!read(c.addr, v)) return false;
    *c.dst = v;
  }
  if (!read(kSynops, v)) return false;
  if (v != (uint32_t)st_.synops) return fail("SYNOPS counter %u, C model counted %llu", v, (unsigned long long)st_.synops);
  if (!read(kEvents, v)) return false;
  if (v != (uint32_t)st_.input_events)
    return fail("EVENTS counter %u, %llu events were sent", v, (unsigned long long)st_.input_events);
  if (!read(kErr, v)) return false;
  if (v) return fail("ERR 0x%08x after the run", v);
  st_.cycles = dut_.cycles();
  return true;
}
