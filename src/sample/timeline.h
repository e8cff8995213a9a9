/* sample/timeline.h - the run's samples folded into bounded summaries */
#ifndef MEMWATCH_TIMELINE_H
#define MEMWATCH_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result/result.h"
#include "sample/downsample.h"
#include "sample/sampler.h"
#include "sample/tree.h"

/* Everything kept about the samples: a peak, maxima, the latest sample and
 * the checkpoints. Memory does not grow with the number of samples; the
 * full series goes to --csv as it is taken. */
/* Idle drift: a least squares line through (seconds after load end,
 * footprint) of idle samples; footprints are taken from the first one's
 * (y0), which leaves the slope as it is and keeps the sums small. */
struct timeline_drift {
	double n, st, sf, stt, stf;
	double y0;
	double first_x, last_x;	/* the first and last sample's x */
};

/* Samples each strictly beyond every later one (above for hi, below for
 * lo), at 0.5% resolution: the latest sample outside any band around the
 * final value is always among them, and there are at most a few thousand
 * (one per 0.5% step between 1 byte and the largest value). Each step
 * keeps the idle drift's sums up to and including its sample, and the x
 * of the idle sample after it (NaN until one comes), so the line through
 * the idle samples after it is the whole sums less these. */
struct stair_step {
	int32_t bucket;
	double t_s;
	struct timeline_drift upto;
	double next_idle_x;
};

struct stair {
	struct stair_step *v;
	size_t n, cap;
};

/* Settle time and idle drift: fed the footprints sampled after the load
 * phase ended, it says when the last of them stood more than 5% away from
 * a final value, and the slope of the idle samples after that one. */
struct timeline_settle {
	double load_end_s;
	struct stair hi, lo;
	struct timeline_drift drift;	/* every idle sample */
};

struct timeline {
	uint64_t samples;
	uint64_t max_gap_ns;	/* the longest time between two samples */
	struct sample last;
	bool have_last;
	struct result_peak peak;
	bool have_peak;
	uint32_t peak_gen;	/* bumped at each new peak */
	uint64_t max_rss_bytes;
	uint64_t max_pss_bytes;
	uint32_t max_processes;
	struct result_checkpoint *checkpoints;
	size_t n_checkpoints, cap_checkpoints;

	/* After the load phase: what settle time and idle drift need. */
	bool after_load;
	struct timeline_settle settle;

	struct downsample series;	/* footprint and rss over time */
};

void timeline_init(struct timeline *tl);
void timeline_destroy(struct timeline *tl);

/* Fold a sample in, taken in the named phase. At a new tree peak, each
 * live process's values are kept as its values "at the peak". */
void timeline_add(struct timeline *tl, const struct sample *s, struct tree *t,
		  const char *phase);

/* The load phase ended at t_s: from now on samples count toward settle
 * time, and those in the idle phase toward the idle drift. */
void timeline_load_end(struct timeline *tl, double t_s);

/* Seconds from load end to the last sample whose footprint was more than
 * 5% away from the final one (the last sample's); -1 without a load end. */
double timeline_settle_s(const struct timeline *tl);

/* The idle drift: the slope of the footprint, bytes per minute (least
 * squares), through the idle samples after the footprint settled (after
 * the last sample more than 5% away from the final one, the settle time's
 * sample), so memory given back in one step before it settled is not
 * drawn out into a rate; when fewer than TIMELINE_DRIFT_MIN_SETTLED came
 * after it, the footprint was still moving at the end (a leak, a late
 * step), and the line goes through every idle sample, settled false.
 * from_s and to_s are the first and last sample's seconds after load end;
 * a slope of NaN and -1 in both: fewer than two samples, or all at one
 * time. */
#define TIMELINE_DRIFT_MIN_SETTLED 4

struct timeline_line {
	double bytes_per_min;
	double from_s, to_s;
	bool settled;
};

struct timeline_line timeline_idle_drift(const struct timeline *tl);

/* Settle time and idle drift without a clock: start at load_end_s
 * (forgetting what was added before), add each later sample (idle: it is
 * in the idle phase, and counts toward the drift), and ask for the seconds
 * from load end to the last sample more than 5% away from final_bytes, at
 * 0.5% resolution, 0 if none was; or for the drift after that sample, as
 * timeline_idle_drift gives it. */
void timeline_settle_start(struct timeline_settle *st, double load_end_s);
void timeline_settle_add(struct timeline_settle *st, double t_s,
			 uint64_t footprint_bytes, bool idle);
double timeline_settle_seconds(const struct timeline_settle *st,
			       uint64_t final_bytes);
struct timeline_line timeline_settled_drift(const struct timeline_settle *st,
					    uint64_t final_bytes);
void timeline_settle_free(struct timeline_settle *st);

/* A line through samples without a clock: add each at x_s seconds; the
 * slope in bytes per minute, NaN with fewer than two samples or all at one
 * time. */
void timeline_drift_add(struct timeline_drift *d, double x_s,
			uint64_t footprint_bytes);
double timeline_drift_bytes_per_min(const struct timeline_drift *d);

/* Record s as a checkpoint: kind is ready, load_end, idle, mark or exit;
 * label names it (idle_90s, a mark's label). */
void timeline_checkpoint(struct timeline *tl, const char *kind,
			 const char *label, const struct sample *s);

/* The checkpoint labelled label, or NULL. */
const struct result_checkpoint *timeline_find(const struct timeline *tl,
					      const char *label);

/* The footprint and rss over time, downsampled, into run->series. */
void timeline_move_series(struct timeline *tl, struct result_run *run);

/* Hand the checkpoints over to a run result (the timeline keeps none). */
void timeline_move_checkpoints(struct timeline *tl, struct result_run *run);

#endif
