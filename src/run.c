/* run.c - one measured run of a command (or an attached process)
 *
 * A single-threaded event loop on a signalfd (children exiting, requests to
 * stop) and a timerfd (the sampling ticks, on an absolute schedule so they
 * do not drift). Every tick samples the tree; the loop also enforces the
 * timeout and the stop sequence (stop signal, grace, SIGKILL). */
#include "config.h"

#include "run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "supervise.h"
#include "timeline.h"
#include "tree.h"
#include "xalloc.h"

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
	int timer_fd;
	uint64_t t0_ns;
	enum run_state state;
	const char *phase;	/* the CSV phase column */

	pid_t root_pid;
	bool root_exited;
	int root_status;	/* wait status */
	uint64_t end_ns;	/* when the root exited or the tree was stopped */
	bool children_left;

	struct sample last_root_alive;	/* the "exit" checkpoint candidate */
	bool have_last_root_alive;
	bool exit_recorded;

	uint64_t kill_deadline_ns;
	int stop_sig;		/* sent to the tree, or 0 */
	bool killed;
	size_t signaled;	/* tree.all[0..signaled) got the stop signal */
	uint64_t done_ns;	/* the loop ended: memwatch's own elapsed time */
	double tree_cpu_s;	/* rusage of reaped tree processes */
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

static void signal_new(struct run *r);

static void tick(struct run *r, uint64_t now_ns, bool deep_all)
{
	struct proc_rec *root;
	struct sample s;

	sampler_tick(&r->sampler, &r->tree, now_ns, deep_all,
		     r->tl.have_peak ? r->tl.peak.mem.footprint_bytes : 0, &s);
	/* While memwatch stops what is left, the tree is being torn down by
	 * memwatch itself: those samples are in the series, not the peak. */
	if (r->state == STATE_RUNNING)
		timeline_add(&r->tl, &s, &r->tree);
	if (r->o->csv)
		series_csv_row(r->o->csv, r->phase, &s);
	if (r->stop_sig)
		signal_new(r);
	root = tree_find(&r->tree, r->root_pid);
	if (root && root->alive) {
		r->last_root_alive = s;
		r->have_last_root_alive = true;
	}
}

/* Signal every process of the tree: the root's group (which reaches
 * processes not yet discovered) and each known process by its pinned
 * identity (which reaches those that left the group). */
static void signal_tree(struct run *r, int sig)
{
	size_t i;

	r->stop_sig = sig;
	if (!r->o->attach_pid && r->root_pid > 0)
		kill(-r->root_pid, sig);
	for (i = 0; i < r->tree.n_live; i++) {
		struct proc_rec *p = r->tree.live[i];

		if (p->alive && p->probe)
			probe_kill(p->probe, sig);
	}
	r->signaled = r->tree.n_all;
}

/* Processes found after the tree was told to stop get told too. */
static void signal_new(struct run *r)
{
	for (; r->signaled < r->tree.n_all; r->signaled++) {
		struct proc_rec *p = r->tree.all[r->signaled];

		if (p->alive && p->probe)
			probe_kill(p->probe, r->stop_sig);
	}
}

static void record_exit(struct run *r, const struct sample *s)
{
	if (r->exit_recorded || !s)
		return;
	timeline_checkpoint(&r->tl, "exit", s);
	r->exit_recorded = true;
}

/* The planned or requested end: record the tree as it is, then stop it. */
static void begin_stop(struct run *r, uint64_t now_ns, int sig,
		       const char *ended_by)
{
	if (r->state != STATE_RUNNING)
		return;
	if (!r->root_exited) {
		/* A deep sample of everyone, so "exit" is exact. */
		tick(r, now_ns, true);
		record_exit(r, &r->tl.last);
		r->end_ns = now_ns;
	}
	if (!r->out->ended_by)
		r->out->ended_by = xstrdup(ended_by);
	r->state = STATE_STOPPING;
	r->phase = "stop";
	if (r->o->attach_pid) {
		/* memwatch did not start it: it only stops watching. */
		r->state = STATE_DONE;
		return;
	}
	/* Find everything there is to stop (an orphan may not have been
	 * seen by a tick yet). */
	r->tree.force_discovery = true;
	tree_discover(&r->tree, now_ns);
	signal_tree(r, sig);
	r->kill_deadline_ns = now_ns + r->o->kill_after_ns;
}

