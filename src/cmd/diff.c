/* cmd/diff.c - memwatch diff: two results, deltas, CI thresholds
 *
 * For each configuration the two results share, the change of every metric
 * from BASE to NEW (medians over their runs) and whether it is significant.
 * --max-increase METRIC=PCT makes it a gate: exit 1 when a metric grew by
 * more than PCT, significantly, in any configuration. */
#include "config.h"

#include "cmd/diff.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/alpha.h"
#include "cli/cli.h"
#include "cli/exitcode.h"
#include "cli/outputs.h"
#include "report/diff.h"
#include "report/html.h"
#include "result/load.h"
#include "result/metrics.h"
#include "result/result.h"
#include "util/xalloc.h"

static void usage(void)
{
	printf(
"Usage: memwatch diff [OPTION]... BASE.json NEW.json\n"
"Show how each metric changed from BASE to NEW, configuration by\n"
"configuration (medians over their runs, and whether the change is\n"
"significant); fail past the given thresholds.\n"
"\n"
"      --max-increase=METRIC=PCT  exit 1 if METRIC grew by more than PCT\n"
"                               percent in any configuration, and the\n"
"                               growth is significant (repeatable);\n"
"                               METRIC: peak, sum_proc_peak, footprint_idle\n"
"                               (the last idle checkpoint), footprint_load_end,\n"
"                               rss_idle, footprint_<checkpoint>, settle_s,\n"
"                               wall_s, cpu_s, ... (all of them: memwatch(1),\n"
"                               MEMWATCH DIFF)\n"
"      --strict             exceeded only when the change's confidence\n"
"                           interval lies wholly past PCT\n"
"      --alpha=LEVEL        significant when the Mann-Whitney U test's p is\n"
"                           below LEVEL (default 0.05)\n"
"  -o, --output=FILE        the text to FILE (default: standard output)\n"
"      --markdown=FILE      the same as markdown, for a PR comment\n"
"      --html=FILE          one self-contained HTML file: both sides' runs\n"
"                           drawn, the changes, the thresholds\n"
"      --bytes              sizes in bytes\n"
"  -q, --quiet              no text (the exit status still says it)\n"
"  -h, --help               show this help and exit\n"
"\n"
"The two results must hold the same configurations (by name); two results\n"
"of one configuration each are compared whatever their names. With too few\n"
"runs for the test to reach LEVEL (fewer than 4 a side at 0.05), the\n"
"medians alone decide.\n"
"Exit status: 0 within every threshold; 1 past one; 2 for bad usage or a\n"
"file that is not a valid result.\n");
}

enum {
	OPT_MAX_INCREASE = 700,
	OPT_MARKDOWN,
	OPT_BYTES,
	OPT_STRICT,
	OPT_ALPHA,
	OPT_HTML,
};

/* diff's options. */
struct diff_cli {
	struct cli_output text, md, html;
	struct cli_outputs outputs;
	struct report_diff_threshold *th;
	size_t n_th;
	double alpha;
	bool quiet, raw, strict;
};

static void parse_threshold(const char *arg, struct report_diff_threshold *t)
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

/* A usage error if r holds two configurations of one name: which of them
 * pairs with the other side's would be a guess. */
static void check_names(const struct result *r, const char *path)
{
	size_t i, j;

	for (i = 0; i < r->n_configs; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(r->configs[i].name, r->configs[j].name))
				cli_usage_error("diff: %s holds two configurations named '%s' "
						"(merge with memwatch report --pool, or give each "
						"its own name)", path, r->configs[i].name);
}

/* Pair the configurations by name; the same set on both sides, or one
 * configuration each. */
static struct report_diff_pair *pair_up(const struct result *a, const struct result *b,
					       const char *pa, const char *pb, size_t *n)
{
	struct report_diff_pair *v = xcalloc(a->n_configs ? a->n_configs : 1, sizeof(*v));
	size_t i, j;

	if (a->n_configs == 1 && b->n_configs == 1) {
		v[0].base = &a->configs[0];
		v[0].next = &b->configs[0];
		*n = 1;
		return v;
	}
	check_names(a, pa);
	check_names(b, pb);
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

/* Read the options into dc (the option switch); -1, or the exit status
 * after --help. */
static int diff_options(struct diff_cli *dc, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max-increase", required_argument, NULL, OPT_MAX_INCREASE },
		{ "output", required_argument, NULL, 'o' },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_MAX_INCREASE:
			dc->th = xreallocarray(dc->th, dc->n_th + 1, sizeof(*dc->th));
			parse_threshold(optarg, &dc->th[dc->n_th++]);
			break;
		case 'o': dc->text.path = optarg; break;
		case OPT_MARKDOWN: dc->md.path = optarg; break;
		case OPT_BYTES: dc->raw = true; break;
		case OPT_STRICT: dc->strict = true; break;
		case OPT_ALPHA: dc->alpha = cli_alpha("--alpha", optarg); break;
		case OPT_HTML: dc->html.path = optarg; break;
		case 'q': dc->quiet = true; break;
		case 'h':
			usage();
			return cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED;
		default:
			cli_bad_option(argv, c);
		}
	}
	return -1;
}

