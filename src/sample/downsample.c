/* sample/downsample.c - the run's footprint and rss over time, in bounded memory, no peak lost */
#include "config.h"

#include "sample/downsample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void downsample_init(struct downsample *d)
{
	memset(d, 0, sizeof(*d));
	d->width = 1;
}

/* Fold bucket b into a (b after a in time); ties keep the earlier point,
 * when the level was first reached. */
static void merge(struct downsample_bucket *a, const struct downsample_bucket *b)
{
	if (b->lo.footprint_bytes < a->lo.footprint_bytes)
		a->lo = b->lo;
	if (b->hi.footprint_bytes > a->hi.footprint_bytes)
		a->hi = b->hi;
	if (b->rss_hi.rss_bytes > a->rss_hi.rss_bytes)
		a->rss_hi = b->rss_hi;
	a->count += b->count;
}

void downsample_add(struct downsample *d, double t_s, uint64_t footprint_bytes,
		    uint64_t rss_bytes)
{
	struct downsample_point p = { t_s, footprint_bytes, rss_bytes };
	struct downsample_bucket one = { p, p, p, 1 };
	size_t i;

	if (!d->samples++)
		d->first = p;
	d->last = p;
	if (d->n && d->b[d->n - 1].count < d->width) {
		merge(&d->b[d->n - 1], &one);
		return;
	}
	if (d->n == DOWNSAMPLE_BUCKETS) {
		for (i = 0; i < DOWNSAMPLE_BUCKETS / 2; i++) {
			d->b[i] = d->b[2 * i];
			merge(&d->b[i], &d->b[2 * i + 1]);
		}
		d->n = DOWNSAMPLE_BUCKETS / 2;
		d->width *= 2;
	}
	d->b[d->n++] = one;
}

static int cmp_point(const void *a, const void *b)
{
	const struct downsample_point *x = a, *y = b;

	return x->t_s < y->t_s ? -1 : x->t_s > y->t_s;
}

void downsample_series(const struct downsample *d, struct result_series *out)
{
	struct downsample_point *v = xcalloc(3 * d->n + 2, sizeof(*v));
	size_t n = 0, i, k = 0;

	free(out->t_s);
	free(out->footprint_bytes);
	free(out->rss_bytes);
	memset(out, 0, sizeof(*out));
	if (!d->samples) {
		free(v);
		return;
	}
	v[n++] = d->first;
	for (i = 0; i < d->n; i++) {
		v[n++] = d->b[i].lo;
		v[n++] = d->b[i].hi;
		v[n++] = d->b[i].rss_hi;
	}
	v[n++] = d->last;
	qsort(v, n, sizeof(*v), cmp_point);
	out->t_s = xcalloc(n, sizeof(*out->t_s));
	out->footprint_bytes = xcalloc(n, sizeof(*out->footprint_bytes));
	out->rss_bytes = xcalloc(n, sizeof(*out->rss_bytes));
	/* A sample can be kept for more than one reason: once. Times to the
	 * millisecond, as the result file keeps them, so that what is drawn
	 * during the run is what a report of its file draws. */
	for (i = 0; i < n; i++) {
		if (i && v[i].t_s == v[i - 1].t_s)
			continue;
		out->t_s[k] = round(v[i].t_s * 1000) / 1000;
		out->footprint_bytes[k] = v[i].footprint_bytes;
		out->rss_bytes[k] = v[i].rss_bytes;
		k++;
	}
	out->n = k;
	free(v);
}
