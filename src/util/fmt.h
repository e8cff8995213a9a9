/* util/fmt.h - human sizes and durations, and escaping of untrusted strings */
#ifndef MEMWATCH_FMT_H
#define MEMWATCH_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FMT_BUF 32

/* "812.4 MiB" (binary units) or, with raw, the exact byte count. */
const char *fmt_bytes(char buf[FMT_BUF], uint64_t bytes, bool raw);

/* Like fmt_bytes for a signed delta: "+1.5 MiB", "-320 B". */
const char *fmt_bytes_delta(char buf[FMT_BUF], int64_t bytes, bool raw);

/* A change in percent to one decimal with its sign, "+4.2%", "-0.3%";
 * one that rounds to nothing is "+0.0%", as a zero, never "-0.0%". */
const char *fmt_pct_change(char buf[FMT_BUF], double pct);

/* "850 ms", "41.2 s", "6 m 00 s". */
const char *fmt_duration(char buf[FMT_BUF], double seconds);

/* A nanosecond count as the shortest exact user-facing duration ("250ms",
 * "1.5s"), the form the options accept. */
const char *fmt_duration_opt(char buf[FMT_BUF], uint64_t ns);

enum fmt_escape {
	ESCAPE_TEXT,		/* control bytes as \n, \t, \xNN */
	ESCAPE_MARKDOWN,	/* ESCAPE_TEXT, and markdown table/inline syntax */
	ESCAPE_CSV,		/* ESCAPE_TEXT, quoted when it holds , " or a line */
};

/* Escape s for one output; returns a new string the caller frees. */
char *fmt_escape(const char *s, enum fmt_escape how);

/* Copy len bytes of s as valid UTF-8: each byte that is not part of a
 * well-formed sequence becomes the text "\xNN". Caller frees. */
char *fmt_utf8_sanitize(const char *s, size_t len);

#endif
