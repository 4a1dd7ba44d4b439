/* cmd_rewire.c — `spikeline rewire`: rewrite single synapse entries of a model image, each
 * checked like a run-time rewire (spec §4.1); the image is replaced atomically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_image.h"
#include "sl_rewire.h"

static void help(void) {
  puts("usage: spikeline rewire MODEL.slm [-o OUT.slm] EDIT...\n"
       "\n"
       "EDIT is SOURCE/SLOT=TARGET,WEIGHT,DELAY to write an entry, or SOURCE/SLOT=- to clear it.\n"
       "SOURCE is in:<c> or <population>:<i>, TARGET is <population>:<i>. Example:\n"
       "  spikeline rewire net.slm in:3/0=hidden:7,-12,4 hidden:2/5=-\n"
       "Every edit is checked (ranges, fan-in); if any fails nothing is written. Without -o the\n"
       "image is replaced in place (atomically).");
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
  sl_image_meta meta; /* kept: the rewired model takes the same inputs */
  sl_err err;
  int rc = 1;
  if (!n) return 1;
  if (sl_image_load_meta(in, n, &nm, &meta, &err)) {
    sl_cli_error("rewire", "%s", err.msg);
    goto done;
  }
  for (int i = first; i < argc; i++) {
    uint32_t src, slot, entry;
    char why[160], what[200];
    if (!sl_rewire_parse(n, &nm, argv[i], &src, &slot, &entry, why, sizeof why)) {
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
  if (sl_image_save_meta(out, n, &nm, &meta, &err)) {
    sl_cli_error("rewire", "%s", err.msg);
    goto done;
  }
  fprintf(stderr, "rewire: %d edit(s) -> %s\n", argc - first, out);
  rc = 0;
done:
  sl_net_free(n);
  return rc;
}
