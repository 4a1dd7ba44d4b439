/* sl_export.h — quantise a trained model onto the integer core (docs/spec.md) and measure
 * deployed accuracy with the bit-accurate C model and the hardware decision rule. */
#ifndef SL_EXPORT_H
#define SL_EXPORT_H

#include "sl_data.h"
#include "sl_net.h"
#include "sl_train.h"
#include "sl_trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Build the integer network: populations hidden<l> (LIF, reset to zero, leak L =
 * round((1 - 1/tau) 4096), threshold = the membrane scale S of the projection into it) and
 * readout (non-spiking, READOUT); every active synapse becomes one entry (int8 weight
 * round(w k), delay round(pos)) of its source's fan-out row. */
sl_status sl_export_net(const sl_model *m, sl_net *net, sl_names *nm, sl_err *err);
/* sl_export_net + sl_image_save_meta (validated, atomic), recording the input scale the model
 * was trained with (cfg.in_scale, spec §8.1 minor 1). */
sl_status sl_export_save(const sl_model *m, const char *path, sl_err *err);
/* The same, also recording the front-end recipe of the training features (spec §8.1 minor 2)
 * unless it is the default (no band limit, top_db 80) or unknown (top_db 0): a model of the
 * default recipe stays a minor-1 image, byte for byte what earlier builds wrote. */
sl_status sl_export_save_recipe(const sl_model *m, const char *path, uint32_t band_limit, float top_db,
                                sl_err *err);

/* Run samples idx[0..n-1] of d through the C model (sl_run_sample) and count decisions equal
 * to the label. OpenMP over samples, one core per thread. Returns accuracy in [0, 1]. */
double sl_deployed_accuracy(const sl_net *net, const sl_dataset *d, const int32_t *idx, int32_t n,
                            sl_run_stats *st, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
