/* fuzz_procfs_loadavg.c - procfs_parse_loadavg_last_pid on any text
 *
 * Checked: it succeeds exactly when the text, less trailing newlines and
 * spaces, ends with a space and a number, and the pid is that number
 * (clamped to a pid). */
#include "config.h"

#include "fuzz.h"
#include "linux/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	size_t end = size, start, pos;
	bool expect;
	pid_t pid;
	uint64_t v = 0;

	while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == ' '))
		end--;
	for (start = end; start > 0 && buf[start - 1] >= '0' && buf[start - 1] <= '9';
	     start--)
		;
	expect = start < end && start > 0 && buf[start - 1] == ' ';
	FUZZ_ASSERT(procfs_parse_loadavg_last_pid(buf, size, &pid) == expect);
	if (expect) {
		pos = start;
		FUZZ_ASSERT(fuzz_digits(buf, end, &pos, &v) && pos == end);
		FUZZ_ASSERT(pid == (v > INT32_MAX ? INT32_MAX : (pid_t)v));
	}
	free(buf);
	return 0;
}
