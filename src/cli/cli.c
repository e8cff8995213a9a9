/* cli/cli.c - what every subcommand shares: option values, errors, standard output */
#include "config.h"

#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "util/fmt.h"
#include "util/parse.h"

/* One line on stderr: "memwatch: " and the message. */
static void vwarn(const char *fmt, va_list ap)
{
	fputs("memwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

uint64_t cli_duration(const char *opt, const char *arg, uint64_t min_ns,
		      uint64_t max_ns)
{
	char lim[FMT_BUF];
	uint64_t v = 0;

	switch (parse_duration_ns(arg, min_ns, max_ns, &v)) {
	case PARSE_OK:
		return v;
	case PARSE_INVALID:
		cli_usage_error("%s: '%s' is not a duration (a number with ms, s, m or h, e.g. 250ms)",
				opt, arg);
	case PARSE_TOO_SMALL:
		cli_usage_error("%s: '%s' is below the minimum of %s", opt, arg,
				fmt_duration_opt(lim, min_ns));
	case PARSE_TOO_LARGE:
		cli_usage_error("%s: '%s' is above the maximum of %s", opt, arg,
				fmt_duration_opt(lim, max_ns));
	}
	return v;
}

uint64_t cli_uint(const char *opt, const char *arg, uint64_t min, uint64_t max)
{
	uint64_t v = 0;

	switch (parse_uint(arg, min, max, &v)) {
	case PARSE_OK:
		return v;
	case PARSE_INVALID:
		cli_usage_error("%s: '%s' is not a whole number (allowed: %llu to %llu)",
				opt, arg, (unsigned long long)min,
				(unsigned long long)max);
	case PARSE_TOO_SMALL:
		cli_usage_error("%s: '%s' is below the minimum of %llu", opt, arg,
				(unsigned long long)min);
	case PARSE_TOO_LARGE:
		cli_usage_error("%s: '%s' is above the maximum of %llu", opt, arg,
				(unsigned long long)max);
	}
	return v;
}

uint64_t cli_percent_bp(const char *opt, const char *arg, uint64_t min_bp,
			uint64_t max_bp)
{
	uint64_t v = 0;

	switch (parse_percent_bp(arg, min_bp, max_bp, &v)) {
	case PARSE_OK:
		return v;
	case PARSE_INVALID:
		cli_usage_error("%s: '%s' is not a percentage (e.g. 2 or 2.5%%)", opt, arg);
	case PARSE_TOO_SMALL:
		cli_usage_error("%s: '%s' is below the minimum of %g%%", opt, arg,
				(double)min_bp / 100);
	case PARSE_TOO_LARGE:
		cli_usage_error("%s: '%s' is above the maximum of %g%%", opt, arg,
				(double)max_bp / 100);
	}
	return v;
}

int cli_signal(const char *opt, const char *arg)
{
	int sig = parse_signal(arg);

	if (sig < 0)
		cli_usage_error("%s: '%s' is not a signal (a name such as TERM or INT, or a number)",
				opt, arg);
	return sig;
}

size_t cli_terminal_columns(FILE *f)
{
	struct winsize ws;

	if (!f || !isatty(fileno(f)) || ioctl(fileno(f), TIOCGWINSZ, &ws) < 0 ||
	    ws.ws_col == 0)
		return 0;
	return ws.ws_col;
}

void cli_ignore_sigpipe(void)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };

	sigaction(SIGPIPE, &ign, NULL);
}

bool cli_close_stdout(void)
{
	bool ok = !ferror(stdout);
	int err = 0;

	errno = 0;
	if (fflush(stdout) != 0) {
		ok = false;
		err = errno;
	}
	if (fclose(stdout) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (ok)
		return true;
	/* A closed pipe gets its message too: memwatch's exit status would
	 * otherwise be read as the command's. An error stdio met earlier has
	 * lost its errno. */
	if (err)
		cli_warn("write error on standard output: %s", strerror(err));
	else
		cli_warn("write error on standard output");
	return false;
}

void cli_bad_option(char **argv, int opt)
{
	const char *arg = argv[optind - 1];

	if (opt == ':')
		cli_usage_error("option '%s' needs a value (see memwatch --help)", arg);
	if (optopt && strncmp(arg, "--", 2) != 0)
		cli_usage_error("unknown option '-%c' (see memwatch --help)", optopt);
	cli_usage_error("unknown option '%s' (see memwatch --help)", arg);
}

void cli_print_version(void)
{
	printf("memwatch %s\n", PACKAGE_VERSION);
}
