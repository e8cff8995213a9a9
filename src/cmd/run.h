/* cmd/run.h - the default command: memwatch [OPTION]... -- COMMAND, one measured run */
#ifndef MEMWATCH_CMD_RUN_H
#define MEMWATCH_CMD_RUN_H

#include <stdbool.h>

#include "cli/cli.h"
#include "cli/run_opts.h"
#include "result/result.h"

/* Check the options against each other (run_opts_check), and that at
 * most one output is standard output. */
void run_cli_check(struct run_cli *rc);

/* Open the outputs asked for; decide where the report goes. */
void run_cli_open_outputs(struct run_cli *rc);

/* memwatch [OPTIONS] -- COMMAND [ARG...]; returns memwatch's exit code. */
int cmd_run(int argc, char **argv);

/* memwatch's exit code for a finished run (see exitcode.h). */
int cmd_run_exit_code(const struct result_run *run, bool attached);

#endif
