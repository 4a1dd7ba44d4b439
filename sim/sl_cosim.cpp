// sl_cosim.cpp — the cosimulation host (see sl_cosim.h): bus transactions, model loading,
// event streaming, lockstep comparison against the C model, the counter and bus-rule checks
// and the RTL-side trace.
#include "sl_cosim.h"

#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <deque>
#include "sl_trace.h"

using namespace slreg;

static constexpr uint64_t kBusTimeout = 2000;       // cycles for one bus handshake
static constexpr uint64_t kStepTimeout = 20000000;  // cycles for one timestep
// CYCLES minus the host's count from the CLEAR_COUNTERS answer to the start of the CYC_HI
// read: the bus latency between the two points where host and core count (measured; fixed).
static constexpr uint64_t kCycSkew = 9;

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

int SlCosim::write_resp(uint32_t addr, uint32_t data, uint32_t strobes) {
  in_.awaddr = addr;
  in_.wdata = data;
  in_.wstrb = strobes;
  in_.awvalid = in_.wvalid = true;
  uint64_t n = 0;
  do {
    tick();
    if (++n > kBusTimeout) return fail("bus write 0x%06x: no AWREADY/WREADY", addr), -1;
  } while (!(out_.awready && out_.wready));
  in_.awvalid = in_.wvalid = false;
  hold_ready();  // BREADY low for a while (in the bus-rule checks), the response waits
  in_.bready = true;
  n = 0;
  do {
    tick();
    if (++n > kBusTimeout) return fail("bus write 0x%06x: no BVALID", addr), -1;
  } while (!out_.bvalid);
  in_.bready = false;
  in_.wstrb = 0xF;
  return (int)out_.bresp;
}

// While hold_ is set (the bus-rule checks), every third response is not taken at once: the
// master keeps BREADY/RREADY low for 1 to 4 cycles and the core must hold the response. Not
// done elsewhere: the CYCLES check counts the cycles of the CLEAR_COUNTERS write exactly.
void SlCosim::hold_ready() {
  if (!hold_ || ++hold_n_ % 3) return;
  for (uint32_t c = 0; c < 1 + hold_n_ / 3 % 4; c++) tick();
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
    if (e && slot + 1 > rowlen_[src]) rowlen_[src] = slot + 1;
    if (ref_) sl_core_rewire(ref_, (uint16_t)src, (uint16_t)slot, e);
    break;
  }
  const std::vector<uint32_t> bad = illegal_entries(n);
  const uint32_t src = rand32() % S, slot = rand32() % C, e = bad[rand32() % bad.size()];
  char what[96];
  snprintf(what, sizeof what, "step %u: illegal entry 0x%08x at row %u slot %u", t, e, src, slot);
  return refused(kWinSyn + 4 * (src * C + slot), e, 0xF, kErrBadValue, what);
}

// Every word a rewrite must refuse (spec §7, §4.1, docs/rtl.md): each reserved bit alone,
// each out-of-range target and delay the field can hold, and invalid words that are not 0.
std::vector<uint32_t> illegal_entries(const sl_net &n) {
  std::vector<uint32_t> v;
  const uint32_t ok = sl_syn_pack(0, 1, 0);
  for (uint32_t b = 0; b < 32; b++)
    if (SL_SYN_RESERVED >> b & 1) v.push_back(ok | 1u << b);
  for (uint32_t tg : {(uint32_t)n.n_neurons, (uint32_t)n.n_neurons + 1, 511u, 512u, 1023u})
    if (tg >= n.n_neurons && tg <= SL_SYN_T_MASK) v.push_back(SL_SYN_VALID | tg << SL_SYN_T_SHIFT | 1u);
  for (uint32_t b = 0; b < 10; b++)  // every target bit alone, where it names no neuron
    if ((1u << b) >= n.n_neurons) v.push_back(SL_SYN_VALID | (1u << b) << SL_SYN_T_SHIFT | 1u);
  for (uint32_t d = n.depth; d < 32; d = d < 16 ? d * 2 : d + 15) v.push_back(sl_syn_pack(0, 1, (uint8_t)d));
  for (uint32_t b = 0; b < 31; b++) v.push_back(1u << b);  // valid bit clear, one other bit set
  v.push_back(0x7FFFFFFFu);
  return v;
}

