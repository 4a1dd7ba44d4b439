/* spikeline.c — entry point of the `spikeline` CLI: dispatches to a subcommand. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "sl_cli.h"
#include "sl_parse.h"

#define SL_CMD(n) int sl_cmd_##n(int argc, char **argv);
#include "sl_cli_cmds.h"
#undef SL_CMD

static const sl_cli_cmd commands[] = {
#define SL_CMD_ENTRY(n, s) {#n, s, sl_cmd_##n},
#include "sl_cli_table.h"
#undef SL_CMD_ENTRY
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

int sl_cli_wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
  return 0;
}

void sl_cli_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "spikeline %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

int sl_cli_int(const char *cmd, const char *opt, const char *text, long long lo, long long hi, long long *out) {
  int64_t v;
  sl_parse_result r = sl_parse_int(text, lo, hi, &v);
  if (r != SL_PARSE_OK) {
    sl_cli_error(cmd, "%s '%s': %s (expected an integer in %lld..%lld)", opt, text, sl_parse_what(r), lo, hi);
    return -1;
  }
  *out = (long long)v;
  return 0;
}

static void usage(FILE *f) {
  fprintf(f, "usage: spikeline <command> [options]   (spikeline <command> --help for details)\n\n");
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("spikeline %s\n", SL_VERSION);
    return 0;
  }
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].main(argc - 1, argv + 1);
  fprintf(stderr, "spikeline: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
