/* report/diff.c - memwatch diff's output: each metric's change, and the thresholds */
#include "config.h"

#include "report/diff.h"

#include <math.h>
#include <stdlib.h>

#include "report/fit.h"
#include "report/grid_markdown.h"
#include "report/grid_text.h"
#include "report/table.h"
#include "result/metrics.h"
#include "util/fmt.h"

bool report_diff_medians(const struct report_diff_pair *p, const char *metric,
			 double *base, double *next)
{
	struct metric_stats sb, sn;

	if (!metric_stats(p->base, metric, &sb) || !metric_stats(p->next, metric, &sn))
		return false;
	*base = sb.median;
	*next = sn.median;
	return true;
}

double report_diff_pct(double base, double next)
{
	if (base == 0)
		return next == 0 ? 0 : INFINITY;
	return 100 * (next - base) / fabs(base);
}

bool report_diff_over(const struct report_diff_threshold *t, size_t i)
{
	const struct significance *s = &t->sig[i];
	bool past = t->pct[i] * 100 > (double)t->max_bp;
	double lo, hi;

	/* Too few runs for any verdict: a gate that could never trip would
	 * hide a regression, so the medians decide as they would alone. */
	if (s->verdict == SIG_TOO_FEW)
		return past;
	if (t->strict && significance_ci_pct(s, &lo, &hi))
		return lo * 100 > (double)t->max_bp;
	return past && significance_changed(s);
}

void report_diff_why(char *buf, size_t len, const struct report_diff_threshold *t, size_t i)
{
	const struct significance *s = &t->sig[i];
	char p[16];
	double lo, hi;

	significance_format_p(p, sizeof(p), s->p);
	if (s->verdict == SIG_TOO_FEW)
		snprintf(buf, len, "%zu runs a side needed to test: the medians decide",
			 s->runs_needed);
	else if (s->verdict == SIG_EXACT_SAME || s->verdict == SIG_EXACT_CHANGED)
		snprintf(buf, len, "exact: no spread on either side");
	else if (t->strict && significance_ci_pct(s, &lo, &hi))
		snprintf(buf, len, "%g%% interval %+.1f%% to %+.1f%%", 100 * (1 - s->alpha), lo, hi);
	else
		snprintf(buf, len, "%ssignificant, p%s%s", significance_changed(s) ? "" : "not ",
			 s->p < 0.001 ? "" : "=", p);
}

static void fmt_pct(char *buf, size_t len, double pct)
{
	char tmp[FMT_BUF];

	if (isinf(pct))
		snprintf(buf, len, "new");
	else
		snprintf(buf, len, "%s", fmt_pct_change(tmp, pct));
}

/* The diff's columns; each configuration is a section of rows. The text
 * keeps printf's widths, in bytes, and cuts a title at 36 of them. */
enum {
	COL_TITLE,
	COL_BASE,
	COL_NEW,
	COL_CHANGE,
	COL_PCT,
};

#define DIFF_COL(name, text_name, w) \
	{ .head = name, .text_head = text_name, .align = GRID_RIGHT, \
	  .formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .sep = " ", .width = w, \
	  .pad_bytes = true }

/* A side's median and spread: as wide as the widest, in characters. */
#define DIFF_SPREAD_COL(name, text_name) \
	{ .head = name, .text_head = text_name, .align = GRID_RIGHT, \
	  .formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .sep = " ", .width = 12, \
	  .fit = true }

static const struct grid_col diff_cols[] = {
	[COL_TITLE] = { .head = "Metric", .text_head = "METRIC",
			.formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .escape = true,
			.width = 36, .max_bytes = 36, .pad_bytes = true },
	[COL_BASE] = DIFF_SPREAD_COL("Base", "BASE"),
	[COL_NEW] = DIFF_SPREAD_COL("New", "NEW"),
	[COL_CHANGE] = DIFF_COL("Change", "CHANGE", 12),
	[COL_PCT] = { .head = "Change (%)", .text_head = "", .align = GRID_RIGHT,
		      .formats = GRID_TEXT | GRID_CSV, .md_before = " (", .md_after = ")",
		      .sep = " ", .width = 8, .fit = true },
};

/* The row for a metric of a pair, unless either side lacks it: each
 * side's median and spread, the change and its significance. */
static void diff_row(struct grid *g, const struct report_diff_pair *p, const char *metric,
		     bool raw, double alpha)
{
	struct metric_stats sb, sn;
	struct significance sig;
	char *title, buf[96];
	double b, n;

	if (!metric_stats(p->base, metric, &sb) || !metric_stats(p->next, metric, &sn))
		return;
	b = sb.median;
	n = sn.median;
	significance_of(p->base, p->next, metric, alpha, &sig);
	grid_add_row(g);
	title = metric_title(metric);
	grid_set(g, COL_TITLE, 0, title);
	free(title);
	report_table_cell(buf, sizeof(buf), metric, &sb, raw);
	grid_set(g, COL_BASE, 0, buf);
	report_table_cell(buf, sizeof(buf), metric, &sn, raw);
	grid_set(g, COL_NEW, 0, buf);
	metric_format_delta(buf, sizeof(buf), metric, n - b, raw);
	grid_set(g, COL_CHANGE, 0, buf);
	significance_format(buf, sizeof(buf), &sig, report_diff_pct(b, n));
	grid_set(g, COL_PCT, 0, buf);
}

