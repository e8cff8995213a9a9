/* cli/run_opts.c - the options every measured run shares: memwatch -- COMMAND and compare */
#include "config.h"

#include "cli/run_opts.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervise.h"
#include "util/xalloc.h"

#define MS_NS 1000000ULL
#define MIN_INTERVAL_NS MS_NS
#define MAX_INTERVAL_NS (3600ULL * 1000000000ULL)
#define MAX_DURATION_NS (366ULL * 86400 * 1000000000ULL)

enum {
	OPT_JSON = 256,
	OPT_CSV,
	OPT_HTML,
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
	OPT_CGROUP,
	OPT_PHASE_HWM,
};

const struct option run_opts_long[] = {
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
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "phase-hwm", no_argument, NULL, OPT_PHASE_HWM },
	{ "output", required_argument, NULL, 'o' },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "name", required_argument, NULL, 'n' },
	{ "bytes", no_argument, NULL, OPT_BYTES },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

/* Where the cgroup mode was last given: its errors name that. */
static const char *cgroup_from = "--cgroup";

const char *run_opts_cgroup_from(void)
{
	return cgroup_from;
}

/* auto, off or require, given to what (an option or a variable). */
static enum run_cgroup cgroup_mode(const char *what, const char *arg)
{
	cgroup_from = what;
	if (strcmp(arg, "auto") == 0)
		return RUN_CGROUP_AUTO;
	if (strcmp(arg, "off") == 0)
		return RUN_CGROUP_OFF;
	if (strcmp(arg, "require") != 0)
		cli_usage_error("%s: '%s' is not auto, off or require", what, arg);
	return RUN_CGROUP_REQUIRE;
}

void run_opts_init(struct run_cli *rc)
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
	/* The default of --cgroup, for a CI job or a test suite that must
	 * never create cgroups (or always have the exact tier). */
	if (getenv("MEMWATCH_CGROUP") && *getenv("MEMWATCH_CGROUP"))
		rc->ro.cgroup = cgroup_mode("MEMWATCH_CGROUP", getenv("MEMWATCH_CGROUP"));
	rc->rep.max_proc_rows = 15;
	rc->json.opt = "--json";
	rc->csv.opt = "--csv";
	rc->html.opt = "--html";
	rc->text.opt = "--output";
	cli_outputs_add(&rc->outputs, &rc->json);
	cli_outputs_add(&rc->outputs, &rc->csv);
	cli_outputs_add(&rc->outputs, &rc->html);
	cli_outputs_add_report(&rc->outputs, &rc->text);
}

void run_opts_destroy(struct run_cli *rc)
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

bool run_opts_parse(struct run_cli *rc, int c, const char *arg)
{
	struct run_opts *ro = &rc->ro;
	uint64_t v;

	switch (c) {
	case 'i':
		ro->interval_ns = cli_duration("--interval", arg, MIN_INTERVAL_NS,
					       MAX_INTERVAL_NS);
		rc->interval_given = true;
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
	case OPT_CGROUP:
		ro->cgroup = cgroup_mode("--cgroup", arg);
		break;
	case OPT_PHASE_HWM:
		ro->phase_hwm = true;
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
	case OPT_HTML:
		rc->html.path = arg;
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

void run_opts_ready(struct run_cli *rc, const char *regex)
{
	run_opts_parse(rc, OPT_READY, regex);
}

/* A pid memwatch cannot measure as a tree: itself, what runs it (whose
 * tree holds memwatch, which would wait for its own end), a thread. */
static void check_attach(pid_t pid)
{
	pid_t tgid = 0;

	switch (target_attach_check(pid, &tgid)) {
	case TARGET_ATTACH_SELF:
		cli_usage_error("--attach: %d is memwatch itself", (int)pid);
	case TARGET_ATTACH_ANCESTOR:
		cli_usage_error("--attach: %d runs memwatch (an ancestor of it): its tree would hold memwatch itself",
				(int)pid);
	case TARGET_ATTACH_THREAD:
		cli_usage_error("--attach: %d is a thread of process %d, not a process; attach to %d",
				(int)pid, (int)tgid, (int)tgid);
	case TARGET_ATTACH_OK:
		break;
	}
}

void run_opts_check(const struct run_cli *rc)
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
	if (ro->phase_hwm && !phase_configured(&ro->phases))
		cli_usage_error("--phase-hwm: needs phases (--ready, --drive, --load or --idle)");
	if (rc->stop_tree_given && !ro->attach_pid)
		cli_usage_error("--stop-tree: only for --attach (memwatch always stops what it starts)");
	if (ro->attach_pid)
		check_attach(ro->attach_pid);
}

void run_opts_table(struct option table[RUN_OPTS_TABLE_MAX],
		    const struct option *own, size_t n_own,
		    char shortopts[RUN_OPTS_TABLE_MAX], const char *own_short)
{
	size_t n = 0;

	while (run_opts_long[n].name) {
		table[n] = run_opts_long[n];
		n++;
	}
	memcpy(table + n, own, n_own * sizeof(*own));
	memset(&table[n + n_own], 0, sizeof(*table));
	/* '+': options stop at the command; ':': a missing value is told
	 * apart from an unknown option. */
	snprintf(shortopts, RUN_OPTS_TABLE_MAX, "+:%s%s", RUN_OPTS_SHORT, own_short);
}
