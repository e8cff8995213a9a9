/* cmd/run.c - the default command: memwatch [OPTION]... -- COMMAND, one measured run */
#include "config.h"

#include "cmd/run.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "report/html.h"
#include "report/run_markdown.h"
#include "report/series_csv.h"
#include "report/sparkline.h"
#include "report/text.h"
#include "result/json.h"
#include "util/fmt.h"
#include "util/strv.h"
#include "util/xalloc.h"

static void usage(void)
{
	printf(
"Usage: memwatch [OPTION]... [--] COMMAND [ARG]...\n"
"       memwatch [OPTION]... --attach PID\n"
"Measure how much memory COMMAND and every process it starts really hold.\n"
"\n"
"Sampling:\n"
"  -i, --interval=DUR       time between samples (default 250ms, at least 1ms)\n"
"      --deep-budget=PCT    CPU share of one core for smaps_rollup reads\n"
"                           (default 2%%; 0 reads them only at checkpoints)\n"
"Phases:\n"
"      --ready=REGEX        the load phase starts at the first line of output\n"
"                           that matches (extended regex)\n"
"      --ready-timeout=DUR  give up if no line matched by then (default 90s;\n"
"                           the tree is stopped and memwatch exits 124)\n"
"      --drive=SHELL_CMD    run this once ready; its exit ends the load phase\n"
"      --load=DUR           without --drive: the load phase lasts DUR\n"
"      --idle=DUR           after the load phase, a checkpoint every DUR...\n"
"      --checkpoints=N      ...N times (default 4); then the tree is stopped\n"
"      --settle             stop idling once three checkpoints agree within 1%%\n"
"      --mark=REGEX=LABEL   a checkpoint named LABEL at each matching line\n"
"      --attach=PID         measure a running process and its tree instead\n"
"      --stop-tree          attached: stop the tree at the end, too\n"
"      --cgroup=WHEN        run the tree in a memory cgroup of its own for the\n"
"                           kernel's exact totals: auto (default; else\n"
"                           sampling, with a notice), off, or require\n"
"      --phase-hwm          each process's exact peak in each phase: its VmHWM\n"
"                           reset at each phase boundary (which lowers the\n"
"                           peak rss the program sees of itself, and wait4's)\n"
"Ending:\n"
"  -t, --timeout=DUR        stop the tree after DUR (exit status 124)\n"
"  -s, --signal=SIG         signal that stops the tree (default TERM)\n"
"  -k, --kill-after=DUR     then SIGKILL after DUR (default 5s)\n"
"Output:\n"
"  -o, --output=FILE        the report to FILE instead of standard output\n"
"      --json=FILE          the result file (JSON, schema memwatch-result/1)\n"
"      --csv=FILE           the time series, one row per sample\n"
"      --markdown=FILE      the report as markdown (for CI step summaries)\n"
"      --html=FILE          the report as one HTML file: the footprint and rss\n"
"                           over time, drawn (self-contained, for CI artifacts)\n"
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
"Exit status: COMMAND's own if it exited by itself (128+N if signal N\n"
"killed it); 0 when memwatch stopped it as planned (--load, --idle), or the\n"
"driver's status if the driver failed; 124 if --timeout or --ready-timeout\n"
"ran out; 128+N if memwatch got signal N; 2 for bad usage; 125 if memwatch\n"
"failed; 126 if COMMAND cannot be executed; 127 if not found.\n"
"See memwatch(1) for the metrics and how exact each one is.\n");
}

/* At a terminal, the footprint over the run in one line, after the
 * report: its shape at a glance (peaks, a leak's slope). */
static void sparkline_line(FILE *f, const struct result_run *run, bool raw,
			   size_t width)
{
	char top[FMT_BUF];
	/* 60 cells, fewer on a terminal too narrow for them and the words
	 * around them (23 columns before, at most 20 after). */
	size_t cells = width && width < 103 ? (width > 53 ? width - 43 : 10) : 60;
	char *line = sparkline(&run->series, run->wall_s, cells, !sparkline_utf8());

	if (!line)
		return;
	fprintf(f, "  footprint over time  %s  0 – %s\n", line,
		fmt_bytes(top, run->peak.mem.footprint_bytes, raw));
	free(line);
}

