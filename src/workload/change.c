/* change.c - memwatch-workload --change: the other end of the file watcher,
 * a driver that asks a running workload for rebuilds and waits for each
 *
 * A file change is SIGHUP to the workload; the workload rebuilds on its
 * pool and answers with SIGUSR1 to whoever asked, so the driver's exit
 * marks the end of the load: memwatch --drive runs it. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workload/workload.h"

/* How long a rebuild may take before the driver gives up. */
#define CHANGE_TIMEOUT_S 120

/* The workload to drive: --target, else memwatch's MEMWATCH_TARGET_PID. */
static pid_t change_target(const struct options *opts)
{
	const char *env = getenv("MEMWATCH_TARGET_PID");
	long pid;
	char *end;

	if (opts->target_pid > 0)
		return opts->target_pid;
	if (!env)
		return 0;
	errno = 0;
	pid = strtol(env, &end, 10);
	if (errno || end == env || *end || pid <= 0)
		return 0;
	return (pid_t)pid;
}

/* Ask for opts->changes rebuilds, one after the other; returns the exit
 * status. */
int change_drive(const struct options *opts)
{
	struct timespec timeout = { CHANGE_TIMEOUT_S, 0 };
	pid_t target = change_target(opts);
	sigset_t ack_set;
	unsigned i;

	if (!target) {
		fprintf(stderr, "%s: --change: no --target and no "
			"MEMWATCH_TARGET_PID\n", PROGRAM_NAME);
		return WL_EXIT_USAGE;
	}
	sigemptyset(&ack_set);
	sigaddset(&ack_set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &ack_set, NULL);
	for (i = 0; i < opts->changes; i++) {
		if (kill(target, SIGHUP) < 0) {
			fprintf(stderr, "%s: --change: cannot signal %d: %s\n",
				PROGRAM_NAME, (int)target, strerror(errno));
			return WL_EXIT_FAILURE;
		}
		while (sigtimedwait(&ack_set, NULL, &timeout) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: --change: no rebuild of %d "
				"within %d s\n", PROGRAM_NAME, (int)target,
				CHANGE_TIMEOUT_S);
			return WL_EXIT_FAILURE;
		}
	}
	return WL_EXIT_OK;
}
