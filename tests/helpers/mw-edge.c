/* mw-edge - programs that do things between a sampler's reads, each with a
 * known right answer (tests/integration/edges.sh)
 *
 *   mw-edge thread-fork CMD [ARG]...
 *       the main thread sleeps 100 ms, then a new thread forks and execs
 *       CMD and waits for it
 *   mw-edge lazy MIB SECS
 *       touch MIB MiB of private anonymous memory, free it with MADV_FREE
 *       after 0.5 s, stay idle SECS seconds, exit
 *   mw-edge leader-exit MIB1 MIB2
 *       the main thread touches MIB1 MiB, starts a worker and calls
 *       pthread_exit at 0.1 s; the worker sleeps 1 s, touches MIB2 MiB,
 *       holds them 2 s and returns, ending the process
 *   mw-edge shm-late MIB DELAY HOLD
 *       after DELAY seconds, map MIB MiB of shared anonymous memory, touch
 *       it, print "touched", hold it HOLD seconds
 *   mw-edge cow-share MIB SECS
 *       touch MIB MiB, fork a child that only reads them; both hold SECS
 *       seconds (one copy, shared copy-on-write)
 *   mw-edge cow-break MIB DELAY SECS
 *       touch MIB MiB and fork; after DELAY seconds the child writes every
 *       page (copy-on-write breaks: two copies, and no counter moves);
 *       both hold until SECS seconds after the fork
 *   mw-edge clone-vm MIB SECS
 *       touch MIB MiB, then clone a child sharing the address space
 *       (CLONE_VM, as vfork does until exec) that sleeps SECS seconds
 *   mw-edge become-root SECS
 *       installed setuid root: take root as every uid (as sudo does, so the
 *       user who started it may no longer signal it), sleep SECS seconds
 *   mw-edge churn THREADS MIB ROUNDS
 *       THREADS threads each allocate MIB MiB in 64 KiB blocks, all wait
 *       for each other, free it all, wait again: ROUNDS times; then exit.
 *       Its peak depends on the allocator (what it keeps between rounds),
 *       and comes and goes between the ticks of a 250 ms sampler.
 *   mw-edge late-exec MIB DELAY HOLD
 *       touch MIB MiB and fork; after DELAY seconds the child re-executes
 *       mw-edge as "mw-edge exec-done HOLD" (same program: its name and
 *       text size do not change), which holds HOLD seconds; the parent
 *       waits for it
 * Memory is touched a byte per page, through volatile pointers, so the
 * compiler cannot leave any of it out. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ruler.h"

#define MIB (1024UL * 1024)

static void touch(volatile char *p, size_t size, char v)
{
	size_t i;

	for (i = 0; i < size; i += 4096)
		p[i] = v;
}

static char *map_touched(size_t size, int flags)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mw-edge: mmap");
		exit(1);
	}
	touch(p, size, 1);
	return p;
}

/* --- thread-fork ------------------------------------------------------- */

static char **fork_argv;

static void *fork_from_thread(void *arg)
{
	pid_t c;

	(void)arg;
	c = fork();
	if (c == 0) {
		execvp(fork_argv[0], fork_argv);
		_exit(127);
	}
	if (c > 0)
		waitpid(c, NULL, 0);
	return NULL;
}

static int thread_fork(char **argv)
{
	pthread_t t;

	fork_argv = argv;
	ruler_sleep_s(0.1);
	if (pthread_create(&t, NULL, fork_from_thread, NULL))
		return 1;
	pthread_join(t, NULL);
	return 0;
}

/* --- leader-exit ------------------------------------------------------- */

static size_t worker_mib;

static void *late_worker(void *arg)
{
	char *p;

	(void)arg;
	ruler_sleep_s(1);
	p = map_touched(worker_mib * MIB, MAP_PRIVATE);
	ruler_sleep_s(2);
	return p;
}

static int leader_exit(size_t mib1, size_t mib2)
{
	pthread_t t;

	map_touched(mib1 * MIB, MAP_PRIVATE);
	worker_mib = mib2;
	if (pthread_create(&t, NULL, late_worker, NULL))
		return 1;
	ruler_sleep_s(0.1);
	pthread_exit(NULL);
}

/* --- clone-vm ---------------------------------------------------------- */

static int sleeper(void *arg)
{
	ruler_sleep_s(*(double *)arg);
	return 0;
}

static int clone_vm(size_t mib, double secs)
{
	size_t stack_size = 256 * 1024;
	char *stack = malloc(stack_size);
	pid_t c;

	map_touched(mib * MIB, MAP_PRIVATE);
	if (!stack)
		return 1;
	c = clone(sleeper, stack + stack_size, CLONE_VM | SIGCHLD, &secs);
	if (c < 0) {
		perror("mw-edge: clone");
		return 1;
	}
	waitpid(c, NULL, 0);
	return 0;
}

/* --- churn ------------------------------------------------------------- */

#define CHURN_BLOCK (64 * 1024)

static pthread_barrier_t churn_barrier;
static size_t churn_mib, churn_rounds;

