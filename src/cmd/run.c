/* cmd_run.c - the default command, and the options every run shares */
#include "config.h"

#include "cmd/run.h"

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exitcode.h"
#include "util/fmt.h"
#include "util/parse.h"
#include "result/json.h"
#include "report/series_csv.h"
#include "util/xalloc.h"

#define MS_NS 1000000ULL
#define MIN_INTERVAL_NS MS_NS
#define MAX_INTERVAL_NS (3600ULL * 1000000000ULL)
#define MAX_DURATION_NS (366ULL * 86400 * 1000000000ULL)

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
"Exit status: COMMAND's own if it exited by itself (128+N if signal N\n"
"killed it); 0 when memwatch stopped it as planned (--load, --idle), or the\n"
"driver's status if the driver failed; 124 if --timeout or --ready-timeout\n"
"ran out; 128+N if memwatch got signal N; 2 for bad usage; 125 if memwatch\n"
"failed; 126 if COMMAND cannot be executed; 127 if not found.\n"
"See memwatch(1) for the metrics and how exact each one is.\n");
}

enum {
	OPT_JSON = 256,
	OPT_CSV,
	OPT_BYTES,
	OPT_DEEP_BUDGET,
	OPT_READY,
	OPT_READY_TIMEOUT,
	OPT_DRIVE,
	OPT_LOAD,
	OPT_IDLE,
	OPT_CHECKPOINTS,
	OPT_SETTLE,
	OPT_MARK,
	OPT_ATTACH,
	OPT_STOP_TREE,
};

const struct option run_cli_options[] = {
	{ "interval", required_argument, NULL, 'i' },
	{ "timeout", required_argument, NULL, 't' },
	{ "signal", required_argument, NULL, 's' },
	{ "kill-after", required_argument, NULL, 'k' },
	{ "deep-budget", required_argument, NULL, OPT_DEEP_BUDGET },
	{ "ready", required_argument, NULL, OPT_READY },
	{ "ready-timeout", required_argument, NULL, OPT_READY_TIMEOUT },
	{ "drive", required_argument, NULL, OPT_DRIVE },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "checkpoints", required_argument, NULL, OPT_CHECKPOINTS },
	{ "settle", no_argument, NULL, OPT_SETTLE },
	{ "mark", required_argument, NULL, OPT_MARK },
	{ "attach", required_argument, NULL, OPT_ATTACH },
	{ "stop-tree", no_argument, NULL, OPT_STOP_TREE },
	{ "output", required_argument, NULL, 'o' },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "name", required_argument, NULL, 'n' },
	{ "bytes", no_argument, NULL, OPT_BYTES },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

void run_cli_init(struct run_cli *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->ro.interval_ns = RUN_INTERVAL_NS;
	rc->ro.kill_after_ns = RUN_KILL_AFTER_NS;
	rc->ro.stop_signal = SIGTERM;
	rc->ro.sampler.deep_budget_bp = SAMPLER_DEEP_BUDGET_BP;
	rc->ro.phases.ready_timeout_ns = RUN_READY_TIMEOUT_NS;
	rc->ro.phases.checkpoints = RUN_CHECKPOINTS;
	rc->ro.foreground = true;
	rc->ro.notice = cli_warn;
	rc->rep.max_proc_rows = 15;
	rc->json.opt = "--json";
	rc->csv.opt = "--csv";
	rc->text.opt = "--output";
	cli_outputs_add(&rc->outputs, &rc->json);
	cli_outputs_add(&rc->outputs, &rc->csv);
	cli_outputs_add_report(&rc->outputs, &rc->text);
}

void run_cli_destroy(struct run_cli *rc)
{
	size_t i;

	if (rc->ready_given)
		regfree(&rc->ready_re);
	for (i = 0; i < rc->ro.n_marks; i++) {
		regfree(&rc->ro.marks[i].re);
		free(rc->ro.marks[i].label);
	}
	free(rc->ro.marks);
}

/* Compile an extended regex given to opt, or fail with regerror's words. */
static void compile_regex(const char *opt, const char *src, regex_t *re)
{
	char msg[128];
	int err;

	if (!*src)
		cli_usage_error("%s: the pattern is empty", opt);
	err = regcomp(re, src, REG_EXTENDED | REG_NOSUB);
	if (err) {
		regerror(err, re, msg, sizeof(msg));
		cli_usage_error("%s: '%s' is not a valid extended regex: %s", opt, src, msg);
	}
}

/* A mark's label names a checkpoint and its metrics: keep it to letters,
 * digits, '_', '-' and '.', and clear of the labels memwatch uses. */
