/* test_stats.c - the Mann-Whitney U test and the shift's interval, against published tables */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "result/stats.h"
#include "tap.h"

/* Samples of m and n values whose U (of x) is u, without ties: y is
 * 1..n, and each x sits just above as many y as it takes. */
static void samples_with_u(size_t m, size_t n, size_t u, double *x, double *y)
{
	size_t i;

	for (i = 0; i < n; i++)
		y[i] = (double)(i + 1);
	for (i = 0; i < m; i++) {
		size_t above = u > n ? n : u;

		x[i] = (double)above + 0.5 - 0.01 * (double)i;	/* no ties */
		u -= above;
	}
}

/* Two-sided critical values of U at 0.05 (reject when U <= crit), as in
 * the published tables of the Mann-Whitney test: U = crit reaches p <=
 * 0.05 and U = crit + 1 does not. */
static void test_critical_values(void)
{
	static const struct {
		size_t m, n, crit;
	} table[] = {
		{ 4, 4, 0 }, { 4, 5, 1 }, { 4, 6, 2 }, { 4, 7, 3 }, { 4, 8, 4 },
		{ 5, 5, 2 }, { 5, 10, 8 }, { 6, 6, 5 }, { 7, 7, 8 }, { 8, 8, 13 },
		{ 10, 10, 23 }, { 12, 12, 37 }, { 15, 15, 64 }, { 20, 20, 127 },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		TEST("n1=%zu n2=%zu: critical U %zu", table[i].m, table[i].n, table[i].crit) {
			double x[32], y[32];
			struct stats_utest at, past;

			samples_with_u(table[i].m, table[i].n, table[i].crit, x, y);
			stats_utest(x, table[i].m, y, table[i].n, &at);
			samples_with_u(table[i].m, table[i].n, table[i].crit + 1, x, y);
			stats_utest(x, table[i].m, y, table[i].n, &past);
			check_double(at.u, (double)table[i].crit, 0);
			check(at.exact);
			check(at.p <= 0.05);
			check(past.p > 0.05);
		}
}

/* Known p-values: complete separation, a textbook sample, ties. */
static void test_known_cases(void)
{
	TEST("n=m=3 apart: p = 2/20, the smallest there is") {
		double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
		struct stats_utest t;

		stats_utest(x, 3, y, 3, &t);
		check_double(t.u, 0, 0);
		check_double(t.p, 0.1, 1e-12);
		check_double(stats_utest_min_p(3, 3), 0.1, 1e-12);
	}
	TEST("n=m=4 apart: p = 2/70") {
		double x[] = { 5, 6, 7, 8 }, y[] = { 1, 2, 3, 4 };
		struct stats_utest t;

		stats_utest(x, 4, y, 4, &t);
		check_double(t.u, 16, 0);
		check_double(t.p, 2.0 / 70, 1e-12);
	}
	TEST("n=m=5 apart: p = 2/252") {
		double x[] = { 1, 2, 3, 4, 5 }, y[] = { 6, 7, 8, 9, 10 };
		struct stats_utest t;

		stats_utest(x, 5, y, 5, &t);
		check_double(t.p, 2.0 / 252, 1e-12);
	}
	TEST("the textbook sample of 10 and 5: W = 35, two-sided p = 0.2544") {
		double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
		double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
		struct stats_utest t;

		stats_utest(x, 10, y, 5, &t);
		check_double(t.u, 35, 0);
		check_double(t.p, 0.2544, 0.0001);
	}
	TEST("the same values on both sides: p = 1") {
		double x[] = { 7, 7, 7 }, y[] = { 7, 7, 7, 7 };
		struct stats_utest t;

		stats_utest(x, 3, y, 4, &t);
		check_double(t.p, 1, 1e-12);
	}
	TEST("ties: exact, given the ties (1,1,2,2 against 2,3,3,3)") {
		/* Each 2 of x ties with the 2 of y: U = 2 x 0.5; the
		 * distribution is that of the midranks 1.5 1.5 4 4 4 7 7 7:
		 * as far from the mean, 2R = 22 or 50, 6 ways of 70. */
		double x[] = { 1, 1, 2, 2 }, y[] = { 2, 3, 3, 3 };
		struct stats_utest t;

		stats_utest(x, 4, y, 4, &t);
		check_double(t.u, 1, 0);
		check(t.exact);
		check_double(t.p, 6.0 / 70, 1e-12);
	}
	TEST("large samples: the normal approximation, close to the exact p") {
		double x[40], y[40];
		struct stats_utest big, small;
		size_t i;

		for (i = 0; i < 40; i++) {
			x[i] = (double)i;
			y[i] = (double)i + 8.5;
		}
		stats_utest(x, 40, y, 40, &big);
		check(!big.exact);
		check(big.p < 0.05 && big.p > 0.001);
		stats_utest(x, 30, y, 30, &small);
		check(small.exact);
	}
	TEST("empty samples are refused")
		check_int(stats_utest(NULL, 0, NULL, 0, &(struct stats_utest){ 0 }), ==, -1);
}

/* The runs needed to reach alpha: 2 / C(2k, k) <= alpha. */
static void test_runs_needed(void)
{
	TEST("runs needed") {
		check_int(stats_utest_runs_needed(0.05), ==, 4);
		check_int(stats_utest_runs_needed(0.1), ==, 3);
		check_int(stats_utest_runs_needed(0.01), ==, 5);
		check_int(stats_utest_runs_needed(0.001), ==, 7);
	}
	TEST("normal quantiles") {
		check_double(stats_normal_quantile(0.975), 1.959964, 1e-6);
		check_double(stats_normal_quantile(0.5), 0, 1e-9);
		check_double(stats_normal_quantile(0.005), -2.575829, 1e-6);
	}
}

/* The Hodges-Lehmann shift and its interval. */
static void test_shift_interval(void)
{
	TEST("a shift of 10: estimated as 10, inside the interval") {
		double x[] = { 1, 4, 2, 8, 5, 7 }, y[6];
		double est, lo, hi;
		size_t i;

		for (i = 0; i < 6; i++)
			y[i] = x[i] + 10;
		check(stats_shift_interval(x, 6, y, 6, 0.05, &est, &lo, &hi));
		check_double(est, 10, 0);
		check(lo <= 10 && hi >= 10 && lo < hi);
	}
	TEST("n=m=3: no interval at 95%% (P(U = 0) = 1/20 is over 2.5%%)") {
		double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 }, est, lo, hi;

		check(!stats_shift_interval(x, 3, y, 3, 0.05, &est, &lo, &hi));
		check_double(est, 3, 0);
	}
	TEST("n=m=4: the interval is the smallest to the largest difference") {
		double x[] = { 1, 2, 3, 4 }, y[] = { 11, 12, 13, 14 }, est, lo, hi;

		check(stats_shift_interval(x, 4, y, 4, 0.05, &est, &lo, &hi));
		check_double(lo, 7, 0);
		check_double(hi, 13, 0);
		check_double(est, 10, 0);
	}
	TEST("large samples: the interval from the normal quantiles") {
		double x[50], y[50], est, lo, hi;
		size_t i;

		for (i = 0; i < 50; i++) {
			x[i] = (double)(i * 7 % 50);
			y[i] = (double)(i * 7 % 50) + 20;
		}
		check(stats_shift_interval(x, 50, y, 50, 0.05, &est, &lo, &hi));
		check_double(est, 20, 0);
		check(lo < 20 && hi > 20 && lo > 5 && hi < 35);
	}
}

int main(void)
{
	test_critical_values();
	test_known_cases();
	test_runs_needed();
	test_shift_interval();
	return tap_done();
}