static void *churn_worker(void *arg)
{
	size_t n = churn_mib * MIB / CHURN_BLOCK, r, i;
	char **blocks = calloc(n, sizeof(*blocks));

	(void)arg;
	if (!blocks)
		exit(1);
	for (r = 0; r < churn_rounds; r++) {
		for (i = 0; i < n; i++) {
			/* Sizes vary a little, as real objects do. */
			blocks[i] = malloc(CHURN_BLOCK - (i % 7) * 512);
			if (!blocks[i])
				exit(1);
			touch(blocks[i], CHURN_BLOCK - (i % 7) * 512, (char)r);
		}
		pthread_barrier_wait(&churn_barrier);
		for (i = 0; i < n; i++)
			free(blocks[i]);
		pthread_barrier_wait(&churn_barrier);
	}
	free(blocks);
	return NULL;
}

static int churn(size_t threads, size_t mib, size_t rounds)
{
	pthread_t *t = calloc(threads, sizeof(*t));
	size_t i;

	if (!t || !threads)
		return 1;
	churn_mib = mib;
	churn_rounds = rounds;
	pthread_barrier_init(&churn_barrier, NULL, (unsigned)threads);
	for (i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, churn_worker, NULL))
			return 1;
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}

static void usage(void)
{
	fputs("usage: mw-edge thread-fork CMD [ARG]... | lazy MIB S | leader-exit MIB1 MIB2 |\n"
	      "       shm-late MIB DELAY HOLD | cow-share MIB S | cow-break MIB D S |\n"
	      "       clone-vm MIB S |\n"
	      "       become-root S | churn THREADS MIB ROUNDS |\n"
	      "       late-exec MIB DELAY HOLD\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "thread-fork") && argc >= 3)
		return thread_fork(argv + 2);
	if (!strcmp(mode, "lazy") && argc == 4) {
		size_t size = strtoul(argv[2], NULL, 10) * MIB;
		char *p = map_touched(size, MAP_PRIVATE);

		ruler_sleep_s(0.5);
		if (madvise(p, size, MADV_FREE) < 0) {
			perror("mw-edge: madvise");
			return 1;
		}
		ruler_sleep_s(atof(argv[3]));
		return 0;
	}
	if (!strcmp(mode, "leader-exit") && argc == 4)
		return leader_exit(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10));
	if (!strcmp(mode, "shm-late") && argc == 5) {
		ruler_sleep_s(atof(argv[3]));
		map_touched(strtoul(argv[2], NULL, 10) * MIB, MAP_SHARED);
		printf("touched\n");
		fflush(stdout);
		ruler_sleep_s(atof(argv[4]));
		return 0;
	}
	if (!strcmp(mode, "cow-share") && argc == 4) {
		size_t size = strtoul(argv[2], NULL, 10) * MIB;
		volatile char *p = map_touched(size, MAP_PRIVATE);
		double secs = atof(argv[3]);
		pid_t c = fork();

		if (c == 0) {
			ruler_sleep_s(secs);
			_exit(p[size - 1] - 1);
		}
		ruler_sleep_s(secs);
		waitpid(c, NULL, 0);
		return 0;
	}
	if (!strcmp(mode, "cow-break") && argc == 5) {
		size_t size = strtoul(argv[2], NULL, 10) * MIB;
		char *p = map_touched(size, MAP_PRIVATE);
		double delay = atof(argv[3]), secs = atof(argv[4]);
		pid_t c = fork();

		if (c == 0) {
			ruler_sleep_s(delay);
			touch(p, size, 2);
			ruler_sleep_s(secs - delay);
			_exit(0);
		}
		ruler_sleep_s(secs);
		waitpid(c, NULL, 0);
		return 0;
	}
	if (!strcmp(mode, "clone-vm") && argc == 4)
		return clone_vm(strtoul(argv[2], NULL, 10), atof(argv[3]));
	if (!strcmp(mode, "become-root") && argc == 3) {
		if (setresuid(0, 0, 0) < 0) {
			perror("mw-edge: setresuid (install it setuid root)");
			return 1;
		}
		ruler_sleep_s(atof(argv[2]));
		return 0;
	}
	if (!strcmp(mode, "churn") && argc == 5)
		return churn(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10),
			     strtoul(argv[4], NULL, 10));
	if (!strcmp(mode, "late-exec") && argc == 5) {
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		pid_t c;

		map_touched(strtoul(argv[2], NULL, 10) * MIB, MAP_PRIVATE);
		if (n < 0) {
			perror("mw-edge: /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		c = fork();
		if (c == 0) {
			/* By its own path, so that its name (comm) stays mw-edge. */
			ruler_sleep_s(atof(argv[3]));
			execl(self, "mw-edge", "exec-done", argv[4], (char *)NULL);
			_exit(127);
		}
		waitpid(c, NULL, 0);
		return 0;
	}
	if (!strcmp(mode, "exec-done") && argc == 3) {
		ruler_sleep_s(atof(argv[2]));
		return 0;
	}
	usage();
	return 2;
}
