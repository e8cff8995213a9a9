/* cmd_run.c - the default command: measure one command or process */
#include "config.h"

#include "cmd_run.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcode.h"
#include "report_text.h"
#include "result.h"
#include "result_json.h"
#include "run.h"
#include "series_csv.h"
#include "xalloc.h"

#define MIN_INTERVAL_NS 1000000ULL		/* 1ms */
#define MAX_DURATION_NS (366ULL * 86400 * 1000000000ULL)

static void usage(void)
{
	printf(
"Usage: memwatch [OPTION]... [--] COMMAND [ARG]...\n"
"Measure how much memory COMMAND and every process it starts really hold.\n"
"\n"
"Sampling:\n"
"  -i, --interval=DUR       time between samples (default 250ms, at least 1ms)\n"
"      --deep-budget=PCT    CPU share of one core for smaps_rollup reads\n"
"                           (default 2%%; 0 reads them only at checkpoints)\n"
"Ending:\n"
"  -t, --timeout=DUR        stop the tree after DUR (exit status 124)\n"
"  -s, --signal=SIG         signal that stops the tree (default TERM)\n"
"  -k, --kill-after=DUR     then SIGKILL after DUR (default 5s)\n"
"Output:\n"
"  -o, --output=FILE        the report to FILE instead of standard output\n"
"      --json=FILE          the result file (JSON, schema memwatch-result/1)\n"
"      --csv=FILE           the time series, one row per sample\n"
"  -n, --name=NAME          name of this configuration in results\n"
"                           (default: the command's name)\n"
"      --bytes              sizes in bytes instead of KiB/MiB/GiB\n"
"  -q, --quiet              no report and no status line (files still written)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"FILE may be - for standard output. DUR is a number with ms, s, m or h\n"
"(a bare number is seconds).\n"
"\n"
"Other commands:\n"
"  memwatch compare [OPTION]... [-c CONFIG]... [-- COMMAND [ARG]...]\n"
"  memwatch report [OPTION]... RESULT.json...\n"
"  memwatch diff [OPTION]... BASE.json NEW.json\n"
"\n"
"Exit status: COMMAND's own (128+N if signal N killed it); 124 if --timeout\n"
"stopped it; 128+N if memwatch got signal N; 2 for bad usage; 125 if\n"
"memwatch failed; 126 if COMMAND cannot be executed; 127 if not found.\n"
"See memwatch(1) for the metrics and how exact each one is.\n");
}

enum {
	OPT_JSON = 256,
	OPT_CSV,
	OPT_BYTES,
	OPT_DEEP_BUDGET,
};

static const struct option long_opts[] = {
	{ "interval", required_argument, NULL, 'i' },
	{ "timeout", required_argument, NULL, 't' },
	{ "signal", required_argument, NULL, 's' },
	{ "kill-after", required_argument, NULL, 'k' },
	{ "deep-budget", required_argument, NULL, OPT_DEEP_BUDGET },
	{ "output", required_argument, NULL, 'o' },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "name", required_argument, NULL, 'n' },
	{ "bytes", no_argument, NULL, OPT_BYTES },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int cmd_run_exit_status(const struct result_run *run)
{
	if (run->interrupted && run_interrupt_signal())
		return 128 + run_interrupt_signal();
	if (run->ended_by && !strcmp(run->ended_by, "timeout"))
		return EXIT_TIMEOUT;
	return run->exit_status >= 0 ? run->exit_status : EXIT_MEMWATCH_FAILED;
}

static char *default_name(const char *argv0)
{
	char *copy = xstrdup(argv0), *name = xstrdup(basename(copy));

	free(copy);
	return name;
}

