/* test_unmapped.c - shared memory the system holds beyond what the tree maps */
#include "config.h"

#include "run/unmapped.h"
#include "tap.h"

#define MIB (1024ULL * 1024)

int main(void)
{
	struct unmapped_shmem u = { 0 };

	unmapped_shmem_update(&u, 500 * MIB, 10 * MIB);
	is_u64(u.max_bytes, 0, "the first sample is the start");
	unmapped_shmem_update(&u, 520 * MIB, 30 * MIB);
	is_u64(u.max_bytes, 0, "a rise the tree maps is not unmapped");
	unmapped_shmem_update(&u, 564 * MIB, 30 * MIB);
	is_u64(u.max_bytes, 44 * MIB, "a rise the tree does not map is");
	unmapped_shmem_update(&u, 510 * MIB, 30 * MIB);
	is_u64(u.max_bytes, 44 * MIB, "the largest rise is kept when it falls back");
	unmapped_shmem_update(&u, 400 * MIB, 10 * MIB);
	is_u64(u.max_bytes, 44 * MIB, "a fall below the start counts nothing");
	return tap_done();
}
