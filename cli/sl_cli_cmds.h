/* sl_cli_cmds.h — declares each subcommand's entry point from the table. */
#define SL_CMD_ENTRY(n, s) SL_CMD(n)
#include "sl_cli_table.h"
#undef SL_CMD_ENTRY
