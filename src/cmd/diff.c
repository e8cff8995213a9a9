/* cmd_diff.c - memwatch diff: two results, deltas, CI thresholds
 *
 * For each configuration the two results share, the change of every metric
 * from BASE to NEW (medians over their runs). --max-increase METRIC=PCT
 * makes it a gate: exit 1 when a metric grew by more than PCT in any
 * configuration. */
#include "config.h"

#include "cmd/diff.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/exitcode.h"
#include "report/grid.h"
#include "report/grid_markdown.h"
#include "report/grid_text.h"
#include "util/fmt.h"
#include "result/metrics.h"
#include "result/result.h"
#include "result/load.h"
#include "util/xalloc.h"

static void usage(void)
{
	printf(
"Usage: memwatch diff [OPTION]... BASE.json NEW.json\n"
"Show how each metric changed from BASE to NEW, configuration by\n"
"configuration (medians over their runs); fail past the given thresholds.\n"
"\n"
"      --max-increase=METRIC=PCT  exit 1 if METRIC grew by more than PCT\n"
"                               percent in any configuration (repeatable);\n"
"                               METRIC: peak, sum_proc_peak, footprint_idle\n"
"                               (the last idle checkpoint), footprint_load_end,\n"
"                               rss_idle, footprint_<checkpoint>, settle_s,\n"
"                               wall_s, cpu_s, ... (see memwatch(1), METRICS)\n"
"  -o, --output=FILE        the text to FILE (default: standard output)\n"
"      --markdown=FILE      the same as markdown, for a PR comment\n"
"      --bytes              sizes in bytes\n"
"  -q, --quiet              no text (the exit status still says it)\n"
"  -h, --help               show this help and exit\n"
"\n"
"The two results must hold the same configurations (by name); two results\n"
"of one configuration each are compared whatever their names.\n"
"Exit status: 0 within every threshold; 1 past one; 2 for bad usage or a\n"
"file that is not a valid result.\n");
}

enum {
	OPT_MAX_INCREASE = 700,
	OPT_MARKDOWN,
	OPT_BYTES,
};

struct threshold {
	char *metric;
	uint64_t max_bp;	/* basis points */
	double *pct;		/* the change per configuration pair */
	bool exceeded;
};

static bool over(const struct threshold *t, size_t i)
{
	return t->pct[i] * 100 > (double)t->max_bp;
}

/* A pair of configurations to compare. */
struct pair {
	const struct result_config *base, *next;
};

static void parse_threshold(const char *arg, struct threshold *t)
{
	const char *eq = strrchr(arg, '=');

	if (!eq || eq == arg)
		cli_usage_error("--max-increase: '%s' is not METRIC=PCT (e.g. footprint_idle=5%%)", arg);
	t->metric = xstrndup(arg, (size_t)(eq - arg));
	if (!metric_known(t->metric))
		cli_usage_error("--max-increase: '%s' is not a metric (e.g. peak, sum_proc_peak, "
				"footprint_idle, footprint_load_end, rss_idle, settle_s, wall_s)",
				t->metric);
	t->max_bp = cli_percent_bp("--max-increase", eq + 1, 0, 100000000);
	t->pct = NULL;
	t->exceeded = false;
}

static char *name_list(const struct result *r)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; i < r->n_configs; i++)
		len += strlen(r->configs[i].name) + 2;
	s = xcalloc(len, 1);
	for (i = 0; i < r->n_configs; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, r->configs[i].name);
	}
	return s;
}

/* Pair the configurations by name; the same set on both sides, or one
 * configuration each. */
static struct pair *pair_up(const struct result *a, const struct result *b,
			    const char *pa, const char *pb, size_t *n)
{
	struct pair *v = xcalloc(a->n_configs ? a->n_configs : 1, sizeof(*v));
	size_t i, j;

	if (a->n_configs == 1 && b->n_configs == 1) {
		v[0].base = &a->configs[0];
		v[0].next = &b->configs[0];
		*n = 1;
		return v;
	}
	for (i = 0; i < a->n_configs; i++) {
		for (j = 0; j < b->n_configs; j++)
			if (!strcmp(a->configs[i].name, b->configs[j].name))
				break;
		if (j == b->n_configs || a->n_configs != b->n_configs) {
			char *la = name_list(a), *lb = name_list(b);

			cli_warn("diff: the configurations differ: %s has %s; %s has %s",
				 pa, la, pb, lb);
			free(la);
			free(lb);
			free(v);
			exit(EXIT_USAGE);
		}
		v[i].base = &a->configs[i];
		v[i].next = &b->configs[j];
	}
	*n = a->n_configs;
	return v;
}

/* The change in percent; infinite from 0 to more, 0 from 0 to 0. */
static double pct_of(double base, double next)
{
	if (base == 0)
		return next == 0 ? 0 : INFINITY;
	return 100 * (next - base) / fabs(base);
}

