/* cmd_rewire.c — `spikeline rewire`: rewrite single synapse entries of a model image, each
 * checked like a run-time rewire (spec §4.1); the image is replaced atomically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_image.h"

static void help(void) {
  puts("usage: spikeline rewire MODEL.slm [-o OUT.slm] EDIT...\n"
       "\n"
       "EDIT is SOURCE/SLOT=TARGET,WEIGHT,DELAY to write an entry, or SOURCE/SLOT=- to clear it.\n"
       "SOURCE is in:<c> or <population>:<i>, TARGET is <population>:<i>. Example:\n"
       "  spikeline rewire net.slm in:3/0=hidden:7,-12,4 hidden:2/5=-\n"
       "Every edit is checked (ranges, fan-in); if any fails nothing is written. Without -o the\n"
       "image is replaced in place (atomically).");
}

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

int sl_cmd_rewire(int argc, char **argv) {
  if (sl_cli_wants_help(argc, argv)) {
    help();
    return 0;
  }
  if (argc < 3) {
    sl_cli_error("rewire", "need MODEL and at least one EDIT (see --help)");
    return 2;
  }
  const char *in = argv[1], *out = in;
  int first = 2;
  if (argc >= 4 && (!strcmp(argv[2], "-o") || !strcmp(argv[2], "--output"))) {
    out = argv[3];
    first = 4;
  }
  if (first >= argc) {
    sl_cli_error("rewire", "no EDIT given");
    return 2;
  }
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_err err;
  int rc = 1;
  if (!n) return 1;
  if (sl_image_load(in, n, &nm, &err)) {
    sl_cli_error("rewire", "%s", err.msg);
    goto done;
  }
  for (int i = first; i < argc; i++) {
    uint32_t src, slot, entry;
    char why[160], what[200];
    char *edit = strdup(argv[i]);
    int ok = edit && parse_edit(n, &nm, edit, &src, &slot, &entry, why, sizeof why);
    free(edit);
    if (!ok) {
      sl_cli_error("rewire", "%s: edit %d: %s", in, i - first + 1, why);
      goto done;
    }
    snprintf(what, sizeof what, "%s: edit %d", in, i - first + 1);
    if (sl_net_check_entry(n, src, slot, entry, what, &err)) {
      sl_cli_error("rewire", "%s", err.msg);
      goto done;
    }
    n->syn[src * n->row_cap + slot] = entry;
  }
  if (sl_image_save(out, n, &nm, &err)) {
    sl_cli_error("rewire", "%s", err.msg);
    goto done;
  }
  fprintf(stderr, "rewire: %d edit(s) -> %s\n", argc - first, out);
  rc = 0;
done:
  sl_net_free(n);
  return rc;
}
