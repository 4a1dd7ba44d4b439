// sl_dev_sc.cpp — the driver's `sim:sc` backend: the SystemC virtual platform in this
// process — the Verilated core (--sc, class Vsl_top_sc), an sc_clock (10 ns) and one
// sc_signal per port — with the driver's calls advancing SystemC time through sc_start().
// The handshakes are sl_dev_bus.h's, the same code as the C++ backend (`sim:`).
//
//   sim:sc[,option,...]   options as sim: (fst=FILE, fault=hang|version|smallcaps|slverr@N)
//
// SystemC elaborates once per process: the platform is built at the first `sim:sc` open and
// lives until exit. While one sim:sc device is open, a second open fails; after it is closed
// the platform can be opened again (a fresh reset, new fault options), but waves (fst=) are
// only possible on the first open, before SystemC time starts.
//
// Timing, one clock cycle c (posedges at 10c+5 ns): inputs are written at 10c+2; settle() runs
// 1 ns (the combinational paths settle through all delta cycles) and outputs are sampled at
// 10c+3; tick() runs through the posedge to 10(c+1)+2.
#include <systemc.h>
#include <cstdlib>
#include <memory>
#include <string>
#include "Vsl_top_sc.h"
#include "sl_dev_backend.h"
#include "sl_dev_bus.h"
#include "verilated.h"
#include "verilated_fst_sc.h"

namespace {

// The pins as sc_signals named like sl_top's ports (sl_dev_bus.h writes and reads them by
// those names). --sc maps 1-bit ports to bool and 2..32-bit ports to uint32_t.
struct ScPins {
  sc_signal<bool> rst_ni{"rst_ni"};
  sc_signal<uint32_t> s_axil_awaddr_i{"s_axil_awaddr_i"}, s_axil_wdata_i{"s_axil_wdata_i"},
      s_axil_wstrb_i{"s_axil_wstrb_i"}, s_axil_bresp_o{"s_axil_bresp_o"}, s_axil_araddr_i{"s_axil_araddr_i"},
      s_axil_rdata_o{"s_axil_rdata_o"}, s_axil_rresp_o{"s_axil_rresp_o"}, s_evt_tdata_i{"s_evt_tdata_i"},
      m_spk_tdata_o{"m_spk_tdata_o"};
  sc_signal<bool> s_axil_awvalid_i{"s_axil_awvalid_i"}, s_axil_awready_o{"s_axil_awready_o"},
      s_axil_wvalid_i{"s_axil_wvalid_i"}, s_axil_wready_o{"s_axil_wready_o"}, s_axil_bvalid_o{"s_axil_bvalid_o"},
      s_axil_bready_i{"s_axil_bready_i"}, s_axil_arvalid_i{"s_axil_arvalid_i"},
      s_axil_arready_o{"s_axil_arready_o"}, s_axil_rvalid_o{"s_axil_rvalid_o"}, s_axil_rready_i{"s_axil_rready_i"},
      s_evt_tvalid_i{"s_evt_tvalid_i"}, s_evt_tready_o{"s_evt_tready_o"}, m_spk_tvalid_o{"m_spk_tvalid_o"},
      m_spk_tready_i{"m_spk_tready_i"};
};

// The elaborated platform: built once, never destroyed (SystemC cannot re-elaborate).
struct ScPlatform {
  sc_clock clk{"clk", 10, SC_NS, 0.5, 5, SC_NS, true};
  ScPins p;
  Vsl_top_sc top{"sl_top"};
  std::unique_ptr<VerilatedFstSc> fst;
  bool in_use = false;

  ScPlatform() {
    top.clk_i(clk);
    top.rst_ni(p.rst_ni);
    top.s_axil_awaddr_i(p.s_axil_awaddr_i);
    top.s_axil_awvalid_i(p.s_axil_awvalid_i);
    top.s_axil_awready_o(p.s_axil_awready_o);
    top.s_axil_wdata_i(p.s_axil_wdata_i);
    top.s_axil_wstrb_i(p.s_axil_wstrb_i);
    top.s_axil_wvalid_i(p.s_axil_wvalid_i);
    top.s_axil_wready_o(p.s_axil_wready_o);
    top.s_axil_bresp_o(p.s_axil_bresp_o);
    top.s_axil_bvalid_o(p.s_axil_bvalid_o);
    top.s_axil_bready_i(p.s_axil_bready_i);
    top.s_axil_araddr_i(p.s_axil_araddr_i);
    top.s_axil_arvalid_i(p.s_axil_arvalid_i);
    top.s_axil_arready_o(p.s_axil_arready_o);
    top.s_axil_rdata_o(p.s_axil_rdata_o);
    top.s_axil_rresp_o(p.s_axil_rresp_o);
    top.s_axil_rvalid_o(p.s_axil_rvalid_o);
    top.s_axil_rready_i(p.s_axil_rready_i);
    top.s_evt_tdata_i(p.s_evt_tdata_i);
    top.s_evt_tvalid_i(p.s_evt_tvalid_i);
    top.s_evt_tready_o(p.s_evt_tready_o);
    top.m_spk_tdata_o(p.m_spk_tdata_o);
    top.m_spk_tvalid_o(p.m_spk_tvalid_o);
    top.m_spk_tready_i(p.m_spk_tready_i);
  }
};

ScPlatform *g_platform = nullptr;  // reachable until exit, by design

struct ScCore : sl_bus::SlSimState {
  ScPlatform *plat = nullptr;
  bool settled = false;  // settle() ran this cycle: tick() has 9 ns left, not 10

