/* memwatch-workload - a stand-in for a multi-threaded JavaScript bundler
 *
 * What `memwatch compare` measures when it is given no command.  It treats
 * memory the way a bundler such as esbuild or Vite does, in plain C11 with
 * pthreads, and deterministically (fixed-seed xorshift; --seed), so runs
 * are comparable:
 *
 *   startup    a service child is started (fork, then exec of this program
 *              with --role=service, as esbuild's service runs beside node);
 *              it builds a quarter-size project of its own with half the
 *              threads and stays alive through the idle phase.  Both inherit
 *              the environment, so an LD_PRELOAD'ed allocator reaches both.
 *   build      --rounds times, a pool of --threads worker threads that lives
 *              as long as the program (as a dev server's thread pool does)
 *              runs three phases over the project's modules (4 modules per
 *              MiB of --size), each phase's items dealt to the workers one
 *              further on, so a module's objects come from several threads:
 *     parse      each module's source is read into a buffer, scanned byte by
 *                byte and dropped; its AST is a list of small nodes of mixed
 *                size classes, 16-512 B;
 *     transform  each module is lowered into 16 KiB arena chunks of output
 *                code, with as many 16 KiB scratch chunks allocated, filled
 *                and freed beside them;
 *     emit       output files of 1-4 MiB are printed from the code of their
 *                modules, "written" (checksummed) and freed.
 *              Then the build's module graph, every AST and code chunk, is
 *              freed by the releaser, a thread of its own that also lives as
 *              long as the program (as servers free large structures off
 *              their event loop), while the workers wait for the next build.
 *   ready      one line containing "ready in".
 *   load       each SIGHUP (a file changed; memwatch-workload --change N is
 *              the driver that sends them) rebuilds once more on the same
 *              pool and answers the sender with SIGUSR1.
 *   idle       the workers and the releaser wait, making no allocator call;
 *              every --tick ms (default 50) the main thread's event loop
 *              handles a few timers and events: small allocations freed on
 *              the next tick, a 16 KiB buffer now and then, and every half
 *              second a batch of notifications on a short-lived thread
 *              (tick.c).  SIGTERM or SIGINT stop the service child and end
 *              the program with status 0.
 *
 * Scale: the ASTs (60% of SIZE) and the code chunks (40%) are all live at the
 * end of emit, so the live heap peaks at SIZE MiB plus the cache (SIZE * PCT%
 * per round) and the outputs in flight.  With allocator overhead and what
 * is freed but not given back, the main process peaks at 1.3 to 1.9 times
 * SIZE MiB of footprint at the default size, depending on the allocator,
 * the service child at a quarter of that.
 *
 * Survivors: --survivors PCT of the nodes and code chunks are kept for the
 * rest of the program, as a module graph cache for incremental rebuilds
 * does: copied by the releaser into fresh allocations of its own, so they
 * lie together, and the pages the build used hold nothing live once it is
 * released (as many outputs are kept, where they were allocated).  Once the
 * program is quiet, what each allocator still holds depends on how it gives
 * memory back, and on which thread's activity:
 *   - glibc malloc returns memory as it frees: from the top of a heap (sbrk
 *     trim of the main heap, heap_trim of a thread arena's heap) and by
 *     munmap of chunks it mmapped.  It has no timer, so what it keeps at the
 *     end of the load it keeps while idle.
 *   - jemalloc's dirty pages decay over 10 s (dirty_decay_ms), checked on
 *     activity in their arena; the workers' arenas, where the graph was
 *     freed to, see none while the workers wait, so it keeps them.
 *   - mimalloc 2.0 keeps a page with the thread that allocated from it; a
 *     block freed by another thread waits in the page's cross-thread list
 *     until the owner allocates or collects again, which a waiting worker
 *     never does, so the released graph stays resident.
 *   - mimalloc 3.0 abandons a full page, so the thread that frees its last
 *     block (the releaser) frees the page, and an empty page is purged
 *     after MIMALLOC_PURGE_DELAY (2.5 s) inside a later allocator call; in
 *     3.0.1 the calls on the freeing paths can miss a due purge for good,
 *     the collection when a thread exits does not: the batch's thread.
 *   - gperftools tcmalloc gives free spans back at a trickle, one span per
 *     thousand pages freed at TCMALLOC_RELEASE_RATE 1, so it keeps nearly
 *     everything too.
 * Nothing in here knows which allocator it runs on.
 *
 * This file holds main: startup, the ready line and the idle loop.  The
 * rest is in options.c (the command line), service.c (the service child),
 * build.c (the worker pool and the releaser), phase.c (the work of parse,
 * transform and emit, and the release), tick.c (the idle tick), change.c
 * (the --change driver) and rng.c;
 * workload.h is what they share. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "workload/workload.h"

volatile sig_atomic_t workload_stop_signal;
volatile sig_atomic_t workload_change_from;

/* Note the stop signal; whoever waits looks at it. */
static void on_stop_signal(int sig)
{
	workload_stop_signal = sig;
}

