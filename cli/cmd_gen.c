/* cmd_gen.c — `spikeline gen`: write one random legal case (model image + event file) from a
 * seed, exactly the case `spikeline regress` runs for that seed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_gen.h"
#include "sl_image.h"

int sl_cmd_gen(int argc, char **argv) {
  static const struct option opts[] = {{"seed", required_argument, 0, 's'}, {"profile", required_argument, 0, 'p'},
                                       {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  unsigned long long seed = 1;
  sl_gen_profile prof = SL_GEN_RANDOM;
  int o;
  optind = 1;
  while ((o = getopt_long(argc, argv, "s:p:h", opts, NULL)) != -1) {
    switch (o) {
      case 's': {
        long long v;
        if (sl_cli_int("gen", "--seed", optarg, 0, 1LL << 53, &v)) return 2;
        seed = (unsigned long long)v;
        break;
      }
      case 'p':
        if (!strcmp(optarg, "random")) prof = SL_GEN_RANDOM;
        else if (!strcmp(optarg, "seednet")) prof = SL_GEN_SEEDNET;
        else { sl_cli_error("gen", "--profile takes random or seednet, not '%s'", optarg); return 2; }
        break;
      case 'h':
        puts("usage: spikeline gen [--seed S] [--profile random|seednet] MODEL.slm EVENTS.sle\n\n"
             "Writes the random legal network and inputs of one seed (the case `spikeline regress`\n"
             "runs for that seed), sized for the default RTL core. The seed also decides the kind\n"
             "of case: plain (76 %), saturate (12 %: ring slots and membranes driven past both\n"
             "24-bit bounds, populations P, M, X) or dense (12 %: populations d0.., most neurons\n"
             "spiking every step).");
        return 0;
      default: return 2;
    }
  }
  if (argc - optind != 2) {
    sl_cli_error("gen", "need MODEL and EVENTS (see --help)");
    return 2;
  }
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_eventset es = {0};
  sl_err err;
  int rc = 1;
  sl_gen_limits lim = sl_gen_limits_default();
  memset(&nm, 0, sizeof nm);
  if (!n) return 1;
  if (sl_gen_case(seed, prof, &lim, n, &nm, &es, &err) || sl_image_save(argv[optind], n, &nm, &err) ||
      sl_events_save(argv[optind + 1], &es, &err))
    sl_cli_error("gen", "%s", err.msg);
  else
    rc = 0;
  sl_events_free(&es);
  sl_net_free(n);
  return rc;
}
