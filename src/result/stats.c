/* result/stats.c - rank statistics for two samples: the Mann-Whitney U test and the shift's interval */
#include "config.h"

#include "result/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* C(n, k) as a double (exact up to 2^53, close beyond). */
static double choose(size_t n, size_t k)
{
	double c = 1;
	size_t i;

	if (k > n)
		return 0;
	if (k > n - k)
		k = n - k;
	for (i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return round(c);
}

/* The null distribution of twice the rank sum of m values drawn from N
 * whose ranks come in tie groups of sizes ties[0..groups): the number of
 * ways to reach each doubled sum 0..N(N+1). Caller frees. */
static double *rank_sum_counts(const size_t *ties, size_t groups, size_t N, size_t m)
{
	size_t S = N * (N + 1), k, s, j, g, start = 0;
	double *cnt = xcalloc((m + 1) * (S + 1), sizeof(*cnt));
	double *next = xcalloc((m + 1) * (S + 1), sizeof(*next));

	cnt[0] = 1;
	for (g = 0; g < groups; g++) {
		size_t t = ties[g], r2 = 2 * start + t + 1;	/* doubled midrank */

		memset(next, 0, (m + 1) * (S + 1) * sizeof(*next));
		for (k = 0; k <= m; k++)
			for (s = 0; s <= S; s++) {
				double c = cnt[k * (S + 1) + s];

				if (c == 0)
					continue;
				for (j = 0; j <= t && k + j <= m && s + j * r2 <= S; j++)
					next[(k + j) * (S + 1) + s + j * r2] += c * choose(t, j);
			}
		memcpy(cnt, next, (m + 1) * (S + 1) * sizeof(*cnt));
		start += t;
	}
	/* Only the row of m values matters to callers. */
	memmove(cnt, cnt + m * (S + 1), (S + 1) * sizeof(*cnt));
	free(next);
	return cnt;
}

/* The pooled values sorted, their tie groups' sizes, and twice the rank
 * sum of x. Returns the number of groups; caller frees *ties. */
static size_t rank(const double *x, size_t m, const double *y, size_t n, size_t **ties,
		   double *rank2_x, double *tie_term)
{
	size_t N = m + n, i, j, groups = 0;
	double *all = xcalloc(N, sizeof(*all));

	memcpy(all, x, m * sizeof(*x));
	memcpy(all + m, y, n * sizeof(*y));
	qsort(all, N, sizeof(*all), cmp_double);
	*ties = xcalloc(N, sizeof(**ties));
	*rank2_x = 0;
	*tie_term = 0;
	for (i = 0; i < N; i = j) {
		size_t k, in_x = 0;

		for (j = i; j < N && all[j] == all[i]; j++)
			;
		for (k = 0; k < m; k++)
			in_x += x[k] == all[i];
		/* Ranks i+1..j, their mean doubled: i + j + 1. */
		*rank2_x += (double)in_x * (double)(i + j + 1);
		(*ties)[groups++] = j - i;
		*tie_term += pow((double)(j - i), 3) - (double)(j - i);
	}
	free(all);
	return groups;
}

int stats_utest(const double *x, size_t m, const double *y, size_t n,
		struct stats_utest *out)
{
	size_t N = m + n, *ties, groups;
	double r2, tie_term, mean2;

	if (!m || !n) {
		errno = EINVAL;
		return -1;
	}
	groups = rank(x, m, y, n, &ties, &r2, &tie_term);
	out->u = r2 / 2 - (double)m * (double)(m + 1) / 2;
	mean2 = (double)m * (double)(N + 1);
	if (N <= STATS_EXACT_MAX) {
		double *cnt = rank_sum_counts(ties, groups, N, m), tail = 0, total = 0;
		double dev = fabs(r2 - mean2);
		size_t s;

		for (s = 0; s <= N * (N + 1); s++) {
			total += cnt[s];
			if (fabs((double)s - mean2) >= dev - 1e-9)
				tail += cnt[s];
		}
		out->p = fmin(1, tail / total);
		out->exact = true;
		free(cnt);
	} else {
		double mn = (double)m * (double)n;
		double var = mn / 12 * ((double)(N + 1) - tie_term / ((double)N * (double)(N - 1)));
		double z = var > 0 ? (fabs(out->u - mn / 2) - 0.5) / sqrt(var) : 0;

		out->p = var > 0 ? fmin(1, erfc(fmax(z, 0) / sqrt(2))) : 1;
		out->exact = false;
	}
	free(ties);
	return 0;
}

double stats_utest_min_p(size_t m, size_t n)
{
	return fmin(1, 2 / choose(m + n, m));
}

size_t stats_utest_runs_needed(double alpha)
{
	size_t k;

	for (k = 1; k < 1000 && stats_utest_min_p(k, k) > alpha; k++)
		;
	return k;
}

double stats_normal_quantile(double p)
{
	double lo = -40, hi = 40;
	int i;

	/* Bisection on the normal CDF: slow by numerical standards, exact to
	 * the last bits, and called a few times per table. */
	for (i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(-mid / sqrt(2)) / 2 < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* The largest c with P(U <= c) <= alpha/2 under the null without ties; -1
 * if even P(U = 0) is larger. */
static long u_critical(size_t m, size_t n, double alpha)
{
	size_t N = m + n;

	if (N <= STATS_EXACT_MAX) {
		size_t *ties = xcalloc(N, sizeof(*ties)), i, s;
		double *cnt, total = choose(N, m), cum = 0;
		long c = -1;

		for (i = 0; i < N; i++)
			ties[i] = 1;
		cnt = rank_sum_counts(ties, N, N, m);
		/* Twice the rank sum is 2U + m(m+1); only even sums occur. */
		for (s = m * (m + 1); s <= N * (N + 1); s += 2) {
			cum += cnt[s];
			if (cum / total > alpha / 2)
				break;
			c = (long)((s - m * (m + 1)) / 2);
		}
		free(cnt);
		free(ties);
		return c;
	}
	return (long)floor((double)m * (double)n / 2 - 0.5 -
			   stats_normal_quantile(1 - alpha / 2) *
			   sqrt((double)m * (double)n * (double)(N + 1) / 12));
}

bool stats_shift_interval(const double *x, size_t m, const double *y, size_t n,
			  double alpha, double *est, double *lo, double *hi)
{
	size_t K = m * n, i, j;
	double *d;
	long c;

	if (!m || !n)
		return false;
	d = xcalloc(K, sizeof(*d));
	for (i = 0; i < m; i++)
		for (j = 0; j < n; j++)
			d[i * n + j] = y[j] - x[i];
	qsort(d, K, sizeof(*d), cmp_double);
	*est = K % 2 ? d[K / 2] : (d[K / 2 - 1] + d[K / 2]) / 2;
	c = u_critical(m, n, alpha);
	if (c >= 0 && (size_t)c < K - (size_t)c) {
		*lo = d[c];
		*hi = d[K - 1 - (size_t)c];
	}
	free(d);
	return c >= 0 && (size_t)c < K - (size_t)c;
}
