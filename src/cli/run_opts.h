/* cli/run_opts.h - the options every measured run shares: memwatch -- COMMAND and compare */
#ifndef MEMWATCH_RUN_OPTS_H
#define MEMWATCH_RUN_OPTS_H

#include <getopt.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "cli/outputs.h"
#include "report/text.h"
#include "run/run.h"
#include "run/statusline.h"

/* The options of a measured run as given on the command line. */
struct run_cli {
	struct run_opts ro;
	struct report_opts rep;
	struct cli_output json, csv, html, text;
	struct cli_outputs outputs;	/* those, and a command's own */
	struct statusline statusline;
	const char *name;
	bool quiet;
	regex_t ready_re;
	bool ready_given, ready_timeout_given, checkpoints_given;
	bool stop_tree_given;
	bool interval_given;
};

/* The run's options, for a getopt_long table; ends with a zero entry. */
extern const struct option run_opts_long[];
#define RUN_OPTS_SHORT "i:t:s:k:o:n:q"

/* Room for a command's getopt_long table: the run's options and its own. */
#define RUN_OPTS_TABLE_MAX 64

/* Fill table with the run's options, then the n_own of own, then the zero
 * entry; and shortopts ("+:", the run's, then own_short) for getopt_long
 * with opterr = 0. */
void run_opts_table(struct option table[RUN_OPTS_TABLE_MAX],
		    const struct option *own, size_t n_own,
		    char shortopts[RUN_OPTS_TABLE_MAX], const char *own_short);

void run_opts_init(struct run_cli *rc);
void run_opts_destroy(struct run_cli *rc);

/* Take option c (with arg); false if it is not one of the run's. Bad
 * values are usage errors (exit 2). */
bool run_opts_parse(struct run_cli *rc, int c, const char *arg);

/* As --ready REGEX would (for defaults chosen by memwatch itself). */
void run_opts_ready(struct run_cli *rc, const char *regex);

/* What gave the cgroup mode, for its errors: "--cgroup", or
 * "MEMWATCH_CGROUP" when only the environment did. */
const char *run_opts_cgroup_from(void);

/* Check the options against each other, once all are read. */
void run_opts_check(const struct run_cli *rc);

#endif
