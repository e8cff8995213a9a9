/* run/unmapped.c - shared memory the system holds for the tree that no process of it maps */
#include "config.h"

#include "run/unmapped.h"

void unmapped_shmem_update(struct unmapped_shmem *u, uint64_t sys_bytes,
			   uint64_t tree_bytes)
{
	int64_t rise;

	if (!u->have_start) {
		u->sys0_bytes = sys_bytes;
		u->tree0_bytes = tree_bytes;
		u->have_start = true;
		return;
	}
	rise = ((int64_t)sys_bytes - (int64_t)u->sys0_bytes) -
	       ((int64_t)tree_bytes - (int64_t)u->tree0_bytes);
	if (rise > (int64_t)u->max_bytes)
		u->max_bytes = (uint64_t)rise;
}
