/* cmd/compare.c - memwatch compare: configurations side by side
 *
 * Runs each configuration --runs times, interleaved (compare/schedule.c),
 * and prints one table: a row per metric, a column per configuration, the
 * median with its spread and the change against the baseline. Without a
 * command it runs the bundled workload against every allocator preset
 * installed. */
#include "config.h"

#include "cmd/compare.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/alpha.h"
#include "cli/cli.h"
#include "cli/exitcode.h"
#include "cli/run_opts.h"
#include "cmd/run.h"
#include "compare/config.h"
#include "compare/knobs.h"
#include "compare/presets.h"
#include "compare/schedule.h"
#include "report/html.h"
#include "report/series_csv.h"
#include "report/table.h"
#include "result/json.h"
#include "result/metrics.h"
#include "util/fmt.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define WORKLOAD "memwatch-workload"
/* The bundled workload's phases when none are given. */
#define DEFAULT_REBUILDS 2
#define DEFAULT_IDLE_NS 3000000000ULL
#define DEFAULT_CHECKPOINTS 3

static void usage(void)
{
	printf(
"Usage: memwatch compare [OPTION]... [-c CONFIG]... [-- COMMAND [ARG]...]\n"
"Run COMMAND under each configuration, interleaved, and compare their memory.\n"
"Without COMMAND: the bundled workload (a bundler-like dev server).\n"
"Without -c: system, jemalloc, mimalloc (v2) and mimalloc3, those installed.\n"
"\n"
"  -c, --config=CONFIG      a configuration (repeatable):\n"
"                             PRESET              system, jemalloc, mimalloc,\n"
"                                                 mimalloc3, tcmalloc (LD_PRELOAD)\n"
"                             NAME=/PATH/LIB.so   preload a library of your own\n"
"                             NAME:VAR=VALUE...   environment knobs\n"
"                             NAME=PRESET:VAR=VALUE...  a preset with knobs\n"
"                             NAME=@SHELL_CMD     a command of its own\n"
"  -r, --runs=N             runs per configuration (default 3)\n"
"      --warmup=N           unrecorded runs per configuration first (default 0)\n"
"      --baseline=NAME      changes are against NAME (default: the first)\n"
"      --alpha=LEVEL        a change is significant when the Mann-Whitney U\n"
"                           test's p is below LEVEL (default 0.05)\n"
"      --markdown=FILE      the table as markdown, for PR comments\n"
"      --show-output        pass the command's output through (default: hidden)\n"
"\n"
"Every option of the run form applies to each run (see memwatch --help):\n"
"sampling, phases (--ready, --drive, --idle, ...), ending, --json, --csv,\n"
"--html (every run's footprint on one chart, and the table), -o, --bytes,\n"
"-q. With the bundled workload and no phase options, runs wait for its\n"
"ready line, ask it for 2 rebuilds (--drive 'memwatch-workload --change 2')\n"
"and watch three idle windows of 3s.\n"
"\n"
"Presets are looked for in MEMWATCH_PRESET_PATH (directories, colon-\n"
"separated) first, then in the build tree (build/debian/*/root, where\n"
"scripts/deps unpacks mimalloc v3), then where the dynamic linker looks.\n"
"Each column names the allocator's version, read from the library.\n"
"\n"
"Exit status: 0 when every run completed; a run's status (as in the run\n"
"form) when one did not; 128+N if memwatch got signal N; 2 for bad usage or\n"
"a preset that is not installed.\n");
}

enum {
	OPT_WARMUP = 512,
	OPT_BASELINE,
	OPT_MARKDOWN,
	OPT_SHOW_OUTPUT,
	OPT_ALPHA,
};

/* The options of compare: the run's, and its own. */
struct compare_cli {
	struct run_cli rc;
	const char **specs;	/* each -c */
	size_t n_specs;
	unsigned runs, warmup;
	const char *baseline;
	double alpha;
	struct cli_output markdown;
	bool show_output;
	int exit_code;		/* from the runs so far */
	char *drive;		/* the bundled workload's default driver */
};

