/* sample/downsample.h - the run's footprint and rss over time, in bounded memory, no peak lost
 *
 * Samples go into buckets of equal counts; when the buckets run out, pairs
 * merge and each bucket holds twice as many. A bucket keeps its samples of
 * lowest and highest footprint and of highest rss, whole, so a curve drawn
 * through the kept points reaches every peak and trough the samples had. */
#ifndef MEMWATCH_DOWNSAMPLE_H
#define MEMWATCH_DOWNSAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "result/result.h"

#define DOWNSAMPLE_BUCKETS 256	/* at most 3 points each, and the ends */

struct downsample_point {
	double t_s;
	uint64_t footprint_bytes, rss_bytes;
};

struct downsample_bucket {
	struct downsample_point lo, hi, rss_hi;
	size_t count;
};

struct downsample {
	struct downsample_bucket b[DOWNSAMPLE_BUCKETS];
	size_t n;		/* buckets in use */
	size_t width;		/* samples per bucket */
	struct downsample_point first, last;
	size_t samples;
};

void downsample_init(struct downsample *d);
void downsample_add(struct downsample *d, double t_s, uint64_t footprint_bytes,
		    uint64_t rss_bytes);

/* The kept points in time order, each once, into out (replacing what it
 * held). */
void downsample_series(const struct downsample *d, struct result_series *out);

#endif
