/* fuzz_parse.c - the option parsers (parse.c) on any string
 *
 * Each answer is checked against a reference written apart, on 128-bit
 * integers, so that no overflow check is needed to get it right:
 * parse_uint, parse_duration_ns and parse_percent_bp give the exact value
 * and the right error, with and without bounds; a duration parses back
 * from its shortest form (fmt_duration_opt); parse_signal gives a known
 * signal for its number or its name, and -1 only when s is neither. */
#include "config.h"

#include <signal.h>
#include <strings.h>

#include "util/fmt.h"
#include "fuzz.h"
#include "util/parse.h"

typedef unsigned __int128 u128;

/* Far past UINT64_MAX * 10^3, and far from overflowing a u128. */
#define BIG ((u128)1 << 100)

static const struct {
	uint64_t min, max;
} bounds[] = {
	{ 0, UINT64_MAX },
	{ 1, 1000 },
	{ 1000000, 3600000000000ULL },	/* 1ms to 1h, in ns */
};
#define N_BOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static enum parse_err in_range(u128 v, uint64_t min, uint64_t max)
{
	if (v > UINT64_MAX)
		return PARSE_TOO_LARGE;
	if (v < min)
		return PARSE_TOO_SMALL;
	return v > max ? PARSE_TOO_LARGE : PARSE_OK;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static void check_uint(const char *s)
{
	enum parse_err want = PARSE_OK, got;
	const char *p;
	u128 v = 0;
	uint64_t out;
	size_t b;

	/* Left to right: the first non-digit or the first overflow decides. */
	if (!*s)
		want = PARSE_INVALID;
	for (p = s; *p && want == PARSE_OK; p++) {
		if (!digit(*p))
			want = PARSE_INVALID;
		else if ((v = v * 10 + (unsigned)(*p - '0')) > UINT64_MAX)
			want = PARSE_TOO_LARGE;
	}
	for (b = 0; b < N_BOUNDS; b++) {
		got = parse_uint(s, bounds[b].min, bounds[b].max, &out);
		FUZZ_ASSERT(got == (want != PARSE_OK ? want :
				    in_range(v, bounds[b].min, bounds[b].max)));
		if (got == PARSE_OK)
			FUZZ_ASSERT(out == v);
	}
}

/* A decimal with up to frac_digits significant fractional digits, scaled
 * by 10^frac_digits (more digits are cut, not rounded); *end after it.
 * PARSE_TOO_LARGE (past UINT64_MAX once scaled) wins over PARSE_INVALID,
 * as the parser finds it first. */
static enum parse_err ref_decimal(const char *s, unsigned frac_digits, u128 *out,
				  const char **end)
{
	u128 v = 0, scale = 1;
	bool any = false;
	unsigned i;

	for (; digit(*s); s++) {
		any = true;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > BIG)
			return PARSE_TOO_LARGE;
	}
	for (i = 0; i < frac_digits; i++) {
		v *= 10;
		scale *= 10;
	}
	if (*s == '.')
		for (s++; digit(*s); s++) {
			any = true;
			scale /= 10;
			v += (unsigned)(*s - '0') * scale;
		}
	if (v > UINT64_MAX)
		return PARSE_TOO_LARGE;
	if (!any)
		return PARSE_INVALID;
	*out = v;
	*end = s;
	return PARSE_OK;
}

static void check_duration(const char *s)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
		{ "", 1000000000 }, { "m", 60000000000ULL }, { "h", 3600000000000ULL },
	};
	enum parse_err want, got;
	const char *end = NULL;
	char buf[FMT_BUF];
	u128 milli = 0, ns = 0;
	uint64_t out, back;
	size_t b, i;

	want = ref_decimal(s, 3, &milli, &end);
	if (want == PARSE_OK) {
		want = PARSE_INVALID;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(end, units[i].suffix)) {
				ns = milli * units[i].ns / 1000;
				want = PARSE_OK;
				break;
			}
	}
	for (b = 0; b < N_BOUNDS; b++) {
		got = parse_duration_ns(s, bounds[b].min, bounds[b].max, &out);
		FUZZ_ASSERT(got == (want != PARSE_OK ? want :
				    in_range(ns, bounds[b].min, bounds[b].max)));
		if (got != PARSE_OK)
			continue;
		FUZZ_ASSERT(out == ns);
		/* Its shortest form reads back, where the number of that form
		 * (times 1000, as the parser holds it) fits. */
		if (out <= UINT64_MAX / 1000) {
			fmt_duration_opt(buf, out);
			FUZZ_ASSERT(parse_duration_ns(buf, 0, UINT64_MAX, &back) == PARSE_OK);
			FUZZ_ASSERT(back == out);
		}
	}
}

static void check_percent(const char *s)
{
	enum parse_err want, got;
	const char *end = NULL;
	u128 bp = 0;
	uint64_t out;
	size_t b;

	want = ref_decimal(s, 2, &bp, &end);
	if (want == PARSE_OK && *end == '%')
		end++;
	if (want == PARSE_OK && *end)
		want = PARSE_INVALID;
	for (b = 0; b < N_BOUNDS; b++) {
		got = parse_percent_bp(s, bounds[b].min, bounds[b].max, &out);
		FUZZ_ASSERT(got == (want != PARSE_OK ? want :
				    in_range(bp, bounds[b].min, bounds[b].max)));
		if (got == PARSE_OK)
			FUZZ_ASSERT(out == bp);
	}
}

static void check_signal(const char *s)
{
	const char *bare = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	int sig = parse_signal(s), i;
	const char *name;
	uint64_t n;

	if (parse_uint(s, 1, (uint64_t)SIGRTMAX, &n) == PARSE_OK) {
		FUZZ_ASSERT(sig == (int)n);
		return;
	}
	if (sig != -1) {
		name = signal_name(sig);
		FUZZ_ASSERT(name && strcasecmp(bare, name) == 0);
		return;
	}
	/* -1: no signal has this name. */
	for (i = 1; i <= SIGRTMAX; i++) {
		name = signal_name(i);
		FUZZ_ASSERT(!name || strcasecmp(bare, name) != 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);

	check_uint(s);
	check_duration(s);
	check_percent(s);
	check_signal(s);
	free(s);
	return 0;
}