/* The bundled workload: next to memwatch in a build tree, else where it is
 * installed. Caller frees; NULL if neither. */
static char *find_workload(void)
{
	char exe[4096], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			path = xasprintf("%s/workload/%s", exe, WORKLOAD);
			if (stat(path, &st) == 0)
				return path;
			free(path);
		}
	}
	path = xasprintf("%s/%s", PKGLIBEXECDIR, WORKLOAD);
	if (stat(path, &st) == 0)
		return path;
	free(path);
	return NULL;
}

/* One line per run on stderr when no status line shows progress. */
static void progress(const struct run_cli *rc, const struct compare_config *c,
		     unsigned k, unsigned runs, const struct result_run *run, bool warmup)
{
	char a[FMT_BUF], b[FMT_BUF];
	double idle;

	if (rc->quiet)
		return;
	if (!metric_value(run, "footprint_idle", &idle) &&
	    !metric_value(run, "footprint_exit", &idle))
		idle = 0;
	fprintf(stderr, "memwatch: %s %s %u/%u: peak %s, footprint at the end %s\n",
		c->name, warmup ? "warmup" : "run", k, runs,
		fmt_bytes(a, run->peak.mem.footprint_bytes, rc->rep.raw_bytes),
		fmt_bytes(b, (uint64_t)idle, rc->rep.raw_bytes));
}

/* Take compare's options, up to the command; -h exits here. */
static void parse_options(struct compare_cli *cc, int argc, char **argv)
{
	static const struct option own[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ "show-output", no_argument, NULL, OPT_SHOW_OUTPUT },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option opts[RUN_OPTS_TABLE_MAX];
	char shortopts[RUN_OPTS_TABLE_MAX];
	int c;

	run_opts_table(opts, own, sizeof(own) / sizeof(own[0]), shortopts, "c:r:h");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (c != 'n' && run_opts_parse(&cc->rc, c, optarg))
			continue;
		switch (c) {
		case 'c':
			cc->specs = xreallocarray(cc->specs, cc->n_specs + 1, sizeof(*cc->specs));
			cc->specs[cc->n_specs++] = optarg;
			break;
		case 'r':
			cc->runs = (unsigned)cli_uint("--runs", optarg, 1, 1000);
			break;
		case OPT_WARMUP:
			cc->warmup = (unsigned)cli_uint("--warmup", optarg, 0, 100);
			break;
		case OPT_BASELINE:
			cc->baseline = optarg;
			break;
		case OPT_MARKDOWN:
			cc->markdown.path = optarg;
			break;
		case OPT_SHOW_OUTPUT:
			cc->show_output = true;
			break;
		case OPT_ALPHA:
			cc->alpha = cli_alpha("--alpha", optarg);
			break;
		case 'n':
			cli_usage_error("--name: compare names each configuration with -c NAME...");
		case 'h':
			/* Nothing is started: a reader gone is a write error. */
			cli_ignore_sigpipe();
			usage();
			exit(cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED);
		default:
			cli_bad_option(argv, c);
		}
	}
}

/* Preload a configuration's preset; a usage error if it is missing. */
static void locate_preset(struct compare_config *c, const char *spec)
{
	const char *package, *soname;

	if (!compare_config_locate_preset(c, &package, &soname))
		cli_usage_error("-c %s: %s is not installed (Debian package %s)", spec,
				soname, package);
}

/* Say which knobs of c its allocator does not read: they would change
 * nothing, and the columns would look alike for no reason shown. */
static void warn_knobs(const struct compare_config *c)
{
	size_t i;

	for (i = 0; c->env_set && c->env_set[i]; i++) {
		char *why = knobs_check(c->allocator, c->env_set[i]);

		if (why)
			cli_warn("-c %s: %s", c->name, why);
		free(why);
	}
}