void report_diff_table(struct report_diff *d)
{
	struct grid *g = grid_new(diff_cols, sizeof(diff_cols) / sizeof(diff_cols[0]));
	size_t i, j;

	g->indent = "  ";
	g->section_head = "Configuration";
	g->text_width = d->width;
	for (i = 0; i < d->n_pairs; i++) {
		const struct result_config *cs[2] = { d->pairs[i].base, d->pairs[i].next };
		char **rows = metric_table_rows(cs, 2);

		grid_add_section(g, d->pairs[i].next->name);
		for (j = 0; rows[j]; j++)
			diff_row(g, &d->pairs[i], rows[j], d->raw_bytes, d->alpha);
		metric_names_free(rows);
	}
	d->table = g;
}

static void write_diff(FILE *f, const struct report_diff *d);

void report_diff_text(FILE *f, const struct report_diff *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (!d->width || !(mem = open_memstream(&buf, &len))) {
		write_diff(f, d);
		return;
	}
	write_diff(mem, d);
	fclose(mem);
	fit_text(f, buf, d->width);
	free(buf);
}

static void write_diff(FILE *f, const struct report_diff *d)
{
	size_t i, j;

	fprintf(f, "memwatch diff: %s -> %s (medians ±stddev over each side's runs; "
		"~: not significant at %g)\n", d->base_path, d->new_path,
		d->alpha > 0 ? d->alpha : SIGNIFICANCE_ALPHA);
	grid_text(f, d->table);
	if (!d->n_th)
		return;
	fputs("\n  thresholds:\n", f);
	for (j = 0; j < d->n_th; j++)
		for (i = 0; i < d->n_pairs; i++) {
			char p[32], why[96], *name = fmt_escape(d->pairs[i].next->name, ESCAPE_TEXT);
			char *m = fmt_escape(d->th[j].metric, ESCAPE_TEXT);

			fmt_pct(p, sizeof(p), d->th[j].pct[i]);
			report_diff_why(why, sizeof(why), &d->th[j], i);
			fprintf(f, "  %-8s %s %s: %s (at most +%g%%%s); %s\n",
				report_diff_over(&d->th[j], i) ? "EXCEEDED" : "ok",
				name, m, p, (double)d->th[j].max_bp / 100,
				d->th[j].strict ? ", strict" : "", why);
			free(name);
			free(m);
		}
}

/* The thresholds' columns, in markdown. */
enum {
	TH_THRESHOLD,
	TH_CONFIG,
	TH_CHANGE,
	TH_RESULT,
	TH_WHY,
};

static const struct grid_col threshold_cols[] = {
	[TH_THRESHOLD] = { .head = "Threshold", .formats = GRID_MARKDOWN | GRID_CSV,
			   .escape = true },
	[TH_CONFIG] = { .head = "Configuration", .formats = GRID_MARKDOWN | GRID_CSV,
			.escape = true },
	[TH_CHANGE] = { .head = "Change", .align = GRID_RIGHT,
			.formats = GRID_MARKDOWN | GRID_CSV },
	[TH_RESULT] = { .head = "Result", .formats = GRID_MARKDOWN | GRID_CSV },
	[TH_WHY] = { .head = "Why", .formats = GRID_MARKDOWN | GRID_CSV },
};

/* Each threshold in each configuration, and whether it held. */
static void thresholds_markdown(FILE *f, const struct report_diff *d)
{
	struct grid *g = grid_new(threshold_cols,
				  sizeof(threshold_cols) / sizeof(threshold_cols[0]));
	size_t i, j;
	char p[32], why[96];

	for (j = 0; j < d->n_th; j++)
		for (i = 0; i < d->n_pairs; i++) {
			grid_add_row(g);
			grid_setf(g, TH_THRESHOLD, 0, "%s ≤ +%g%%%s", d->th[j].metric,
				  (double)d->th[j].max_bp / 100, d->th[j].strict ? " (strict)" : "");
			grid_set(g, TH_CONFIG, 0, d->pairs[i].next->name);
			fmt_pct(p, sizeof(p), d->th[j].pct[i]);
			grid_set(g, TH_CHANGE, 0, p);
			grid_set(g, TH_RESULT, 0,
				 report_diff_over(&d->th[j], i) ? "**exceeded**" : "ok");
			report_diff_why(why, sizeof(why), &d->th[j], i);
			grid_set(g, TH_WHY, 0, why);
		}
	grid_markdown(f, g);
	grid_free(g);
}

void report_diff_markdown(FILE *f, const struct report_diff *d)
{
	char *ea = fmt_escape(d->base_path, ESCAPE_MARKDOWN);
	char *eb = fmt_escape(d->new_path, ESCAPE_MARKDOWN);
	bool any_exceeded = false;
	size_t j;

	for (j = 0; j < d->n_th; j++)
		any_exceeded |= d->th[j].exceeded;
	fprintf(f, "### memwatch diff\n\n%s → %s (medians ±stddev over each side's runs; "
		"~: not significant at %g)%s\n\n", ea, eb,
		d->alpha > 0 ? d->alpha : SIGNIFICANCE_ALPHA, d->n_th ? (any_exceeded ? ": **a threshold was exceeded**" :
				   ": every threshold holds") : "");
	grid_markdown(f, d->table);
	if (d->n_th) {
		fputc('\n', f);
		thresholds_markdown(f, d);
	}
	free(ea);
	free(eb);
}