  ScPins &pins() { return plat->p; }
  void settle() {
    if (settled) return;
    sc_start(1, SC_NS);
    settled = true;
  }
  void tick() {
    if (opt.hang) plat->p.rst_ni = 0;
    sc_start(settled ? 9 : 10, SC_NS);
    settled = false;
    cyc++;
  }
};

ScCore &core(void *c) { return *static_cast<ScCore *>(c); }
int vp_write(void *c, uint32_t addr, uint32_t v) { return sl_bus::write32(core(c), addr, v); }
int vp_read(void *c, uint32_t addr, uint32_t *v) { return sl_bus::read32(core(c), addr, v); }
int vp_xfer(void *c, const uint32_t *in, uint32_t n_in, uint32_t *taken, uint32_t *out, uint32_t max_out,
            uint32_t *got) {
  return sl_bus::xfer(core(c), in, n_in, taken, out, max_out, got);
}
uint64_t vp_cycles(void *c) { return core(c).cyc; }
void vp_reset(void *c) { sl_bus::reset(core(c)); }

void vp_close(void *c) {
  ScCore *s = static_cast<ScCore *>(c);
  if (!s) return;
  ScPlatform &pl = *s->plat;
  pl.top.final();
  if (pl.fst) pl.fst->close();  // stays registered with the kernel; dumps nothing once closed
  pl.p.rst_ni = 0;  // the core idles in reset until the next open
  pl.in_use = false;
  delete s;
}

const sl_dev_ops vp_ops = {"sim:sc", vp_read, vp_write, vp_xfer, vp_cycles, vp_reset, vp_close};

}  // namespace

// SystemC's library carries a main() that calls sc_main(); spikeline has its own main and
// never calls this. It only satisfies the library's reference.
int sc_main(int, char **) {
  std::fputs("spikeline: sc_main is not an entry point of this program\n", stderr);
  return 1;
}

extern "C" sl_status sl_dev_sc_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err) {
  const std::string uri = std::string("sim:sc") + (args && *args ? "," : "") + (args ? args : "");
  std::unique_ptr<ScCore> s(new ScCore);
  if (sl_status st = sl_bus::parse_opts(args, uri.c_str(), s->opt, err)) return st;
  if (g_platform && g_platform->in_use)
    return sl_err_set(err, SL_ERR_DEVICE,
                      "%s: the SystemC virtual platform is already open in this process (SystemC elaborates "
                      "once per process: close the other sim:sc device first)",
                      uri.c_str());
  if (g_platform && !s->opt.fst.empty())
    return sl_err_set(err, SL_ERR_ARG,
                      "%s: waves (fst=) only on the first sim:sc open of a process (SystemC time has started)",
                      uri.c_str());
  if (!g_platform) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);  // keep stdout the driver's
    if (sc_get_curr_simcontext()->elaboration_done() || sc_is_running())
      return sl_err_set(err, SL_ERR_DEVICE,
                        "%s: SystemC has already elaborated in this process; cannot build the virtual platform",
                        uri.c_str());
    // The --sc model takes the thread's current VerilatedContext, which a `sim:` device opened
    // (and perhaps closed) earlier in this process may have left pointing at its own: use the
    // process-wide default context, owned by Verilator, explicitly.
    Verilated::threadContextp(Verilated::defaultContextp());
    const char *argv0[] = {"spikeline-sim-sc"};
    Verilated::commandArgs(1, argv0);  // the RTL asks for plusargs
    if (!s->opt.fst.empty()) Verilated::traceEverOn(true);
    g_platform = new ScPlatform;
    g_platform->p.rst_ni = 0;
    g_platform->p.m_spk_tready_i = 1;
    sc_start(SC_ZERO_TIME);  // elaborate
    if (!s->opt.fst.empty()) {
      g_platform->fst.reset(new VerilatedFstSc);
      g_platform->top.trace(g_platform->fst.get(), 99);
      g_platform->fst->open(s->opt.fst.c_str());
    }
    sc_start(2, SC_NS);  // to 10c+2 with c = 0: where every cycle starts
  }
  g_platform->in_use = true;
  s->plat = g_platform;
  *ops = &vp_ops;
  *ctx = s.release();
  return SL_OK;
}
