/* report/html.h - the visual report: one self-contained HTML file with charts drawn as inline SVG
 *
 * Nothing is fetched: no script, no font, no image from anywhere; the
 * file reads the same offline and as a CI artifact. */
#ifndef MEMWATCH_REPORT_HTML_H
#define MEMWATCH_REPORT_HTML_H

#include <stdio.h>

#include "report/diff.h"
#include "report/table.h"
#include "report/text.h"
#include "result/result.h"

/* One run: its footprint and rss over time, the phases shaded, the
 * checkpoints and the peak marked; then its checkpoints as a table. */
void html_run(FILE *f, const struct result_config *c, const struct result_run *run,
	      const struct report_opts *o);

/* Configurations side by side: a curve of the footprint per run, on one
 * time axis aligned at ready, each configuration's median run bold; then
 * the table with its significance. */
void html_table(FILE *f, const struct table *t, const struct report_opts *o);

/* A diff: the curves of each pair, base and new; the table of changes;
 * the thresholds' verdicts. */
void html_diff(FILE *f, const struct report_diff *d);

#endif
