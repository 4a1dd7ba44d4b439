/* cmd_info.c — `spikeline info`: header, populations and table statistics of a model image. */
#include <stdio.h>
#include <stdlib.h>
#include "sl_cli.h"
#include "sl_image.h"
#include "sl_train.h"

int sl_cmd_info(int argc, char **argv) {
  if (sl_cli_wants_help(argc, argv)) {
    puts("usage: spikeline info MODEL.slm\n\nValidates the image (every field, CRC, fan-in) and prints its sizes,\n"
         "the input scale and front-end recipe it was trained with (if recorded), populations,\n"
         "synapse count, fill, fan-in, weight range and delay histogram (overall and per target\n"
         "population).");
    return 0;
  }
  if (argc != 2) {
    sl_cli_error("info", "need one MODEL (see --help)");
    return 2;
  }
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_image_meta meta;
  sl_err err;
  if (!n) return 1;
  uint8_t *buf;
  size_t len;
  if (sl_read_file(argv[1], &buf, &len, &err) || sl_image_decode_meta(buf, len, argv[1], n, &nm, &meta, &err)) {
    sl_cli_error("info", "%s", err.msg);
    free(buf);
    sl_net_free(n);
    return 1;
  }
  const unsigned minor = sl_image_version_minor(buf);
  free(buf);
  sl_net_stats st;
  sl_net_compute_stats(n, &st);
  const uint32_t S = sl_net_sources(n);
  printf("%s: spikeline model image v%d.%u, %zu bytes\n", argv[1], SL_IMAGE_VERSION_MAJOR, minor,
         sl_image_size(n));
  printf("  inputs %u, neurons %u, populations %u, depth %u, row capacity %u, readouts %u\n", n->n_inputs,
         n->n_neurons, n->n_pops, n->depth, n->row_cap, st.n_readouts);
  if (meta.in_scale > 0)
    printf("  input scale %.9g (feature value of payload 1; payload 255 = %.6g)\n", (double)meta.in_scale,
           255.0 * meta.in_scale);
  else {
    sl_train_cfg def;
    sl_train_cfg_default(&def);
    printf("  input scale not recorded (tools assume the default %.9g)\n", (double)def.in_scale);
  }
  if (sl_image_meta_has_recipe(&meta)) {
    char band[32] = "none";
    if (meta.band_limit) snprintf(band, sizeof band, "%u Hz", meta.band_limit);
    printf("  front-end recipe of the training features: band limit %s, top_db %g dB%s\n", band,
           (double)(meta.top_db > 0 ? meta.top_db : 80.0f), meta.top_db > 0 ? "" : " (not recorded: the default)");
  } else if (minor >= 2) {
    printf("  front-end recipe not recorded (tools assume the default: no band limit, top_db 80 dB)\n");
  }
  printf("  %-16s %6s %6s %9s %5s %-7s %s\n", "population", "first", "count", "threshold", "leak", "reset", "flags");
  for (uint32_t p = 0; p < n->n_pops; p++) {
    const sl_pop *q = &n->pop[p];
    printf("  %-16s %6u %6u %9d %5u %-7s %s%s  (beta %.4f, %llu synapses in)\n", nm.pop[p], sl_net_pop_first(n, p),
           q->count, q->threshold, q->leak, q->reset ? "sub" : "zero", q->flags & SL_POP_SPIKING ? "spiking " : "",
           q->flags & SL_POP_READOUT ? "readout" : "", q->leak / 4096.0, (unsigned long long)st.per_pop_in[p]);
  }
  printf("  synapses %llu of %u slots (%.1f %%), %llu from inputs; fullest row %u of %u\n",
         (unsigned long long)st.valid, S * n->row_cap, 100.0 * (double)st.valid / ((double)S * n->row_cap),
         (unsigned long long)st.from_inputs, st.rowfill_max, n->row_cap);
  printf("  fan-in min %u max %u; weights %d..%d\n", st.fanin_min, st.fanin_max, st.w_min, st.w_max);
  printf("  delay histogram:");
  for (uint32_t d = 0; d < n->depth; d++)
    if (st.delay_hist[d]) printf(" %u:%u", d, st.delay_hist[d]);
  printf("\n");
  if (n->n_pops > 1) /* learned delays differ by projection: one line per target population */
    for (uint32_t p = 0; p < n->n_pops; p++) {
      if (!st.per_pop_in[p]) continue;
      printf("    into %s:", nm.pop[p]);
      for (uint32_t d = 0; d < n->depth; d++)
        if (st.pop_delay_hist[p][d]) printf(" %u:%u", d, st.pop_delay_hist[p][d]);
      printf("\n");
    }
  sl_net_free(n);
  return 0;
}
