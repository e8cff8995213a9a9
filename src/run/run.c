/* run/run.c - one measured run of a command (or an attached process)
 *
 * A single-threaded event loop on memwatch's signals (children exiting or
 * stopping, requests to stop), a sampling timer (on an absolute schedule,
 * so the ticks do not drift) and the command's output when memwatch passes
 * it through. Each tick samples the tree; the loop also runs the phases
 * (phase.c), the timeout, and the stop sequence (stop signal, grace,
 * SIGKILL). */
#include "config.h"

#include "run/run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "run/assemble.h"
#include "run/command.h"
#include "run/state.h"
#include "run/stop.h"
#include "util/clock.h"
#include "util/strv.h"
#include "util/xalloc.h"

static int interrupt_sig;

int run_interrupt_signal(void)
{
	return interrupt_sig;
}

static bool output_midline;

bool run_output_midline(void)
{
	return output_midline;
}

/* --- the live status line ---------------------------------------------- */

/* What the run waits for next, for the status line. */
static void note_view(const struct run *r, uint64_t now_ns,
		      struct statusline_view *v)
{
	uint64_t deadline = phase_deadline_ns(&r->ph);

	if (r->state != RUN_STATE_RUNNING) {
		v->note = STATUSLINE_NOTE_STOPPING;
	} else if (r->ph.name == PHASE_START && deadline > now_ns) {
		v->note = STATUSLINE_NOTE_READY;
		v->note_left_s = (double)(deadline - now_ns) / 1e9;
	} else if (r->ph.name == PHASE_IDLE && deadline > now_ns &&
		   r->ph.idle_done < r->ph.o.checkpoints) {
		v->note = STATUSLINE_NOTE_CHECKPOINT;
		v->note_left_s = (double)(deadline - now_ns) / 1e9;
		v->checkpoint = r->ph.idle_done + 1;
		v->checkpoints = r->ph.o.checkpoints;
	} else if (r->ph.name == PHASE_LOAD && r->drive_pid && !r->drive.driver_exited) {
		v->note = STATUSLINE_NOTE_DRIVING;
	}
}

static void show_statusline(struct run *r, uint64_t now_ns, bool force)
{
	struct statusline *st = r->o->statusline;
	struct statusline_view v = { 0 };

	if (!st || !st->enabled)
		return;
	/* Never over a line the command has not finished. */
	if (r->routed && (!passthru_at_line_start(&r->pt, 1) ||
			  !passthru_at_line_start(&r->pt, 2)))
		return;
	v.prefix = r->o->statusline_prefix;
	v.phase = run_phase_label(r);
	v.elapsed_s = run_seconds(r, now_ns);
	note_view(r, now_ns, &v);
	v.footprint_bytes = r->last.sum.footprint_bytes;
	v.peak_bytes = r->tl.peak.mem.footprint_bytes;
	v.processes = r->last.processes;
	statusline_show(st, &v, now_ns, force);
}

/* --- sampling ---------------------------------------------------------- */

/* The unmapped shared memory, from samples whose tree side counts each
 * shared page once (its proportional shares): only once every process has
 * had a page walk, else a page shared by n processes would count n times. */
static void watch_unmapped_shmem(struct run *r)
{
	uint64_t sys;

	if (r->last.deep_age_ns == UINT64_MAX || !probe_sys_shmem(r->tree.sys, &sys))
		return;
	unmapped_shmem_update(&r->unmapped, sys, r->last.shmem_share_bytes);
}

/* One sample of the tree; deep_all reads every process's smaps_rollup. */
static const struct sample *tick(struct run *r, uint64_t now_ns, bool deep_all)
{
	struct proc_rec *root;

	kcount_tick_pre(r, now_ns);
	sampler_tick(&r->sampler, &r->tree, now_ns, deep_all,
		     r->tl.have_peak ? r->tl.peak.mem.footprint_bytes : 0, &r->last);
	kcount_tick_post(r);
	phasehwm_tick(r);
	r->last_ns = now_ns;
	r->last_deep = r->last.deep_complete;
	/* While memwatch stops what is left, the tree is being torn down by
	 * memwatch itself: those samples are in the series, not the peak. */
	if (r->state == RUN_STATE_RUNNING)
		timeline_add(&r->tl, &r->last, &r->tree, phase_str(&r->ph));
	if (r->o->csv)
		series_csv_row(r->o->csv, run_phase_label(r), &r->last);
	if (r->stop_sig)
		stop_signal_new(r);
	if (r->state == RUN_STATE_RUNNING)
		watch_unmapped_shmem(r);
	/* The "exit" checkpoint of a command that exits by itself: the last
	 * sample while it was alive (or, once it daemonized, while any of
	 * what it left was). */
	root = tree_find(&r->tree, r->root_pid);
	if ((root && root->alive) || (run_whole_tree(r) && r->last.processes)) {
		r->last_alive = r->last;
		r->have_last_alive = true;
	}
	if (r->routed)
		passthru_sync_winsize(&r->pt);
	overhead_sample(&r->own, &r->out->sampler, run_seconds(r, now_ns), now_ns);
	show_statusline(r, now_ns, false);
	return &r->last;
}

