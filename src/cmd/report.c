/* cmd/report.c - memwatch report: result files re-rendered and merged
 *
 * Any result file memwatch wrote, from any machine, re-rendered as text,
 * markdown, JSON or CSV. Several files merge into one table: each file's
 * configurations become columns (a name that clashes gets its file's name),
 * and the hosts they ran on are shown. */
#include "config.h"

#include "cmd/report.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/exitcode.h"
#include "cli/outputs.h"
#include "report/table.h"
#include "report/text.h"
#include "result/result.h"
#include "result/json.h"
#include "result/load.h"
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
"      --baseline=NAME      changes are against the column NAME (default: first)\n"
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
};

/* Move the configurations of src to the end of dst, each remembering the
 * host it ran on (the merged file holds several hosts). */
static void merge_into(struct result *dst, struct result *src)
{
	size_t i;

	dst->configs = xreallocarray(dst->configs, dst->n_configs + src->n_configs,
				     sizeof(*dst->configs));
	for (i = 0; i < src->n_configs; i++) {
		struct result_config *c = &dst->configs[dst->n_configs++];

		*c = src->configs[i];
		if (!c->host) {
			c->host = xcalloc(1, sizeof(*c->host));
			result_host_copy(c->host, &src->host);
		}
	}
	free(src->configs);
	src->configs = NULL;
	src->n_configs = 0;
}

/* report's options. */
struct report_cli {
	struct cli_output text, md, json, csv;
	struct cli_outputs outputs;
	struct report_opts rep;
	const char *baseline;
	bool quiet;
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
static const char **load_all(struct result *merged, char **paths, size_t n)
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
		merge_into(merged, &one);
		for (k = before; k < merged->n_configs; k++) {
			sources = xreallocarray(sources, merged->n_configs, sizeof(*sources));
			sources[k] = paths[i];
		}
		result_free(&one);
	}
	return sources;
}

/* The table of merged's configurations, changes against the column named
 * baseline (if any; a usage error if there is none of that name). */
static void table_of(struct table *tab, const struct result *merged, const char **sources,
		     const char *baseline, size_t nfiles)
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
	if (baseline) {
		for (i = 0; i < tab->n && strcmp(tab->cols[i].title, baseline); i++)
			;
		if (i == tab->n)
			cli_usage_error("--baseline: '%s' is not one of the configurations", baseline);
		tab->baseline = i;
	}
	tab->what = nfiles == 1 ? "from one result file" : "merged from several result files";
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
	if (rc->md.f)
		report_table_markdown(rc->md.f, tab, &rc->rep);
	if (rc->csv.f)
		report_table_csv(rc->csv.f, tab);
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

	sources = load_all(&merged, argv + optind, nfiles);
	table_of(&tab, &merged, sources, rc.baseline, nfiles);
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
