/* sample/cadence.h - when the next sample is due
 *
 * A fixed interval misses what happens between its ticks: a command
 * shorter than the interval gets one sample before it starts and none
 * after; a tree that climbs to its peak and falls back between two ticks
 * shows neither. So the schedule is denser where it matters: a ramp at the
 * start (1, 2, 4, 8 ... ms after it, until the interval is reached), and
 * extra ticks while the tree's rss moves fast, at a sixty-fourth of the
 * interval, never costing more than 1% of a CPU, or for one interval after
 * a process's own peak (VmHWM) shows that the samples missed a climb;
 * otherwise the ticks keep to the interval's grid (t0 + k * interval), so
 * they do not drift.
 * Pure: the caller tells the time and what each tick saw. */
#ifndef MEMWATCH_CADENCE_H
#define MEMWATCH_CADENCE_H

#include <stdbool.h>
#include <stdint.h>

#define CADENCE_RAMP_FIRST_NS 1000000ULL	/* the first tick after t0 */
#define CADENCE_BURST_DIV 64			/* burst delay: interval / 64 */
#define CADENCE_BURST_MIN_NS 2000000ULL		/* ... but at least 2 ms */
#define CADENCE_BURST_CPU_DIV 100		/* ... and 100 ticks' cost */
#define CADENCE_MOVE_MIN_BYTES (1024ULL * 1024)

struct cadence {
	uint64_t t0_ns;
	uint64_t interval_ns;
	uint64_t ramp_ns;	/* offset of the next ramp tick; 0: ramp over */
	uint64_t prev_ns;	/* the previous tick, and the rss it saw */
	uint64_t prev_rss_bytes;
	bool have_prev;
	uint64_t dense_until_ns;	/* bursts go on until then: a peak was missed */
	uint64_t burst_ticks;	/* ticks taken because the tree moved */
	uint64_t ramp_ticks;	/* ticks of the start ramp */
};

void cadence_init(struct cadence *c, uint64_t t0_ns, uint64_t interval_ns);

/* A tick at now_ns saw the tree's rss at rss_bytes and cost cost_ns of
 * memwatch's CPU; missed: a process's peak since the last tick was above
 * any sample of it. When the next tick is due (same clock as now_ns). */
uint64_t cadence_next(struct cadence *c, uint64_t now_ns, uint64_t rss_bytes,
		      uint64_t cost_ns, bool missed);

/* Whether rss moving from prev to now over dt_ns is fast enough to sample
 * more densely: at that rate it would move by 5% (and 1 MiB) within one
 * interval. */
bool cadence_moving(uint64_t prev_bytes, uint64_t now_bytes, uint64_t dt_ns,
		    uint64_t interval_ns);

#endif
