/* timeline.h - the run's samples folded into bounded summaries */
#ifndef MEMWATCH_TIMELINE_H
#define MEMWATCH_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "sampler.h"
#include "tree.h"

/* Everything kept about the samples: a peak, maxima, the latest sample and
 * the checkpoints. Memory does not grow with the number of samples; the
 * full series goes to --csv as it is taken. */
struct timeline {
	uint64_t samples;
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
};

void timeline_init(struct timeline *tl);
void timeline_destroy(struct timeline *tl);

/* Fold a sample in. At a new tree peak, each live process's values are
 * kept as its values "at the peak". */
void timeline_add(struct timeline *tl, const struct sample *s, struct tree *t);

/* Record s as a named checkpoint. */
void timeline_checkpoint(struct timeline *tl, const char *label,
			 const struct sample *s);

/* Hand the checkpoints over to a run result (the timeline keeps none). */
void timeline_move_checkpoints(struct timeline *tl, struct result_run *run);

#endif
