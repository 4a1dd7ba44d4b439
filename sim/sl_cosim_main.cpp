// sl_cosim_main.cpp — the Verilator C++ cosimulation top (`sl_cosim`): a VerilatedContext
// owned here, +plusargs passed through to the RTL, waves only when asked (--fst), and on a
// mismatch a second identical run with FST tracing up to the failure.
#include <memory>
#include <string>
#include "Vsl_top.h"
#include "Vsl_top___024root.h"
#include "sl_cosim_app.h"
#include "verilated.h"
#include "verilated_fst_c.h"

class SlVlDut : public SlDut {
 public:
  SlVlDut(const std::vector<std::string> &plusargs, const std::string &fst) : ctx_(new VerilatedContext) {
    std::vector<const char *> av = {"sl_cosim"};
    for (const std::string &p : plusargs) av.push_back(p.c_str());
    ctx_->commandArgs((int)av.size(), av.data());
    if (!fst.empty()) ctx_->traceEverOn(true);
    top_.reset(new Vsl_top(ctx_.get(), "TOP"));
    // Power-up: the first evaluation (initial blocks; registers hold their power-up values,
    // random under +verilator+rand+reset+2) sees reset released, so that the first cycle's
    // rst_ni = 0 is a falling edge and the asynchronous reset acts at once, before any clock
    // edge, as silicon's level-sensitive reset does. A reset already low at the first
    // evaluation would wait for a clock edge, and that edge would act on random values
    // (a RAM write enabled by them, for one).
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
    if (!fst.empty()) {
      tfp_.reset(new VerilatedFstC);
      top_->trace(tfp_.get(), 99);
      tfp_->open(fst.c_str());
    }
  }
  ~SlVlDut() override {
    top_->final();
    if (tfp_) tfp_->close();
  }
  void cycle(const SlPinsIn &in, SlPinsOut &out) override {
    Vsl_top &t = *top_;
    t.rst_ni = in.rst_n;
    t.s_axil_awaddr_i = in.awaddr;
    t.s_axil_awvalid_i = in.awvalid;
    t.s_axil_wdata_i = in.wdata;
    t.s_axil_wstrb_i = in.wstrb;
    t.s_axil_wvalid_i = in.wvalid;
    t.s_axil_bready_i = in.bready;
    t.s_axil_araddr_i = in.araddr;
    t.s_axil_arvalid_i = in.arvalid;
    t.s_axil_rready_i = in.rready;
    t.s_evt_tdata_i = in.evt_data;
    t.s_evt_tvalid_i = in.evt_valid;
    t.m_spk_tready_i = in.spk_ready;
    t.clk_i = 0;
    t.eval();
    if (tfp_) tfp_->dump(2 * cyc_);
    out.awready = t.s_axil_awready_o;
    out.wready = t.s_axil_wready_o;
    out.bvalid = t.s_axil_bvalid_o;
    out.bresp = t.s_axil_bresp_o;
    out.arready = t.s_axil_arready_o;
    out.rvalid = t.s_axil_rvalid_o;
    out.rdata = t.s_axil_rdata_o;
    out.rresp = t.s_axil_rresp_o;
    out.evt_ready = t.s_evt_tready_o;
    out.spk_data = t.m_spk_tdata_o;
    out.spk_valid = t.m_spk_tvalid_o;
    t.clk_i = 1;
    t.eval();
    if (tfp_) tfp_->dump(2 * cyc_ + 1);
    cyc_++;
    ctx_->timeInc(1);
  }
  int32_t peek_ring(uint32_t a) override { return (int32_t)top_->rootp->sl_top__DOT__u_core__DOT__u_ring__DOT__mem[a]; }
  int32_t peek_v(uint32_t n) override {
    return (int32_t)(top_->rootp->sl_top__DOT__u_core__DOT__u_v__DOT__mem[n] << 8) >> 8;
  }
  int64_t peek_score(uint32_t k) override {
    return (int64_t)(top_->rootp->sl_top__DOT__u_core__DOT__u_score__DOT__mem[k] << 24) >> 24;
  }
  uint64_t cycles() const override { return cyc_; }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vsl_top> top_;
  std::unique_ptr<VerilatedFstC> tfp_;
  uint64_t cyc_ = 0;
};

int main(int argc, char **argv) {
  const char *prog = "sl_cosim";
  SlCosimApp app;
  int rc = app.parse(argc, argv, prog);
  if (rc >= 0) return rc;
  if (!app.prepare(prog)) return 3;
  if (!app.emit_tb.empty()) return 0;
  std::string why;
  {
    SlVlDut dut(app.plusargs, app.fst_path);
    rc = app.run(dut, prog, true, &why);
  }
  if (rc == 1 && app.fst_path.empty() && !app.fst_on_fail.empty()) {
    app.opt.quiet = true;
    SlVlDut dut(app.plusargs, app.fst_on_fail);
    app.run(dut, prog, false, nullptr);
    fprintf(stderr, "%s: waveform of the failing run up to the mismatch: %s\n", prog, app.fst_on_fail.c_str());
  }
  return rc;
}
