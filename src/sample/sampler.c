/* sample/sampler.c - reading the tree's memory each tick, in three tiers
 *
 * Fast tier, every tick, every process: statm through a kept descriptor
 * (about 1 us). It gives rss and its anon/file+shmem split, exact at read
 * time since Linux 6.16 (earlier kernels cache per-CPU or per-thread deltas;
 * see memwatch(1), PRECISION).
 * Status tier: status and stat (about 10 us together), for VmHWM, VmSwap,
 * RssShmem, the name (which changes on exec) and the CPU time. Read at a
 * process's first sample, whenever statm's shared count moves (shared memory
 * mapped or dropped, which status splits from file pages), and otherwise
 * once per interval but at most every 50 ms: VmHWM is the process's exact
 * peak, which sampling alone misses between ticks, and it is gone with the
 * process, so it is read while it can be.
 * Deep tier: smaps_rollup, which walks the page tables under the mmap lock
 * (about 11 ms per GiB resident) to give pss, uss, swap pss and LazyFree.
 * It runs under a CPU budget (a token bucket): for processes never read
 * first, then for those whose fast-tier numbers moved, then for those with
 * something new to show, oldest first: a process that has run since its
 * last read may have freed pages lazily (MADV_FREE) or broken copy-on-write
 * sharing, which no counter shows, and one whose relatives exited or forked
 * has a new share of the pages they shared. Such a process is read again
 * once per interval if the budget allows; any process at least every 5 s.
 * And everyone at checkpoints.
 *
 * Between deep reads each process's deep metrics are estimated from its
 * fast-tier change since the last deep read, with an uncertainty: how much
 * of the estimate no page walk has confirmed (estimate.c). A sample that
 * would set a new tree peak while uncertain is confirmed first by deep
 * reads of the most uncertain processes, which may borrow up to a second
 * of budget: peaks are where an estimate would do the most harm, because
 * the maximum over samples picks out overestimates. */
#include "config.h"

#include "sample/sampler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sample/estimate.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* A process proven idle since its last walk is walked again after this
 * long at the least (kernel work such as reclaim or a THP collapse can
 * still move it); one that may have run unseen (a thread other than its
 * main one) after DEEP_UNSEEN_NS. */
#define DEEP_REFRESH_NS 5000000000ULL
#define DEEP_UNSEEN_NS 1000000000ULL

/* Ticks during which a process is checked for the preload. */
#define PRELOAD_CHECKS 8
/* Ticks at which a process's command line is looked for again when an
 * exec has not written it yet. */
#define NAME_RETRIES 3

/* Cost guess for a process never read: fixed part plus the page walk. */
#define DEEP_FIXED_NS 20000ULL
#define DEEP_NS_PER_MIB 11000ULL	/* ~11 ms per GiB */

uint64_t sampler_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A second of budget: the bucket's burst and its debt limit. */
static int64_t budget_second_ns(const struct sampler *s)
{
	return (int64_t)(1000000000ULL / 10000 * s->opts.deep_budget_bp);
}

void sampler_init(struct sampler *s, const struct sampler_opts *opts)
{
	memset(s, 0, sizeof(*s));
	s->opts = *opts;
	s->status_period_ns = opts->interval_ns > SAMPLER_STATUS_MIN_NS ?
		opts->interval_ns : SAMPLER_STATUS_MIN_NS;
	/* Start full, so the first ticks read every small process at once. */
	s->tokens_ns = budget_second_ns(s);
}

void sampler_destroy(struct sampler *s)
{
	free(s->pick);
	s->pick = NULL;
	s->pick_cap = 0;
}

/* An exited process not yet reaped: take its exit status if it is a
 * zombie by now. */
static void read_zombie_status(struct proc_rec *r)
{
	struct probe_ident id;

	if (r->wait_status < 0 && probe_ident(r->probe, &id) && id.wait_status >= 0)
		r->wait_status = id.wait_status;
}

