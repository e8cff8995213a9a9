/* service.c - the service child: started beside the main process, as
 * esbuild's service runs beside node, then awaited and stopped */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "workload/workload.h"

/* Start the service child: this program again, with --role=service and a
 * smaller build; it writes one byte to ready_fd when its build is done.
 * Returns its pid and the read end in *ready_read_fd, or -1 with errno. */
pid_t service_start(const struct options *opts, char *argv0,
		    int *ready_read_fd)
{
	char size_arg[32], threads_arg[32], rounds_arg[32], survivors_arg[32],
		seed_arg[48], fd_arg[32], tick_arg[32];
	char *args[] = {
		argv0, "--role=service", size_arg, threads_arg,
		rounds_arg, survivors_arg, seed_arg, fd_arg, tick_arg, NULL,
	};
	unsigned size_mib = opts->size_mib / 4 ? opts->size_mib / 4 : 1;
	unsigned threads = opts->threads / 2 ? opts->threads / 2 : 1;
	pid_t parent = getpid(), pid;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	snprintf(size_arg, sizeof size_arg, "--size=%u", size_mib);
	snprintf(threads_arg, sizeof threads_arg, "--threads=%u", threads);
	snprintf(rounds_arg, sizeof rounds_arg, "--rounds=%u", opts->rounds);
	snprintf(survivors_arg, sizeof survivors_arg, "--survivors=%u.%02u",
		 opts->survivors_bp / 100, opts->survivors_bp % 100);
	snprintf(seed_arg, sizeof seed_arg, "--seed=%llu",
		 (unsigned long long)(opts->seed + 1));
	snprintf(fd_arg, sizeof fd_arg, "--ready-fd=%d", fds[1]);
	snprintf(tick_arg, sizeof tick_arg, "--tick=%u", opts->tick_ms);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		static const char msg[] =
			PROGRAM_NAME ": cannot execute the service child\n";

		/* Only async-signal-safe calls between fork and exec.  The
		 * child must not outlive a parent that was SIGKILLed. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(WL_EXIT_FAILURE);
		fcntl(fds[1], F_SETFD, 0);
		execv("/proc/self/exe", args);
		if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
			_exit(127);
		_exit(127);
	}
	close(fds[1]);
	*ready_read_fd = fds[0];
	return pid;
}

/* Wait for the service child's byte.  Returns 1 when it is ready, 0 if a
 * stop signal came first, -1 if the child failed. */
int service_wait_ready(int ready_read_fd)
{
	char byte;
	ssize_t n;

	for (;;) {
		n = read(ready_read_fd, &byte, 1);
		if (n == 1)
			return 1;
		if (n < 0 && errno == EINTR) {
			if (workload_stop_signal)
				return 0;
			continue;
		}
		return -1;
	}
}

/* Stop the service child and reap it; it may already be a zombie. */
void service_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}