int cmd_run(int argc, char **argv)
{
	struct cli_output json = { .opt = "--json" };
	struct cli_output csv = { .opt = "--csv" };
	struct cli_output text = { .opt = "--output" };
	struct run_opts ro = {
		.interval_ns = RUN_INTERVAL_NS,
		.kill_after_ns = RUN_KILL_AFTER_NS,
		.stop_signal = SIGTERM,
		.sampler = { .deep_budget_bp = SAMPLER_DEEP_BUDGET_BP },
		.foreground = true,
	};
	struct report_opts rep = { .max_proc_rows = 15 };
	struct series_csv series = { 0 };
	struct result res = { 0 };
	struct result_config *cfg;
	struct result_run *run;
	const char *name = NULL;
	bool quiet = false, ok = true;
	enum run_failure fail;
	int c, err = 0, status, i;

	/* '+': options end at the first non-option, the command's own. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:i:t:s:k:o:n:qhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ro.interval_ns = cli_duration("--interval", optarg,
						      MIN_INTERVAL_NS, 3600ULL * 1000000000ULL);
			break;
		case 't':
			ro.timeout_ns = cli_duration("--timeout", optarg,
						     MIN_INTERVAL_NS, MAX_DURATION_NS);
			break;
		case 's':
			ro.stop_signal = cli_signal("--signal", optarg);
			break;
		case 'k':
			ro.kill_after_ns = cli_duration("--kill-after", optarg, 0,
							MAX_DURATION_NS);
			break;
		case OPT_DEEP_BUDGET:
			ro.sampler.deep_budget_bp =
				(uint32_t)cli_percent_bp("--deep-budget", optarg, 0, 10000);
			break;
		case 'o':
			text.path = optarg;
			break;
		case OPT_JSON:
			json.path = optarg;
			break;
		case OPT_CSV:
			csv.path = optarg;
			break;
		case 'n':
			if (!*optarg)
				cli_usage_error("--name: the name is empty");
			name = optarg;
			break;
		case OPT_BYTES:
			rep.raw_bytes = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage();
			return cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED;
		case 'V':
			cli_print_version();
			return cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED;
		default:
			cli_bad_option(argv, c);
		}
	}
	if (optind >= argc)
		cli_usage_error("no command to measure (usage: memwatch [OPTION]... -- COMMAND [ARG]...)");
	if (!*argv[optind])
		cli_usage_error("the command is empty");
	{
		int to_stdout = cli_output_is_stdout(&json) + cli_output_is_stdout(&csv) +
				cli_output_is_stdout(&text);

		if (to_stdout > 1)
			cli_usage_error("only one of --json, --csv and --output can be - (standard output)");
	}
	ro.argv = argv + optind;
	cli_output_open(&json);
	cli_output_open(&csv);
	cli_output_open(&text);
	if (!text.path && !quiet && !json.f && !csv.f)
		text.f = stdout;
	else if (!text.path && !quiet && json.f != stdout && csv.f != stdout)
		text.f = stdout;

	res.memwatch_version = xstrdup(PACKAGE_VERSION);
	res.created = result_now_iso8601();
	result_host_probe(&res.host);
	res.configs = xcalloc(1, sizeof(*res.configs));
	res.n_configs = 1;
	cfg = &res.configs[0];
	cfg->name = name ? xstrdup(name) : default_name(ro.argv[0]);
	cfg->argv = xcalloc((size_t)(argc - optind + 1), sizeof(*cfg->argv));
	for (i = optind; i < argc; i++)
		cfg->argv[i - optind] = xstrdup(argv[i]);
	run = result_config_add_run(cfg);

	if (csv.f) {
		series_csv_header(csv.f);
		series_csv_begin(&series, csv.f, cfg->name, 1);
		ro.csv = &series;
	}
	fail = run_measure(&ro, run, &err);
	series_csv_end(&series);
	switch (fail) {
	case RUN_OK:
		status = cmd_run_exit_status(run);
		break;
	case RUN_NOT_FOUND:
		cli_warn("%s: %s", ro.argv[0], strchr(ro.argv[0], '/') ?
			 strerror(err) : "command not found");
		status = EXIT_NOT_FOUND;
		goto fail;
	case RUN_CANNOT_EXECUTE:
		cli_warn("cannot execute '%s': %s", ro.argv[0], strerror(err));
		status = EXIT_CANNOT_EXECUTE;
		goto fail;
	default:
		cli_warn("cannot start the measurement: %s", strerror(err));
		status = EXIT_MEMWATCH_FAILED;
		goto fail;
	}
	if (0) {
fail:
		/* Nothing was measured: leave no empty result behind. */
		cli_output_discard(&json);
		cli_output_discard(&csv);
		cli_output_discard(&text);
	}

	if (json.f && result_json_write(&res, json.f) < 0) {
		cli_warn("--json: cannot write the result: %s", strerror(errno));
		ok = false;
	}
	if (text.f)
		report_text_run(text.f, cfg, run, &rep);
	ok &= cli_output_close(&json);
	ok &= cli_output_close(&csv);
	ok &= cli_output_close(&text);
	ok &= cli_close_stdout();
	result_free(&res);
	if (!ok)
		return EXIT_MEMWATCH_FAILED;
	return status;
}
