/* run.c - one measured run of a command (or an attached process)
 *
 * A single-threaded event loop on a signalfd (children exiting or stopping,
 * requests to stop), a timerfd (the sampling ticks, on an absolute schedule
 * so they do not drift) and the command's output when memwatch passes it
 * through. Each tick samples the tree; the loop also runs the phases
 * (phase.c), the timeout, and the stop sequence (stop signal, grace,
 * SIGKILL). */
#include "config.h"

#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sample/cadence.h"
#include "run/drive.h"
#include "util/fmt.h"
#include "run/passthru.h"
#include "supervise.h"
#include "sample/timeline.h"
#include "sample/tree.h"
#include "util/xalloc.h"

enum run_state {
	STATE_RUNNING,
	STATE_STOPPING,		/* stop signal sent, waiting for the tree */
	STATE_DONE,
};

struct run {
	const struct run_opts *o;
	struct result_run *out;
	struct supervise sv;
	struct tree tree;
	struct sampler sampler;
	struct timeline tl;
	struct phase ph;
	struct passthru pt;
	bool routed;		/* the command's output passes through memwatch */
	struct cadence cad;	/* when each next tick is due */
	int timer_fd;
	uint64_t t0_ns;
	enum run_state state;

	pid_t root_pid;
	bool root_exited;
	int root_status;	/* wait status; -1 unknown */
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

	struct probe *self;	/* memwatch itself, for its own rss */
	uint64_t spawn_rss_bytes;	/* memwatch's rss when it forked the command */
	double self_cpu0_s;		/* memwatch's CPU time when the run began */
	uint64_t sys_shmem0_bytes;	/* the system's Shmem at the start */
	uint64_t tree_shmem0_bytes;	/* ... and the tree's */
	bool have_shmem0;
	uint64_t unmapped_shmem_bytes;	/* the largest rise not mapped */
	uint64_t self_every_ns;	/* spacing of the self-rss series */
	uint64_t self_next_ns;
	struct drive drive;	/* --drive: the driver under its keeper */
	pid_t drive_pid;	/* the keeper while it lives (some of the load
				 * may be left), or 0 */
};

static int interrupt_sig;

int run_interrupt_signal(void)
{
	return interrupt_sig;
}

static double timeval_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static double run_seconds(const struct run *r, uint64_t ns)
{
	return ns > r->t0_ns ? (double)(ns - r->t0_ns) / 1e9 : 0;
}

