/* cli/outputs.h - the files a command writes, as one set: checked, opened and closed together */
#ifndef MEMWATCH_CLI_OUTPUTS_H
#define MEMWATCH_CLI_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* An output the user asked for: a path, or "-" for standard output. */
struct cli_output {
	const char *opt;	/* "--json", for messages */
	const char *path;	/* NULL: not requested */
	FILE *f;
	int err;		/* the first write error, for the message */
	bool created;		/* memwatch created the file: it may remove it */
};

#define CLI_OUTPUTS_MAX 8

/* A command's outputs, in the order it opens and closes them, and in the
 * order its messages name them. One of them may be the report, the text for
 * people, which goes to standard output unless it is given a path, the
 * command is quiet, or another output already goes there. */
struct cli_outputs {
	struct cli_output *out[CLI_OUTPUTS_MAX];
	struct cli_output *named[CLI_OUTPUTS_MAX];
	size_t n;
	struct cli_output *report;
};

/* Add o (which must outlive the set) at the end of the set; as the report
 * with cli_outputs_add_report. cli_outputs_add_named_before adds it at the
 * end too, but names it before next (in the set) in messages. */
void cli_outputs_add(struct cli_outputs *s, struct cli_output *o);
void cli_outputs_add_report(struct cli_outputs *s, struct cli_output *o);
void cli_outputs_add_named_before(struct cli_outputs *s, struct cli_output *o,
				  const struct cli_output *next);

/* A usage error if more than one output is "-": "only one of --json, --csv
 * and --output can be - (standard output)". */
void cli_outputs_check(const struct cli_outputs *s);

/* Open every output asked for, now, before anything runs, so that a bad
 * path fails fast (a usage error); then send the report to standard
 * output if nothing else decided where it goes. */
void cli_outputs_open(struct cli_outputs *s, bool quiet);

/* Close every output, then standard output, checking that everything
 * written got there: each one that failed says so once. False if any
 * failed. */
bool cli_outputs_close(struct cli_outputs *s);

/* A write to the output failed with err: said once, when it is closed. */
void cli_output_failed(struct cli_output *o, int err);

/* Close and remove a file output that has nothing to hold (the command
 * could not be started): no empty or header-only file is left behind. */
void cli_output_discard(struct cli_output *o);

#endif