/* The process is gone: reaped by its parent (its descriptors no longer
 * resolve), or a zombie (it has released its memory on the way out). */
static void gone(struct tree *t, struct proc_rec *r, uint64_t now_ns)
{
	struct probe_ident id;

	tree_mark_exited(t, r, now_ns, -1);
	if (probe_ident(r->probe, &id))
		read_zombie_status(r);
	else
		tree_forget(t, r);
}

/* A process sharing its parent's address space stops sharing when it
 * execs (or its owner is gone): from then on it is counted on its own. */
static void check_mm_owner(struct proc_rec *r)
{
	struct proc_rec *o = r->mm_owner;

	if (o && (!o->alive || !o->probe || probe_same_mm(o->probe, r->probe) != 1))
		r->mm_owner = NULL;
}

/* Fast tier: read statm; notice exits and execs. Returns false if the
 * process is gone. */
static bool read_fast(struct sampler *s, struct tree *t, struct proc_rec *r,
		      uint64_t now_ns)
{
	struct probe_fast f;

	/* A live process always has resident pages; none (or no statm at
	 * all) means its memory is gone, unless only its main thread exited
	 * (pthread_exit): then a live thread's files have the numbers. */
	if ((!probe_fast(r->probe, &f) || !f.rss_bytes) &&
	    !(probe_follow_thread(r->probe) && probe_fast(r->probe, &f) && f.rss_bytes)) {
		gone(t, r, now_ns);
		return false;
	}
	s->stats.fast_reads++;
	r->smp.fast = f;
	if (r->mm_owner)
		check_mm_owner(r);
	/* The dynamic linker maps LD_PRELOAD after exec returns, so a young
	 * process is looked at again until the library shows up, for a few
	 * ticks; a static binary never maps it. */
	if (t->preload && r->preload < 0 && r->samples < PRELOAD_CHECKS)
		tree_check_preload(t, r, r->samples + 1 == PRELOAD_CHECKS);
	/* An exec usually changes the text size; a check is also due once
	 * after discovery (see rec_new). Halfway through an exec the new
	 * program is not mapped yet (text 0: wait for it) or its command
	 * line not yet written (look again next tick, a few times at most). */
	if (f.text_pages &&
	    ((r->smp.names_text && f.text_pages != r->smp.names_text) ||
	     (r->smp.name_check_ns && now_ns >= r->smp.name_check_ns))) {
		r->smp.name_check_ns = 0;
		if (!tree_refresh_names(t, r) && r->smp.name_retries < NAME_RETRIES) {
			r->smp.name_retries++;
			r->smp.name_check_ns = now_ns + 1;
		}
	}
	if (f.text_pages)
		r->smp.names_text = f.text_pages;
	return true;
}

static void read_status(struct sampler *s, struct tree *t, struct proc_rec *r,
			uint64_t now_ns)
{
	struct probe_status st;

	if (!probe_status(r->probe, &st))
		return;
	s->stats.status_reads++;
	/* An exec that keeps the program (a self re-exec) changes neither its
	 * name nor its text size, but starts a new address space, whose VmHWM
	 * starts anew: a VmHWM lower than the last one read means an exec (or
	 * a reset through clear_refs, which costs one more read). */
	if (r->smp.has_status && (strcmp(st.name, r->smp.status.name) != 0 ||
			      st.hwm_bytes < r->smp.status.hwm_bytes ||
			      r->smp.name_recheck)) {
		r->smp.name_recheck = false;
		tree_refresh_names(t, r);
	}
	r->smp.status = st;
	r->smp.has_status = true;
	r->smp.shared_at_status = r->smp.fast.file_shmem_bytes;
	/* VmHWM of a process sharing another's address space is that one's. */
	if (st.hwm_bytes > r->hwm_bytes && !r->mm_owner)
		r->hwm_bytes = st.hwm_bytes;
	if (r->phase_vmhwm_ok && st.hwm_bytes > r->phase_hwm_bytes && !r->mm_owner)
		r->phase_hwm_bytes = st.hwm_bytes;
	/* A peak above every sample of the process (by 5%, and 1 MiB) came
	 * and went between two ticks: the cadence samples densely for a
	 * while, so that the next one is caught. */
	if (!r->mm_owner && st.hwm_bytes > r->smp.hwm_missed_bytes) {
		uint64_t seen = r->rss_max_bytes > r->smp.fast.rss_bytes ?
			r->rss_max_bytes : r->smp.fast.rss_bytes;
		uint64_t margin = seen / 20 > (1 << 20) ? seen / 20 : (1 << 20);

		if (st.hwm_bytes > seen + margin) {
			s->missed_peak = true;
			r->smp.hwm_missed_bytes = st.hwm_bytes;
		}
	}
	r->smp.next_status_ns = now_ns + s->status_period_ns;
}

