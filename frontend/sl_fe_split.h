/* sl_fe_split.h — opening a recorded-speech corpus of either layout (Heidelberg Digits or
 * FSDD) with the split a user asks for: the corpus's own (HD's lists, FSDD's official takes
 * 0-4 test), named test speakers, or a leave-one-speaker-out fold. */
#ifndef SL_FE_SPLIT_H
#define SL_FE_SPLIT_H

#include <stddef.h>
#include "sl_fe_hd.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  char test_speakers[512]; /* "" or NAME[,NAME...] (FSDD names; HD speaker numbers) */
  int fold;                /* 0: none; K >= 1: the K-th speaker (sorted) is the test set */
} sl_fe_split;

/* The corpus's own split. */
void sl_fe_split_default(sl_fe_split *sp);

/* Re-split an opened corpus by speaker: every file of a test speaker is test, the others
 * train, validation = training files whose name's FNV-1a hash is 0 mod 10 (a validation list
 * is ignored). Speakers are sorted by name (FSDD) or number (HD). note (may be NULL) gets a
 * one-line description of the split ("fold 2 of 4: speaker jackson held out"). Errors: a
 * speaker the corpus does not have (the message lists those it has), a fold out of range,
 * both options at once, no training speaker left. Nothing changes on error. */
sl_status sl_fe_split_apply(sl_fe_hd *c, const sl_fe_split *sp, char *note, size_t note_len,
                            sl_err *err);

/* Open DIR: a Heidelberg Digits directory when DIR/train_filenames.txt exists, else an
 * FSDD folder (sl_fe_fsdd_open); then sl_fe_split_apply. Free with sl_fe_hd_free. */
sl_status sl_fe_corpus_open(const char *dir, const sl_fe_split *sp, sl_fe_hd *c, char *note,
                            size_t note_len, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
