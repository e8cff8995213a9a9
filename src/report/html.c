/* report/html.c - the visual report: one self-contained HTML file with charts drawn as inline SVG */
#include "config.h"

#include "report/html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/grid_html.h"
#include "report/phase_peaks.h"
#include "report/svg.h"
#include "result/metrics.h"
#include "util/fmt.h"
#include "util/xalloc.h"

/* The configurations' colours, in order; a colour-blind-safe set. */
static const char *const palette[] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
};
#define N_PALETTE (sizeof(palette) / sizeof(palette[0]))

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:960px;"
	"padding:0 1em;color:#222}\n"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}\n"
	"svg{width:100%;height:auto;background:#fff;border:1px solid #ddd}\n"
	"svg text{font-size:11px;fill:#444}svg .grid{stroke:#eee}svg .tick{stroke:#999}\n"
	"svg path{fill:none;stroke-linejoin:round}\n"
	".fp{stroke:#0072b2;stroke-width:2}.rss{stroke:#e69f00;stroke-width:1.2;"
	"stroke-dasharray:4 3}\n"
	".faint{stroke-width:1;opacity:.35}.median{stroke-width:2.5}\n"
	"rect.start{fill:#f2f2f2}rect.load{fill:#fdf1dc}rect.idle{fill:#e6f2ea}\n"
	".cp{stroke:#888;stroke-dasharray:2 3}.ready{stroke:#333;stroke-dasharray:6 3}\n"
	"circle.peak{fill:#d55e00}text.dot{fill:#d55e00;font-weight:bold}\n"
	"table{border-collapse:collapse;margin:.8em 0}td,th{border:1px solid #ddd;"
	"padding:3px 8px;vertical-align:top}th{background:#f6f6f6}.r{text-align:right}\n"
	"small{color:#666}.key span{display:inline-block;margin-right:1.2em}\n"
	".swatch{display:inline-block;width:1.6em;height:.3em;vertical-align:middle;"
	"margin-right:.4em}\n"
	".exceeded{color:#b00;font-weight:bold}\n";

