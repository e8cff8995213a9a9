/* test_downsample.c - the footprint over time in bounded memory: every peak and trough kept */
#include "config.h"

#include <stdlib.h>

#include "sample/downsample.h"
#include "tap.h"

static struct downsample d;

/* Whether the series holds the point (t, footprint). */
static bool holds(const struct result_series *s, double t, uint64_t fp)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->t_s[i] == t && s->footprint_bytes[i] == fp)
			return true;
	return false;
}

int main(void)
{
	static const size_t counts[] = { 1, 10, 256, 257, 2400, 100000 };
	size_t c;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
		TEST("%zu samples: bounded, in order, a spike, a dip and the ends kept", counts[c]) {
			struct result_series s = { 0 };
			size_t n = counts[c], i, spike = n * 2 / 3, dip = n / 3;
			bool ordered = true;

			downsample_init(&d);
			for (i = 0; i < n; i++) {
				uint64_t fp = 1000 + i % 7;

				if (i == spike)
					fp = 5000;
				else if (i == dip && n > 2)
					fp = 10;
				downsample_add(&d, (double)i * 0.25, fp, i == n / 2 ? 9000 : 2000);
			}
			downsample_series(&d, &s);
			for (i = 1; i < s.n; i++)
				ordered &= s.t_s[i] >= s.t_s[i - 1];
			check(s.n <= 3 * DOWNSAMPLE_BUCKETS + 2);
			check(s.n <= n);
			check(ordered);
			check(holds(&s, (double)spike * 0.25, 5000));
			if (n > 2)
				check(holds(&s, (double)dip * 0.25, 10));
			check(s.t_s[0] == 0);
			check(s.t_s[s.n - 1] == (double)(n - 1) * 0.25);
			for (i = 0; i < s.n && s.rss_bytes[i] != 9000; i++)
				;
			check(i < s.n);	/* the rss peak too */
			free(s.t_s);
			free(s.footprint_bytes);
			free(s.rss_bytes);
		}
	return tap_done();
}
