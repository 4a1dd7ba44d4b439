/* sl_cli.h — the subcommands of the `spikeline` binary. Each lives in its own file
 * (cli/cmd_<name>.c) and is listed once in the table in cli/spikeline.c. */
#ifndef SL_CLI_H
#define SL_CLI_H

typedef struct {
  const char *name;
  const char *summary;                 /* one line for `spikeline --help` */
  int (*main)(int argc, char **argv);  /* argv[0] is the subcommand name; returns exit code */
} sl_cli_cmd;

/* Shared helpers. */
int sl_cli_wants_help(int argc, char **argv);     /* -h / --help anywhere */
void sl_cli_error(const char *cmd, const char *fmt, ...); /* "spikeline <cmd>: ...\n" on stderr */
/* An integer option in lo..hi (whole text, checked before narrowing); 0, or -1 after a
 * one-line error naming the command and the option. */
int sl_cli_int(const char *cmd, const char *opt, const char *text, long long lo, long long hi, long long *out);

#endif
