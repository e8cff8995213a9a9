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
#include "util/xalloc.h"

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

/* The change in percent and its significance as one parenthesis holds
 * them, "+19.8%, p=0.03", "~, p=0.40", "+6.2%, 4 runs needed": a
 * parenthesis in a parenthesis reads badly. Only the change when the
 * heading says that nothing was tested (untested). */
static void pct_inner(char *buf, size_t len, const struct significance *s, double pct,
		      bool untested)
{
	char change[32];

	fmt_pct(change, sizeof(change), pct);
	if (s->verdict == SIG_TOO_FEW && untested)
		snprintf(buf, len, "%s", change);
	else
		significance_format_joined(buf, len, s, change);
}

/* The diff's columns; each configuration is a section of rows. The text
 * cuts a title at 36 columns. */
enum {
	COL_TITLE,
	COL_BASE,
	COL_NEW,
	COL_CHANGE,
	COL_PCT,
	COL_PCT_PLAIN,		/* the same in markdown, when not significant */
	COL_PCT_BOLD,		/* ... and when significant */
};

#define DIFF_COL(name, text_name, w) \
	{ .head = name, .text_head = text_name, .align = GRID_RIGHT, \
	  .formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .sep = " ", .width = w }

/* A side's median and spread: as wide as the widest, in characters. */
#define DIFF_SPREAD_COL(name, text_name) \
	{ .head = name, .text_head = text_name, .align = GRID_RIGHT, \
	  .formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .sep = " ", .width = 12, \
	  .fit = true }

static const struct grid_col diff_cols[] = {
	[COL_TITLE] = { .head = "Metric", .text_head = "METRIC",
			.formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .escape = true,
			.width = 36, .max_columns = 36 },
	[COL_BASE] = DIFF_SPREAD_COL("Base", "BASE"),
	[COL_NEW] = DIFF_SPREAD_COL("New", "NEW"),
	[COL_CHANGE] = DIFF_COL("Change", "CHANGE", 12),
	[COL_PCT] = { .head = "Change (%)", .text_head = "", .align = GRID_RIGHT,
		      .formats = GRID_TEXT | GRID_CSV, .sep = " ", .width = 8, .fit = true },
	[COL_PCT_PLAIN] = { .md_before = " (", .md_after = ")" },
	[COL_PCT_BOLD] = { .md_before = " (**", .md_after = "**)" },
};

/* The row for a metric of a pair, unless either side lacks it: each
 * side's median and spread, the change and its significance. */
static void diff_row(struct grid *g, const struct report_diff_pair *p, const char *metric,
		     const struct report_diff *d)
{
	struct metric_stats sb, sn;
	struct significance sig;
	char *title, buf[96];
	double b, n;

	if (!metric_stats(p->base, metric, &sb) || !metric_stats(p->next, metric, &sn))
		return;
	b = sb.median;
	n = sn.median;
	significance_of(p->base, p->next, metric, d->alpha, &sig);
	grid_add_row(g);
	title = metric_title(metric);
	grid_set(g, COL_TITLE, 0, title);
	free(title);
	report_table_cell(buf, sizeof(buf), metric, &sb, d->raw_bytes);
	grid_set(g, COL_BASE, 0, buf);
	report_table_cell(buf, sizeof(buf), metric, &sn, d->raw_bytes);
	grid_set(g, COL_NEW, 0, buf);
	metric_format_delta(buf, sizeof(buf), metric, n - b, d->raw_bytes);
	grid_set(g, COL_CHANGE, 0, buf);
	if (d->untested && sig.verdict == SIG_TOO_FEW)
		fmt_pct(buf, sizeof(buf), report_diff_pct(b, n));
	else
		significance_format(buf, sizeof(buf), &sig, report_diff_pct(b, n));
	grid_set(g, COL_PCT, 0, buf);
	pct_inner(buf, sizeof(buf), &sig, report_diff_pct(b, n), d->untested);
	grid_set(g, significance_changed(&sig) ? COL_PCT_BOLD : COL_PCT_PLAIN, 0, buf);
}

