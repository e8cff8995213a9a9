/* fuzz_procfs_statm.c - procfs_parse_statm on any text
 *
 * Checked: it succeeds exactly when the text starts with four numbers
 * separated by blanks, and then holds those four (saturated), and the
 * canonical form of its answer parses to the same answer. */
#include "config.h"

#include <inttypes.h>

#include "fuzz.h"
#include "linux/procfs.h"

static void skip_blanks(const char *s, size_t len, size_t *pos)
{
	while (*pos < len && (s[*pos] == ' ' || s[*pos] == '\t'))
		(*pos)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct procfs_statm m, again;
	uint64_t want[4];
	bool expect = true, ok;
	size_t pos = 0, i;
	char text[128];
	int n;

	for (i = 0; i < 4 && expect; i++) {
		skip_blanks(buf, size, &pos);
		expect = fuzz_digits(buf, size, &pos, &want[i]);
	}
	ok = procfs_parse_statm(buf, size, &m);
	FUZZ_ASSERT(ok == expect);
	if (ok) {
		FUZZ_ASSERT(m.size_pages == want[0] && m.resident_pages == want[1] &&
			    m.shared_pages == want[2] && m.text_pages == want[3]);
		n = snprintf(text, sizeof(text), "%" PRIu64 " %" PRIu64 " %" PRIu64
			     " %" PRIu64 " 0 0 0\n", m.size_pages, m.resident_pages,
			     m.shared_pages, m.text_pages);
		FUZZ_ASSERT(procfs_parse_statm(text, (size_t)n, &again));
		FUZZ_ASSERT(memcmp(&m, &again, sizeof(m)) == 0);
	}
	free(buf);
	return 0;
}