/* The options, and where the outputs go, against each other. */
void run_cli_check(struct run_cli *rc)
{
	run_opts_check(rc);
	cli_outputs_check(&rc->outputs);
}

void run_cli_open_outputs(struct run_cli *rc)
{
	cli_outputs_open(&rc->outputs, rc->quiet);
	statusline_init(&rc->statusline, rc->quiet);
	rc->ro.statusline = &rc->statusline;
	rc->rep.width = cli_terminal_columns(rc->text.f);
}

int cmd_run_exit_code(const struct result_run *run, bool attached)
{
	const char *by = run->ended_by ? run->ended_by : "exit";

	if (run->interrupted && run_interrupt_signal())
		return 128 + run_interrupt_signal();
	if (!strcmp(by, "timeout") || !strcmp(by, "ready_timeout"))
		return EXIT_TIMEOUT;
	if (!strcmp(by, "exit")) {
		/* An attached process's exit code is known only if memwatch saw
		 * it as a zombie before its parent reaped it. */
		if (run->exit_status >= 0)
			return run->exit_status;
		return attached ? EXIT_OK : EXIT_MEMWATCH_FAILED;
	}
	if (run->drive.exit_status > 0)
		return run->drive.exit_status;
	return EXIT_OK;
}

static char *default_name(const char *argv0)
{
	char *copy = xstrdup(argv0), *name = xstrdup(basename(copy));

	free(copy);
	return name;
}

/* A run shorter than the interval asked for was sampled at its start and
 * little more: its peak may never have been seen. */
static void warn_short_run(const struct result_run *run, uint64_t interval_ns)
{
	char a[FMT_BUF], b[FMT_BUF];

	if (run->wall_s * 1e9 >= (double)interval_ns)
		return;
	cli_warn("the run (%s) was shorter than --interval (%s): its peak may have "
		 "gone unseen; a shorter --interval samples it more closely",
		 fmt_duration(a, run->wall_s), fmt_duration_opt(b, interval_ns));
}

/* What memwatch reports when a run could not start; returns its exit code. */
static int start_failure(enum run_failure fail, int err, const struct run_opts *ro)
{
	switch (fail) {
	case RUN_NO_CGROUP:
		cli_warn("%s=require: no memory cgroup for the tree: %s",
			 run_opts_cgroup_from(), run_cgroup_refusal());
		return EXIT_USAGE;
	case RUN_NOT_FOUND:
		cli_warn("%s: %s", ro->argv[0], strchr(ro->argv[0], '/') ?
			 strerror(err) : "command not found");
		return EXIT_NOT_FOUND;
	case RUN_CANNOT_EXECUTE:
		cli_warn("cannot execute '%s': %s", ro->argv[0], strerror(err));
		return EXIT_CANNOT_EXECUTE;
	case RUN_NO_PROCESS:
		cli_warn("--attach: no process %d", (int)ro->attach_pid);
		return EXIT_USAGE;
	case RUN_NOT_PERMITTED:
		cli_warn("--stop-tree: may not signal pid %d: %s (it runs as another user); "
			 "measure it without --stop-tree, or as its user",
			 (int)ro->attach_pid, strerror(err));
		return EXIT_USAGE;
	default:
		cli_warn("cannot start the measurement: %s", strerror(err));
		return EXIT_MEMWATCH_FAILED;
	}
}

enum { OPT_RUN_MARKDOWN = 900 };

/* The options, up to the command, --markdown's path in *md; returns the
 * index of its first word. */
