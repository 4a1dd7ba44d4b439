/* cmd_build.c — `spikeline build`: compile a network description (.sln) into a model image. */
#include <stdio.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_image.h"
#include "sl_netdesc.h"

int sl_cmd_build(int argc, char **argv) {
  if (sl_cli_wants_help(argc, argv)) {
    puts("usage: spikeline build NET.sln -o MODEL.slm\n\nCompiles a network description (docs/spec.md section 9) into a\n"
         "validated model image, written atomically. See examples/*.sln.");
    return 0;
  }
  if (argc != 4 || (strcmp(argv[2], "-o") && strcmp(argv[2], "--output"))) {
    sl_cli_error("build", "usage: spikeline build NET.sln -o MODEL.slm");
    return 2;
  }
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_err err;
  int rc = 1;
  if (!n) return 1;
  if (sl_netdesc_load(argv[1], n, &nm, &err) || sl_image_save(argv[3], n, &nm, &err))
    sl_cli_error("build", "%s", err.msg);
  else {
    sl_net_stats st;
    sl_net_compute_stats(n, &st);
    fprintf(stderr, "build: %s: %u inputs, %u neurons, %llu synapses -> %s (%zu bytes)\n", argv[1], n->n_inputs,
            n->n_neurons, (unsigned long long)st.valid, argv[3], sl_image_size(n));
    rc = 0;
  }
  sl_net_free(n);
  return rc;
}