/* Milliseconds on the monotonic clock, for the "ready in" line. */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A rebuild was asked for: remember who asked, to answer when done. */
static void on_change_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	workload_change_from = si->si_pid > 0 ? si->si_pid : -1;
}

/* Wait for a signal, or for tick_ms when ticking.  Signals are blocked
 * except while waiting, so none is lost between a look and the wait. */
static void idle_wait(unsigned tick_ms, const sigset_t *wait_set)
{
	struct timespec ts = { tick_ms / 1000, (long)(tick_ms % 1000) * 1000000L };

	if (!tick_ms)
		sigsuspend(wait_set);
	else
		ppoll(NULL, 0, &ts, wait_set);
}

/* The idle phase: the event loop ticks on the pool's workers until a stop
 * signal, and a change signal rebuilds and answers whoever sent it. */
static void idle_until_stopped(struct build *b, unsigned round)
{
	sigset_t block_set, wait_set;
	pid_t from;

	sigemptyset(&block_set);
	sigaddset(&block_set, SIGTERM);
	sigaddset(&block_set, SIGINT);
	sigaddset(&block_set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block_set, &wait_set);
	sigdelset(&wait_set, SIGTERM);
	sigdelset(&wait_set, SIGINT);
	sigdelset(&wait_set, SIGHUP);
	while (!workload_stop_signal) {
		if (workload_change_from) {
			from = workload_change_from;
			workload_change_from = 0;
			if (!build_round(b, round++))
				break;
			if (from > 0)
				kill(from, SIGUSR1);
			continue;
		}
		idle_wait(b->opts->tick_ms, &wait_set);
		if (!workload_stop_signal && !workload_change_from &&
		    b->opts->tick_ms)
			build_tick(b);
	}
}

int main(int argc, char **argv)
{
	int64_t start_ms = now_ms();
	struct options opts;
	struct sigaction sa;
	struct build b;
	pid_t service_pid = -1;
	int ready_read_fd = -1, status = WL_EXIT_OK;
	unsigned round;

	options_parse(&opts, argc, argv);
	if (opts.changes)
		return change_drive(&opts);

	/* No SA_RESTART: a stop signal must interrupt the wait for the
	 * service child. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = NULL;
	sa.sa_sigaction = on_change_signal;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGHUP, &sa, NULL);

	if (opts.child) {
		service_pid = service_start(&opts, argv[0], &ready_read_fd);
		if (service_pid < 0) {
			fprintf(stderr, "%s: cannot start the service child: %s\n",
				PROGRAM_NAME, strerror(errno));
			return WL_EXIT_FAILURE;
		}
	}
	build_init(&b, &opts);
	for (round = 0; round < opts.rounds; round++)
		if (!build_round(&b, round))
			goto out;

	if (service_pid > 0) {
		int ready = service_wait_ready(ready_read_fd);

		close(ready_read_fd);
		if (ready == 0)
			goto out;
		if (ready < 0) {
			fprintf(stderr, "%s: the service child failed\n",
				PROGRAM_NAME);
			status = WL_EXIT_FAILURE;
			goto out;
		}
	}
	if (opts.service) {
		char byte = 1;

		if (opts.ready_fd >= 0 &&
		    (write(opts.ready_fd, &byte, 1) != 1 ||
		     close(opts.ready_fd) < 0)) {
			fprintf(stderr, "%s: service: cannot report the build "
				"done: %s\n", PROGRAM_NAME, strerror(errno));
			status = WL_EXIT_FAILURE;
			goto out;
		}
	} else {
		printf("%s: ready in %lld ms (%u round%s, %u thread%s, %u MiB, "
		       "%s)\n", PROGRAM_NAME, (long long)(now_ms() - start_ms),
		       opts.rounds, opts.rounds == 1 ? "" : "s",
		       opts.threads, opts.threads == 1 ? "" : "s",
		       opts.size_mib,
		       service_pid > 0 ? "1 child" : "no child");
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "%s: cannot write to stdout: %s\n",
				PROGRAM_NAME, strerror(errno));
			status = WL_EXIT_FAILURE;
			goto out;
		}
	}
	idle_until_stopped(&b, opts.rounds);
out:
	build_destroy(&b);
	if (service_pid > 0)
		service_stop(service_pid);
	return status;
}
