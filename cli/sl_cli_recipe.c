/* sl_cli_recipe.c — a model's recorded front-end recipe against a feature cache's
 * (docs/decisions.md "The recipe travels with the features"). */
#include <stdio.h>
#include "sl_cli.h"
#include "sl_cli_recipe.h"
#include "sl_fe_cache.h"

static void band_text(uint32_t band, char *out, size_t len) {
  if (band) snprintf(out, len, "%u Hz", band);
  else snprintf(out, len, "none");
}

int sl_cli_recipe_differs(uint32_t band_a, float top_a, const char *a, uint32_t band_b, float top_b, const char *b,
                          char *why, size_t len) {
  const float ta = top_a > 0 ? top_a : 80.0f, tb = top_b > 0 ? top_b : 80.0f;
  if (band_a != band_b) {
    char x[24], y[24];
    band_text(band_a, x, sizeof x);
    band_text(band_b, y, sizeof y);
    snprintf(why, len, "band limit %s in %s, %s in %s", x, a, y, b);
    return 1;
  }
  if (ta != tb) {
    snprintf(why, len, "top_db %g dB in %s, %g dB in %s", (double)ta, a, (double)tb, b);
    return 1;
  }
  return 0;
}

int sl_cli_recipe_fits(const char *cmd, const char *model, const sl_image_meta *meta, const char *cache) {
  /* A trained model (it records its input scale) that records no recipe was trained on the
   * default floor: the exporter records every other top_db, and builds without a recorded
   * recipe had no --top-db. Its band limit is unknown (older builds did not record it). */
  const int trained_default = !sl_image_meta_has_recipe(meta) && meta->in_scale > 0;
  if (!sl_image_meta_has_recipe(meta) && !trained_default) return 1;
  sl_fe_cache c;
  sl_err err;
  if (sl_fe_cache_head(cache, &c, &err)) {
    sl_cli_error(cmd, "%s", err.msg);
    return 0;
  }
  char why[160];
  if (trained_default) {
    if (c.minor && c.top_db != 80.0f) {
      sl_cli_error(cmd, "%s and %s: different front-end recipes: top_db %g dB in the cache, 80 dB (the default, "
                   "recorded as none) in the model; re-run `spikeline features` without --top-db", model, cache,
                   (double)c.top_db);
      return 0;
    }
    return 1;
  }
  if (c.minor &&
      sl_cli_recipe_differs(meta->band_limit, meta->top_db, "the model", c.band_limit, c.top_db, "the cache", why,
                            sizeof why)) {
    sl_cli_error(cmd, "%s and %s: different front-end recipes: %s; re-run `spikeline features` with the model's "
                 "(spikeline info %s)", model, cache, why, model);
    return 0;
  }
  return 1;
}
