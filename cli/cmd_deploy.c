/* cmd_deploy.c — `spikeline deploy`: load a model image into a core through the host driver
 * (sizes checked against the core, everything read back before the core is enabled). */
#include <stdio.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_dev.h"
#include "sl_image.h"

int sl_cmd_deploy(int argc, char **argv) {
  if (sl_cli_wants_help(argc, argv)) {
    puts("usage: spikeline deploy MODEL.slm --target sim:|sim:sc|uio:/dev/uioN\n\n"
         "Identifies the core (ID, version, capacities), refuses a model it cannot hold, writes\n"
         "the configuration and the synapse table over the bus, reads all of it back and enables\n"
         "the core only when everything matches. A failed load leaves the core disabled.");
    return 0;
  }
  const char *model = NULL, *target = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--target") && i + 1 < argc) target = argv[++i];
    else if (!model) model = argv[i];
    else {
      sl_cli_error("deploy", "unexpected argument '%s' (see --help)", argv[i]);
      return 2;
    }
  }
  if (!model || !target) {
    sl_cli_error("deploy", "need MODEL and --target (see --help)");
    return 2;
  }
  sl_net *n = sl_net_new();
  sl_dev *dev = NULL;
  sl_err err;
  int rc = 1;
  if (!n) return 1;
  if (sl_image_load(model, n, NULL, &err) || sl_dev_open(target, &dev, &err)) {
    sl_cli_error("deploy", "%s", err.msg);
    goto done;
  }
  const sl_dev_info *in = sl_dev_get_info(dev);
  printf("device %s: id 0x%08x version 0x%08x; holds %u inputs, %u neurons, depth %u, rows of %u, %u table words, "
         "%u readouts, %u populations\n",
         target, in->id, in->version, in->max_inputs, in->max_neurons, in->max_depth, in->max_row_cap, in->max_syn,
         in->max_readouts, in->max_pops);
  if (sl_dev_load(dev, n, &err)) {
    sl_cli_error("deploy", "%s", err.msg);
    goto done;
  }
  sl_net_stats st;
  sl_net_compute_stats(n, &st);
  printf("loaded %s: %u inputs, %u neurons, %llu synapses in %u table words, verified by read-back; core enabled\n",
         model, n->n_inputs, n->n_neurons, (unsigned long long)st.valid, sl_net_sources(n) * n->row_cap);
  rc = 0;
done:
  sl_dev_close(dev);
  sl_net_free(n);
  return rc;
}
