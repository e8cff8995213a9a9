/* report/table.c - configurations side by side: the comparison table */
#include "config.h"

#include "report/table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/fit.h"
#include "report/grid.h"
#include "report/grid_csv.h"
#include "report/grid_markdown.h"
#include "report/grid_text.h"
#include "util/fmt.h"
#include "result/metrics.h"
#include "result/significance.h"
#include "util/xalloc.h"

void report_table_cell(char *buf, size_t len, const char *metric,
		       const struct metric_stats *st, bool raw)
{
	char v[64];

	metric_format(v, sizeof(v), metric, st->median, raw);
	if (st->n >= 2 && metric_unit(metric) == UNIT_BYTES_PER_MIN) {
		/* A drift is a rate around zero: its spread relative to the
		 * median means nothing; say it in the rate's own unit. */
		char sd[FMT_BUF];

		snprintf(buf, len, "%s ±%s/min", v, fmt_bytes(sd, (uint64_t)llround(st->stddev), raw));
	} else if (st->n >= 2 && st->median != 0) {
		snprintf(buf, len, "%s ±%.1f%%", v, 100 * st->stddev / fabs(st->median));
	} else {
		snprintf(buf, len, "%s", v);
	}
}

static void fmt_range(char *buf, size_t len, const char *metric,
		      const struct metric_stats *st, bool raw)
{
	char lo[64], hi[64];

	metric_format(lo, sizeof(lo), metric, st->min, raw);
	metric_format(hi, sizeof(hi), metric, st->max, raw);
	snprintf(buf, len, "%s – %s", lo, hi);
}

/* The change of a column's median against the baseline's, in percent;
 * false when there is nothing to compare. */
static bool change_pct(const char *metric, const struct metric_stats *base,
		       const struct metric_stats *st, double *pct)
{
	/* Not for a drift: a ratio of two rates near zero is noise. */
	if (!base->n || !st->n || base->median == 0 ||
	    metric_unit(metric) == UNIT_BYTES_PER_MIN)
		return false;
	*pct = 100 * (st->median - base->median) / fabs(base->median);
	return true;
}

static char **table_rows(const struct table *t)
{
	const struct result_config **v = xcalloc(t->n + 1, sizeof(*v));
	char **rows;
	size_t i;

	for (i = 0; i < t->n; i++)
		v[i] = t->cols[i].config;
	rows = metric_table_rows(v, t->n);
	free(v);
	return rows;
}

/* What a column says about its runs beyond the numbers: a preload that did
 * not reach every process, a command that failed. NULL if nothing. */
static char *column_note(const struct table_column *c)
{
	const struct result_config *cfg = c->config;
	uint32_t checked = 0, mapped = 0, unreadable = 0, denied = 0;
	const char *lib = NULL;
	size_t i, failed = 0;
	int status = 0;

	for (i = 0; i < cfg->n_runs; i++) {
		const struct result_run *r = &cfg->runs[i];

		if (r->preload.library) {
			lib = r->preload.library;
			checked += r->preload.checked;
			mapped += r->preload.mapped;
			unreadable += r->preload.unreadable;
		}
		denied += r->deep_denied;
		if (r->ended_by && !strcmp(r->ended_by, "exit") && r->exit_status > 0) {
			failed++;
			status = r->exit_status;
		}
	}
	if (lib && mapped < checked)
		return xasprintf("%s: %s was mapped in %u of %u processes checked "
				 "(a static binary, a setuid one, or a runtime that clears "
				 "LD_PRELOAD does not load it)", c->title,
				 strrchr(lib, '/') ? strrchr(lib, '/') + 1 : lib,
				 mapped, checked);
	if (lib && unreadable)
		return xasprintf("%s: memwatch may not read the maps of %u process%s (another "
				 "user's, or setuid, which also drops LD_PRELOAD): whether %s was "
				 "mapped there is unknown%s", c->title, unreadable,
				 unreadable == 1 ? "" : "es",
				 strrchr(lib, '/') ? strrchr(lib, '/') + 1 : lib,
				 denied ? "; their pss, uss and footprint are upper bounds" : "");
	if (lib && !checked)
		return xasprintf("%s: no process lived long enough to check that %s was mapped",
				 c->title, strrchr(lib, '/') ? strrchr(lib, '/') + 1 : lib);
	if (denied)
		return xasprintf("%s: memwatch may not read %u process%s in depth (another "
				 "user's, or setuid): their pss, uss and footprint are upper bounds",
				 c->title, denied, denied == 1 ? "" : "es");
	if (failed)
		return xasprintf("%s: the command failed in %zu of %zu runs (exit status %d)",
				 c->title, failed, cfg->n_runs, status);
	for (i = 0, failed = 0; i < cfg->n_runs; i++)
		failed += cfg->runs[i].interrupted;
	if (failed)
		return xasprintf("%s: %zu of %zu runs were interrupted%s", c->title, failed,
				 cfg->n_runs, failed < cfg->n_runs ?
				 " and are left out of the statistics" : "");
	return NULL;
}

