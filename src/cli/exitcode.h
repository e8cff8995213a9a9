/* cli/exitcode.h - memwatch's exit statuses (documented in memwatch(1)) */
#ifndef MEMWATCH_EXITCODE_H
#define MEMWATCH_EXITCODE_H

/* Besides these, memwatch exits with the target's own status: its exit code,
 * or 128+N when a signal N killed it, as time(1) and shells report it. */
enum exit_code {
	EXIT_OK = 0,
	EXIT_THRESHOLD = 1,	/* diff: a --max-increase threshold was exceeded */
	EXIT_USAGE = 2,		/* bad option, value or input file */
	EXIT_TIMEOUT = 124,	/* -t/--timeout stopped the tree */
	EXIT_MEMWATCH_FAILED = 125,	/* memwatch itself failed (I/O, resources) */
	EXIT_CANNOT_EXECUTE = 126,	/* COMMAND found but could not be executed */
	EXIT_NOT_FOUND = 127,	/* COMMAND not found */
};

#endif
