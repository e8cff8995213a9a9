/* util/parse.h - checked parsing of numbers, durations and signals given by users */
#ifndef MEMWATCH_PARSE_H
#define MEMWATCH_PARSE_H

#include <stdbool.h>
#include <stdint.h>

enum parse_err {
	PARSE_OK = 0,
	PARSE_INVALID,		/* not of the expected form */
	PARSE_TOO_SMALL,	/* below min */
	PARSE_TOO_LARGE,	/* above max (or overflowed) */
};

/* Unsigned decimal integer, no sign, no trailing text. */
enum parse_err parse_uint(const char *s, uint64_t min, uint64_t max,
			  uint64_t *out);

/* A duration: a decimal number (fraction allowed) followed by one of
 * ns, us, ms, s, m, h; a bare number means seconds, as sleep(1) and
 * timeout(1) read it. */
enum parse_err parse_duration_ns(const char *s, uint64_t min_ns,
				 uint64_t max_ns, uint64_t *out_ns);

/* A percentage: a decimal number with an optional trailing '%', returned in
 * hundredths of a percent (basis points) to keep it an integer. */
enum parse_err parse_percent_bp(const char *s, uint64_t min_bp,
				uint64_t max_bp, uint64_t *out_bp);

/* A signal by name (TERM, SIGTERM, term) or number; -1 if unknown. */
int parse_signal(const char *s);

/* Name of a signal without the SIG prefix ("TERM"), or NULL. */
const char *signal_name(int sig);

#endif