static char *join_argv(char *const argv[])
{
	size_t len = 1, i;
	char *s;

	for (i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; argv[i]; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* The phase a sample belongs to: once the planned phases are over, the
 * run is stopping. */
static const char *phase_label(const struct run *r)
{
	return r->state == STATE_RUNNING && r->ph.name != PHASE_END ?
		phase_str(&r->ph) : "stop";
}

/* Whether the run follows the whole tree rather than the command alone:
 * attached (memwatch did not start it, and measures what it found until
 * all of it is gone), or once the command daemonized. */
static bool whole_tree(const struct run *r)
{
	return r->o->attach_pid || r->daemonized;
}

/* --- the live status line ---------------------------------------------- */

static void status_update(struct run *r, uint64_t now_ns, bool force)
{
	struct status_line *st = r->o->status;
	char text[256], a[FMT_BUF], b[FMT_BUF], c[FMT_BUF], extra[96] = "";
	uint64_t deadline = phase_deadline_ns(&r->ph);

	if (!st || !st->enabled)
		return;
	/* Never over a line the command has not finished. */
	if (r->routed && (!passthru_at_line_start(&r->pt, 1) ||
			  !passthru_at_line_start(&r->pt, 2)))
		return;
	/* What matters most first: a narrow terminal cuts from the end. */
	if (r->state != STATE_RUNNING)
		snprintf(extra, sizeof(extra), " (stopping)");
	else if (r->ph.name == PHASE_START && deadline > now_ns)
		snprintf(extra, sizeof(extra), " (waiting for ready, %s left)",
			 fmt_duration(c, (double)(deadline - now_ns) / 1e9));
	else if (r->ph.name == PHASE_IDLE && deadline > now_ns &&
		 r->ph.idle_done < r->ph.o.checkpoints)
		snprintf(extra, sizeof(extra), " (checkpoint %u/%u in %s)",
			 r->ph.idle_done + 1, r->ph.o.checkpoints,
			 fmt_duration(c, (double)(deadline - now_ns) / 1e9));
	else if (r->ph.name == PHASE_LOAD && r->drive_pid && !r->drive.driver_exited)
		snprintf(extra, sizeof(extra), " (driving)");
	snprintf(text, sizeof(text), "memwatch: %s%s%s %s%s · footprint %s · peak %s · %u process%s",
		 r->o->status_prefix ? r->o->status_prefix : "",
		 r->o->status_prefix ? " · " : "", phase_label(r), fmt_duration(c, run_seconds(r, now_ns)), extra,
		 fmt_bytes(a, r->last.sum.footprint_bytes, false),
		 fmt_bytes(b, r->tl.peak.mem.footprint_bytes, false),
		 r->last.processes, r->last.processes == 1 ? "" : "es");
	status_draw(st, text, now_ns, force);
}

static void before_write(int out_fd, void *arg)
{
	struct run *r = arg;

	if (r->o->status && status_shares_terminal(r->o->status, out_fd))
		status_clear(r->o->status);
}

/* --- sampling ---------------------------------------------------------- */

static void signal_new(struct run *r);

/* memwatch's own rss, kept as a bounded series: when it is full, every
 * other point goes and the spacing doubles, so it covers the whole run in
 * at most RESULT_SELF_POINTS points however long the run is. */
static void self_rss_point(struct run *r, uint64_t now_ns)
{
	struct result_sampler *s = &r->out->sampler;
	struct probe_fast f;
	size_t i;

	if (now_ns < r->self_next_ns || !r->self || !probe_fast(r->self, &f))
		return;
	if (s->n_self_rss == RESULT_SELF_POINTS) {
		for (i = 0; i < RESULT_SELF_POINTS / 2; i++)
			s->self_rss[i] = s->self_rss[2 * i];
		s->n_self_rss = RESULT_SELF_POINTS / 2;
		r->self_every_ns *= 2;
	}
	s->self_rss[s->n_self_rss].t_s = run_seconds(r, now_ns);
	s->self_rss[s->n_self_rss].rss_bytes = f.rss_bytes;
	s->n_self_rss++;
	/* On the schedule, not from this tick's (jittered) time. */
	r->self_next_ns = r->self_next_ns ? r->self_next_ns + r->self_every_ns :
					    now_ns + r->self_every_ns;
	if (r->self_next_ns < now_ns)
		r->self_next_ns = now_ns + r->self_every_ns;
}

/* Shared memory on the system beyond what the tree's processes have in
 * their page tables: a tmpfs or memfd file that no process maps, or shared
 * pages that the processes mapping them never touched (a child inherits
 * its parent's shared mapping but not its page table entries), is in no
 * process's numbers (only a memory cgroup sees whose it is), but it shows
 * as a rise of the system's Shmem that the tree's share of shmem does not
 * match. Another program doing the same at the same time shows too: the
 * report says so. */
static void watch_unmapped_shmem(struct run *r)
{
	uint64_t sys, tree = r->last.shmem_share_bytes;
	int64_t rise;

	/* The tree's side counts each shared page once (its proportional
	 * shares), and only once every process has had a page walk: before,
	 * a page shared by n processes would count n times. */
	if (r->last.deep_age_ns == UINT64_MAX || !probe_sys_shmem(r->tree.sys, &sys))
		return;
	if (!r->have_shmem0) {
		r->sys_shmem0_bytes = sys;
		r->tree_shmem0_bytes = tree;
		r->have_shmem0 = true;
		return;
	}
	rise = ((int64_t)sys - (int64_t)r->sys_shmem0_bytes) -
	       ((int64_t)tree - (int64_t)r->tree_shmem0_bytes);
	if (rise > (int64_t)r->unmapped_shmem_bytes)
		r->unmapped_shmem_bytes = (uint64_t)rise;
}

/* One sample of the tree; deep_all reads every process's smaps_rollup. */
static const struct sample *tick(struct run *r, uint64_t now_ns, bool deep_all)
{
	struct proc_rec *root;

	sampler_tick(&r->sampler, &r->tree, now_ns, deep_all,
		     r->tl.have_peak ? r->tl.peak.mem.footprint_bytes : 0, &r->last);
	r->last_ns = now_ns;
	r->last_deep = r->last.deep_complete;
	/* While memwatch stops what is left, the tree is being torn down by
	 * memwatch itself: those samples are in the series, not the peak. */
	if (r->state == STATE_RUNNING)
		timeline_add(&r->tl, &r->last, &r->tree, phase_str(&r->ph));
	if (r->o->csv)
		series_csv_row(r->o->csv, phase_label(r), &r->last);
	if (r->stop_sig)
		signal_new(r);
	if (r->state == STATE_RUNNING)
		watch_unmapped_shmem(r);
	/* The "exit" checkpoint of a command that exits by itself: the last
	 * sample while it was alive (or, once it daemonized, while any of
	 * what it left was). */
	root = tree_find(&r->tree, r->root_pid);
	if ((root && root->alive) || (whole_tree(r) && r->last.processes)) {
		r->last_alive = r->last;
		r->have_last_alive = true;
	}
	if (r->routed)
		passthru_sync_winsize(&r->pt);
	self_rss_point(r, now_ns);
	status_update(r, now_ns, false);
	return &r->last;
}

/* A named checkpoint: a sample with every process read deep (reusing the
 * latest if it was one, taken just now). */
static const struct sample *checkpoint(struct run *r, uint64_t now_ns,
				       const char *kind, const char *label)
{
	const struct sample *s = r->last_deep && r->last_ns == now_ns ?
		&r->last : tick(r, now_ns, true);

	timeline_checkpoint(&r->tl, kind, label, s);
	return s;
}

/* --- stopping ---------------------------------------------------------- */

/* The driver and everything it started, through its keeper. */
static void signal_driver(struct run *r, int sig)
{
	if (r->drive_pid)
		drive_stop(&r->drive, sig);
}

/* Signal every process of the tree: the root's group (which reaches
 * processes not yet discovered) and each known process by its pinned
 * identity (which reaches those that left the group). */
/* Signal one process of the tree; one that memwatch may not signal (it
 * changed its credentials, as sudo and setuid programs do) is said once,
 * and not waited for. */
static void signal_proc(struct run *r, struct proc_rec *p, int sig)
{
	if (!p->alive || !p->probe || p->unsignalable)
		return;
	if (probe_kill(p->probe, sig) < 0 && errno == EPERM) {
		p->unsignalable = true;
		if (r->o->notice)
			r->o->notice("cannot signal pid %d (%s): %s; it is left running",
				     (int)p->pid, p->comm, strerror(EPERM));
	}
}

static void signal_tree(struct run *r, int sig)
{
	size_t i;

	r->stop_sig = sig;
	if (!r->o->attach_pid && r->root_pid > 0)
		kill(-r->root_pid, sig);
	for (i = 0; i < r->tree.n_live; i++)
		signal_proc(r, r->tree.live[i], sig);
	r->signaled = r->tree.n_all;
	signal_driver(r, sig);
}

/* Processes found after the tree was told to stop get told too. */
static void signal_new(struct run *r)
{
	for (; r->signaled < r->tree.n_all; r->signaled++)
		signal_proc(r, r->tree.all[r->signaled], r->stop_sig);
}

/* Whether every process of the tree still alive is one memwatch may not
 * signal: waiting for them would be waiting forever. */
static bool only_unsignalable_left(const struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->tree.n_live; i++) {
		const struct proc_rec *p = r->tree.live[i];

		if (p->alive && !p->unsignalable)
			return false;
		n += p->alive;
	}
	return n > 0;
}

static void record_exit(struct run *r, const struct sample *s)
{
	if (r->exit_recorded || !s)
		return;
	timeline_checkpoint(&r->tl, "exit", "exit", s);
	r->exit_recorded = true;
}

/* The planned or requested end: record the tree as it is, then stop it
 * (or, attached and not asked to stop it, just stop watching). */
static void begin_stop(struct run *r, uint64_t now_ns, int sig,
		       const char *ended_by)
{
	bool attached_only = r->o->attach_pid && !r->o->stop_attached;

	if (r->state != STATE_RUNNING)
		return;
	if ((!r->root_exited || r->daemonized) && !r->exit_recorded) {
		/* The tree as it is, every process read deep. */
		checkpoint(r, now_ns, "exit", "exit");
		r->exit_recorded = true;
		r->end_ns = now_ns;
	}
	if (!r->out->ended_by)
		r->out->ended_by = xstrdup(ended_by);
	r->state = STATE_STOPPING;
	if (attached_only) {
		signal_driver(r, sig);
		r->state = r->drive_pid ? STATE_STOPPING : STATE_DONE;
		r->kill_deadline_ns = now_ns + r->o->kill_after_ns;
		return;
	}
	/* Find everything there is to stop (an orphan may not have been
	 * seen by a tick yet). */
	r->tree.force_discovery = true;
	tree_discover(&r->tree, now_ns);
	signal_tree(r, sig);
	r->kill_deadline_ns = now_ns + r->o->kill_after_ns;
}

/* --- the driver ---------------------------------------------------------- */

static void start_drive(struct run *r, uint64_t now_ns)
{
	char env_pid[48], *env[] = { env_pid, NULL };
	struct spawn_io io = { -1, -1, -1 };
	int child_out = -1, child_err = -1;

	snprintf(env_pid, sizeof(env_pid), "MEMWATCH_TARGET_PID=%d", (int)r->root_pid);
	io.stdin_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (r->o->hide_output) {
		child_out = open("/dev/null", O_WRONLY | O_CLOEXEC);
		io.stdout_fd = io.stderr_fd = child_out;
	} else if (r->routed &&
		   passthru_add_unwatched(&r->pt, &child_out, &child_err) == 0) {
		io.stdout_fd = child_out;
		io.stderr_fd = child_err;
	}
	r->out->drive.command = xstrdup(r->o->drive);
	r->out->drive.start_s = run_seconds(r, now_ns);
	if (drive_start(&r->drive, &r->sv, r->o->drive, env, &io,
			r->o->kill_after_ns) < 0) {
		int err = errno;

		r->out->drive.exit_status = 127;
		r->out->drive.end_s = r->out->drive.start_s;
		phase_drive_exited(&r->ph, now_ns);
		if (r->o->notice)
			r->o->notice("--drive: cannot start the driver: %s", strerror(err));
	} else {
		r->drive_pid = r->drive.keeper_pid;
		/* memwatch's child, but not the tree's. */
		tree_exclude(&r->tree, r->drive_pid);
	}
	passthru_close_child_ends(child_out, child_err);
	if (io.stdin_fd >= 0)
		close(io.stdin_fd);
}

/* The driver exited (or could not start): the load phase is over. Its
 * keeper stops whatever the driver left running. */
static void drive_exited(struct run *r, uint64_t now_ns)
{
	int st = result_exit_status(r->drive.driver_status);

	r->out->drive.exit_status = st;
	r->out->drive.end_s = run_seconds(r, now_ns);
	phase_drive_exited(&r->ph, now_ns);
	if (r->drive.start_errno && r->o->notice)
		r->o->notice("--drive: cannot start /bin/sh: %s", strerror(r->drive.start_errno));
	else if (st != 0 && r->state == STATE_RUNNING && r->o->notice)
		r->o->notice("--drive: the driver failed (exit status %d); the run goes on", st);
}

/* --- events ------------------------------------------------------------ */

static bool peek_child(pid_t pid, void *arg)
{
	struct run *r = arg;

	/* The driver is reaped as itself; what it started is not the tree. */
	return pid == r->drive_pid || !tree_excluded_zombie(&r->tree, pid);
}

static void on_reaped(pid_t pid, int status, const struct rusage *ru, void *arg)
{
	struct run *r = arg;
	uint64_t now = mono_ns();

	if (WIFSTOPPED(status)) {
		int sig = WSTOPSIG(status);

		/* Job control: the command's group stopped for the terminal. */
		if (pid == r->root_pid &&
		    (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)) {
			if (r->o->status)
				status_clear(r->o->status);
			supervise_job_stopped(&r->sv, r->root_pid);
		}
		return;
	}
	if (pid == r->drive_pid) {
		/* The keeper is gone, and with it the last of the load. Its
		 * last reports may not have been read yet. */
		if (drive_keeper_gone(&r->drive, status))
			drive_exited(r, now);
		r->drive_pid = 0;
		return;
	}
	r->tree_cpu_s += timeval_s(&ru->ru_utime) + timeval_s(&ru->ru_stime);
	tree_on_reaped(&r->tree, pid, status, (uint64_t)ru->ru_maxrss * 1024, now);
	if (pid == r->root_pid) {
		r->root_exited = true;
		r->root_status = status;
		if (r->state == STATE_RUNNING)
			r->end_ns = now;
		/* Ctrl-C at a terminal the command holds reaches the command,
		 * not memwatch: its death by SIGINT is the user interrupting. */
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT &&
		    supervise_has_tty(&r->sv))
			r->out->interrupted = true;
	}
}

