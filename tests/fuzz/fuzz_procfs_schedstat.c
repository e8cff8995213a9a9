/* fuzz_procfs_schedstat.c - procfs_parse_schedstat on any text
 *
 * Checked: it succeeds exactly when the text, after leading blanks, starts
 * with a number followed by a space, and the run time is that number
 * (saturated at UINT64_MAX). */
#include "config.h"

#include "fuzz.h"
#include "linux/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	size_t pos = 0;
	uint64_t want = 0, got = 0;
	bool expect;

	while (pos < size && (buf[pos] == ' ' || buf[pos] == '\t'))
		pos++;
	expect = fuzz_digits(buf, size, &pos, &want) && pos < size && buf[pos] == ' ';
	FUZZ_ASSERT(procfs_parse_schedstat(buf, size, &got) == expect);
	if (expect)
		FUZZ_ASSERT(got == want);
	free(buf);
	return 0;
}
