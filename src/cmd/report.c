/* cmd/report.c - memwatch report: result files re-rendered and merged
 *
 * Any result file memwatch wrote, from any machine, re-rendered as text,
 * markdown, JSON or CSV. Several files merge into one table: each file's
 * configurations become columns (a name that clashes gets its file's name,
 * in the table and in the merged file alike), and the hosts they ran on
 * are shown. With --pool, the runs of configurations of one name become
 * one column: a CI matrix whose jobs each ran some of the runs. */
#include "config.h"

#include "cmd/report.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/alpha.h"
#include "cli/cli.h"
#include "cli/exitcode.h"
#include "cli/outputs.h"
#include "report/html.h"
#include "report/run_markdown.h"
#include "report/table.h"
#include "report/text.h"
#include "result/result.h"
#include "result/json.h"
#include "result/load.h"
#include "result/pool.h"
#include "util/xalloc.h"

static void usage(void)
{
	printf(
"Usage: memwatch report [OPTION]... RESULT.json...\n"
"Show saved results again: one file's runs, or several files merged into one\n"
"table (each file's configurations become columns).\n"
"\n"
"  -o, --output=FILE        the text report to FILE (default: standard output)\n"
"      --markdown=FILE      the table as markdown\n"
"      --json=FILE          the merged result file\n"
"      --csv=FILE           the table as CSV (metric, config, median, ...)\n"
"      --html=FILE          one self-contained HTML file: the runs' footprint\n"
"                           over time, drawn, and the table\n"
"      --baseline=NAME      changes are against the column NAME (default: first)\n"
"      --pool               the runs of configurations of one name, from\n"
"                           several files, as one column (a warning says\n"
"                           where their hosts or commands differ)\n"
"      --alpha=LEVEL        a change is significant when the Mann-Whitney U\n"
"                           test's p is below LEVEL (default 0.05)\n"
"      --bytes              sizes in bytes\n"
"  -q, --quiet              no text report (the files are still written)\n"
"  -h, --help               show this help and exit\n"
"\n"
"RESULT may be - for standard input; FILE may be - for standard output.\n"
"Exit status: 0; 2 for bad usage or a file that is not a valid result.\n");
}

enum {
	OPT_MARKDOWN = 600,
	OPT_JSON,
	OPT_CSV,
	OPT_BASELINE,
	OPT_BYTES,
	OPT_ALPHA,
	OPT_POOL,
	OPT_HTML,
};

/* With pool, the configuration of dst that src's configuration c pools
 * into: the one of its name; NULL if none. */
static struct result_config *pooled_with(struct result *dst, const struct result_config *c,
					 bool pool)
{
	size_t i;

	for (i = 0; pool && i < dst->n_configs; i++)
		if (!strcmp(dst->configs[i].name, c->name))
			return &dst->configs[i];
	return NULL;
}

/* Move the configurations of src to the end of dst, each remembering the
 * host it ran on (the merged file holds several hosts); with pool, the
 * runs of a configuration dst has by name join its runs instead. What is
 * left in src (pooled configurations, without runs) is src's to free. */
static void merge_into(struct result *dst, struct result *src, bool pool, const char *path)
{
	size_t i, left = 0;

	dst->configs = xreallocarray(dst->configs, dst->n_configs + src->n_configs,
				     sizeof(*dst->configs));
	for (i = 0; i < src->n_configs; i++) {
		struct result_config *c, *into = pooled_with(dst, &src->configs[i], pool);
		char why[512];

		if (into) {
			if (!result_pool_runs(into, into->host ? into->host : &dst->host,
					      &src->configs[i], src->configs[i].host ?
					      src->configs[i].host : &src->host, why, sizeof(why)))
				cli_warn("report: --pool: %s of %s differs from the runs before: %s",
					 src->configs[i].name, path, why);
			src->configs[left++] = src->configs[i];
			continue;
		}
		c = &dst->configs[dst->n_configs++];
		*c = src->configs[i];
		if (!c->host) {
			c->host = xcalloc(1, sizeof(*c->host));
			result_host_copy(c->host, &src->host);
		}
	}
	src->n_configs = left;
}

/* report's options. */
struct report_cli {
	struct cli_output text, md, json, csv, html;
	struct cli_outputs outputs;
	struct report_opts rep;
	const char *baseline;
	double alpha;
	bool quiet, pool;
};

/* Read the options into rc (the option switch); -1, or the exit status
 * after --help. */
static int report_options(struct report_cli *rc, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "pool", no_argument, NULL, OPT_POOL },
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
		case 'o': rc->text.path = optarg; break;
		case OPT_MARKDOWN: rc->md.path = optarg; break;
		case OPT_JSON: rc->json.path = optarg; break;
		case OPT_CSV: rc->csv.path = optarg; break;
		case OPT_BASELINE: rc->baseline = optarg; break;
		case OPT_BYTES: rc->rep.raw_bytes = true; break;
		case OPT_ALPHA: rc->alpha = cli_alpha("--alpha", optarg); break;
		case OPT_POOL: rc->pool = true; break;
		case OPT_HTML: rc->html.path = optarg; break;
		case 'q': rc->quiet = true; break;
		case 'h':
			usage();
			return cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED;
		default:
			cli_bad_option(argv, c);
		}
	}
	return -1;
}

/* Load every file into merged, each file's configurations after the
 * last's; a bad one is a usage error, before any output. Returns each
 * configuration's file. */
