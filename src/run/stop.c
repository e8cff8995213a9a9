/* run/stop.c - stopping the tree: signals to every process of it and to the
 * driver, who may not be signalled, SIGKILL after the grace, giving up */
#include "config.h"

#include "run/stop.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "supervise.h"

/* The driver and everything it started, through its keeper. */
void stop_signal_driver(struct run *r, int sig)
{
	if (r->drive_pid)
		drive_stop(&r->drive, sig);
}

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

/* Signal every process of the tree: the root's group (which reaches
 * processes not yet discovered) and each known process by its pinned
 * identity (which reaches those that left the group). */
void stop_signal_tree(struct run *r, int sig)
{
	size_t i;

	r->stop_sig = sig;
	if (!r->o->attach_pid && r->root_pid > 0)
		target_signal_group(r->root_pid, sig);
	for (i = 0; i < r->tree.n_live; i++)
		signal_proc(r, r->tree.live[i], sig);
	r->signaled = r->tree.n_all;
	stop_signal_driver(r, sig);
}

/* Processes found after the tree was told to stop get told too. */
void stop_signal_new(struct run *r)
{
	for (; r->signaled < r->tree.n_all; r->signaled++)
		signal_proc(r, r->tree.all[r->signaled], r->stop_sig);
}

/* Whether every process of the tree still alive is one memwatch may not
 * signal: waiting for them would be waiting forever. */
bool stop_only_unsignalable_left(const struct run *r)
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

/* No more grace: SIGKILL to what memwatch may stop (an attached tree only
 * with --stop-tree), and a last deadline for it to go. */
void stop_kill_all(struct run *r, uint64_t now_ns)
{
	if (!r->o->attach_pid || r->o->stop_attached)
		stop_signal_tree(r, SIGKILL);
	else
		stop_signal_driver(r, SIGKILL);
	r->killed = true;
	r->give_up_ns = now_ns + RUN_GIVE_UP_NS;
}

/* Stop waiting: what is left of the tree is left running (a process in
 * uninterruptible sleep, or one that ignores even SIGKILL under a tracer),
 * and memwatch says which. */
void stop_give_up(struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->tree.n_live; i++)
		n += r->tree.live[i]->alive && !r->tree.live[i]->unsignalable;
	if (n && r->o->notice)
		r->o->notice("%zu process%s of the tree did not exit after SIGKILL; memwatch ends without waiting",
			     n, n == 1 ? "" : "es");
	r->state = RUN_STATE_DONE;
}