static void check_label(const char *arg, const char *label)
{
	const char *p;

	if (!*label || strlen(label) > 40)
		cli_usage_error("--mark: '%s': the label must be 1 to 40 characters", arg);
	for (p = label; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_-.", *p)))
			cli_usage_error("--mark: '%s': the label may hold letters, digits, '_', '-' and '.' only",
					arg);
	if (!strcmp(label, "ready") || !strcmp(label, "load_end") ||
	    !strcmp(label, "exit") || !strncmp(label, "idle_", 5))
		cli_usage_error("--mark: '%s': '%s' is a label memwatch uses itself", arg, label);
}

static void add_mark(struct run_cli *rc, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	struct run_mark *m;
	char *src;

	if (!eq)
		cli_usage_error("--mark: '%s' is not REGEX=LABEL", arg);
	check_label(arg, eq + 1);
	rc->ro.marks = xreallocarray(rc->ro.marks, rc->ro.n_marks + 1,
				     sizeof(*rc->ro.marks));
	m = &rc->ro.marks[rc->ro.n_marks];
	memset(m, 0, sizeof(*m));
	src = xstrndup(arg, (size_t)(eq - arg));
	compile_regex("--mark", src, &m->re);
	free(src);
	m->label = xstrdup(eq + 1);
	rc->ro.n_marks++;
}

bool run_cli_option(struct run_cli *rc, int c, const char *arg)
{
	struct run_opts *ro = &rc->ro;
	uint64_t v;

	switch (c) {
	case 'i':
		ro->interval_ns = cli_duration("--interval", arg, MIN_INTERVAL_NS,
					       MAX_INTERVAL_NS);
		break;
	case 't':
		ro->timeout_ns = cli_duration("--timeout", arg, MIN_INTERVAL_NS,
					      MAX_DURATION_NS);
		break;
	case 's':
		ro->stop_signal = cli_signal("--signal", arg);
		break;
	case 'k':
		ro->kill_after_ns = cli_duration("--kill-after", arg, 0, MAX_DURATION_NS);
		break;
	case OPT_DEEP_BUDGET:
		ro->sampler.deep_budget_bp =
			(uint32_t)cli_percent_bp("--deep-budget", arg, 0, 10000);
		break;
	case OPT_READY:
		if (rc->ready_given)
			cli_usage_error("--ready: given twice (one ready line starts the load phase)");
		compile_regex("--ready", arg, &rc->ready_re);
		rc->ready_given = true;
		ro->ready = &rc->ready_re;
		ro->phases.wait_ready = true;
		break;
	case OPT_READY_TIMEOUT:
		ro->phases.ready_timeout_ns = cli_duration("--ready-timeout", arg,
							   MIN_INTERVAL_NS, MAX_DURATION_NS);
		rc->ready_timeout_given = true;
		break;
	case OPT_DRIVE:
		if (!*arg)
			cli_usage_error("--drive: the command is empty");
		ro->drive = arg;
		ro->phases.drive = true;
		break;
	case OPT_LOAD:
		ro->phases.load_ns = cli_duration("--load", arg, MIN_INTERVAL_NS,
						  MAX_DURATION_NS);
		break;
	case OPT_IDLE:
		ro->phases.idle_ns = cli_duration("--idle", arg, MIN_INTERVAL_NS,
						  MAX_DURATION_NS);
		break;
	case OPT_CHECKPOINTS:
		ro->phases.checkpoints = (unsigned)cli_uint("--checkpoints", arg, 1, 1000);
		rc->checkpoints_given = true;
		break;
	case OPT_SETTLE:
		ro->phases.settle = true;
		break;
	case OPT_MARK:
		add_mark(rc, arg);
		break;
	case OPT_ATTACH:
		v = cli_uint("--attach", arg, 1, INT32_MAX);
		ro->attach_pid = (pid_t)v;
		break;
	case OPT_STOP_TREE:
		ro->stop_attached = true;
		rc->stop_tree_given = true;
		break;
	case 'o':
		rc->text.path = arg;
		break;
	case OPT_JSON:
		rc->json.path = arg;
		break;
	case OPT_CSV:
		rc->csv.path = arg;
		break;
	case 'n':
		if (!*arg)
			cli_usage_error("--name: the name is empty");
		rc->name = arg;
		break;
	case OPT_BYTES:
		rc->rep.raw_bytes = true;
		break;
	case 'q':
		rc->quiet = true;
		break;
	default:
		return false;
	}
	return true;
}

void run_cli_ready(struct run_cli *rc, const char *regex)
{
	run_cli_option(rc, OPT_READY, regex);
}

void run_cli_check(struct run_cli *rc)
{
	const struct run_opts *ro = &rc->ro;

	if (rc->ready_timeout_given && !ro->phases.wait_ready)
		cli_usage_error("--ready-timeout: needs --ready (the line to wait for)");
	if ((rc->checkpoints_given || ro->phases.settle) && !ro->phases.idle_ns)
		cli_usage_error("%s: needs --idle (the length of an idle window)",
				ro->phases.settle ? "--settle" : "--checkpoints");
	if (ro->phases.settle && ro->phases.checkpoints < 3)
		cli_usage_error("--settle: needs --checkpoints of 3 or more (it compares three)");
	if (ro->phases.drive && ro->phases.load_ns)
		cli_usage_error("--load: the driver's exit ends the load phase; give --drive or --load, not both");
	if (ro->attach_pid && (ro->phases.wait_ready || ro->n_marks))
		cli_usage_error("%s: memwatch sees only the output of commands it starts, not of --attach",
				ro->phases.wait_ready ? "--ready" : "--mark");
	if (rc->stop_tree_given && !ro->attach_pid)
		cli_usage_error("--stop-tree: only for --attach (memwatch always stops what it starts)");
	cli_outputs_check(&rc->outputs);
}

void run_cli_open_outputs(struct run_cli *rc)
{
	cli_outputs_open(&rc->outputs, rc->quiet);
	status_init(&rc->status, rc->quiet);
	rc->ro.status = &rc->status;
}

int cmd_run_exit_status(const struct result_run *run, bool attached)
{
	const char *by = run->ended_by ? run->ended_by : "exit";

	if (run->interrupted && run_interrupt_signal())
		return 128 + run_interrupt_signal();
	if (!strcmp(by, "timeout") || !strcmp(by, "ready_timeout"))
		return EXIT_TIMEOUT;
	if (!strcmp(by, "exit")) {
		/* An attached process's status is known only if memwatch saw
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

/* What memwatch reports when a run could not start; returns the status. */
static int start_failure(enum run_failure fail, int err, const struct run_opts *ro)
{
	switch (fail) {
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

int cmd_run(int argc, char **argv)
{
	struct run_cli rc;
	struct series_csv series = { 0 };
	struct result res = { 0 };
	struct result_config *cfg;
	struct result_run *run;
	char shortopts[64];
	bool ok = true;
	enum run_failure fail;
	int c, err = 0, status, i;
	static const struct option own[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
	};
	struct option opts[64];
	size_t n = 0;

	while (run_cli_options[n].name) {
		opts[n] = run_cli_options[n];
		n++;
	}
	memcpy(opts + n, own, sizeof(own));
	memset(&opts[n + 2], 0, sizeof(opts[0]));
	snprintf(shortopts, sizeof(shortopts), "+:%shV", RUN_CLI_SHORTOPTS);

	run_cli_init(&rc);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (run_cli_option(&rc, c, optarg))
			continue;
		switch (c) {
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
	if (rc.ro.attach_pid && optind < argc)
		cli_usage_error("--attach: give a process or a command to start, not both");
	if (!rc.ro.attach_pid && optind >= argc)
		cli_usage_error("no command to measure (usage: memwatch [OPTION]... -- COMMAND [ARG]...)");
	if (!rc.ro.attach_pid && !*argv[optind])
		cli_usage_error("the command is empty");
	run_cli_check(&rc);
	rc.ro.argv = rc.ro.attach_pid ? NULL : argv + optind;
	run_cli_open_outputs(&rc);

	res.memwatch_version = xstrdup(PACKAGE_VERSION);
	res.created = result_now_iso8601();
	result_host_probe(&res.host);
	res.configs = xcalloc(1, sizeof(*res.configs));
	res.n_configs = 1;
	cfg = &res.configs[0];
	if (rc.ro.attach_pid) {
		/* Filled in from the process's own command line after the run. */
		cfg->name = rc.name ? xstrdup(rc.name) : xasprintf("pid%d", (int)rc.ro.attach_pid);
		cfg->argv = xcalloc(2, sizeof(*cfg->argv));
	} else {
		cfg->name = rc.name ? xstrdup(rc.name) : default_name(rc.ro.argv[0]);
		cfg->argv = xcalloc((size_t)(argc - optind + 1), sizeof(*cfg->argv));
		for (i = optind; i < argc; i++)
			cfg->argv[i - optind] = xstrdup(argv[i]);
	}
	run = result_config_add_run(cfg);

	if (rc.csv.f) {
		series_csv_header(rc.csv.f);
		series_csv_begin(&series, rc.csv.f, cfg->name, 1);
		rc.ro.csv = &series;
	}
	fail = run_measure(&rc.ro, run, &err);
	series_csv_end(&series);
	if (fail != RUN_OK) {
		status = start_failure(fail, err, &rc.ro);
		/* Nothing was measured: leave no empty result behind. */
		cli_output_discard(&rc.json);
		cli_output_discard(&rc.csv);
		cli_output_discard(&rc.text);
	} else {
		if (rc.ro.attach_pid && run->n_processes && !cfg->argv[0])
			cfg->argv[0] = xstrdup(run->processes[0].command);
		status = cmd_run_exit_status(run, rc.ro.attach_pid > 0);
		if (rc.json.f && result_json_write(&res, rc.json.f) < 0) {
			cli_output_failed(&rc.json, errno);
			ok = false;
		}
		if (rc.text.f)
			report_text_run(rc.text.f, cfg, run, &rc.rep);
	}
	ok &= cli_outputs_close(&rc.outputs);
	result_free(&res);
	run_cli_destroy(&rc);
	return ok ? status : EXIT_MEMWATCH_FAILED;
}