const struct sample *run_checkpoint(struct run *r, uint64_t now_ns,
				    const char *kind, const char *label)
{
	const struct sample *s = r->last_deep && r->last_ns == now_ns ?
		&r->last : tick(r, now_ns, true);

	/* The command is gone: its last sample alive, as its exit's. */
	if (run_command_gone(r) && r->have_last_alive)
		s = &r->last_alive;
	timeline_checkpoint(&r->tl, kind, label, s);
	return s;
}

/* What a tick costs apart from page walks, which have a budget of their
 * own: the part extra ticks multiply. */
static uint64_t tick_cost_ns(const struct sampler_stats *stats)
{
	return stats->fast_ns + stats->status_ns + stats->discover_ns;
}

/* A tick on the timer, and the next one armed. */
static void timer_tick(struct run *r, uint64_t now_ns)
{
	uint64_t c0 = tick_cost_ns(&r->sampler.stats), next;

	tick(r, now_ns, false);
	next = cadence_next(&r->cad, now_ns, r->last.sum.rss_bytes,
			    tick_cost_ns(&r->sampler.stats) - c0, r->last.missed_peak);
	events_arm_timer(&r->ev, next);
}

/* --- stopping ---------------------------------------------------------- */

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

	if (r->state != RUN_STATE_RUNNING)
		return;
	if ((!r->root_exited || r->daemonized) && !r->exit_recorded) {
		/* The tree as it is, every process read deep. */
		run_checkpoint(r, now_ns, "exit", "exit");
		r->exit_recorded = true;
		r->end_ns = now_ns;
	}
	if (!r->out->ended_by)
		r->out->ended_by = xstrdup(ended_by);
	r->state = RUN_STATE_STOPPING;
	if (attached_only) {
		stop_signal_driver(r, sig);
		r->state = r->drive_pid ? RUN_STATE_STOPPING : RUN_STATE_DONE;
		r->kill_deadline_ns = now_ns + r->o->kill_after_ns;
		return;
	}
	/* Find everything there is to stop (an orphan may not have been
	 * seen by a tick yet). */
	r->tree.force_discovery = true;
	tree_discover(&r->tree, now_ns);
	stop_signal_tree(r, sig);
	r->kill_deadline_ns = now_ns + r->o->kill_after_ns;
}

/* --- events ------------------------------------------------------------ */

static bool peek_child(pid_t pid, void *arg)
{
	struct run *r = arg;

	/* The driver is reaped as itself; what it started is not the tree. */
	return pid == r->drive_pid || !tree_excluded_zombie(&r->tree, pid);
}

static void on_reaped(pid_t pid, int wait_status, const struct rusage *ru,
		      void *arg)
{
	struct run *r = arg;
	uint64_t now = clock_mono_ns();

	if (WIFSTOPPED(wait_status)) {
		int sig = WSTOPSIG(wait_status);

		/* Job control: the command's group stopped for the terminal. */
		if (pid == r->root_pid &&
		    (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)) {
			if (r->o->statusline)
				statusline_clear(r->o->statusline);
			supervise_job_stopped(&r->sv, r->root_pid);
		}
		return;
	}
	if (pid == r->drive_pid) {
		/* The keeper is gone, and with it the last of the load. Its
		 * last reports may not have been read yet. */
		if (drive_keeper_gone(&r->drive, wait_status))
			drive_ended(r, now);
		r->drive_pid = 0;
		return;
	}
	r->tree_cpu_s += clock_timeval_s(&ru->ru_utime) + clock_timeval_s(&ru->ru_stime);
	tree_on_reaped(&r->tree, pid, wait_status, (uint64_t)ru->ru_maxrss * 1024, now);
	if (pid == r->root_pid) {
		r->root_exited = true;
		r->root_wait_status = wait_status;
		if (r->state == RUN_STATE_RUNNING)
			r->end_ns = now;
		/* Ctrl-C at a terminal the command holds reaches the command,
		 * not memwatch: its death by SIGINT is the user interrupting. */
		if (WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGINT &&
		    supervise_has_tty(&r->sv))
			r->out->interrupted = true;
	}
}

