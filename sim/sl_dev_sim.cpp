// sl_dev_sim.cpp — the driver's `sim:` backend: the Verilated RTL core (sl_top) in this
// process, driven pin by pin as a bus master and a stream source/sink would drive it.
//
//   sim:[option,...]   options: fst=FILE (waves), and fault injection for the driver's tests:
//     fault=hang      the core is held in reset: the bus never answers
//     fault=version   the VERSION register reads with another spec version
//     fault=smallcaps the CAPS register reads as a core with 64 neurons
//     fault=slverr@N  the N-th bus write (from 1) answers with SLVERR and is not performed
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include "Vsl_top.h"
#include "sl_dev_backend.h"
#include "sl_regs.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

constexpr uint64_t kBusTimeout = 2000;  // cycles for one AXI4-Lite handshake
constexpr uint32_t kXferCycles = 64;    // cycles per stream progress call

struct SimCore {
  std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
  std::unique_ptr<Vsl_top> top;
  std::unique_ptr<VerilatedFstC> fst;
  uint64_t cyc = 0;
  bool hang = false, fault_version = false, fault_caps = false;
  uint64_t writes = 0, slverr_at = 0;

  void tick() {
    Vsl_top &t = *top;
    t.rst_ni = hang ? 0 : t.rst_ni;
    t.clk_i = 0;
    t.eval();
    if (fst) fst->dump(2 * cyc);
    t.clk_i = 1;
    t.eval();
    if (fst) fst->dump(2 * cyc + 1);
    cyc++;
    ctx->timeInc(1);
  }
  // Outputs are sampled after the falling-edge eval, i.e. before the rising edge.
  void settle() {
    top->clk_i = 0;
    top->eval();
  }
};

int sim_write(void *c, uint32_t addr, uint32_t v) {
  SimCore &s = *static_cast<SimCore *>(c);
  Vsl_top &t = *s.top;
  if (++s.writes == s.slverr_at) return SL_BUS_SLVERR;  // injected: an interconnect error
  t.s_axil_awaddr_i = addr;
  t.s_axil_wdata_i = v;
  t.s_axil_wstrb_i = 0xF;
  t.s_axil_awvalid_i = t.s_axil_wvalid_i = 1;
  bool aw = false, w = false;
  for (uint64_t n = 0; !(aw && w); n++) {
    if (n > kBusTimeout) {
      t.s_axil_awvalid_i = t.s_axil_wvalid_i = 0;
      return SL_BUS_TIMEOUT;
    }
    s.settle();
    const bool awr = t.s_axil_awready_o && t.s_axil_awvalid_i, wr = t.s_axil_wready_o && t.s_axil_wvalid_i;
    s.tick();
    if (awr) aw = true, t.s_axil_awvalid_i = 0;
    if (wr) w = true, t.s_axil_wvalid_i = 0;
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

int sim_read(void *c, uint32_t addr, uint32_t *v) {
  SimCore &s = *static_cast<SimCore *>(c);
  Vsl_top &t = *s.top;
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
      if (addr == SL_REG_VERSION && s.fault_version) data ^= 0x01u;          // injected: another spec version
      if (addr == SL_REG_CAPS && s.fault_caps) data = (data & ~0xF0u) | 0x60u; // injected: 2^6 neurons
      *v = data;
      return resp ? SL_BUS_SLVERR : SL_BUS_OK;
    }
  }
}

int sim_xfer(void *c, const uint32_t *in, uint32_t n_in, uint32_t *taken, uint32_t *out, uint32_t max_out,
             uint32_t *got) {
  SimCore &s = *static_cast<SimCore *>(c);
  Vsl_top &t = *s.top;
  *taken = *got = 0;
  if (s.hang) {
    s.tick();
    return SL_BUS_OK;
  }
  for (uint32_t k = 0; k < kXferCycles && *got < max_out; k++) {
    t.s_evt_tvalid_i = *taken < n_in;
    t.s_evt_tdata_i = *taken < n_in ? in[*taken] : 0;
    t.m_spk_tready_i = 1;
    s.settle();
    const bool in_fire = t.s_evt_tvalid_i && t.s_evt_tready_o;
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

uint64_t sim_cycles(void *c) { return static_cast<SimCore *>(c)->cyc; }

void sim_reset(void *c) {
  SimCore &s = *static_cast<SimCore *>(c);
  Vsl_top &t = *s.top;
  t.s_axil_awvalid_i = t.s_axil_wvalid_i = t.s_axil_arvalid_i = 0;
  t.s_axil_bready_i = t.s_axil_rready_i = 0;
  t.s_evt_tvalid_i = 0;
  t.m_spk_tready_i = 1;
  t.rst_ni = 0;
  for (int i = 0; i < 4; i++) s.tick();
  t.rst_ni = s.hang ? 0 : 1;
  for (int i = 0; i < 2; i++) s.tick();
}

void sim_close(void *c) {
  SimCore *s = static_cast<SimCore *>(c);
  if (!s) return;
  s->top->final();
  if (s->fst) s->fst->close();
  delete s;
}

const sl_dev_ops sim_ops = {"sim", sim_read, sim_write, sim_xfer, sim_cycles, sim_reset, sim_close};

}  // namespace

extern "C" sl_status sl_dev_sim_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err) {
  std::unique_ptr<SimCore> s(new SimCore);
  std::string fst;
  std::string a(args ? args : "");
  size_t pos = 0;
  while (pos < a.size()) {
    size_t comma = a.find(',', pos);
    std::string opt = a.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? a.size() : comma + 1;
    if (opt.empty()) continue;
    if (opt == "fault=hang") s->hang = true;
    else if (opt == "fault=version") s->fault_version = true;
    else if (opt == "fault=smallcaps") s->fault_caps = true;
    else if (opt.compare(0, 13, "fault=slverr@") == 0) s->slverr_at = std::strtoull(opt.c_str() + 13, nullptr, 10);
    else if (opt.compare(0, 4, "fst=") == 0) fst = opt.substr(4);
    else return sl_err_set(err, SL_ERR_ARG, "sim:%s: unknown option '%s' (fst=FILE, fault=hang|version|smallcaps|slverr@N)", args,
                           opt.c_str());
  }
  const char *argv0[] = {"spikeline-sim"};
  s->ctx->commandArgs(1, argv0);
  if (!fst.empty()) s->ctx->traceEverOn(true);
  s->top.reset(new Vsl_top(s->ctx.get(), "TOP"));
  if (!fst.empty()) {
    s->fst.reset(new VerilatedFstC);
    s->top->trace(s->fst.get(), 99);
    s->fst->open(fst.c_str());
  }
  s->top->rst_ni = 0;
  *ops = &sim_ops;
  *ctx = s.release();
  return SL_OK;
}
