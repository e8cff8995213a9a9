/* test_estimate.c - a process's deep metrics between page walks, as a
 * specification: what it read at the walk, what its counters say now, and
 * the estimate and uncertainty that follow */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sample/estimate.h"
#include "tap.h"

#define MIB (1024ULL * 1024)
#define KIB 1024ULL

/* The fast and status tiers, in MiB: statm's resident, anonymous and
 * shared (file + shmem) pages, status's RssShmem and VmSwap. */
struct tiers {
	uint64_t rss, anon, shared, shmem, swap;
};

/* A page walk, in MiB. */
struct walk {
	uint64_t pss, pss_anon, pss_shmem, uss, swap, swap_pss, lazyfree;
	bool inexact;	/* Pss_Anon and Pss_Shmem were estimated (old kernels) */
};

/* What follows, in MiB. */
struct want {
	uint64_t footprint, pss, uss, swap, lazyfree, shmem_share, uncertain;
};

struct est_case {
	const char *name;
	bool walked;
	struct tiers at;	/* at the walk */
	struct walk deep;
	struct tiers now;
	uint64_t tree_shmem_at, tree_shmem_now;	/* the whole tree's, MiB */
	uint64_t fork_shared;	/* a child forked since the walk, MiB */
	struct want want;
};

/* A process of 100 MiB resident: 70 anonymous, 30 shared of which 10 are
 * shmem. Its walk: half its shmem is its share, 50 of its 70 anon are its
 * own (the rest shared with a child it forked). */
#define AT { .rss = 100, .anon = 70, .shared = 30, .shmem = 10 }
#define WALK { .pss = 60, .pss_anon = 50, .pss_shmem = 5, .uss = 55 }

static const struct est_case cases[] = {
	{ "never walked: the fast tier's upper bound, all of it uncertain",
	  .now = { .rss = 100, .anon = 70, .shared = 30, .shmem = 10, .swap = 5 },
	  .want = { .footprint = 85, .pss = 100, .uss = 100, .swap = 5,
		    .shmem_share = 10, .uncertain = 85 } },
	{ "walked, nothing moved since: the walk's values, certain",
	  .walked = true, .at = AT, .deep = WALK, .now = AT,
	  .want = { .footprint = 55, .pss = 60, .uss = 55, .shmem_share = 5 } },
	{ "anonymous growth counts as private, whole",
	  .walked = true, .at = AT, .deep = WALK,
	  .now = { .rss = 120, .anon = 90, .shared = 30, .shmem = 10 },
	  .want = { .footprint = 75, .pss = 80, .uss = 75, .shmem_share = 5,
		    .uncertain = 20 } },
	{ "anonymous shrinking comes off its own part",
	  .walked = true, .at = AT, .deep = WALK,
	  .now = { .rss = 90, .anon = 60, .shared = 30, .shmem = 10 },
	  .want = { .footprint = 45, .pss = 50, .uss = 45, .shmem_share = 5,
		    .uncertain = 10 } },
	{ "shrinking below the walk's own part: none left, not negative",
	  .walked = true, .at = AT, .deep = WALK,
	  .now = { .rss = 20, .anon = 10, .shared = 10, .shmem = 10 },
	  .want = { .footprint = 5, .pss = 0, .uss = 0, .shmem_share = 5,
		    .uncertain = 60 } },
	{ "lazily freed pages are not footprint",
	  .walked = true, .at = AT,
	  .deep = { .pss = 60, .pss_anon = 50, .pss_shmem = 5, .uss = 55, .lazyfree = 8 },
	  .now = AT,
	  .want = { .footprint = 47, .pss = 60, .uss = 55, .lazyfree = 8,
		    .shmem_share = 5 } },
	{ "an anon share above the anon resident now is capped at it",
	  .walked = true,
	  .at = { .rss = 100, .anon = 40, .shared = 60, .shmem = 0 },
	  .deep = { .pss = 70, .pss_anon = 50, .uss = 60 },
	  .now = { .rss = 100, .anon = 40, .shared = 60, .shmem = 0 },
	  .want = { .footprint = 40, .pss = 70, .uss = 60 } },
	{ "shmem keeps the share it had at the walk",
	  .walked = true, .at = AT, .deep = WALK,
	  .now = { .rss = 110, .anon = 70, .shared = 40, .shmem = 20 },
	  .want = { .footprint = 60, .pss = 70, .uss = 65, .shmem_share = 10,
		    .uncertain = 10 } },
	{ "an estimated Pss split: shmem counts whole",
	  .walked = true, .at = AT,
	  .deep = { .pss = 60, .pss_anon = 50, .pss_shmem = 5, .uss = 55, .inexact = true },
	  .now = AT,
	  .want = { .footprint = 60, .pss = 60, .uss = 55, .shmem_share = 10 } },
	{ "status's shmem is capped by statm's shared pages",
	  .now = { .rss = 100, .anon = 70, .shared = 30, .shmem = 40 },
	  .want = { .footprint = 100, .pss = 100, .uss = 100, .shmem_share = 30,
		    .uncertain = 100 } },
	{ "the tree's shmem moved: this process's share may have moved too",
	  .walked = true, .at = AT, .deep = WALK, .now = AT,
	  .tree_shmem_at = 30, .tree_shmem_now = 50,
	  .want = { .footprint = 55, .pss = 60, .uss = 55, .shmem_share = 5,
		    .uncertain = 10 } },
	{ "... by no more than this process's shmem",
	  .walked = true, .at = AT, .deep = WALK, .now = AT,
	  .tree_shmem_at = 30, .tree_shmem_now = 33,
	  .want = { .footprint = 55, .pss = 60, .uss = 55, .shmem_share = 5,
		    .uncertain = 3 } },
	{ "swap keeps the proportional share it had",
	  .walked = true,
	  .at = { .rss = 100, .anon = 70, .shared = 30, .shmem = 10, .swap = 10 },
	  .deep = { .pss = 60, .pss_anon = 50, .pss_shmem = 5, .uss = 55, .swap = 10,
		    .swap_pss = 4 },
	  .now = { .rss = 100, .anon = 70, .shared = 30, .shmem = 10, .swap = 20 },
	  .want = { .footprint = 63, .pss = 60, .uss = 55, .swap = 20,
		    .shmem_share = 5, .uncertain = 10 } },
	{ "swapped-out shmem (the walk's Swap beyond VmSwap) at the shmem share",
	  .walked = true,
	  .at = { .rss = 100, .anon = 70, .shared = 30, .shmem = 10, .swap = 10 },
	  .deep = { .pss = 60, .pss_anon = 50, .pss_shmem = 5, .uss = 55, .swap = 12,
		    .swap_pss = 10 },
	  .now = { .rss = 100, .anon = 70, .shared = 30, .shmem = 10, .swap = 10 },
	  .want = { .footprint = 66, .pss = 60, .uss = 55, .swap = 12,
		    .shmem_share = 5 } },
	{ "a child forked since the walk: the parent's pages it now shares",
	  .walked = true, .at = AT, .deep = WALK, .now = AT, .fork_shared = 30,
	  .want = { .footprint = 55, .pss = 60, .uss = 55, .shmem_share = 5,
		    .uncertain = 30 } },
	{ "... no more than the anon the parent has",
	  .walked = true, .at = AT, .deep = WALK, .now = AT, .fork_shared = 500,
	  .want = { .footprint = 55, .pss = 60, .uss = 55, .shmem_share = 5,
		    .uncertain = 70 } },
};

