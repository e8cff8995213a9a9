/* report/run_markdown.h - one run's report as markdown, for CI step summaries and PR comments */
#ifndef MEMWATCH_REPORT_RUN_MARKDOWN_H
#define MEMWATCH_REPORT_RUN_MARKDOWN_H

#include <stdio.h>

#include "report/text.h"
#include "result/result.h"

/* A heading with the command and how it ended; the tree's peaks and the
 * value at each checkpoint as a table; the processes of highest peak
 * (o->max_proc_rows of them, then how many more). Every text from the
 * run escaped. */
void report_run_markdown(FILE *f, const struct result_config *c, const struct result_run *run,
			 const struct report_opts *o);

#endif
