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
 *   build      --rounds times (a first build, then rebuilds on file change),
 *              --threads fresh worker threads run three phases over the
 *              project's modules (4 modules per MiB of --size), then exit,
 *              as a build's thread pool winds down when the work is done:
 *     parse      each module's source is read into a buffer, scanned byte by
 *                byte and dropped; its AST is a list of small nodes of mixed
 *                size classes, 16-512 B;
 *     transform  each module is lowered into 16 KiB arena chunks of output
 *                code, with as many 16 KiB scratch chunks allocated, filled
 *                and freed beside them;
 *     emit       output files of 1-4 MiB are printed from the code of their
 *                modules, "written" (checksummed) and freed; the ASTs and
 *                code chunks of those modules are dropped as they are copied.
 *   ready      one line containing "ready in", then idle: the main thread
 *              sleeps in sigsuspend and no allocator code runs until SIGTERM
 *              or SIGINT, which stop the service child and end the program
 *              with status 0.
 *
 * Scale: the ASTs (60% of SIZE) and the code chunks (40%) are all live at the
 * end of transform, so the live heap peaks at SIZE MiB plus the survivors of
 * earlier rounds (SIZE * PCT% per round) and the outputs in flight.  With
 * allocator overhead and fragmentation the main process peaks at about
 * 1.5 * SIZE MiB of footprint (1.3x at 256 MiB, 1.8x at 64), the service
 * child at a quarter of that.
 *
 * Survivors: every phase frees most of what it allocated but keeps a sparse
 * share (--survivors PCT of nodes, chunks and outputs, chosen by a hash of
 * their position, so scattered over the whole heap) for the rest of the
 * program, as a module graph cache for incremental rebuilds does.  Once the
 * program is quiet, what each allocator still holds depends on how it gives
 * memory back:
 *   - glibc malloc returns memory only from the top of a heap (sbrk trim of
 *     the main heap, heap_trim of a thread arena's heap) and by munmap of
 *     chunks it mmapped; free space below the highest live chunk stays
 *     resident, and arenas outlive their threads.  Without survivors all of
 *     it goes back; with them it keeps almost its peak.  (Freeing the first
 *     mmapped source buffer or output also raises the dynamic mmap
 *     threshold, so later ones come from the arenas.)
 *   - jemalloc's dirty pages decay over 10 s, and only on allocator activity,
 *     but when the last thread of an arena exits its tcache teardown purges
 *     all of the arena's dirty pages.  The workers exit after each build, so
 *     jemalloc keeps only the slabs (1-7 pages) and 16 KiB extents that hold
 *     a survivor.
 *   - mimalloc v2 frees a 64 KiB page only when every block in it is free,
 *     and decommits it after a delay (decommit_delay, 25 ms in 2.0), inside a
 *     later allocator call of the same thread.  An exiting thread abandons
 *     its segments as they are (abandoned_page_decommit is off), so the
 *     workers' last frees stay resident; the survivors leave few 64 KiB pages
 *     empty in the first place.
 *   - gperftools tcmalloc gives free spans back at a trickle, one span per
 *     thousand pages freed at TCMALLOC_RELEASE_RATE 1, so it keeps nearly
 *     everything too.
 * Nothing in here knows which allocator it runs on.
 *
 * This file holds main: startup, the ready line and the idle phase.  The
 * rest is in options.c (the command line), service.c (the service child),
 * build.c (the rounds and their worker threads) and phase.c (the work of
 * parse, transform and emit); workload.h is what they share. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "workload/workload.h"

volatile sig_atomic_t workload_stop_signal;

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

/* Sleep until a stop signal, without touching the allocator. */
static void idle_until_stopped(void)
{
	sigset_t stop_set, wait_set;

	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, &wait_set);
	sigdelset(&wait_set, SIGTERM);
	sigdelset(&wait_set, SIGINT);
	while (!workload_stop_signal)
		sigsuspend(&wait_set);
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

	/* No SA_RESTART: a stop signal must interrupt the wait for the
	 * service child. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

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
	idle_until_stopped();
out:
	build_destroy(&b);
	if (service_pid > 0)
		service_stop(service_pid);
	return status;
}