/* The configurations as given with -c. */
static struct compare_config *given_configs(const struct compare_cli *cc)
{
	struct compare_config *cfgs = xcalloc(cc->n_specs, sizeof(*cfgs));
	size_t i, k;

	for (i = 0; i < cc->n_specs; i++) {
		char err[256];

		if (compare_config_parse(cc->specs[i], &cfgs[i], err, sizeof(err)) < 0)
			cli_usage_error("-c %s", err);
		for (k = 0; k < i; k++)
			if (!strcmp(cfgs[k].name, cfgs[i].name))
				cli_usage_error("-c %s: the name '%s' is given twice",
						cc->specs[i], cfgs[i].name);
		locate_preset(&cfgs[i], cc->specs[i]);
		warn_knobs(&cfgs[i]);
	}
	return cfgs;
}

/* Without -c: the default presets installed here. */
static struct compare_config *preset_configs(const struct compare_cli *cc, size_t *n)
{
	const char *const *names = preset_default_names();
	struct compare_config *cfgs = xcalloc(8, sizeof(*cfgs));
	size_t i;

	*n = 0;
	for (i = 0; names[i]; i++) {
		const char *package, *soname;
		char *path;

		if (!preset_locate(names[i], &path, &package, &soname)) {
			if (!cc->rc.quiet)
				cli_warn("compare: %s is not installed (Debian package %s): "
					 "left out", names[i], package);
			continue;
		}
		free(path);
		cfgs[*n].name = xstrdup(names[i]);
		cfgs[*n].preset = xstrdup(names[i]);
		locate_preset(&cfgs[*n], names[i]);
		(*n)++;
	}
	return cfgs;
}

/* Which column changes are measured against. */
static size_t find_baseline(const struct compare_cli *cc,
			    const struct compare_config *cfgs, size_t n)
{
	size_t base = 0;

	if (!cc->baseline)
		return 0;
	while (base < n && strcmp(cfgs[base].name, cc->baseline))
		base++;
	if (base == n)
		cli_usage_error("--baseline: '%s' is not one of the configurations", cc->baseline);
	return base;
}

/* The command of the configurations without one of their own: given, or
 * the bundled workload with its phases (then also in *workload_argv, for
 * the caller to free). NULL if every configuration has its own. */
static char **default_command(struct compare_cli *cc, int argc, char **argv,
			      const struct compare_config *cfgs, size_t n,
			      char ***workload_argv)
{
	char *workload;
	size_t i;

	if (optind < argc) {
		if (!*argv[optind])
			cli_usage_error("the command is empty");
		return argv + optind;
	}
	for (i = 0; i < n && cfgs[i].command; i++)
		;
	if (i == n)
		return NULL;
	workload = find_workload();
	if (!workload)
		cli_usage_error("the bundled workload (%s) is not installed next to "
				"memwatch or in %s; give a command", WORKLOAD,
				PKGLIBEXECDIR);
	strv_push(workload_argv, workload);
	if (!phase_configured(&cc->rc.ro.phases)) {
		/* Build, rebuild twice on change, then idle long enough for
		 * the allocators that purge on a timer (jemalloc's 10 s decay,
		 * mimalloc 3's 2.5 s purge delay) to show it. */
		run_opts_ready(&cc->rc, "ready in");
		cc->drive = xasprintf("'%s' --change %d", workload, DEFAULT_REBUILDS);
		cc->rc.ro.drive = cc->drive;
		cc->rc.ro.phases.drive = true;
		cc->rc.ro.phases.idle_ns = DEFAULT_IDLE_NS;
		cc->rc.ro.phases.checkpoints = DEFAULT_CHECKPOINTS;
	}
	return *workload_argv;
}

