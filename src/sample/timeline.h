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
/* Samples each strictly beyond every later one (above for hi, below for
 * lo), at 0.5% resolution: the latest sample outside any band around the
 * final value is always among them, and there are at most a few thousand
 * (one per 0.5% step between 1 byte and the largest value). */
struct stair_step {
	int32_t bucket;
	double t_s;
};

struct stair {
	struct stair_step *v;
	size_t n, cap;
};

/* Settle time: fed the footprints sampled after the load phase ended, it
 * says when the last of them stood more than 5% away from a final value. */
struct timeline_settle {
	double load_end_s;
	struct stair hi, lo;
};

/* Idle drift: a least squares line through (seconds after load end,
 * footprint) of the idle phase's samples. */
struct timeline_drift {
	double n, st, sf, stt, stf;
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
	struct timeline_drift drift;

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

/* Slope of the footprint over the idle phase, bytes per minute (least
 * squares); NaN with fewer than two idle samples. */
double timeline_idle_drift(const struct timeline *tl);

/* Settle time without a clock: start at load_end_s (forgetting what was
 * added before), add each later sample, and ask for the seconds from load
 * end to the last sample more than 5% away from final_bytes, at 0.5%
 * resolution; 0 if none was. */
void timeline_settle_start(struct timeline_settle *st, double load_end_s);
void timeline_settle_add(struct timeline_settle *st, double t_s,
			 uint64_t footprint_bytes);
double timeline_settle_seconds(const struct timeline_settle *st,
			       uint64_t final_bytes);
void timeline_settle_free(struct timeline_settle *st);

/* Idle drift without a clock: add each idle sample at x_s seconds after
 * load end; the slope in bytes per minute, NaN with fewer than two samples
 * or all at one time. */
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
