// sl_dev_bus.h — the pin-level half of the driver's simulation backends (`sim:` and
// `sim:sc`): option parsing, fault injection, and the AXI4-Lite master and stream
// source/sink handshakes, written once over a Core that gives
//   pins()   an object whose members are named like sl_top's ports (the Verilated C++
//            model itself, or a set of sc_signals) and accept `= value` / read as values
//   settle() let the inputs just written propagate, clock low (sample outputs after it)
//   tick()   one rising clock edge: registers update, cyc advances
// and the SlSimState fields below. Inputs are written only before settle() or after tick(),
// outputs read only between the two, so the same code is exact for sc_signals (whose writes
// land at the next delta cycle) and for the C++ model's plain members.
#ifndef SL_DEV_BUS_H
#define SL_DEV_BUS_H

#include <cstdint>
#include <cstdlib>
#include <string>
#include "sl_dev_backend.h"
#include "sl_regs.h"

namespace sl_bus {

constexpr uint64_t kBusTimeout = 2000;  // cycles for one AXI4-Lite handshake
constexpr uint32_t kXferCycles = 64;    // cycles per stream progress call

// Options common to both backends: fst=FILE, and fault injection for the driver's tests.
struct SlSimOpts {
  std::string fst;
  bool hang = false, fault_version = false, fault_caps = false;
  uint64_t slverr_at = 0;
};

// Parses "opt,opt,..." (uri is the whole URI, for messages). Returns SL_OK or SL_ERR_ARG.
inline sl_status parse_opts(const char *args, const char *uri, SlSimOpts &o, sl_err *err) {
  std::string a(args ? args : "");
  size_t pos = 0;
  while (pos < a.size()) {
    size_t comma = a.find(',', pos);
    std::string opt = a.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? a.size() : comma + 1;
    if (opt.empty()) continue;
    if (opt == "fault=hang") o.hang = true;
    else if (opt == "fault=version") o.fault_version = true;
    else if (opt == "fault=smallcaps") o.fault_caps = true;
    else if (opt.compare(0, 13, "fault=slverr@") == 0) o.slverr_at = std::strtoull(opt.c_str() + 13, nullptr, 10);
    else if (opt.compare(0, 4, "fst=") == 0) o.fst = opt.substr(4);
    else
      return sl_err_set(err, SL_ERR_ARG, "%s: unknown option '%s' (fst=FILE, fault=hang|version|smallcaps|slverr@N)", uri,
                        opt.c_str());
  }
  return SL_OK;
}

// What every Core carries besides its pins.
struct SlSimState {
  uint64_t cyc = 0;
  SlSimOpts opt;
  uint64_t writes = 0;
};

template <class Core>
int write32(Core &s, uint32_t addr, uint32_t v) {
  auto &t = s.pins();
  if (++s.writes == s.opt.slverr_at) return SL_BUS_SLVERR;  // injected: an interconnect error
  t.s_axil_awaddr_i = addr;
  t.s_axil_wdata_i = v;
  t.s_axil_wstrb_i = 0xFu;
  t.s_axil_awvalid_i = 1;
  t.s_axil_wvalid_i = 1;
  bool aw = false, w = false, awv = true, wv = true;
  for (uint64_t n = 0; !(aw && w); n++) {
    if (n > kBusTimeout) {
      t.s_axil_awvalid_i = 0;
      t.s_axil_wvalid_i = 0;
      return SL_BUS_TIMEOUT;
    }
    s.settle();
    const bool awr = t.s_axil_awready_o && awv, wr = t.s_axil_wready_o && wv;
    s.tick();
    if (awr) aw = true, awv = false, t.s_axil_awvalid_i = 0;
    if (wr) w = true, wv = false, t.s_axil_wvalid_i = 0;
  }
  t.s_axil_bready_i = 1;
  for (uint64_t n = 0;; n++) {
    if (n > kBusTimeout) {
      t.s_axil_bready_i = 0;
      return SL_BUS_TIMEOUT;
    }
    s.settle();
    const bool bv = t.s_axil_bvalid_o;
    const uint32_t resp = t.s_axil_bresp_o;
    s.tick();
    if (bv) {
      t.s_axil_bready_i = 0;
      return resp ? SL_BUS_SLVERR : SL_BUS_OK;
    }
  }
}

template <class Core>
int read32(Core &s, uint32_t addr, uint32_t *v) {
  auto &t = s.pins();
  t.s_axil_araddr_i = addr;
  t.s_axil_arvalid_i = 1;
  for (uint64_t n = 0;; n++) {
    if (n > kBusTimeout) {
      t.s_axil_arvalid_i = 0;
      return SL_BUS_TIMEOUT;
    }
    s.settle();
    const bool ar = t.s_axil_arready_o;
    s.tick();
    if (ar) break;
  }
  t.s_axil_arvalid_i = 0;
  t.s_axil_rready_i = 1;
  for (uint64_t n = 0;; n++) {
    if (n > kBusTimeout) {
      t.s_axil_rready_i = 0;
      return SL_BUS_TIMEOUT;
    }
    s.settle();
    const bool rv = t.s_axil_rvalid_o;
    uint32_t data = t.s_axil_rdata_o, resp = t.s_axil_rresp_o;
    s.tick();
    if (rv) {
      t.s_axil_rready_i = 0;
      if (addr == SL_REG_VERSION && s.opt.fault_version) data ^= 0x01u;           // injected: another spec version
      if (addr == SL_REG_CAPS && s.opt.fault_caps) data = (data & ~0xF0u) | 0x60u;  // injected: 2^6 neurons
      *v = data;
      return resp ? SL_BUS_SLVERR : SL_BUS_OK;
    }
  }
}

template <class Core>
int xfer(Core &s, const uint32_t *in, uint32_t n_in, uint32_t *taken, uint32_t *out, uint32_t max_out,
         uint32_t *got) {
  auto &t = s.pins();
  *taken = *got = 0;
  if (s.opt.hang) {
    s.tick();
    return SL_BUS_OK;
  }
  for (uint32_t k = 0; k < kXferCycles && *got < max_out; k++) {
    const bool valid = *taken < n_in;
    t.s_evt_tvalid_i = valid;
    t.s_evt_tdata_i = valid ? in[*taken] : 0u;
    t.m_spk_tready_i = 1;
    s.settle();
    const bool in_fire = valid && t.s_evt_tready_o;
    const bool out_fire = t.m_spk_tvalid_o;
    const uint32_t w = t.m_spk_tdata_o;
    s.tick();
    if (in_fire) (*taken)++;
    if (out_fire) {
      out[(*got)++] = w;
      if (w >> 31) break;  // end of step: let the driver look
    }
  }
  t.s_evt_tvalid_i = 0;
  return SL_BUS_OK;
}

template <class Core>
void reset(Core &s) {
  auto &t = s.pins();
  t.s_axil_awvalid_i = 0;
  t.s_axil_wvalid_i = 0;
  t.s_axil_arvalid_i = 0;
  t.s_axil_bready_i = 0;
  t.s_axil_rready_i = 0;
  t.s_evt_tvalid_i = 0;
  t.m_spk_tready_i = 1;
  t.rst_ni = 0;
  for (int i = 0; i < 4; i++) s.tick();
  t.rst_ni = s.opt.hang ? 0 : 1;
  for (int i = 0; i < 2; i++) s.tick();
}

}  // namespace sl_bus

#endif
