/* cmd_compare.c - memwatch compare: configurations side by side
 *
 * Runs each configuration --runs times, interleaved (A B C A B C ...) so
 * that drift on the machine falls on all of them alike, and prints one
 * table: a row per metric, a column per configuration, the median with its
 * spread and the change against the baseline. Without a command it runs
 * the bundled workload against every allocator preset installed. */
#include "config.h"

#include "cmd/compare.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cmd/run.h"
#include "cli/exitcode.h"
#include "util/fmt.h"
#include "result/metrics.h"
#include "compare/presets.h"
#include "report/table.h"
#include "result/json.h"
#include "report/series_csv.h"
#include "util/xalloc.h"

#define WORKLOAD "memwatch-workload"

static void usage(void)
{
	printf(
"Usage: memwatch compare [OPTION]... [-c CONFIG]... [-- COMMAND [ARG]...]\n"
"Run COMMAND under each configuration, interleaved, and compare their memory.\n"
"Without COMMAND: the bundled workload (a bundler-like program).\n"
"Without -c: every allocator preset installed here.\n"
"\n"
"  -c, --config=CONFIG      a configuration (repeatable):\n"
"                             PRESET              system, jemalloc, mimalloc,\n"
"                                                 tcmalloc (LD_PRELOAD)\n"
"                             NAME:VAR=VALUE...   environment knobs\n"
"                             NAME=PRESET:VAR=VALUE...  a preset with knobs\n"
"                             NAME=@SHELL_CMD     a command of its own\n"
"  -r, --runs=N             runs per configuration (default 3)\n"
"      --warmup=N           unrecorded runs per configuration first (default 0)\n"
"      --baseline=NAME      changes are against NAME (default: the first)\n"
"      --markdown=FILE      the table as markdown, for PR comments\n"
"      --show-output        pass the command's output through (default: hidden)\n"
"\n"
"Every option of the run form applies to each run (see memwatch --help):\n"
"sampling, phases (--ready, --drive, --idle, ...), ending, --json, --csv,\n"
"-o, --bytes, -q. With the bundled workload and no phase options, runs wait\n"
"for its ready line and watch two idle windows of 1s.\n"
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
};

static bool is_ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Where a ':' at s starts a new assignment: followed by IDENT '='. */
static bool starts_assignment(const char *s)
{
	const char *p = s + 1;

	if (*s != ':' || !is_ident_start(*p))
		return false;
	while (is_ident(*p))
		p++;
	return *p == '=';
}

static bool valid_name(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!is_ident(*s) && !strchr(".-+", *s))
			return false;
	return n > 0 && n <= 40;
}

void compare_config_free(struct compare_config *c)
{
	size_t i;

	free(c->name);
	free(c->preset);
	free(c->preload);
	for (i = 0; c->env_set && c->env_set[i]; i++)
		free(c->env_set[i]);
	free(c->env_set);
	free(c->command);
	memset(c, 0, sizeof(*c));
}

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static void add_env(struct compare_config *c, size_t *n, char *assignment)
{
	c->env_set = xreallocarray(c->env_set, *n + 2, sizeof(*c->env_set));
	c->env_set[(*n)++] = assignment;
	c->env_set[*n] = NULL;
}

int compare_config_parse(const char *spec, struct compare_config *c,
			 char *err, size_t errlen)
{
	const char *p = spec, *head_end, *eq;
	size_t n_env = 0;
	char *head;

	memset(c, 0, sizeof(*c));
	/* The head runs to the first ':' that starts VAR=; a ':' inside a
	 * value (GLIBC_TUNABLES=a=1:b=2, LD_PRELOAD=/a.so:/b.so) does not. */
	for (head_end = p; *head_end && !starts_assignment(head_end); head_end++)
		;
	head = xstrndup(p, (size_t)(head_end - p));
	eq = strchr(head, '=');
	if (eq) {
		int rc = 0;

		c->name = xstrndup(head, (size_t)(eq - head));
		if (eq[1] == '@' && !eq[2])
			rc = fail(err, errlen, "'%s': the command after @ is empty", spec);
		else if (eq[1] == '@')
			c->command = xstrdup(eq + 2);
		else if (preset_known(eq + 1))
			c->preset = xstrdup(eq + 1);
		else
			rc = fail(err, errlen, "'%s': '%s' is not a preset (system, jemalloc, "
				  "mimalloc, tcmalloc) nor @COMMAND", spec, eq + 1);
		free(head);
		if (rc < 0)
			return rc;
	} else {
		c->name = head;
		if (preset_known(head))
			c->preset = xstrdup(head);
	}
	if (!valid_name(c->name))
		return fail(err, errlen, "'%s': the name must be 1 to 40 letters, digits, "
			    "'_', '-', '+' or '.'", spec);
	p = head_end;
	while (*p) {
		const char *start = p + 1, *end = start;
		char *assignment;

		while (*end && !starts_assignment(end))
			end++;
		assignment = xstrndup(start, (size_t)(end - start));
		if (!strncmp(assignment, "LD_PRELOAD=", 11)) {
			if (c->preset && strcmp(c->preset, "system")) {
				free(assignment);
				return fail(err, errlen, "'%s': the preset %s sets LD_PRELOAD; "
					    "give one or the other", spec, c->preset);
			}
			/* The first library preloaded is the one to look for.
			 * A later LD_PRELOAD= replaces an earlier one, as it
			 * will when the variables are set in order. */
			free(c->preload);
			c->preload = xstrndup(assignment + 11, strcspn(assignment + 11, ": "));
		}
		add_env(c, &n_env, assignment);
		p = end;
	}
	if (!c->preset && !c->command && !n_env)
		return fail(err, errlen, "'%s' is not a preset (system, jemalloc, mimalloc, "
			    "tcmalloc); a configuration of your own is NAME:VAR=VALUE, "
			    "NAME=PRESET:VAR=VALUE or NAME=@COMMAND", spec);
	return 0;
}