/* No more grace: SIGKILL to what memwatch may stop (an attached tree only
 * with --stop-tree), and a last deadline for it to go. */
static void kill_all(struct run *r, uint64_t now_ns)
{
	if (!r->o->attach_pid || r->o->stop_attached)
		signal_tree(r, SIGKILL);
	else
		signal_driver(r, SIGKILL);
	r->killed = true;
	r->give_up_ns = now_ns + RUN_GIVE_UP_NS;
}

/* Stop waiting: what is left of the tree is left running (a process in
 * uninterruptible sleep, or one that ignores even SIGKILL under a tracer),
 * and memwatch says which. */
static void give_up(struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->tree.n_live; i++)
		n += r->tree.live[i]->alive && !r->tree.live[i]->unsignalable;
	if (n && r->o->notice)
		r->o->notice("%zu process%s of the tree did not exit after SIGKILL; memwatch ends without waiting",
			     n, n == 1 ? "" : "es");
	r->state = STATE_DONE;
}

static void on_signal(struct run *r, int sig, uint64_t now_ns)
{
	if (r->state == STATE_RUNNING) {
		interrupt_sig = sig;
		/* Attached with nothing planned left, a signal is how a run
		 * ends: not an interruption. */
		r->out->interrupted = !r->o->attach_pid ||
				      (phase_configured(&r->o->phases) &&
				       r->ph.name != PHASE_END);
		if (!r->out->interrupted)
			interrupt_sig = 0;
		/* Forward what memwatch got: the tree reacts as it would to
		 * the same request without memwatch. */
		begin_stop(r, now_ns, sig, "signal");
	} else if (r->state == STATE_STOPPING && !r->killed) {
		/* Asked again while stopping: no more grace (for what memwatch
		 * may stop: an attached tree only with --stop-tree). */
		kill_all(r, now_ns);
	} else if (r->state == STATE_STOPPING) {
		/* A third time: memwatch ends now, whatever is left. */
		give_up(r);
	}
}

