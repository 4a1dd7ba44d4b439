// sl_cosim_app.h — the command line shared by the C++ and SystemC cosimulation tops: parse
// options, load the model image and events, prepare $readmemh preload images, run the
// lockstep host against a DUT and report. Also writes the Icarus test-bench inputs.
#ifndef SL_COSIM_APP_H
#define SL_COSIM_APP_H

#include <string>
#include <vector>
#include "sl_cosim.h"

struct SlCosimApp {
  std::string model, events, trace_path, fst_path, fst_on_fail = "sl_cosim_fail.fst", preload_dir, emit_tb;
  bool stats = false;
  SlCosimOptions opt;
  std::vector<std::string> plusargs;   // +sl_syn=... for the preload, and the user's own
  sl_core *ref = nullptr;
  sl_eventset es{};
  bool tmp_preload = false;

  ~SlCosimApp();
  // Returns -1 to continue, else an exit code (help, usage error).
  int parse(int argc, char **argv, const char *prog);
  // Load files; write preload images when --load preload. Returns false after printing why.
  bool prepare(const char *prog);
  // One complete run on dut; writes the trace file when asked. Prints the verdict. 0 = pass.
  int run(SlDut &dut, const char *prog, bool write_trace, std::string *fail_msg);
};

// Icarus test-bench inputs (sim/icarus/sl_tb.sv): syn.hex, rowlen.hex, cmds.txt in dir.
bool sl_write_tb_inputs(const std::string &dir, const sl_core *ref, const sl_eventset &es, std::string &err);
// $readmemh images of the synapse table and the row lengths.
bool sl_write_preload(const std::string &dir, const sl_net *n, std::string &err);

#endif
