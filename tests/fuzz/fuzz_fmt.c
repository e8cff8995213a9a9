/* fuzz_fmt.c - fmt_utf8_sanitize and fmt_escape on any bytes
 *
 * Checked: the sanitized text is valid UTF-8 with no NUL, and is exactly
 * the input with each byte that is not part of a well-formed character
 * (by the Unicode standard's table, not fmt.c's decoder) and each NUL
 * written as "\xNN". Escaped text, in every mode, holds no control byte;
 * in markdown, no '|' (nor other syntax) outside a backslash escape; in
 * CSV, it is one field: quoted with inner quotes doubled when it must be,
 * else with no comma or quote. */
#include "config.h"

#include "util/fmt.h"
#include "fuzz.h"

/* In markdown, a backslash always escapes the byte after it (one of
 * markdown's own escapes, or ESCAPE_TEXT's \n, \t, \xNN), so no table or
 * inline syntax stands bare. */
static void check_markdown(const char *e)
{
	size_t i;

	for (i = 0; e[i]; i++) {
		if (e[i] == '\\') {
			FUZZ_ASSERT(e[i + 1] != '\0');
			i++;	/* the escaped byte, whatever it is */
			continue;
		}
		FUZZ_ASSERT(!strchr("|*_`<>[]#~", e[i]));
	}
}

/* A CSV field: quoted, with its inner quotes doubled, whenever the text
 * holds a comma, a quote or a line break, or is empty; bare, it can hold
 * none of them. */
static void check_csv(const char *s, const char *e, size_t len)
{
	size_t i;

	if (!*s || strpbrk(s, ",\"\n\r"))
		FUZZ_ASSERT(len >= 2 && e[0] == '"');
	if (len == 0 || e[0] != '"') {
		FUZZ_ASSERT(len > 0 && !strpbrk(e, ",\""));
		return;
	}
	FUZZ_ASSERT(len >= 2 && e[len - 1] == '"');
	for (i = 1; i < len - 1; i++) {
		if (e[i] != '"')
			continue;
		FUZZ_ASSERT(i + 1 < len - 1 && e[i + 1] == '"');
		i++;
	}
}

static void check_escape(const char *s)
{
	static const enum fmt_escape modes[] = { ESCAPE_TEXT, ESCAPE_MARKDOWN, ESCAPE_CSV };
	size_t i, len, in_len = strlen(s);

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *e = fmt_escape(s, modes[i]);

		len = strlen(e);
		FUZZ_ASSERT(!fuzz_has_control(e, len));
		FUZZ_ASSERT(len >= in_len && len <= 4 * in_len + 2);
		/* Escaping adds ASCII only: valid UTF-8 stays valid. */
		if (fuzz_utf8_valid(s, in_len))
			FUZZ_ASSERT(fuzz_utf8_valid(e, len));
		if (modes[i] == ESCAPE_MARKDOWN)
			check_markdown(e);
		else if (modes[i] == ESCAPE_CSV)
			check_csv(s, e, len);
		free(e);
	}
}

/* What fmt_utf8_sanitize must give for s[0..len). Caller frees. */
static char *sanitized(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = malloc(4 * len + 1);
	size_t i = 0, o = 0, n;

	FUZZ_ASSERT(out);
	while (i < len) {
		n = u[i] < 0x80 ? 1 : u[i] < 0xe0 ? 2 : u[i] < 0xf0 ? 3 : 4;
		if (u[i] != 0 && i + n <= len && fuzz_utf8_valid(s + i, n)) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", u[i++]);
		}
	}
	out[o] = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size), *str, *clean, *want;

	clean = fmt_utf8_sanitize(buf, size);
	want = sanitized(buf, size);
	FUZZ_ASSERT(strcmp(clean, want) == 0);
	FUZZ_ASSERT(fuzz_utf8_valid(clean, strlen(clean)));
	check_escape(clean);
	free(want);
	/* fmt_escape on bytes that were never sanitized, too. */
	str = fuzz_string(data, size);
	check_escape(str);
	free(str);
	free(clean);
	free(buf);
	return 0;
}