static int parse_options(struct run_cli *rc, const char **md, int argc, char **argv)
{
	static const struct option own[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "markdown", required_argument, NULL, OPT_RUN_MARKDOWN },
	};
	struct option opts[RUN_OPTS_TABLE_MAX];
	char shortopts[RUN_OPTS_TABLE_MAX];
	int c;

	run_opts_table(opts, own, sizeof(own) / sizeof(own[0]), shortopts, "hV");
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (run_opts_parse(rc, c, optarg))
			continue;
		switch (c) {
		case OPT_RUN_MARKDOWN:
			*md = optarg;
			break;
		case 'h':
			/* Nothing is started: a reader gone is a write error. */
			cli_ignore_sigpipe();
			usage();
			exit(cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED);
		case 'V':
			cli_ignore_sigpipe();
			cli_print_version();
			exit(cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED);
		default:
			cli_bad_option(argv, c);
		}
	}
	if (rc->ro.attach_pid && optind < argc)
		cli_usage_error("--attach: give a process or a command to start, not both");
	if (!rc->ro.attach_pid && optind >= argc)
		cli_usage_error("no command to measure (usage: memwatch [OPTION]... -- COMMAND [ARG]...)");
	if (!rc->ro.attach_pid && !*argv[optind])
		cli_usage_error("the command is empty");
	return optind;
}

/* The result of one run of one configuration, named and described. */
static struct result_config *new_result(struct result *res, const struct run_cli *rc)
{
	struct result_config *cfg;

	res->memwatch_version = xstrdup(PACKAGE_VERSION);
	res->created = result_now_iso8601();
	result_host_probe(&res->host);
	res->configs = xcalloc(1, sizeof(*res->configs));
	res->n_configs = 1;
	cfg = &res->configs[0];
	if (rc->ro.attach_pid) {
		/* No command was given: the result's is empty, and the
		 * process's own is in its process list. */
		cfg->name = rc->name ? xstrdup(rc->name) : xasprintf("pid%d", (int)rc->ro.attach_pid);
		cfg->argv = strv_new();
	} else {
		cfg->name = rc->name ? xstrdup(rc->name) : default_name(rc->ro.argv[0]);
		cfg->argv = strv_copy(rc->ro.argv);
	}
	return cfg;
}

int cmd_run(int argc, char **argv)
{
	struct run_cli rc;
	struct cli_output md = { .opt = "--markdown" };
	struct series_csv series = { 0 };
	struct result res = { 0 };
	struct result_config *cfg;
	struct result_run *run;
	bool ok = true;
	enum run_failure fail;
	int err = 0, exit_code, first;

	run_opts_init(&rc);
	first = parse_options(&rc, &md.path, argc, argv);
	cli_outputs_add_named_before(&rc.outputs, &md, &rc.text);
	run_cli_check(&rc);
	rc.ro.argv = rc.ro.attach_pid ? NULL : argv + first;
	run_cli_open_outputs(&rc);

	cfg = new_result(&res, &rc);
	run = result_config_add_run(cfg);

	if (rc.csv.f) {
		series_csv_header(rc.csv.f);
		series_csv_begin(&series, rc.csv.f, cfg->name, 1);
		rc.ro.csv = &series;
	}
	fail = run_measure(&rc.ro, run, &err);
	cli_ignore_sigpipe();
	series_csv_end(&series);
	if (fail != RUN_OK) {
		exit_code = start_failure(fail, err, &rc.ro);
		/* Nothing was measured: leave no empty result behind. */
		cli_output_discard(&rc.json);
		cli_output_discard(&rc.csv);
		cli_output_discard(&rc.html);
		cli_output_discard(&md);
		cli_output_discard(&rc.text);
	} else {
		exit_code = cmd_run_exit_code(run, rc.ro.attach_pid > 0);
		if (rc.interval_given)
			warn_short_run(run, rc.ro.interval_ns);
		if (rc.json.f && result_json_write(&res, rc.json.f) < 0) {
			cli_output_failed(&rc.json, errno);
			ok = false;
		}
		if (rc.text.f == stdout && run_output_midline())
			putchar('\n');
		if (rc.html.f)
			html_run(rc.html.f, cfg, run, &rc.rep);
		if (md.f)
			report_run_markdown(md.f, cfg, run, &rc.rep);
		if (rc.text.f)
			report_text_run(rc.text.f, cfg, run, &rc.rep);
		if (rc.text.f == stdout && isatty(STDOUT_FILENO))
			sparkline_line(rc.text.f, run, rc.rep.raw_bytes, rc.rep.width);
	}
	ok &= cli_outputs_close(&rc.outputs);
	result_free(&res);
	run_opts_destroy(&rc);
	return ok ? exit_code : EXIT_MEMWATCH_FAILED;
}
