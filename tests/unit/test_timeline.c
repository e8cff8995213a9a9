/* test_timeline.c - settle time and idle drift as a specification: series
 * of samples and the values they give, without a clock */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sample/timeline.h"
#include "tap.h"

#define MIB (1024.0 * 1024)
#define MAX_POINTS 12

struct point {
	double t_s;
	double mib;
};

/* --- settle time -------------------------------------------------------
 * The samples after load end (at load_end_s); the final footprint is the
 * last sample's, as in a run. Settle time is how long after load end the
 * last sample more than 5% away from it came. */

static const struct {
	const char *name;
	double load_end_s;
	struct point p[MAX_POINTS];
	double want_s;
} settles[] = {
	{ "flat: settled at load end", 10,
	  { { 10, 100 }, { 11, 100 }, { 12, 100 } }, 0 },
	{ "falling: the last sample above the band", 10,
	  { { 10, 200 }, { 11, 150 }, { 12, 104 }, { 13, 100 } }, 1 },
	{ "rising: the last sample below the band", 10,
	  { { 10, 50 }, { 11, 80 }, { 12, 96 }, { 13, 100 } }, 1 },
	{ "within 5% on both sides is in the band", 10,
	  { { 10, 104 }, { 11, 96 }, { 12, 100 } }, 0 },
	{ "a late spike", 10,
	  { { 10, 100 }, { 11, 100 }, { 12.5, 120 }, { 13, 100 }, { 14, 100 } }, 2.5 },
	{ "a late dip", 10,
	  { { 10, 100 }, { 12, 90 }, { 15, 100 } }, 2 },
	{ "the latest outside counts, not the farthest", 10,
	  { { 10, 300 }, { 11, 100 }, { 12, 110 }, { 13, 100 } }, 2 },
	{ "the later side wins", 10,
	  { { 10, 50 }, { 11, 150 }, { 12, 100 } }, 1 },
	{ "... either way round", 10,
	  { { 10, 150 }, { 11, 50 }, { 12, 100 } }, 1 },
	{ "a far sample just before a near one", 10,
	  { { 10, 100 }, { 20, 200 }, { 20.25, 100 } }, 10 },
	{ "out of the band only at load end: 0", 10,
	  { { 10, 200 }, { 11, 100 }, { 12, 100 } }, 0 },
	{ "a final footprint of 0: anything above is out", 10,
	  { { 10, 0 }, { 11, 1 }, { 12, 0 } }, 1 },
	{ "growing to the end: the sample before the last", 0,
	  { { 1, 10 }, { 2, 20 }, { 3, 40 }, { 4, 80 } }, 3 },
	{ "one sample: settled", 5, { { 5.5, 100 } }, 0 },
};

static size_t n_points(const struct point *p)
{
	size_t n = 0;

	while (n < MAX_POINTS && (p[n].t_s || p[n].mib))
		n++;
	return n;
}

static double settle_of(double load_end_s, const struct point *p, size_t n)
{
	struct timeline_settle st = { 0 };
	double got;
	size_t i;

	timeline_settle_start(&st, load_end_s);
	for (i = 0; i < n; i++)
		timeline_settle_add(&st, p[i].t_s, (uint64_t)(p[i].mib * MIB), true);
	got = timeline_settle_seconds(&st, (uint64_t)(p[n - 1].mib * MIB));
	timeline_settle_free(&st);
	return got;
}

static void test_settle_table(void)
{
	size_t k;

	for (k = 0; k < sizeof(settles) / sizeof(settles[0]); k++)
		TEST("settle: %s", settles[k].name)
			check_double(settle_of(settles[k].load_end_s, settles[k].p,
					       n_points(settles[k].p)),
				     settles[k].want_s, 1e-9);
}

/* The bounded summary gives what a plain look at every sample gives, for
 * footprints clear of the band's edges by the 0.5% resolution. */