/* Find the preset's library, and preload it; a usage error if missing. */
static void apply_preset(struct compare_config *c, const char *spec)
{
	const char *package, *soname;
	char *path;
	size_t n = 0;

	if (!c->preset)
		return;
	if (!preset_locate(c->preset, &path, &package, &soname))
		cli_usage_error("-c %s: %s is not installed (Debian package %s)", spec,
				soname, package);
	if (!path)
		return;		/* system */
	while (c->env_set && c->env_set[n])
		n++;
	/* LD_PRELOAD first, the knobs after it, then the terminator (n
	 * entries and their NULL move up one). */
	c->env_set = xreallocarray(c->env_set, n + 2, sizeof(*c->env_set));
	memmove(c->env_set + 1, c->env_set, n * sizeof(*c->env_set));
	c->env_set[n + 1] = NULL;
	c->env_set[0] = xasprintf("LD_PRELOAD=%s", path);
	free(c->preload);
	c->preload = path;
}

/* The bundled workload: next to memwatch in a build tree, else where it is
 * installed. Caller frees; NULL if neither. */
static char *workload_path(void)
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

/* Whether word (up to its first blank) is a variable assignment,
 * NAME=VALUE. */
static bool is_assignment(const char *word)
{
	size_t n = strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789");

	return n > 0 && !(word[0] >= '0' && word[0] <= '9') && word[n] == '=';
}

/* The shell line for @COMMAND: a simple command is exec'd, so the command
 * itself (not a shell waiting for it) is the root of the tree and
 * MEMWATCH_TARGET_PID. Anything with shell syntax runs as written, and so
 * does a command that execs already. Variables set before the command
 * stay before the exec (NAME=VALUE exec CMD exports them to CMD). */
static char *shell_line(const char *command)
{
	const char *p = command;

	if (strpbrk(command, ";&|<>()`$\n{}!"))
		return xstrdup(command);
	p += strspn(p, " \t");
	while (is_assignment(p)) {
		p += strcspn(p, " \t");
		p += strspn(p, " \t");
	}
	if (!*p || (!strncmp(p, "exec", 4) && (!p[4] || p[4] == ' ' || p[4] == '\t')))
		return xstrdup(command);
	return xasprintf("%.*sexec %s", (int)(p - command), command, p);
}

static char **argv_copy(char *const *argv)
{
	size_t n = 0, i;
	char **v;

	while (argv[n])
		n++;
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = xstrdup(argv[i]);
	return v;
}

