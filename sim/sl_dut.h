// sl_dut.h — what the cosimulation host needs from a simulated spikeline core: one clock
// cycle with given input pins (outputs sampled before the rising edge, as a synchronous
// host sees them), backdoor reads of the state memories, and the cycle count. Implemented
// by the Verilator C++ top (sl_cosim_main.cpp) and the SystemC top (sl_cosim_sc.cpp).
#ifndef SL_DUT_H
#define SL_DUT_H

#include <cstdint>

struct SlPinsIn {
  bool rst_n = false;
  uint32_t awaddr = 0; bool awvalid = false;
  uint32_t wdata = 0; uint32_t wstrb = 0xF; bool wvalid = false;
  bool bready = false;
  uint32_t araddr = 0; bool arvalid = false;
  bool rready = false;
  uint32_t evt_data = 0; bool evt_valid = false;
  bool spk_ready = true;
};

struct SlPinsOut {
  bool awready = false, wready = false, bvalid = false; uint32_t bresp = 0;
  bool arready = false, rvalid = false; uint32_t rdata = 0, rresp = 0;
  bool evt_ready = false;
  uint32_t spk_data = 0; bool spk_valid = false;
};

class SlDut {
 public:
  virtual ~SlDut() {}
  // Drive `in`, settle, sample the outputs into `out`, then one rising clock edge.
  virtual void cycle(const SlPinsIn &in, SlPinsOut &out) = 0;
  // Backdoor reads (Verilator public memories): ring word n*2^DepthAw+slot, membrane,
  // readout score (40-bit, sign-extended).
  virtual int32_t peek_ring(uint32_t addr) = 0;
  virtual int32_t peek_v(uint32_t n) = 0;
  virtual int64_t peek_score(uint32_t k) = 0;
  virtual uint64_t cycles() const = 0;
};

#endif
