/* mw-tree - the ruler: a process tree holding a known amount of memory
 *
 * The parent starts each role by re-executing itself (so no process
 * shares copy-on-write pages with another), waits until every role has
 * allocated and touched its memory, prints one line
 *     mw-tree: ready expected_footprint_bytes=N lazyfree_bytes=L
 * holds for --hold seconds, then releases everyone and exits.
 *
 * Roles: the parent's own private memory; children, one with a grandchild;
 * a double-forked daemon (reparented to the nearest subreaper); sharers
 * that map one shared memfd (rss counts it in each, pss divides it); and a
 * process that frees its memory with MADV_FREE (still in rss, counted in
 * LazyFree, not in footprint).
 *
 * Release is a pipe: every role blocks reading it; the parent closing its
 * write end (or dying) ends them all.
 *
 * --busy MS keeps the tree running instead of asleep, for benchmarks: every
 * MS milliseconds until release, each process writes one byte to every page
 * of its private memory (the parent, children, grandchild and daemon) or
 * reads one from every page of the shared map (sharers), so its CPU time
 * moves while its footprint stays the same; the lazyfree role stays asleep
 * (a write would take its pages back). Without --busy nothing changes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ruler.h"

#define MIB (1024UL * 1024UL)
#define MAX_CHILDREN 64

static long page_size;
/* --busy: milliseconds between passes over the memory; 0 = asleep. */
static unsigned long busy_ms;

