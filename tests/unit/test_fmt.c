/* test_fmt.c - human sizes and durations, escaping, UTF-8 sanitizing */
#include "config.h"

#include <stdlib.h>

#include "util/fmt.h"
#include "tap.h"

static void esc(const char *in, enum fmt_escape how, const char *want)
{
	char *got = fmt_escape(in, how);

	is_str(got, want, "escape '%s' (%d)", want, how);
	free(got);
}

static void utf8(const char *in, size_t len, const char *want)
{
	char *got = fmt_utf8_sanitize(in, len);

	is_str(got, want, "sanitize to '%s'", want);
	free(got);
}

int main(void)
{
	char b[FMT_BUF];

	is_str(fmt_bytes(b, 0, false), "0 B", "zero");
	is_str(fmt_bytes(b, 1023, false), "1023 B", "below a KiB");
	is_str(fmt_bytes(b, 1024, false), "1.00 KiB", "one KiB");
	is_str(fmt_bytes(b, 812ULL * 1024 * 1024 + 419430, false), "812.4 MiB", "MiB");
	is_str(fmt_bytes(b, 1095216660ULL, false), "1.02 GiB", "GiB");
	is_str(fmt_bytes(b, 1095216660ULL, true), "1095216660", "raw bytes");
	is_str(fmt_bytes_delta(b, -2048, false), "-2.00 KiB", "negative delta");
	is_str(fmt_bytes_delta(b, 5, false), "+5 B", "positive delta");
	is_str(fmt_duration(b, 0.25), "250 ms", "ms");
	is_str(fmt_duration(b, 41.23), "41.2 s", "s");
	is_str(fmt_duration(b, 360), "6 m 00 s", "minutes");
	is_str(fmt_duration_opt(b, 250000000), "250ms", "option form ms");
	is_str(fmt_duration_opt(b, 3600000000000ULL), "3600s", "option form s");

	is_str(fmt_pct_change(b, 4.24), "+4.2%", "a change: its sign");
	is_str(fmt_pct_change(b, -0.3), "-0.3%", "a fall");
	is_str(fmt_pct_change(b, -0.04), "+0.0%", "a fall that rounds to nothing: no -0.0%%");
	is_str(fmt_pct_change(b, 0.049), "+0.0%", "a rise that rounds to nothing");
	is_str(fmt_pct_change(b, -0.0), "+0.0%", "minus zero");

	esc("plain", ESCAPE_TEXT, "plain");
	esc("a\nb\tc\x01", ESCAPE_TEXT, "a\\nb\\tc\\x01");
	esc("a|b*c_d", ESCAPE_MARKDOWN, "a\\|b\\*c\\_d");
	esc("x\n|y", ESCAPE_MARKDOWN, "x\\n\\|y");
	esc("say \"hi\", ok", ESCAPE_CSV, "\"say \"\"hi\"\", ok\"");
	esc("line\nbreak", ESCAPE_CSV, "\"line\\nbreak\"");
	esc("plain", ESCAPE_CSV, "plain");
	esc("", ESCAPE_CSV, "\"\"");

	utf8("héllo", 6, "héllo");
	utf8("a\xff" "b", 3, "a\\xffb");
	utf8("\xc3", 1, "\\xc3");
	utf8("\xe0\x80\x80", 3, "\\xe0\\x80\\x80");	/* overlong */
	utf8("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");	/* surrogate */
	utf8("a\0b", 3, "a\\x00b");
	utf8("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80");
	return tap_done();
}
