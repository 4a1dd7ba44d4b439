/* sl_fe_hd.h — a Heidelberg Digits directory (the real corpus or ours, same layout):
 * audio/lang-{english|german}_speaker-NN_trial-T_digit-D.flac, train_filenames.txt,
 * test_filenames.txt and, optionally, validation_filenames.txt (a subset of train). */
#ifndef SL_FE_HD_H
#define SL_FE_HD_H

#include <stddef.h>
#include <stdint.h>
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { SL_FE_TRAIN = 1, SL_FE_TEST = 2, SL_FE_VALID = 4 /* with SL_FE_TRAIN */ };

typedef struct {
  char name[64];      /* basename in audio/ */
  uint8_t german;     /* 0 English, 1 German */
  uint8_t digit;      /* 0..9 */
  uint16_t speaker;   /* NN */
  uint16_t trial;     /* T */
  uint16_t label;     /* digit + 10 * german, 0..19 */
  uint8_t split;      /* SL_FE_TRAIN or SL_FE_TEST, | SL_FE_VALID for validation files */
} sl_fe_hd_entry;

enum { SL_FE_LAYOUT_HD = 0, SL_FE_LAYOUT_FSDD = 1 };
#define SL_FE_SPEAKER_NAME 32

typedef struct {
  char dir[1024];
  size_t n;
  sl_fe_hd_entry *e;    /* sorted by name */
  int valid_from_list;  /* 1: validation_filenames.txt was read; 0: carved by rule */
  int layout;           /* SL_FE_LAYOUT_HD, or SL_FE_LAYOUT_FSDD (sl_fe_fsdd.h) */
  char sub[16];         /* the audio folder below dir: "audio" (HD), "recordings" or "" */
  size_t n_speakers;    /* FSDD: speaker names, sorted; an entry's speaker is its index */
  char (*speaker_names)[SL_FE_SPEAKER_NAME];
} sl_fe_hd;

/* Parse a basename; fills language, speaker, trial, digit and label. */
sl_status sl_fe_hd_parse_name(const char *name, sl_fe_hd_entry *e, sl_err *err);

/* Read the lists of dir; every listed file must exist and have a well-formed name, no file
 * may be listed twice. Without validation_filenames.txt, a training file is validation
 * when the FNV-1a hash of its name is 0 mod 10 (about 10 %). Free with sl_fe_hd_free. */
sl_status sl_fe_hd_open(const char *dir, sl_fe_hd *hd, sl_err *err);
void sl_fe_hd_free(sl_fe_hd *hd);

/* "<dir>/<sub>/<name>" ("<dir>/<name>" when sub is empty) into buf; returns buf. */
char *sl_fe_hd_path(const sl_fe_hd *hd, size_t i, char *buf, size_t len);

/* Key of the corpus for the feature cache: hash of every name, split and file size. */
uint64_t sl_fe_hd_key(const sl_fe_hd *hd);

/* FNV-1a 64 (also used by the cache). */
uint64_t sl_fe_fnv1a(uint64_t h, const void *data, size_t len);
#define SL_FE_FNV_INIT 14695981039346656037ull

#ifdef __cplusplus
}
#endif
#endif