static void test_settle_against_all_samples(void)
{
	uint32_t seed = 12345;
	unsigned series;

	for (series = 0; series < 20; series++)
		TEST("settle: pseudo-random series %u, as a look at every sample", series) {
			struct point p[400];
			size_t n = 20 + (size_t)series * 19, i;
			double final, want = -1, x;

			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				p[i].t_s = 3 + 0.25 * (double)i;
				/* 50..150 MiB, a tighter spread as it goes on. */
				x = (double)(seed >> 8) / (double)(1u << 24) - 0.5;
				p[i].mib = 100 + x * 100 * (1 - (double)i / (double)n);
			}
			final = p[n - 1].mib;
			for (i = 0; i < n; i++) {
				double r = p[i].mib / final;

				if (r > 1.05 && r <= 1.06)
					p[i].mib = final * 1.07;
				else if (r < 0.95 && r >= 0.94)
					p[i].mib = final * 0.93;
				if (p[i].mib > final * 1.05 || p[i].mib < final * 0.95)
					want = p[i].t_s - 3;
			}
			check_double(settle_of(3, p, n), want < 0 ? 0 : want, 1e-9);
		}
}

/* --- idle drift --------------------------------------------------------
 * The idle phase's samples, at seconds after load end; the drift is the
 * least squares slope in MiB per minute (NaN: none can be drawn). */

static const struct {
	const char *name;
	struct point p[MAX_POINTS];
	size_t n;
	double want_mib_per_min;
} drifts[] = {
	{ "flat", { { 1, 100 }, { 2, 100 }, { 3, 100 } }, 3, 0 },
	{ "1 MiB a second is 60 a minute",
	  { { 1, 100 }, { 2, 101 }, { 3, 102 } }, 3, 60 },
	{ "falling 2 MiB in 10 s", { { 0, 100 }, { 10, 98 }, { 20, 96 } }, 3, -12 },
	{ "a zigzag: the line through it",
	  { { 0, 100 }, { 1, 102 }, { 2, 100 }, { 3, 102 } }, 4, 24 },
	{ "two samples: the line through them", { { 30, 100 }, { 90, 103 } }, 2, 3 },
	{ "unevenly spaced, on one line",
	  { { 0.5, 200 }, { 1, 201 }, { 7, 213 }, { 60.5, 320 } }, 4, 120 },
	{ "one sample: no drift", { { 1, 100 } }, 1, NAN },
	{ "no sample: no drift", { { 0, 0 } }, 0, NAN },
	{ "two samples at one time: no drift", { { 2, 100 }, { 2, 200 } }, 2, NAN },
};

static void test_drift_table(void)
{
	size_t k, i;

	for (k = 0; k < sizeof(drifts) / sizeof(drifts[0]); k++)
		TEST("drift: %s", drifts[k].name) {
			struct timeline_drift d = { 0 };

			for (i = 0; i < drifts[k].n; i++)
				timeline_drift_add(&d, drifts[k].p[i].t_s,
						   (uint64_t)(drifts[k].p[i].mib * MIB));
			check_double(timeline_drift_bytes_per_min(&d) / MIB,
				     drifts[k].want_mib_per_min, 1e-6);
		}
}

/* --- the timeline's own answers, from its samples ---------------------- */

static void add(struct timeline *tl, struct tree *t, double t_s, double mib,
		const char *phase)
{
	struct sample s;

	memset(&s, 0, sizeof(s));
	s.t_ns = (uint64_t)(t_s * 1e9);
	s.sum.footprint_bytes = (uint64_t)(mib * MIB);
	timeline_add(tl, &s, t, phase);
}