static void read_deep(struct sampler *s, struct tree *t, struct proc_rec *r,
		      uint64_t now_ns)
{
	uint64_t c0 = sampler_thread_cpu_ns(), cost;
	struct probe_deep d;
	bool ok = probe_deep(r->probe, &d);

	cost = sampler_thread_cpu_ns() - c0;
	s->stats.deep_cpu_ns += cost;
	s->tokens_ns -= (int64_t)cost;
	r->smp.deep_at_ns = now_ns;
	if (!ok) {
		if (errno == EACCES || errno == EPERM) {
			r->deep_denied = true;
			s->stats.deep_denied++;
		}
		return;
	}
	s->stats.deep_reads++;
	if (cost > s->stats.deep_max_cpu_ns)
		s->stats.deep_max_cpu_ns = cost;
	r->smp.deep_cost_ns = cost;
	/* The process's relatives hold a new share of pages it moved between
	 * shared and private, unseen by their own counters. */
	if (estimate_sharing_moved(r, &d))
		tree_relatives_stale(t, r);
	estimate_walked(r, &d, s->tree_shmem);
	r->smp.cpu_ticks_at_deep = r->smp.status.cpu_ticks;
	r->smp.main_run_ns_at_deep = r->smp.status.main_run_ns;
	r->smp.deep_stale = false;
}

static uint64_t deep_cost_guess(const struct proc_rec *r)
{
	if (r->smp.has_deep)
		return r->smp.deep_cost_ns;
	return DEEP_FIXED_NS + r->smp.fast.rss_bytes / (1024 * 1024) * DEEP_NS_PER_MIB;
}

/* Whether the budget allows this read: scheduled reads need the tokens in
 * hand; urgent ones (never read, peak confirmation) may borrow up to a
 * second of budget. */
static bool affordable(const struct sampler *s, const struct proc_rec *r,
		       bool may_borrow)
{
	int64_t cost = (int64_t)deep_cost_guess(r);

	if (may_borrow)
		return s->tokens_ns - cost >= -budget_second_ns(s);
	return cost <= s->tokens_ns;
}

static bool deep_candidate(const struct proc_rec *r, uint64_t now_ns)
{
	return r->alive && !r->deep_denied && !r->mm_owner &&
	       r->smp.deep_at_ns != now_ns;
}

/* Whether a page walk may show something the counters cannot: the process
 * ran since its last walk (CPU time moved: it may have freed pages lazily
 * or written to pages shared since a fork), or a relative exited or forked. */
static bool may_have_changed(const struct proc_rec *r)
{
	return r->smp.deep_stale || r->smp.status.cpu_ticks != r->smp.cpu_ticks_at_deep ||
	       r->smp.status.main_run_ns != r->smp.main_run_ns_at_deep;
}

/* Whether the process is known not to have run since its last walk: its
 * only thread's CPU time, to the nanosecond, has not moved. (Another
 * thread's brief work shows only in stat's 10 ms ticks, if at all.) */
