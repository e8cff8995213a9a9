/* report/table.h - configurations side by side: the comparison table */
#ifndef MEMWATCH_REPORT_TABLE_H
#define MEMWATCH_REPORT_TABLE_H

#include <stdio.h>

#include "report/grid.h"
#include "report/text.h"
#include "result/metrics.h"
#include "result/result.h"

/* One column: a configuration, where it ran, and where it was read from. */
struct table_column {
	const struct result_config *config;
	const struct result_host *host;
	char *title;		/* unique among the columns; owned */
	const char *source;	/* the result file, or NULL */
};

struct table {
	struct table_column *cols;
	size_t n;
	size_t baseline;	/* the column changes are relative to */
	const char *what;	/* "3 runs each" and such, for the heading */
	const char *command;	/* the subcommand, for the heading; NULL:
				 * compare */
	double alpha;		/* the significance level; 0: the default */
};

/* One row per metric, one column per configuration: median, spread, and
 * the change against the baseline with its significance. */
void report_table_text(FILE *f, const struct table *t, const struct report_opts *o);

/* The same as a GitHub-flavoured markdown table (for PR comments and CI
 * step summaries); every cell escaped. */
void report_table_markdown(FILE *f, const struct table *t, const struct report_opts *o);

/* The same as CSV: metric,config,median,min,max,stddev,runs,unit,change_pct,
 * and the change's significance: p_value,verdict,ci_low_pct,ci_high_pct. */
void report_table_csv(FILE *f, const struct table *t);

/* Give each column a unique title: the configuration's name, with its
 * source file's name added where two names clash. */
void report_table_titles(struct table *t);

void report_table_free(struct table *t);

/* The table as a grid, for other layouts (HTML). Free with grid_free. */
struct grid *report_table_grid(const struct table *t, bool raw);

/* Whether no change of the table could be tested: its configurations have
 * too few runs a side for the U test (values with no spread need none).
 * *runs_needed: how many a side it needs. The heading then says so once
 * and the cells show the bare change. */
bool report_table_untested(const struct table *t, size_t *runs_needed);

/* That, said once for a whole table: "1 run each: no significance test
 * (4 runs a side needed)", from the runs of the n configurations cfgs. */
void report_table_untested_note(char *buf, size_t len, const struct result_config *const *cfgs,
				size_t n, size_t runs_needed);

/* What the heading says of significance: "~: not significant at 0.05
 * (Mann-Whitney U)", or the note above when nothing was tested. */
void report_table_sig_note(char *buf, size_t len, const struct table *t);

/* "812.4 MiB ±0.4%": the median, and the spread as the sample standard
 * deviation relative to it when there are two runs or more. */
void report_table_cell(char *buf, size_t len, const char *metric,
		       const struct metric_stats *st, bool raw);

#endif
