/* run/kcount.c - the kernel's count of the tree: a memory cgroup read each tick
 *
 * A memory cgroup around the tree charges it every page, whoever maps it
 * and however briefly its process lived: one read of memory.current and
 * memory.stat gives the tree's totals at any size, memory.peak its exact
 * peak, and a reset of memwatch's own memory.peak descriptor at each phase
 * boundary (Linux 6.12) the exact peak of each phase. Without the reset,
 * phase peaks are the highest memory.current sampled, and say so. */
#include "config.h"

#include "run/kcount.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/state.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* Why the last run had no cgroup, for --cgroup=require's error. */
static char refusal[512];

const char *run_cgroup_refusal(void)
{
	return refusal;
}

/* The sampling tier, and why: said by the report's "kernel count" line
 * and the result file, not on standard error, which stays the command's
 * own. */
static void fall_back(struct run *r, struct kcount *k)
{
	struct result_kcount *out = &r->out->kernel;

	free(out->tier);
	free(out->note);
	out->tier = xstrdup("sampling");
	out->note = xstrdup(k->why);
}

bool kcount_start(struct run *r)
{
	struct kcount *k = &r->kc;

	k->seg_phase = -1;
	if (r->o->cgroup == RUN_CGROUP_OFF) {
		snprintf(k->why, sizeof(k->why), "--cgroup=off");
		fall_back(r, k);
		return true;
	}
	if (r->o->attach_pid) {
		k->cg = cgroup_open_of(r->o->attach_pid, k->why, sizeof(k->why));
		k->attached = true;
	} else {
		k->cg = cgroup_create(k->why, sizeof(k->why));
	}
	if (!k->cg) {
		snprintf(refusal, sizeof(refusal), "%s", k->why);
		/* Required: the run does not happen, and has no result. */
		if (r->o->cgroup == RUN_CGROUP_REQUIRE)
			return false;
		fall_back(r, k);
		return true;
	}
	r->sv.cgroup_fd = k->attached ? -1 : cgroup_dir_fd(k->cg);
	return true;
}