/* The document up to <body>, and its end. */
static void doc_begin(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>", f);
	svg_text(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
	svg_text(f, title);
	fputs("</h1>\n", f);
}

static void doc_end(FILE *f)
{
	fprintf(f, "<p><small>memwatch %s</small></p>\n</body>\n</html>\n", PACKAGE_VERSION);
}

/* A legend entry: a swatch of colour, and a label. */
static void key(FILE *f, const char *color, const char *dash, const char *label)
{
	fprintf(f, "<span><i class=\"swatch\" style=\"background:%s%s\"></i>", color,
		dash ? dash : "");
	svg_text(f, label);
	fputs("</span>", f);
}

/* The highest footprint or rss the series holds. */
static double series_max(const struct result_series *s, bool rss)
{
	double m = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		m = fmax(m, (double)(rss ? s->rss_bytes[i] : s->footprint_bytes[i]));
	return m;
}

/* The phases of a run as shaded spans, and its ready line. */
static void run_phases(struct svg_chart *c, const struct result_run *run, double end)
{
	size_t i;
	bool idle = false;

	for (i = 0; i < run->n_checkpoints; i++)
		idle |= run->checkpoints[i].kind && !strcmp(run->checkpoints[i].kind, "idle");
	if (run->load_start_s > 0)
		svg_span(c, 0, run->load_start_s, "start", "start");
	if (run->load_start_s >= 0)
		svg_span(c, run->load_start_s, run->load_end_s >= 0 ? run->load_end_s : end,
			 "load", "load");
	if (run->load_end_s >= 0 && idle)
		svg_span(c, run->load_end_s, end, "idle", "idle");
	if (run->ready_s >= 0)
		svg_vline(c, run->ready_s, "ready", "ready");
}

/* The chart of one run. */
static void run_chart(FILE *f, const struct result_run *run, bool raw)
{
	const struct result_series *s = &run->series;
	struct svg_chart c;
	/* To the millisecond, as the file keeps it: the run draws what a
	 * report of its file draws. */
	double end = round(fmax(run->wall_s, s->n ? s->t_s[s->n - 1] : 0) * 1000) / 1000;
	char v[FMT_BUF], *label;
	size_t i;

	if (!s->n) {
		fputs("<p>This result keeps no series of the run to draw.</p>\n", f);
		return;
	}
	svg_begin(&c, f, 0, end, fmax(fmax(series_max(s, false), series_max(s, true)),
				     (double)run->peak.mem.footprint_bytes),
		  "The tree's footprint and rss over the run");
	run_phases(&c, run, end);
	for (i = 0; i < run->n_checkpoints; i++) {
		const struct result_checkpoint *cp = &run->checkpoints[i];

		label = xasprintf("%s at %.3f s: footprint %s", cp->label, cp->t_s,
				  fmt_bytes(v, cp->mem.footprint_bytes, raw));
		svg_vline(&c, cp->t_s, "cp", label);
		free(label);
	}
	svg_curve(&c, s->t_s, s->rss_bytes, s->n, 0, "rss", NULL, "rss");
	svg_curve(&c, s->t_s, s->footprint_bytes, s->n, 0, "fp", NULL, "footprint");
	label = xasprintf("peak %s", fmt_bytes(v, run->peak.mem.footprint_bytes, raw));
	svg_dot(&c, run->peak.t_s, (double)run->peak.mem.footprint_bytes, "peak", label);
	free(label);
	svg_end(&c);
	fputs("<p class=\"key\">", f);
	key(f, "#0072b2", NULL, "footprint");
	key(f, "#e69f00", NULL, "rss");
	key(f, "#fdf1dc", NULL, "load phase");
	key(f, "#e6f2ea", NULL, "idle phase");
	key(f, "#d55e00", NULL, "peak");
	fputs("</p>\n", f);
}

/* The kernel's count of the tree: its exact peak, and each phase's. */
static void html_kernel(FILE *f, const struct result_kcount *k, bool raw)
{
	char a[FMT_BUF];
	size_t i;

	if (!k->tier)
		return;
	fputs("<h2>Kernel count</h2>\n", f);
	if (strcmp(k->tier, "cgroup") != 0) {
		fputs("<p>Sampling only: ", f);
		svg_text(f, k->note ? k->note : "no memory cgroup");
		fputs("</p>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th>The tree's memory cgroup</th><th class=\"r\">Charged"
	      "</th></tr></thead>\n<tbody>\n", f);
	if (k->has_peak) {
		fputs("<tr><td>Tree peak (exact, memory.peak", f);
		if (k->peak_phase) {
			fputs(", in ", f);
			svg_text(f, k->peak_phase);
		}
		fprintf(f, ")</td><td class=\"r\">%s</td></tr>\n", fmt_bytes(a, k->peak_bytes, raw));
	}
	fprintf(f, "<tr><td>Highest memory.current sampled</td><td class=\"r\">%s</td></tr>\n",
		fmt_bytes(a, k->max_current_bytes, raw));
	for (i = 0; i < k->n_phases; i++) {
		fputs("<tr><td>Peak in ", f);
		svg_text(f, k->phases[i].phase);
		fprintf(f, " (%s)</td><td class=\"r\">%s</td></tr>\n",
			k->phases_exact ? "exact" : "sampled",
			fmt_bytes(a, k->phases[i].peak_bytes, raw));
	}
	fputs("</tbody>\n</table>\n", f);
}

/* Each process's peak in each phase, for the processes of the highest. */
static void html_phase_peaks(FILE *f, const struct result_run *run, bool raw)
{
	struct phase_peaks pp;
	size_t i, j;
	char a[FMT_BUF];

	if (!phase_peaks_build(&pp, run))
		return;
	fprintf(f, "<h2>Peak per phase, per process</h2>\n<p><small>%s</small></p>\n"
		"<table>\n<thead><tr><th class=\"r\">PID</th>", pp.any_sampled ?
		"~: sampled (the highest rss and VmHWM read), else exact (VmHWM reset at "
		"each boundary, --phase-hwm)" : "exact: VmHWM reset at each boundary (--phase-hwm)");
	for (j = 0; j < pp.n_cols; j++) {
		fputs("<th class=\"r\">", f);
		svg_text(f, pp.cols[j].name);
		fputs("</th>", f);
	}
	fputs("<th>Command</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < pp.n_rows; i++) {
		fprintf(f, "<tr><td class=\"r\">%d</td>", (int)pp.rows[i]->pid);
		for (j = 0; j < pp.n_cols; j++) {
			uint64_t b;
			bool exact;

			if (phase_peaks_cell(&pp, i, j, &b, &exact))
				fprintf(f, "<td class=\"r\">%s%s</td>", fmt_bytes(a, b, raw),
					exact ? "" : " ~");
			else
				fputs("<td class=\"r\">–</td>", f);
		}
		fputs("<td>", f);
		svg_text(f, pp.rows[i]->command);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	if (pp.more)
		fprintf(f, "<p>%zu more process%s.</p>\n", pp.more, pp.more == 1 ? "" : "es");
	phase_peaks_free(&pp);
}

void html_run(FILE *f, const struct result_config *c, const struct result_run *run,
	      const struct report_opts *o)
{
	char *title = xasprintf("memwatch: %s", c->name), a[FMT_BUF], b[FMT_BUF], r[FMT_BUF];
	size_t i;

	doc_begin(f, title);
	free(title);
	fputs("<p><code>", f);
	for (i = 0; c->argv && c->argv[i]; i++) {
		if (i)
			fputc(' ', f);
		svg_text(f, c->argv[i]);
	}
	fprintf(f, "</code><br>ended by %s, exit status %d, %s; tree peak footprint %s, "
		"rss %s</p>\n", run->ended_by ? run->ended_by : "exit", run->exit_status,
		fmt_duration(a, run->wall_s), fmt_bytes(b, run->peak.mem.footprint_bytes,
							o->raw_bytes),
		fmt_bytes(r, run->peak_rss_bytes ? run->peak_rss_bytes : run->max_rss_bytes,
			  o->raw_bytes));
	run_chart(f, run, o->raw_bytes);
	fputs("<h2>Checkpoints</h2>\n<table>\n<thead><tr><th>Checkpoint</th><th class=\"r\">At"
	      "</th><th class=\"r\">Footprint</th><th class=\"r\">RSS</th><th class=\"r\">PSS"
	      "</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < run->n_checkpoints; i++) {
		const struct result_checkpoint *cp = &run->checkpoints[i];

		fputs("<tr><td>", f);
		svg_text(f, cp->label);
		fprintf(f, "</td><td class=\"r\">%s</td>", fmt_duration(a, cp->t_s));
		fprintf(f, "<td class=\"r\">%s</td>", fmt_bytes(a, cp->mem.footprint_bytes,
								o->raw_bytes));
		fprintf(f, "<td class=\"r\">%s</td>", fmt_bytes(a, cp->mem.rss_bytes, o->raw_bytes));
		fprintf(f, "<td class=\"r\">%s</td></tr>\n",
			fmt_bytes(a, cp->mem.pss_bytes, o->raw_bytes));
	}
	fputs("</tbody>\n</table>\n", f);
	html_kernel(f, &run->kernel, o->raw_bytes);
	html_phase_peaks(f, run, o->raw_bytes);
	doc_end(f);
}

/* The run of c whose peak is the median's (the first of two as near). */
static size_t median_run(const struct result_config *c)
{
	struct metric_stats st;
	size_t i, best = 0;
	double d = INFINITY;

	if (!metric_stats(c, "peak", &st))
		return 0;
	for (i = 0; i < c->n_runs; i++)
		if (fabs((double)c->runs[i].peak.mem.footprint_bytes - st.median) < d) {
			d = fabs((double)c->runs[i].peak.mem.footprint_bytes - st.median);
			best = i;
		}
	return best;
}

/* Seconds to subtract from a run's times to align it at its ready line. */
static double ready_shift(const struct result_run *run)
{
	return run->ready_s >= 0 ? -run->ready_s : 0;
}

/* Footprint curves of several configurations on one chart: every run
 * faint, each configuration's median run bold. False if no run has a
 * series. */
static bool curves_chart(FILE *f, const struct result_config *const *cfgs,
			 const char *const *titles, size_t n, const char *what)
{
	double t_min = 0, t_max = 0, top = 0;
	struct svg_chart c;
	size_t i, j;
	bool any = false;

	for (i = 0; i < n; i++)
		for (j = 0; j < cfgs[i]->n_runs; j++) {
			const struct result_run *r = &cfgs[i]->runs[j];

			if (!r->series.n)
				continue;
			any = true;
			t_min = fmin(t_min, r->series.t_s[0] + ready_shift(r));
			t_max = fmax(t_max, r->series.t_s[r->series.n - 1] + ready_shift(r));
			top = fmax(top, series_max(&r->series, false));
		}
	if (!any)
		return false;
	svg_begin(&c, f, t_min, t_max, top, what);
	if (t_min < 0)
		svg_vline(&c, 0, "ready", "ready");
	for (i = 0; i < n; i++) {
		size_t med = median_run(cfgs[i]);
		char *st = xasprintf("style=\"stroke:%s\"", palette[i % N_PALETTE]);

		for (j = 0; j <= cfgs[i]->n_runs; j++) {
			/* The median run last, over the others. */
			size_t k = j < cfgs[i]->n_runs ? j : med;
			const struct result_run *r = &cfgs[i]->runs[k];
			char *tip;

			if ((j < cfgs[i]->n_runs && k == med) || !r->series.n)
				continue;
			tip = xasprintf("%s, run %zu%s", titles[i], k + 1,
					j == cfgs[i]->n_runs ? " (median)" : "");
			svg_curve(&c, r->series.t_s, r->series.footprint_bytes, r->series.n,
				  ready_shift(r), j == cfgs[i]->n_runs ? "run median" : "run faint",
				  st, tip);
			free(tip);
		}
		free(st);
	}
	svg_end(&c);
	fputs("<p class=\"key\">", f);
	for (i = 0; i < n; i++)
		key(f, palette[i % N_PALETTE], NULL, titles[i]);
	fputs("<span>bold: the run of median peak; time from each run's ready line</span></p>\n",
	      f);
	return true;
}

/* Whether two hosts are described alike (a merged result copies each). */
static bool same_host(const struct result_host *a, const struct result_host *b)
{
	return a == b || (!strcmp(a->hostname, b->hostname) && !strcmp(a->kernel, b->kernel) &&
			  !strcmp(a->arch, b->arch) && a->cpus == b->cpus &&
			  a->mem_total_bytes == b->mem_total_bytes && !strcmp(a->thp, b->thp));
}

/* Where the columns ran: each host once, under the first column that ran
 * there; "all" when there is one. */
static void html_hosts(FILE *f, const struct table *t)
{
	char mem[FMT_BUF];
	size_t i, j;

	fputs("<h2>Hosts</h2>\n<ul>\n", f);
	for (i = 0; i < t->n; i++) {
		const struct result_host *h = t->cols[i].host;

		for (j = 0; j < i && h && !(t->cols[j].host && same_host(t->cols[j].host, h)); j++)
			;
		if (!h || j < i)
			continue;
		for (j = i + 1; j < t->n && t->cols[j].host && same_host(t->cols[j].host, h); j++)
			;
		fputs("<li>", f);
		svg_text(f, !i && j == t->n ? "all" : t->cols[i].title);
		fputs(": ", f);
		svg_text(f, h->hostname);
		fputs(", Linux ", f);
		svg_text(f, h->kernel);
		fputc(' ', f);
		svg_text(f, h->arch);
		fprintf(f, ", %ld CPUs, %s, THP ", h->cpus, fmt_bytes(mem, h->mem_total_bytes, false));
		svg_text(f, h->thp);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

void html_table(FILE *f, const struct table *t, const struct report_opts *o)
{
	const struct result_config **cfgs = xcalloc(t->n + 1, sizeof(*cfgs));
	const char **titles = xcalloc(t->n + 1, sizeof(*titles));
	struct grid *g = report_table_grid(t, o->raw_bytes);
	char sig[128];
	size_t i, needed;

	for (i = 0; i < t->n; i++) {
		cfgs[i] = t->cols[i].config;
		titles[i] = t->cols[i].title;
	}
	doc_begin(f, "memwatch compare");
	fprintf(f, "<p>%zu configuration%s, ", t->n, t->n == 1 ? "" : "s");
	svg_text(f, t->what ? t->what : "");
	fputs("; median ±stddev (min – max below), change vs ", f);
	svg_text(f, t->cols[t->baseline].title);
	report_table_sig_note(sig, sizeof(sig), t);
	fprintf(f, "; %s%s.</p>\n", sig,
		report_table_untested(t, &needed) ? "" : "; <b>bold</b>: significant");
	fputs("<h2>Footprint over time</h2>\n", f);
	if (!curves_chart(f, cfgs, titles, t->n, "The tree's footprint of every run"))
		fputs("<p>These results keep no series of the runs to draw.</p>\n", f);
	fputs("<h2>Metrics</h2>\n", f);
	grid_html(f, g);
	html_hosts(f, t);
	doc_end(f);
	grid_free(g);
	free(cfgs);
	free(titles);
}

void html_diff(FILE *f, const struct report_diff *d)
{
	size_t i, j;
	char sig[128];

	doc_begin(f, "memwatch diff");
	fputs("<p>", f);
	svg_text(f, d->base_path);
	fputs(" → ", f);
	svg_text(f, d->new_path);
	report_diff_sig_note(sig, sizeof(sig), d);
	fprintf(f, " (medians ±stddev over each side's runs%s%s)%s%s.</p>\n",
		d->untested ? "" : "; ", d->untested ? "" : sig, d->untested ? "; " : "",
		d->untested ? sig : "; <b>bold</b>: significant");
	for (i = 0; i < d->n_pairs; i++) {
		const struct result_config *cfgs[2] = { d->pairs[i].base, d->pairs[i].next };
		const char *titles[2] = { "base", "new" };

		fputs("<h2>", f);
		svg_text(f, d->pairs[i].next->name);
		fputs("</h2>\n", f);
		curves_chart(f, cfgs, titles, 2, "The tree's footprint of every run, base and new");
	}
	fputs("<h2>Changes</h2>\n", f);
	grid_html(f, d->table);
	if (d->n_th)
		fputs("<h2>Thresholds</h2>\n<ul>\n", f);
	for (j = 0; j < d->n_th; j++)
		for (i = 0; i < d->n_pairs; i++) {
			char why[96];
			bool over = report_diff_over(&d->th[j], i);

			report_diff_why(why, sizeof(why), &d->th[j], i);
			fprintf(f, "<li><span class=\"%s\">%s</span> ", over ? "exceeded" : "ok",
				over ? "EXCEEDED" : "ok");
			svg_text(f, d->pairs[i].next->name);
			fputc(' ', f);
			svg_text(f, d->th[j].metric);
			fprintf(f, ": %+.1f%% (at most +%g%%%s); ", d->th[j].pct[i],
				(double)d->th[j].max_bp / 100, d->th[j].strict ? ", strict" : "");
			svg_text(f, why);
			fputs("</li>\n", f);
		}
	if (d->n_th)
		fputs("</ul>\n", f);
	doc_end(f);
}
