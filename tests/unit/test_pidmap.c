/* test_pidmap.c - the pid map as a specification: insert, find, remove
 * with wraparound and backward shift, growth, and a pid used again */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/pidmap.h"
#include "sample/tree.h"
#include "tap.h"

static struct proc_rec *rec(pid_t pid)
{
	struct proc_rec *r = calloc(1, sizeof(*r));

	if (r)
		r->pid = pid;
	return r;
}

/* The slot r is in, or -1. */
static long slot_of(const struct pidmap *m, const struct proc_rec *r)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i] == r)
			return (long)i;
	return -1;
}

/* The slot a pid's probe starts at in a map of PIDMAP_MIN_SLOTS: where it
 * lands in an empty one. */
static long home_of(pid_t pid)
{
	struct pidmap m = { 0 };
	struct proc_rec r = { .pid = pid };
	long home;

	pidmap_put(&m, &r);
	home = slot_of(&m, &r);
	pidmap_free(&m);
	return home;
}

/* The first n pids from 1 up whose home slot is home. */
static void pids_at_home(long home, pid_t *out, size_t n)
{
	pid_t pid;
	size_t k = 0;

	for (pid = 1; k < n; pid++)
		if (home_of(pid) == home)
			out[k++] = pid;
}

/* Every slot holds a record (no tombstones) findable by its pid, and the
 * count is right. */
static void check_sound(const struct pidmap *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i]) {
			n++;
			check_ptr(pidmap_find(m, m->slots[i]->pid), ==, m->slots[i]);
		}
	check_u64(n, ==, m->n);
}

static void test_basics(void)
{
	struct pidmap m = { 0 };
	struct proc_rec a = { .pid = 100 }, b = { .pid = 101 };

	TEST("an empty map finds nothing, removes nothing") {
		check_ptr(pidmap_find(&m, 1), ==, NULL);
		pidmap_del(&m, &a);
		check_u64(m.cap, ==, 0);
		check_u64(m.n, ==, 0);
	}
	TEST("a record put is found by its pid; other pids are not") {
		pidmap_put(&m, &a);
		pidmap_put(&m, &b);
		check_ptr(pidmap_find(&m, 100), ==, &a);
		check_ptr(pidmap_find(&m, 101), ==, &b);
		check_ptr(pidmap_find(&m, 102), ==, NULL);
		check_ptr(pidmap_find(&m, 0), ==, NULL);
		check_ptr(pidmap_find(&m, -1), ==, NULL);
		check_u64(m.n, ==, 2);
		check_u64(m.cap, ==, PIDMAP_MIN_SLOTS);
	}
	TEST("a record removed is not found; the others are") {
		pidmap_del(&m, &a);
		check_ptr(pidmap_find(&m, 100), ==, NULL);
		check_ptr(pidmap_find(&m, 101), ==, &b);
		check_u64(m.n, ==, 1);
		pidmap_del(&m, &a);
		check_u64(m.n, ==, 1);
	}
	pidmap_free(&m);
}

/* Records whose home is the last slot go on at the first: the probe wraps
 * around, and so does the shift back at removal. */
static void test_wraparound(void)
{
	struct pidmap m = { 0 };
	struct proc_rec r[3];
	pid_t pids[3];
	long last = PIDMAP_MIN_SLOTS - 1;
	size_t i;

	pids_at_home(last, pids, 3);
	for (i = 0; i < 3; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].pid = pids[i];
	}
	TEST("three records at home in the last slot: it, then slots 0 and 1") {
		for (i = 0; i < 3; i++)
			pidmap_put(&m, &r[i]);
		check_int(slot_of(&m, &r[0]), ==, last);
		check_int(slot_of(&m, &r[1]), ==, 0);
		check_int(slot_of(&m, &r[2]), ==, 1);
		for (i = 0; i < 3; i++)
			check_ptr(pidmap_find(&m, pids[i]), ==, &r[i]);
	}
	TEST("removing the one in the last slot shifts the others back across the end") {
		pidmap_del(&m, &r[0]);
		check_int(slot_of(&m, &r[1]), ==, last);
		check_int(slot_of(&m, &r[2]), ==, 0);
		check_ptr(m.slots[1], ==, NULL);
		check_ptr(pidmap_find(&m, pids[0]), ==, NULL);
		check_sound(&m);
	}
	TEST("removing the one in slot 0 shifts the last one back to it") {
		pidmap_del(&m, &r[1]);
		check_int(slot_of(&m, &r[2]), ==, last);
		check_ptr(m.slots[0], ==, NULL);
		check_sound(&m);
	}
	pidmap_free(&m);
}

/* A cluster of two homes, h and h + 1: removal shifts back only records
 * whose home is at or before the hole. */
