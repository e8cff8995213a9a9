/* sample/tree.c - the processes of the measured tree, and how new ones are found
 *
 * Nothing is looked at when nothing forked anywhere since the last tick
 * (the fork mark did not move). When something did, each pid handed out
 * since is looked at (one stat read, a few microseconds): a process among
 * them whose parent is in the tree joins it, whichever thread forked it.
 * Only when too many pids went by for that (a fork storm) are the tree's
 * children lists read instead (every thread has its own); they may skip
 * entries while siblings exit, so a full scan through libproc2 follows,
 * at most once a second, and adopts any process whose parent is in the
 * tree. That scan is owed until it runs, even if nothing forks again. */
#include "config.h"

#include "sample/tree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

#define FULL_SCAN_PERIOD_NS 1000000000ULL
/* At most this many new pids are looked at one by one in a tick (about
 * 5 us each); a larger jump is a fork storm, for the children lists. */
#define PID_PROBE_MAX 512
#define RETRY_MAX (sizeof(((struct tree *)0)->retry) / sizeof(pid_t))

struct proc_rec *tree_find(const struct tree *t, pid_t pid)
{
	return pidmap_find(&t->pids, pid);
}

/* --- records ---------------------------------------------------------- */

void tree_init(struct tree *t, bool subreaper, uint64_t t0_ns)
{
	memset(t, 0, sizeof(*t));
	t->sys = probe_sys_new();
	t->t0_ns = t0_ns;
	t->boot_t0_s = probe_boot_now_s();
	t->force_discovery = true;
	if (subreaper) {
		t->self = probe_open(getpid());
		/* memwatch is single-threaded: one children list holds all. */
		if (t->self) {
			struct probe_ident id;

			probe_ident(t->self, &id);
		}
	}
}

void tree_destroy(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n_all; i++) {
		probe_close(t->all[i]->probe);
		free(t->all[i]->command);
		free(t->all[i]->phase_peaks);
		free(t->all[i]);
	}
	free(t->all);
	free(t->live);
	pidmap_free(&t->pids);
	free(t->exclude);
	free(t->gone);
	probe_close(t->self);
	probe_sys_free(t->sys);
	memset(t, 0, sizeof(*t));
}

double tree_seconds(const struct tree *t, uint64_t now_ns)
{
	return now_ns >= t->t0_ns ? (double)(now_ns - t->t0_ns) / 1e9 : 0;
}

void tree_check_preload(struct tree *t, struct proc_rec *r, bool last_look)
{
	/* The dynamic linker maps LD_PRELOAD libraries before the ones the
	 * program needs: once the C library is there, a preload missing is
	 * missing for good. Before that (just after exec), it is unknown,
	 * unless this is the last look (a static binary never maps either). */
	const char *const needles[] = { t->preload, "/libc.so", "/libc-" };
	int found;

	if (!t->preload || !r->probe)
		return;
	found = probe_maps_find(r->probe, needles, 3);
	if (found < 0) {
		/* Another user's process, or a setuid one. */
		if (errno == EACCES || errno == EPERM)
			r->preload_unreadable = true;
		return;
	}
	if (found & 1)
		r->preload = 1;
	else if ((found & 6) || last_look)
		r->preload = 0;
}

bool tree_refresh_names(struct tree *t, struct proc_rec *r)
{
	struct probe_ident id;
	char *cmd;

	if (!r->probe)
		return false;
	/* An exec maps a new set of libraries: is the preload among them? */
	tree_check_preload(t, r, false);
	if (probe_ident(r->probe, &id))
		memcpy(r->comm, id.comm, sizeof(r->comm));
	cmd = probe_cmdline(r->probe);
	if (!cmd)
		return false;
	free(r->command);
	r->command = cmd;
	return true;
}

