/* test_cadence.c - when the next sample is due: the start ramp, the grid,
 * the bursts while the tree moves, and what they may cost */
#include "config.h"

#include <stdint.h>

#include "sample/cadence.h"
#include "tap.h"

#define MS 1000000ULL
#define MIB (1024ULL * 1024)

/* A tree that holds still: the ticks the cadence asks for, from t0 = 0,
 * one after another. */
static void ticks_still(uint64_t interval_ns, uint64_t *out, size_t n)
{
	struct cadence c;
	uint64_t now = 0;
	size_t i;

	cadence_init(&c, 0, interval_ns);
	for (i = 0; i < n; i++) {
		now = cadence_next(&c, now, 100 * MIB, 10000, false);
		out[i] = now;
	}
}

static void test_ramp_then_grid(void)
{
	static const struct {
		uint64_t interval_ns;
		uint64_t want[12];
		size_t n;
	} cases[] = {
		/* 1, 2, 4 ... ms until the interval, then its grid. */
		{ 250 * MS, { 1 * MS, 2 * MS, 4 * MS, 8 * MS, 16 * MS, 32 * MS, 64 * MS,
			      128 * MS, 250 * MS, 500 * MS, 750 * MS, 1000 * MS }, 12 },
		{ 100 * MS, { 1 * MS, 2 * MS, 4 * MS, 8 * MS, 16 * MS, 32 * MS, 64 * MS,
			      100 * MS, 200 * MS }, 9 },
		/* An interval of 1 ms has no ramp. */
		{ 1 * MS, { 1 * MS, 2 * MS, 3 * MS, 4 * MS }, 4 },
		/* Nor one of 2 ms past its first step. */
		{ 2 * MS, { 1 * MS, 2 * MS, 4 * MS, 6 * MS }, 4 },
		/* A long interval: the ramp goes on to it. */
		{ 10000 * MS, { 1 * MS, 2 * MS, 4 * MS, 8 * MS, 16 * MS, 32 * MS, 64 * MS,
				128 * MS, 256 * MS, 512 * MS, 1024 * MS, 2048 * MS }, 12 },
	};
	size_t k, i;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		TEST("interval %llu ms, a still tree: the ramp, then the grid",
		     (unsigned long long)(cases[k].interval_ns / MS)) {
			uint64_t got[12];

			ticks_still(cases[k].interval_ns, got, cases[k].n);
			for (i = 0; i < cases[k].n; i++)
				if (!check_u64(got[i], ==, cases[k].want[i]))
					printf("#    (tick %zu)\n", i);
		}
}

/* A late tick (the machine was busy) goes back to the grid, not the
 * interval after the late one: ticks do not drift. */
static void test_no_drift(void)
{
	struct cadence c;

	cadence_init(&c, 1000 * MS, 250 * MS);
	c.ramp_ns = 0;
	is_u64(cadence_next(&c, 1000 * MS + 260 * MS, MIB, 0, false), 1000 * MS + 500 * MS,
	       "a tick 10 ms late: the next is on the grid");
	is_u64(cadence_next(&c, 1000 * MS + 990 * MS, MIB, 0, false), 1000 * MS + 1000 * MS,
	       "a tick 240 ms late: the next grid point, 10 ms on");
}

static void test_moving(void)
{
	static const struct {
		uint64_t prev, now, dt_ns, interval_ns;
		bool want;
		const char *what;
	} cases[] = {
		{ 100 * MIB, 100 * MIB, 250 * MS, 250 * MS, false, "no change" },
		{ 100 * MIB, 104 * MIB, 250 * MS, 250 * MS, false, "4% in an interval" },
		{ 100 * MIB, 106 * MIB, 250 * MS, 250 * MS, true, "6% in an interval" },
		{ 100 * MIB, 94 * MIB, 250 * MS, 250 * MS, true, "-6% in an interval" },
		/* The rate counts, not the step: 1% in a sixty-fourth of it. */
		{ 100 * MIB, 101 * MIB, 250 * MS / 64, 250 * MS, true, "1% in 1/64 interval" },
		/* Small trees: at least 1 MiB per interval. */
		{ 2 * MIB, 2 * MIB + 512 * 1024, 250 * MS, 250 * MS, false, "512 KiB of 2 MiB" },
		{ 2 * MIB, 3 * MIB + 1, 250 * MS, 250 * MS, true, "1 MiB of 2 MiB" },
		{ 100 * MIB, 200 * MIB, 0, 250 * MS, false, "no time passed" },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		ok(cadence_moving(cases[k].prev, cases[k].now, cases[k].dt_ns,
				  cases[k].interval_ns) == cases[k].want,
		   "moving: %s -> %s", cases[k].what, cases[k].want ? "yes" : "no");
}

static void test_bursts(void)
{
	struct cadence c;
	uint64_t next;

	/* Past the ramp, a tree growing fast is sampled at 1/64 interval. */
	cadence_init(&c, 0, 250 * MS);
	next = cadence_next(&c, 250 * MS, 100 * MIB, 10000, false);
	is_u64(next, 500 * MS, "still: the next grid point");
	next = cadence_next(&c, 500 * MS, 200 * MIB, 10000, false);
	is_u64(next, 500 * MS + 250 * MS / 64, "growing fast: a sixty-fourth of the interval on");
	ok(c.burst_ticks == 1, "... counted as a burst");
	next = cadence_next(&c, next, 210 * MIB, 10000, false);
	is_u64(next, 500 * MS + 2 * (250 * MS / 64), "still growing (fast in 1/64): another");
	next = cadence_next(&c, next, 210 * MIB, 10000, false);
	is_u64(next, 750 * MS, "stopped: back to the grid");

	/* A costly tick makes bursts sparser: at most 1% of a CPU. */
	cadence_init(&c, 0, 250 * MS);
	cadence_next(&c, 250 * MS, 100 * MIB, 0, false);
	next = cadence_next(&c, 500 * MS, 200 * MIB, 500000, false);
	is_u64(next, 500 * MS + 100 * 500000, "a 0.5 ms tick: bursts 50 ms apart (1%% CPU)");

	/* Never later than the grid: a burst longer than the grid's next
	 * point gives way to it. */
	cadence_init(&c, 0, 250 * MS);
	cadence_next(&c, 250 * MS, 100 * MIB, 0, false);
	next = cadence_next(&c, 748 * MS, 200 * MIB, 0, false);
	is_u64(next, 750 * MS, "a burst past the next grid point: the grid point");

	/* A process's peak above any sample of it: the samples missed a
	 * climb, so the next interval is sampled densely, moving or not. */
	cadence_init(&c, 0, 250 * MS);
	cadence_next(&c, 250 * MS, 100 * MIB, 0, false);
	next = cadence_next(&c, 500 * MS, 100 * MIB, 0, true);
	is_u64(next, 500 * MS + 250 * MS / 64, "a missed peak: a burst, though still");
	next = cadence_next(&c, 748 * MS, 100 * MIB, 0, false);
	is_u64(next, 750 * MS, "... for one interval, then the grid");
	next = cadence_next(&c, 750 * MS, 100 * MIB, 0, false);
	is_u64(next, 1000 * MS, "... and it stays there");

	/* A 1 ms interval needs no bursts: 2 ms at least. */
	cadence_init(&c, 0, 1 * MS);
	cadence_next(&c, 1 * MS, 100 * MIB, 0, false);
	is_u64(cadence_next(&c, 2 * MS, 200 * MIB, 0, false), 3 * MS, "at -i 1ms, the grid");
}

int main(void)
{
	test_ramp_then_grid();
	test_no_drift();
	test_moving();
	test_bursts();
	return tap_done();
}
