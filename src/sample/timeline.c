/* sample/timeline.c - the run's samples folded into bounded summaries */
#include "config.h"

#include "sample/timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void timeline_init(struct timeline *tl)
{
	memset(tl, 0, sizeof(*tl));
	downsample_init(&tl->series);
}

void timeline_destroy(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->n_checkpoints; i++) {
		free(tl->checkpoints[i].label);
		free(tl->checkpoints[i].kind);
	}
	free(tl->checkpoints);
	timeline_settle_free(&tl->settle);
	memset(tl, 0, sizeof(*tl));
}

/* 0.5% steps: bucket b covers [1.005^b, 1.005^(b+1)). */
static int32_t bucket_of(uint64_t bytes)
{
	return bytes ? (int32_t)floor(log((double)bytes) / log(1.005)) : -1;
}

static double bucket_low(int32_t b)
{
	return b < 0 ? 0 : pow(1.005, b);
}

/* Push a sample onto a staircase: drop the steps it is not strictly beyond
 * (upward for hi, downward for lo), then stand on top. */
static void stair_push(struct stair *st, int32_t bucket, double t_s, bool up)
{
	while (st->n && (up ? st->v[st->n - 1].bucket <= bucket :
			      st->v[st->n - 1].bucket >= bucket))
		st->n--;
	xgrow(&st->v, &st->cap, st->n + 1, sizeof(*st->v));
	st->v[st->n].bucket = bucket;
	st->v[st->n].t_s = t_s;
	st->n++;
}

void timeline_settle_start(struct timeline_settle *st, double load_end_s)
{
	st->load_end_s = load_end_s;
	st->hi.n = st->lo.n = 0;
}

void timeline_settle_add(struct timeline_settle *st, double t_s,
			 uint64_t footprint_bytes)
{
	int32_t b = bucket_of(footprint_bytes);

	stair_push(&st->hi, b, t_s, true);
	stair_push(&st->lo, b, t_s, false);
}

double timeline_settle_seconds(const struct timeline_settle *st,
			       uint64_t final_bytes)
{
	double final = (double)final_bytes, last_out = -1;
	size_t i;

	/* The latest step beyond the band on each side is the latest sample
	 * beyond it; steps are in time order, latest on top. */
	for (i = st->hi.n; i-- > 0;)
		if (bucket_low(st->hi.v[i].bucket) > final * 1.05) {
			last_out = st->hi.v[i].t_s;
			break;
		}
	for (i = st->lo.n; i-- > 0;)
		if (bucket_low(st->lo.v[i].bucket + 1) < final * 0.95) {
			if (st->lo.v[i].t_s > last_out)
				last_out = st->lo.v[i].t_s;
			break;
		}
	return last_out < st->load_end_s ? 0 : last_out - st->load_end_s;
}

void timeline_settle_free(struct timeline_settle *st)
{
	free(st->hi.v);
	free(st->lo.v);
	memset(st, 0, sizeof(*st));
}

void timeline_drift_add(struct timeline_drift *d, double x_s,
			uint64_t footprint_bytes)
{
	double y = (double)footprint_bytes;

	d->n += 1;
	d->st += x_s;
	d->sf += y;
	d->stt += x_s * x_s;
	d->stf += x_s * y;
}

double timeline_drift_bytes_per_min(const struct timeline_drift *d)
{
	double n = d->n, den = n * d->stt - d->st * d->st;

	if (n < 2 || den <= 0)
		return NAN;
	/* Bytes per second, times 60. */
	return 60 * (n * d->stf - d->st * d->sf) / den;
}

void timeline_load_end(struct timeline *tl, double t_s)
{
	tl->after_load = true;
	timeline_settle_start(&tl->settle, t_s);
}

double timeline_settle_s(const struct timeline *tl)
{
	if (!tl->after_load || !tl->have_last)
		return -1;
	return timeline_settle_seconds(&tl->settle, tl->last.sum.footprint_bytes);
}

double timeline_idle_drift(const struct timeline *tl)
{
	return timeline_drift_bytes_per_min(&tl->drift);
}

void timeline_add(struct timeline *tl, const struct sample *s, struct tree *t,
		  const char *phase)
{
	double t_s = (double)s->t_ns / 1e9;

	tl->samples++;
	downsample_add(&tl->series, t_s, s->sum.footprint_bytes, s->sum.rss_bytes);
	if (tl->have_last && s->t_ns > tl->last.t_ns && s->t_ns - tl->last.t_ns > tl->max_gap_ns)
		tl->max_gap_ns = s->t_ns - tl->last.t_ns;
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
		tl->peak.t_s = t_s;
		snprintf(tl->peak.phase, sizeof(tl->peak.phase), "%s", phase);
		tl->peak.processes = s->processes;
		tl->peak.uncertain_bytes = s->uncertain_bytes;
		tl->peak.deep_denied = s->deep_denied;
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
	if (tl->after_load) {
		timeline_settle_add(&tl->settle, t_s, s->sum.footprint_bytes);
		if (!strcmp(phase, "idle"))
			timeline_drift_add(&tl->drift, t_s - tl->settle.load_end_s,
					   s->sum.footprint_bytes);
	}
}

void timeline_checkpoint(struct timeline *tl, const char *kind,
			 const char *label, const struct sample *s)
{
	struct result_checkpoint *c;

	xgrow(&tl->checkpoints, &tl->cap_checkpoints, tl->n_checkpoints + 1,
	      sizeof(*tl->checkpoints));
	c = &tl->checkpoints[tl->n_checkpoints++];
	c->kind = xstrdup(kind);
	c->label = xstrdup(label);
	c->t_s = (double)s->t_ns / 1e9;
	c->processes = s->processes;
	c->deep = s->deep_complete;
	c->deep_age_s = s->deep_age_ns == UINT64_MAX ? -1 : (double)s->deep_age_ns / 1e9;
	c->deep_denied = s->deep_denied;
	c->mem = s->sum;
}

const struct result_checkpoint *timeline_find(const struct timeline *tl,
					      const char *label)
{
	size_t i;

	for (i = 0; i < tl->n_checkpoints; i++)
		if (!strcmp(tl->checkpoints[i].label, label))
			return &tl->checkpoints[i];
	return NULL;
}

void timeline_move_series(struct timeline *tl, struct result_run *run)
{
	downsample_series(&tl->series, &run->series);
}

void timeline_move_checkpoints(struct timeline *tl, struct result_run *run)
{
	run->checkpoints = tl->checkpoints;
	run->n_checkpoints = tl->n_checkpoints;
	tl->checkpoints = NULL;
	tl->n_checkpoints = tl->cap_checkpoints = 0;
}
