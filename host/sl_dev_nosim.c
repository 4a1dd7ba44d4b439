/* sl_dev_nosim.c — the sim: backend of a build without RTL simulation (SL_RTL=OFF): the URI
 * is recognised and refused with a message that says how to get it. */
#include "sl_dev_backend.h"

sl_status sl_dev_sim_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err) {
  (void)ops;
  (void)ctx;
  return sl_err_set(err, SL_ERR_DEVICE, "sim:%s: this build has no RTL simulation (configure with -DSL_RTL=ON)", args);
}