/* A line of the command's output: the ready line, or a mark. */
static void on_line(const char *line, size_t len, void *arg)
{
	struct run *r = arg;
	uint64_t now = mono_ns();
	size_t i;

	(void)len;
	if (r->state != STATE_RUNNING)
		return;
	if (r->o->ready && r->ph.name == PHASE_START &&
	    regexec(r->o->ready, line, 0, NULL, 0) == 0) {
		phase_ready(&r->ph, now);
		checkpoint(r, now, "ready", "ready");
		r->out->ready_s = run_seconds(r, now);
		r->out->load_start_s = r->out->ready_s;
	}
	for (i = 0; i < r->o->n_marks; i++) {
		struct run_mark *m = &r->o->marks[i];
		char label[96];

		if (regexec(&m->re, line, 0, NULL, 0) != 0)
			continue;
		if (++m->seen == 1)
			snprintf(label, sizeof(label), "%s", m->label);
		else
			snprintf(label, sizeof(label), "%s_%u", m->label, m->seen);
		checkpoint(r, now, "mark", label);
	}
}

/* Carry out what the phases call for now. */
static void run_phases(struct run *r, uint64_t now_ns)
{
	enum phase_action act;
	char label[64];

	while (r->state == STATE_RUNNING &&
	       (act = phase_next(&r->ph, now_ns, label, sizeof(label))) != ACT_NONE) {
		const struct sample *s;

		switch (act) {
		case ACT_READY_TIMEOUT:
			begin_stop(r, now_ns, r->o->stop_signal, "ready_timeout");
			break;
		case ACT_START_DRIVE:
			start_drive(r, now_ns);
			break;
		case ACT_LOAD_END:
			s = checkpoint(r, now_ns, "load_end", "load_end");
			r->out->load_end_s = run_seconds(r, now_ns);
			timeline_load_end(&r->tl, r->out->load_end_s);
			phase_checkpoint_taken(&r->ph, s->sum.footprint_bytes);
			break;
		case ACT_IDLE_CHECKPOINT:
			s = checkpoint(r, now_ns, "idle", label);
			phase_checkpoint_taken(&r->ph, s->sum.footprint_bytes);
			break;
		case ACT_PLANNED_END:
			begin_stop(r, now_ns, r->o->stop_signal, "planned");
			break;
		case ACT_NONE:
			break;
		}
	}
}

