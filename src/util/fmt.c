/* util/fmt.c - human sizes and durations, and escaping of untrusted strings */
#include "config.h"

#include "util/fmt.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/xalloc.h"

const char *fmt_bytes(char buf[FMT_BUF], uint64_t bytes, bool raw)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	int u = -1;

	if (raw || bytes < 1024) {
		snprintf(buf, FMT_BUF, raw ? "%" PRIu64 : "%" PRIu64 " B", bytes);
		return buf;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	/* Three significant digits at least: 1.02 GiB, 12.3 MiB, 812.4 MiB. */
	snprintf(buf, FMT_BUF, v < 10 ? "%.2f %s" : "%.1f %s", v, units[u]);
	return buf;
}

const char *fmt_bytes_delta(char buf[FMT_BUF], int64_t bytes, bool raw)
{
	char tmp[FMT_BUF];
	uint64_t mag = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;

	snprintf(buf, FMT_BUF, "%s%s", bytes < 0 ? "-" : "+",
		 fmt_bytes(tmp, mag, raw));
	return buf;
}

const char *fmt_pct_change(char buf[FMT_BUF], double pct)
{
	if (fabs(pct) < 0.05)
		snprintf(buf, FMT_BUF, "+0.0%%");
	else
		snprintf(buf, FMT_BUF, "%+.1f%%", pct);
	return buf;
}

const char *fmt_duration(char buf[FMT_BUF], double seconds)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < 1)
		snprintf(buf, FMT_BUF, "%.0f ms", seconds * 1000);
	else if (seconds < 100)
		snprintf(buf, FMT_BUF, "%.1f s", seconds);
	else if (seconds < 3600)
		snprintf(buf, FMT_BUF, "%d m %02d s", (int)(seconds / 60),
			 (int)seconds % 60);
	else
		snprintf(buf, FMT_BUF, "%d h %02d m", (int)(seconds / 3600),
			 ((int)seconds % 3600) / 60);
	return buf;
}

const char *fmt_duration_opt(char buf[FMT_BUF], uint64_t ns)
{
	if (ns % 1000000000 == 0)
		snprintf(buf, FMT_BUF, "%" PRIu64 "s", ns / 1000000000);
	else if (ns % 1000000 == 0)
		snprintf(buf, FMT_BUF, "%" PRIu64 "ms", ns / 1000000);
	else if (ns % 1000 == 0)
		snprintf(buf, FMT_BUF, "%" PRIu64 "us", ns / 1000);
	else
		snprintf(buf, FMT_BUF, "%" PRIu64 "ns", ns);
	return buf;
}

/* Append n bytes to a growing string. */
static void sb_add(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
	xgrow(b, cap, *len + n + 1, 1);
	memcpy(*b + *len, s, n);
	*len += n;
	(*b)[*len] = '\0';
}

char *fmt_escape(const char *s, enum fmt_escape how)
{
	char *b = NULL;
	size_t len = 0, cap = 0;
	char tmp[8];
	/* CSV quotes a field only when it needs it (RFC 4180): a comma, a
	 * quote, or a line break (escaped, but kept quoted: it was one). */
	bool quote = how == ESCAPE_CSV && (!*s || strpbrk(s, ",\"\n\r") ||
					   s[strspn(s, " ")] == '\0' || *s == ' ');

	sb_add(&b, &len, &cap, "", 0);
	if (quote)
		sb_add(&b, &len, &cap, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n') {
			sb_add(&b, &len, &cap, "\\n", 2);
		} else if (c == '\t') {
			sb_add(&b, &len, &cap, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			sb_add(&b, &len, &cap, tmp, 4);
		} else if (how == ESCAPE_CSV && c == '"') {
			sb_add(&b, &len, &cap, "\"\"", 2);
		} else if (how == ESCAPE_MARKDOWN && strchr("\\|*_`<>[]#~", c)) {
			/* Backslash-escapes hold inside GFM table cells too. */
			tmp[0] = '\\';
			tmp[1] = (char)c;
			sb_add(&b, &len, &cap, tmp, 2);
		} else {
			sb_add(&b, &len, &cap, s, 1);
		}
	}
	if (quote)
		sb_add(&b, &len, &cap, "\"", 1);
	return b;
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t need, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

char *fmt_utf8_sanitize(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char *b = NULL;
	size_t blen = 0, cap = 0, i = 0;
	char tmp[8];

	sb_add(&b, &blen, &cap, "", 0);
	while (i < len) {
		size_t n = u[i] ? utf8_seq_len(u + i, len - i) : 0;

		if (n == 0) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", u[i]);
			sb_add(&b, &blen, &cap, tmp, 4);
			i++;
		} else {
			sb_add(&b, &blen, &cap, s + i, n);
			i += n;
		}
	}
	return b;
}