static bool column_flagged(const struct table_column *c)
{
	char *note = column_note(c);
	bool flagged = note != NULL;

	free(note);
	return flagged;
}

/* Host differences between columns are shown, not hidden. */
static void host_lines(FILE *f, const struct table *t, bool markdown)
{
	size_t i, j;
	bool differ = false;

	for (i = 1; i < t->n; i++) {
		const struct result_host *a = t->cols[0].host, *b = t->cols[i].host;

		if (a && b && (strcmp(a->kernel, b->kernel) || strcmp(a->arch, b->arch) ||
			       a->cpus != b->cpus || strcmp(a->thp, b->thp) ||
			       strcmp(a->hostname, b->hostname) ||
			       a->mem_total_bytes != b->mem_total_bytes))
			differ = true;
	}
	for (i = 0; i < t->n; i++) {
		const struct result_host *h = t->cols[i].host;
		char mem[FMT_BUF];
		char *title, *host;

		if (!h)
			continue;
		for (j = 0; j < i; j++)
			if (t->cols[j].host == h)
				break;
		if (j < i && !differ)
			continue;
		if (!differ && i > 0)
			continue;
		title = fmt_escape(differ ? t->cols[i].title : "all", markdown ?
				   ESCAPE_MARKDOWN : ESCAPE_TEXT);
		host = fmt_escape(h->hostname, markdown ? ESCAPE_MARKDOWN : ESCAPE_TEXT);
		fprintf(f, "%s%s: %s, Linux %s %s, %ld CPUs, %s, THP %s\n",
			markdown ? "- " : "  host of ", title, host, h->kernel, h->arch,
			h->cpus, fmt_bytes(mem, h->mem_total_bytes, false), h->thp);
		free(title);
		free(host);
	}
	if (differ)
		fprintf(f, "%sthe hosts differ: compare across them with care\n",
			markdown ? "- " : "  ");
}

/* The table's columns; each configuration has those marked grouped. */
enum {
	COL_METRIC,		/* CSV's: the metric's name */
	COL_TITLE,		/* ... and its title, for people */
	COL_VALUE,		/* the median and the spread */
	COL_CHANGE,		/* against the baseline, in percent */
	COL_CHANGE_PLAIN,	/* ... in markdown, when not significant */
	COL_CHANGE_BOLD,	/* ... and when significant */
	COL_RANGE,		/* min – max, in markdown */
	COL_MEDIAN,		/* CSV's numbers, in full */
	COL_MIN,
	COL_MAX,
	COL_STDDEV,
	COL_RUNS,
	COL_UNIT,
	COL_CHANGE_PCT,
	COL_P,			/* the U test's p-value */
	COL_VERDICT,		/* changed, same, too_few, exact_... */
	COL_CI_LOW,		/* the change's interval, in percent */
	COL_CI_HIGH,
};

static const struct grid_col table_cols[] = {
	[COL_METRIC] = { .head = "metric", .formats = GRID_CSV, .escape = true },
	[COL_TITLE] = { .head = "Metric", .text_head = "", .formats = GRID_TEXT | GRID_MARKDOWN,
			.escape = true, .width = 6, .fit = true },
	[COL_VALUE] = { .align = GRID_RIGHT, .formats = GRID_TEXT | GRID_MARKDOWN,
			.grouped = true, .sep = "   ", .fit = true },
	[COL_CHANGE] = { .align = GRID_RIGHT, .formats = GRID_TEXT, .grouped = true,
			 .sep = " ", .fit = true, .drop_empty = true },
	/* Bold says significant, as the text's ~ says not: one or the other
	 * holds a change. */
	[COL_CHANGE_PLAIN] = { .grouped = true, .md_before = " " },
	[COL_CHANGE_BOLD] = { .grouped = true, .md_before = " **", .md_after = "**" },
	[COL_RANGE] = { .grouped = true, .md_before = "<br><sub>", .md_after = "</sub>" },
	[COL_MEDIAN] = { .head = "median", .formats = GRID_CSV, .grouped = true },
	[COL_MIN] = { .head = "min", .formats = GRID_CSV, .grouped = true },
	[COL_MAX] = { .head = "max", .formats = GRID_CSV, .grouped = true },
	[COL_STDDEV] = { .head = "stddev", .formats = GRID_CSV, .grouped = true },
	[COL_RUNS] = { .head = "runs", .formats = GRID_CSV, .grouped = true },
	[COL_UNIT] = { .head = "unit", .formats = GRID_CSV, .grouped = true },
	[COL_CHANGE_PCT] = { .head = "change_pct", .formats = GRID_CSV, .grouped = true },
	[COL_P] = { .head = "p_value", .formats = GRID_CSV, .grouped = true },
	[COL_VERDICT] = { .head = "verdict", .formats = GRID_CSV, .grouped = true },
	[COL_CI_LOW] = { .head = "ci_low_pct", .formats = GRID_CSV, .grouped = true },
	[COL_CI_HIGH] = { .head = "ci_high_pct", .formats = GRID_CSV, .grouped = true },
};