static void set_tiers(struct proc_rec *r, const struct tiers *t)
{
	r->smp.fast.rss_bytes = t->rss * MIB;
	r->smp.fast.anon_bytes = t->anon * MIB;
	r->smp.fast.file_shmem_bytes = t->shared * MIB;
	r->smp.status.shmem_bytes = t->shmem * MIB;
	r->smp.status.swap_bytes = t->swap * MIB;
}

static void test_table(void)
{
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		TEST("%s", cases[k].name) {
			const struct est_case *c = &cases[k];
			const struct want *w = &c->want;
			struct proc_rec r;

			memset(&r, 0, sizeof(r));
			if (c->walked) {
				struct probe_deep d = {
					.rss_bytes = c->at.rss * MIB,
					.pss_bytes = c->deep.pss * MIB,
					.pss_anon_bytes = c->deep.pss_anon * MIB,
					.pss_shmem_bytes = c->deep.pss_shmem * MIB,
					.uss_bytes = c->deep.uss * MIB,
					.swap_bytes = c->deep.swap * MIB,
					.swap_pss_bytes = c->deep.swap_pss * MIB,
					.lazyfree_bytes = c->deep.lazyfree * MIB,
					.exact_pss_split = !c->deep.inexact,
				};

				set_tiers(&r, &c->at);
				estimate_walked(&r, &d, c->tree_shmem_at * MIB);
			}
			set_tiers(&r, &c->now);
			r.smp.fork_shared_bytes = c->fork_shared * MIB;
			estimate_derive(&r, c->tree_shmem_now * MIB);
			check_u64(r.now.footprint_bytes, ==, w->footprint * MIB);
			check_u64(r.now.pss_bytes, ==, w->pss * MIB);
			check_u64(r.now.uss_bytes, ==, w->uss * MIB);
			check_u64(r.now.swap_bytes, ==, w->swap * MIB);
			check_u64(r.now.lazyfree_bytes, ==, w->lazyfree * MIB);
			check_u64(r.shmem_share_bytes, ==, w->shmem_share * MIB);
			check_u64(r.smp.uncertain_bytes, ==, w->uncertain * MIB);
			check_u64(estimate_uncertain_bytes(&r, c->tree_shmem_now * MIB), ==,
				  w->uncertain * MIB);
			/* The fast tier's own values are the tick's, as read. */
			check_u64(r.now.rss_bytes, ==, c->now.rss * MIB);
			check_u64(r.now.anon_bytes, ==, c->now.anon * MIB);
			check_u64(r.now.shmem_bytes + r.now.file_bytes, ==,
				  c->now.shared * MIB);
		}
}