/* The command exited while processes of its tree live on. With phases
 * still to run and a successful exit (a server that daemonized, as
 * redis-server --daemonize or pg_ctl start do), the phases run on what it
 * left; otherwise what is left is stopped. Either way the report says so. */
static bool root_left_tree(struct run *r)
{
	size_t i;
	uint32_t n = 0;

	for (i = 0; i < r->tree.n_live; i++) {
		struct proc_rec *p = r->tree.live[i];

		if (p->alive && p->pid != r->root_pid) {
			p->left_running = true;
			n++;
		}
	}
	r->out->left_running = n;
	r->out->command_exit_s = run_seconds(r, r->end_ns);
	return n && result_exit_status(r->root_status) == 0 &&
	       phase_configured(&r->o->phases) && r->ph.name != PHASE_END;
}

static void step(struct run *r, uint64_t now_ns)
{
	if (r->o->attach_pid && r->state == STATE_RUNNING && !r->root_exited) {
		struct proc_rec *root = r->tree.n_all ? r->tree.all[0] : NULL;

		/* The attached process is gone (its status, if memwatch saw
		 * it as a zombie, is the run's); what it started and memwatch
		 * found is still measured, until it is gone too. */
		if (!root || !root->alive) {
			r->root_exited = true;
			r->root_status = root ? root->exit_status : -1;
		}
	}
	if (r->state == STATE_RUNNING && r->root_exited && !r->root_exit_seen) {
		r->root_exit_seen = true;
		/* Processes orphaned just now may not be known yet. */
		if (!r->o->attach_pid && r->children_left) {
			r->tree.force_discovery = true;
			tree_discover(&r->tree, now_ns);
			r->daemonized = root_left_tree(r);
			r->out->daemonized = r->daemonized;
		}
	}
	if (r->state == STATE_RUNNING) {
		/* The run ends with the command; or, once it daemonized, and
		 * for an attached process, with the whole tree (the phases may
		 * end it first). */
		bool ended = !whole_tree(r) ? r->root_exited :
			r->root_exited && tree_alive_count(&r->tree) == 0 &&
			(r->o->attach_pid || !r->children_left);

		if (ended) {
			record_exit(r, r->have_last_alive ? &r->last_alive : NULL);
			r->out->ended_by = xstrdup("exit");
			if (whole_tree(r))
				r->end_ns = now_ns;
			/* Whatever the root left behind (daemons, stragglers,
			 * a driver) is stopped: memwatch leaves nothing running
			 * that it started. */
			if (r->o->attach_pid || r->children_left || r->drive_pid)
				begin_stop(r, now_ns, r->o->stop_signal, "exit");
			else
				r->state = STATE_DONE;
		} else if (r->o->timeout_ns &&
			   now_ns - r->t0_ns >= r->o->timeout_ns) {
			begin_stop(r, now_ns, r->o->stop_signal, "timeout");
		}
	}
	if (r->state == STATE_STOPPING) {
		bool tree_gone = r->o->attach_pid ?
			(!r->o->stop_attached || tree_alive_count(&r->tree) == 0 ||
			 only_unsignalable_left(r)) :
			!r->children_left || only_unsignalable_left(r);

		if (tree_gone && !r->drive_pid) {
			r->state = STATE_DONE;
		} else if (!r->killed && now_ns >= r->kill_deadline_ns) {
			kill_all(r, now_ns);
		} else if (r->killed && now_ns >= r->give_up_ns) {
			give_up(r);
		}
	}
}

/* --- the result -------------------------------------------------------- */

/* Processes that exited after the last tick (reaped by their own parents)
 * are still marked alive: close their records at the end of the run. */
static void close_records(struct run *r, uint64_t now_ns)
{
	size_t i;

	for (i = r->tree.n_live; i-- > 0;) {
		struct proc_rec *p = r->tree.live[i];
		struct probe_fast f;

		if (p->probe && probe_fast(p->probe, &f) && f.rss_bytes)
			continue;	/* still running: attached, not ours */
		tree_mark_exited(&r->tree, p, now_ns, -1);
		if (p->probe && probe_fast(p->probe, &f))
			continue;	/* a zombie; keep its record */
		tree_forget(&r->tree, p);
	}
}

/* memwatch's own peak RSS: VmHWM, which exec reset, and the start of each
 * run too (self_start). ru_maxrss would carry the peak of whatever process
 * exec'd memwatch (a shell, a Python script). */
static uint64_t self_peak_rss(const struct rusage *self)
{
	struct probe *p = probe_open(getpid());
	struct probe_status st;
	uint64_t hwm = 0;

	if (p && probe_status(p, &st))
		hwm = st.hwm_bytes;
	probe_close(p);
	return hwm ? hwm : (uint64_t)self->ru_maxrss * 1024;
}

