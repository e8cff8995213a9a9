/* bench-floor.c - the least a sampler of a process tree can do each tick
 *
 *   bench-floor ROOT_PID INTERVAL_MS DURATION_S
 *
 * Finds ROOT_PID's tree once (every thread's children list, recursively),
 * keeps /proc/PID/statm of each process open, then on an absolute schedule
 * (clock_nanosleep TIMER_ABSTIME: one system call per wakeup) preads every
 * statm, parses resident and shared pages as memwatch does, and sums them.
 * No discovery after the start, no status, no output until the end: the
 * floor that scripts/bench-overhead measures memwatch and its peers against.
 *
 * Prints one line on exit:
 *     bench-floor: processes=N ticks=T rss_bytes=LAST_SUM read_us_per_proc_tick=U
 * U is the time of the read loop alone on the monotonic clock, as memwatch
 * times its fast tier (fast_us_per_proc_tick).
 * Exits 1 if the tree cannot be read. Standalone (no config.h, no project
 * libraries), so the benchmark script can build it with cc alone. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 4096

static pid_t pids[MAX_PROCS];
static size_t n_pids;

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Append the children of every thread of pid, then theirs. */
static void add_tree(pid_t pid)
{
	char path[320], buf[4096];
	struct dirent *de;
	DIR *d;

	if (n_pids == MAX_PROCS)
		return;
	pids[n_pids++] = pid;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char *p, *next;
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children",
			 (int)pid, de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (p = buf;; p = next) {
			long child = strtol(p, &next, 10);

			if (next == p)
				break;
			add_tree((pid_t)child);
		}
	}
	closedir(d);
}

/* resident and shared pages: the second and third fields of statm. */
static int parse_statm(const char *s, uint64_t *resident, uint64_t *shared)
{
	char *end;

	strtoull(s, &end, 10);
	if (end == s)
		return -1;
	s = end;
	*resident = strtoull(s, &end, 10);
	if (end == s)
		return -1;
	s = end;
	*shared = strtoull(s, &end, 10);
	return end == s ? -1 : 0;
}

static void add_ns(struct timespec *ts, uint64_t ns)
{
	ns += (uint64_t)ts->tv_nsec;
	ts->tv_sec += (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

int main(int argc, char **argv)
{
	unsigned long root, interval_ms, duration_s, ticks = 0;
	uint64_t interval_ns, page = (uint64_t)sysconf(_SC_PAGESIZE), sum = 0;
	uint64_t read_ns = 0, t0;
	struct timespec next, end;
	static int fds[MAX_PROCS];
	size_t i, n_fds = 0;

	if (argc != 4 || parse_ulong(argv[1], 4194304, &root) < 0 ||
	    parse_ulong(argv[2], 3600000, &interval_ms) < 0 || !interval_ms ||
	    parse_ulong(argv[3], 86400, &duration_s) < 0) {
		fputs("usage: bench-floor ROOT_PID INTERVAL_MS DURATION_S\n", stderr);
		return 2;
	}
	add_tree((pid_t)root);
	for (i = 0; i < n_pids; i++) {
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/statm", (int)pids[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			fds[n_fds++] = fd;
	}
	if (!n_fds) {
		fprintf(stderr, "bench-floor: cannot read the tree of %lu\n", root);
		return 1;
	}
	interval_ns = (uint64_t)interval_ms * 1000000ULL;
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = next;
	add_ns(&end, (uint64_t)duration_s * 1000000000ULL);
	for (;;) {
		add_ns(&next, interval_ns);
		if (before(&end, &next))
			break;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		sum = 0;
		t0 = mono_ns();
		for (i = 0; i < n_fds; i++) {
			char buf[128];
			uint64_t resident, shared;
			ssize_t n = pread(fds[i], buf, sizeof(buf) - 1, 0);

			if (n <= 0)
				continue;
			buf[n] = '\0';
			if (parse_statm(buf, &resident, &shared) == 0)
				sum += resident * page;
		}
		read_ns += mono_ns() - t0;
		ticks++;
	}
	printf("bench-floor: processes=%zu ticks=%lu rss_bytes=%llu read_us_per_proc_tick=%.3f\n",
	       n_fds, ticks, (unsigned long long)sum,
	       ticks ? (double)read_ns / 1e3 / (double)(ticks * n_fds) : 0.0);
	return 0;
}
