/* cmd_events.c — `spikeline events`: samples of a feature cache as a graded-event file
 * (.sle, docs/spec.md §8.2), the input the C model and the RTL run on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_cli_recipe.h"
#include "sl_events.h"
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"
#include "sl_fe_quant.h"
#include "sl_image.h"
#include "sl_parse.h"

int sl_cmd_events(int argc, char **argv) {
  if (sl_cli_wants_help(argc, argv)) {
    puts("usage: spikeline events CACHE.slf -o OUT.sle [--split test|train|validation|all] [--max N]\n"
         "                        [--model MODEL.slm | --in-scale X]\n\n"
         "Quantises the features of a cache (spikeline features) into graded input events: a\n"
         "feature f becomes payload round(f / in-scale), at most 255 (default: from the cache's\n"
         "recipe, top_db x scale / 255, as the trainer derives it: 1.584/255 for the default, f in\n"
         "[0, 1.584]); payload 0 (the floor) is no event. One `sample <id> label <k>`\n"
         "block per utterance, id = its index in the cache (`spikeline data CACHE.slf --list`\n"
         "names them). Default split: test.\n\n"
         "  -o FILE        the event file to write (atomically)\n"
         "  --split S      which utterances (validation files are part of train)\n"
         "  --max N        at most N utterances (in cache order)\n"
         "  --model M      quantise with the input scale M was trained with (recorded in the image);\n"
         "                 a cache made with another front-end recipe than M's is refused\n"
         "  --in-scale X   quantise with X");
    return 0;
  }
  const char *in = NULL, *out = NULL, *split = "test", *model = NULL;
  long max = -1;
  float in_scale = 1.584f / 255.0f; /* the trainer's default (docs/trainer.md) */
  int have_scale = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
    else if (!strcmp(argv[i], "--in-scale") && i + 1 < argc) {
      const char *v = argv[++i];
      sl_parse_result r = sl_parse_real(v, &in_scale);
      if (r || !(in_scale > 0 && in_scale <= 1e6f)) {
        sl_cli_error("events", "--in-scale '%s': %s", v, r ? sl_parse_what(r) : "not in (0, 1e6]");
        return 2;
      }
      have_scale = 1;
    }
    else if (!strcmp(argv[i], "--split") && i + 1 < argc) split = argv[++i];
    else if (!strcmp(argv[i], "--max") && i + 1 < argc) {
      char *end;
      max = strtol(argv[++i], &end, 10);
      if (*end || max < 0) {
        sl_cli_error("events", "--max wants a count, not '%s'", argv[i]);
        return 2;
      }
    } else if (argv[i][0] != '-' && !in) in = argv[i];
    else {
      sl_cli_error("events", "unexpected argument '%s' (see --help)", argv[i]);
      return 2;
    }
  }
  uint8_t mask;
  if (!strcmp(split, "test")) mask = SL_FE_TEST;
  else if (!strcmp(split, "train")) mask = SL_FE_TRAIN;
  else if (!strcmp(split, "validation")) mask = SL_FE_VALID;
  else if (!strcmp(split, "all")) mask = 0xff;
  else {
    sl_cli_error("events", "--split is test, train, validation or all, not '%s'", split);
    return 2;
  }
  if (!in || !out) {
    sl_cli_error("events", "need CACHE and -o OUT (see --help)");
    return 2;
  }
  sl_err err;
  if (model && have_scale) {
    sl_cli_error("events", "--model and --in-scale both give the input scale: use one");
    return 2;
  }
  if (model) {
    sl_net *n = sl_net_new();
    sl_image_meta meta;
    if (!n || sl_image_load_meta(model, n, NULL, &meta, &err)) {
      sl_cli_error("events", "%s", n ? err.msg : "out of memory");
      sl_net_free(n);
      return 1;
    }
    sl_net_free(n);
    if (!sl_cli_recipe_fits("events", model, &meta, in)) return 1;
    if (meta.in_scale > 0) in_scale = meta.in_scale;
  }
  sl_fe_cache c;
  if (sl_fe_cache_load(in, &c, &err) != SL_OK) {
    sl_cli_error("events", "%s", err.msg);
    return 1;
  }
  /* neither given: the scale the trainer derives from the cache's recipe (the default scale
   * for the default recipe or a cache that records none) */
  if (!model && !have_scale && c.minor) in_scale = sl_fe_cache_in_scale(&c);
  sl_eventset es;
  int rc = 0;
  long taken = 0;
  const float fmax = 255.0f * in_scale;
  if (sl_events_init(&es, c.n_mels, c.n_frames, &err) != SL_OK) rc = 1;
  for (uint32_t i = 0; rc == 0 && i < c.n && (max < 0 || taken < max); i++) {
    if (!(c.split[i] & mask)) continue;
    if (sl_fe_append_events(&es, (int32_t)i, c.label[i], c.feat + (size_t)i * c.n_frames * c.n_mels,
                            c.n_frames, c.n_mels, fmax, &err) != SL_OK)
      rc = 1;
    taken++;
  }
  if (rc == 0 && sl_events_save(out, &es, &err) != SL_OK) rc = 1;
  if (rc) sl_cli_error("events", "%s", err.msg);
  else
    printf("%s: %ld samples, %u events (%.1f per sample), %u channels x %u steps\n", out, taken, es.n_events,
           taken ? (double)es.n_events / (double)taken : 0.0, es.channels, es.steps);
  sl_events_free(&es);
  sl_fe_cache_free(&c);
  return rc;
}
