/* fuzz_config.c — libFuzzer harness of the trainer's configuration-file parser
 * (sl_train_cfg_read, the body of sl_train_cfg_load). A refusal must name the file; an
 * accepted configuration that passes sl_train_cfg_check must print (sl_train_cfg_print) and
 * read back to the identical configuration. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_train.h"

#define NAME "fuzz.cfg"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0; /* fmemopen needs a buffer */
  FILE *f = fmemopen((void *)data, size, "r");
  if (!f) return 0;
  sl_train_cfg c;
  sl_train_cfg_default(&c);
  sl_err err;
  sl_status st = sl_train_cfg_read(&c, f, NAME, &err);
  fclose(f);
  if (st) {
    if (strncmp(err.msg, NAME ":", strlen(NAME) + 1)) abort();
    return 0;
  }
  if (sl_train_cfg_check(&c, &err)) return 0;
  char *text = NULL;
  size_t len = 0;
  FILE *o = open_memstream(&text, &len);
  if (!o) abort();
  sl_train_cfg_print(o, &c);
  fclose(o);
  f = fmemopen(text, len, "r");
  if (!f) abort();
  sl_train_cfg back;
  sl_train_cfg_default(&back);
  if (sl_train_cfg_read(&back, f, NAME, &err)) abort();
  fclose(f);
  free(text);
  if (memcmp(&c, &back, sizeof c)) abort();
  return 0;
}