static struct proc_rec *rec_new(struct tree *t, pid_t pid, struct probe *p,
				const struct probe_ident *id, uint64_t now_ns)
{
	struct proc_rec *r = xcalloc(1, sizeof(*r));
	double started;

	r->pid = pid;
	r->ppid = id->ppid;
	r->start_ticks = id->start_ticks;
	memcpy(r->comm, id->comm, sizeof(r->comm));
	r->probe = p;
	r->alive = true;
	r->end_s = -1;
	r->wait_status = -1;
	r->preload = -1;
	started = (double)id->start_ticks / (double)probe_ticks_per_s() -
		  t->boot_t0_s;
	r->start_s = started > 0 ? started : 0;
	/* VmHWM counts from the exec: within the run, unless the process was
	 * there before memwatch came (attached). */
	r->phase_vmhwm_ok = t->self != NULL || started > 0;
	r->phase_born = true;
	/* A process found between its fork and its exec shows its parent's
	 * command line (a self re-exec changes neither name nor text): the
	 * sampler reads it again at the next tick, and at the second status
	 * read. */
	proc_sample_init(&r->smp, now_ns);

	xgrow(&t->all, &t->cap_all, t->n_all + 1, sizeof(*t->all));
	t->all[t->n_all++] = r;
	xgrow(&t->live, &t->cap_live, t->n_live + 1, sizeof(*t->live));
	pidmap_put(&t->pids, r);
	t->live[t->n_live++] = r;
	return r;
}

struct proc_rec *tree_add_root(struct tree *t, pid_t pid, const char *command,
			       uint64_t now_ns)
{
	struct probe_ident id;
	struct probe *p = probe_open(pid);
	struct proc_rec *r;

	t->root_pid = pid;
	if (!p)
		return NULL;
	if (!probe_ident(p, &id)) {
		probe_close(p);
		return NULL;
	}
	r = rec_new(t, pid, p, &id, now_ns);
	r->command = probe_cmdline(p);
	if (!r->command && command)
		r->command = xstrdup(command);
	return r;
}

void tree_exclude(struct tree *t, pid_t pid)
{
	xgrow(&t->exclude, &t->cap_exclude, t->n_exclude + 1,
	      sizeof(*t->exclude));
	t->exclude[t->n_exclude++] = pid;
}

static bool is_excluded(const struct tree *t, pid_t pid)
{
	size_t i;

	for (i = 0; i < t->n_exclude; i++)
		if (t->exclude[i] == pid)
			return true;
	return false;
}

bool tree_excluded_zombie(struct tree *t, pid_t pid)
{
	struct probe_ident id;
	struct probe *p;
	bool excluded;

	if (!t->n_exclude || tree_find(t, pid))
		return is_excluded(t, pid);
	if (is_excluded(t, pid))
		return true;
	p = probe_open(pid);
	excluded = p && probe_ident(p, &id) && is_excluded(t, id.pgrp);
	probe_close(p);
	if (excluded)
		tree_exclude(t, pid);
	return excluded;
}

static pid_t self_pid(const struct tree *t)
{
	return t->self ? probe_pid(t->self) : -1;
}

/* pid was listed as a child of parent: adopt it if it really is one. */
static void adopt(struct tree *t, pid_t pid, pid_t parent, uint64_t now_ns)
{
	struct probe_ident id;
	struct probe *p;
	struct proc_rec *r;

	if (tree_find(t, pid) || is_excluded(t, pid))
		return;
	p = probe_open(pid);
	if (!p)
		return;
	/* Between the listing and the open the child may have exited and its
	 * pid gone to an unrelated process: its parent must still be the one
	 * that listed it, or memwatch if it was orphaned meanwhile. */
	if (!probe_ident(p, &id) || is_excluded(t, id.pgrp) ||
	    (id.ppid != parent && id.ppid != self_pid(t))) {
		probe_close(p);
		return;
	}
	r = rec_new(t, pid, p, &id, now_ns);
	r->command = probe_cmdline(p);
	t->discoveries++;
	{
		struct proc_rec *par = tree_find(t, id.ppid);

		if (par)
			par->had_children = true;
	}
}

struct children_ctx {
	struct tree *t;
	pid_t parent;
	uint64_t now_ns;
};

static void on_child(pid_t pid, void *arg)
{
	struct children_ctx *c = arg;

	adopt(c->t, pid, c->parent, c->now_ns);
}

struct scan_entry {
	pid_t pid;
	pid_t ppid;
};

struct scan_ctx {
	struct scan_entry *v;
	size_t n, cap;
};

static void on_scanned(pid_t pid, pid_t ppid, uint64_t start_ticks, void *arg)
{
	struct scan_ctx *c = arg;

	(void)start_ticks;
	xgrow(&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n].pid = pid;
	c->v[c->n].ppid = ppid;
	c->n++;
}