static void on_reaped(pid_t pid, int status, const struct rusage *ru, void *arg)
{
	struct run *r = arg;
	uint64_t now = mono_ns();

	if (WIFSTOPPED(status)) {
		int sig = WSTOPSIG(status);

		/* Job control: the command's group stopped for the terminal. */
		if (pid == r->root_pid &&
		    (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU))
			supervise_job_stopped(&r->sv, r->root_pid);
		return;
	}
	r->tree_cpu_s += timeval_s(&ru->ru_utime) + timeval_s(&ru->ru_stime);
	tree_on_reaped(&r->tree, pid, status, now);
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

static void on_signal(struct run *r, int sig, uint64_t now_ns)
{
	if (r->state == STATE_RUNNING) {
		interrupt_sig = sig;
		r->out->interrupted = true;
		/* Forward what memwatch got: the tree reacts as it would to
		 * the same request without memwatch. */
		begin_stop(r, now_ns, sig, "signal");
	} else if (r->state == STATE_STOPPING && !r->killed) {
		/* Asked again while stopping: no more grace. */
		signal_tree(r, SIGKILL);
		r->killed = true;
	}
}

static void step(struct run *r, uint64_t now_ns)
{
	if (r->state == STATE_RUNNING) {
		if (r->root_exited) {
			record_exit(r, r->have_last_root_alive ?
				    &r->last_root_alive : NULL);
			r->out->ended_by = xstrdup("exit");
			/* Whatever the root left behind (daemons, stragglers)
			 * is stopped: memwatch leaves nothing running. */
			if (r->children_left)
				begin_stop(r, now_ns, r->o->stop_signal, "exit");
			else
				r->state = STATE_DONE;
		} else if (r->o->timeout_ns &&
			   now_ns - r->t0_ns >= r->o->timeout_ns) {
			begin_stop(r, now_ns, r->o->stop_signal, "timeout");
		}
	}
	if (r->state == STATE_STOPPING) {
		if (!r->children_left || (r->o->attach_pid &&
					  tree_alive_count(&r->tree) == 0)) {
			r->state = STATE_DONE;
		} else if (!r->killed && now_ns >= r->kill_deadline_ns) {
			signal_tree(r, SIGKILL);
			r->killed = true;
		}
	}
	if (r->o->attach_pid && r->state == STATE_RUNNING &&
	    tree_alive_count(&r->tree) == 0) {
		r->root_exited = true;
		record_exit(r, r->have_last_root_alive ? &r->last_root_alive : NULL);
		r->out->ended_by = xstrdup("exit");
		r->end_ns = now_ns;
		r->state = STATE_DONE;
	}
}

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

/* memwatch's own peak RSS: VmHWM, which exec reset. ru_maxrss would carry
 * the peak of whatever process exec'd memwatch (a shell, a Python script). */
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

static void fill_result(struct run *r)
{
	struct result_run *out = r->out;
	struct sampler_stats *st = &r->sampler.stats;
	struct rusage self;
	size_t i;

	close_records(r, r->end_ns > mono_ns() ? r->end_ns : mono_ns());

	out->exit_status = r->root_exited ? result_exit_status(r->root_status) : -1;
	out->wall_s = (double)(r->end_ns - r->t0_ns) / 1e9;
	out->cpu_s = r->tree_cpu_s;
	out->peak = r->tl.peak;
	out->max_rss_bytes = r->tl.max_rss_bytes;
	out->max_pss_bytes = r->tl.max_pss_bytes;
	out->max_processes = r->tl.max_processes;
	out->processes_seen = (uint32_t)r->tree.n_all;
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
		out->sum_proc_peak_bytes += p->hwm_bytes;
	}

	getrusage(RUSAGE_SELF, &self);
	out->sampler.interval_ns = r->o->interval_ns;
	out->sampler.samples = r->tl.samples;
	out->sampler.deep_reads = st->deep_reads;
	out->sampler.deep_budget_bp = r->sampler.opts.deep_budget_bp;
	out->sampler.cpu_s = timeval_s(&self.ru_utime) + timeval_s(&self.ru_stime);
	{
		double elapsed = (double)(r->done_ns - r->t0_ns) / 1e9;

		out->sampler.cpu_pct = elapsed > 0 ? 100 * out->sampler.cpu_s / elapsed : 0;
	}
	out->sampler.max_rss_bytes = self_peak_rss(&self);
	out->sampler.fast_us_per_proc_tick = st->fast_reads ?
		(double)st->fast_ns / 1e3 / (double)st->fast_reads : 0;
	out->sampler.deep_cpu_s = (double)st->deep_cpu_ns / 1e9;
	out->sampler.deep_max_ms = (double)st->deep_max_cpu_ns / 1e6;
	out->sampler.full_scans = r->tree.full_scans;
	out->sampler.children_scans = r->tree.children_scans;
	out->sampler.pid_probes = r->tree.pid_probes;
}

