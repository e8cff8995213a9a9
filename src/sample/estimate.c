/* sample/estimate.c - a process's deep metrics between page walks
 *
 * A page walk (the deep tier, smaps_rollup) is costly, so between walks
 * each process's deep metrics are estimated from its fast-tier change since
 * the last walk: anonymous growth counts as private (new pages are), shmem
 * and swap keep the share they had. Each process carries an uncertainty:
 * how much of its estimate has not been confirmed by a page walk. The
 * sampler decides when to walk (the most uncertain first at a new peak);
 * this file only computes, from the values a process record holds. */
#include "config.h"

#include "sample/estimate.h"

static uint64_t sub_clamp(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static uint64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Status is older than statm, and shmem cannot exceed what statm says is
 * resident and shared. */
uint64_t estimate_shmem_bytes(const struct proc_rec *r)
{
	return min_u64(r->smp.status.shmem_bytes, r->smp.fast.file_shmem_bytes);
}

/* Resident anon + shmem + swap, before sharing is divided and lazily freed
 * pages are removed. */
uint64_t estimate_fast_bytes(const struct proc_rec *r)
{
	return r->smp.fast.anon_bytes + estimate_shmem_bytes(r) + r->smp.status.swap_bytes;
}

/* The base the estimates move from: what the walk saw, and the fast and
 * status tiers' values at the time. A fork's sharing is in the walk now. */
void estimate_walked(struct proc_rec *r, const struct probe_deep *d,
		     uint64_t tree_shmem_bytes)
{
	r->smp.deep = *d;
	r->smp.has_deep = true;
	r->smp.rss_at_deep = r->smp.fast.rss_bytes;
	r->smp.anon_at_deep = r->smp.fast.anon_bytes;
	r->smp.shmem_at_deep = estimate_shmem_bytes(r);
	r->smp.swap_at_deep = r->smp.status.swap_bytes;
	r->smp.tree_shmem_at_deep = tree_shmem_bytes;
	r->smp.fork_shared_bytes = 0;
}

/* All of the estimate if never walked; else the fast tier's movement
 * since, plus the shmem if the tree's shmem moved (another process mapping
 * or dropping shared pages changes this one's share without changing its
 * own numbers). */
uint64_t estimate_uncertain_bytes(const struct proc_rec *r,
				  uint64_t tree_shmem_bytes)
{
	uint64_t u, shm = estimate_shmem_bytes(r);

	if (!r->smp.has_deep)
		return estimate_fast_bytes(r);
	u = absdiff(r->smp.fast.anon_bytes, r->smp.anon_at_deep) +
	    absdiff(shm, r->smp.shmem_at_deep) +
	    absdiff(r->smp.status.swap_bytes, r->smp.swap_at_deep);
	if (shm && tree_shmem_bytes != r->smp.tree_shmem_at_deep)
		u += min_u64(shm, absdiff(tree_shmem_bytes, r->smp.tree_shmem_at_deep));
	return u + min_u64(r->smp.fork_shared_bytes, r->smp.fast.anon_bytes);
}

/* Pages moved between shared and private beyond what rss explains: a
 * copy-on-write break, or a sharer gone. */
bool estimate_sharing_moved(const struct proc_rec *r,
			    const struct probe_deep *d)
{
	int64_t priv = (int64_t)d->uss_bytes - (int64_t)r->smp.deep.uss_bytes;
	int64_t rss = (int64_t)d->rss_bytes - (int64_t)r->smp.deep.rss_bytes;
	int64_t moved = priv - rss;
	uint64_t limit = d->rss_bytes / 16;

	if (moved < 0)
		moved = -moved;
	return r->smp.has_deep && (uint64_t)moved > (limit > 65536 ? limit : 65536);
}

/* The share of swapped-out shared memory (smaps_rollup's Swap counts it,
 * VmSwap, swap entries in the page tables, which shmem pages never have,
 * does not) that is this process's. The kernel does not say; the process's
 * share of its resident shmem stands in, else it counts whole. */
static uint64_t shmem_swap_share(const struct proc_rec *r, uint64_t swapped)
{
	const struct probe_deep *d = &r->smp.deep;

	if (!swapped || !r->smp.shmem_at_deep || !d->exact_pss_split)
		return swapped;
	return min_u64(swapped, (uint64_t)((double)swapped *
			(double)d->pss_shmem_bytes / (double)r->smp.shmem_at_deep));
}

/* From the freshest tier of each metric: the fast tier's own values, and
 * the walk's moved by the fast tier's change since. */
void estimate_derive(struct proc_rec *r, uint64_t tree_shmem_bytes)
{
	struct mem *m = &r->now;
	const struct probe_deep *d = &r->smp.deep;
	uint64_t shm = estimate_shmem_bytes(r);
	uint64_t anon_fp, shmem_fp, swap_fp, shmem_swap;

	m->rss_bytes = r->smp.fast.rss_bytes;
	m->anon_bytes = r->smp.fast.anon_bytes;
	m->shmem_bytes = shm;
	m->file_bytes = r->smp.fast.file_shmem_bytes - shm;
	m->swap_bytes = r->smp.status.swap_bytes;
	r->smp.uncertain_bytes = estimate_uncertain_bytes(r, tree_shmem_bytes);
	r->shmem_share_bytes = shm;
	if (!r->smp.has_deep) {
		/* Nothing proportional known yet: the upper bound. */
		m->pss_bytes = m->rss_bytes;
		m->uss_bytes = m->rss_bytes;
		m->lazyfree_bytes = 0;
		m->footprint_bytes = estimate_fast_bytes(r);
		return;
	}
	/* LazyFree pages are exclusively mapped private anon (MADV_FREE skips
	 * shared folios), so their PSS is whole and subtracting them is exact. */
	anon_fp = sub_clamp(d->pss_anon_bytes, d->lazyfree_bytes);
	anon_fp = m->anon_bytes >= r->smp.anon_at_deep ?
		anon_fp + (m->anon_bytes - r->smp.anon_at_deep) :
		sub_clamp(anon_fp, r->smp.anon_at_deep - m->anon_bytes);
	anon_fp = min_u64(anon_fp, m->anon_bytes);
	/* Shared memory keeps the share it had at the walk. The status read
	 * is never older than statm's last move of shmem, so it caps nothing
	 * it has not seen. */
	shmem_fp = shm;
	if (r->smp.shmem_at_deep && d->exact_pss_split)
		shmem_fp = min_u64(shm, (uint64_t)((double)shm *
				   (double)d->pss_shmem_bytes / (double)r->smp.shmem_at_deep));
	swap_fp = m->swap_bytes;
	if (r->smp.swap_at_deep)
		swap_fp = min_u64(swap_fp, (uint64_t)((double)swap_fp *
				  (double)d->swap_pss_bytes / (double)r->smp.swap_at_deep));
	shmem_swap = sub_clamp(d->swap_bytes, r->smp.swap_at_deep);
	m->swap_bytes += shmem_swap;
	m->footprint_bytes = anon_fp + shmem_fp + swap_fp + shmem_swap_share(r, shmem_swap);
	r->shmem_share_bytes = shmem_fp;
	m->lazyfree_bytes = min_u64(d->lazyfree_bytes, m->anon_bytes);
	m->pss_bytes = m->rss_bytes >= r->smp.rss_at_deep ?
		d->pss_bytes + (m->rss_bytes - r->smp.rss_at_deep) :
		sub_clamp(d->pss_bytes, r->smp.rss_at_deep - m->rss_bytes);
	m->pss_bytes = min_u64(m->pss_bytes, m->rss_bytes);
	m->uss_bytes = m->rss_bytes >= r->smp.rss_at_deep ?
		d->uss_bytes + (m->rss_bytes - r->smp.rss_at_deep) :
		sub_clamp(d->uss_bytes, r->smp.rss_at_deep - m->rss_bytes);
	m->uss_bytes = min_u64(m->uss_bytes, m->rss_bytes);
}
