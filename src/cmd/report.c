/* cmd_report.c - memwatch report: result files re-rendered and merged
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

int cmd_report(int argc, char **argv)
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
	struct cli_output text = { .opt = "--output" }, md = { .opt = "--markdown" };
	struct cli_output json = { .opt = "--json" }, csv = { .opt = "--csv" };
	struct report_opts rep = { .max_proc_rows = 15 };
	struct result merged = { 0 };
	struct table tab = { 0 };
	const char *baseline = NULL, **sources = NULL;
	bool quiet = false, ok = true;
	size_t i, k, nfiles;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': text.path = optarg; break;
		case OPT_MARKDOWN: md.path = optarg; break;
		case OPT_JSON: json.path = optarg; break;
		case OPT_CSV: csv.path = optarg; break;
		case OPT_BASELINE: baseline = optarg; break;
		case OPT_BYTES: rep.raw_bytes = true; break;
		case 'q': quiet = true; break;
		case 'h':
			usage();
			return cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED;
		default:
			cli_bad_option(argv, c);
		}
	}
	nfiles = (size_t)(argc - optind);
	if (!nfiles)
		cli_usage_error("report: no result file (usage: memwatch report [OPTION]... RESULT.json...)");
	if (cli_output_is_stdout(&text) + cli_output_is_stdout(&md) +
	    cli_output_is_stdout(&json) + cli_output_is_stdout(&csv) > 1)
		cli_usage_error("only one of --output, --markdown, --json and --csv can be - (standard output)");
	for (i = 0, k = 0; i < nfiles; i++)
		k += !strcmp(argv[optind + (int)i], "-");
	if (k > 1)
		cli_usage_error("report: standard input (-) can be read once only");

	/* Every file first: a bad one stops the report before any output. */
	sources = xcalloc(nfiles, sizeof(*sources));
	for (i = 0; i < nfiles; i++) {
		struct result one = { 0 };
		const char *path = argv[optind + (int)i];
		size_t before = merged.n_configs;
		char err[512];

		if (result_load_file(path, &one, err, sizeof(err)) < 0) {
			result_free(&merged);
			free(sources);
			cli_usage_error("report: %s: %s", path, err);
		}
		if (!merged.memwatch_version) {
			merged.memwatch_version = xstrdup(PACKAGE_VERSION);
			merged.created = result_now_iso8601();
			result_host_copy(&merged.host, &one.host);
		}
		merge_into(&merged, &one);
		for (k = before; k < merged.n_configs; k++) {
			sources = xreallocarray(sources, merged.n_configs, sizeof(*sources));
			sources[k] = path;
		}
		result_free(&one);
	}

	tab.n = merged.n_configs;
	tab.cols = xcalloc(tab.n ? tab.n : 1, sizeof(*tab.cols));
	for (i = 0; i < tab.n; i++) {
		tab.cols[i].config = &merged.configs[i];
		tab.cols[i].host = merged.configs[i].host ? merged.configs[i].host : &merged.host;
		tab.cols[i].source = sources[i];
	}
	report_table_titles(&tab);
	if (baseline) {
		for (i = 0; i < tab.n && strcmp(tab.cols[i].title, baseline); i++)
			;
		if (i == tab.n)
			cli_usage_error("--baseline: '%s' is not one of the configurations", baseline);
		tab.baseline = i;
	}
	tab.what = nfiles == 1 ? "from one result file" : "merged from several result files";
	/* Every check done: only now are the outputs created. */
	cli_output_open(&text);
	cli_output_open(&md);
	cli_output_open(&json);
	cli_output_open(&csv);
	if (!text.path && !quiet && md.f != stdout && json.f != stdout && csv.f != stdout)
		text.f = stdout;

	if (json.f && result_json_write(&merged, json.f) < 0) {
		cli_output_failed(&json, errno);
		ok = false;
	}
	if (md.f)
		report_table_markdown(md.f, &tab, &rep);
	if (csv.f)
		report_table_csv(csv.f, &tab);
	if (text.f) {
		/* One run of one configuration: the detailed report it had. */
		if (tab.n == 1 && merged.configs[0].n_runs == 1)
			report_text_run(text.f, &merged.configs[0], &merged.configs[0].runs[0], &rep);
		else
			report_table_text(text.f, &tab, &rep);
	}
	ok &= cli_output_close(&text);
	ok &= cli_output_close(&md);
	ok &= cli_output_close(&json);
	ok &= cli_output_close(&csv);
	ok &= cli_close_stdout();
	report_table_free(&tab);
	result_free(&merged);
	free(sources);
	return ok ? EXIT_OK : EXIT_MEMWATCH_FAILED;
}