static void on_signal(struct run *r, int sig, uint64_t now_ns)
{
	if (r->state == RUN_STATE_RUNNING) {
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
	} else if (r->state == RUN_STATE_STOPPING && !r->killed) {
		/* Asked again while stopping: no more grace (for what memwatch
		 * may stop: an attached tree only with --stop-tree). */
		stop_kill_all(r, now_ns);
	} else if (r->state == RUN_STATE_STOPPING) {
		/* A third time: memwatch ends now, whatever is left. */
		stop_give_up(r);
	}
}

/* Carry out what the phases call for now. */
static void run_phases(struct run *r, uint64_t now_ns)
{
	enum phase_action act;
	char label[64];

	/* No phase ends after the command's exit. */
	while (r->state == RUN_STATE_RUNNING && !run_command_gone(r) &&
	       (act = phase_next(&r->ph, now_ns, label, sizeof(label))) != ACT_NONE) {
		const struct sample *s;

		switch (act) {
		case ACT_READY_TIMEOUT:
			begin_stop(r, now_ns, r->o->stop_signal, "ready_timeout");
			break;
		case ACT_START_DRIVE:
			drive_launch(r, now_ns);
			break;
		case ACT_LOAD_END:
			s = run_checkpoint(r, now_ns, "load_end", "load_end");
			kcount_boundary(r, "load");
			phasehwm_boundary(r, "load");
			r->out->load_end_s = run_seconds(r, now_ns);
			timeline_load_end(&r->tl, r->out->load_end_s);
			phase_checkpoint_taken(&r->ph, s->sum.footprint_bytes);
			break;
		case ACT_IDLE_CHECKPOINT:
			s = run_checkpoint(r, now_ns, "idle", label);
			kcount_boundary(r, label);
			phasehwm_boundary(r, label);
			phase_checkpoint_taken(&r->ph, s->sum.footprint_bytes);
			break;
		case ACT_PLANNED_END:
			begin_stop(r, now_ns, r->o->stop_signal, "planned");
			break;
		case ACT_NONE:
			break;
		}
	}
	if (r->state == RUN_STATE_RUNNING)
		phasehwm_check_start(r);
}

/* --- the end of the run ------------------------------------------------- */

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
	return n && result_exit_status(r->root_wait_status) == 0 &&
	       phase_configured(&r->o->phases) && r->ph.name != PHASE_END;
}

/* Whether the root is gone, and what it left behind. */
static void watch_root(struct run *r, uint64_t now_ns)
{
	if (r->o->attach_pid && r->state == RUN_STATE_RUNNING && !r->root_exited) {
		struct proc_rec *root = r->tree.n_all ? r->tree.all[0] : NULL;

		/* The attached process is gone (its wait status, if memwatch saw
		 * it as a zombie, is the run's); what it started and memwatch
		 * found is still measured, until it is gone too. */
		if (!root || !root->alive) {
			r->root_exited = true;
			r->root_wait_status = root ? root->wait_status : -1;
		}
	}
	if (r->state == RUN_STATE_RUNNING && r->root_exited && !r->root_exit_seen) {
		r->root_exit_seen = true;
		/* Processes orphaned just now may not be known yet. */
		if (!r->o->attach_pid && r->children_left) {
			r->tree.force_discovery = true;
			tree_discover(&r->tree, now_ns);
			r->daemonized = root_left_tree(r);
			r->out->daemonized = r->daemonized;
		}
	}
}

/* While running: the end of the command (or of the whole tree), or the
 * timeout. */