static int arm_timer(struct run *r)
{
	struct itimerspec its = { 0 };
	uint64_t first = r->t0_ns + r->o->interval_ns;

	r->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (r->timer_fd < 0)
		return -1;
	its.it_value.tv_sec = (time_t)(first / 1000000000ULL);
	its.it_value.tv_nsec = (long)(first % 1000000000ULL);
	its.it_interval.tv_sec = (time_t)(r->o->interval_ns / 1000000000ULL);
	its.it_interval.tv_nsec = (long)(r->o->interval_ns % 1000000000ULL);
	return timerfd_settime(r->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Wake for the next deadline (timeout, SIGKILL) even between ticks. */
static int poll_timeout_ms(const struct run *r)
{
	uint64_t deadline = 0, now = mono_ns();

	if (r->state == STATE_RUNNING && r->o->timeout_ns)
		deadline = r->t0_ns + r->o->timeout_ns;
	else if (r->state == STATE_STOPPING && !r->killed)
		deadline = r->kill_deadline_ns;
	if (!deadline)
		return -1;
	if (deadline <= now)
		return 0;
	return (int)((deadline - now + 999999) / 1000000);
}

static void loop(struct run *r)
{
	while (r->state != STATE_DONE) {
		struct pollfd pfd[2] = {
			{ .fd = r->sv.sig_fd, .events = POLLIN },
			{ .fd = r->timer_fd, .events = POLLIN },
		};
		uint64_t now;
		int sigs[16];
		size_t n, i;
		bool reap = false;

		if (poll(pfd, 2, poll_timeout_ms(r)) < 0 && errno != EINTR)
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
			r->children_left = supervise_reap(&r->sv, on_reaped, r);
		if (pfd[1].revents & POLLIN) {
			uint64_t expirations;

			if (read(r->timer_fd, &expirations, sizeof(expirations)) > 0)
				tick(r, now, false);
		}
		step(r, now);
	}
}

enum run_failure run_measure(const struct run_opts *o, struct result_run *out,
			     int *err_no)
{
	struct spawn_io io = { -1, -1, -1 };
	enum run_failure fail = RUN_OK;
	struct run *r = xcalloc(1, sizeof(*r));
	bool attach = o->attach_pid > 0;
	int exec_err = 0;
	char *cmd = NULL;

	*err_no = 0;
	interrupt_sig = 0;
	r->o = o;
	r->out = out;
	r->timer_fd = -1;
	r->phase = "load";
	if (supervise_init(&r->sv, !attach) < 0) {
		*err_no = errno;
		fail = RUN_SYSTEM;
		goto out;
	}
	r->t0_ns = mono_ns();
	if (attach) {
		r->root_pid = o->attach_pid;
	} else {
		r->root_pid = supervise_spawn(&r->sv, o->argv, o->env_set, &io,
					      o->foreground, &exec_err);
		if (r->root_pid < 0) {
			*err_no = exec_err ? exec_err : errno;
			fail = !exec_err ? RUN_SYSTEM :
			       exec_err == ENOENT ? RUN_NOT_FOUND : RUN_CANNOT_EXECUTE;
			goto out;
		}
		r->children_left = true;
		cmd = join_argv(o->argv);
	}
	tree_init(&r->tree, !attach, r->t0_ns);
	if (!tree_add_root(&r->tree, r->root_pid, cmd, r->t0_ns) && attach) {
		*err_no = errno ? errno : ESRCH;
		fail = RUN_SYSTEM;
		goto out_tree;
	}
	sampler_init(&r->sampler, &o->sampler);
	timeline_init(&r->tl);
	if (arm_timer(r) < 0) {
		*err_no = errno;
		fail = RUN_SYSTEM;
		signal_tree(r, SIGKILL);
		goto out_tl;
	}
	tick(r, mono_ns(), false);
	loop(r);
	r->done_ns = mono_ns();
	if (!r->end_ns)
		r->end_ns = r->done_ns;
	supervise_reclaim_tty(&r->sv);
	fill_result(r);
out_tl:
	timeline_destroy(&r->tl);
out_tree:
	tree_destroy(&r->tree);
out:
	if (r->timer_fd >= 0)
		close(r->timer_fd);
	supervise_destroy(&r->sv);
	free(cmd);
	free(r);
	return fail;
}