static void fill_env(struct result_config *rc, const struct compare_config *c)
{
	size_t i;

	for (i = 0; c->env_set && c->env_set[i]; i++) {
		const char *eq = strchr(c->env_set[i], '=');

		rc->env = xreallocarray(rc->env, rc->n_env + 1, sizeof(*rc->env));
		rc->env[rc->n_env].name = xstrndup(c->env_set[i], (size_t)(eq - c->env_set[i]));
		rc->env[rc->n_env].value = xstrdup(eq + 1);
		rc->n_env++;
	}
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

int cmd_compare(int argc, char **argv)
{
	static const struct option own[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ "show-output", no_argument, NULL, OPT_SHOW_OUTPUT },
		{ "help", no_argument, NULL, 'h' },
	};
	struct cli_output markdown = { .opt = "--markdown" };
	struct compare_config *cfgs = NULL;
	const char **specs = NULL;
	size_t n_cfgs = 0, n_specs = 0, i, k, base = 0;
	unsigned runs = 3, warmup = 0, round;
	const char *baseline = NULL;
	struct option opts[64];
	struct run_cli rc;
	struct result res = { 0 };
	struct table tab = { 0 };
	struct series_csv series = { 0 };
	char shortopts[64], **default_argv = NULL, *workload = NULL;
	bool show_output = false, ok = true, stopped = false;
	int c, status = EXIT_OK;

	for (k = 0; run_cli_options[k].name; k++)
		opts[k] = run_cli_options[k];
	memcpy(opts + k, own, sizeof(own));
	memset(&opts[k + sizeof(own) / sizeof(own[0])], 0, sizeof(opts[0]));
	snprintf(shortopts, sizeof(shortopts), "+:%sc:r:h", RUN_CLI_SHORTOPTS);

	run_cli_init(&rc);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (c != 'n' && run_cli_option(&rc, c, optarg))
			continue;
		switch (c) {
		case 'c':
			specs = xreallocarray(specs, n_specs + 1, sizeof(*specs));
			specs[n_specs++] = optarg;
			break;
		case 'r':
			runs = (unsigned)cli_uint("--runs", optarg, 1, 1000);
			break;
		case OPT_WARMUP:
			warmup = (unsigned)cli_uint("--warmup", optarg, 0, 100);
			break;
		case OPT_BASELINE:
			baseline = optarg;
			break;
		case OPT_MARKDOWN:
			markdown.path = optarg;
			break;
		case OPT_SHOW_OUTPUT:
			show_output = true;
			break;
		case 'n':
			cli_usage_error("--name: compare names each configuration with -c NAME...");
		case 'h':
			usage();
			return cli_close_stdout() ? EXIT_OK : EXIT_MEMWATCH_FAILED;
		default:
			cli_bad_option(argv, c);
		}
	}
	if (rc.ro.attach_pid)
		cli_usage_error("--attach: compare starts each configuration itself; it cannot attach");
	run_cli_check(&rc);
	cli_outputs_add_named_before(&rc.outputs, &markdown, &rc.text);
	cli_outputs_check(&rc.outputs);

	/* Configurations: as given, or every preset installed. */
	if (n_specs) {
		cfgs = xcalloc(n_specs, sizeof(*cfgs));
		for (i = 0; i < n_specs; i++) {
			char err[256];

			if (compare_config_parse(specs[i], &cfgs[i], err, sizeof(err)) < 0)
				cli_usage_error("-c %s", err);
			for (k = 0; k < i; k++)
				if (!strcmp(cfgs[k].name, cfgs[i].name))
					cli_usage_error("-c %s: the name '%s' is given twice",
							specs[i], cfgs[i].name);
			apply_preset(&cfgs[i], specs[i]);
			n_cfgs++;
		}
	} else {
		const char *const *names = preset_names();

		cfgs = xcalloc(8, sizeof(*cfgs));
		for (i = 0; names[i]; i++) {
			const char *package, *soname;
			char *path;

			if (!preset_locate(names[i], &path, &package, &soname)) {
				if (!rc.quiet)
					cli_warn("compare: %s is not installed (Debian package %s): "
						       "left out", names[i], package);
				continue;
			}
			free(path);
			cfgs[n_cfgs].name = xstrdup(names[i]);
			cfgs[n_cfgs].preset = xstrdup(names[i]);
			apply_preset(&cfgs[n_cfgs], names[i]);
			n_cfgs++;
		}
	}
	if (baseline) {
		for (base = 0; base < n_cfgs && strcmp(cfgs[base].name, baseline); base++)
			;
		if (base == n_cfgs)
			cli_usage_error("--baseline: '%s' is not one of the configurations", baseline);
	}

	/* The command: given, or the bundled workload with its phases. */
	if (optind < argc) {
		if (!*argv[optind])
			cli_usage_error("the command is empty");
		default_argv = argv + optind;
	} else {
		for (i = 0; i < n_cfgs && cfgs[i].command; i++)
			;
		if (i < n_cfgs) {
			workload = workload_path();
			if (!workload)
				cli_usage_error("the bundled workload (%s) is not installed next to "
						"memwatch or in %s; give a command", WORKLOAD,
						PKGLIBEXECDIR);
			default_argv = xcalloc(2, sizeof(*default_argv));
			default_argv[0] = workload;
			if (!phase_configured(&rc.ro.phases)) {
				run_cli_ready(&rc, "ready in");
				rc.ro.phases.idle_ns = 1000000000ULL;
				rc.ro.phases.checkpoints = 2;
			}
		}
	}
	rc.ro.hide_output = !show_output;
	run_cli_open_outputs(&rc);

	res.memwatch_version = xstrdup(PACKAGE_VERSION);
	res.created = result_now_iso8601();
	result_host_probe(&res.host);
	res.configs = xcalloc(n_cfgs, sizeof(*res.configs));
	res.n_configs = n_cfgs;
	for (i = 0; i < n_cfgs; i++) {
		res.configs[i].name = xstrdup(cfgs[i].name);
		if (cfgs[i].command) {
			char *line = shell_line(cfgs[i].command);
			char *sh[] = { "/bin/sh", "-c", line, NULL };

			res.configs[i].argv = argv_copy(sh);
			free(line);
		} else {
			res.configs[i].argv = argv_copy(default_argv);
		}
		fill_env(&res.configs[i], &cfgs[i]);
	}
	if (rc.csv.f)
		series_csv_header(rc.csv.f);

	/* Interleaved: every configuration once per round. */
	for (round = 0; round < warmup + runs && !stopped; round++) {
		for (i = 0; i < n_cfgs && !stopped; i++) {
			bool is_warmup = round < warmup;
			unsigned nth = is_warmup ? round + 1 : round - warmup + 1;
			struct result_run scratch, *run;
			struct run_opts ro = rc.ro;
			char prefix[96];
			enum run_failure f;
			int err, st;

			if (is_warmup) {
				memset(&scratch, 0, sizeof(scratch));
				run = &scratch;
				run->exit_status = -1;
			} else {
				run = result_config_add_run(&res.configs[i]);
			}
			ro.argv = res.configs[i].argv;
			ro.env_set = cfgs[i].env_set;
			ro.preload = cfgs[i].preload;
			snprintf(prefix, sizeof(prefix), "%s %s %u/%u", cfgs[i].name,
				 is_warmup ? "warmup" : "run", nth, is_warmup ? warmup : runs);
			ro.status_prefix = prefix;
			if (rc.csv.f && !is_warmup) {
				series_csv_begin(&series, rc.csv.f, cfgs[i].name, nth);
				ro.csv = &series;
			}
			f = run_measure(&ro, run, &err);
			series_csv_end(&series);
			if (f != RUN_OK) {
				/* A configuration that cannot start cannot be compared. */
				if (f == RUN_NOT_FOUND)
					cli_warn("%s: %s: %s", cfgs[i].name, ro.argv[0],
						 strchr(ro.argv[0], '/') ? strerror(err) : "command not found");
				else
					cli_warn("%s: cannot start '%s': %s", cfgs[i].name,
						 ro.argv[0], strerror(err));
				status = f == RUN_NOT_FOUND ? EXIT_NOT_FOUND :
					 f == RUN_CANNOT_EXECUTE ? EXIT_CANNOT_EXECUTE :
					 EXIT_MEMWATCH_FAILED;
				if (!is_warmup)
					res.configs[i].n_runs--;
				if (is_warmup)
					result_run_free(run);
				cli_output_discard(&rc.json);
				cli_output_discard(&rc.csv);
				cli_output_discard(&markdown);
				goto out;
			}
			progress(&rc, &cfgs[i], nth, is_warmup ? warmup : runs, run, is_warmup);
			st = cmd_run_exit_status(run, false);
			if (run->interrupted && run_interrupt_signal()) {
				stopped = true;
				status = st;
			} else if (st && !status && !is_warmup) {
				status = st;
			}
			if (is_warmup)
				result_run_free(run);
		}
	}

	tab.n = n_cfgs;
	tab.cols = xcalloc(n_cfgs, sizeof(*tab.cols));
	tab.baseline = base;
	for (i = 0; i < n_cfgs; i++) {
		tab.cols[i].config = &res.configs[i];
		tab.cols[i].host = &res.host;
	}
	report_table_titles(&tab);
	{
		char what[128];

		snprintf(what, sizeof(what), "%u run%s each, interleaved%s%s", runs,
			 runs == 1 ? "" : "s", workload ? ", the bundled workload" : "",
			 stopped ? "; INTERRUPTED: fewer runs than asked" : "");
		tab.what = what;
		if (rc.json.f && result_json_write(&res, rc.json.f) < 0) {
			cli_output_failed(&rc.json, errno);
			ok = false;
		}
		if (markdown.f)
			report_table_markdown(markdown.f, &tab, &rc.rep);
		if (rc.text.f)
			report_table_text(rc.text.f, &tab, &rc.rep);
	}
out:
	ok &= cli_outputs_close(&rc.outputs);
	report_table_free(&tab);
	result_free(&res);
	for (i = 0; i < n_specs || i < n_cfgs; i++)
		if (i < n_cfgs)
			compare_config_free(&cfgs[i]);
	free(cfgs);
	free(specs);
	if (workload)
		free(default_argv);
	free(workload);
	run_cli_destroy(&rc);
	return ok ? status : EXIT_MEMWATCH_FAILED;
}