/* Column i's change as text and markdown show it, bold in markdown if
 * significant; NULL: none. */
static void change_cell(struct grid *g, size_t i, const char *text, bool significant)
{
	grid_set(g, COL_CHANGE, i, text ? text : "");
	grid_set(g, COL_CHANGE_PLAIN, i, significant ? NULL : text);
	grid_set(g, COL_CHANGE_BOLD, i, significant ? text : NULL);
}

/* The significance of column i's change against the baseline, in the
 * CSV's columns and in the change shown to people (pct, or NAN: a drift's
 * in its unit, nothing for others). When no change of the table could be
 * tested (untested), the heading says so once and the change is bare. */
static void significance_cells(struct grid *g, const struct table *t, size_t i,
			       const char *metric, double pct, bool raw, bool untested)
{
	struct significance sig;
	char cell[96];
	double lo, hi;

	if (!significance_of(t->cols[t->baseline].config, t->cols[i].config, metric,
			     t->alpha, &sig))
		return;
	untested = untested && sig.verdict == SIG_TOO_FEW;
	if (!isnan(pct)) {
		if (untested)
			fmt_pct_change(cell, pct);
		else
			significance_format(cell, sizeof(cell), &sig, pct);
		change_cell(g, i, cell, significance_changed(&sig));
	} else if (metric_unit(metric) == UNIT_BYTES_PER_MIN) {
		char delta[64];

		/* A drift's change in its own unit: a ratio of rates near
		 * zero says nothing. */
		metric_format_delta(delta, sizeof(delta), metric,
				    sig.next_median - sig.base_median, raw);
		if (untested)
			snprintf(cell, sizeof(cell), "%s", delta);
		else
			significance_format_change(cell, sizeof(cell), &sig, delta);
		change_cell(g, i, cell, significance_changed(&sig));
	}
	if (!isnan(sig.p))
		grid_setf(g, COL_P, i, "%.4g", sig.p);
	grid_set(g, COL_VERDICT, i, significance_name(&sig));
	if (significance_ci_pct(&sig, &lo, &hi)) {
		grid_setf(g, COL_CI_LOW, i, "%.3f", lo);
		grid_setf(g, COL_CI_HIGH, i, "%.3f", hi);
	}
}

/* The cells of one metric for column i of the table; none if its runs
 * lack the metric. */
static void table_cells(struct grid *g, const struct table *t, size_t i, const char *metric,
			const struct metric_stats *base, bool raw, bool untested)
{
	static const char *const units[] = { "bytes", "s", "count", "bytes/min" };
	struct metric_stats st;
	char cell[96], range[160];
	double pct;
	bool changed;

	if (!metric_stats(t->cols[i].config, metric, &st)) {
		change_cell(g, i, NULL, false);
		return;
	}
	changed = i != t->baseline && change_pct(metric, base, &st, &pct);
	report_table_cell(cell, sizeof(cell), metric, &st, raw);
	grid_set(g, COL_VALUE, i, cell);
	change_cell(g, i, changed ? fmt_pct_change(cell, pct) : NULL, false);
	if (st.n >= 2) {
		fmt_range(range, sizeof(range), metric, &st, raw);
		grid_set(g, COL_RANGE, i, range);
	}
	grid_setf(g, COL_MEDIAN, i, "%.17g", st.median);
	grid_setf(g, COL_MIN, i, "%.17g", st.min);
	grid_setf(g, COL_MAX, i, "%.17g", st.max);
	/* Whole bytes and processes, milliseconds: the digits beyond are
	 * noise of the arithmetic, not of the runs. */
	if (metric_unit(metric) == UNIT_SECONDS)
		grid_setf(g, COL_STDDEV, i, "%.3f", st.stddev);
	else
		grid_setf(g, COL_STDDEV, i, "%.0f", st.stddev);
	grid_setf(g, COL_RUNS, i, "%zu", st.n);
	grid_set(g, COL_UNIT, i, units[metric_unit(metric)]);
	if (changed)
		grid_setf(g, COL_CHANGE_PCT, i, "%.3f", pct);
	else
		grid_set(g, COL_CHANGE_PCT, i, "");
	if (i != t->baseline)
		significance_cells(g, t, i, metric, changed ? pct : NAN, raw, untested);
}