static void test_timeline(void)
{
	struct timeline tl;
	struct tree t;

	memset(&t, 0, sizeof(t));
	TEST("no load end: no settle time, no drift") {
		timeline_init(&tl);
		add(&tl, &t, 1, 100, "load");
		add(&tl, &t, 2, 300, "load");
		check_double(timeline_settle_s(&tl), -1, 0);
		check_double(timeline_idle_drift(&tl).bytes_per_min, NAN, 0);
		timeline_destroy(&tl);
	}
	TEST("samples before load end count toward neither") {
		timeline_init(&tl);
		add(&tl, &t, 1, 500, "load");
		add(&tl, &t, 2, 100, "load");
		timeline_load_end(&tl, 2);
		add(&tl, &t, 3, 100, "idle");
		add(&tl, &t, 4, 100, "idle");
		check_double(timeline_settle_s(&tl), 0, 0);
		check_double(timeline_idle_drift(&tl).bytes_per_min, 0, 0);
		timeline_destroy(&tl);
	}
	TEST("settle counts every sample after load end; drift only the idle ones") {
		timeline_init(&tl);
		timeline_load_end(&tl, 2);
		add(&tl, &t, 3, 400, "load");
		add(&tl, &t, 4, 100, "idle");
		add(&tl, &t, 5, 101, "idle");
		add(&tl, &t, 6, 100, "mark");
		check_double(timeline_settle_s(&tl), 1, 1e-9);
		check_double(timeline_idle_drift(&tl).bytes_per_min / MIB, 60, 1e-6);
		timeline_destroy(&tl);
	}
	TEST("drift: a sample in another phase between idle ones starts nothing") {
		struct timeline_line l;

		timeline_init(&tl);
		timeline_load_end(&tl, 0);
		add(&tl, &t, 1, 100, "idle");
		add(&tl, &t, 2, 300, "mark");
		add(&tl, &t, 3, 100, "idle");
		add(&tl, &t, 4, 101, "idle");
		add(&tl, &t, 5, 102, "idle");
		add(&tl, &t, 6, 103, "idle");
		check_double(timeline_settle_s(&tl), 2, 1e-9);
		l = timeline_idle_drift(&tl);
		check_double(l.bytes_per_min / MIB, 60, 1e-6);
		check_double(l.from_s, 3, 1e-9);
		check_double(l.to_s, 6, 1e-9);
		check(l.settled);
		timeline_destroy(&tl);
	}
}

/* --- idle drift once settled -------------------------------------------
 * Idle samples after a load end at 0; the drift is the line through those
 * after the settle time's sample (the last more than 5% away from the
 * final one) when there are at least four, else through all of them;
 * from and to the first and last sample of the line. */

static const struct {
	const char *name;
	struct point p[MAX_POINTS];
	double want_mib_per_min, from_s, to_s;
	bool settled;
} settled[] = {
	{ "settled at once: every sample",
	  { { 1, 100 }, { 2, 101 }, { 3, 102 }, { 4, 103 } }, 60, 1, 4, true },
	{ "given back in one step, then flat: no drift, not the step's slope",
	  { { 1, 300 }, { 2, 300 }, { 3, 100 }, { 4, 100 }, { 5, 100 }, { 6, 100 } },
	  0, 3, 6, true },
	{ "given back in one step, then a leak: the leak's rate",
	  { { 1, 300 }, { 2, 100 }, { 3, 100.5 }, { 4, 101 }, { 5, 101.5 } }, 30, 2, 5, true },
	{ "a late spike starts the line again after it",
	  { { 1, 100 }, { 2, 100 }, { 3, 200 }, { 4, 100 }, { 5, 101 }, { 6, 102 },
	    { 7, 103 } }, 60, 4, 7, true },
	{ "a leak past the band: the line through its tail",
	  { { 1, 50 }, { 2, 60 }, { 3, 70 }, { 4, 80 }, { 5, 90 }, { 6, 100 },
	    { 7, 100.5 }, { 8, 101 }, { 9, 101.5 }, { 10, 102 } }, 30, 6, 10, true },
	{ "a steady leak, never within 5% for long: every sample",
	  { { 1, 100 }, { 2, 110 }, { 3, 120 }, { 4, 130 }, { 5, 140 } }, 600, 1, 5, false },
	{ "a step too late for a line after it: every sample",
	  { { 0, 300 }, { 1, 300 }, { 2, 300 }, { 3, 100 }, { 4, 100 } }, -3600, 0, 4, false },
	{ "one sample: no line", { { 1, 100 } }, NAN, -1, -1, false },
};