/* The result: a configuration for each, with no runs yet. */
static void new_result(struct result *res, const struct compare_config *cfgs,
		       size_t n, char **default_argv)
{
	size_t i;

	res->memwatch_version = xstrdup(PACKAGE_VERSION);
	res->created = result_now_iso8601();
	result_host_probe(&res->host);
	res->configs = xcalloc(n, sizeof(*res->configs));
	res->n_configs = n;
	for (i = 0; i < n; i++)
		compare_config_describe(&cfgs[i], default_argv, &res->configs[i]);
}

/* A run finished: say so, and keep what memwatch will exit with. */
static void on_run(const struct compare_config *c, unsigned nth, unsigned of,
		   const struct result_run *run, bool warmup, void *arg)
{
	struct compare_cli *cc = arg;
	int exit_code;

	/* The command's output (--show-output) ended mid-line: what memwatch
	 * prints next starts on a line of its own, as in the run form. */
	if (!cc->rc.quiet && run_output_midline()) {
		putchar('\n');
		fflush(stdout);
	}
	progress(&cc->rc, c, nth, of, run, warmup);
	exit_code = cmd_run_exit_code(run, false);
	if (run->interrupted && run_interrupt_signal())
		cc->exit_code = exit_code;
	else if (exit_code && !cc->exit_code && !warmup)
		cc->exit_code = exit_code;
}

/* Configurations whose every run was shorter than the interval asked
 * for were sampled at their start and little more: their peaks may never
 * have been seen. One line for all of them, as the run form has for its
 * run. */
static void warn_short_runs(const struct result *res, uint64_t interval_ns)
{
	char a[FMT_BUF], b[FMT_BUF], *names = NULL, *more;
	double longest_s = 0;
	size_t i, k, n = 0;

	for (i = 0; i < res->n_configs; i++) {
		const struct result_config *c = &res->configs[i];
		double max_s = 0;

		for (k = 0; k < c->n_runs; k++)
			if (c->runs[k].wall_s > max_s)
				max_s = c->runs[k].wall_s;
		if (!c->n_runs || max_s * 1e9 >= (double)interval_ns)
			continue;
		more = xasprintf("%s%s%s", names ? names : "", names ? ", " : "", c->name);
		free(names);
		names = more;
		if (max_s > longest_s)
			longest_s = max_s;
		n++;
	}
	if (!n)
		return;
	cli_warn("the runs of %s (%s at most) were shorter than --interval (%s): their "
		 "peaks may have gone unseen; a shorter --interval samples them more closely",
		 names, fmt_duration(a, longest_s), fmt_duration_opt(b, interval_ns));
	free(names);
}

/* A configuration could not start: say why; returns the exit code. */
static int start_failure(const struct compare_schedule_outcome *how,
			 const struct compare_config *c, char *const *argv)
{
	if (how->failure == RUN_NO_CGROUP) {
		cli_warn("%s=require: no memory cgroup for the tree: %s",
			 run_opts_cgroup_from(), run_cgroup_refusal());
		return EXIT_USAGE;
	}
	if (how->failure == RUN_NOT_FOUND)
		cli_warn("%s: %s: %s", c->name, argv[0],
			 strchr(argv[0], '/') ? strerror(how->err_no) : "command not found");
	else
		cli_warn("%s: cannot start '%s': %s", c->name, argv[0],
			 strerror(how->err_no));
	return how->failure == RUN_NOT_FOUND ? EXIT_NOT_FOUND :
	       how->failure == RUN_CANNOT_EXECUTE ? EXIT_CANNOT_EXECUTE :
	       EXIT_MEMWATCH_FAILED;
}

/* The table's columns: one per configuration. */
static void fill_table(struct table *tab, struct result *res, size_t base)
{
	size_t i;

	tab->n = res->n_configs;
	tab->cols = xcalloc(res->n_configs, sizeof(*tab->cols));
	tab->baseline = base;
	for (i = 0; i < res->n_configs; i++) {
		tab->cols[i].config = &res->configs[i];
		tab->cols[i].host = &res->host;
	}
	report_table_titles(tab);
}

