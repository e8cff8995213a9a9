/* options.c - the workload's command line: its options, their values and
 * --help */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/workload.h"

/* The --help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"       %s --change N [--target PID]\n"
		"A stand-in for a multi-threaded JavaScript dev server: it builds on\n"
		"a pool of worker threads, prints a line with \"ready in\", rebuilds\n"
		"on SIGHUP (a file changed), and otherwise idles, the workers waiting\n"
		"and a light event loop ticking, until SIGTERM or SIGINT.\n"
		"\n"
		"  -j, --threads N      worker threads (default 4, 1-256)\n"
		"  -s, --size MIB       scale: the live heap peaks at about MIB MiB\n"
		"                       (default 128, 1-65536)\n"
		"  -r, --rounds N       builds before the ready line (default 3,\n"
		"                       1-1000)\n"
		"  -k, --survivors PCT  share of the build's objects kept for good\n"
		"                       (default 3, 0-100, fractions allowed)\n"
		"      --seed N         seed of the pseudo-random project (default 1)\n"
		"      --tick MS        idle event-loop tick on the main thread, in ms\n"
		"                       (default 50, 0-60000; 0: sleep, no allocator\n"
		"                       call while idle)\n"
		"      --no-child       do not start the service child process\n"
		"      --change N       drive a running workload instead: ask it for\n"
		"                       N rebuilds (SIGHUP), waiting for each (1-1000)\n"
		"      --target PID     the workload --change drives (default:\n"
		"                       $MEMWATCH_TARGET_PID, set by memwatch --drive)\n"
		"  -h, --help           show this help\n",
		PROGRAM_NAME, PROGRAM_NAME);
}

/* Exit with a one-line usage error. */
static _Noreturn void die_usage(const char *option, const char *value,
				const char *what)
{
	fprintf(stderr, "%s: %s: '%s' %s\n", PROGRAM_NAME, option, value, what);
	exit(WL_EXIT_USAGE);
}

/* A whole number in [min, max], or a usage error. */
static unsigned long long parse_number(const char *option, const char *s,
				       unsigned long long min,
				       unsigned long long max)
{
	unsigned long long v = 0;
	bool overflow = false;
	char what[96];
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (ULLONG_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (p == s || *p || overflow || v < min || v > max) {
		snprintf(what, sizeof what,
			 "is not a whole number from %llu to %llu", min, max);
		die_usage(option, s, what);
	}
	return v;
}

/* A percentage with up to two decimals and an optional '%', in basis
 * points, or a usage error. */
static unsigned parse_percent_bp(const char *option, const char *s)
{
	static const char what[] = "is not a percentage from 0 to 100";
	unsigned long v = 0, scale = 100;
	bool any = false;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, any = true) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 100)
			die_usage(option, s, what);
	}
	v *= 100;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, any = true) {
			scale /= 10;
			v += (unsigned long)(*p - '0') * scale;
		}
	}
	if (*p == '%')
		p++;
	if (!any || *p || v > BP_ALL)
		die_usage(option, s, what);
	return (unsigned)v;
}

/* Read the command line into *opts; exits on errors and on --help. */
void options_parse(struct options *opts, int argc, char **argv)
{
	enum { OPT_SEED = 256, OPT_NO_CHILD, OPT_ROLE, OPT_READY_FD, OPT_TICK,
	       OPT_CHANGE, OPT_TARGET };
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 'j' },
		{ "size", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "survivors", required_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "no-child", no_argument, NULL, OPT_NO_CHILD },
		{ "tick", required_argument, NULL, OPT_TICK },
		{ "change", required_argument, NULL, OPT_CHANGE },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "help", no_argument, NULL, 'h' },
		/* Internal: how the service child is started. */
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "ready-fd", required_argument, NULL, OPT_READY_FD },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opts->threads = 4;
	opts->tick_ms = 50;
	opts->changes = 0;
	opts->target_pid = 0;
	opts->size_mib = 128;
	opts->rounds = 3;
	opts->survivors_bp = 300;
	opts->seed = 1;
	opts->child = true;
	opts->service = false;
	opts->ready_fd = -1;
	while ((c = getopt_long(argc, argv, "j:s:r:k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts->threads = (unsigned)parse_number("--threads",
							       optarg, 1, 256);
			break;
		case 's':
			opts->size_mib = (unsigned)parse_number("--size",
								optarg, 1,
								65536);
			break;
		case 'r':
			opts->rounds = (unsigned)parse_number("--rounds",
							      optarg, 1, 1000);
			break;
		case 'k':
			opts->survivors_bp = parse_percent_bp("--survivors",
							      optarg);
			break;
		case OPT_SEED:
			opts->seed = parse_number("--seed", optarg, 0,
						  UINT64_MAX);
			break;
		case OPT_TICK:
			opts->tick_ms = (unsigned)parse_number("--tick", optarg,
							       0, 60000);
			break;
		case OPT_CHANGE:
			opts->changes = (unsigned)parse_number("--change",
							       optarg, 1, 1000);
			break;
		case OPT_TARGET:
			opts->target_pid = (pid_t)parse_number("--target",
							       optarg, 1,
							       INT_MAX);
			break;
		case OPT_NO_CHILD:
			opts->child = false;
			break;
		case OPT_ROLE:
			if (strcmp(optarg, "service"))
				die_usage("--role", optarg,
					  "is not a role (service)");
			opts->service = true;
			opts->child = false;
			break;
		case OPT_READY_FD:
			opts->ready_fd = (int)parse_number("--ready-fd",
							   optarg, 0, INT_MAX);
			break;
		case 'h':
			usage(stdout);
			if (fflush(stdout) || ferror(stdout)) {
				fprintf(stderr, "%s: cannot write to stdout: "
					"%s\n", PROGRAM_NAME, strerror(errno));
				exit(WL_EXIT_FAILURE);
			}
			exit(WL_EXIT_OK);
		default:
			fprintf(stderr, "Try '%s --help'.\n", PROGRAM_NAME);
			exit(WL_EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n",
			PROGRAM_NAME, argv[optind]);
		exit(WL_EXIT_USAGE);
	}
}
