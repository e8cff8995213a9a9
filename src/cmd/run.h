/* cmd_run.h - the default command, and the options every run shares */
#ifndef MEMWATCH_CMD_RUN_H
#define MEMWATCH_CMD_RUN_H

#include <getopt.h>
#include <regex.h>
#include <stdbool.h>

#include "cli/cli.h"
#include "cli/outputs.h"
#include "report/text.h"
#include "result/result.h"
#include "run/run.h"
#include "run/statusline.h"

/* The options of a measured run, shared by memwatch -- CMD and compare. */
struct run_cli {
	struct run_opts ro;
	struct report_opts rep;
	struct cli_output json, csv, text;
	struct cli_outputs outputs;	/* those, and a command's own */
	struct status_line status;
	const char *name;
	bool quiet;
	regex_t ready_re;
	bool ready_given, ready_timeout_given, checkpoints_given;
	bool stop_tree_given;
};

/* Options of run_cli, for a getopt_long table; ends with a zero entry. */
extern const struct option run_cli_options[];
#define RUN_CLI_SHORTOPTS "i:t:s:k:o:n:q"

void run_cli_init(struct run_cli *rc);
void run_cli_destroy(struct run_cli *rc);

/* Take option c (with arg); false if it is not one of run_cli's. Bad
 * values are usage errors (exit 2). */
bool run_cli_option(struct run_cli *rc, int c, const char *arg);

/* As --ready REGEX would (for defaults chosen by memwatch itself). */
void run_cli_ready(struct run_cli *rc, const char *regex);

/* Check the options against each other, once all are read. */
void run_cli_check(struct run_cli *rc);

/* Open the outputs asked for; decide where the report goes. */
void run_cli_open_outputs(struct run_cli *rc);

/* memwatch [OPTIONS] -- COMMAND [ARG...]; returns the exit status. */
int cmd_run(int argc, char **argv);

/* memwatch's exit status for a finished run (see exitcode.h). */
int cmd_run_exit_status(const struct result_run *run, bool attached);

#endif
