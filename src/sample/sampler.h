/* sample/sampler.h - reading the tree's memory each tick, in three tiers */
#ifndef MEMWATCH_SAMPLER_H
#define MEMWATCH_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

#include "mem.h"
#include "sample/tree.h"

struct sampler_opts {
	uint64_t interval_ns;		/* the run's sampling interval */
	uint32_t deep_budget_bp;	/* deep tier CPU, basis points of a CPU */
};

/* The status tier reads each process every interval, but not more often
 * than this (it costs about 10 us a process). */
#define SAMPLER_STATUS_MIN_NS 50000000ULL
#define SAMPLER_DEEP_BUDGET_BP 200	/* 2% of one CPU */

/* One tick's view of the whole tree. */
struct sample {
	uint64_t t_ns;		/* since the run's start */
	uint32_t processes;	/* alive at this tick */
	uint32_t deep_reads;	/* processes read by the deep tier this tick */
	bool deep_complete;	/* every process's deep values are from this tick */
	uint64_t deep_age_ns;	/* age of the oldest deep values summed (0 when
				 * complete; UINT64_MAX: some never read) */
	uint32_t deep_denied;	/* processes summed with upper bounds: their
				 * smaps_rollup may not be read */
	uint64_t shmem_share_bytes;	/* the tree's proportional share of the
					 * shared memory it maps (each page once) */
	uint64_t uncertain_bytes;	/* how far sum.footprint may be off */
	bool missed_peak;	/* a process's VmHWM shows a peak above any
				 * sample of it: one came and went unsampled */
	struct mem sum;
};

/* What the sampler cost, for the record of memwatch's own overhead. */
struct sampler_stats {
	uint64_t ticks;
	uint64_t fast_reads;
	uint64_t status_reads;
	uint64_t deep_reads;
	uint64_t confirm_reads;		/* deep reads that confirmed a peak */
	uint64_t refresh_reads;		/* ... of processes that had run */
	uint64_t fast_ns;		/* fast tier, exit detection */
	uint64_t status_ns;		/* status tier */
	uint64_t discover_ns;		/* tree discovery (and new processes' reads) */
	uint64_t deep_cpu_ns;
	uint64_t deep_max_cpu_ns;	/* the costliest single deep read */
	uint64_t deep_denied;		/* processes the deep tier may not read */
};

struct sampler {
	struct sampler_opts opts;
	struct sampler_stats stats;
	uint64_t status_period_ns;
	int64_t tokens_ns;	/* deep tier budget available; < 0 is debt */
	uint64_t last_ns;
	uint64_t tree_shmem;	/* this tick's shmem over the tree */
	bool missed_peak;	/* this tick's; see struct sample */
	struct proc_rec **pick;	/* processes to sort, kept between ticks */
	size_t pick_cap;
};

void sampler_init(struct sampler *s, const struct sampler_opts *opts);
void sampler_destroy(struct sampler *s);

/* Sample the tree at now_ns (monotonic): detect exits, discover new
 * processes, read the tiers that are due, and sum. With deep_all, every
 * process gets a deep read regardless of budget (checkpoints, the end).
 * A sum above confirm_above_bytes is a new peak: its uncertain part is
 * confirmed by deep reads first, as far as the budget's debt allows. */
void sampler_tick(struct sampler *s, struct tree *t, uint64_t now_ns,
		  bool deep_all, uint64_t confirm_above_bytes,
		  struct sample *out);

/* CPU time of the calling thread, in ns. */
uint64_t sampler_thread_cpu_ns(void);

#endif
