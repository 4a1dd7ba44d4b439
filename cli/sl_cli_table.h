/* sl_cli_table.h — the list of subcommands: one SL_CMD_ENTRY(name, summary) per line.
 * A new subcommand adds its line here and its cli/cmd_<name>.c to cli/CMakeLists.txt. */
SL_CMD_ENTRY(run, "run a model image on an event file; write the spike trace (and state)")
SL_CMD_ENTRY(info, "print the header and statistics of a model image")
SL_CMD_ENTRY(rewire, "change single synapse entries of a model image")
SL_CMD_ENTRY(build, "compile a network description (.sln) into a model image")
SL_CMD_ENTRY(gen, "write a random legal network and inputs from a seed (regression cases)")
SL_CMD_ENTRY(regress, "cosimulation regression: golden + random cases, C model vs RTL")