static const char **load_all(struct result *merged, char **paths, size_t n, bool pool)
{
	const char **sources = xcalloc(n, sizeof(*sources));
	size_t i, k;

	for (i = 0; i < n; i++) {
		struct result one = { 0 };
		size_t before = merged->n_configs;
		char err[512];

		if (result_load_file(paths[i], &one, err, sizeof(err)) < 0) {
			result_free(merged);
			free(sources);
			cli_usage_error("report: %s: %s", paths[i], err);
		}
		if (!merged->memwatch_version) {
			merged->memwatch_version = xstrdup(PACKAGE_VERSION);
			merged->created = result_now_iso8601();
			result_host_copy(&merged->host, &one.host);
		}
		merge_into(merged, &one, pool, paths[i]);
		for (k = before; k < merged->n_configs; k++) {
			sources = xreallocarray(sources, merged->n_configs, sizeof(*sources));
			sources[k] = paths[i];
		}
		result_free(&one);
	}
	return sources;
}

/* The table of merged's configurations, changes against the column named
 * baseline (if any; a usage error if there is none of that name). A
 * configuration whose name clashes takes its column's title as its name,
 * so that the merged file never holds two of one name. */
static void table_of(struct table *tab, struct result *merged, const char **sources,
		     const char *baseline, size_t nfiles, bool pool)
{
	size_t i;

	tab->n = merged->n_configs;
	tab->cols = xcalloc(tab->n ? tab->n : 1, sizeof(*tab->cols));
	for (i = 0; i < tab->n; i++) {
		tab->cols[i].config = &merged->configs[i];
		tab->cols[i].host = merged->configs[i].host ? merged->configs[i].host : &merged->host;
		tab->cols[i].source = sources[i];
	}
	report_table_titles(tab);
	for (i = 0; i < tab->n; i++)
		if (strcmp(merged->configs[i].name, tab->cols[i].title)) {
			free(merged->configs[i].name);
			merged->configs[i].name = xstrdup(tab->cols[i].title);
		}
	if (baseline) {
		for (i = 0; i < tab->n && strcmp(tab->cols[i].title, baseline); i++)
			;
		if (i == tab->n)
			cli_usage_error("--baseline: '%s' is not one of the configurations", baseline);
		tab->baseline = i;
	}
	tab->what = nfiles == 1 ? "from one result file" :
		    pool ? "runs pooled from several result files" :
		    "merged from several result files";
	tab->command = "report";
}

/* Each output asked for; false if the result file could not be written. */
static bool write_outputs(struct report_cli *rc, const struct result *merged,
			  const struct table *tab)
{
	bool ok = true;

	if (rc->json.f && result_json_write(merged, rc->json.f) < 0) {
		cli_output_failed(&rc->json, errno);
		ok = false;
	}
	if (rc->md.f && tab->n == 1 && merged->configs[0].n_runs == 1)
		report_run_markdown(rc->md.f, &merged->configs[0], &merged->configs[0].runs[0],
				    &rc->rep);
	else if (rc->md.f)
		report_table_markdown(rc->md.f, tab, &rc->rep);
	if (rc->csv.f)
		report_table_csv(rc->csv.f, tab);
	if (rc->html.f) {
		if (tab->n == 1 && merged->configs[0].n_runs == 1)
			html_run(rc->html.f, &merged->configs[0], &merged->configs[0].runs[0],
				 &rc->rep);
		else
			html_table(rc->html.f, tab, &rc->rep);
	}
	if (rc->text.f) {
		/* One run of one configuration: the detailed report it had. */
		if (tab->n == 1 && merged->configs[0].n_runs == 1)
			report_text_run(rc->text.f, &merged->configs[0], &merged->configs[0].runs[0],
					&rc->rep);
		else
			report_table_text(rc->text.f, tab, &rc->rep);
	}
	return ok;
}

int cmd_report(int argc, char **argv)
{
	struct report_cli rc = {
		.text = { .opt = "--output" }, .md = { .opt = "--markdown" },
		.json = { .opt = "--json" }, .csv = { .opt = "--csv" },
		.html = { .opt = "--html" },
		.rep = { .max_proc_rows = 15 },
	};
	struct result merged = { 0 };
	struct table tab = { 0 };
	const char **sources;
	size_t i, k, nfiles;
	bool ok;
	int status;

	cli_outputs_add_report(&rc.outputs, &rc.text);
	cli_outputs_add(&rc.outputs, &rc.md);
	cli_outputs_add(&rc.outputs, &rc.json);
	cli_outputs_add(&rc.outputs, &rc.csv);
	cli_outputs_add(&rc.outputs, &rc.html);
	/* A reader gone away is a write error, 125 with one line, as for the
	 * run form: not a silent death by SIGPIPE. */
	cli_ignore_sigpipe();
	if ((status = report_options(&rc, argc, argv)) >= 0)
		return status;
	nfiles = (size_t)(argc - optind);
	if (!nfiles)
		cli_usage_error("report: no result file (usage: memwatch report [OPTION]... RESULT.json...)");
	cli_outputs_check(&rc.outputs);
	for (i = 0, k = 0; i < nfiles; i++)
		k += !strcmp(argv[optind + (int)i], "-");
	if (k > 1)
		cli_usage_error("report: standard input (-) can be read once only");

	sources = load_all(&merged, argv + optind, nfiles, rc.pool);
	table_of(&tab, &merged, sources, rc.baseline, nfiles, rc.pool);
	tab.alpha = merged.alpha = rc.alpha;
	merged.baseline = tab.baseline;
	/* Every check done: only now are the outputs created. */
	cli_outputs_open(&rc.outputs, rc.quiet);
	rc.rep.width = cli_terminal_columns(rc.text.f);
	ok = write_outputs(&rc, &merged, &tab);
	ok &= cli_outputs_close(&rc.outputs);
	report_table_free(&tab);
	result_free(&merged);
	free(sources);
	return ok ? EXIT_OK : EXIT_MEMWATCH_FAILED;
}
