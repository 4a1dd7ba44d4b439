/* sl_fe_fsdd.h — a Free Spoken Digit Dataset folder: {digit}_{speaker}_{take}.wav|.flac
 * files in DIR or in DIR/recordings/ (the upstream repository's layout). Loaded into the
 * Heidelberg Digits loader's structure (sl_fe_hd.h) so the rest of the front end treats
 * both alike: label = digit (the English digit classes 0-9 of HD), speaker = index of the
 * speaker's name in the sorted list of names found, trial = take. */
#ifndef SL_FE_FSDD_H
#define SL_FE_FSDD_H

#include "sl_fe_hd.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parse a basename "{digit}_{speaker}_{take}.wav|.flac" (digit 0-9; speaker 1-31 letters,
 * digits or '-'; take 0-65535 without leading zeros). Fills e (name, digit, trial, label;
 * speaker 0) and the speaker's name. The error names the file and what is wrong, in one
 * line of printable ASCII (other bytes of the name and '\' shown as \xNN). */
sl_status sl_fe_fsdd_parse_name(const char *name, sl_fe_hd_entry *e,
                                char speaker[SL_FE_SPEAKER_NAME], sl_err *err);

/* Read DIR (or DIR/recordings/ when DIR itself holds no .wav/.flac file). Files whose name
 * starts with '.' and files of other types are ignored; every .wav/.flac file must have a
 * well-formed name and no utterance may come twice (.wav and .flac). Split: FSDD's official
 * one (takes 0-4 test, the rest train), validation = training files whose name's FNV-1a
 * hash is 0 mod 10 (as for HD without a validation list). Free with sl_fe_hd_free. */
sl_status sl_fe_fsdd_open(const char *dir, sl_fe_hd *hd, sl_err *err);

/* 1 when the official split puts this take into the test set (takes 0-4). */
int sl_fe_fsdd_official_test(unsigned take);

#ifdef __cplusplus
}
#endif
#endif