/* What the kernel proves of each process's peak, folded into the records:
 * wait4's maxrss of a process memwatch reaped is its own peak when it
 * reaped no child itself (else it may be a child's), and the command's
 * own only above memwatch's rss at the fork, which it may carry from
 * before its exec. Then the tree's peak rss: never below the highest rss
 * a single process of the tree is proven to have held. */
static void prove_peak_rss(struct run *r)
{
	struct result_run *out = r->out;
	size_t i;

	out->peak_rss_bytes = r->tl.max_rss_bytes;
	out->peak_rss_source = PEAK_RSS_SAMPLED;
	for (i = 0; i < r->tree.n_all; i++) {
		struct proc_rec *p = r->tree.all[i];
		uint64_t w = p->wait_maxrss_bytes;

		if (p->pid == r->root_pid && !r->o->attach_pid && w <= r->spawn_rss_bytes)
			w = p->wait_maxrss_bytes = 0;
		if (w > p->hwm_bytes && !p->had_children && !p->mm_owner)
			p->hwm_bytes = w;
		if (p->hwm_bytes > out->peak_rss_bytes) {
			out->peak_rss_bytes = p->hwm_bytes;
			out->peak_rss_source = p->hwm_bytes == w ? PEAK_RSS_WAIT4 : PEAK_RSS_VMHWM;
			out->peak_rss_pid = p->pid;
		}
		if (w > out->peak_rss_bytes) {
			out->peak_rss_bytes = w;
			out->peak_rss_source = PEAK_RSS_WAIT4;
			out->peak_rss_pid = p->pid;
		}
	}
}

static void fill_result(struct run *r)
{
	struct result_run *out = r->out;
	struct sampler_stats *st = &r->sampler.stats;
	struct rusage self;
	size_t i;

	close_records(r, r->end_ns > mono_ns() ? r->end_ns : mono_ns());
	out->exit_status = r->root_exited ? result_exit_status(r->root_status) : -1;
	out->wall_s = run_seconds(r, r->end_ns);
	out->cpu_s = r->tree_cpu_s;
	out->peak = r->tl.peak;
	out->max_rss_bytes = r->tl.max_rss_bytes;
	prove_peak_rss(r);
	out->unmapped_shmem_bytes = r->unmapped_shmem_bytes;
	out->max_pss_bytes = r->tl.max_pss_bytes;
	out->max_processes = r->tl.max_processes;
	out->processes_seen = (uint32_t)r->tree.n_all;
	out->settle_s = timeline_settle_s(&r->tl);
	out->idle_drift_bytes_per_min = timeline_idle_drift(&r->tl);
	if (phase_configured(&r->o->phases) && out->load_start_s < 0 &&
	    !r->o->phases.wait_ready)
		out->load_start_s = 0;
	timeline_move_checkpoints(&r->tl, out);

	out->processes = xcalloc(r->tree.n_all, sizeof(*out->processes));
	out->n_processes = r->tree.n_all;
	for (i = 0; i < r->tree.n_all; i++) {
		struct proc_rec *p = r->tree.all[i];
		struct result_proc *q = &out->processes[i];

		q->pid = p->pid;
		q->ppid = p->ppid;
		q->command = p->command ? xstrdup(p->command) : xstrdup(p->comm);
		q->start_s = p->start_s;
		q->end_s = p->alive ? -1 : p->end_s;
		q->exit_status = result_exit_status(p->exit_status);
		q->hwm_bytes = p->hwm_bytes;
		q->peak_footprint_bytes = p->peak_footprint_bytes;
		q->has_at_peak = p->at_peak_gen == r->tl.peak_gen && r->tl.have_peak;
		if (q->has_at_peak)
			q->at_peak = p->at_peak;
		q->preload = r->o->preload ? p->preload : -1;
		if (r->o->preload && p->preload >= 0) {
			out->preload.checked++;
			out->preload.mapped += (uint32_t)p->preload;
		}
		if (r->o->preload && p->preload_unreadable && p->preload < 0)
			out->preload.unreadable++;
		q->wait_maxrss_bytes = p->wait_maxrss_bytes;
		q->deep_denied = p->deep_denied;
		q->left_running = p->left_running;
		q->unsignalable = p->unsignalable;
		q->mm_shared_with = p->mm_owner ? p->mm_owner->pid : 0;
		out->deep_denied += p->deep_denied;
		if (!p->mm_owner)
			out->sum_proc_peak_bytes += p->hwm_bytes;
	}
	/* An upper bound is never below what the kernel proved. */
	if (out->sum_proc_peak_bytes < out->peak_rss_bytes)
		out->sum_proc_peak_bytes = out->peak_rss_bytes;

	if (r->o->preload)
		out->preload.library = xstrdup(r->o->preload);
	getrusage(RUSAGE_SELF, &self);
	out->sampler.interval_ns = r->o->interval_ns;
	out->sampler.samples = r->tl.samples;
	out->sampler.deep_reads = st->deep_reads;
	out->sampler.deep_budget_bp = r->sampler.opts.deep_budget_bp;
	/* This run's: compare runs several in one memwatch. */
	out->sampler.cpu_s = timeval_s(&self.ru_utime) + timeval_s(&self.ru_stime) -
			     r->self_cpu0_s;
	{
		double elapsed = run_seconds(r, r->done_ns);

		out->sampler.cpu_pct = elapsed > 0 ? 100 * out->sampler.cpu_s / elapsed : 0;
	}
	out->sampler.max_rss_bytes = self_peak_rss(&self);
	out->sampler.fast_us_per_proc_tick = st->fast_reads ?
		(double)st->fast_ns / 1e3 / (double)st->fast_reads : 0;
	out->sampler.deep_cpu_s = (double)st->deep_cpu_ns / 1e9;
	out->sampler.deep_max_ms = (double)st->deep_max_cpu_ns / 1e6;
	out->sampler.deep_denied = st->deep_denied;
	out->sampler.deep_mean_ms = st->deep_reads ?
		(double)st->deep_cpu_ns / 1e6 / (double)st->deep_reads : 0;
	out->sampler.full_scans = r->tree.full_scans;
	out->sampler.children_scans = r->tree.children_scans;
	out->sampler.pid_probes = r->tree.pid_probes;
	out->sampler.max_gap_s = (double)r->tl.max_gap_ns / 1e9;
	out->sampler.ramp_ticks = r->cad.ramp_ticks;
	out->sampler.burst_ticks = r->cad.burst_ticks;
	out->sampler.status_reads = st->status_reads;
	out->sampler.status_us_per_read = st->status_reads ?
		(double)st->status_ns / 1e3 / (double)st->status_reads : 0;
	out->sampler.refresh_reads = st->refresh_reads;
}