static void die(const char *what)
{
	fprintf(stderr, "mw-tree: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Map and dirty size bytes of private anonymous memory. */
static char *alloc_touch(size_t size)
{
	char *p;
	size_t i;

	if (!size)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (i = 0; i < size; i += (size_t)page_size)
		p[i] = (char)(i / (size_t)page_size + 1);
	return p;
}

static void tell_ready(int fd)
{
	char c = 'r';

	if (write(fd, &c, 1) != 1)
		die("ready pipe");
}

/* Block until the parent releases (closes the pipe). */
static void wait_release(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* One pass over size bytes at p: a byte of every page written (write) or
 * read. The pages stay resident and dirty; only CPU time moves. */
static void busy_pass(char *p, size_t size, int write)
{
	volatile char *v = p;
	char sum = 0;
	size_t i;

	for (i = 0; p && i < size; i += (size_t)page_size) {
		if (write)
			v[i] = (char)(v[i] + 1);
		else
			sum = (char)(sum + v[i]);
	}
	(void)sum;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --busy: a pass every busy_ms until the parent releases (the pipe's write
 * end closed: poll reports it readable or hung up). */
static void busy_until_release(int fd, char *p, size_t size, int write)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	for (;;) {
		int n = poll(&pfd, 1, (int)busy_ms);

		if (n > 0)
			break;
		if (n < 0 && errno != EINTR)
			die("poll");
		busy_pass(p, size, write);
	}
}

static char self_exe[4096];

static pid_t spawn_role(const char *role, unsigned long mib, const char *extra,
			int ready_fd, int release_fd)
{
	char mib_s[32], rfd[16], lfd[16], busy_s[32];
	char *argv[16];
	int n = 0;
	pid_t pid;

	snprintf(mib_s, sizeof(mib_s), "%lu", mib);
	snprintf(rfd, sizeof(rfd), "%d", ready_fd);
	snprintf(lfd, sizeof(lfd), "%d", release_fd);
	snprintf(busy_s, sizeof(busy_s), "%lu", busy_ms);
	argv[n++] = "mw-tree";
	argv[n++] = "--role";
	argv[n++] = (char *)role;
	argv[n++] = "--mib";
	argv[n++] = mib_s;
	argv[n++] = "--ready-fd";
	argv[n++] = rfd;
	argv[n++] = "--release-fd";
	argv[n++] = lfd;
	if (extra) {
		argv[n++] = "--extra";
		argv[n++] = (char *)extra;
	}
	if (busy_ms) {
		argv[n++] = "--busy";
		argv[n++] = busy_s;
	}
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execv(self_exe, argv);
		die("exec");
	}
	return pid;
}

static int run_role(const char *role, unsigned long mib, const char *extra,
		    int ready_fd, int release_fd)
{
	size_t size = mib * MIB;
	pid_t kid = -1;
	char *mem = NULL;
	int busy_write = 1;

	if (!strcmp(role, "child")) {
		unsigned long g = extra ? strtoul(extra, NULL, 10) : 0;

		if (g)
			kid = spawn_role("grandchild", g, NULL, ready_fd, release_fd);
		mem = alloc_touch(size);
	} else if (!strcmp(role, "grandchild") || !strcmp(role, "daemon")) {
		if (!strcmp(role, "daemon"))
			setsid();
		mem = alloc_touch(size);
	} else if (!strcmp(role, "sharer")) {
		int memfd = extra ? atoi(extra) : -1;
		volatile char *p;
		size_t i;
		char sum = 0;

		p = mmap(NULL, size, PROT_READ, MAP_SHARED, memfd, 0);
		if (p == MAP_FAILED)
			die("mmap shared");
		for (i = 0; i < size; i += (size_t)page_size)
			sum += p[i];
		(void)sum;
		mem = (char *)p;
		busy_write = 0;
	} else if (!strcmp(role, "lazyfree")) {
		char *p = alloc_touch(size);

		if (p && madvise(p, size, MADV_FREE) < 0)
			die("madvise(MADV_FREE)");
	} else {
		fprintf(stderr, "mw-tree: unknown role '%s'\n", role);
		return 2;
	}
	tell_ready(ready_fd);
	if (busy_ms && mem)
		busy_until_release(release_fd, mem, size, busy_write);
	else
		wait_release(release_fd);
	if (kid > 0)
		waitpid(kid, NULL, 0);
	return 0;
}

static void usage(void)
{
	fputs("usage: mw-tree [--parent MIB] [--child MIB]... [--grandchild MIB]\n"
	      "               [--daemon MIB] [--shared MIB --sharers N]\n"
	      "               [--lazyfree MIB] [--hold SECONDS] [--busy MS]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "parent", required_argument, NULL, 'p' },
		{ "child", required_argument, NULL, 'c' },
		{ "grandchild", required_argument, NULL, 'g' },
		{ "daemon", required_argument, NULL, 'd' },
		{ "shared", required_argument, NULL, 's' },
		{ "sharers", required_argument, NULL, 'S' },
		{ "lazyfree", required_argument, NULL, 'l' },
		{ "hold", required_argument, NULL, 'H' },
		{ "role", required_argument, NULL, 'r' },
		{ "mib", required_argument, NULL, 'm' },
		{ "extra", required_argument, NULL, 'x' },
		{ "ready-fd", required_argument, NULL, 'R' },
		{ "release-fd", required_argument, NULL, 'L' },
		{ "busy", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long parent = 0, children[MAX_CHILDREN], grandchild = 0, daemon = 0;
	unsigned long shared = 0, sharers = 0, lazyfree = 0, mib = 0;
	double hold = 1;
	const char *role = NULL, *extra = NULL;
	int nchildren = 0, ready_fd = -1, release_fd = -1, c, expected_ready = 0;
	int ready[2], release[2], memfd = -1, i;
	unsigned long long expect;
	struct timespec ts;
	char memfd_s[16], *parent_mem;

	page_size = sysconf(_SC_PAGESIZE);
	if (readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1) < 0)
		die("readlink /proc/self/exe");
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': parent = strtoul(optarg, NULL, 10); break;
		case 'c':
			if (nchildren == MAX_CHILDREN)
				usage();
			children[nchildren++] = strtoul(optarg, NULL, 10);
			break;
		case 'g': grandchild = strtoul(optarg, NULL, 10); break;
		case 'd': daemon = strtoul(optarg, NULL, 10); break;
		case 's': shared = strtoul(optarg, NULL, 10); break;
		case 'S': sharers = strtoul(optarg, NULL, 10); break;
		case 'l': lazyfree = strtoul(optarg, NULL, 10); break;
		case 'H': hold = strtod(optarg, NULL); break;
		case 'r': role = optarg; break;
		case 'm': mib = strtoul(optarg, NULL, 10); break;
		case 'x': extra = optarg; break;
		case 'R': ready_fd = atoi(optarg); break;
		case 'L': release_fd = atoi(optarg); break;
		case 'b':
			busy_ms = strtoul(optarg, NULL, 10);
			if (!busy_ms || busy_ms > 60000)
				usage();
			break;
		default: usage();
		}
	}
	if (role)
		return run_role(role, mib, extra, ready_fd, release_fd);

	/* Only the ends the roles use cross exec; the parent's own ends must
	 * not, or closing release[1] would not reach them. */
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(release, O_CLOEXEC) < 0 ||
	    fcntl(ready[1], F_SETFD, 0) < 0 || fcntl(release[0], F_SETFD, 0) < 0)
		die("pipe");
	/* The lazyfree role holds its memory for real until its madvise:
	 * start it first and wait, so that moment overlaps no other role's
	 * and the tree's footprint only grows until the plateau. */
	if (lazyfree) {
		char ch;

		spawn_role("lazyfree", lazyfree, NULL, ready[1], release[0]);
		if (read(ready[0], &ch, 1) != 1)
			die("the lazyfree role failed");
	}
	if (shared) {
		char *p;
		size_t k;

		memfd = memfd_create("mw-tree-shared", 0);
		if (memfd < 0 || ftruncate(memfd, (off_t)(shared * MIB)) < 0)
			die("memfd");
		p = mmap(NULL, shared * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
		if (p == MAP_FAILED)
			die("mmap memfd");
		for (k = 0; k < shared * MIB; k += (size_t)page_size)
			p[k] = 1;
		snprintf(memfd_s, sizeof(memfd_s), "%d", memfd);
		for (i = 0; i < (int)sharers; i++, expected_ready++)
			spawn_role("sharer", shared, memfd_s, ready[1], release[0]);
	}
	for (i = 0; i < nchildren; i++, expected_ready++) {
		char g[32];

		snprintf(g, sizeof(g), "%lu", i == 0 ? grandchild : 0);
		spawn_role("child", children[i], g, ready[1], release[0]);
		if (i == 0 && grandchild)
			expected_ready++;
	}
	if (daemon) {
		/* The classic double fork: the middle process exits at once,
		 * so the daemon is orphaned and reparented. */
		pid_t mid = fork();

		if (mid < 0)
			die("fork");
		if (mid == 0) {
			spawn_role("daemon", daemon, NULL, ready[1], release[0]);
			_exit(0);
		}
		waitpid(mid, NULL, 0);
		expected_ready++;
	}
	close(release[0]);
	close(ready[1]);
	parent_mem = alloc_touch(parent * MIB);
	for (i = 0; i < expected_ready; i++) {
		char ch;

		if (read(ready[0], &ch, 1) != 1)
			die("a role failed before it was ready");
	}
	expect = (parent + daemon + grandchild + shared) * MIB;
	for (i = 0; i < nchildren; i++)
		expect += children[i] * MIB;
	printf("mw-tree: ready expected_footprint_bytes=%llu lazyfree_bytes=%lu processes=%d\n",
	       expect, lazyfree * MIB, expected_ready + 1);
	fflush(stdout);
	if (busy_ms) {
		/* The parent's own passes, until the hold ends. */
		double end = mono_s() + hold, left;

		while ((left = end - mono_s()) > 0) {
			if (left <= (double)busy_ms / 1e3) {
				ruler_sleep_s(left);
				break;
			}
			ruler_sleep_s((double)busy_ms / 1e3);
			busy_pass(parent_mem, parent * MIB, 1);
		}
	} else {
		ts.tv_sec = (time_t)hold;
		ts.tv_nsec = (long)((hold - (double)ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	close(release[1]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
