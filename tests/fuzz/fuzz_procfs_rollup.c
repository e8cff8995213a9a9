/* fuzz_procfs_rollup.c - procfs_parse_rollup on any text
 *
 * Checked: it succeeds exactly when there are "Rss:" and "Pss:" lines with
 * a value; sizes are whole KiB (or saturated); the Pss_Anon/File/Shmem
 * split is claimed only when all three lines are there; and a canonical
 * smaps_rollup written from the answer parses to the same answer. */
#include "config.h"

#include <inttypes.h>

#include "fuzz.h"
#include "linux/procfs.h"

static const struct {
	const char *key;
	size_t offset;
	bool split;		/* one of the three Pss_ lines (5.7+) */
} fields[] = {
#define F(k, f, s) { k, offsetof(struct procfs_rollup, f), s }
	F("Rss:", rss_bytes, false),
	F("Pss:", pss_bytes, false),
	F("Pss_Anon:", pss_anon_bytes, true),
	F("Pss_File:", pss_file_bytes, true),
	F("Pss_Shmem:", pss_shmem_bytes, true),
	F("Shared_Clean:", shared_clean_bytes, false),
	F("Shared_Dirty:", shared_dirty_bytes, false),
	F("Private_Clean:", private_clean_bytes, false),
	F("Private_Dirty:", private_dirty_bytes, false),
	F("Anonymous:", anonymous_bytes, false),
	F("LazyFree:", lazyfree_bytes, false),
	F("AnonHugePages:", anon_huge_bytes, false),
	F("Swap:", swap_bytes, false),
	F("SwapPss:", swap_pss_bytes, false),
#undef F
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static uint64_t field(const struct procfs_rollup *r, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)r + fields[i].offset, sizeof(v));
	return v;
}

static void check_canonical(const struct procfs_rollup *r)
{
	struct procfs_rollup again;
	char text[2048];
	size_t i;
	int n;

	n = snprintf(text, sizeof(text), "55d0c0a6e000-7ffc2f5f7000 ---p 00000000 "
		     "00:00 0                          [rollup]\n");
	for (i = 0; i < N_FIELDS; i++) {
		uint64_t v = field(r, i);

		/* Without the whole split, a split line would claim it. */
		if (fields[i].split && !r->has_pss_split)
			continue;
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%-16s%8" PRIu64 " kB\n",
			      fields[i].key, v == UINT64_MAX ? v : v / 1024);
	}
	FUZZ_ASSERT((size_t)n < sizeof(text));
	FUZZ_ASSERT(procfs_parse_rollup(text, (size_t)n, &again));
	FUZZ_ASSERT(again.has_pss_split == r->has_pss_split);
	for (i = 0; i < N_FIELDS; i++)
		if (!fields[i].split || r->has_pss_split)
			FUZZ_ASSERT(field(&again, i) == field(r, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct procfs_rollup r;
	bool ok;
	size_t i;

	ok = procfs_parse_rollup(buf, size, &r);
	FUZZ_ASSERT(ok == (fuzz_has_line(buf, size, "Rss:", false, NULL) &&
			   fuzz_has_line(buf, size, "Pss:", false, NULL)));
	if (ok) {
		for (i = 0; i < N_FIELDS; i++) {
			uint64_t v = field(&r, i);

			FUZZ_ASSERT(v % 1024 == 0 || v == UINT64_MAX);
			if (v)
				FUZZ_ASSERT(fuzz_has_line(buf, size, fields[i].key,
							  false, NULL));
		}
		if (r.has_pss_split)
			FUZZ_ASSERT(fuzz_has_line(buf, size, "Pss_Anon:", false, NULL) &&
				    fuzz_has_line(buf, size, "Pss_File:", false, NULL) &&
				    fuzz_has_line(buf, size, "Pss_Shmem:", false, NULL));
		check_canonical(&r);
	}
	free(buf);
	return 0;
}
