/* fuzz_fsdd.c — libFuzzer target: arbitrary bytes as a file name in an FSDD folder
 * (sl_fe_fsdd_parse_name, "{digit}_{speaker}_{take}.wav|.flac"). The bytes up to the first
 * NUL, at most 300 of them (a directory entry holds up to 255), are the name. Invariants: an
 * accepted name gives digit 0-9 (= label), a speaker of 1-31 letters, digits or '-', a take
 * 0-65535, the name itself in the entry, and printing the fields again gives back the same
 * name, which parses to the same result; a refusal is SL_ERR_PARSE with one non-empty line of
 * printable ASCII. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_fe_fsdd.h"

#define CAP 300

static int printable_line(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) return 0;
  return 1;
}

static int speaker_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n >= SL_FE_SPEAKER_NAME) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-'))
      return 0;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char name[CAP + 1];
  size_t n = size < CAP ? size : CAP;
  memcpy(name, data, n);
  name[n] = '\0';
  sl_fe_hd_entry e;
  char spk[SL_FE_SPEAKER_NAME];
  sl_err err;
  sl_err_clear(&err);
  if (sl_fe_fsdd_parse_name(name, &e, spk, &err) != SL_OK) {
    if (err.code != SL_ERR_PARSE || !printable_line(err.msg)) abort();
    return 0;
  }
  if (e.digit > 9 || e.label != e.digit || !speaker_ok(spk) || strcmp(e.name, name) != 0) abort();
  const size_t len = strlen(name);
  const char *ext = len >= 5 && !strcmp(name + len - 5, ".flac") ? ".flac" : ".wav";
  char again[CAP + 1];
  snprintf(again, sizeof again, "%u_%s_%u%s", (unsigned)e.digit, spk, (unsigned)e.trial, ext);
  if (strcmp(again, name) != 0) abort(); /* one spelling per utterance: no leading zeros, no spare bytes */
  sl_fe_hd_entry e2;
  char spk2[SL_FE_SPEAKER_NAME];
  if (sl_fe_fsdd_parse_name(again, &e2, spk2, &err) != SL_OK || e2.digit != e.digit || e2.trial != e.trial ||
      e2.label != e.label || strcmp(spk2, spk) != 0 || strcmp(e2.name, e.name) != 0)
    abort();
  return 0;
}
