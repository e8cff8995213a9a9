/* run/overhead.h - what a run costs memwatch itself: CPU, rss over time, peak rss */
#ifndef MEMWATCH_OVERHEAD_H
#define MEMWATCH_OVERHEAD_H

#include <stdint.h>

#include "probe.h"
#include "result/result.h"

struct overhead {
	struct probe *self;	/* memwatch itself, for its rss; may be NULL */
	double cpu0_s;		/* memwatch's CPU time when the run began */
	uint64_t begin_ns;	/* ... and the time then (clock_mono_ns) */
	uint64_t every_ns;	/* spacing of the rss series */
	uint64_t next_ns;	/* the next point is due then */
};

/* The start of a run's account: memwatch's CPU time so far, and its peak
 * rss set back to its rss now, so that each run of a comparison records
 * its own. */
void overhead_begin(struct overhead *o);
void overhead_end(struct overhead *o);

/* memwatch's rss now; 0 if unknown. */
uint64_t overhead_read_rss(struct overhead *o);

/* A point of memwatch's rss series at now_ns (t_s into the run), if one
 * is due. */
void overhead_sample(struct overhead *o, struct result_sampler *s,
		     double t_s, uint64_t now_ns);

/* memwatch's CPU time and peak rss for the run; its CPU share over its own
 * time for the run (set-up and result included), not the command's. */
void overhead_finish(const struct overhead *o, struct result_sampler *s);

#endif
