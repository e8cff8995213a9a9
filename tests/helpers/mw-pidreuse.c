/* mw-pidreuse - two processes with the same pid in one run
 *
 * Forks a child that holds 4 MiB for --hold seconds and exits; then sets
 * the pid namespace's last pid (/proc/sys/kernel/ns_last_pid, which needs
 * CAP_SYS_ADMIN in the namespace) so the next fork gets the same pid, and
 * forks a second child that holds 8 MiB as long. Prints the pid both had.
 * Run it in a pid namespace of its own (unshare -pf --mount-proc), where
 * nothing else takes pids. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t hold_child(size_t mib, double seconds)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct timespec ts = { (time_t)seconds,
				       (long)((seconds - (double)(time_t)seconds) * 1e9) };
		size_t i;

		if (p == MAP_FAILED)
			_exit(1);
		for (i = 0; i < mib << 20; i += 4096)
			p[i] = 1;
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	return pid;
}

int main(int argc, char **argv)
{
	double hold = argc > 1 ? atof(argv[1]) : 0.6;
	pid_t first, second;
	char buf[32];
	int fd, n;

	first = hold_child(4, hold);
	if (first < 0 || waitpid(first, NULL, 0) < 0)
		return 1;
	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	n = snprintf(buf, sizeof(buf), "%d", (int)first - 1);
	if (fd < 0 || write(fd, buf, (size_t)n) != n) {
		fprintf(stderr, "mw-pidreuse: cannot set ns_last_pid: %s\n", strerror(errno));
		return 2;
	}
	close(fd);
	second = hold_child(8, hold);
	if (second < 0 || waitpid(second, NULL, 0) < 0)
		return 1;
	printf("mw-pidreuse: first %d second %d\n", (int)first, (int)second);
	return first == second ? 0 : 3;
}
