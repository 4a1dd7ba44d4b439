// sl_cosim.h — the cosimulation host: loads a model image into the simulated core (over the
// AXI4-Lite bus as a driver would, or trusting a $readmemh preload of the memories), streams
// each sample's events, steps the C reference model in lockstep and compares spikes (and
// membranes, rings and scores) at every timestep boundary, every counter register at the
// end, and the bus rules (partial strobes, refused entries, sticky error bits bit by bit).
// It writes the spec §8.3 trace from what the RTL produced (its spike words and its scores),
// so the file can be diffed with `spikeline run`.
#ifndef SL_COSIM_H
#define SL_COSIM_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include "sl_dut.h"
#include "sl_events.h"
#include "sl_net.h"
#include "sl_regs.h"

// Register byte offsets and windows: the software map of host/sl_regs.h (docs/rtl.md), named
// for C++ here so the cosim host and the driver cannot disagree.
namespace slreg {
constexpr uint32_t kId = SL_REG_ID, kVersion = SL_REG_VERSION, kCaps = SL_REG_CAPS, kVariant = SL_REG_VARIANT,
                   kCtrl = SL_REG_CTRL, kStatus = SL_REG_STATUS, kErr = SL_REG_ERR, kErrAddr = SL_REG_ERR_ADDR,
                   kNInputs = SL_REG_N_INPUTS, kNNeurons = SL_REG_N_NEURONS, kNPops = SL_REG_N_POPS,
                   kDepthLog2 = SL_REG_DEPTH_LOG2, kRowCapLog2 = SL_REG_ROWCAP_LOG2,
                   kNReadouts = SL_REG_N_READOUTS, kCycLo = SL_REG_CYC_LO, kCycHi = SL_REG_CYC_HI,
                   kBusyCyc = SL_REG_BUSY_CYC, kSweepCyc = SL_REG_SWEEP_CYC, kDelivCyc = SL_REG_DELIV_CYC,
                   kStallCyc = SL_REG_STALL_CYC, kEvents = SL_REG_EVENTS, kSynops = SL_REG_SYNOPS,
                   kSpikes = SL_REG_SPIKES, kSteps = SL_REG_STEPS, kInBad = SL_REG_IN_BAD, kPopBase = SL_REG_POP(0);
constexpr uint32_t kWinScore = SL_WIN_SCORE, kWinV = SL_WIN_V, kWinRing = SL_WIN_RING, kWinSyn = SL_WIN_SYN;
constexpr uint32_t kCtrlEnable = SL_CTRL_ENABLE, kCtrlClearState = SL_CTRL_CLEAR_STATE,
                   kCtrlClearTable = SL_CTRL_CLEAR_TABLE, kCtrlClearCount = SL_CTRL_CLEAR_COUNT;
constexpr uint32_t kIdValue = SL_ID_VALUE;
constexpr uint32_t kErrInProto = SL_ERR_IN_PROTO, kErrBusAddr = SL_ERR_BUS_ADDR, kErrBusBusy = SL_ERR_BUS_BUSY,
                   kErrBadValue = SL_ERR_BAD_VALUE, kErrRingOvf = SL_ERR_RING_OVF, kErrCfg = SL_ERR_CFG;
}  // namespace slreg

// Maxima of the built core, read from the CAPS register.
struct SlCaps {
  uint32_t input_aw, neuron_aw, depth_aw, rowcap_aw, syn_aw, readout_aw, pop_aw;
};

struct SlCosimOptions {
  bool load_bus = true;       // write the table over the bus (else: it was preloaded)
  bool verify_load = false;   // read every written entry back over the bus
  bool check_state = true;    // compare membranes, rings and scores at every step
  bool compare = true;        // lockstep comparison with the C model (off: the RTL only runs
                              // and writes its trace; the bus and counter checks still run)
  uint32_t jitter = 0;        // 0: streams always valid/ready; else a seed for random gaps
                              // and long output stalls (the consumer away for 16..271 cycles)
  uint32_t stop_after = 0;    // stop after this many steps in total (0 = run all); for waves
  uint32_t rewire_every = 0;  // every N steps rewrite one random entry over the bus (and try
                              // an illegal one, which must be refused)
  bool quiet = false;
};

struct SlCosimStats {
  uint64_t steps = 0, input_events = 0, spikes = 0, synops = 0;
  uint64_t walk = 0;           // table entries the walker issues (max(1, row length) per event)
  uint64_t neuron_updates = 0; // N per step
  bool out_stalled = false;    // the consumer was ever not ready
  uint64_t cycles = 0, busy = 0, sweep = 0, deliver = 0, stall = 0;
};

// Every table word a rewrite must refuse for this network (spec §7, §4.1).
std::vector<uint32_t> illegal_entries(const sl_net &n);

class SlCosim {
 public:
  SlCosim(SlDut &dut, sl_core *ref, const SlCosimOptions &opt);
  // Reset pulse, identify the core, check it can hold the model, write the configuration
  // (read back), load the table if opt.load_bus. Returns false with message() on failure.
  bool setup();
  // Run every sample of es in lockstep; write the RTL trace to `trace` (may be NULL).
  // Returns false at the first mismatch (message() explains it; fail_step() says where).
  bool run(const sl_eventset &es, FILE *trace);
  const std::string &message() const { return msg_; }
  // A failure that is not the core's fault (a model too large for it, a file): not a mismatch.
  bool is_error() const { return error_; }
  int64_t fail_cycle() const { return fail_cycle_; }
  const SlCosimStats &stats() const { return st_; }

  // Bus access as a driver does it. Return false on SLVERR.
  bool write(uint32_t addr, uint32_t data);
  bool read(uint32_t addr, uint32_t &data);
  // A write whose response is returned rather than judged: 0 OKAY, 2 SLVERR, -1 no response.
  int write_resp(uint32_t addr, uint32_t data, uint32_t strobes = 0xF);

 private:
  struct StepLog {
    uint32_t t;
    std::vector<std::pair<uint16_t, uint8_t>> ev;
    std::vector<uint16_t> spikes;
  };
  void tick();
  bool wait_idle(uint64_t limit);
  bool fail(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
  bool run_sample(const sl_eventset &es, uint32_t i, FILE *trace);
  bool check_state(uint32_t t);
  bool rewire(uint32_t t);
  bool refused(uint32_t addr, uint32_t data, uint32_t strobes, uint32_t err_bit, const char *what);
  bool check_reset_values();
  bool check_bus_rules();
  bool check_bus_rules_held();
  void hold_ready();
  bool busy_step_refusals();
  bool check_counters();
  bool check_sticky();
  uint32_t rand32();
  void history(std::string &s) const;

  SlDut &dut_;
  sl_core *ref_;
  SlCosimOptions opt_;
  SlPinsIn in_;
  SlPinsOut out_;
  SlCaps caps_{};
  std::string msg_;
  int64_t fail_cycle_ = -1;
  SlCosimStats st_;
  std::vector<StepLog> log_;   // recent steps, for the mismatch report
  uint32_t rng_ = 1;
  uint64_t steps_total_ = 0;
  uint32_t stall_left_ = 0;          // cycles of the current long output stall
  uint64_t clr_cycle_ = 0;           // host cycle when CLEAR_COUNTERS was answered
  std::vector<uint32_t> rowlen_;     // the core's row lengths (1 + highest slot written)
  bool error_ = false;
  bool hold_ = false;                // hold BREADY/RREADY low now and then (hold_ready)
  uint32_t hold_n_ = 0;
};

#endif
