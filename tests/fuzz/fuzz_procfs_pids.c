/* fuzz_procfs_pids.c - procfs_parse_pids on any text
 *
 * Checked: each pid given to the callback is in 1..INT32_MAX, as many as
 * the count returned; a success means the text was only numbers and
 * blanks, with the pids its numbers in order; a text of numbers from 1 to
 * INT32_MAX separated by spaces and newlines, as a children file is, always
 * succeeds; and the pids written back out parse to the same pids. */
#include "config.h"

#include "fuzz.h"
#include "linux/procfs.h"

struct pids {
	pid_t *v;
	size_t n, cap;
};

static void collect(pid_t pid, void *arg)
{
	struct pids *p = arg;

	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		FUZZ_ASSERT(p->v);
	}
	p->v[p->n++] = pid;
}

/* Whether s is a well-formed children file: numbers from 1 to INT32_MAX
 * between spaces and newlines. */
static bool well_formed(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t v;

	while (i < len) {
		if (s[i] == ' ' || s[i] == '\n') {
			i++;
			continue;
		}
		if (!fuzz_digits(s, len, &i, &v) || v == 0 || v > INT32_MAX)
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size), *text;
	struct pids got = { 0 }, again = { 0 };
	size_t i, pos = 0, len;
	uint64_t v;
	int n;

	n = procfs_parse_pids(buf, size, collect, &got);
	FUZZ_ASSERT(n >= -1);
	if (well_formed(buf, size))
		FUZZ_ASSERT(n >= 0);
	if (n >= 0) {
		FUZZ_ASSERT((size_t)n == got.n);
		for (i = 0; i < size; i++)
			FUZZ_ASSERT(strchr("0123456789 \n\t", buf[i]) && buf[i] != '\0');
		/* The pids are the numbers of the text, in order. */
		for (i = 0; i < got.n; i++) {
			while (pos < size && !(buf[pos] >= '0' && buf[pos] <= '9'))
				pos++;
			FUZZ_ASSERT(fuzz_digits(buf, size, &pos, &v));
			FUZZ_ASSERT(v >= 1 && v <= INT32_MAX && got.v[i] == (pid_t)v);
		}
		while (pos < size && !(buf[pos] >= '0' && buf[pos] <= '9'))
			pos++;
		FUZZ_ASSERT(pos == size);
		/* Written as the kernel writes a children file. */
		text = malloc(got.n * 12 + 1);
		FUZZ_ASSERT(text);
		for (i = 0, len = 0; i < got.n; i++)
			len += (size_t)sprintf(text + len, "%d ", (int)got.v[i]);
		FUZZ_ASSERT(procfs_parse_pids(text, len, collect, &again) == n);
		FUZZ_ASSERT(again.n == got.n &&
			    (got.n == 0 || memcmp(again.v, got.v, got.n * sizeof(pid_t)) == 0));
		free(text);
	} else {
		FUZZ_ASSERT(!well_formed(buf, size));
	}
	free(got.v);
	free(again.v);
	free(buf);
	return 0;
}
