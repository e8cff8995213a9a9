/* run/run.h - one measured run of a command (or an attached process) */
#ifndef MEMWATCH_RUN_H
#define MEMWATCH_RUN_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/phase.h"
#include "result/result.h"
#include "sample/sampler.h"
#include "report/series_csv.h"
#include "run/statusline.h"

/* --mark REGEX=LABEL */
struct run_mark {
	regex_t re;
	char *label;
	unsigned seen;		/* matches so far (labels after the first are
				 * LABEL_2, LABEL_3, ...) */
};

/* --cgroup: whether the tree runs in a memory cgroup of its own. */
enum run_cgroup {
	RUN_CGROUP_AUTO,	/* if it can be had; else sampling, and a notice */
	RUN_CGROUP_OFF,
	RUN_CGROUP_REQUIRE,	/* fail if it cannot */
};

struct run_opts {
	char **argv;		/* the command; NULL when attaching */
	char **env_set;		/* "VAR=VALUE" added for the command, or NULL */
	pid_t attach_pid;	/* measure this running process instead */
	bool stop_attached;	/* at the end, stop an attached tree too */
	enum run_cgroup cgroup;
	bool phase_hwm;		/* reset each process's VmHWM at each phase
				 * boundary, for exact peaks per phase */
	uint64_t interval_ns;
	uint64_t timeout_ns;	/* 0: none */
	uint64_t kill_after_ns;	/* grace between the stop signal and SIGKILL */
	int stop_signal;
	struct sampler_opts sampler;
	struct phase_opts phases;
	regex_t *ready;		/* --ready, or NULL */
	struct run_mark *marks;
	size_t n_marks;
	const char *drive;	/* --drive shell command, or NULL */
	const char *preload;	/* library the command is given with LD_PRELOAD:
				 * each process's maps are checked for it */
	bool hide_output;	/* the command's output goes nowhere (compare) */
	const char *statusline_prefix;	/* "jemalloc 2/3", first on the status line */
	struct series_csv *csv;	/* NULL: no time series */
	struct statusline *statusline;	/* NULL: no live status line */
	bool foreground;	/* hand the terminal to the command */
	/* Tells the user something worth knowing now (a failing driver);
	 * NULL: nothing is told. */
	void (*notice)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
};

#define RUN_INTERVAL_NS 250000000ULL
#define RUN_KILL_AFTER_NS 5000000000ULL
#define RUN_GIVE_UP_NS 10000000000ULL	/* wait after SIGKILL, then end */
#define RUN_READY_TIMEOUT_NS 90000000000ULL
#define RUN_CHECKPOINTS 4

/* How a run failed before it could measure anything. */
enum run_failure {
	RUN_OK = 0,
	RUN_NOT_FOUND,		/* exec: ENOENT */
	RUN_CANNOT_EXECUTE,	/* exec: other errors */
	RUN_NO_PROCESS,		/* --attach: no such process */
	RUN_NOT_PERMITTED,	/* --attach --stop-tree: may not signal it */
	RUN_SYSTEM,		/* memwatch could not set up (errno) */
	RUN_NO_CGROUP,		/* --cgroup=require: none (kernel.note says why) */
};

/* Measure one run into out (an empty run from result_config_add_run).
 * Returns RUN_OK when a measurement was taken (whatever the target did:
 * see out->exit_status, ended_by, interrupted); otherwise a failure with
 * *err_no set and nothing measured. */
enum run_failure run_measure(const struct run_opts *o, struct result_run *out,
			     int *err_no);

/* After RUN_NO_CGROUP: what was missing, one line. */
const char *run_cgroup_refusal(void);

/* If a signal asked memwatch to stop during the last run, its number,
 * else 0. Callers running several runs stop at the first such one. */
int run_interrupt_signal(void);

/* Whether the command's output through memwatch to standard output ended
 * in the middle of a line in the last run: what memwatch prints there
 * next starts on a line of its own. */
bool run_output_midline(void);

#endif
