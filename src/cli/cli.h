/* cli/cli.h - what every subcommand shares: option values, errors, standard output
 *
 * Only this layer (and main) prints to the user and exits. */
#ifndef MEMWATCH_CLI_H
#define MEMWATCH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* "memwatch: <message>" on stderr, then exit with EXIT_USAGE. */
__attribute__((noreturn, format(printf, 1, 2)))
void cli_usage_error(const char *fmt, ...);

/* "memwatch: <message>" on stderr. */
__attribute__((format(printf, 1, 2)))
void cli_warn(const char *fmt, ...);

/* Option values, checked against their range; a bad one is a usage error
 * naming the option, the value and what is allowed. */
uint64_t cli_duration(const char *opt, const char *arg, uint64_t min_ns,
		      uint64_t max_ns);
uint64_t cli_uint(const char *opt, const char *arg, uint64_t min, uint64_t max);
uint64_t cli_percent_bp(const char *opt, const char *arg, uint64_t min_bp,
			uint64_t max_bp);
int cli_signal(const char *opt, const char *arg);

/* The width of the terminal f writes to, in columns; 0 if f is not a
 * terminal. */
size_t cli_terminal_columns(FILE *f);

/* After a run: a reader that has gone makes writing the report fail with
 * EPIPE (exit status 125) rather than kill memwatch with SIGPIPE, whose
 * 141 would read as the command's own status. */
void cli_ignore_sigpipe(void);

/* Check that everything written to stdout got there (a full disk, a closed
 * pipe); print the error and return false if not. */
bool cli_close_stdout(void);

/* Report what getopt_long (with opterr = 0 and a leading ':' in the
 * option string) rejected: an unknown option, or one missing its value. */
__attribute__((noreturn))
void cli_bad_option(char **argv, int opt);

/* The --help and --version texts. */
void cli_print_version(void);

#endif