// One access the core must refuse: SLVERR, exactly err_bit in ERR, ERR_ADDR = addr, and the
// word unchanged; then ERR is cleared again (write 1 to clear).
bool SlCosim::refused(uint32_t addr, uint32_t data, uint32_t strobes, uint32_t err_bit, const char *what) {
  uint32_t before = 0, v;
  if (!read(addr, before)) return false;
  const int r = write_resp(addr, data, strobes);
  if (r < 0) return false;
  if (r != 2) return fail("%s (strobes 0x%x) was accepted", what, strobes);
  if (!read(kErr, v)) return false;
  if (v != err_bit) return fail("%s (strobes 0x%x): ERR reads 0x%08x, expected 0x%x", what, strobes, v, err_bit);
  if (!read(kErrAddr, v)) return false;
  if (v != addr) return fail("%s: ERR_ADDR reads 0x%06x, expected 0x%06x", what, v, addr);
  if (!write(kErr, err_bit) || !read(kErr, v)) return false;
  if (v != 0) return fail("%s: ERR reads 0x%08x after write-1-to-clear", what, v);
  if (!read(addr, v)) return false;
  if (v != before) return fail("%s (strobes 0x%x): the word changed from 0x%08x to 0x%08x", what, strobes, before, v);
  return true;
}

// Bus rules, once per run after loading: every illegal table entry is refused; a write with
// any partial set of strobes (including none) is refused with BUS_ADDR and writes nothing,
// on a register, the membrane window and the table.
bool SlCosim::check_bus_rules() {
  hold_ = true;
  const bool ok = check_bus_rules_held();
  hold_ = false;
  return ok;
}

bool SlCosim::check_bus_rules_held() {
  const sl_net &n = ref_->net;
  const uint32_t S = sl_net_sources(&n), C = n.row_cap;
  char what[96];
  for (uint32_t e : illegal_entries(n)) {
    const uint32_t src = rand32() % S, slot = rand32() % C;
    snprintf(what, sizeof what, "illegal entry 0x%08x at row %u slot %u", e, src, slot);
    if (!refused(kWinSyn + 4 * (src * C + slot), e, 0xF, kErrBadValue, what)) return false;
  }
  const uint32_t leak = n.pop[0].leak == 4096 ? 4095u : 4096u;
  for (uint32_t st = 0; st < 15; st++) {
    if (!refused(kPopBase + 4, leak, st, kErrBusAddr, "POP_LEAK[0] write with partial strobes") ||
        !refused(kWinV + 4 * (rand32() % n.n_neurons), 0x00123456u, st, kErrBusAddr, "membrane write with partial strobes") ||
        !refused(kWinSyn + 4 * (rand32() % (S * C)), sl_syn_pack(0, 7, 0), st, kErrBusAddr,
                 "table write with partial strobes"))
      return false;
  }
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
  hold_ready();  // RREADY low for a while (in the bus-rule checks)
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
    if (l.have > l.max) {
      error_ = true;
      return fail("model has %u %s; this core holds at most %u", l.have, l.what, l.max);
    }

  if (!check_reset_values()) return false;

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
  rowlen_.assign(S, 0);
  for (uint32_t i = 0; i < words; i++)
    if (n.syn[i]) rowlen_[i / n.row_cap] = i % n.row_cap + 1;
  if (!read(kErr, v)) return false;
  if (v) return fail("ERR 0x%08x after loading", v);
  if (!check_bus_rules()) return false;
  if (!write(kCtrl, kCtrlClearCount)) return false;
  clr_cycle_ = dut_.cycles();
  return true;
}

