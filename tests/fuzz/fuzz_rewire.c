/* fuzz_rewire.c — libFuzzer target: arbitrary text as one `spikeline rewire` edit
 * (sl_rewire_parse) against examples/tiny.sln, then the run-time rewire check
 * (sl_net_check_entry). Invariants: an accepted edit names an existing source and slot, an
 * entry that is 0 or a valid synapse within the ranges, and its source's name parses back to
 * the same source. */
#include <stdlib.h>
#include <string.h>
#include "sl_netdesc.h"
#include "sl_rewire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_net *n;
  static sl_names nm;
  sl_err err;
  if (!n) {
    if (!(n = sl_net_new()) || sl_netdesc_load(SL_EXAMPLES "/tiny.sln", n, &nm, &err)) abort();
  }
  char *edit = malloc(size + 1);
  if (!edit) abort();
  memcpy(edit, data, size);
  edit[size] = '\0';
  uint32_t src, slot, entry, back;
  char why[160], name[64];
  if (sl_rewire_parse(n, &nm, edit, &src, &slot, &entry, why, sizeof why)) {
    if (src >= sl_net_sources(n) || slot >= n->row_cap) abort();
    if (entry && (!(entry & SL_SYN_VALID) || sl_syn_target(entry) >= n->n_neurons ||
                  sl_syn_delay(entry) >= n->depth))
      abort();
    sl_net_source_name(n, &nm, src, name, sizeof name);
    if (sl_net_parse_source(n, &nm, name, &back) || back != src) abort();
    sl_net_check_entry(n, src, slot, entry, "fuzz", &err);
  }
  free(edit);
  return 0;
}
