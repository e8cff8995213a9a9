/* run/kcount.h - the kernel's count of the tree: a memory cgroup read each tick */
#ifndef MEMWATCH_KCOUNT_H
#define MEMWATCH_KCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe.h"
#include "result/result.h"

#define KCOUNT_PHASES_MAX 64
#define KCOUNT_JUMP_BYTES (16ULL << 20)	/* memory.stat read at once past it */

struct run;

struct kcount {
	struct cgroup *cg;	/* NULL: the sampling tier only */
	bool attached;		/* the attached target's own cgroup */
	bool checked;		/* ... found to hold exactly the tree */
	bool notified;
	int seg_phase;		/* enum phase_name of the open phase, -1 */
	uint64_t seg_max_bytes;	/* its highest memory.current sampled */
	uint64_t seg_ticks;	/* ticks in it */
	struct result_kphase phases[KCOUNT_PHASES_MAX];
	size_t n_phases;
	uint64_t max_current_bytes;
	uint64_t max_ns;
	struct cgroup_stat at_max;	/* memory.stat at its last read */
	uint64_t split_bytes;		/* memory.current then */
	uint64_t split_tick;		/* ... and the tick */
	uint64_t ticks, cost_ns;	/* memory.current's reads */
	uint64_t stat_reads, stat_ns;
	pid_t *members;		/* sorted: every pid cgroup.procs listed */
	size_t n_members, cap_members;
	pid_t *fresh;		/* listed by this tick's read, not yet checked */
	size_t n_fresh, cap_fresh;
	uint32_t missed;
	char why[512];		/* why not the cgroup tier */
};

/* Before the command starts: make its cgroup (or open the attached
 * target's), as --cgroup asks. false: --cgroup=require and no cgroup can
 * be had (the reason in the run's result, kernel.note). */
bool kcount_start(struct run *r);

/* Read the tree totals and membership: before the sampler's tick (pre),
 * and after it, to find what the sampler missed. */
void kcount_tick_pre(struct run *r, uint64_t now_ns);
void kcount_tick_post(struct run *r);

/* A phase ended (its name: load, idle_30s): its peak, and the next one's
 * measured from now. */
void kcount_boundary(struct run *r, const char *phase);

/* The run ended: the last phase closed, the exact peak read, the result's
 * kernel object filled. */
void kcount_finish(struct run *r);

/* The tree is gone: close (and remove) the cgroup. */
void kcount_close(struct run *r);

#endif
