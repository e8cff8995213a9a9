/* build.c - the rounds of a build: the worker threads that run the phases,
 * what they share, and freeing it all at exit */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/workload.h"

/* calloc, or report exhaustion and exit: a workload that cannot allocate
 * has nothing to show. */
static void *wl_calloc(size_t count, size_t size_bytes)
{
	void *p = calloc(count, size_bytes);

	if (!p) {
		fprintf(stderr, "%s: out of memory (allocating %zu x %zu bytes)\n",
			PROGRAM_NAME, count, size_bytes);
		exit(WL_EXIT_FAILURE);
	}
	return p;
}

/* A worker of one round: the phases in order, all workers finishing one
 * before any starts the next, since an output needs all of its modules. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int phase;

	for (phase = 0; phase < PHASE_COUNT; phase++) {
		phase_run(w, (enum phase)phase);
		if (phase + 1 < PHASE_COUNT)
			pthread_barrier_wait(&w->build->phase_barrier);
	}
	return NULL;
}

/* Set up what all rounds share. */
void build_init(struct build *b, const struct options *opts)
{
	unsigned i;

	memset(b, 0, sizeof *b);
	b->opts = opts;
	b->module_count = (size_t)opts->size_mib * MODULES_PER_MIB;
	/* As many outputs as make them 2.5 MiB on average. */
	b->output_count = (size_t)opts->size_mib * CODE_SHARE_PCT / 100 * 2 / 5;
	if (b->output_count < 1)
		b->output_count = 1;
	b->modules = wl_calloc(b->module_count, sizeof *b->modules);
	b->workers = wl_calloc(opts->threads, sizeof *b->workers);
	for (i = 0; i < opts->threads; i++)
		b->workers[i].build = b;
}

/* One build: a fresh set of worker threads runs parse, transform and emit,
 * and exits, the way a build's thread pool winds down when the work is
 * done.  Stop signals are blocked in the workers so that they reach the
 * main thread.  Returns false if a stop signal cut the build short. */
bool build_round(struct build *b, unsigned round)
{
	sigset_t stop_set, old_set;
	unsigned i;
	int phase, err;

	b->round = round;
	for (phase = 0; phase < PHASE_COUNT; phase++)
		atomic_store(&b->next_item[phase], 0);
	err = pthread_barrier_init(&b->phase_barrier, NULL, b->opts->threads);
	if (err) {
		fprintf(stderr, "%s: cannot create a barrier: %s\n",
			PROGRAM_NAME, strerror(err));
		exit(WL_EXIT_FAILURE);
	}
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, &old_set);
	for (i = 0; i < b->opts->threads; i++) {
		err = pthread_create(&b->workers[i].thread, NULL, worker_main,
				     &b->workers[i]);
		if (err) {
			/* The threads already started wait at the barrier
			 * for good; exiting ends them. */
			fprintf(stderr, "%s: cannot start a worker thread: %s\n",
				PROGRAM_NAME, strerror(err));
			exit(WL_EXIT_FAILURE);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	for (i = 0; i < b->opts->threads; i++)
		pthread_join(b->workers[i].thread, NULL);
	pthread_barrier_destroy(&b->phase_barrier);
	return !workload_stop_signal;
}

/* Free the nodes of a list. */
static void free_nodes(struct node *n)
{
	struct node *next;

	for (; n; n = next) {
		next = n->next;
		free(n);
	}
}

/* Free the chunks of a list. */
static void free_chunks(struct chunk *c)
{
	struct chunk *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

/* Free everything at exit, survivors too, so that leak checkers see a
 * clean program; the workers must have been joined. */
void build_destroy(struct build *b)
{
	struct output *o, *next;
	size_t i;

	for (i = 0; i < b->module_count; i++) {
		free_nodes(b->modules[i].ast);
		free_chunks(b->modules[i].code);
	}
	for (i = 0; i < b->opts->threads; i++) {
		free_nodes(b->workers[i].kept.nodes);
		free_chunks(b->workers[i].kept.chunks);
		for (o = b->workers[i].kept.outputs; o; o = next) {
			next = o->next;
			free(o);
		}
	}
	free(b->modules);
	free(b->workers);
}