/* Adopt every process on the system whose parent is in the tree, until no
 * more join (a missed child's own children are found in the same scan). */
static void full_scan(struct tree *t, uint64_t now_ns)
{
	struct scan_ctx c = { 0 };
	bool grew = true;
	size_t i;

	if (probe_sys_scan(t->sys, on_scanned, &c) < 0)
		goto out;
	t->full_scans++;
	while (grew) {
		grew = false;
		for (i = 0; i < c.n; i++) {
			pid_t pp = c.v[i].ppid;
			struct proc_rec *parent;

			if (c.v[i].pid == self_pid(t) || tree_find(t, c.v[i].pid))
				continue;
			parent = tree_find(t, pp);
			if ((parent && parent->probe) ||
			    (pp == self_pid(t) && t->self)) {
				size_t before = t->n_all;

				adopt(t, c.v[i].pid, pp, now_ns);
				grew |= t->n_all != before;
			}
		}
	}
out:
	free(c.v);
}

/* Look at one pid handed out since the last discovery: a process whose
 * parent is in the tree (or memwatch, for an orphan) joins it. Returns
 * false if the pid had no /proc entry (gone already, or not yet visible). */
static bool probe_new_pid(struct tree *t, pid_t pid, uint64_t now_ns)
{
	struct proc_rec *parent;
	bool is_process;
	pid_t ppid;

	/* Most new pids on a busy machine are not the tree's: their parent,
	 * from the cheap stat file, settles it; only a child of the tree's is
	 * read further (a thread or a process?). A thread's parent is its
	 * process's, so the child of any thread is found the same way. */
	if (tree_find(t, pid))
		return true;
	if (!probe_sys_parent(t->sys, pid, &ppid))
		return false;
	/* What the driver starts stays out, even in a session of its own. */
	if (is_excluded(t, ppid)) {
		tree_exclude(t, pid);
		return true;
	}
	parent = tree_find(t, ppid);
	if (((parent && parent->probe) || (t->self && ppid == self_pid(t))) &&
	    probe_sys_peek(t->sys, pid, &ppid, &is_process) && is_process)
		adopt(t, pid, ppid, now_ns);
	return true;
}

/* The pids handed out since the last look, (from, to]: all the processes
 * created since, as pids are allocated in increasing order until they wrap.
 * Parents come before their children, so one pass finds grandchildren too.
 * A pid not visible yet is looked at again next time. */
static void probe_new_pids(struct tree *t, uint64_t from, uint64_t to,
			   uint64_t now_ns)
{
	pid_t again[RETRY_MAX];
	size_t n_again = 0, i;
	uint64_t pid;

	/* Those that were not visible last time first: they are older. */
	for (i = 0; i < t->n_retry; i++)
		probe_new_pid(t, t->retry[i], now_ns);
	t->n_retry = 0;
	for (pid = from + 1; pid <= to; pid++) {
		if (probe_new_pid(t, (pid_t)pid, now_ns))
			continue;
		if (n_again < RETRY_MAX)
			again[n_again++] = (pid_t)pid;
		else
			t->scan_pending = true;
	}
	memcpy(t->retry, again, n_again * sizeof(*again));
	t->n_retry = n_again;
	t->pid_probes++;
}

/* A freed pid handed out again: the fork mark cannot tell (it may read the
 * same number before and after, as when the pid namespace's last pid is
 * set back), so each pid freed since the last discovery is looked at. */
static void probe_gone_pids(struct tree *t, uint64_t now_ns)
{
	size_t i;

	for (i = 0; i < t->n_gone; i++) {
		struct proc_rec *parent;
		bool is_process;
		pid_t ppid;

		if (tree_find(t, t->gone[i]) ||
		    !probe_sys_peek(t->sys, t->gone[i], &ppid, &is_process) ||
		    !is_process || is_excluded(t, ppid))
			continue;
		parent = tree_find(t, ppid);
		if ((parent && parent->probe) || (t->self && ppid == self_pid(t)))
			adopt(t, t->gone[i], ppid, now_ns);
	}
	t->n_gone = 0;
}

/* Read the children lists of memwatch (orphans) and of every process of
 * the tree, each of its threads. */