static void test_settled_drift_table(void)
{
	size_t k, i;

	for (k = 0; k < sizeof(settled) / sizeof(settled[0]); k++)
		TEST("settled drift: %s", settled[k].name) {
			struct timeline_settle st = { 0 };
			size_t n = n_points(settled[k].p);
			struct timeline_line l;

			timeline_settle_start(&st, 0);
			for (i = 0; i < n; i++)
				timeline_settle_add(&st, settled[k].p[i].t_s,
						    (uint64_t)(settled[k].p[i].mib * MIB), true);
			l = timeline_settled_drift(&st, (uint64_t)(settled[k].p[n - 1].mib * MIB));
			check_double(l.bytes_per_min / MIB, settled[k].want_mib_per_min, 1e-6);
			check_double(l.from_s, settled[k].from_s, 1e-9);
			check_double(l.to_s, settled[k].to_s, 1e-9);
			check(l.settled == settled[k].settled);
			timeline_settle_free(&st);
		}
}

/* The bounded sums give the line a look at every sample gives: the
 * settle time's sample found by hand, the least squares line drawn
 * through the idle samples after it (or through all, with fewer than four
 * after it), some samples not idle. */
static void test_settled_drift_against_all_samples(void)
{
	uint32_t seed = 777;
	unsigned series;

	for (series = 0; series < 20; series++)
		TEST("settled drift: pseudo-random series %u, as a look at every sample", series) {
			struct timeline_settle st = { 0 };
			double t[400], y[400], final, last_out = -1, x;
			bool idle[400];
			double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, first = -1, last = -1;
			double an = 0, asx = 0, asy = 0, asxx = 0, asxy = 0, afirst = -1, alast = -1;
			double want;
			bool tail;
			struct timeline_line l;
			size_t m = 20 + (size_t)series * 19, i;

			for (i = 0; i < m; i++) {
				seed = seed * 1103515245u + 12345u;
				t[i] = 0.25 * (double)(i + 1);
				x = (double)(seed >> 8) / (double)(1u << 24) - 0.5;
				/* A fall, then noise closing in, with a slope. */
				y[i] = 100 + 50.0 * exp(-0.1 * (double)i) + x * 20 *
				       (1 - (double)i / (double)m) + 0.01 * (double)i;
				idle[i] = (seed >> 4) % 5 != 0;
			}
			final = y[m - 1];
			for (i = 0; i < m; i++) {
				double r = y[i] / final;

				/* Clear of the band's edges by the resolution. */
				if (r > 1.05 && r <= 1.06)
					y[i] = final * 1.07;
				else if (r < 0.95 && r >= 0.94)
					y[i] = final * 0.93;
				if (y[i] > final * 1.05 || y[i] < final * 0.95)
					last_out = t[i];
			}
			timeline_settle_start(&st, 0);
			for (i = 0; i < m; i++) {
				timeline_settle_add(&st, t[i], (uint64_t)(y[i] * MIB), idle[i]);
				if (!idle[i])
					continue;
				if (afirst < 0)
					afirst = t[i];
				alast = t[i];
				an++;
				asx += t[i];
				asy += y[i];
				asxx += t[i] * t[i];
				asxy += t[i] * y[i];
				if (t[i] <= last_out)
					continue;
				if (first < 0)
					first = t[i];
				last = t[i];
				n++;
				sx += t[i];
				sy += y[i];
				sxx += t[i] * t[i];
				sxy += t[i] * y[i];
			}
			tail = n >= TIMELINE_DRIFT_MIN_SETTLED;
			if (!tail) {
				n = an, sx = asx, sy = asy, sxx = asxx, sxy = asxy;
				first = afirst, last = alast;
			}
			want = n < 2 ? NAN : 60 * (n * sxy - sx * sy) / (n * sxx - sx * sx);
			l = timeline_settled_drift(&st, (uint64_t)(final * MIB));
			/* The footprints are whole bytes there and not here. */
			check_double(l.bytes_per_min / MIB, want, 1e-4 * (fabs(want) + 1));
			check_double(l.from_s, n < 2 ? -1 : first, 1e-9);
			check_double(l.to_s, n < 2 ? -1 : last, 1e-9);
			check(l.settled == tail);
			timeline_settle_free(&st);
		}
}

int main(void)
{
	test_settle_table();
	test_settle_against_all_samples();
	test_drift_table();
	test_timeline();
	test_settled_drift_table();
	test_settled_drift_against_all_samples();
	return tap_done();
}