// Every register's value out of reset (docs/rtl.md), before any write. With random power-up
// values (`spikeline regress` runs every case so, +verilator+rand+reset+2) a register the
// reset misses shows here; the counters are cleared by CLEAR_COUNTERS before they are
// compared with the C model, so nothing else would see a counter's missing reset.
bool SlCosim::check_reset_values() {
  struct { uint32_t addr, want; const char *name; } regs[] = {
      {kCtrl, 0, "CTRL"},          {kStatus, SL_STATUS_IDLE, "STATUS"}, {kErr, 0, "ERR"},
      {kErrAddr, 0, "ERR_ADDR"},   {kNInputs, 1, "N_INPUTS"},           {kNNeurons, 1, "N_NEURONS"},
      {kNPops, 1, "N_POPS"},       {kDepthLog2, 1, "DEPTH_LOG2"},       {kRowCapLog2, 0, "ROWCAP_LOG2"},
      {kNReadouts, 0, "N_READOUTS"}, {kCycHi, 0, "CYCLES_HI"},          {kBusyCyc, 0, "BUSY_CYCLES"},
      {kSweepCyc, 0, "SWEEP_CYCLES"}, {kDelivCyc, 0, "DELIVER_CYCLES"}, {kStallCyc, 0, "STALL_CYCLES"},
      {kEvents, 0, "EVENTS"},      {kSynops, 0, "SYNOPS"},              {kSpikes, 0, "SPIKES"},
      {kSteps, 0, "STEPS"},        {kInBad, 0, "IN_BAD"}};
  uint32_t v;
  for (auto &r : regs) {
    if (!read(r.addr, v)) return false;
    if (v != r.want) return fail("%s reads 0x%08x out of reset, expected 0x%08x", r.name, v, r.want);
  }
  for (uint32_t p = 0; p < (1u << caps_.pop_aw); p++)
    for (uint32_t f = 0; f < 4; f++) {
      if (!read(kPopBase + 16 * p + 4 * f, v)) return false;
      if (v) return fail("population %u field %u reads 0x%08x out of reset, expected 0", p, f, v);
    }
  return true;
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
  const uint32_t N = ref_->net.n_neurons, NI = ref_->net.n_inputs;
  uint8_t spikes[SL_MAX_NEURONS], rtl_spk[SL_MAX_NEURONS];
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
      st_.walk += std::max(1u, rowlen_[e.chan]);
    }
    q.push_back(0x80000000u);
    bool eos = false;
    uint32_t eos_count = 0;
    const uint64_t start = dut_.cycles();
    while (!eos) {
      bool gap_in = false, gap_out = false;
      if (opt_.jitter) {
        gap_in = (rng_ = rng_ * 1103515245u + 12345u, (rng_ >> 16) % 4 == 0);
        gap_out = (rng_ = rng_ * 1103515245u + 12345u, (rng_ >> 16) % 3 == 0);
        // Now and then the consumer goes away for a long time: the output FIFO fills and the
        // sweep must wait on its credit check without losing a spike.
        if (!stall_left_ && (rng_ >> 16) % 97 == 0) stall_left_ = 16 + (rand32() & 255);
        if (stall_left_) gap_out = true, stall_left_--;
      }
      in_.evt_valid = !q.empty() && !gap_in;
      in_.evt_data = q.empty() ? 0 : q.front();
      in_.spk_ready = !gap_out;
      if (gap_out) st_.out_stalled = true;
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
    st_.steps++;
    st_.neuron_updates += N;
    log_.push_back(lg);
    if (log_.size() > 8) log_.erase(log_.begin());

    // The RTL's spikes, as words in neuron order, each neuron once.
    memset(rtl_spk, 0, N);
    for (size_t j = 0; j < lg.spikes.size(); j++) {
      const uint16_t n = lg.spikes[j];
      if (n >= N || (j && n <= lg.spikes[j - 1]))
        return fail("step %u: spike word %zu names neuron %u (out of order, repeated or beyond %u)", t, j, n, N);
      rtl_spk[n] = 1;
      st_.walk += std::max(1u, rowlen_[NI + n]);
    }
    if (eos_count != lg.spikes.size())
      return fail("step %u: end-of-step word counts %u spikes, %zu spike words came", t, eos_count, lg.spikes.size());
    st_.spikes += lg.spikes.size();
    if (opt_.compare) {
      st_.synops += sl_core_step(ref_, chan, pay, ne, spikes);
      std::vector<uint16_t> want;
      for (uint32_t n = 0; n < N; n++)
        if (spikes[n]) want.push_back((uint16_t)n);
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
      if (opt_.check_state && !check_state(t)) {
        std::string h;
        history(h);
        msg_ += "\n" + h;
        return false;
      }
    }
    if (trace) sl_trace_write_spikes(trace, t, rtl_spk, N);  // what the RTL sent, not the model
    if (opt_.rewire_every && (t + 1) % opt_.rewire_every == 0 && !rewire(t)) return false;
    if (++steps_total_ == opt_.stop_after) return fail("stopped after %u steps (--stop-after)", opt_.stop_after);
  }
  // Scores over the bus, the decision from them (spec §6: largest, ties to the lowest class).
  std::vector<int64_t> score(ref_->n_readouts);
  for (uint32_t c = 0; c < ref_->n_readouts; c++) {
    uint32_t lo, hi;
    if (!read(kWinScore + 8 * c, lo) || !read(kWinScore + 8 * c + 4, hi)) return false;
    score[c] = (int64_t)(((uint64_t)hi << 32) | lo);
    if (opt_.compare && score[c] != ref_->score[c])
      return fail("sample %d: readout %u: score RTL %lld, C model %lld", sm.id, c, (long long)score[c],
                  (long long)ref_->score[c]);
  }
  int32_t d = -1;
  for (uint32_t c = 0; c < ref_->n_readouts; c++)
    if (d < 0 || score[c] > score[d]) d = (int32_t)c;
  if (opt_.compare && d != sl_core_decision(ref_))
    return fail("sample %d: decision RTL %d, C model %d", sm.id, d, sl_core_decision(ref_));
  if (trace) sl_trace_write_decision(trace, d, score.data(), ref_->n_readouts);
  return true;
}

