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

/* One row of a diff, ready to print: its title (escaped as asked), the two
 * medians, the change and the change in percent. */
struct diff_row {
	char *title;
	char base[64], next[64], change[64], pct[32];
};

/* The row for a metric of a pair; false if either side lacks it. */
static bool diff_row(const struct pair *p, const char *metric, enum fmt_escape how,
		     bool raw, struct diff_row *row)
{
	char *title;
	double b, n;

	if (!both(p, metric, &b, &n))
		return false;
	title = metric_title(metric);
	row->title = fmt_escape(title, how);
	free(title);
	metric_format(row->base, sizeof(row->base), metric, b, raw);
	metric_format(row->next, sizeof(row->next), metric, n, raw);
	metric_format_delta(row->change, sizeof(row->change), metric, n - b, raw);
	fmt_pct(row->pct, sizeof(row->pct), pct_of(b, n));
	return true;
}

static void print_text(FILE *f, const struct pair *pairs, size_t np,
		       const char *pa, const char *pb, struct threshold *th, size_t nth,
		       bool raw)
{
	size_t i, j;

	fprintf(f, "memwatch diff: %s -> %s (medians over each side's runs)\n", pa, pb);
	for (i = 0; i < np; i++) {
		const struct result_config *cs[2] = { pairs[i].base, pairs[i].next };
		char **rows = metric_table_rows(cs, 2);
		char *name = fmt_escape(pairs[i].next->name, ESCAPE_TEXT);

		fprintf(f, "\n  %s\n  %-36s %12s %12s %12s %8s\n", name, "METRIC", "BASE",
			"NEW", "CHANGE", "");
		free(name);
		for (j = 0; rows[j]; j++) {
			struct diff_row row;

			if (!diff_row(&pairs[i], rows[j], ESCAPE_TEXT, raw, &row))
				continue;
			fprintf(f, "  %-36.36s %12s %12s %12s %8s\n", row.title, row.base,
				row.next, row.change, row.pct);
			free(row.title);
		}
		metric_names_free(rows);
	}
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

static void print_markdown(FILE *f, const struct pair *pairs, size_t np,
			   const char *pa, const char *pb, struct threshold *th,
			   size_t nth, bool raw)
{
	char *ea = fmt_escape(pa, ESCAPE_MARKDOWN), *eb = fmt_escape(pb, ESCAPE_MARKDOWN);
	size_t i, j;
	bool any_exceeded = false;

	for (j = 0; j < nth; j++)
		any_exceeded |= th[j].exceeded;
	fprintf(f, "### memwatch diff\n\n%s → %s (medians over each side's runs)%s\n\n",
		ea, eb, nth ? (any_exceeded ? ": **a threshold was exceeded**" :
			       ": every threshold holds") : "");
	fputs("| Configuration | Metric | Base | New | Change |\n|---|---|---:|---:|---:|\n", f);
	for (i = 0; i < np; i++) {
		const struct result_config *cs[2] = { pairs[i].base, pairs[i].next };
		char **rows = metric_table_rows(cs, 2);
		char *name = fmt_escape(pairs[i].next->name, ESCAPE_MARKDOWN);

		for (j = 0; rows[j]; j++) {
			struct diff_row row;

			if (!diff_row(&pairs[i], rows[j], ESCAPE_MARKDOWN, raw, &row))
				continue;
			fprintf(f, "| %s | %s | %s | %s | %s (%s) |\n", name, row.title,
				row.base, row.next, row.change, row.pct);
			free(row.title);
		}
		free(name);
		metric_names_free(rows);
	}
	if (nth) {
		fputs("\n| Threshold | Configuration | Change | Result |\n|---|---|---:|---|\n", f);
		for (j = 0; j < nth; j++)
			for (i = 0; i < np; i++) {
				char p[32], *name = fmt_escape(pairs[i].next->name, ESCAPE_MARKDOWN);
				char *m = fmt_escape(th[j].metric, ESCAPE_MARKDOWN);

				fmt_pct(p, sizeof(p), th[j].pct[i]);
				fprintf(f, "| %s ≤ +%g%% | %s | %s | %s |\n", m,
					(double)th[j].max_bp / 100, name, p,
					over(&th[j], i) ? "**exceeded**" : "ok");
				free(name);
				free(m);
			}
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
	if (text.f)
		print_text(text.f, pairs, np, pa, pb, th, nth, raw);
	if (md.f)
		print_markdown(md.f, pairs, np, pa, pb, th, nth, raw);
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