static void check_end(struct run *r, uint64_t now_ns)
{
	/* The run ends with the command; or, once it daemonized, and for an
	 * attached process, with the whole tree (the phases may end it
	 * first). */
	bool ended = !run_whole_tree(r) ? r->root_exited :
		r->root_exited && tree_alive_count(&r->tree) == 0 &&
		(r->o->attach_pid || !r->children_left);

	if (ended) {
		record_exit(r, r->have_last_alive ? &r->last_alive : NULL);
		r->out->ended_by = xstrdup("exit");
		if (run_whole_tree(r))
			r->end_ns = now_ns;
		/* Whatever the root left behind (daemons, stragglers, a
		 * driver) is stopped: memwatch leaves nothing running that it
		 * started. */
		if (r->o->attach_pid || r->children_left || r->drive_pid)
			begin_stop(r, now_ns, r->o->stop_signal, "exit");
		else
			r->state = RUN_STATE_DONE;
	} else if (r->o->timeout_ns && now_ns - r->t0_ns >= r->o->timeout_ns) {
		begin_stop(r, now_ns, r->o->stop_signal, "timeout");
	}
}

/* While stopping: done once the tree (and the driver) is gone; else
 * SIGKILL after the grace, and an end after the last deadline. */
static void check_stopped(struct run *r, uint64_t now_ns)
{
	bool tree_gone = r->o->attach_pid ?
		(!r->o->stop_attached || tree_alive_count(&r->tree) == 0 ||
		 stop_only_unsignalable_left(r)) :
		!r->children_left || stop_only_unsignalable_left(r);

	if (tree_gone && !r->drive_pid)
		r->state = RUN_STATE_DONE;
	else if (!r->killed && now_ns >= r->kill_deadline_ns)
		stop_kill_all(r, now_ns);
	else if (r->killed && now_ns >= r->give_up_ns)
		stop_give_up(r);
}

static void step(struct run *r, uint64_t now_ns)
{
	watch_root(r, now_ns);
	if (r->state == RUN_STATE_RUNNING)
		check_end(r, now_ns);
	if (r->state == RUN_STATE_STOPPING)
		check_stopped(r, now_ns);
}

/* --- the loop ----------------------------------------------------------- */

