/* fuzz_procfs_stat.c - procfs_parse_stat on any text
 *
 * Checked: on success, the pid is the leading number; comm is what lies
 * between the first '(' and the last ')' (a comm may hold ") (", so the
 * last one ends it), cut to 15 bytes and terminated; the state is the first
 * byte after that ')' and its spaces; pids are in range; and a canonical
 * stat line written from the answer parses to the same answer. */
#include "config.h"

#include <inttypes.h>

#include "fuzz.h"
#include "linux/procfs.h"

static pid_t clamp(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (pid_t)v;
}

/* The answer again, from a line as the kernel would write it. */
static void check_canonical(const struct procfs_stat *st)
{
	struct procfs_stat again;
	char text[1024];
	int n, field;

	n = snprintf(text, sizeof(text), "%d (%s) %c %d %d", (int)st->pid, st->comm,
		     st->state, (int)st->ppid, (int)st->pgrp);
	for (field = 6; field <= 52; field++) {
		uint64_t v = 0;

		if (field == 52 && st->exit_code < 0)
			break;
		switch (field) {
		case 14: v = st->utime_ticks; break;
		case 15: v = st->stime_ticks; break;
		case 20: v = st->num_threads; break;
		case 22: v = st->start_ticks; break;
		case 52: v = (uint64_t)st->exit_code; break;
		default: break;
		}
		n += snprintf(text + n, sizeof(text) - (size_t)n, " %" PRIu64, v);
	}
	n += snprintf(text + n, sizeof(text) - (size_t)n, "\n");
	FUZZ_ASSERT((size_t)n < sizeof(text));
	FUZZ_ASSERT(procfs_parse_stat(text, (size_t)n, &again));
	FUZZ_ASSERT(again.pid == st->pid && again.state == st->state &&
		    strcmp(again.comm, st->comm) == 0 && again.ppid == st->ppid &&
		    again.pgrp == st->pgrp && again.utime_ticks == st->utime_ticks &&
		    again.stime_ticks == st->stime_ticks &&
		    again.num_threads == st->num_threads &&
		    again.start_ticks == st->start_ticks &&
		    again.exit_code == st->exit_code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	const char *open, *close = NULL;
	struct procfs_stat st;
	size_t pos = 0, n, i;
	uint64_t pid;

	if (procfs_parse_stat(buf, size, &st)) {
		while (pos < size && (buf[pos] == ' ' || buf[pos] == '\t'))
			pos++;
		FUZZ_ASSERT(fuzz_digits(buf, size, &pos, &pid));
		FUZZ_ASSERT(st.pid == clamp(pid));
		open = memchr(buf + pos, '(', size - pos);
		FUZZ_ASSERT(open);
		for (i = size; i > 0; i--)
			if (buf[i - 1] == ')') {
				close = buf + i - 1;
				break;
			}
		FUZZ_ASSERT(close && close > open);
		n = (size_t)(close - open - 1);
		if (n > 15)
			n = 15;
		FUZZ_ASSERT(memcmp(st.comm, open + 1, n) == 0 && st.comm[n] == '\0');
		for (i = (size_t)(close + 1 - buf); i < size && buf[i] == ' '; i++)
			;
		FUZZ_ASSERT(i < size && st.state == buf[i]);
		FUZZ_ASSERT(st.ppid >= 0 && st.pgrp >= 0);
		FUZZ_ASSERT(st.exit_code >= -1);
		check_canonical(&st);
	}
	free(buf);
	return 0;
}
