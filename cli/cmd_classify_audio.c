/* cmd_classify_audio.c — `spikeline classify MODEL.slm FILE.wav|FILE.flac ...`: a model tried
 * on recordings, the way a user tries it on their own voice. Each file goes through the front
 * end (default parameters, but the band limit and top_db of the model's training features
 * when it records them, spec §8.1 minor 2), its features are quantised with the input scale
 * the model was trained with (minor 1) and run on the bit-accurate C model; per file the decision
 * and every class's score (summed readout membrane, the hardware rule). With a target the
 * device runs the same events and must agree spike for spike, as for event files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_cli_classify.h"
#include "sl_fe.h"
#include "sl_fe_quant.h"
#include "sl_image.h"
#include "sl_trace.h"
#include "sl_train.h"

/* Every file's features as one event set (sample i = file i, unlabelled). All files are read
 * before anything runs: a bad one stops the command with nothing printed for the others. */
static int files_to_events(char **files, int n_files, float in_scale, const sl_image_meta *meta,
                           sl_eventset *es) {
  sl_fe_params p;
  sl_fe_params_default(&p);
  p.band_limit = (int32_t)meta->band_limit; /* the loader checked its range */
  if (meta->top_db > 0) p.top_db = meta->top_db;
  sl_err err;
  sl_fe *fe = sl_fe_open(&p, &err);
  if (!fe) {
    sl_cli_error("classify", "front end: %s", err.msg);
    return 0;
  }
  float *feat = malloc(sizeof(float) * (size_t)p.n_frames * (size_t)p.n_mels);
  int ok = feat && sl_events_init(es, (uint32_t)p.n_mels, (uint32_t)p.n_frames, &err) == SL_OK;
  if (!ok) sl_cli_error("classify", "%s", feat ? err.msg : "out of memory");
  for (int i = 0; ok && i < n_files; i++) {
    if (sl_fe_file_features(fe, files[i], feat, NULL, &err) ||
        sl_fe_append_events(es, i, -1, feat, p.n_frames, p.n_mels, 255.0f * in_scale, &err)) {
      sl_cli_error("classify", "%s", err.msg);
      ok = 0;
    }
  }
  free(feat);
  sl_fe_close(fe);
  return ok;
}

int sl_classify_audio(const char *model, char **files, int n_files, const char *target, int quiet) {
  sl_core *c = sl_core_new();
  sl_image_meta meta;
  sl_eventset es = {0};
  sl_dev *dev = NULL;
  sl_dev_result r = {0};
  sl_err err;
  int rc = 1;
  if (!c) return 1;
  if (sl_image_load_meta(model, &c->net, NULL, &meta, &err)) {
    sl_cli_error("classify", "%s", err.msg);
    goto done;
  }
  sl_core_configure(c);
  const uint32_t R = c->n_readouts;
  if (R == 0) {
    sl_cli_error("classify", "%s: the model has no readout population", model);
    goto done;
  }
  sl_train_cfg def;
  sl_train_cfg_default(&def);
  const float in_scale = meta.in_scale > 0 ? meta.in_scale : def.in_scale;
  if (!files_to_events(files, n_files, in_scale, &meta, &es)) goto done;
  if (es.channels > c->net.n_inputs) {
    sl_cli_error("classify", "%s: %u inputs, but the front end gives %u bands", model, c->net.n_inputs, es.channels);
    goto done;
  }
  if (target && (sl_dev_open(target, &dev, &err) || sl_dev_load(dev, &c->net, &err))) {
    sl_cli_error("classify", "%s", err.msg);
    goto done;
  }
  char recipe[120] = ""; /* said only when the model records one (minor 2) */
  if (sl_image_meta_has_recipe(&meta)) {
    char band[32] = "none";
    if (meta.band_limit) snprintf(band, sizeof band, "%u Hz", meta.band_limit);
    snprintf(recipe, sizeof recipe, ", band limit %s, top_db %g dB (recorded in the model)", band,
             (double)(meta.top_db > 0 ? meta.top_db : 80.0f));
  }
  if (!quiet)
    printf("%s: %u classes; front end %u bands x %u frames%s; input scale %.9g (%s)%s%s\n", model, R, es.channels,
           es.steps, recipe, (double)in_scale,
           meta.in_scale > 0 ? "recorded in the model" : "the default: the model records none",
           target ? "; also on " : "", target ? target : "");
  for (int i = 0; i < n_files; i++) {
    int32_t decision = sl_run_sample(c, &es, (uint32_t)i, NULL, NULL, NULL);
    if (dev) {
      char why[200];
      int32_t dref = -1;
      if (sl_dev_run_sample(dev, &es, (uint32_t)i, &r, &err)) {
        sl_cli_error("classify", "%s", err.msg);
        goto done;
      }
      const int same = sl_classify_same_spikes(c, &es, (uint32_t)i, &r, &dref, why, sizeof why);
      if (!same || dref != r.decision) {
        if (same) snprintf(why, sizeof why, "decision device %d, C model %d", r.decision, dref);
        sl_cli_error("classify", "%s: device and C model differ: %s", files[i], why);
        goto done;
      }
      decision = dref;
    }
    printf("%s: class %d; scores", files[i], decision);
    for (uint32_t q = 0; q < R; q++) printf(" %u:%lld", q, (long long)c->score[q]);
    printf("\n");
  }
  if (dev && !quiet)
    printf("every spike and decision on %s equal to the C model's (%d file%s)\n", target, n_files,
           n_files == 1 ? "" : "s");
  rc = 0;
done:
  sl_dev_result_free(&r);
  sl_dev_close(dev);
  sl_events_free(&es);
  sl_core_free(c);
  return rc;
}