/* --- the loop ----------------------------------------------------------- */

/* Arm the sampling timer for an absolute time (a one-shot: the cadence
 * decides each next tick). */
static int arm_timer(struct run *r, uint64_t at_ns)
{
	struct itimerspec its = { 0 };

	if (r->timer_fd < 0)
		r->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (r->timer_fd < 0)
		return -1;
	its.it_value.tv_sec = (time_t)(at_ns / 1000000000ULL);
	its.it_value.tv_nsec = (long)(at_ns % 1000000000ULL);
	return timerfd_settime(r->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* What a tick costs apart from page walks, which have a budget of their
 * own: the part extra ticks multiply. */
static uint64_t tick_cost_ns(const struct sampler_stats *st)
{
	return st->fast_ns + st->status_ns + st->discover_ns;
}

/* A tick on the timer, and the next one armed. */
static void timer_tick(struct run *r, uint64_t now_ns)
{
	uint64_t c0 = tick_cost_ns(&r->sampler.stats), next;

	tick(r, now_ns, false);
	next = cadence_next(&r->cad, now_ns, r->last.sum.rss_bytes,
			    tick_cost_ns(&r->sampler.stats) - c0, r->last.missed_peak);
	arm_timer(r, next);
}

/* Wake for the next deadline (timeout, phase, SIGKILL) even between ticks. */
static int poll_timeout_ms(const struct run *r)
{
	uint64_t deadline = 0, now = mono_ns(), d;

	if (r->state == STATE_RUNNING) {
		if (r->o->timeout_ns)
			deadline = r->t0_ns + r->o->timeout_ns;
		d = phase_deadline_ns(&r->ph);
		if (d && (!deadline || d < deadline))
			deadline = d;
	} else if (r->state == STATE_STOPPING) {
		deadline = r->killed ? r->give_up_ns : r->kill_deadline_ns;
	}
	if (!deadline)
		return -1;
	if (deadline <= now)
		return 0;
	return (int)((deadline - now + 999999) / 1000000);
}

static void loop(struct run *r)
{
	while (r->state != STATE_DONE) {
		struct pollfd pfd[3 + PASSTHRU_MAX_STREAMS] = {
			{ .fd = r->sv.sig_fd, .events = POLLIN },
			{ .fd = r->timer_fd, .events = POLLIN },
			{ .fd = r->drive.report_fd, .events = POLLIN },
		};
		size_t npt = r->routed ? passthru_pollfds(&r->pt, pfd + 3,
							  PASSTHRU_MAX_STREAMS) : 0;
		uint64_t now;
		int sigs[16];
		size_t n, i;
		bool reap = false;

		if (poll(pfd, 3 + npt, poll_timeout_ms(r)) < 0 && errno != EINTR)
			break;
		now = mono_ns();
		n = pfd[0].revents & POLLIN ? supervise_signals(&r->sv, sigs, 16) : 0;
		for (i = 0; i < n; i++) {
			if (sigs[i] == SIGCHLD)
				reap = true;
			else
				on_signal(r, sigs[i], now);
		}
		if (reap || r->state == STATE_STOPPING)
			r->children_left = supervise_reap(&r->sv, peek_child, on_reaped, r);
		if (pfd[2].revents && drive_read(&r->drive))
			drive_exited(r, now);
		if (npt)
			passthru_service(&r->pt, pfd + 3, npt);
		if (pfd[1].revents & POLLIN) {
			uint64_t expirations;

			if (read(r->timer_fd, &expirations, sizeof(expirations)) > 0)
				timer_tick(r, now);
		}
		run_phases(r, now);
		step(r, now);
	}
}

/* Set up the command's output routes and start it. */
static enum run_failure start_command(struct run *r, int *err_no)
{
	const struct run_opts *o = r->o;
	struct spawn_io io = { -1, -1, -1 };
	int child_out = -1, child_err = -1, exec_err = 0;
	bool watch = o->ready || o->n_marks;
	int sink = -1;

	r->routed = watch || (!o->hide_output && o->status && o->status->enabled);
	if (o->hide_output) {
		sink = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (sink < 0) {
			*err_no = errno;
			return RUN_SYSTEM;
		}
	}
	if (r->routed) {
		r->pt.on_line = on_line;
		r->pt.before_write = before_write;
		r->pt.arg = r;
		if (passthru_open(&r->pt, watch, sink, &child_out, &child_err) < 0) {
			*err_no = errno;
			if (sink >= 0)
				close(sink);
			return RUN_SYSTEM;
		}
		io.stdout_fd = child_out;
		io.stderr_fd = child_err;
	} else if (sink >= 0) {
		io.stdout_fd = io.stderr_fd = sink;
	}
	r->root_pid = supervise_spawn(&r->sv, o->argv, o->env_set, &io,
				      o->foreground, &exec_err);
	passthru_close_child_ends(child_out, child_err);
	if (sink >= 0 && !r->routed)
		close(sink);
	if (r->root_pid < 0) {
		*err_no = exec_err ? exec_err : errno;
		return !exec_err ? RUN_SYSTEM :
		       exec_err == ENOENT ? RUN_NOT_FOUND : RUN_CANNOT_EXECUTE;
	}
	r->children_left = true;
	return RUN_OK;
}

/* The start of memwatch's own account for this run: its CPU time so far,
 * and its VmHWM set back to its rss (writing 5 to clear_refs), so that each
 * run of a comparison records its own. */
static void self_start(struct run *r)
{
	struct rusage self;
	int fd;

	getrusage(RUSAGE_SELF, &self);
	r->self_cpu0_s = timeval_s(&self.ru_utime) + timeval_s(&self.ru_stime);
	fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "5", 1) < 0) {
			/* Then the peak is that of memwatch's life so far. */
		}
		close(fd);
	}
}