static bool proven_idle(const struct proc_rec *r)
{
	return !may_have_changed(r) && r->smp.status.threads == 1 && r->smp.status.main_run_ns;
}

static int by_deep_age(const void *a, const void *b)
{
	const struct proc_rec *x = *(struct proc_rec *const *)a;
	const struct proc_rec *y = *(struct proc_rec *const *)b;

	return x->smp.deep_at_ns < y->smp.deep_at_ns ? -1 : x->smp.deep_at_ns > y->smp.deep_at_ns;
}

/* A list of the tree's live processes to sort, kept between ticks. */
static struct proc_rec **pick_list(struct sampler *s, const struct tree *t)
{
	xgrow(&s->pick, &s->pick_cap, t->n_live + 1, sizeof(*s->pick));
	return s->pick;
}

/* Re-read, oldest first, the processes that may have changed and were not
 * read in the last interval, and any not read for DEEP_REFRESH_NS, while
 * the budget lasts. */
static void deep_refresh(struct sampler *s, struct tree *t, uint64_t now_ns)
{
	struct proc_rec **v;
	size_t n = 0, i;

	if (s->tokens_ns <= 0)
		return;
	v = pick_list(s, t);
	for (i = 0; i < t->n_live; i++) {
		struct proc_rec *r = t->live[i];
		uint64_t age = now_ns - r->smp.deep_at_ns;

		/* A relative that exited or forked changed its share at once:
		 * it is read now, not an interval later. One that ran is read
		 * once an interval; one that may have run unseen once a
		 * second; one proven idle every DEEP_REFRESH_NS. */
		if (deep_candidate(r, now_ns) && r->smp.has_deep &&
		    (r->smp.deep_stale ||
		     (may_have_changed(r) && age >= s->opts.interval_ns) ||
		     (!proven_idle(r) && age >= DEEP_UNSEEN_NS) ||
		     age >= DEEP_REFRESH_NS))
			v[n++] = r;
	}
	qsort(v, n, sizeof(*v), by_deep_age);
	for (i = 0; i < n && affordable(s, v[i], false); i++) {
		read_deep(s, t, v[i], now_ns);
		s->stats.refresh_reads++;
	}
}

/* Spend the deep tier's budget: never-read processes first, then those
 * that moved by more than 1/16 (and 64 KiB) since their last read, then
 * those that may have changed unseen (deep_refresh). Stops at the first it
 * cannot afford, so a large process is not starved by small ones. */
static void deep_tier(struct sampler *s, struct tree *t, uint64_t now_ns)
{
	uint64_t max_cost;
	int64_t cap;
	int level;
	size_t i;

	if (!s->opts.deep_budget_bp)
		return;
	if (s->last_ns && now_ns > s->last_ns)
		s->tokens_ns += (int64_t)((now_ns - s->last_ns) / 10000 *
					  s->opts.deep_budget_bp);
	/* Bank at most a second of budget, but enough for the costliest
	 * read, or it would never be affordable: the costliest so far, and
	 * the guess for the largest process not read yet. */
	cap = budget_second_ns(s);
	max_cost = s->stats.deep_max_cpu_ns;
	for (i = 0; i < t->n_live; i++)
		if (!t->live[i]->smp.has_deep && deep_cost_guess(t->live[i]) > max_cost)
			max_cost = deep_cost_guess(t->live[i]);
	if ((int64_t)(2 * max_cost) > cap)
		cap = (int64_t)(2 * max_cost);
	if (s->tokens_ns > cap)
		s->tokens_ns = cap;

	for (level = 2; level >= 1; level--) {
		for (i = 0; i < t->n_live; i++) {
			struct proc_rec *r = t->live[i];

			if (!deep_candidate(r, now_ns))
				continue;
			if (level == 2 && r->smp.has_deep)
				continue;
			if (level == 1) {
				uint64_t u = estimate_uncertain_bytes(r, s->tree_shmem);

				if (!r->smp.has_deep || u <= estimate_fast_bytes(r) / 16 || u <= 65536)
					continue;
			}
			if (!affordable(s, r, level == 2))
				return;
			read_deep(s, t, r, now_ns);
		}
	}
	deep_refresh(s, t, now_ns);
}