/* Wake for the next deadline (timeout, phase, SIGKILL) even between ticks. */
static int poll_timeout_ms(const struct run *r)
{
	uint64_t deadline = 0, now = clock_mono_ns(), d;

	if (r->state == RUN_STATE_RUNNING) {
		if (r->o->timeout_ns)
			deadline = r->t0_ns + r->o->timeout_ns;
		d = phase_deadline_ns(&r->ph);
		if (d && (!deadline || d < deadline))
			deadline = d;
	} else if (r->state == RUN_STATE_STOPPING) {
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
	while (r->state != RUN_STATE_DONE) {
		struct pollfd pfd[1 + PASSTHRU_MAX_STREAMS] = {
			{ .fd = r->drive.report_fd, .events = POLLIN },
		};
		size_t npt = r->routed ? passthru_pollfds(&r->pt, pfd + 1,
							  PASSTHRU_MAX_STREAMS) : 0;
		int sigs[16], what;
		uint64_t now;
		size_t n, i;
		bool reap = false;

		what = events_wait(&r->ev, pfd, 1 + npt, poll_timeout_ms(r));
		if (what < 0)
			break;
		now = clock_mono_ns();
		n = what & EVENTS_SIGNALS ? supervise_read_signals(&r->sv, sigs, 16) : 0;
		for (i = 0; i < n; i++) {
			if (sigs[i] == SIGCHLD)
				reap = true;
			else
				on_signal(r, sigs[i], now);
		}
		if (reap || r->state == RUN_STATE_STOPPING)
			r->children_left = supervise_reap(&r->sv, peek_child, on_reaped, r);
		if (pfd[0].revents && drive_read(&r->drive))
			drive_ended(r, now);
		if (npt)
			passthru_service(&r->pt, pfd + 1, npt);
		if (what & EVENTS_TIMER)
			timer_tick(r, now);
		run_phases(r, now);
		step(r, now);
	}
}

/* --- one run, from start to result ---------------------------------------- */

/* Sample from the first tick to the end, and assemble the result. */
static enum run_failure sample_run(struct run *r, int *err_no)
{
	const struct run_opts *o = r->o;
	struct sampler_opts so = o->sampler;
	enum run_failure fail = RUN_OK;

	so.interval_ns = o->interval_ns;
	sampler_init(&r->sampler, &so);
	timeline_init(&r->tl);
	cadence_init(&r->cad, r->t0_ns, o->interval_ns);
	if (events_arm_timer(&r->ev, r->t0_ns + o->interval_ns) < 0) {
		*err_no = errno;
		fail = RUN_SYSTEM;
		if (!o->attach_pid)
			stop_signal_tree(r, SIGKILL);
	} else {
		timer_tick(r, clock_mono_ns());
		/* The driver starts (and an empty load phase ends) now, not at
		 * the first tick. */
		run_phases(r, clock_mono_ns());
		loop(r);
		r->done_ns = clock_mono_ns();
		if (!r->end_ns)
			r->end_ns = r->done_ns;
		if (r->routed)
			passthru_drain(&r->pt, 1000);
		output_midline = r->routed && !passthru_at_line_start(&r->pt, STDOUT_FILENO);
		if (o->statusline)
			statusline_clear(o->statusline);
		supervise_reclaim_tty(&r->sv);
		assemble_result(r);
		kcount_finish(r);
	}
	timeline_destroy(&r->tl);
	sampler_destroy(&r->sampler);
	return fail;
}

/* The root of the tree: the attached process, or the command started. */
static enum run_failure start_root(struct run *r, int *err_no)
{
	const struct run_opts *o = r->o;
	enum run_failure fail;
	char *cmd;

	if (o->attach_pid) {
		r->root_pid = o->attach_pid;
		/* Asked to stop a tree memwatch may not signal: say so now, not
		 * at the end. */
		if (o->stop_attached && target_signal_denied(r->root_pid)) {
			*err_no = EPERM;
			return RUN_NOT_PERMITTED;
		}
		if (!tree_add_root(&r->tree, r->root_pid, NULL, r->t0_ns)) {
			*err_no = ESRCH;
			return RUN_NO_PROCESS;
		}
		return RUN_OK;
	}
	/* wait4's maxrss of the command carries its peak from before exec,
	 * when it was a copy of memwatch: no more than memwatch's rss now,
	 * nor than the most the copy may have had (what it told just before
	 * its exec). Only a figure above that is the command's own. */
	r->spawn_rss_bytes = overhead_read_rss(&r->own);
	fail = command_start(r, err_no);
	if (fail != RUN_OK)
		return fail;
	if (r->sv.pre_exec_rss_bytes && r->sv.pre_exec_rss_bytes < r->spawn_rss_bytes)
		r->spawn_rss_bytes = r->sv.pre_exec_rss_bytes;
	cmd = strv_join(o->argv, " ");
	tree_add_root(&r->tree, r->root_pid, cmd, r->t0_ns);
	free(cmd);
	return RUN_OK;
}

/* Track the tree from its root to the end of the run. */
static enum run_failure measure_tree(struct run *r, int *err_no)
{
	const struct run_opts *o = r->o;
	enum run_failure fail;

	r->t0_ns = clock_mono_ns();
	phase_init(&r->ph, &o->phases, r->t0_ns);
	phasehwm_init(&r->phw);
	tree_init(&r->tree, !o->attach_pid, r->t0_ns);
	/* Processes are checked for the preload by its file name: the maps
	 * show the path the linker resolved, which may differ from ours. */
	if (o->preload) {
		const char *slash = strrchr(o->preload, '/');

		r->tree.preload = slash ? slash + 1 : o->preload;
	}
	fail = kcount_start(r) ? start_root(r, err_no) : RUN_NO_CGROUP;
	if (fail == RUN_OK)
		fail = sample_run(r, err_no);
	kcount_close(r);
	phasehwm_destroy(&r->phw);
	tree_destroy(&r->tree);
	return fail;
}

enum run_failure run_measure(const struct run_opts *o, struct result_run *out,
			     int *err_no)
{
	struct run *r = xcalloc(1, sizeof(*r));
	enum run_failure fail = RUN_SYSTEM;
	bool supervised;

	*err_no = 0;
	interrupt_sig = 0;
	output_midline = false;
	overhead_begin(&r->own);
	r->o = o;
	r->out = out;
	r->drive.report_fd = -1;
	r->root_wait_status = -1;
	supervised = supervise_init(&r->sv, !o->attach_pid) == 0;
	if (!supervised)
		*err_no = errno;
	events_init(&r->ev, &r->sv);
	if (supervised)
		fail = measure_tree(r, err_no);
	passthru_close(&r->pt);
	events_destroy(&r->ev);
	supervise_destroy(&r->sv);
	overhead_end(&r->own);
	free(r);
	return fail;
}
