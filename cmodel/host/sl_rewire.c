/* sl_rewire.c — parser of the `spikeline rewire` edit syntax (sl_rewire.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_rewire.h"

static int parse_edit(const sl_net *n, const sl_names *nm, char *s, uint32_t *src, uint32_t *slot, uint32_t *entry,
                      char *why, size_t len) {
  char *slash = strchr(s, '/'), *eq = strchr(s, '=');
  if (!slash || !eq || eq < slash) return snprintf(why, len, "'%s': expected SOURCE/SLOT=...", s), 0;
  *slash = *eq = '\0';
  sl_status st = sl_net_parse_source(n, nm, s, src);
  if (st) return snprintf(why, len, "source '%s' %s", s, st == SL_ERR_RANGE ? "out of range" : "unknown"), 0;
  char *end;
  long k = strtol(slash + 1, &end, 10);
  if (*end || end == slash + 1 || k < 0 || k >= n->row_cap)
    return snprintf(why, len, "slot '%s' not in 0..%u", slash + 1, n->row_cap - 1u), 0;
  *slot = (uint32_t)k;
  char *val = eq + 1;
  if (!strcmp(val, "-")) {
    *entry = 0;
    return 1;
  }
  char *c1 = strchr(val, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
  if (!c1 || !c2) return snprintf(why, len, "'%s': expected TARGET,WEIGHT,DELAY or -", val), 0;
  *c1 = *c2 = '\0';
  uint32_t tgt;
  st = sl_net_parse_neuron(n, nm, val, &tgt);
  if (st) return snprintf(why, len, "target '%s' %s", val, st == SL_ERR_RANGE ? "out of range" : "unknown"), 0;
  long w = strtol(c1 + 1, &end, 10);
  if (*end || end == c1 + 1 || w < -128 || w > 127) return snprintf(why, len, "weight '%s' not in -128..127", c1 + 1), 0;
  long d = strtol(c2 + 1, &end, 10);
  if (*end || end == c2 + 1 || d < 0 || d >= n->depth)
    return snprintf(why, len, "delay '%s' not in 0..%u", c2 + 1, n->depth - 1u), 0;
  *entry = sl_syn_pack((uint16_t)tgt, (int8_t)w, (uint8_t)d);
  return 1;
}

int sl_rewire_parse(const sl_net *n, const sl_names *nm, const char *edit, uint32_t *src, uint32_t *slot,
                    uint32_t *entry, char *why, size_t len) {
  char *s = strdup(edit);
  if (!s) return snprintf(why, len, "out of memory"), 0;
  int ok = parse_edit(n, nm, s, src, slot, entry, why, len);
  free(s);
  return ok;
}
