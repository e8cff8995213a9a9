/* report_table.c - configurations side by side: the comparison table */
#include "config.h"

#include "report/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "result/metrics.h"
#include "util/xalloc.h"

/* "812.4 MiB ±0.4%": the median, and the spread as the sample standard
 * deviation relative to it when there are two runs or more. */
static void fmt_cell(char *buf, size_t len, const char *metric,
		     const struct metric_stats *st, bool raw)
{
	char v[64];

	metric_format(v, sizeof(v), metric, st->median, raw);
	if (st->n >= 2 && metric_unit(metric) == UNIT_BYTES_PER_MIN) {
		/* A drift is a rate around zero: its spread relative to the
		 * median means nothing; say it in its own unit. */
		char sd[FMT_BUF];

		snprintf(buf, len, "%s ±%s", v, fmt_bytes(sd, (uint64_t)llround(st->stddev), raw));
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

/* Columns a terminal shows for a UTF-8 string (one per character). */
static size_t width_of(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(FILE *f, const char *s, size_t width, bool right)
{
	size_t w = width_of(s);

	if (right)
		fprintf(f, "%*s%s", (int)(width > w ? width - w : 0), "", s);
	else
		fprintf(f, "%s%*s", s, (int)(width > w ? width - w : 0), "");
}

/* A row's title, escaped for one output: checkpoint labels come from
 * result files, which may hold anything. */
static char *row_title(const char *metric, enum fmt_escape how)
{
	char *title = metric_title(metric), *esc = fmt_escape(title, how);

	free(title);
	return esc;
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

void report_table_text(FILE *f, const struct table *t, const struct report_opts *o)
{
	char **rows = table_rows(t);
	size_t nrows, i, j, title_w = 6;
	size_t *val_w = xcalloc(t->n, sizeof(*val_w)), *chg_w = xcalloc(t->n, sizeof(*chg_w));
	char ***cells, ***chg;
	char *base_title = fmt_escape(t->cols[t->baseline].title, ESCAPE_TEXT);

	for (nrows = 0; rows[nrows]; nrows++)
		;
	cells = xcalloc(nrows, sizeof(*cells));
	chg = xcalloc(nrows, sizeof(*chg));
	for (i = 0; i < t->n; i++) {
		char *title = fmt_escape(t->cols[i].title, ESCAPE_TEXT);

		val_w[i] = width_of(title) + (column_flagged(&t->cols[i]) ? 4 : 0);
		free(title);
	}
	/* Every cell first, to size the columns. */
	for (j = 0; j < nrows; j++) {
		struct metric_stats base;
		char *title = row_title(rows[j], ESCAPE_TEXT);

		if (width_of(title) > title_w)
			title_w = width_of(title);
		free(title);
		cells[j] = xcalloc(t->n, sizeof(**cells));
		chg[j] = xcalloc(t->n, sizeof(**chg));
		metric_stats(t->cols[t->baseline].config, rows[j], &base);
		for (i = 0; i < t->n; i++) {
			struct metric_stats st;
			char buf[96];
			double pct;

			if (!metric_stats(t->cols[i].config, rows[j], &st)) {
				cells[j][i] = xstrdup("-");
			} else {
				fmt_cell(buf, sizeof(buf), rows[j], &st, o->raw_bytes);
				cells[j][i] = xstrdup(buf);
			}
			if (i != t->baseline && st.n && change_pct(rows[j], &base, &st, &pct))
				chg[j][i] = xasprintf("%+.1f%%", pct);
			else
				chg[j][i] = xstrdup("");
			if (width_of(cells[j][i]) > val_w[i])
				val_w[i] = width_of(cells[j][i]);
			if (width_of(chg[j][i]) > chg_w[i])
				chg_w[i] = width_of(chg[j][i]);
		}
	}

	fprintf(f, "memwatch compare: %zu configuration%s, %s; median ±stddev, change vs %s\n\n",
		t->n, t->n == 1 ? "" : "s", t->what ? t->what : "", base_title);
	pad(f, "", title_w, false);
	for (i = 0; i < t->n; i++) {
		char *title = fmt_escape(t->cols[i].title, ESCAPE_TEXT);
		char *shown = column_flagged(&t->cols[i]) ? xasprintf("%s (!)", title) :
							    xstrdup(title);

		fputs("   ", f);
		pad(f, shown, val_w[i], true);
		if (chg_w[i])
			fprintf(f, " %*s", (int)chg_w[i], "");
		free(shown);
		free(title);
	}
	fputc('\n', f);
	for (j = 0; j < nrows; j++) {
		char *title = row_title(rows[j], ESCAPE_TEXT);

		pad(f, title, title_w, false);
		for (i = 0; i < t->n; i++) {
			fputs("   ", f);
			pad(f, cells[j][i], val_w[i], true);
			if (chg_w[i]) {
				fputc(' ', f);
				pad(f, chg[j][i], chg_w[i], true);
			}
			free(cells[j][i]);
			free(chg[j][i]);
		}
		fputc('\n', f);
		free(title);
		free(cells[j]);
		free(chg[j]);
	}
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
	free(cells);
	free(chg);
	free(val_w);
	free(chg_w);
	free(base_title);
	metric_names_free(rows);
}

void report_table_markdown(FILE *f, const struct table *t, const struct report_opts *o)
{
	char **rows = table_rows(t);
	char *base_title = fmt_escape(t->cols[t->baseline].title, ESCAPE_MARKDOWN);
	size_t i, j;

	fprintf(f, "### memwatch compare\n\n%zu configuration%s, %s; median ±stddev "
		"(min – max below), change vs %s.\n\n", t->n, t->n == 1 ? "" : "s",
		t->what ? t->what : "", base_title);
	fputs("| Metric |", f);
	for (i = 0; i < t->n; i++) {
		char *title = fmt_escape(t->cols[i].title, ESCAPE_MARKDOWN);

		fprintf(f, " %s%s |", title, column_flagged(&t->cols[i]) ? " (!)" : "");
		free(title);
	}
	fputs("\n|---|", f);
	for (i = 0; i < t->n; i++)
		fputs("---:|", f);
	fputc('\n', f);
	for (j = 0; rows[j]; j++) {
		struct metric_stats base;
		char *esc = row_title(rows[j], ESCAPE_MARKDOWN);

		fprintf(f, "| %s |", esc);
		free(esc);
		metric_stats(t->cols[t->baseline].config, rows[j], &base);
		for (i = 0; i < t->n; i++) {
			struct metric_stats st;
			char cell[96], range[160];
			double pct;

			if (!metric_stats(t->cols[i].config, rows[j], &st)) {
				fputs(" – |", f);
				continue;
			}
			fmt_cell(cell, sizeof(cell), rows[j], &st, o->raw_bytes);
			fprintf(f, " %s", cell);
			if (i != t->baseline && change_pct(rows[j], &base, &st, &pct))
				fprintf(f, " **%+.1f%%**", pct);
			if (st.n >= 2) {
				fmt_range(range, sizeof(range), rows[j], &st, o->raw_bytes);
				fprintf(f, "<br><sub>%s</sub>", range);
			}
			fputs(" |", f);
		}
		fputc('\n', f);
	}
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
	metric_names_free(rows);
}

void report_table_csv(FILE *f, const struct table *t)
{
	static const char *const units[] = { "bytes", "s", "count", "bytes/min" };
	char **rows = table_rows(t);
	size_t i, j;

	fputs("metric,config,median,min,max,stddev,runs,unit,change_pct\n", f);
	for (j = 0; rows[j]; j++) {
		/* A metric name holds a checkpoint label, from a file. */
		char *metric = fmt_escape(rows[j], ESCAPE_CSV);
		struct metric_stats base;

		metric_stats(t->cols[t->baseline].config, rows[j], &base);
		for (i = 0; i < t->n; i++) {
			struct metric_stats st;
			char *name;
			double pct;

			if (!metric_stats(t->cols[i].config, rows[j], &st))
				continue;
			name = fmt_escape(t->cols[i].title, ESCAPE_CSV);
			fprintf(f, "%s,%s,%.17g,%.17g,%.17g,%.17g,%zu,%s,", metric, name,
				st.median, st.min, st.max, st.stddev, st.n,
				units[metric_unit(rows[j])]);
			if (i != t->baseline && change_pct(rows[j], &base, &st, &pct))
				fprintf(f, "%.3f", pct);
			fputc('\n', f);
			free(name);
		}
		free(metric);
	}
	metric_names_free(rows);
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
		} else {
			t->cols[i].title = xstrdup(t->cols[i].config->name);
		}
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
