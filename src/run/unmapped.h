/* run/unmapped.h - shared memory the system holds for the tree that no process of it maps
 *
 * A tmpfs or memfd file that no process maps, or shared pages that the
 * processes mapping them never touched (a child inherits its parent's
 * shared mapping but not its page table entries), is in no process's
 * numbers (only a memory cgroup sees whose it is), but it shows as a rise
 * of the system's Shmem that the tree's share of shmem does not match.
 * Another program doing the same at the same time shows too: the report
 * says so. */
#ifndef MEMWATCH_UNMAPPED_H
#define MEMWATCH_UNMAPPED_H

#include <stdbool.h>
#include <stdint.h>

struct unmapped_shmem {
	uint64_t sys0_bytes;	/* the system's Shmem at the start */
	uint64_t tree0_bytes;	/* ... and the tree's share of shmem */
	bool have_start;
	uint64_t max_bytes;	/* the largest rise not mapped */
};

/* The system's Shmem and the tree's share of shmem now (each shared page
 * counted once: give it only from samples in which every process has had
 * a page walk). The first call sets the start. */
void unmapped_shmem_update(struct unmapped_shmem *u, uint64_t sys_bytes,
			   uint64_t tree_bytes);

#endif