static void read_children_lists(struct tree *t, uint64_t now_ns)
{
	struct children_ctx c = { .t = t, .now_ns = now_ns };
	size_t i;

	t->children_scans++;
	if (t->self) {
		c.parent = probe_pid(t->self);
		probe_children(t->self, on_child, &c);
	}
	/* Records appended meanwhile are visited too: their children join in
	 * the same tick. */
	for (i = 0; i < t->n_live; i++) {
		struct proc_rec *r = t->live[i];

		if (!r->alive || !r->probe)
			continue;
		c.parent = r->pid;
		probe_children(r->probe, on_child, &c);
	}
	/* The children lists can skip entries while siblings exit. */
	t->scan_pending = true;
}

void tree_discover(struct tree *t, uint64_t now_ns)
{
	uint64_t mark = 0, prev = t->fork_mark;
	bool have = probe_sys_fork_mark(t->sys, &mark);
	bool moved = !have || !t->have_fork_mark || mark != prev || t->force_discovery;
	bool scan_due = now_ns - t->last_scan_ns >= FULL_SCAN_PERIOD_NS;

	if (t->n_gone)
		probe_gone_pids(t, now_ns);
	if (!moved && !t->n_retry && !(t->scan_pending && scan_due))
		return;
	if (moved) {
		bool had = t->have_fork_mark, forced = t->force_discovery;

		t->fork_mark = mark;
		t->have_fork_mark = have;
		t->force_discovery = false;
		/* Pids wrap at pid_max: then the range means nothing. */
		if (have && had && !forced && mark >= prev &&
		    mark - prev <= PID_PROBE_MAX)
			probe_new_pids(t, prev, mark, now_ns);
		else
			read_children_lists(t, now_ns);
	} else if (t->n_retry) {
		probe_new_pids(t, prev, prev, now_ns);
	}
	if (t->scan_pending && scan_due) {
		t->scan_pending = false;
		t->last_scan_ns = now_ns;
		full_scan(t, now_ns);
	}
}

void tree_relatives_stale(struct tree *t, const struct proc_rec *r)
{
	struct proc_rec *parent = tree_find(t, r->ppid);
	size_t i;

	if (parent)
		proc_sample_relative_changed(&parent->smp);
	for (i = 0; i < t->n_live; i++)
		if (t->live[i]->ppid == r->pid)
			proc_sample_relative_changed(&t->live[i]->smp);
}

void tree_mark_exited(struct tree *t, struct proc_rec *r, uint64_t now_ns,
		      int status)
{
	if (r->alive) {
		r->alive = false;
		r->end_s = tree_seconds(t, now_ns);
		memset(&r->now, 0, sizeof(r->now));
		tree_relatives_stale(t, r);
	}
	if (status >= 0)
		r->wait_status = status;
}

void tree_forget(struct tree *t, struct proc_rec *r)
{
	size_t i;

	pidmap_del(&t->pids, r);
	for (i = 0; i < t->n_live; i++)
		if (t->live[i] == r) {
			t->live[i] = t->live[--t->n_live];
			break;
		}
	probe_close(r->probe);
	r->probe = NULL;
	xgrow(&t->gone, &t->cap_gone, t->n_gone + 1, sizeof(*t->gone));
	t->gone[t->n_gone++] = r->pid;
}

void tree_on_reaped(struct tree *t, pid_t pid, int status,
		    uint64_t maxrss_bytes, uint64_t now_ns)
{
	struct proc_rec *r = tree_find(t, pid);

	if (is_excluded(t, pid))
		return;
	if (!r) {
		/* It lived and died between two ticks: still a process seen.
		 * Its name and start are unknown. */
		struct probe_ident id = { .pid = pid, .ppid = self_pid(t) };

		memcpy(id.comm, "?", 2);
		id.start_ticks = (uint64_t)((t->boot_t0_s + tree_seconds(t, now_ns)) *
					    (double)probe_ticks_per_s());
		r = rec_new(t, pid, NULL, &id, now_ns);
		r->command = xstrdup("?");
	}
	r->wait_maxrss_bytes = maxrss_bytes;
	tree_mark_exited(t, r, now_ns, status);
	tree_forget(t, r);
}

size_t tree_alive_count(const struct tree *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->n_live; i++)
		n += t->live[i]->alive;
	return n;
}