// Every counter register against what the host sent and the C model did (docs/rtl.md):
// EVENTS, SYNOPS, SPIKES, STEPS and IN_BAD exactly; BUSY = SWEEP + DELIVER; the cycles that
// issued work are N per step in the sweep plus max(1, row length) per event walked, so STALL
// = BUSY - that exactly; SWEEP = (N + 3) per step when the output never stalled (else more);
// CYCLES (read hi, lo, hi) = the host's own cycle count since CLEAR_COUNTERS.
bool SlCosim::check_counters() {
  uint32_t v, busy, sweep, deliver, stall, hi1, lo, hi2;
  struct { uint32_t addr; const char *name; uint64_t want; bool model; } ex[] = {
      {kEvents, "EVENTS", st_.input_events, false}, {kSynops, "SYNOPS", st_.synops, true},
      {kSpikes, "SPIKES", st_.spikes, false},       {kSteps, "STEPS", st_.steps, false},
      {kInBad, "IN_BAD", 0, false}};
  for (auto &c : ex) {
    if (c.model && !opt_.compare) continue;
    if (!read(c.addr, v)) return false;
    if (v != (uint32_t)c.want)
      return fail("%s counter %u, expected %llu (%s)", c.name, v, (unsigned long long)c.want,
                  c.model ? "the C model's count" : "the words that crossed the streams");
  }
  if (!read(kBusyCyc, busy) || !read(kSweepCyc, sweep) || !read(kDelivCyc, deliver) || !read(kStallCyc, stall))
    return false;
  st_.busy = busy, st_.sweep = sweep, st_.deliver = deliver, st_.stall = stall;
  if (busy != sweep + deliver)
    return fail("BUSY_CYCLES %u != SWEEP_CYCLES %u + DELIVER_CYCLES %u", busy, sweep, deliver);
  const uint64_t work = st_.neuron_updates + st_.walk;
  if ((uint64_t)busy - stall != work)
    return fail("BUSY_CYCLES %u - STALL_CYCLES %u = %llu working cycles, expected %llu (%llu neuron updates + %llu "
                "table entries walked)", busy, stall, (unsigned long long)(busy - stall), (unsigned long long)work,
                (unsigned long long)st_.neuron_updates, (unsigned long long)st_.walk);
  const uint64_t sw = st_.neuron_updates + 3 * st_.steps;
  if (st_.out_stalled ? sweep < sw : sweep != sw)
    return fail("SWEEP_CYCLES %u, expected %s%llu ((N + 3) per step)", sweep, st_.out_stalled ? "at least " : "",
                (unsigned long long)sw);
  const uint64_t c0 = dut_.cycles();
  if (!read(kCycHi, hi1) || !read(kCycLo, lo) || !read(kCycHi, hi2)) return false;
  const uint64_t got = (uint64_t)hi1 << 32 | lo, want = c0 - clr_cycle_ + kCycSkew;
  if (hi1 != hi2 || got != want)
    return fail("CYCLES reads 0x%08x_%08x (hi again 0x%08x), the host counted %llu cycles since CLEAR_COUNTERS", hi1, lo,
                hi2, (unsigned long long)want);
  return true;
}

