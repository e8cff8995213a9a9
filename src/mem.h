/* mem.h - the set of memory metrics memwatch reports, per process or summed */
#ifndef MEMWATCH_MEM_H
#define MEMWATCH_MEM_H

#include <stdint.h>

/* Where a result file must hold a size (see MEM_FIELDS). */
enum mem_required {
	MEM_IN_PEAK = 1 << 0,		/* a run's peak */
	MEM_IN_CHECKPOINT = 1 << 1,	/* every checkpoint */
};

/* The sizes, each once, in the order the result file writes them:
 * X(name, title, csv_column, required), where
 *   name        names the field, name_bytes, which is also its key in the
 *               result file and its column in the series CSV; the size at
 *               a checkpoint is the metric name_<label> ("rss_idle_90s")
 *   title       that metric's title, "RSS" ("RSS (idle 90 s)"); NULL: the
 *               size is no checkpoint metric
 *   csv_column  its place among the sizes in the series CSV, from 0
 *   required    where a result file must have it (the schema's minimum,
 *               memwatch(1), MEMWATCH REPORT): MEM_IN_* bits; elsewhere,
 *               and the breakdown (anon, file, shmem, swap) always, an
 *               absent size is 0
 * See memwatch(1), METRICS, for where each comes from and how exact it is.
 * footprint = Pss_Anon + Pss_Shmem + SwapPss - LazyFree: the memory the
 * process really holds, shared pages divided among their users, freed-but-
 * not-yet-reclaimed pages left out. */
#define MEM_FIELDS(X) \
	X(footprint, "Footprint", 0, MEM_IN_PEAK | MEM_IN_CHECKPOINT) \
	X(rss, "RSS", 1, MEM_IN_PEAK | MEM_IN_CHECKPOINT) \
	X(pss, "PSS", 6, MEM_IN_PEAK | MEM_IN_CHECKPOINT) \
	X(uss, "USS", 7, MEM_IN_CHECKPOINT) \
	X(anon, NULL, 2, 0) \
	X(file, NULL, 3, 0) \
	X(shmem, NULL, 4, 0) \
	X(swap, "Swap", 5, 0) \
	X(lazyfree, "LazyFree", 8, MEM_IN_CHECKPOINT)

#define MEM_FIELD_COUNT_ONE(name, title, csv_column, required) + 1
/* How many sizes a struct mem holds. */
#define MEM_N_FIELDS (0 MEM_FIELDS(MEM_FIELD_COUNT_ONE))

struct mem {
#define MEM_FIELD_DECLARE(name, title, csv_column, required) uint64_t name##_bytes;
	MEM_FIELDS(MEM_FIELD_DECLARE)
#undef MEM_FIELD_DECLARE
};

static inline void mem_add(struct mem *sum, const struct mem *m)
{
#define MEM_FIELD_ADD(name, title, csv_column, required) sum->name##_bytes += m->name##_bytes;
	MEM_FIELDS(MEM_FIELD_ADD)
#undef MEM_FIELD_ADD
}

#endif
