// sl_cov_dump.cpp — coverage builds only (-DSL_RTL_COVERAGE=ON): sl_top's final block calls
// sl_cov_write() when its model finishes; this writes that model's line/toggle counts to
// $SL_COV_DIR/cov-<pid>-<n>.dat (nothing when SL_COV_DIR is unset), so every harness — the
// C++ and SystemC cosim tops and the driver's sim: backends — is measured without changes.
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include "svdpi.h"
#include "verilated.h"
#include "verilated_cov.h"

extern "C" void sl_cov_write() {
  static int seq = 0;
  const char *dir = std::getenv("SL_COV_DIR");
  if (!dir || !*dir) return;
  // The model's own context (a process may hold several models, each with its own counts).
  const VerilatedScope *scope = static_cast<const VerilatedScope *>(svGetScope());
  VerilatedContext *ctx = scope ? scope->symsp()->_vm_contextp__ : Verilated::threadContextp();
  char path[4096];
  std::snprintf(path, sizeof path, "%s/cov-%ld-%d.dat", dir, (long)getpid(), seq++);
  ctx->coveragep()->write(path);
}
