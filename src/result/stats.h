/* result/stats.h - rank statistics for two samples: the Mann-Whitney U test and the shift's interval
 *
 * Pure numbers, no result model: memwatch's significance (result/
 * significance.c) asks these whether two sets of runs differ. */
#ifndef MEMWATCH_RESULT_STATS_H
#define MEMWATCH_RESULT_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Up to this many values in all, p-values come from the exact
 * distribution of the rank sum (conditional on the ties); beyond it, from
 * the normal approximation with tie and continuity corrections. */
#define STATS_EXACT_MAX 60

struct stats_utest {
	double u;	/* U of x: the pairs with x > y, a tie counting half */
	double p;	/* two-sided */
	bool exact;	/* p is from the exact distribution */
};

/* The two-sided Mann-Whitney U test of samples x (m values) and y (n);
 * -1 with EINVAL if either is empty. */
int stats_utest(const double *x, size_t m, const double *y, size_t n,
		struct stats_utest *out);

/* The smallest two-sided p-value the test can reach with m and n values
 * (without ties): 2 / C(m+n, m), at most 1. */
double stats_utest_min_p(size_t m, size_t n);

/* The fewest values per side with which the test can reach alpha. */
size_t stats_utest_runs_needed(double alpha);

/* The Hodges-Lehmann estimate of the shift from x to y (the median of
 * every y_j - x_i) and its confidence interval at level 1 - alpha, from
 * the U distribution's quantiles (exact up to STATS_EXACT_MAX values).
 * False when the samples are too small for an interval at that level. */
bool stats_shift_interval(const double *x, size_t m, const double *y, size_t n,
			  double alpha, double *est, double *lo, double *hi);

/* The standard normal quantile: z with P(Z <= z) = p, 0 < p < 1. */
double stats_normal_quantile(double p);

#endif
