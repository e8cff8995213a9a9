/* timeline.c - the run's samples folded into bounded summaries */
#include "config.h"

#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void timeline_init(struct timeline *tl)
{
	memset(tl, 0, sizeof(*tl));
}

void timeline_destroy(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->n_checkpoints; i++)
		free(tl->checkpoints[i].label);
	free(tl->checkpoints);
	memset(tl, 0, sizeof(*tl));
}

void timeline_add(struct timeline *tl, const struct sample *s, struct tree *t)
{
	tl->samples++;
	tl->last = *s;
	tl->have_last = true;
	if (s->sum.rss_bytes > tl->max_rss_bytes)
		tl->max_rss_bytes = s->sum.rss_bytes;
	if (s->sum.pss_bytes > tl->max_pss_bytes)
		tl->max_pss_bytes = s->sum.pss_bytes;
	if (s->processes > tl->max_processes)
		tl->max_processes = s->processes;
	/* The first sample with the highest footprint is the peak; ties keep
	 * the earlier one, the moment the level was first reached. */
	if (!tl->have_peak || s->sum.footprint_bytes > tl->peak.mem.footprint_bytes) {
		size_t i;

		tl->have_peak = true;
		tl->peak.t_s = (double)s->t_ns / 1e9;
		tl->peak.processes = s->processes;
		tl->peak.uncertain_bytes = s->uncertain_bytes;
		tl->peak.mem = s->sum;
		tl->peak_gen++;
		for (i = 0; i < t->n_live; i++) {
			struct proc_rec *r = t->live[i];

			if (!r->alive)
				continue;
			r->at_peak = r->now;
			r->at_peak_gen = tl->peak_gen;
		}
	}
}

void timeline_checkpoint(struct timeline *tl, const char *label,
			 const struct sample *s)
{
	struct result_checkpoint *c;

	xgrow(&tl->checkpoints, &tl->cap_checkpoints, tl->n_checkpoints + 1,
	      sizeof(*tl->checkpoints));
	c = &tl->checkpoints[tl->n_checkpoints++];
	c->label = xstrdup(label);
	c->t_s = (double)s->t_ns / 1e9;
	c->processes = s->processes;
	c->deep = s->deep_complete;
	c->mem = s->sum;
}

void timeline_move_checkpoints(struct timeline *tl, struct result_run *run)
{
	run->checkpoints = tl->checkpoints;
	run->n_checkpoints = tl->n_checkpoints;
	tl->checkpoints = NULL;
	tl->n_checkpoints = tl->cap_checkpoints = 0;
}