static void sum_tree(struct sampler *s, struct tree *t, uint64_t now_ns,
		     struct sample *out)
{
	size_t i;

	memset(&out->sum, 0, sizeof(out->sum));
	out->processes = 0;
	out->deep_reads = 0;
	out->deep_denied = 0;
	out->deep_age_ns = 0;
	out->shmem_share_bytes = 0;
	out->uncertain_bytes = 0;
	out->deep_complete = true;
	for (i = 0; i < t->n_live; i++) {
		struct proc_rec *r = t->live[i];

		if (!r->alive)
			continue;
		out->processes++;
		r->samples++;
		if (r->mm_owner) {
			/* Its memory is its owner's, counted there. */
			memset(&r->now, 0, sizeof(r->now));
			continue;
		}
		estimate_derive(r, s->tree_shmem);
		mem_add(&out->sum, &r->now);
		out->shmem_share_bytes += r->shmem_share_bytes;
		if (r->now.rss_bytes > r->hwm_bytes)
			r->hwm_bytes = r->now.rss_bytes;
		if (r->now.rss_bytes > r->phase_hwm_bytes)
			r->phase_hwm_bytes = r->now.rss_bytes;
		if (r->now.rss_bytes > r->rss_max_bytes)
			r->rss_max_bytes = r->now.rss_bytes;
		if (r->now.footprint_bytes > r->peak_footprint_bytes)
			r->peak_footprint_bytes = r->now.footprint_bytes;
		out->uncertain_bytes += r->smp.uncertain_bytes;
		if (r->deep_denied)
			out->deep_denied++;
		/* Values of a process proven not to have run since its walk
		 * are as good as new. */
		if (!r->smp.has_deep)
			out->deep_age_ns = UINT64_MAX;
		else if (!proven_idle(r) && now_ns - r->smp.deep_at_ns > out->deep_age_ns)
			out->deep_age_ns = now_ns - r->smp.deep_at_ns;
		if (r->smp.deep_at_ns == now_ns && r->smp.has_deep)
			out->deep_reads++;
		else
			out->deep_complete = false;
	}
}

static int by_uncertainty(const void *a, const void *b)
{
	const struct proc_rec *x = *(struct proc_rec *const *)a;
	const struct proc_rec *y = *(struct proc_rec *const *)b;

	return x->smp.uncertain_bytes < y->smp.uncertain_bytes ? 1 :
	       x->smp.uncertain_bytes > y->smp.uncertain_bytes ? -1 : 0;
}

/* A new peak whose sum is not confirmed within max(0.5%, 512 KiB): read
 * the most uncertain processes until it is, or the debt limit is hit. */
static void confirm_peak(struct sampler *s, struct tree *t, uint64_t now_ns,
			 struct sample *out)
{
	uint64_t tolerance = out->sum.footprint_bytes / 200;
	struct proc_rec **v;
	uint64_t left;
	size_t i, n = 0;

	if (tolerance < 512 * 1024)
		tolerance = 512 * 1024;
	if (out->uncertain_bytes <= tolerance || !s->opts.deep_budget_bp)
		return;
	v = pick_list(s, t);
	for (i = 0; i < t->n_live; i++)
		if (deep_candidate(t->live[i], now_ns) && t->live[i]->smp.uncertain_bytes)
			v[n++] = t->live[i];
	qsort(v, n, sizeof(*v), by_uncertainty);
	left = out->uncertain_bytes;
	for (i = 0; i < n && left > tolerance; i++) {
		if (!affordable(s, v[i], true))
			break;
		left -= v[i]->smp.uncertain_bytes;
		read_deep(s, t, v[i], now_ns);
		s->stats.confirm_reads++;
	}
	sum_tree(s, t, now_ns, out);
}

