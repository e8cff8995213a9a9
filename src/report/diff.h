/* report/diff.h - memwatch diff's output: each metric's change, and the thresholds */
#ifndef MEMWATCH_REPORT_DIFF_H
#define MEMWATCH_REPORT_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/grid.h"
#include "result/result.h"
#include "result/significance.h"

/* A configuration in the base result and the same in the new one. */
struct report_diff_pair {
	const struct result_config *base, *next;
};

/* --max-increase METRIC=PCT. It is exceeded when the change is past PCT
 * and significant; strict, when the change's confidence interval lies
 * wholly past PCT. With too few runs to test, the medians decide. */
struct report_diff_threshold {
	char *metric;
	uint64_t max_bp;	/* basis points */
	bool strict;		/* --strict */
	double *pct;		/* the change per configuration pair */
	struct significance *sig;	/* ... and its significance */
	bool exceeded;		/* in any pair */
};

/* A diff, as its outputs show it. */
struct report_diff {
	const char *base_path, *new_path;	/* as given, for the heading */
	const struct report_diff_pair *pairs;
	size_t n_pairs;
	const struct report_diff_threshold *th;
	size_t n_th;
	bool raw_bytes;		/* --bytes */
	double alpha;		/* the significance level; 0: the default */
	size_t width;		/* the text's terminal, in columns; 0: none */
	struct grid *table;	/* computed once, by report_diff_table */
	/* Set with it: no change could be tested (too few runs a side),
	 * which the heading says once; the runs a side the test needs. */
	bool untested;
	size_t runs_needed;
};

/* The medians of a metric on both sides of a pair; false if either side
 * lacks it. */
bool report_diff_medians(const struct report_diff_pair *p, const char *metric,
			 double *base, double *next);

/* The change in percent; infinite from 0 to more, 0 from 0 to 0. */
double report_diff_pct(double base, double next);

/* Whether a threshold's metric grew past it in pair i. */
bool report_diff_over(const struct report_diff_threshold *t, size_t i);

/* Why: "significant, p=0.008", "not significant, p=0.40", "95% interval
 * +7.1% to +12.0%", "4 runs a side needed to test: the medians decide". */
void report_diff_why(char *buf, size_t len, const struct report_diff_threshold *t, size_t i);

/* Compute d->table: a section per pair of configurations, a row per metric
 * both sides have. Free it with grid_free. */
void report_diff_table(struct report_diff *d);

/* What the heading says of significance: "~: not significant at 0.05",
 * or, when nothing could be tested, "1 run each: no significance test
 * (4 runs a side needed)". After report_diff_table. */
void report_diff_sig_note(char *buf, size_t len, const struct report_diff *d);

/* The diff as text, and as markdown, for a PR comment. On a terminal
 * (width) the text's table comes in blocks of columns that fit it, and
 * its other lines fold between words. */
void report_diff_text(FILE *f, const struct report_diff *d);
void report_diff_markdown(FILE *f, const struct report_diff *d);

#endif
