/* sl_cli_recipe.h — the front-end recipe of a model against that of a feature cache: the
 * commands that feed a cache's features to a model (`eval --features`, `events --model`)
 * refuse features made another way than the model's training features. */
#ifndef SL_CLI_RECIPE_H
#define SL_CLI_RECIPE_H

#include <stddef.h>
#include <stdint.h>
#include "sl_image.h"

/* 1 when two recipes differ (top_db 0 = not recorded, the default 80), with the first field
 * that differs in why, the recipes named a and b ("band limit 4000 Hz in the model, none in
 * the cache"); else 0. */
int sl_cli_recipe_differs(uint32_t band_a, float top_a, const char *a, uint32_t band_b, float top_b, const char *b,
                          char *why, size_t len);

/* 1 when the cache's features fit the model: the model records no recipe (minor < 2), the
 * cache records none (minor 0), or they are the same. Else 0 after a one-line error naming
 * both files and the field (also when the cache's header cannot be read). */
int sl_cli_recipe_fits(const char *cmd, const char *model, const sl_image_meta *meta, const char *cache);

#endif
