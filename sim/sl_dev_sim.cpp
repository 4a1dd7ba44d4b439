// sl_dev_sim.cpp — the driver's `sim:` backend: the Verilated RTL core (sl_top) in this
// process, driven pin by pin as a bus master and a stream source/sink would drive it
// (handshakes in sl_dev_bus.h, shared with the SystemC backend `sim:sc`, sl_dev_sc.cpp).
//
//   sim:[option,...]   options: fst=FILE (waves), and fault injection for the driver's tests:
//     fault=hang      the core is held in reset: the bus never answers
//     fault=version   the VERSION register reads with another spec version
//     fault=smallcaps the CAPS register reads as a core with 64 neurons
//     fault=slverr@N  the N-th bus write (from 1) answers with SLVERR and is not performed
//   sim:sc[,option,...]  the SystemC virtual platform instead (same options)
#include <cstring>
#include <memory>
#include <string>
#include "Vsl_top.h"
#include "sl_dev_backend.h"
#include "sl_dev_bus.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

struct SimCore : sl_bus::SlSimState {
  std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
  std::unique_ptr<Vsl_top> top;
  std::unique_ptr<VerilatedFstC> fst;

  Vsl_top &pins() { return *top; }
  void tick() {
    Vsl_top &t = *top;
    if (opt.hang) t.rst_ni = 0;
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

SimCore &core(void *c) { return *static_cast<SimCore *>(c); }
int sim_write(void *c, uint32_t addr, uint32_t v) { return sl_bus::write32(core(c), addr, v); }
int sim_read(void *c, uint32_t addr, uint32_t *v) { return sl_bus::read32(core(c), addr, v); }
int sim_xfer(void *c, const uint32_t *in, uint32_t n_in, uint32_t *taken, uint32_t *out, uint32_t max_out,
             uint32_t *got) {
  return sl_bus::xfer(core(c), in, n_in, taken, out, max_out, got);
}
uint64_t sim_cycles(void *c) { return core(c).cyc; }
void sim_reset(void *c) { sl_bus::reset(core(c)); }

void sim_close(void *c) {
  SimCore *s = static_cast<SimCore *>(c);
  if (!s) return;
  s->top->final();
  if (s->fst) s->fst->close();
  // Constructing a context made it the thread's current one: do not leave that dangling
  // (the SystemC backend's model would pick it up).
  if (Verilated::threadContextp() == s->ctx.get()) Verilated::threadContextp(Verilated::defaultContextp());
  delete s;
}

const sl_dev_ops sim_ops = {"sim", sim_read, sim_write, sim_xfer, sim_cycles, sim_reset, sim_close};

}  // namespace

#ifndef SL_HAVE_SYSTEMC
extern "C" sl_status sl_dev_sc_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err) {
  (void)ops;
  (void)ctx;
  return sl_err_set(err, SL_ERR_DEVICE,
                    "sim:sc%s%s: this build has no SystemC (install libsystemc-dev, configure with -DSL_SYSTEMC=ON)",
                    args && *args ? "," : "", args ? args : "");
}
#endif

extern "C" sl_status sl_dev_sim_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err) {
  if (args && !strncmp(args, "sc", 2) && (args[2] == 0 || args[2] == ','))
    return sl_dev_sc_open(args[2] ? args + 3 : "", ops, ctx, err);
  const std::string uri = std::string("sim:") + (args ? args : "");
  std::unique_ptr<SimCore> s(new SimCore);
  if (sl_status st = sl_bus::parse_opts(args, uri.c_str(), s->opt, err)) return st;
  const char *argv0[] = {"spikeline-sim"};
  s->ctx->commandArgs(1, argv0);
  if (!s->opt.fst.empty()) s->ctx->traceEverOn(true);
  s->top.reset(new Vsl_top(s->ctx.get(), "TOP"));
  if (!s->opt.fst.empty()) {
    s->fst.reset(new VerilatedFstC);
    s->top->trace(s->fst.get(), 99);
    s->fst->open(s->opt.fst.c_str());
  }
  s->top->rst_ni = 0;
  *ops = &sim_ops;
  *ctx = s.release();
  return SL_OK;
}