/* The status tier for one process if due, and its shmem into the tree's:
 * due on its schedule, and at once when statm's shared pages moved, which
 * may be shared memory that status alone splits from file pages. */
static void status_if_due(struct sampler *s, struct tree *t, struct proc_rec *r,
			  uint64_t now_ns)
{
	if (now_ns >= r->smp.next_status_ns ||
	    r->smp.fast.file_shmem_bytes != r->smp.shared_at_status) {
		uint64_t c0 = clock_mono_ns();

		read_status(s, t, r, now_ns);
		s->stats.status_ns += clock_mono_ns() - c0;
	}
	if (!r->mm_owner)
		s->tree_shmem += estimate_shmem_bytes(r);
}

void sampler_tick(struct sampler *s, struct tree *t, uint64_t now_ns,
		  bool deep_all, uint64_t confirm_above_bytes,
		  struct sample *out)
{
	uint64_t c0, c1, c2, status0, status1;
	size_t i, before;

	/* The sections are timed on the monotonic clock (no system call):
	 * they never block, so it measures what they take from the CPU. */
	c0 = clock_mono_ns();
	status0 = s->stats.status_ns;
	s->tree_shmem = 0;
	s->missed_peak = false;
	/* Fast tier first, so exited processes leave the pid map before
	 * discovery looks for new ones. */
	for (i = t->n_live; i-- > 0;) {
		struct proc_rec *r = t->live[i];
		struct probe_ident id;

		if (r->alive) {
			if (read_fast(s, t, r, now_ns))
				status_if_due(s, t, r, now_ns);
		} else if (!probe_ident(r->probe, &id)) {
			tree_forget(t, r);	/* a zombie, now reaped */
		} else {
			read_zombie_status(r);
		}
	}
	c1 = clock_mono_ns();
	status1 = s->stats.status_ns;
	before = t->n_all;
	tree_discover(t, now_ns);
	for (i = before; i < t->n_all; i++) {
		struct proc_rec *r = t->all[i], *parent;

		if (!r->probe)
			continue;
		/* A vfork child, or a clone sharing the parent's address space:
		 * the same memory, to be counted once. */
		parent = tree_find(t, r->ppid);
		if (parent && parent->alive && parent->probe &&
		    probe_same_mm(parent->probe, r->probe) == 1)
			r->mm_owner = parent->mm_owner ? parent->mm_owner : parent;
		if (!read_fast(s, t, r, now_ns))
			continue;
		status_if_due(s, t, r, now_ns);
		/* After a fork, the parent's private pages are shared with
		 * the child until either writes or execs: the parent's share
		 * halves without its counters moving. */
		if (parent && parent->smp.has_deep && !r->mm_owner) {
			parent->smp.fork_shared_bytes += r->smp.fast.anon_bytes;
			parent->smp.deep_stale = true;
		}
	}
	c2 = clock_mono_ns();
	/* Each tier on its own account: status reads are timed apart. */
	s->stats.fast_ns += c1 - c0 - (status1 - status0);
	s->stats.discover_ns += c2 - c1 - (s->stats.status_ns - status1);

	if (deep_all)
		for (i = 0; i < t->n_live; i++)
			if (deep_candidate(t->live[i], now_ns))
				read_deep(s, t, t->live[i], now_ns);
	deep_tier(s, t, now_ns);
	s->last_ns = now_ns;

	out->t_ns = now_ns - t->t0_ns;
	out->missed_peak = s->missed_peak;
	sum_tree(s, t, now_ns, out);
	if (!deep_all && out->sum.footprint_bytes > confirm_above_bytes)
		confirm_peak(s, t, now_ns, out);
	s->stats.ticks++;
}