/* --- a new walk against the last: did sharing move? ----------------------
 * Private pages (uss) moving otherwise than resident ones (rss), by more
 * than a sixteenth of rss and 64 KiB: a copy-on-write break, or a sharer
 * gone. */

static const struct {
	const char *name;
	bool walked_before;
	uint64_t rss_before_kib, uss_before_kib, rss_kib, uss_kib;
	bool want;
} moves[] = {
	{ "the first walk: nothing to compare", false, 0, 0, 102400, 51200, false },
	{ "private growth with rss: not sharing", true,
	  102400, 51200, 112640, 61440, false },
	{ "10 MiB turned private of 100 MiB: moved", true,
	  102400, 51200, 102400, 61440, true },
	{ "10 MiB turned shared of 100 MiB: moved", true,
	  102400, 51200, 102400, 40960, true },
	{ "5 MiB of 100 MiB: within a sixteenth", true,
	  102400, 51200, 102400, 56320, false },
	{ "6.25 MiB of 100 MiB: a sixteenth exactly is within", true,
	  102400, 51200, 102400, 57600, false },
	{ "a small process: 64 KiB at least", true, 1024, 512, 1024, 576, false },
	{ "... and beyond it, moved", true, 1024, 512, 1024, 580, true },
};

static void test_sharing_moved(void)
{
	size_t k;

	for (k = 0; k < sizeof(moves) / sizeof(moves[0]); k++)
		TEST("sharing: %s", moves[k].name) {
			struct proc_rec r;
			struct probe_deep d = {
				.rss_bytes = moves[k].rss_kib * KIB,
				.uss_bytes = moves[k].uss_kib * KIB,
			};

			memset(&r, 0, sizeof(r));
			r.smp.has_deep = moves[k].walked_before;
			r.smp.deep.rss_bytes = moves[k].rss_before_kib * KIB;
			r.smp.deep.uss_bytes = moves[k].uss_before_kib * KIB;
			check_int(estimate_sharing_moved(&r, &d), ==, moves[k].want);
		}
}

static void test_walked(void)
{
	TEST("a walk is the base: the tiers as they were, the fork's sharing in it") {
		struct tiers at = { .rss = 100, .anon = 70, .shared = 30, .shmem = 40,
				    .swap = 3 };
		struct probe_deep d = { .pss_bytes = 1 };
		struct proc_rec r;

		memset(&r, 0, sizeof(r));
		set_tiers(&r, &at);
		r.smp.fork_shared_bytes = 5 * MIB;
		estimate_walked(&r, &d, 77 * MIB);
		check(r.smp.has_deep);
		check_u64(r.smp.deep.pss_bytes, ==, 1);
		check_u64(r.smp.rss_at_deep, ==, 100 * MIB);
		check_u64(r.smp.anon_at_deep, ==, 70 * MIB);
		check_u64(r.smp.shmem_at_deep, ==, 30 * MIB);	/* capped by shared */
		check_u64(r.smp.swap_at_deep, ==, 3 * MIB);
		check_u64(r.smp.tree_shmem_at_deep, ==, 77 * MIB);
		check_u64(r.smp.fork_shared_bytes, ==, 0);
	}
	TEST("the fast tier's upper bound: anon + shmem + swap") {
		struct tiers now = { .rss = 100, .anon = 70, .shared = 30, .shmem = 10,
				     .swap = 5 };
		struct proc_rec r;

		memset(&r, 0, sizeof(r));
		set_tiers(&r, &now);
		check_u64(estimate_fast_bytes(&r), ==, 85 * MIB);
		check_u64(estimate_shmem_bytes(&r), ==, 10 * MIB);
	}
}

int main(void)
{
	test_table();
	test_sharing_moved();
	test_walked();
	return tap_done();
}
