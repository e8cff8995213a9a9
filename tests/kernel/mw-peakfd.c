/* tests/kernel/mw-peakfd.c - a memory.peak fd reset, around a command
 *
 *   mw-peakfd PEAKFILE CMD [ARG...]
 *
 * Opens a cgroup's memory.peak for reading and writing, writes "reset" to
 * it (on Linux >= 6.12 that resets the peak this fd reports, not the
 * cgroup's), reads the fd's peak, runs CMD and waits for it, reads the fd's
 * peak again, then reads the file through a new fd, and prints
 *     reset=BYTES after=BYTES fresh=BYTES
 * Every read is a pread at offset 0: the write moved the fd's offset, and
 * a shell cannot seek. Exits 2 if the file cannot be opened or written (a
 * kernel before 6.12 refuses the write), 1 on any other failure. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The number in memory.peak, read through fd from its start. */
static long long peakfd_read(int fd)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

/* Run argv and wait for it; its exit status, or -1. */
static int peakfd_run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	long long reset_bytes, after_bytes, fresh_bytes;
	int fd, fresh;

	if (argc < 3) {
		fprintf(stderr, "usage: mw-peakfd PEAKFILE CMD [ARG...]\n");
		return 1;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || write(fd, "reset\n", 6) != 6) {
		fprintf(stderr, "mw-peakfd: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	reset_bytes = peakfd_read(fd);
	if (peakfd_run(argv + 2) != 0) {
		fprintf(stderr, "mw-peakfd: %s failed\n", argv[2]);
		return 1;
	}
	after_bytes = peakfd_read(fd);
	fresh = open(argv[1], O_RDONLY);
	fresh_bytes = fresh < 0 ? -1 : peakfd_read(fresh);
	printf("reset=%lld after=%lld fresh=%lld\n", reset_bytes, after_bytes, fresh_bytes);
	return reset_bytes < 0 || after_bytes < 0 || fresh_bytes < 0;
}