// ERR bit by bit: raise all six sticky bits (an unmapped read, a refused value, a register
// write while clearing, one extra step with a malformed input word and a ring word driven
// past 2^31 - 1, a step offered with an inconsistent configuration), then write 0 (nothing
// may change) and clear one bit at a time, checking that exactly that bit went. Runs after
// the comparison: it changes the table, a ring word and the counters.
bool SlCosim::check_sticky() {
  const sl_net &n = ref_->net;
  const uint32_t S = sl_net_sources(&n), C = n.row_cap, D = n.depth, N = n.n_neurons;
  uint32_t v, st;
  if (!read(kErr, v)) return false;
  if (v) return fail("ERR 0x%08x before the sticky-bit check", v);
  if (write_resp(0x0FC, 0) < 0) return false;                                     // BUS_ADDR
  if (write_resp(kNInputs, 0) != 2) return fail("N_INPUTS = 0 was accepted");       // BAD_VALUE
  if (!write(kCtrl, kCtrlEnable | kCtrlClearState)) return false;                  // BUS_BUSY
  if (write_resp(kNInputs, n.n_inputs) != 2) return fail("a configuration write while clearing was accepted");
  if (!wait_idle(1u << 22)) return false;
  // A target neuron and delay that no entry of the table uses: the ring word that the new
  // entry (input 0, slot 0, weight 127, payload 255) adds to gets nothing else this step.
  std::vector<uint8_t> used(N * D, 0);
  for (uint32_t i = C; i < S * C; i++)
    if (sl_syn_valid(n.syn[i])) used[sl_syn_target(n.syn[i]) * D + sl_syn_delay(n.syn[i])] = 1;
  for (uint32_t i = 1; i < C; i++)
    if (sl_syn_valid(n.syn[i])) used[sl_syn_target(n.syn[i]) * D + sl_syn_delay(n.syn[i])] = 1;
  // (Not delay D - 1: that ring word is the one this step's sweep reads and clears first.)
  uint32_t pick = 0;
  while (pick < N * D && (used[pick] || pick % D == D - 1)) pick++;
  if (pick == N * D) pick = 0;  // every ring word is some entry's target: neuron 0, delay 0
  const uint32_t tgt = pick / D, dly = pick % D;
  if (!read(kStatus, st)) return false;
  const uint32_t t = st >> 16, slot = (t + 1 + dly) % D;
  if (!write(kWinSyn, sl_syn_pack((uint16_t)tgt, 127, (uint8_t)dly)) ||
      !write(kWinRing + 4 * (tgt << caps_.depth_aw | slot), 0x7FFFFFFFu))
    return false;
  uint32_t syn1;
  if (!read(kWinSyn + 4, syn1)) return false;
  const uint32_t words[] = {0x01000001u, 255u << 16, 0x80000000u};  // malformed, input 0, end of step
  size_t w = 0;
  bool probed = false;
  for (uint64_t c = 0; c < kStepTimeout; c++) {
    if (w == 2 && !probed) {  // the step is open (end word held back): the bus must be refused
      in_.evt_valid = false;
      if (!busy_step_refusals()) return false;
      probed = true;
    }
    in_.evt_valid = w < 3;
    in_.evt_data = w < 3 ? words[w] : 0;
    in_.spk_ready = true;
    tick();
    if (in_.evt_valid && out_.evt_ready) w++;
    if (out_.spk_valid && out_.spk_data >> 31) break;
  }
  if (!probed) return fail("the sticky-bit step ended before its end-of-step word was sent");
  in_.evt_valid = false;
  if (!wait_idle(1u << 16)) return false;
  // what the refused accesses inside the step would have changed
  struct { uint32_t addr, want; const char *what; } kept[] = {
      {kPopBase + 4, n.pop[0].leak, "POP_LEAK[0]"}, {kNPops, n.n_pops, "N_POPS"},
      {kWinSyn + 4, syn1, "table word 1"}, {kWinSyn, sl_syn_pack((uint16_t)tgt, 127, (uint8_t)dly), "table word 0"}};
  for (auto &k : kept) {
    if (!read(k.addr, v)) return false;
    if (v != k.want) return fail("%s reads 0x%08x after refused writes inside a step, expected 0x%08x", k.what, v, k.want);
  }
  if (!read(kStatus, v)) return false;
  if ((v >> 16) != ((t + 1) & 0xFFFF)) return fail("STATUS 0x%08x after the sticky-bit step (step %u before it)", v, t);
  if (!read(kInBad, v)) return false;
  if (v != 1) return fail("IN_BAD counter %u after one malformed input word", v);
  // An inconsistent configuration (N_NEURONS no longer the sum of the counts): a step offered
  // now must wait and set ERR.CFG.
  const uint32_t other = N > 1 ? N - 1 : N + 1;
  if (!write(kNNeurons, other)) return false;
  // Offered while ENABLE = 0 it is no step: CFG stays clear.
  if (!write(kCtrl, 0)) return false;
  in_.evt_valid = true;
  in_.evt_data = 0x80000000u;
  for (int c = 0; c < 8; c++) tick();
  in_.evt_valid = false;
  if (!read(kErr, v)) return false;
  if (v & kErrCfg) return fail("ERR.CFG raised by input offered while CTRL.ENABLE = 0 (ERR 0x%08x)", v);
  if (!write(kCtrl, kCtrlEnable)) return false;
  in_.evt_valid = true;
  in_.evt_data = 0x80000000u;
  for (int c = 0; c < 8; c++) tick();
  in_.evt_valid = false;
  if (!read(kStatus, st)) return false;
  if (!(st & 1)) return fail("a step started with an inconsistent configuration (STATUS 0x%08x)", st);
  if (!write(kNNeurons, N)) return false;
  const uint32_t all = kErrInProto | kErrBusAddr | kErrBusBusy | kErrBadValue | kErrRingOvf | kErrCfg;
  if (!read(kErr, v)) return false;
  if (v != all) return fail("ERR reads 0x%08x after raising every sticky bit, expected 0x%02x", v, all);
  if (!write(kErr, 0) || !read(kErr, v)) return false;
  if (v != all) return fail("writing 0 to ERR changed it from 0x%02x to 0x%08x", all, v);
  uint32_t left = all;
  for (uint32_t b = 0; b < 6; b++) {
    const uint32_t bit = 1u << ((b * 5 + 2) % 6);  // order 2, 1, 0, 5, 4, 3: not just ascending
    left &= ~bit;
    if (!write(kErr, bit) || !read(kErr, v)) return false;
    if (v != left) return fail("writing 0x%02x to ERR left 0x%08x, expected 0x%02x", bit, v, left);
  }
  return true;
}

