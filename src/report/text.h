/* report/text.h - the human report of a run, on a terminal or a file */
#ifndef MEMWATCH_REPORT_TEXT_H
#define MEMWATCH_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "result/result.h"

struct report_opts {
	bool raw_bytes;		/* --bytes: exact byte counts */
	size_t max_proc_rows;	/* per-process table rows before "N more" */
	size_t width;		/* a terminal's columns, to fit the command
				 * line in; 0: no limit */
};

/* The detailed report of one run of one configuration; on a terminal
 * (o->width) fitted to its width. */
void report_text_run(FILE *f, const struct result_config *c,
		     const struct result_run *run, const struct report_opts *o);

#endif
