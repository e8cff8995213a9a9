/* fuzz.h - what the fuzz targets share: checked properties and input copies
 *
 * Each tests/fuzz/fuzz_*.c is one libFuzzer target (scripts/fuzz builds and
 * runs them). A target does not only look for crashes: it checks what must
 * hold of the parser's answer, and a property that does not hold aborts,
 * which libFuzzer keeps as a crash like any other. */
#ifndef MEMWATCH_FUZZ_H
#define MEMWATCH_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test; abort, with where and what, if it
 * does not hold. */
#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: property violated: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* The input in a heap block of exactly its size, not NUL-terminated, so
 * that AddressSanitizer catches a read one byte past the end. Caller frees. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	FUZZ_ASSERT(p);
	if (size)
		memcpy(p, data, size);
	return p;
}

/* The input as a C string, for parsers of NUL-terminated text (an embedded
 * NUL ends it early, as it would in argv). Caller frees. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *p = malloc(size + 1);

	FUZZ_ASSERT(p);
	if (size)
		memcpy(p, data, size);
	p[size] = '\0';
	return p;
}

/* Whether s[0..len) is well-formed UTF-8, by the table of well-formed byte
 * sequences in the Unicode standard (table 3-7): written apart from
 * fmt.c's decoder, so that it checks it rather than repeats it. */
static inline bool fuzz_utf8_valid(const char *s, size_t len)
{
	static const struct {
		unsigned char lead_lo, lead_hi, second_lo, second_hi;
		unsigned char more;	/* continuation bytes after the second */
	} forms[] = {
		{ 0xc2, 0xdf, 0x80, 0xbf, 0 },
		{ 0xe0, 0xe0, 0xa0, 0xbf, 1 },
		{ 0xe1, 0xec, 0x80, 0xbf, 1 },
		{ 0xed, 0xed, 0x80, 0x9f, 1 },
		{ 0xee, 0xef, 0x80, 0xbf, 1 },
		{ 0xf0, 0xf0, 0x90, 0xbf, 2 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 2 },
		{ 0xf4, 0xf4, 0x80, 0x8f, 2 },
	};
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, f, k;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
			if (u[i] >= forms[f].lead_lo && u[i] <= forms[f].lead_hi)
				break;
		if (f == sizeof(forms) / sizeof(forms[0]) || i + 1 >= len ||
		    u[i + 1] < forms[f].second_lo || u[i + 1] > forms[f].second_hi)
			return false;
		i += 2;
		for (k = 0; k < forms[f].more; k++, i++)
			if (i >= len || u[i] < 0x80 || u[i] > 0xbf)
				return false;
	}
	return true;
}

/* Whether s holds a control byte (below 0x20, or DEL). */
static inline bool fuzz_has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return true;
	return false;
}

/* The decimal digits at s[*pos..end) as a number, saturated at UINT64_MAX
 * as the /proc parsers saturate; *pos moves past them. False if there are
 * none. */
static inline bool fuzz_digits(const char *s, size_t len, size_t *pos,
			       uint64_t *out)
{
	size_t i = *pos;
	uint64_t v = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9') {
		unsigned d = (unsigned)(s[i] - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
		i++;
	}
	if (i == *pos)
		return false;
	*pos = i;
	*out = v;
	return true;
}

/* Whether a line of s starts with key followed by blanks and a digit;
 * with any_value, whatever follows. The last such line's start in *line. */
static inline bool fuzz_has_line(const char *s, size_t len, const char *key,
				 bool any_value, const char **line)
{
	size_t klen = strlen(key), i = 0;
	bool found = false;

	while (i < len) {
		const char *eol = memchr(s + i, '\n', len - i);
		size_t end = eol ? (size_t)(eol - s) : len, v = i + klen;

		if (end - i >= klen && memcmp(s + i, key, klen) == 0) {
			while (v < end && (s[v] == ' ' || s[v] == '\t'))
				v++;
			if (any_value || (v < end && s[v] >= '0' && s[v] <= '9')) {
				found = true;
				if (line)
					*line = s + i;
			}
		}
		i = end + 1;
	}
	return found;
}

#endif
