/* fuzz_procfs_status.c - procfs_parse_status on any text
 *
 * Checked: it succeeds exactly when a line starts with "Name:", and the
 * name is then the last such line's value, cut to 15 bytes; sizes are whole
 * KiB (or saturated); the RssAnon/RssFile/RssShmem split is claimed only
 * when all three lines are there; and a canonical status written from the
 * answer parses to the same answer. */
#include "config.h"

#include <inttypes.h>

#include "fuzz.h"
#include "linux/procfs.h"

static bool whole_kib(uint64_t bytes)
{
	return bytes % 1024 == 0 || bytes == UINT64_MAX;
}

/* A size as the line's kB: saturated stays saturated. */
static uint64_t kib(uint64_t bytes)
{
	return bytes == UINT64_MAX ? UINT64_MAX : bytes / 1024;
}

static void check_canonical(const struct procfs_status *st)
{
	struct procfs_status again;
	char text[1024];
	int n;

	n = snprintf(text, sizeof(text),
		     "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%d\nPPid:\t%d\n"
		     "VmHWM:\t%8" PRIu64 " kB\nVmRSS:\t%8" PRIu64 " kB\n",
		     st->name, (int)st->tgid, (int)st->ppid, kib(st->vm_hwm_bytes),
		     kib(st->vm_rss_bytes));
	if (st->has_rss_split)
		n += snprintf(text + n, sizeof(text) - (size_t)n,
			      "RssAnon:\t%8" PRIu64 " kB\nRssFile:\t%8" PRIu64
			      " kB\nRssShmem:\t%8" PRIu64 " kB\n", kib(st->rss_anon_bytes),
			      kib(st->rss_file_bytes), kib(st->rss_shmem_bytes));
	n += snprintf(text + n, sizeof(text) - (size_t)n,
		      "VmSwap:\t%8" PRIu64 " kB\nThreads:\t%" PRIu64 "\n",
		      kib(st->vm_swap_bytes), st->threads);
	FUZZ_ASSERT((size_t)n < sizeof(text));
	FUZZ_ASSERT(procfs_parse_status(text, (size_t)n, &again));
	FUZZ_ASSERT(strcmp(again.name, st->name) == 0 && again.tgid == st->tgid &&
		    again.ppid == st->ppid && again.threads == st->threads &&
		    again.vm_hwm_bytes == st->vm_hwm_bytes &&
		    again.vm_rss_bytes == st->vm_rss_bytes &&
		    again.vm_swap_bytes == st->vm_swap_bytes &&
		    again.has_rss_split == st->has_rss_split);
	if (st->has_rss_split)
		FUZZ_ASSERT(again.rss_anon_bytes == st->rss_anon_bytes &&
			    again.rss_file_bytes == st->rss_file_bytes &&
			    again.rss_shmem_bytes == st->rss_shmem_bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	const char *line = NULL, *v, *eol;
	struct procfs_status st;
	bool ok;
	size_t n;

	ok = procfs_parse_status(buf, size, &st);
	FUZZ_ASSERT(ok == fuzz_has_line(buf, size, "Name:", true, &line));
	if (ok) {
		/* The name: the last Name line's value, after its blanks. */
		eol = memchr(line, '\n', size - (size_t)(line - buf));
		if (!eol)
			eol = buf + size;
		for (v = line + 5; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		n = (size_t)(eol - v) > 15 ? 15 : (size_t)(eol - v);
		FUZZ_ASSERT(memcmp(st.name, v, n) == 0 && st.name[n] == '\0');
		FUZZ_ASSERT(st.tgid >= 0 && st.ppid >= 0);
		FUZZ_ASSERT(whole_kib(st.vm_hwm_bytes) && whole_kib(st.vm_rss_bytes) &&
			    whole_kib(st.rss_anon_bytes) && whole_kib(st.rss_file_bytes) &&
			    whole_kib(st.rss_shmem_bytes) && whole_kib(st.vm_swap_bytes));
		if (st.has_rss_split)
			FUZZ_ASSERT(fuzz_has_line(buf, size, "RssAnon:", false, NULL) &&
				    fuzz_has_line(buf, size, "RssFile:", false, NULL) &&
				    fuzz_has_line(buf, size, "RssShmem:", false, NULL));
		check_canonical(&st);
	}
	free(buf);
	return 0;
}
