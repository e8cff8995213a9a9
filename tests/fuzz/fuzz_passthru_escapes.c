/* fuzz_passthru_escapes.c - passthru_strip_escapes on any line
 *
 * Checked: the line never grows; what is left holds no ESC (so no CSI,
 * "ESC [") and no carriage return, and is a subsequence of the input;
 * stripping again changes nothing; and a line without ESC only loses its
 * carriage returns. */
#include "config.h"

#include "fuzz.h"
#include "run/passthru.h"

/* Whether a[0..alen) is b[0..blen) with some bytes left out. */
static bool subsequence(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j;

	for (j = 0; j < blen && i < alen; j++)
		if (a[i] == b[j])
			i++;
	return i == alen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size), *copy;
	size_t n, again, i, o;

	n = passthru_strip_escapes(buf, size);
	FUZZ_ASSERT(n <= size);
	FUZZ_ASSERT(!memchr(buf, 0x1b, n) && !memchr(buf, '\r', n));
	FUZZ_ASSERT(subsequence(buf, n, (const char *)data, size));
	copy = fuzz_copy((const uint8_t *)buf, n);
	again = passthru_strip_escapes(copy, n);
	FUZZ_ASSERT(again == n && memcmp(copy, buf, n) == 0);
	free(copy);
	if (!memchr(data, 0x1b, size)) {
		for (i = 0, o = 0; i < size; i++)
			if (data[i] != '\r')
				FUZZ_ASSERT(o < n && buf[o++] == (char)data[i]);
		FUZZ_ASSERT(o == n);
	}
	free(buf);
	return 0;
}
