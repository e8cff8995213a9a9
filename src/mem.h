/* mem.h - the set of memory metrics memwatch reports, per process or summed */
#ifndef MEMWATCH_MEM_H
#define MEMWATCH_MEM_H

#include <stdint.h>

/* See memwatch(1), METRICS, for where each comes from and how exact it is.
 * footprint = Pss_Anon + Pss_Shmem + SwapPss - LazyFree: the memory the
 * process really holds, shared pages divided among their users, freed-but-
 * not-yet-reclaimed pages left out. */
struct mem {
	uint64_t footprint_bytes;
	uint64_t rss_bytes;
	uint64_t anon_bytes;
	uint64_t file_bytes;
	uint64_t shmem_bytes;
	uint64_t swap_bytes;
	uint64_t pss_bytes;
	uint64_t uss_bytes;
	uint64_t lazyfree_bytes;
};

static inline void mem_add(struct mem *sum, const struct mem *m)
{
	sum->footprint_bytes += m->footprint_bytes;
	sum->rss_bytes += m->rss_bytes;
	sum->anon_bytes += m->anon_bytes;
	sum->file_bytes += m->file_bytes;
	sum->shmem_bytes += m->shmem_bytes;
	sum->swap_bytes += m->swap_bytes;
	sum->pss_bytes += m->pss_bytes;
	sum->uss_bytes += m->uss_bytes;
	sum->lazyfree_bytes += m->lazyfree_bytes;
}

#endif