static void test_backshift(void)
{
	struct pidmap m = { 0 };
	struct proc_rec a[3], b[2];
	pid_t pa[3], pb[2];
	long h = 10;
	size_t i;

	pids_at_home(h, pa, 3);
	pids_at_home(h + 1, pb, 2);
	for (i = 0; i < 3; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].pid = pa[i];
	}
	for (i = 0; i < 2; i++) {
		memset(&b[i], 0, sizeof(b[i]));
		b[i].pid = pb[i];
	}
	TEST("a cluster: a0 a1 b0 a2 from slot h (b's home is h + 1)") {
		pidmap_put(&m, &a[0]);
		pidmap_put(&m, &a[1]);
		pidmap_put(&m, &b[0]);
		pidmap_put(&m, &a[2]);
		check_int(slot_of(&m, &a[0]), ==, h);
		check_int(slot_of(&m, &a[1]), ==, h + 1);
		check_int(slot_of(&m, &b[0]), ==, h + 2);
		check_int(slot_of(&m, &a[2]), ==, h + 3);
	}
	TEST("removing a0: each of the rest moves back one, all still found") {
		pidmap_del(&m, &a[0]);
		check_int(slot_of(&m, &a[1]), ==, h);
		check_int(slot_of(&m, &b[0]), ==, h + 1);
		check_int(slot_of(&m, &a[2]), ==, h + 2);
		check_ptr(m.slots[h + 3], ==, NULL);
		check_sound(&m);
	}
	TEST("removing a1: b0 stays at its home, a2 skips past it into the hole") {
		pidmap_del(&m, &a[1]);
		check_int(slot_of(&m, &b[0]), ==, h + 1);
		check_int(slot_of(&m, &a[2]), ==, h);
		check_ptr(m.slots[h + 2], ==, NULL);
		check_sound(&m);
	}
	TEST("a record at its home is never moved before it") {
		pidmap_put(&m, &b[1]);
		check_int(slot_of(&m, &b[1]), ==, h + 2);
		pidmap_del(&m, &a[2]);
		check_ptr(m.slots[h], ==, NULL);
		check_int(slot_of(&m, &b[0]), ==, h + 1);
		check_int(slot_of(&m, &b[1]), ==, h + 2);
		check_sound(&m);
	}
	pidmap_free(&m);
}

static void test_growth(void)
{
	struct pidmap m = { 0 };
	struct proc_rec r[200];
	size_t i;

	for (i = 0; i < 200; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].pid = (pid_t)(4000 + i);
	}
	TEST("at most half full: 32 records in 64 slots, the 33rd doubles them") {
		for (i = 0; i < 32; i++)
			pidmap_put(&m, &r[i]);
		check_u64(m.cap, ==, 64);
		pidmap_put(&m, &r[32]);
		check_u64(m.cap, ==, 128);
		check_sound(&m);
	}
	TEST("200 records: 512 slots, every one found after each doubling") {
		for (i = 33; i < 200; i++)
			pidmap_put(&m, &r[i]);
		check_u64(m.cap, ==, 512);
		check_u64(m.n, ==, 200);
		for (i = 0; i < 200; i++)
			if (!check_ptr(pidmap_find(&m, r[i].pid), ==, &r[i]))
				break;
		check_sound(&m);
	}
	TEST("removal never shrinks the table") {
		for (i = 0; i < 200; i++)
			pidmap_del(&m, &r[i]);
		check_u64(m.cap, ==, 512);
		check_u64(m.n, ==, 0);
		for (i = 0; i < m.cap; i++)
			if (!check_ptr(m.slots[i], ==, NULL))
				break;
	}
	pidmap_free(&m);
}

/* A pid freed and handed out again: the old record (records outlive their
 * processes) is gone from the map, the new one is found, and removing the
 * old one again removes nothing. */
static void test_pid_reuse(void)
{
	struct pidmap m = { 0 };
	struct proc_rec old = { .pid = 777 }, young = { .pid = 777 },
			other = { .pid = 778 };

	TEST("a pid used again: the new record is found, not the old") {
		pidmap_put(&m, &old);
		pidmap_put(&m, &other);
		pidmap_del(&m, &old);
		check_ptr(pidmap_find(&m, 777), ==, NULL);
		pidmap_put(&m, &young);
		check_ptr(pidmap_find(&m, 777), ==, &young);
	}
	TEST("removing the old record again leaves the new one") {
		pidmap_del(&m, &old);
		check_ptr(pidmap_find(&m, 777), ==, &young);
		check_ptr(pidmap_find(&m, 778), ==, &other);
		check_u64(m.n, ==, 2);
	}
	pidmap_free(&m);
}

static bool in_use(struct proc_rec *const *live, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (live[i]->pid == pid)
			return true;
	return false;
}

/* Many puts and removals in a scattered order, against a plain list. */
static void test_churn(void)
{
	enum { N = 3000 };
	struct proc_rec **live = calloc(N, sizeof(*live));
	struct pidmap m = { 0 };
	uint32_t seed = 7;
	size_t n = 0, i, round;
	pid_t next_pid = 300;

	if (!live)
		return;
	for (round = 0; round < 4; round++)
		TEST("churn, round %zu: the map holds just the live records", round) {
			/* Pids handed out in increasing order, wrapping back
			 * to 300 past a pid_max of 4300 and skipping those in
			 * use, as the kernel does: freed pids come back. */
			while (n < N - N / 4) {
				while (in_use(live, n, next_pid))
					next_pid = next_pid >= 4299 ? 300 : next_pid + 1;
				live[n] = rec(next_pid);
				if (!live[n])
					break;
				pidmap_put(&m, live[n++]);
				next_pid = next_pid >= 4299 ? 300 : next_pid + 1;
			}
			for (i = 0; i < N / 2 && n; i++) {
				size_t k;

				seed = seed * 1103515245u + 12345u;
				k = (seed >> 8) % n;
				pidmap_del(&m, live[k]);
				free(live[k]);
				live[k] = live[--n];
			}
			check_u64(m.n, ==, n);
			for (i = 0; i < n; i++)
				if (!check_ptr(pidmap_find(&m, live[i]->pid), ==, live[i]))
					break;
			check_sound(&m);
		}
	for (i = 0; i < n; i++)
		free(live[i]);
	free(live);
	pidmap_free(&m);
}

int main(void)
{
	test_basics();
	test_wraparound();
	test_backshift();
	test_growth();
	test_pid_reuse();
	test_churn();
	return tap_done();
}
