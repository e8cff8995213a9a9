/* sample/proc_sample.h - the sampler's own state of one process: its latest
 * readings of each tier, when each is due, and what the estimate between
 * page walks starts from. Part of every struct proc_rec (as its smp), but
 * read and written only by sampler.c and estimate.c; tree.c sets it up
 * and marks it through the two functions below. */
#ifndef MEMWATCH_PROC_SAMPLE_H
#define MEMWATCH_PROC_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "probe.h"

struct proc_sample {
	/* Latest readings of each tier. */
	struct probe_fast fast;
	struct probe_status status;
	struct probe_deep deep;
	bool has_status;
	bool has_deep;
	uint64_t next_status_ns;
	uint64_t shared_at_status;	/* statm shared at the last status read */
	uint64_t name_check_ns;	/* re-read the command line then, once */
	bool name_recheck;	/* and at the second status read */
	uint8_t name_retries;	/* re-reads that found no command line */
	uint64_t names_text;	/* text size when the names were read */
	uint64_t deep_at_ns;
	uint64_t deep_cost_ns;	/* CPU time of the last deep read */
	/* Fast-tier values when the deep tier last read this process: between
	 * deep reads, deep metrics follow the fast tier's change since. */
	uint64_t rss_at_deep;
	uint64_t anon_at_deep;
	uint64_t shmem_at_deep;
	uint64_t swap_at_deep;
	uint64_t tree_shmem_at_deep;	/* the whole tree's shmem then */
	uint64_t uncertain_bytes;	/* how far now may be off; see estimate.c */
	uint64_t fork_shared_bytes;	/* pages a fork may have made shared */
	uint64_t cpu_ticks_at_deep;	/* CPU time then: has it run since? */
	uint64_t main_run_ns_at_deep;
	bool deep_stale;	/* a relative exited or forked: re-read */
	uint64_t hwm_missed_bytes;	/* VmHWM last said to be above the samples */
};

/* A process first seen at now_ns: its status is due at once, and its
 * command line is read again just after (an exec may follow the fork). */
static inline void proc_sample_init(struct proc_sample *smp, uint64_t now_ns)
{
	smp->next_status_ns = now_ns;
	smp->name_check_ns = now_ns + 1;
	smp->name_recheck = true;
}

/* A relative exited or forked: what the process shares has changed, so its
 * page walk is stale. */
static inline void proc_sample_relative_changed(struct proc_sample *smp)
{
	smp->deep_stale = true;
}

#endif