int cmd_compare(int argc, char **argv)
{
	struct compare_cli cc = { .runs = 3, .markdown = { .opt = "--markdown" } };
	struct compare_config *cfgs;
	struct compare_schedule sched = { 0 };
	struct compare_schedule_outcome how;
	size_t n_cfgs, base, i;
	struct result res = { 0 };
	struct table tab = { 0 };
	char **default_argv, **workload_argv = NULL;
	bool ok = true;

	run_opts_init(&cc.rc);
	parse_options(&cc, argc, argv);
	if (cc.rc.ro.attach_pid)
		cli_usage_error("--attach: compare starts each configuration itself; it cannot attach");
	run_cli_check(&cc.rc);
	cli_outputs_add_named_before(&cc.rc.outputs, &cc.markdown, &cc.rc.text);
	cli_outputs_check(&cc.rc.outputs);

	n_cfgs = cc.n_specs;
	cfgs = n_cfgs ? given_configs(&cc) : preset_configs(&cc, &n_cfgs);
	base = find_baseline(&cc, cfgs, n_cfgs);
	default_argv = default_command(&cc, argc, argv, cfgs, n_cfgs, &workload_argv);
	cc.rc.ro.hide_output = !cc.show_output;
	run_cli_open_outputs(&cc.rc);

	new_result(&res, cfgs, n_cfgs, default_argv);
	if (cc.rc.csv.f)
		series_csv_header(cc.rc.csv.f);

	sched.ro = &cc.rc.ro;
	sched.cfgs = cfgs;
	sched.results = res.configs;
	sched.n = n_cfgs;
	sched.runs = cc.runs;
	sched.warmup = cc.warmup;
	sched.csv = cc.rc.csv.f;
	sched.on_run = on_run;
	sched.arg = &cc;
	compare_schedule_run(&sched, &how);
	cli_ignore_sigpipe();
	if (how.failure != RUN_OK) {
		cc.exit_code = start_failure(&how, &cfgs[how.failed],
					     res.configs[how.failed].argv);
		cli_output_discard(&cc.rc.json);
		cli_output_discard(&cc.rc.csv);
		cli_output_discard(&cc.markdown);
		cli_output_discard(&cc.rc.html);
		goto out;
	}

	if (cc.rc.interval_given)
		warn_short_runs(&res, cc.rc.ro.interval_ns);
	fill_table(&tab, &res, base);
	tab.alpha = res.alpha = cc.alpha;
	res.baseline = base;
	{
		char what[128];

		snprintf(what, sizeof(what), "%u run%s each, interleaved%s%s", cc.runs,
			 cc.runs == 1 ? "" : "s", workload_argv ? ", the bundled workload" : "",
			 how.interrupted ? "; INTERRUPTED: fewer runs than asked" : "");
		tab.what = what;
		if (cc.rc.json.f && result_json_write(&res, cc.rc.json.f) < 0) {
			cli_output_failed(&cc.rc.json, errno);
			ok = false;
		}
		if (cc.markdown.f)
			report_table_markdown(cc.markdown.f, &tab, &cc.rc.rep);
		if (cc.rc.html.f)
			html_table(cc.rc.html.f, &tab, &cc.rc.rep);
		if (cc.rc.text.f)
			report_table_text(cc.rc.text.f, &tab, &cc.rc.rep);
	}
out:
	ok &= cli_outputs_close(&cc.rc.outputs);
	report_table_free(&tab);
	result_free(&res);
	for (i = 0; i < n_cfgs; i++)
		compare_config_free(&cfgs[i]);
	free(cfgs);
	free(cc.specs);
	strv_free(workload_argv);
	free(cc.drive);
	run_opts_destroy(&cc.rc);
	return ok ? cc.exit_code : EXIT_MEMWATCH_FAILED;
}
