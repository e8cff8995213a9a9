/* compare/schedule.h - the runs of a comparison: interleaved, warmups first */
#ifndef MEMWATCH_COMPARE_SCHEDULE_H
#define MEMWATCH_COMPARE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compare/config.h"
#include "result/result.h"
#include "run/run.h"

struct compare_schedule {
	const struct run_opts *ro;	/* what every run shares */
	const struct compare_config *cfgs;
	struct result_config *results;	/* one per configuration: each recorded
					 * run is added to its own */
	size_t n;
	unsigned runs;			/* recorded runs of each */
	unsigned warmup;		/* unrecorded runs of each, first */
	FILE *csv;			/* the series of recorded runs, or NULL */
	/* Told of each run that measured something, warmups too: the nth of
	 * of (of the warmups, or of the recorded runs). */
	void (*on_run)(const struct compare_config *c, unsigned nth, unsigned of,
		       const struct result_run *run, bool warmup, void *arg);
	void *arg;
};

/* How a schedule ended. */
struct compare_schedule_outcome {
	bool interrupted;	/* a signal asked memwatch to stop: fewer runs */
	enum run_failure failure;	/* a run could not start, or RUN_OK */
	size_t failed;		/* ... the configuration's index */
	int err_no;		/* ... and why */
};

/* Run each configuration warmup + runs times, interleaved (A B C A B C
 * ...) so that drift on the machine falls on all of them alike. Stops
 * after a run a signal interrupted, or at one that could not start (a
 * configuration that cannot start cannot be compared). */
void compare_schedule_run(const struct compare_schedule *s,
			  struct compare_schedule_outcome *out);

#endif
