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
 * (upward for hi, downward for lo), then stand on top with the drift's
 * sums so far. */
static void stair_push(struct stair *st, int32_t bucket, double t_s,
		       const struct timeline_drift *upto, bool up)
{
	struct stair_step *v;

	while (st->n && (up ? st->v[st->n - 1].bucket <= bucket :
			      st->v[st->n - 1].bucket >= bucket))
		st->n--;
	xgrow(&st->v, &st->cap, st->n + 1, sizeof(*st->v));
	v = &st->v[st->n++];
	v->bucket = bucket;
	v->t_s = t_s;
	v->upto = *upto;
	v->next_idle_x = NAN;
}

/* The idle sample at x comes after every step still waiting for one. The
 * waiting steps are the topmost: the one sample pushed last, and below it
 * those pushed while no idle sample came. */
static void stair_idle_after(struct stair *st, double x)
{
	size_t i;

	for (i = st->n; i-- > 0 && isnan(st->v[i].next_idle_x);)
		st->v[i].next_idle_x = x;
}

void timeline_settle_start(struct timeline_settle *st, double load_end_s)
{
	st->load_end_s = load_end_s;
	st->hi.n = st->lo.n = 0;
	memset(&st->drift, 0, sizeof(st->drift));
}

void timeline_settle_add(struct timeline_settle *st, double t_s,
			 uint64_t footprint_bytes, bool idle)
{
	int32_t b = bucket_of(footprint_bytes);

	if (idle) {
		double x = t_s - st->load_end_s;

		stair_idle_after(&st->hi, x);
		stair_idle_after(&st->lo, x);
		timeline_drift_add(&st->drift, x, footprint_bytes);
	}
	stair_push(&st->hi, b, t_s, &st->drift, true);
	stair_push(&st->lo, b, t_s, &st->drift, false);
}

/* The latest sample more than 5% away from final: the latest step beyond
 * the band on each side is the latest sample beyond it (steps are in time
 * order, latest on top); NULL if none was. */
static const struct stair_step *settle_last_out(const struct timeline_settle *st,
						double final)
{
	const struct stair_step *hi = NULL, *lo = NULL;
	size_t i;

	for (i = st->hi.n; i-- > 0;)
		if (bucket_low(st->hi.v[i].bucket) > final * 1.05) {
			hi = &st->hi.v[i];
			break;
		}
	for (i = st->lo.n; i-- > 0;)
		if (bucket_low(st->lo.v[i].bucket + 1) < final * 0.95) {
			lo = &st->lo.v[i];
			break;
		}
	if (!hi || !lo)
		return hi ? hi : lo;
	return lo->t_s > hi->t_s ? lo : hi;
}

double timeline_settle_seconds(const struct timeline_settle *st,
			       uint64_t final_bytes)
{
	const struct stair_step *out = settle_last_out(st, (double)final_bytes);

	return !out || out->t_s < st->load_end_s ? 0 : out->t_s - st->load_end_s;
}

/* The line through d's samples. */
static struct timeline_line line_of(const struct timeline_drift *d, bool settled)
{
	struct timeline_line l = { timeline_drift_bytes_per_min(d), -1, -1, settled };

	if (!isnan(l.bytes_per_min)) {
		l.from_s = d->first_x;
		l.to_s = d->last_x;
	}
	return l;
}

struct timeline_line timeline_settled_drift(const struct timeline_settle *st,
					    uint64_t final_bytes)
{
	const struct stair_step *out = settle_last_out(st, (double)final_bytes);
	struct timeline_drift d = st->drift;

	if (out) {
		/* The sums since: all of them less those up to out's sample
		 * (both from one y0, so the difference is exact in kind). */
		d.n -= out->upto.n;
		d.st -= out->upto.st;
		d.sf -= out->upto.sf;
		d.stt -= out->upto.stt;
		d.stf -= out->upto.stf;
		d.first_x = out->next_idle_x;
	}
	if (d.n >= TIMELINE_DRIFT_MIN_SETTLED)
		return line_of(&d, true);
	return line_of(&st->drift, false);
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
	double y;

	if (d->n == 0) {
		d->y0 = (double)footprint_bytes;
		d->first_x = x_s;
	}
	d->last_x = x_s;
	y = (double)footprint_bytes - d->y0;
	d->n += 1;
	d->st += x_s;
	d->sf += y;
	d->stt += x_s * x_s;
	d->stf += x_s * y;
}

double timeline_drift_bytes_per_min(const struct timeline_drift *d)
{
	double n = d->n, den = n * d->stt - d->st * d->st;

	/* Less than a rounding's worth of spread in x is all at one time. */
	if (n < 2 || den <= 1e-9 * n * d->stt)
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

struct timeline_line timeline_idle_drift(const struct timeline *tl)
{
	if (!tl->after_load || !tl->have_last) {
		struct timeline_line none = { NAN, -1, -1, false };

		return none;
	}
	return timeline_settled_drift(&tl->settle, tl->last.sum.footprint_bytes);
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
	if (tl->after_load)
		timeline_settle_add(&tl->settle, t_s, s->sum.footprint_bytes,
				    !strcmp(phase, "idle"));
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
