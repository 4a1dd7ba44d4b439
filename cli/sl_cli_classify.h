/* sl_cli_classify.h — what the two modes of `spikeline classify` share: the spike-by-spike
 * comparison of a device run with the C model, and the audio-file mode (cmd_classify_audio.c). */
#ifndef SL_CLI_CLASSIFY_H
#define SL_CLI_CLASSIFY_H

#include <stddef.h>
#include "sl_dev.h"
#include "sl_events.h"

/* Run sample i of es on the C model c from reset and compare with the device's result r:
 * every spike (step, neuron) and every readout score. 1 if equal (decision in *decision),
 * else 0 and the first difference in why. */
int sl_classify_same_spikes(sl_core *c, const sl_eventset *es, uint32_t i, const sl_dev_result *r,
                            int32_t *decision, char *why, size_t len);

/* `spikeline classify MODEL.slm AUDIO...`: front end (default parameters) -> events quantised
 * with the model's input scale -> C model, and the device too when target is not NULL.
 * Returns the exit code. */
int sl_classify_audio(const char *model, char **files, int n_files, const char *target, int quiet);

#endif