bool report_table_untested(const struct table *t, size_t *runs_needed)
{
	char **rows = table_rows(t);
	struct significance sig;
	bool too_few = false, tested = false;
	size_t i, j;

	*runs_needed = 0;
	for (j = 0; rows[j] && !tested; j++)
		for (i = 0; i < t->n; i++) {
			if (i == t->baseline ||
			    !significance_of(t->cols[t->baseline].config, t->cols[i].config,
					     rows[j], t->alpha, &sig))
				continue;
			tested |= sig.verdict == SIG_SAME || sig.verdict == SIG_CHANGED;
			if (sig.verdict == SIG_TOO_FEW) {
				too_few = true;
				if (sig.runs_needed > *runs_needed)
					*runs_needed = sig.runs_needed;
			}
		}
	metric_names_free(rows);
	return too_few && !tested;
}

void report_table_untested_note(char *buf, size_t len, const struct result_config *const *cfgs,
				size_t n, size_t runs_needed)
{
	size_t i, lo = SIZE_MAX, hi = 0;

	for (i = 0; i < n; i++) {
		if (cfgs[i]->n_runs < lo)
			lo = cfgs[i]->n_runs;
		if (cfgs[i]->n_runs > hi)
			hi = cfgs[i]->n_runs;
	}
	if (lo == hi)
		snprintf(buf, len, "%zu run%s each: no significance test "
			 "(%zu runs a side needed)", lo, lo == 1 ? "" : "s", runs_needed);
	else
		snprintf(buf, len, "%zu to %zu runs each: no significance test "
			 "(%zu runs a side needed)", lo, hi, runs_needed);
}

void report_table_sig_note(char *buf, size_t len, const struct table *t)
{
	const struct result_config **cfgs;
	size_t i, needed;
	char *colon;

	if (!report_table_untested(t, &needed)) {
		snprintf(buf, len, "~: not significant at %g (Mann-Whitney U)",
			 t->alpha > 0 ? t->alpha : SIGNIFICANCE_ALPHA);
		return;
	}
	cfgs = xcalloc(t->n ? t->n : 1, sizeof(*cfgs));
	for (i = 0; i < t->n; i++)
		cfgs[i] = t->cols[i].config;
	report_table_untested_note(buf, len, cfgs, t->n, needed);
	free(cfgs);
	/* A heading that already says "1 run each" need not say it twice. */
	colon = strstr(buf, ": ");
	if (colon && t->what) {
		char *runs = xstrndup(buf, (size_t)(colon - buf));

		if (strstr(t->what, runs))
			memmove(buf, colon + 2, strlen(colon + 2) + 1);
		free(runs);
	}
}

/* The table as a grid: a row per metric, a group of columns per
 * configuration. */
static struct grid *table_grid(const struct table *t, bool raw)
{
	struct grid *g = grid_new(table_cols, sizeof(table_cols) / sizeof(table_cols[0]));
	char **rows = table_rows(t);
	size_t i, j, needed;
	bool untested = report_table_untested(t, &needed);

	g->group_head = "config";
	for (i = 0; i < t->n; i++)
		grid_add_group(g, t->cols[i].title, column_flagged(&t->cols[i]) ? " (!)" : NULL);
	for (j = 0; rows[j]; j++) {
		struct metric_stats base;
		char *title = metric_title(rows[j]);

		grid_add_row(g);
		grid_set(g, COL_METRIC, 0, rows[j]);
		grid_set(g, COL_TITLE, 0, title);
		free(title);
		metric_stats(t->cols[t->baseline].config, rows[j], &base);
		for (i = 0; i < t->n; i++)
			table_cells(g, t, i, rows[j], &base, raw, untested);
	}
	metric_names_free(rows);
	return g;
}

struct grid *report_table_grid(const struct table *t, bool raw)
{
	return table_grid(t, raw);
}

