/* run/state.h - the state of one run, shared by the files that carry it out
 *
 * run.c owns the loop and the stopping; command.c starts the command and
 * watches its lines, drive.c the driver's start and end, assemble.c turns
 * what was seen into the result. Nothing outside run/ sees this. */
#ifndef MEMWATCH_RUN_STATE_H
#define MEMWATCH_RUN_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "run/drive.h"
#include "run/kcount.h"
#include "run/overhead.h"
#include "run/passthru.h"
#include "run/phase.h"
#include "run/phasehwm.h"
#include "run/run.h"
#include "run/unmapped.h"
#include "sample/cadence.h"
#include "sample/sampler.h"
#include "sample/timeline.h"
#include "sample/tree.h"
#include "supervise.h"

enum run_state {
	RUN_STATE_RUNNING,
	RUN_STATE_STOPPING,	/* stop signal sent, waiting for the tree */
	RUN_STATE_DONE,
};

struct run {
	const struct run_opts *o;
	struct result_run *out;
	struct supervise sv;
	struct events ev;	/* signals and the sampling timer */
	struct tree tree;
	struct sampler sampler;
	struct timeline tl;
	struct phase ph;
	struct passthru pt;
	bool routed;		/* the command's output passes through memwatch */
	struct cadence cad;	/* when each next tick is due */
	uint64_t t0_ns;
	enum run_state state;

	pid_t root_pid;
	bool root_exited;
	int root_wait_status;	/* -1 unknown */
	uint64_t end_ns;	/* when the root exited or the tree was stopped */
	uint64_t done_ns;	/* the loop ended: memwatch's own elapsed time */
	bool children_left;

	struct sample last;	/* the latest sample */
	uint64_t last_ns;
	bool last_deep;		/* every process read deep in it */
	struct sample last_alive;	/* the "exit" checkpoint candidate */
	bool have_last_alive;
	bool exit_recorded;
	bool root_exit_seen;	/* what the command left was looked at */
	bool daemonized;	/* the phases run on what the command left */

	uint64_t kill_deadline_ns;
	int stop_sig;		/* sent to the tree, or 0 */
	bool killed;
	uint64_t give_up_ns;	/* after SIGKILL: stop waiting then */
	size_t signaled;	/* tree.all[0..signaled) got the stop signal */
	double tree_cpu_s;	/* rusage of reaped tree processes */

	struct overhead own;	/* memwatch's own cost */
	uint64_t spawn_rss_bytes;	/* memwatch's rss when it forked the command */
	struct unmapped_shmem unmapped;
	struct drive drive;	/* --drive: the driver under its keeper */
	struct kcount kc;	/* the kernel's count: the tree's cgroup */
	struct phasehwm phw;	/* each process's peak in each phase */
	pid_t drive_pid;	/* the keeper while it lives (some of the load
				 * may be left), or 0 */
};

/* Seconds into the run at the monotonic time ns. */
static inline double run_seconds(const struct run *r, uint64_t ns)
{
	return ns > r->t0_ns ? (double)(ns - r->t0_ns) / 1e9 : 0;
}

/* Whether the run follows the whole tree rather than the command alone:
 * attached (memwatch did not start it, and measures what it found until
 * all of it is gone), or once the command daemonized. */
static inline bool run_whole_tree(const struct run *r)
{
	return r->o->attach_pid || r->daemonized;
}

/* Whether the command is gone and the run ends with it: the phases take
 * no checkpoint past its end (the tree would be empty, and after its exit),
 * and a line read after it was written while it was alive. */
static inline bool run_command_gone(const struct run *r)
{
	const struct proc_rec *root;

	if (run_whole_tree(r))
		return false;
	if (r->root_exited)
		return true;
	root = tree_find(&r->tree, r->root_pid);
	return root && !root->alive;
}

/* The phase a sample belongs to: once the planned phases are over, the
 * run is stopping. */
static inline const char *run_phase_label(const struct run *r)
{
	return r->state == RUN_STATE_RUNNING && r->ph.name != PHASE_END ?
		phase_str(&r->ph) : "stop";
}

/* A named checkpoint: a sample with every process read deep (the latest,
 * if it was one taken just now). In run.c. */
const struct sample *run_checkpoint(struct run *r, uint64_t now_ns,
				    const char *kind, const char *label);

#endif