/* Whether no change of the diff could be tested (d->untested), and how
 * many runs a side the test needs: the heading then says so once. */
static void diff_untested(struct report_diff *d, char **const *rows)
{
	struct significance sig;
	bool too_few = false, tested = false;
	size_t i, j;

	d->runs_needed = 0;
	for (i = 0; i < d->n_pairs; i++)
		for (j = 0; rows[i][j]; j++) {
			if (!significance_of(d->pairs[i].base, d->pairs[i].next, rows[i][j],
					     d->alpha, &sig))
				continue;
			tested |= sig.verdict == SIG_SAME || sig.verdict == SIG_CHANGED;
			if (sig.verdict == SIG_TOO_FEW) {
				too_few = true;
				if (sig.runs_needed > d->runs_needed)
					d->runs_needed = sig.runs_needed;
			}
		}
	d->untested = too_few && !tested;
}

void report_diff_sig_note(char *buf, size_t len, const struct report_diff *d)
{
	const struct result_config **cfgs;
	size_t i;

	if (!d->untested) {
		snprintf(buf, len, "~: not significant at %g",
			 d->alpha > 0 ? d->alpha : SIGNIFICANCE_ALPHA);
		return;
	}
	cfgs = xcalloc(2 * d->n_pairs + 1, sizeof(*cfgs));
	for (i = 0; i < d->n_pairs; i++) {
		cfgs[2 * i] = d->pairs[i].base;
		cfgs[2 * i + 1] = d->pairs[i].next;
	}
	report_table_untested_note(buf, len, cfgs, 2 * d->n_pairs, d->runs_needed);
	free(cfgs);
}

void report_diff_table(struct report_diff *d)
{
	struct grid *g = grid_new(diff_cols, sizeof(diff_cols) / sizeof(diff_cols[0]));
	char ***rows = xcalloc(d->n_pairs ? d->n_pairs : 1, sizeof(*rows));
	size_t i, j;

	g->indent = "  ";
	g->section_head = "Configuration";
	g->text_width = d->width;
	for (i = 0; i < d->n_pairs; i++) {
		const struct result_config *cs[2] = { d->pairs[i].base, d->pairs[i].next };

		rows[i] = metric_table_rows(cs, 2);
	}
	diff_untested(d, rows);
	for (i = 0; i < d->n_pairs; i++) {
		grid_add_section(g, d->pairs[i].next->name);
		for (j = 0; rows[i][j]; j++)
			diff_row(g, &d->pairs[i], rows[i][j], d);
		metric_names_free(rows[i]);
	}
	free(rows);
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
	char sig[128];

	report_diff_sig_note(sig, sizeof(sig), d);
	fprintf(f, "memwatch diff: %s -> %s (medians ±stddev over each side's runs%s%s%s\n",
		d->base_path, d->new_path, d->untested ? "); " : "; ", sig,
		d->untested ? "" : ")");
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
	char sig[128];
	size_t j;

	for (j = 0; j < d->n_th; j++)
		any_exceeded |= d->th[j].exceeded;
	report_diff_sig_note(sig, sizeof(sig), d);
	fprintf(f, "### memwatch diff\n\n%s → %s "
		"(medians ±stddev over each side's runs%s%s%s)%s\n\n", ea, eb,
		d->untested ? "" : "; ", d->untested ? "" : sig,
		d->untested ? "" : "; **bold**: significant",
		d->n_th ? (any_exceeded ? ": **a threshold was exceeded**" :
			   ": every threshold holds") : "");
	if (d->untested)
		fprintf(f, "%s.\n\n", sig);
	grid_markdown(f, d->table);
	if (d->n_th) {
		fputc('\n', f);
		thresholds_markdown(f, d);
	}
	free(ea);
	free(eb);
}
