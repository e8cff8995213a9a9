/* build.c - the worker pool and the releaser: threads that live as long as
 * the program and run the builds and free their module graphs, the idle
 * tick on the event loop, what they share, and freeing it all */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
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

/* Stop signals are blocked in the workers, so that they reach the main
 * thread. */
static void block_stop_signals(sigset_t *old_set)
{
	sigset_t stop_set;

	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop_set, old_set);
}

/* A build on one worker: the phases in order, all workers finishing one
 * before any starts the next, since an output needs all of its modules. */
static void worker_round(struct worker *w)
{
	int phase;

	for (phase = 0; phase < PHASE_COUNT; phase++) {
		phase_run(w, (enum phase)phase);
		if (phase + 1 < PHASE_COUNT)
			pthread_barrier_wait(&w->build->phase_barrier);
	}
}

/* A worker of the pool: waits for a job, does its share, says so, and
 * waits for the next, until JOB_QUIT. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct build *b = w->build;
	unsigned seen_gen = 0;
	enum job job;

	for (;;) {
		pthread_mutex_lock(&b->lock);
		while (b->job_gen == seen_gen)
			pthread_cond_wait(&b->job_cond, &b->lock);
		seen_gen = b->job_gen;
		job = b->job;
		pthread_mutex_unlock(&b->lock);
		if (job == JOB_QUIT)
			return NULL;
		if (job == JOB_ROUND)
			worker_round(w);
		pthread_mutex_lock(&b->lock);
		if (++b->done == b->opts->threads)
			pthread_cond_signal(&b->done_cond);
		pthread_mutex_unlock(&b->lock);
	}
}

/* Start the pool's workers, once. */
static void pool_start(struct build *b)
{
	sigset_t old_set;
	unsigned i;
	int err;

	block_stop_signals(&old_set);
	for (i = 0; i < b->opts->threads; i++) {
		err = pthread_create(&b->workers[i].thread, NULL, worker_main,
				     &b->workers[i]);
		if (err) {
			/* The threads already started wait for a job for
			 * good; exiting ends them. */
			fprintf(stderr, "%s: cannot start a worker thread: %s\n",
				PROGRAM_NAME, strerror(err));
			exit(WL_EXIT_FAILURE);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	b->started = true;
}

/* Hand a job to every worker and wait until all have done it. */
static void pool_run(struct build *b, enum job job)
{
	if (!b->started)
		pool_start(b);
	pthread_mutex_lock(&b->lock);
	b->job = job;
	b->done = 0;
	b->job_gen++;
	pthread_cond_broadcast(&b->job_cond);
	while (job != JOB_QUIT && b->done < b->opts->threads)
		pthread_cond_wait(&b->done_cond, &b->lock);
	pthread_mutex_unlock(&b->lock);
}

/* Set up what all rounds share. */
void build_init(struct build *b, const struct options *opts)
{
	unsigned i;
	int err;

	memset(b, 0, sizeof *b);
	b->opts = opts;
	b->module_count = (size_t)opts->size_mib * MODULES_PER_MIB;
	/* As many outputs as make them 2.5 MiB on average. */
	b->output_count = (size_t)opts->size_mib * CODE_SHARE_PCT / 100 * 2 / 5;
	if (b->output_count < 1)
		b->output_count = 1;
	b->modules = wl_calloc(b->module_count, sizeof *b->modules);
	b->workers = wl_calloc(opts->threads, sizeof *b->workers);
	for (i = 0; i < opts->threads; i++) {
		b->workers[i].build = b;
		b->workers[i].index = i;
	}
	b->loop.build = b;
	b->loop.index = opts->threads;
	err = pthread_barrier_init(&b->phase_barrier, NULL, opts->threads);
	if (!err)
		err = pthread_mutex_init(&b->lock, NULL);
	if (!err)
		err = pthread_cond_init(&b->job_cond, NULL);
	if (!err)
		err = pthread_cond_init(&b->done_cond, NULL);
	if (!err)
		err = pthread_cond_init(&b->release_cond, NULL);
	if (err) {
		fprintf(stderr, "%s: cannot set up the worker pool: %s\n",
			PROGRAM_NAME, strerror(err));
		exit(WL_EXIT_FAILURE);
	}
}

/* The releaser: a thread that lives as long as the program and frees each
 * finished build's module graph when handed one, as servers free large
 * structures on a background thread rather than on their event loop.
 * Between builds it waits, and makes no allocator call. */
static void *releaser_main(void *arg)
{
	struct build *b = arg;
	unsigned seen_gen = 0;

	for (;;) {
		pthread_mutex_lock(&b->lock);
		while (b->release_gen == seen_gen && !b->releaser_quit)
			pthread_cond_wait(&b->release_cond, &b->lock);
		seen_gen = b->release_gen;
		pthread_mutex_unlock(&b->lock);
		if (seen_gen == b->released_gen)
			return NULL;	/* asked to quit, nothing handed over */
		phase_release(b);
		pthread_mutex_lock(&b->lock);
		b->released_gen = seen_gen;
		pthread_cond_signal(&b->done_cond);
		pthread_mutex_unlock(&b->lock);
	}
}

/* Hand the finished build's module graph to the releaser and wait until it
 * is freed; free it on this thread if the releaser cannot be started. */
static void release_graph(struct build *b)
{
	sigset_t old_set;
	int err;

	if (!b->releaser_started) {
		block_stop_signals(&old_set);
		err = pthread_create(&b->releaser, NULL, releaser_main, b);
		pthread_sigmask(SIG_SETMASK, &old_set, NULL);
		if (err) {
			phase_release(b);
			return;
		}
		b->releaser_started = true;
	}
	pthread_mutex_lock(&b->lock);
	b->release_gen++;
	pthread_cond_signal(&b->release_cond);
	while (b->released_gen != b->release_gen)
		pthread_cond_wait(&b->done_cond, &b->lock);
	pthread_mutex_unlock(&b->lock);
}

/* One build: parse, transform and emit over the project on the pool, then
 * the module graph released.  Returns false if a stop signal cut it
 * short. */
bool build_round(struct build *b, unsigned round)
{
	b->round = round;
	pool_run(b, JOB_ROUND);
	release_graph(b);
	return !workload_stop_signal;
}

/* One tick of the idle event loop, on this thread; the workers wait. */
void build_tick(struct build *b)
{
	b->tick++;
	tick_run(&b->loop, b->tick);
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

	if (b->started) {
		pool_run(b, JOB_QUIT);
		for (i = 0; i < b->opts->threads; i++)
			pthread_join(b->workers[i].thread, NULL);
	}
	if (b->releaser_started) {
		pthread_mutex_lock(&b->lock);
		b->releaser_quit = true;
		pthread_cond_signal(&b->release_cond);
		pthread_mutex_unlock(&b->lock);
		pthread_join(b->releaser, NULL);
	}
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
	free_nodes(b->cache.nodes);
	free_chunks(b->cache.chunks);
	tick_free(&b->loop);
	free(b->modules);
	free(b->workers);
	pthread_barrier_destroy(&b->phase_barrier);
}
