/* sl_data.h — the trainer's input: samples of graded input events as the hardware receives
 * them (payload 1..255 per channel and step, 0 = no event), labels and a split.
 * feature value = payload * in_scale; the trainer computes on exactly these values. */
#ifndef SL_DATA_H
#define SL_DATA_H

#include <stdint.h>
#include "sl_events.h"
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { SL_SPLIT_TRAIN = 0, SL_SPLIT_VAL = 1, SL_SPLIT_TEST = 2, SL_SPLIT_ALL = 3 /* selector only */ };
#define SL_DATA_SPEAKER_LEN 40

typedef struct {
  int32_t n, cap, steps, channels, n_classes;
  uint8_t *pay;     /* [n][steps][channels] */
  int32_t *label;   /* [n] */
  uint8_t *split;   /* [n] SL_SPLIT_* */
  int16_t *speaker; /* [n] speaker id of a corpus sample, -1 = unknown */
  char (*speaker_name)[SL_DATA_SPEAKER_LEN]; /* [n_speakers] name of each id (caches), or NULL */
  int32_t n_speakers;
} sl_dataset;

/* The speaker of a corpus file, from its name: "NN" of an HD-layout name
 * (lang-english_speaker-NN_trial-T_digit-D.flac, leading zeros dropped), NAME of an FSDD-style
 * {digit}_{NAME}_{take}.wav. Returns 0 (out empty) for any other name. */
int sl_speaker_from_name(const char *file, char *out, size_t len);

/* Name the speakers of samples first..first+n-1: each gets the id of its name (from the file
 * name; "#<fallback id>" when the name says nothing), ids numbered in name order (numbers
 * numerically, before other names). Replaces any earlier table. */
sl_status sl_data_name_speakers(sl_dataset *d, int32_t first, int32_t n, const char (*names)[64],
                                const uint16_t *fallback, sl_err *err);

sl_status sl_data_init(sl_dataset *d, int32_t steps, int32_t channels, sl_err *err);
void sl_data_free(sl_dataset *d);
/* Append one sample; returns a pointer to its zeroed [steps][channels] payloads. */
uint8_t *sl_data_add(sl_dataset *d, int32_t label, int split, sl_err *err);

/* Class-dependent spatio-temporal patterns (docs/trainer.md): every class is a sequence of
 * three bursts over channels; classes 2k and 2k+1 use the same bursts in opposite orders,
 * so time (delays) is needed to tell them apart. Splits ~70/15/15 by a hash of the index. */
sl_status sl_data_synth(sl_dataset *d, int32_t per_class, int32_t classes, int32_t channels, int32_t steps,
                        float in_scale, uint64_t seed, sl_err *err);

/* Append every sample of an event file (labels required) to the given split. */
sl_status sl_data_add_events(sl_dataset *d, const char *path, int split, sl_err *err);

/* Every sample of a front-end feature cache (.slf), quantised with fmax (payload 1 =
 * fmax / 255): train, validation (a part of train in the corpus) and test splits. Only when
 * the front end is built (SL_HAVE_FRONTEND). */
sl_status sl_data_from_cache(sl_dataset *d, const char *path, float fmax, sl_err *err);
/* Append every sample of a further feature cache to one split, whatever its own splits say
 * (e.g. a synthetic corpus as extra training data beside real recordings). Its frames and
 * bands must match d's; its samples get speaker -1 (not one of the primary data's). */
sl_status sl_data_add_cache(sl_dataset *d, const char *path, float fmax, int split, sl_err *err);

/* Indices of one split (malloc'd); SL_SPLIT_ALL: every sample. */
int32_t *sl_data_split(const sl_dataset *d, int split, int32_t *n);

/* Write the samples of one split as an event file (docs/spec.md §8.2). */
sl_status sl_data_save_events(const sl_dataset *d, int split, const char *path, sl_err *err);
/* The same samples as an in-memory event set (for the C model). */
sl_status sl_data_to_events(const sl_dataset *d, const int32_t *idx, int32_t n, sl_eventset *es, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
