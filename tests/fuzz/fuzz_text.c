/* fuzz_text.c — libFuzzer target: arbitrary text into the event-file and network-description
 * parsers. Any crash or sanitizer report is a bug. */
#include <stdlib.h>
#include <string.h>
#include "sl_events.h"
#include "sl_netdesc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  sl_eventset es;
  sl_err err;
  if (sl_events_parse(text, "fuzz", &es, &err) == SL_OK) sl_events_free(&es);
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_netdesc_parse(text, "fuzz", n, &nm, &err);
  sl_net_free(n);
  free(text);
  return 0;
}
