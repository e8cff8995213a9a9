/* util/parse.c - checked parsing of numbers, durations and signals given by users */
#include "config.h"

#include "util/parse.h"

#include <ctype.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Parse "123" or "123.456" into an integer scaled by 10^frac_digits, where
 * only up to frac_digits fractional digits are significant (more are
 * truncated). Sets *end to the first unparsed character. */
static enum parse_err parse_decimal(const char *s, unsigned frac_digits,
				    uint64_t *out, const char **end)
{
	uint64_t v = 0;
	bool any = false;
	unsigned i;

	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return PARSE_TOO_LARGE;
		v = v * 10 + d;
		any = true;
	}
	for (i = 0; i < frac_digits; i++) {
		if (v > UINT64_MAX / 10)
			return PARSE_TOO_LARGE;
		v *= 10;
	}
	if (*s == '.') {
		uint64_t scale = 1;
		uint64_t frac = 0;

		s++;
		for (i = 0; i < frac_digits; i++)
			scale *= 10;
		for (; isdigit((unsigned char)*s); s++) {
			any = true;
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*s - '0') * scale;
			}
		}
		if (v > UINT64_MAX - frac)
			return PARSE_TOO_LARGE;
		v += frac;
	}
	if (!any)
		return PARSE_INVALID;
	*out = v;
	*end = s;
	return PARSE_OK;
}

static enum parse_err check_range(uint64_t v, uint64_t min, uint64_t max,
				  uint64_t *out)
{
	if (v < min)
		return PARSE_TOO_SMALL;
	if (v > max)
		return PARSE_TOO_LARGE;
	*out = v;
	return PARSE_OK;
}

enum parse_err parse_uint(const char *s, uint64_t min, uint64_t max,
			  uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return PARSE_INVALID;
	for (; *s; s++) {
		unsigned d;

		if (!isdigit((unsigned char)*s))
			return PARSE_INVALID;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return PARSE_TOO_LARGE;
		v = v * 10 + d;
	}
	return check_range(v, min, max, out);
}

enum parse_err parse_duration_ns(const char *s, uint64_t min_ns,
				 uint64_t max_ns, uint64_t *out_ns)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 },
		{ "us", 1000 },
		{ "ms", 1000000 },
		{ "s", 1000000000 },
		{ "", 1000000000 },
		{ "m", 60ULL * 1000000000 },
		{ "h", 3600ULL * 1000000000 },
	};
	uint64_t milli;	/* the number, times 1000 */
	const char *end;
	enum parse_err err;
	size_t i;

	err = parse_decimal(s, 3, &milli, &end);
	if (err)
		return err;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		/* milli * ns / 1000 without overflow where it fits */
		uint64_t whole = milli / 1000, frac = milli % 1000;
		if (whole > UINT64_MAX / units[i].ns)
			return PARSE_TOO_LARGE;
		uint64_t v = whole * units[i].ns;
		uint64_t f = frac * units[i].ns / 1000;
		if (v > UINT64_MAX - f)
			return PARSE_TOO_LARGE;
		return check_range(v + f, min_ns, max_ns, out_ns);
	}
	return PARSE_INVALID;
}

enum parse_err parse_percent_bp(const char *s, uint64_t min_bp,
				uint64_t max_bp, uint64_t *out_bp)
{
	uint64_t v;
	const char *end;
	enum parse_err err;

	err = parse_decimal(s, 2, &v, &end);
	if (err)
		return err;
	if (*end == '%')
		end++;
	if (*end)
		return PARSE_INVALID;
	return check_range(v, min_bp, max_bp, out_bp);
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "ABRT", SIGABRT }, { "SEGV", SIGSEGV },
	{ "PIPE", SIGPIPE }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "CHLD", SIGCHLD },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "SYS", SIGSYS },
	{ "WINCH", SIGWINCH }, { "URG", SIGURG }, { "PROF", SIGPROF },
	{ "VTALRM", SIGVTALRM }, { "IO", SIGIO }, { "PWR", SIGPWR },
};

int parse_signal(const char *s)
{
	uint64_t n;
	size_t i;

	if (parse_uint(s, 1, (uint64_t)SIGRTMAX, &n) == PARSE_OK)
		return (int)n;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}

const char *signal_name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}