/* Whether the sorted members hold pid; else where it goes, in *at. */
static bool member_find(const struct kcount *k, pid_t pid, size_t *at)
{
	size_t lo = 0, hi = k->n_members;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->members[mid] == pid)
			return true;
		if (k->members[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return false;
}

/* A pid cgroup.procs listed: a new member is checked after the tick. */
static void on_member(pid_t pid, void *arg)
{
	struct kcount *k = arg;
	size_t at;

	if (member_find(k, pid, &at))
		return;
	if (k->n_members == k->cap_members) {
		k->cap_members = k->cap_members ? 2 * k->cap_members : 64;
		k->members = xreallocarray(k->members, k->cap_members, sizeof(*k->members));
	}
	memmove(k->members + at + 1, k->members + at,
		(k->n_members - at) * sizeof(*k->members));
	k->members[at] = pid;
	k->n_members++;
	if (k->n_fresh == k->cap_fresh) {
		k->cap_fresh = k->cap_fresh ? 2 * k->cap_fresh : 64;
		k->fresh = xreallocarray(k->fresh, k->cap_fresh, sizeof(*k->fresh));
	}
	k->fresh[k->n_fresh++] = pid;
}

/* The name of the phase a tick belongs to, as phase peaks call it. */
static int tick_phase(const struct run *r)
{
	return r->state == RUN_STATE_RUNNING ? (int)r->ph.name : (int)PHASE_END;
}

void kcount_tick_pre(struct run *r, uint64_t now_ns)
{
	struct kcount *k = &r->kc;
	struct cgroup_stat st;
	uint64_t cur, t0;
	int ph;

	if (!k->cg)
		return;
	t0 = clock_mono_ns();
	if (!cgroup_read_current(k->cg, &cur))
		return;
	k->cost_ns += clock_mono_ns() - t0;
	if (cur > k->max_current_bytes || !k->ticks) {
		k->max_current_bytes = cur;
		k->max_ns = now_ns;
	}
	/* memory.stat costs many reads of memory.current (the kernel flushes
	 * its per-CPU counters first, and prints some fifty lines): it is
	 * read when the charge passes its last split by 1/64, and then at
	 * most every fourth tick unless it grew by 1/8 and 16 MiB, so that a
	 * tree growing at every tick does not pay it at every tick. */
	if (!k->stat_reads || (cur > k->split_bytes + k->split_bytes / 64 &&
	    (k->ticks >= k->split_tick + 4 ||
	     cur > k->split_bytes + (k->split_bytes / 8 > KCOUNT_JUMP_BYTES ?
				     k->split_bytes / 8 : KCOUNT_JUMP_BYTES)))) {
		uint64_t s0 = clock_mono_ns();

		if (cgroup_read_stat(k->cg, &st)) {
			k->at_max = st;
			k->split_bytes = cur;
			k->split_tick = k->ticks;
		}
		k->stat_ns += clock_mono_ns() - s0;
		k->stat_reads++;
	}
	k->ticks++;
	cgroup_procs(k->cg, on_member, k);
	/* The start phase ends when the load begins: no checkpoint marks it. */
	ph = tick_phase(r);
	if (k->seg_phase == PHASE_START && ph != PHASE_START &&
	    phase_configured(&r->o->phases))
		kcount_boundary(r, "start");
	/* A phase that ends without a checkpoint (the tree being stopped)
	 * takes the name of the one it turned into. */
	if (k->seg_phase < 0 || (ph != k->seg_phase && k->seg_phase != PHASE_START))
		k->seg_phase = ph;
	k->seg_ticks++;
	if (cur > k->seg_max_bytes)
		k->seg_max_bytes = cur;
}

/* Whether the tree ever held pid. */
static bool tree_had(const struct tree *t, pid_t pid)
{
	size_t i;

	if (tree_find(t, pid))
		return true;
	for (i = 0; i < t->n_all; i++)
		if (t->all[i]->pid == pid)
			return true;
	return false;
}

/* An attached target's cgroup counts only if it holds the tree alone. */
static void check_attached(struct run *r, struct kcount *k)
{
	size_t i, others = 0;

	k->checked = true;
	for (i = 0; i < k->n_fresh; i++)
		others += !tree_had(&r->tree, k->fresh[i]);
	if (!others)
		return;
	snprintf(k->why, sizeof(k->why), "the cgroup %s of pid %d holds %zu process%s "
		 "besides the tree", cgroup_path(k->cg), (int)r->o->attach_pid, others,
		 others == 1 ? "" : "es");
	cgroup_close(k->cg);
	k->cg = NULL;
	fall_back(r, k);
}

void kcount_tick_post(struct run *r)
{
	struct kcount *k = &r->kc;
	size_t i;

	if (!k->cg)
		return;
	if (k->attached && !k->checked) {
		check_attached(r, k);
		if (!k->cg)
			return;
	}
	for (i = 0; i < k->n_fresh; i++) {
		if (tree_had(&r->tree, k->fresh[i]))
			continue;
		/* Looked for again at the next tick, with a full scan. */
		k->missed++;
		r->tree.force_discovery = true;
	}
	k->n_fresh = 0;
}

void kcount_boundary(struct run *r, const char *phase)
{
	struct kcount *k = &r->kc;
	struct result_kphase *p;
	uint64_t peak, cur;

	if (!k->cg || k->n_phases == KCOUNT_PHASES_MAX)
		return;
	p = &k->phases[k->n_phases++];
	p->phase = xstrdup(phase);
	if (cgroup_peak_reset(k->cg, &peak))
		p->peak_bytes = peak;
	else
		p->peak_bytes = k->seg_max_bytes;
	k->seg_max_bytes = cgroup_read_current(k->cg, &cur) ? cur : 0;
	k->seg_phase = tick_phase(r);
	k->seg_ticks = 0;
}

/* The phase that held the highest phase peak, when they are exact. */
static void peak_phase(struct result_kcount *out)
{
	size_t i, best = 0;

	if (!out->n_phases || !out->phases_exact)
		return;
	for (i = 1; i < out->n_phases; i++)
		if (out->phases[i].peak_bytes > out->phases[best].peak_bytes)
			best = i;
	out->peak_phase = xstrdup(out->phases[best].phase);
}

/* The open phase closes when the run ends, under its own name. */
static const char *last_phase_name(int ph)
{
	return ph == PHASE_START ? "start" : ph == PHASE_LOAD ? "load" :
	       ph == PHASE_IDLE ? "idle" : "stop";
}

/* An attached cgroup's memory.peak counts from before memwatch came: the
 * peak since then is what memwatch's own reset descriptor saw (6.12), the
 * highest of its phases and of what followed the last. */
static bool attached_peak(struct kcount *k, struct result_kcount *out)
{
	uint64_t last;
	size_t i;

	if (!k->attached || !cgroup_peak_reset(k->cg, &last))
		return false;
	out->peak_bytes = last;
	for (i = 0; i < k->n_phases; i++)
		if (k->phases[i].peak_bytes > out->peak_bytes)
			out->peak_bytes = k->phases[i].peak_bytes;
	return true;
}

void kcount_finish(struct run *r)
{
	struct kcount *k = &r->kc;
	struct result_kcount *out = &r->out->kernel;

	if (!k->cg)
		return;
	/* The last phase, unless it ended with the last checkpoint. */
	if (phase_configured(&r->o->phases) && k->seg_phase >= 0 && k->seg_ticks)
		kcount_boundary(r, last_phase_name(k->seg_phase));
	result_kcount_free(out);
	out->tier = xstrdup("cgroup");
	out->cgroup = xstrdup(cgroup_path(k->cg));
	out->has_peak = attached_peak(k, out) || (!k->attached &&
			cgroup_read_peak(k->cg, &out->peak_bytes));
	out->max_current_bytes = k->max_current_bytes;
	out->max_current_t_s = run_seconds(r, k->max_ns);
	out->split_current_bytes = k->split_bytes;
	out->stat_reads = k->stat_reads;
	out->anon_bytes = k->at_max.anon_bytes;
	out->file_bytes = k->at_max.file_bytes;
	out->shmem_bytes = k->at_max.shmem_bytes;
	out->file_mapped_bytes = k->at_max.file_mapped_bytes;
	out->kernel_bytes = k->at_max.kernel_bytes;
	out->sock_bytes = k->at_max.sock_bytes;
	out->swap_bytes = k->at_max.swap_bytes;
	out->members = (uint32_t)k->n_members;
	out->missed = k->missed;
	out->phases_exact = cgroup_can_reset_peak(k->cg);
	if (k->n_phases) {
		out->phases = xcalloc(k->n_phases, sizeof(*out->phases));
		memcpy(out->phases, k->phases, k->n_phases * sizeof(*out->phases));
		out->n_phases = k->n_phases;
		k->n_phases = 0;
	}
	peak_phase(out);
	out->us_per_tick = k->ticks ? (double)k->cost_ns / 1e3 / (double)k->ticks : 0;
	out->stat_us_per_read = k->stat_reads ?
		(double)k->stat_ns / 1e3 / (double)k->stat_reads : 0;
}

void kcount_close(struct run *r)
{
	struct kcount *k = &r->kc;
	size_t i;

	for (i = 0; i < k->n_phases; i++)
		free(k->phases[i].phase);
	cgroup_close(k->cg);
	free(k->members);
	free(k->fresh);
	memset(k, 0, sizeof(*k));
}