static void fmt_pct(char *buf, size_t len, double pct)
{
	if (isinf(pct))
		snprintf(buf, len, "new");
	else
		snprintf(buf, len, "%+.1f%%", pct);
}

/* Medians of a metric on both sides; false if either lacks it. */
static bool both(const struct pair *p, const char *metric, double *b, double *n)
{
	struct metric_stats sb, sn;

	if (!metric_stats(p->base, metric, &sb) || !metric_stats(p->next, metric, &sn))
		return false;
	*b = sb.median;
	*n = sn.median;
	return true;
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

static const struct grid_col diff_cols[] = {
	[COL_TITLE] = { .head = "Metric", .text_head = "METRIC",
			.formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .escape = true,
			.width = 36, .max_bytes = 36, .pad_bytes = true },
	[COL_BASE] = DIFF_COL("Base", "BASE", 12),
	[COL_NEW] = DIFF_COL("New", "NEW", 12),
	[COL_CHANGE] = DIFF_COL("Change", "CHANGE", 12),
	[COL_PCT] = { .head = "Change (%)", .text_head = "", .align = GRID_RIGHT,
		      .formats = GRID_TEXT | GRID_CSV, .md_before = " (", .md_after = ")",
		      .sep = " ", .width = 8, .pad_bytes = true },
};

/* The row for a metric of a pair, unless either side lacks it. */
static void diff_row(struct grid *g, const struct pair *p, const char *metric, bool raw)
{
	char *title, buf[64];
	double b, n;

	if (!both(p, metric, &b, &n))
		return;
	grid_add_row(g);
	title = metric_title(metric);
	grid_set(g, COL_TITLE, 0, title);
	free(title);
	metric_format(buf, sizeof(buf), metric, b, raw);
	grid_set(g, COL_BASE, 0, buf);
	metric_format(buf, sizeof(buf), metric, n, raw);
	grid_set(g, COL_NEW, 0, buf);
	metric_format_delta(buf, sizeof(buf), metric, n - b, raw);
	grid_set(g, COL_CHANGE, 0, buf);
	fmt_pct(buf, 32, pct_of(b, n));
	grid_set(g, COL_PCT, 0, buf);
}

/* The diff as a grid: a section per pair of configurations, a row per
 * metric both sides have. */
static struct grid *diff_grid(const struct pair *pairs, size_t np, bool raw)
{
	struct grid *g = grid_new(diff_cols, sizeof(diff_cols) / sizeof(diff_cols[0]));
	size_t i, j;

	g->indent = "  ";
	g->section_head = "Configuration";
	for (i = 0; i < np; i++) {
		const struct result_config *cs[2] = { pairs[i].base, pairs[i].next };
		char **rows = metric_table_rows(cs, 2);

		grid_add_section(g, pairs[i].next->name);
		for (j = 0; rows[j]; j++)
			diff_row(g, &pairs[i], rows[j], raw);
		metric_names_free(rows);
	}
	return g;
}

static void print_text(FILE *f, const struct grid *g, const struct pair *pairs, size_t np,
		       const char *pa, const char *pb, struct threshold *th, size_t nth)
{
	size_t i, j;

	fprintf(f, "memwatch diff: %s -> %s (medians over each side's runs)\n", pa, pb);
	grid_text(f, g);
	if (!nth)
		return;
	fputs("\n  thresholds:\n", f);
	for (j = 0; j < nth; j++)
		for (i = 0; i < np; i++) {
			char p[32], *name = fmt_escape(pairs[i].next->name, ESCAPE_TEXT);
			char *m = fmt_escape(th[j].metric, ESCAPE_TEXT);

			fmt_pct(p, sizeof(p), th[j].pct[i]);
			fprintf(f, "  %-8s %s %s: %s (at most +%g%%)\n",
				over(&th[j], i) ? "EXCEEDED" : "ok",
				name, m, p, (double)th[j].max_bp / 100);
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
};

static const struct grid_col threshold_cols[] = {
	[TH_THRESHOLD] = { .head = "Threshold", .formats = GRID_MARKDOWN | GRID_CSV,
			   .escape = true },
	[TH_CONFIG] = { .head = "Configuration", .formats = GRID_MARKDOWN | GRID_CSV,
			.escape = true },
	[TH_CHANGE] = { .head = "Change", .align = GRID_RIGHT,
			.formats = GRID_MARKDOWN | GRID_CSV },
	[TH_RESULT] = { .head = "Result", .formats = GRID_MARKDOWN | GRID_CSV },
};

/* Each threshold in each configuration, and whether it held. */
static void print_thresholds_markdown(FILE *f, const struct pair *pairs, size_t np,
				      const struct threshold *th, size_t nth)
{
	struct grid *g = grid_new(threshold_cols,
				  sizeof(threshold_cols) / sizeof(threshold_cols[0]));
	size_t i, j;
	char p[32];

	for (j = 0; j < nth; j++)
		for (i = 0; i < np; i++) {
			grid_add_row(g);
			grid_setf(g, TH_THRESHOLD, 0, "%s ≤ +%g%%", th[j].metric,
				  (double)th[j].max_bp / 100);
			grid_set(g, TH_CONFIG, 0, pairs[i].next->name);
			fmt_pct(p, sizeof(p), th[j].pct[i]);
			grid_set(g, TH_CHANGE, 0, p);
			grid_set(g, TH_RESULT, 0, over(&th[j], i) ? "**exceeded**" : "ok");
		}
	grid_markdown(f, g);
	grid_free(g);
}

static void print_markdown(FILE *f, const struct grid *g, const struct pair *pairs,
			   size_t np, const char *pa, const char *pb, struct threshold *th,
			   size_t nth)
{
	char *ea = fmt_escape(pa, ESCAPE_MARKDOWN), *eb = fmt_escape(pb, ESCAPE_MARKDOWN);
	size_t j;
	bool any_exceeded = false;

	for (j = 0; j < nth; j++)
		any_exceeded |= th[j].exceeded;
	fprintf(f, "### memwatch diff\n\n%s → %s (medians over each side's runs)%s\n\n",
		ea, eb, nth ? (any_exceeded ? ": **a threshold was exceeded**" :
			       ": every threshold holds") : "");
	grid_markdown(f, g);
	if (nth) {
		fputc('\n', f);
		print_thresholds_markdown(f, pairs, np, th, nth);
	}
	free(ea);
	free(eb);
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max-increase", required_argument, NULL, OPT_MAX_INCREASE },
		{ "output", required_argument, NULL, 'o' },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_output text = { .opt = "--output" }, md = { .opt = "--markdown" };
	struct threshold *th = NULL;
	struct result a = { 0 }, b = { 0 };
	struct pair *pairs;
	struct grid *table;
	size_t nth = 0, np, i, j;
	bool quiet = false, raw = false, ok = true, exceeded = false;
	const char *pa, *pb;
	char err[512];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_MAX_INCREASE:
			th = xreallocarray(th, nth + 1, sizeof(*th));
			parse_threshold(optarg, &th[nth++]);
			break;
		case 'o': text.path = optarg; break;
		case OPT_MARKDOWN: md.path = optarg; break;
		case OPT_BYTES: raw = true; break;
		case 'q': quiet = true; break;
		case 'h':
			usage();
			return cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED;
		default:
			cli_bad_option(argv, c);
		}
	}
	if (argc - optind != 2)
		cli_usage_error("diff: give two result files (usage: memwatch diff [OPTION]... BASE.json NEW.json)");
	pa = argv[optind];
	pb = argv[optind + 1];
	if (!strcmp(pa, "-") && !strcmp(pb, "-"))
		cli_usage_error("diff: standard input (-) can be read once only");
	if (cli_output_is_stdout(&text) && cli_output_is_stdout(&md))
		cli_usage_error("only one of --output and --markdown can be - (standard output)");
	if (result_load_file(pa, &a, err, sizeof(err)) < 0)
		cli_usage_error("diff: %s: %s", pa, err);
	if (result_load_file(pb, &b, err, sizeof(err)) < 0) {
		result_free(&a);
		cli_usage_error("diff: %s: %s", pb, err);
	}
	pairs = pair_up(&a, &b, pa, pb, &np);
	for (j = 0; j < nth; j++) {
		th[j].pct = xcalloc(np, sizeof(*th[j].pct));
		for (i = 0; i < np; i++) {
			double vb, vn;

			if (!both(&pairs[i], th[j].metric, &vb, &vn))
				cli_usage_error("--max-increase: %s has no %s in both results "
						"(is the checkpoint there in each?)",
						pairs[i].next->name, th[j].metric);
			th[j].pct[i] = pct_of(vb, vn);
			th[j].exceeded |= over(&th[j], i);
		}
		exceeded |= th[j].exceeded;
	}

	cli_output_open(&text);
	cli_output_open(&md);
	if (!text.path && !quiet && md.f != stdout)
		text.f = stdout;
	table = diff_grid(pairs, np, raw);
	if (text.f)
		print_text(text.f, table, pairs, np, pa, pb, th, nth);
	if (md.f)
		print_markdown(md.f, table, pairs, np, pa, pb, th, nth);
	grid_free(table);
	ok &= cli_output_close(&text);
	ok &= cli_output_close(&md);
	ok &= cli_close_stdout();
	for (j = 0; j < nth; j++) {
		free(th[j].metric);
		free(th[j].pct);
	}
	free(th);
	free(pairs);
	result_free(&a);
	result_free(&b);
	if (!ok)
		return EXIT_MEMWATCH_FAILED;
	return exceeded ? EXIT_THRESHOLD : EXIT_OK;
}
