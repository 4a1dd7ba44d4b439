// sl_cosim_sc.cpp — the SystemC cosimulation top (`sl_cosim_sc`), the seed of a virtual
// platform: the Verilated core (--sc) wired to sc_signals and an sc_clock, and a bus-
// functional host process (SC_THREAD) that loads the model over AXI4-Lite, streams the
// events and checks every timestep against the C model — the same host as the C++ top.
#include <systemc.h>
#include <memory>
#include "Vsl_top.h"
#include "Vsl_top___024root.h"
#include "sl_cosim_app.h"
#include "verilated.h"
#include "verilated_fst_sc.h"

// The pins as sc_signals. --sc maps 1-bit ports to bool and 2..32-bit ports to uint32_t.
struct SlScPins {
  sc_signal<bool> rst_n{"rst_n"};
  sc_signal<uint32_t> awaddr{"awaddr"}, wdata{"wdata"}, wstrb{"wstrb"}, araddr{"araddr"}, bresp{"bresp"},
      rdata{"rdata"}, rresp{"rresp"}, evt_data{"evt_data"}, spk_data{"spk_data"};
  sc_signal<bool> awvalid{"awvalid"}, awready{"awready"}, wvalid{"wvalid"}, wready{"wready"}, bvalid{"bvalid"},
      bready{"bready"}, arvalid{"arvalid"}, arready{"arready"}, rvalid{"rvalid"}, rready{"rready"},
      evt_valid{"evt_valid"}, evt_ready{"evt_ready"}, spk_valid{"spk_valid"}, spk_ready{"spk_ready"};
};

// SlDut over the signals; cycle() runs inside the host SC_THREAD.
class SlScDut : public SlDut {
 public:
  SlScDut(sc_clock &clk, SlScPins &p, Vsl_top &top) : clk_(clk), p_(p), top_(top) {}
  void cycle(const SlPinsIn &in, SlPinsOut &out) override {
    p_.rst_n = in.rst_n;
    p_.awaddr = in.awaddr;
    p_.awvalid = in.awvalid;
    p_.wdata = in.wdata;
    p_.wstrb = in.wstrb;
    p_.wvalid = in.wvalid;
    p_.bready = in.bready;
    p_.araddr = in.araddr;
    p_.arvalid = in.arvalid;
    p_.rready = in.rready;
    p_.evt_data = in.evt_data;
    p_.evt_valid = in.evt_valid;
    p_.spk_ready = in.spk_ready;
    wait(1, SC_NS);  // let the combinational paths settle (all delta cycles), before the edge
    out.awready = p_.awready.read();
    out.wready = p_.wready.read();
    out.bvalid = p_.bvalid.read();
    out.bresp = p_.bresp.read();
    out.arready = p_.arready.read();
    out.rvalid = p_.rvalid.read();
    out.rdata = p_.rdata.read();
    out.rresp = p_.rresp.read();
    out.evt_ready = p_.evt_ready.read();
    out.spk_data = p_.spk_data.read();
    out.spk_valid = p_.spk_valid.read();
    wait(clk_.posedge_event());
    wait(clk_.negedge_event());
    cyc_++;
  }
  int32_t peek_ring(uint32_t a) override { return (int32_t)top_.rootp->sl_top__DOT__u_core__DOT__u_ring__DOT__mem[a]; }
  int32_t peek_v(uint32_t n) override {
    return (int32_t)(top_.rootp->sl_top__DOT__u_core__DOT__u_v__DOT__mem[n] << 8) >> 8;
  }
  int64_t peek_score(uint32_t k) override {
    return (int64_t)(top_.rootp->sl_top__DOT__u_core__DOT__u_score__DOT__mem[k] << 24) >> 24;
  }
  uint64_t cycles() const override { return cyc_; }

 private:
  sc_clock &clk_;
  SlScPins &p_;
  Vsl_top &top_;
  uint64_t cyc_ = 0;
};

SC_MODULE(SlScHost) {
  SlCosimApp *app = nullptr;
  SlScDut *dut = nullptr;
  sc_clock *clk = nullptr;
  int rc = 3;  // the host never finished: an error, not a mismatch
  void main() {
    wait(clk->negedge_event());
    rc = app->run(*dut, "sl_cosim_sc", true, nullptr);
    sc_stop();
  }
  SC_CTOR(SlScHost) { SC_THREAD(main); }
};

int sc_main(int argc, char **argv) {
  const char *prog = "sl_cosim_sc";
  SlCosimApp app;
  int rc = app.parse(argc, argv, prog);
  if (rc >= 0) return rc;
  if (!app.prepare(prog)) return 3;
  std::vector<const char *> av = {prog};
  for (const std::string &p : app.plusargs) av.push_back(p.c_str());
  Verilated::commandArgs((int)av.size(), av.data());
  if (!app.fst_path.empty()) Verilated::traceEverOn(true);

  sc_clock clk("clk", 10, SC_NS, 0.5, 0, SC_NS, true);
  SlScPins p;
  std::unique_ptr<Vsl_top> top(new Vsl_top("sl_top"));
  top->clk_i(clk);
  top->rst_ni(p.rst_n);
  top->s_axil_awaddr_i(p.awaddr);
  top->s_axil_awvalid_i(p.awvalid);
  top->s_axil_awready_o(p.awready);
  top->s_axil_wdata_i(p.wdata);
  top->s_axil_wstrb_i(p.wstrb);
  top->s_axil_wvalid_i(p.wvalid);
  top->s_axil_wready_o(p.wready);
  top->s_axil_bresp_o(p.bresp);
  top->s_axil_bvalid_o(p.bvalid);
  top->s_axil_bready_i(p.bready);
  top->s_axil_araddr_i(p.araddr);
  top->s_axil_arvalid_i(p.arvalid);
  top->s_axil_arready_o(p.arready);
  top->s_axil_rdata_o(p.rdata);
  top->s_axil_rresp_o(p.rresp);
  top->s_axil_rvalid_o(p.rvalid);
  top->s_axil_rready_i(p.rready);
  top->s_evt_tdata_i(p.evt_data);
  top->s_evt_tvalid_i(p.evt_valid);
  top->s_evt_tready_o(p.evt_ready);
  top->m_spk_tdata_o(p.spk_data);
  top->m_spk_tvalid_o(p.spk_valid);
  top->m_spk_tready_i(p.spk_ready);

  SlScDut dut(clk, p, *top);
  SlScHost host("host");
  host.app = &app;
  host.dut = &dut;
  host.clk = &clk;

  sc_start(SC_ZERO_TIME);  // elaborate and settle once before tracing
  std::unique_ptr<VerilatedFstSc> tfp;
  if (!app.fst_path.empty()) {
    tfp.reset(new VerilatedFstSc);
    top->trace(tfp.get(), 99);
    tfp->open(app.fst_path.c_str());
  }
  sc_start();
  top->final();
  if (tfp) tfp->close();
  return host.rc;
}
