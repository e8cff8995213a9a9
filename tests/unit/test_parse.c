/* test_parse.c - option values: numbers, durations, percentages, signals */
#include "config.h"

#include <signal.h>
#include <stdint.h>

#include "util/parse.h"
#include "tap.h"

#define MS 1000000ULL
#define S 1000000000ULL

static void duration(const char *s, enum parse_err want_err, uint64_t want)
{
	uint64_t v = 0;
	enum parse_err e = parse_duration_ns(s, MS, 3600 * S, &v);

	if (want_err == PARSE_OK)
		TEST("duration '%s' = %llu ns", s, (unsigned long long)want) {
			check_int(e, ==, PARSE_OK);
			check_u64(v, ==, want);
		}
	else
		TEST("duration '%s' is rejected with %d", s, want_err)
			check_int(e, ==, want_err);
}

int main(void)
{
	uint64_t v;

	duration("250ms", PARSE_OK, 250 * MS);
	duration("1s", PARSE_OK, S);
	duration("1.5s", PARSE_OK, 1500 * MS);
	duration("2m", PARSE_OK, 120 * S);
	duration("90", PARSE_OK, 90 * S);
	duration("0.5ms", PARSE_TOO_SMALL, 0);
	duration("1000us", PARSE_OK, MS);
	duration("1h", PARSE_OK, 3600 * S);
	duration("1.001h", PARSE_TOO_LARGE, 0);
	duration("0ms", PARSE_TOO_SMALL, 0);
	duration("", PARSE_INVALID, 0);
	duration("ms", PARSE_INVALID, 0);
	duration("-1s", PARSE_INVALID, 0);
	duration("1 s", PARSE_INVALID, 0);
	duration("1sec", PARSE_INVALID, 0);
	duration("1e3ms", PARSE_INVALID, 0);
	duration("99999999999999999999s", PARSE_TOO_LARGE, 0);
	duration("18446744073709551615h", PARSE_TOO_LARGE, 0);
	duration(".5s", PARSE_OK, 500 * MS);
	duration("5.s", PARSE_OK, 5 * S);

	ok(parse_uint("42", 1, 100, &v) == PARSE_OK && v == 42, "uint 42");
	ok(parse_uint("0", 1, 100, &v) == PARSE_TOO_SMALL, "uint below min");
	ok(parse_uint("101", 1, 100, &v) == PARSE_TOO_LARGE, "uint above max");
	ok(parse_uint("18446744073709551616", 0, UINT64_MAX, &v) == PARSE_TOO_LARGE,
	   "uint overflow is too large, not wrapped");
	ok(parse_uint("", 0, 10, &v) == PARSE_INVALID, "empty uint");
	ok(parse_uint("+3", 0, 10, &v) == PARSE_INVALID, "sign is not a digit");
	ok(parse_uint("3x", 0, 10, &v) == PARSE_INVALID, "trailing text");

	ok(parse_percent_bp("2", 0, 10000, &v) == PARSE_OK && v == 200, "2 = 200 bp");
	ok(parse_percent_bp("2.5%", 0, 10000, &v) == PARSE_OK && v == 250, "2.5%% = 250 bp");
	ok(parse_percent_bp("101", 0, 10000, &v) == PARSE_TOO_LARGE, "101%% too large");
	ok(parse_percent_bp("%", 0, 10000, &v) == PARSE_INVALID, "bare %% invalid");
	ok(parse_percent_bp("5%%", 0, 10000, &v) == PARSE_INVALID, "double %% invalid");

	ok(parse_signal("TERM") == SIGTERM, "TERM");
	ok(parse_signal("sigint") == SIGINT, "sigint");
	ok(parse_signal("9") == SIGKILL, "9");
	ok(parse_signal("NOPE") == -1, "unknown name");
	ok(parse_signal("0") == -1, "0 is no signal");
	ok(parse_signal("") == -1, "empty");
	is_str(signal_name(SIGKILL), "KILL", "name of 9");
	return tap_done();
}