enum run_failure run_measure(const struct run_opts *o, struct result_run *out,
			     int *err_no)
{
	enum run_failure fail = RUN_OK;
	struct run *r = xcalloc(1, sizeof(*r));
	bool attach = o->attach_pid > 0;
	char *cmd = NULL;

	*err_no = 0;
	interrupt_sig = 0;
	self_start(r);
	r->o = o;
	r->out = out;
	r->timer_fd = -1;
	r->drive.report_fd = -1;
	r->root_status = -1;
	if (supervise_init(&r->sv, !attach) < 0) {
		*err_no = errno;
		fail = RUN_SYSTEM;
		goto out;
	}
	r->t0_ns = mono_ns();
	phase_init(&r->ph, &o->phases, r->t0_ns);
	tree_init(&r->tree, !attach, r->t0_ns);
	/* Processes are checked for the preload by its file name: the maps
	 * show the path the linker resolved, which may differ from ours. */
	if (o->preload) {
		const char *slash = strrchr(o->preload, '/');

		r->tree.preload = slash ? slash + 1 : o->preload;
	}
	r->self = probe_open(getpid());
	if (attach) {
		r->root_pid = o->attach_pid;
		/* Asked to stop a tree memwatch may not signal: say so now, not
		 * at the end. */
		if (o->stop_attached && kill(r->root_pid, 0) < 0 && errno == EPERM) {
			*err_no = EPERM;
			fail = RUN_NOT_PERMITTED;
			goto out_tree;
		}
	} else {
		struct probe_fast f;

		/* wait4's maxrss of the command carries its peak from before
		 * exec, when it was a copy of memwatch: no more than memwatch's
		 * rss now. Only a figure above that is the command's own. */
		if (r->self && probe_fast(r->self, &f))
			r->spawn_rss_bytes = f.rss_bytes;
		fail = start_command(r, err_no);
		if (fail != RUN_OK)
			goto out_tree;
		cmd = join_argv(o->argv);
	}
	if (!tree_add_root(&r->tree, r->root_pid, cmd, r->t0_ns) && attach) {
		*err_no = ESRCH;
		fail = RUN_NO_PROCESS;
		goto out_tree;
	}
	{
		struct sampler_opts so = o->sampler;

		so.interval_ns = o->interval_ns;
		sampler_init(&r->sampler, &so);
	}
	timeline_init(&r->tl);
	r->self_every_ns = 100000000ULL;	/* 0.1 s, doubling as needed */
	cadence_init(&r->cad, r->t0_ns, o->interval_ns);
	if (arm_timer(r, r->t0_ns + o->interval_ns) < 0) {
		*err_no = errno;
		fail = RUN_SYSTEM;
		if (!attach)
			signal_tree(r, SIGKILL);
		goto out_tl;
	}
	timer_tick(r, mono_ns());
	/* The driver starts (and an empty load phase ends) now, not at the
	 * first tick. */
	run_phases(r, mono_ns());
	loop(r);
	r->done_ns = mono_ns();
	if (!r->end_ns)
		r->end_ns = r->done_ns;
	if (r->routed)
		passthru_drain(&r->pt, 1000);
	if (o->status)
		status_clear(o->status);
	supervise_reclaim_tty(&r->sv);
	fill_result(r);
out_tl:
	timeline_destroy(&r->tl);
	sampler_destroy(&r->sampler);
out_tree:
	probe_close(r->self);
	tree_destroy(&r->tree);
out:
	passthru_close(&r->pt);
	if (r->timer_fd >= 0)
		close(r->timer_fd);
	supervise_destroy(&r->sv);
	free(cmd);
	free(r);
	return fail;
}
