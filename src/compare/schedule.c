/* compare/schedule.c - the runs of a comparison: interleaved, warmups first */
#include "config.h"

#include "compare/schedule.h"

#include <string.h>

#include "report/series_csv.h"

/* One run of configuration i, the nth of its warmups or recorded runs.
 * Returns false when the schedule stops here. */
static bool run_one(const struct compare_schedule *s, size_t i, unsigned nth,
		    bool warmup, struct compare_schedule_outcome *out)
{
	const struct compare_config *c = &s->cfgs[i];
	struct series_csv series = { 0 };
	struct result_run scratch, *run;
	struct run_opts ro = *s->ro;
	char prefix[96];
	bool stop;

	if (warmup) {
		memset(&scratch, 0, sizeof(scratch));
		run = &scratch;
		run->exit_status = -1;
	} else {
		run = result_config_add_run(&s->results[i]);
	}
	ro.argv = s->results[i].argv;
	ro.env_set = c->env_set;
	ro.preload = c->preload;
	snprintf(prefix, sizeof(prefix), "%s %s %u/%u", c->name,
		 warmup ? "warmup" : "run", nth, warmup ? s->warmup : s->runs);
	ro.statusline_prefix = prefix;
	if (s->csv && !warmup) {
		series_csv_begin(&series, s->csv, c->name, nth);
		ro.csv = &series;
	}
	out->failure = run_measure(&ro, run, &out->err_no);
	series_csv_end(&series);
	if (out->failure != RUN_OK) {
		out->failed = i;
		if (!warmup)
			s->results[i].n_runs--;
		else
			result_run_free(run);
		return false;
	}
	if (s->on_run)
		s->on_run(c, nth, warmup ? s->warmup : s->runs, run, warmup, s->arg);
	stop = run->interrupted && run_interrupt_signal();
	out->interrupted = stop;
	if (warmup)
		result_run_free(run);
	return !stop;
}

void compare_schedule_run(const struct compare_schedule *s,
			  struct compare_schedule_outcome *out)
{
	unsigned round;
	size_t i;

	memset(out, 0, sizeof(*out));
	/* Every configuration once per round. */
	for (round = 0; round < s->warmup + s->runs; round++) {
		bool warmup = round < s->warmup;
		unsigned nth = warmup ? round + 1 : round - s->warmup + 1;

		for (i = 0; i < s->n; i++)
			if (!run_one(s, i, nth, warmup, out))
				return;
	}
}