// Inside a step (STATUS not idle): a population register write, a configuration register
// write, a CTRL write that asks for a clear, and a memory window read and write are each
// refused with SLVERR, ERR.BUS_BUSY and ERR_ADDR, and change nothing (read back after the step
// by the caller's checks and here). CTRL.ENABLE alone is still accepted. ERR keeps BUS_BUSY
// (already raised by the caller).
bool SlCosim::busy_step_refusals() {
  const sl_net &n = ref_->net;
  uint32_t v, st;
  if (!read(kStatus, st)) return false;
  if (st & 1) return fail("STATUS 0x%08x: idle inside the sticky-bit step", st);
  struct { uint32_t addr, data; const char *what; } acc[] = {
      {kPopBase + 4, n.pop[0].leak == 4096 ? 4095u : 4096u, "a POP_LEAK[0] write"},
      {kNPops, n.n_pops, "an N_POPS write"},
      {kCtrl, kCtrlEnable | kCtrlClearTable, "a CTRL write asking for a table clear"},
      {kCtrl, kCtrlEnable | kCtrlClearState, "a CTRL write asking for a state clear"},
      {kWinV + 4 * (n.n_neurons - 1), 5, "a membrane write"},
      {kWinSyn + 4, 0, "a table write"}};
  for (auto &a : acc) {
    const int r = write_resp(a.addr, a.data);
    if (r < 0) return false;
    if (r != 2) return fail("%s inside a step was accepted", a.what);
    if (!read(kErrAddr, v)) return false;
    if (v != a.addr) return fail("%s inside a step: ERR_ADDR reads 0x%06x, expected 0x%06x", a.what, v, a.addr);
  }
  // a window read inside a step: SLVERR too (read() would judge it, so by hand)
  in_.araddr = kWinRing;
  in_.arvalid = true;
  for (uint64_t c = 0; !out_.arready; c++) {
    tick();
    if (c > kBusTimeout) return fail("bus read 0x%06x: no ARREADY", kWinRing);
  }
  in_.arvalid = false;
  in_.rready = true;
  for (uint64_t c = 0; !out_.rvalid; c++) {
    tick();
    if (c > kBusTimeout) return fail("bus read 0x%06x: no RVALID", kWinRing);
  }
  in_.rready = false;
  if (out_.rresp != 2) return fail("a ring read inside a step was answered with RRESP %u", out_.rresp);
  if (!read(kErrAddr, v)) return false;
  if (v != kWinRing) return fail("a ring read inside a step: ERR_ADDR reads 0x%06x", v);
  if (!read(kErr, v)) return false;
  if (v & ~(kErrInProto | kErrBusAddr | kErrBusBusy | kErrBadValue | kErrRingOvf))
    return fail("ERR 0x%08x inside a step", v);
  if (!write(kCtrl, kCtrlEnable) || !read(kCtrl, v)) return false;  // no clear bit: accepted
  if (v != kCtrlEnable) return fail("CTRL reads 0x%08x after writing ENABLE inside a step", v);
  if (!read(kStatus, st)) return false;
  if (st & 1) return fail("STATUS 0x%08x: the step ended while its end word was held back", st);
  return true;
}

bool SlCosim::run(const sl_eventset &es, FILE *trace) {
  if (trace) sl_trace_write_header(trace, ref_->net.n_neurons, ref_->n_readouts, es.steps);
  for (uint32_t i = 0; i < es.n_samples; i++)
    if (!run_sample(es, i, trace)) return false;
  if (!check_counters()) return false;
  uint32_t v;
  if (!read(kErr, v)) return false;
  if (v) return fail("ERR 0x%08x after the run", v);
  st_.cycles = dut_.cycles();
  return check_sticky();
}