/* Each threshold's change in each pair; whether any was exceeded. A usage
 * error if a side lacks a threshold's metric. */
static bool diff_thresholds(struct diff_cli *dc, const struct report_diff *d)
{
	bool exceeded = false;
	size_t i, j;

	for (j = 0; j < dc->n_th; j++) {
		struct report_diff_threshold *t = &dc->th[j];

		t->pct = xcalloc(d->n_pairs, sizeof(*t->pct));
		t->sig = xcalloc(d->n_pairs, sizeof(*t->sig));
		t->strict = dc->strict;
		for (i = 0; i < d->n_pairs; i++) {
			double vb, vn;

			if (!report_diff_medians(&d->pairs[i], t->metric, &vb, &vn))
				cli_usage_error("--max-increase: %s has no %s in both results "
						"(is the checkpoint there in each?)",
						d->pairs[i].next->name, t->metric);
			t->pct[i] = report_diff_pct(vb, vn);
			significance_of(d->pairs[i].base, d->pairs[i].next, t->metric, d->alpha,
					&t->sig[i]);
			t->exceeded |= report_diff_over(t, i);
		}
		exceeded |= t->exceeded;
	}
	return exceeded;
}

/* Load a result file; a usage error (after freeing other) if it is not
 * one. */
static void diff_load(const char *path, struct result *r, struct result *other)
{
	char err[512];

	if (result_load_file(path, r, err, sizeof(err)) < 0) {
		result_free(other);
		cli_usage_error("diff: %s: %s", path, err);
	}
}

int cmd_diff(int argc, char **argv)
{
	struct diff_cli dc = { .text = { .opt = "--output" }, .md = { .opt = "--markdown" },
			       .html = { .opt = "--html" } };
	struct result a = { 0 }, b = { 0 };
	struct report_diff d = { 0 };
	struct report_diff_pair *pairs;
	bool ok, exceeded;
	size_t j;
	int status;

	cli_outputs_add_report(&dc.outputs, &dc.text);
	cli_outputs_add(&dc.outputs, &dc.md);
	cli_outputs_add(&dc.outputs, &dc.html);
	/* A reader gone away is a write error, 125 with one line, as for the
	 * run form; a threshold's verdict is the status only of a whole
	 * output. */
	cli_ignore_sigpipe();
	if ((status = diff_options(&dc, argc, argv)) >= 0)
		return status;
	if (argc - optind != 2)
		cli_usage_error("diff: give two result files (usage: memwatch diff [OPTION]... BASE.json NEW.json)");
	d.base_path = argv[optind];
	d.new_path = argv[optind + 1];
	if (!strcmp(d.base_path, "-") && !strcmp(d.new_path, "-"))
		cli_usage_error("diff: standard input (-) can be read once only");
	cli_outputs_check(&dc.outputs);
	diff_load(d.base_path, &a, &b);
	diff_load(d.new_path, &b, &a);
	d.pairs = pairs = pair_up(&a, &b, d.base_path, d.new_path, &d.n_pairs);
	d.alpha = dc.alpha;
	exceeded = diff_thresholds(&dc, &d);
	d.th = dc.th;
	d.n_th = dc.n_th;
	d.raw_bytes = dc.raw;

	cli_outputs_open(&dc.outputs, dc.quiet);
	d.width = cli_terminal_columns(dc.text.f);
	report_diff_table(&d);
	if (dc.text.f)
		report_diff_text(dc.text.f, &d);
	if (dc.md.f)
		report_diff_markdown(dc.md.f, &d);
	if (dc.html.f)
		html_diff(dc.html.f, &d);
	ok = cli_outputs_close(&dc.outputs);
	grid_free(d.table);
	for (j = 0; j < dc.n_th; j++) {
		free(dc.th[j].metric);
		free(dc.th[j].pct);
		free(dc.th[j].sig);
	}
	free(dc.th);
	free(pairs);
	result_free(&a);
	result_free(&b);
	if (!ok)
		return EXIT_MEMWATCH_FAILED;
	return exceeded ? EXIT_THRESHOLD : EXIT_OK;
}