static void write_table(FILE *f, const struct table *t, const struct report_opts *o);

void report_table_text(FILE *f, const struct table *t, const struct report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	/* On a terminal, the table comes in blocks that fit it; the lines
	 * around it fold between words. */
	if (!o->width || !(mem = open_memstream(&buf, &len))) {
		write_table(f, t, o);
		return;
	}
	write_table(mem, t, o);
	fclose(mem);
	fit_text(f, buf, o->width);
	free(buf);
}

static void write_table(FILE *f, const struct table *t, const struct report_opts *o)
{
	struct grid *g = table_grid(t, o->raw_bytes);
	char *base_title = fmt_escape(t->cols[t->baseline].title, ESCAPE_TEXT);
	char sig[128];
	size_t i;

	/* On a terminal, configurations that do not fit beside each other
	 * go in blocks below, each with the metrics' names. */
	g->text_width = o->width;
	report_table_sig_note(sig, sizeof(sig), t);
	fprintf(f, "memwatch %s: %zu configuration%s, %s; median ±stddev, change vs %s; %s\n\n",
		t->command ? t->command : "compare", t->n, t->n == 1 ? "" : "s",
		t->what ? t->what : "", base_title, sig);
	grid_text(f, g);
	for (i = 0; i < t->n; i++) {
		char *note = column_note(&t->cols[i]);

		if (note) {
			char *esc = fmt_escape(note, ESCAPE_TEXT);

			fprintf(f, "\n  (!) %s", esc);
			free(esc);
			free(note);
		}
	}
	fputc('\n', f);
	host_lines(f, t, false);
	free(base_title);
	grid_free(g);
}

void report_table_markdown(FILE *f, const struct table *t, const struct report_opts *o)
{
	struct grid *g = table_grid(t, o->raw_bytes);
	char *base_title = fmt_escape(t->cols[t->baseline].title, ESCAPE_MARKDOWN);
	char sig[128];
	size_t i;

	size_t needed;

	report_table_sig_note(sig, sizeof(sig), t);
	fprintf(f, "### memwatch %s\n\n%zu configuration%s, %s; median ±stddev "
		"(min – max below), change vs %s; %s%s.\n\n",
		t->command ? t->command : "compare", t->n, t->n == 1 ? "" : "s",
		t->what ? t->what : "", base_title, sig,
		report_table_untested(t, &needed) ? "" : "; **bold**: significant");
	grid_markdown(f, g);
	fputc('\n', f);
	for (i = 0; i < t->n; i++) {
		char *note = column_note(&t->cols[i]);

		if (note) {
			char *esc = fmt_escape(note, ESCAPE_MARKDOWN);

			fprintf(f, "- (!) %s\n", esc);
			free(esc);
			free(note);
		}
	}
	host_lines(f, t, true);
	free(base_title);
	grid_free(g);
}

void report_table_csv(FILE *f, const struct table *t)
{
	struct grid *g = table_grid(t, false);

	grid_csv(f, g);
	grid_free(g);
}

void report_table_titles(struct table *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		bool clash = false;

		for (j = 0; j < t->n; j++)
			if (j != i && !strcmp(t->cols[i].config->name, t->cols[j].config->name))
				clash = true;
		free(t->cols[i].title);
		if (clash && t->cols[i].source) {
			const char *base = strrchr(t->cols[i].source, '/');
			char *file = xstrdup(base ? base + 1 : t->cols[i].source);
			char *dot = strrchr(file, '.');

			if (dot && !strcmp(dot, ".json"))
				*dot = '\0';
			t->cols[i].title = xasprintf("%s (%s)", t->cols[i].config->name, file);
			free(file);
		} else if (clash) {
			t->cols[i].title = xasprintf("%s #%zu", t->cols[i].config->name, i + 1);
		} else if (t->cols[i].config->allocator) {
			t->cols[i].title = xasprintf("%s (%s)", t->cols[i].config->name,
						     t->cols[i].config->allocator);
		} else {
			t->cols[i].title = xstrdup(t->cols[i].config->name);
		}
	}
	/* One file given twice still makes columns of their own. */
	for (i = 0; i < t->n; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(t->cols[i].title, t->cols[j].title)) {
				char *numbered = xasprintf("%s #%zu", t->cols[i].title, i + 1);

				free(t->cols[i].title);
				t->cols[i].title = numbered;
				break;
			}
}

void report_table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->cols[i].title);
	free(t->cols);
	t->cols = NULL;
	t->n = 0;
}
