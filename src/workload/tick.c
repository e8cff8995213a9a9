/* tick.c - one tick of the idle event loop on the main thread: the timers
 * and events a dev server keeps handling when nobody is building
 *
 * Light on purpose: a few dozen small events allocated and the previous
 * tick's freed, now and then a 16 KiB buffer read and dropped (a watcher
 * looking at a file), and every half second a batch of change
 * notifications handled on a short-lived thread of its own, as a watcher's
 * callback thread does.  The pool's workers are not involved: between
 * builds they wait, and make no allocator call, as a dev server's build
 * threads do.  What an allocator gives back while idle is then what it
 * gives back on the event loop's activity, on a timer checked on that
 * activity, or when a thread exits. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "workload/workload.h"

#define EVENTS_PER_TICK 24
#define EVENT_MIN_BYTES 48
#define EVENT_MAX_BYTES 200
#define BUFFER_EVERY_TICKS 8
#define BUFFER_BYTES ((size_t)16 << 10)
/* A batch of change notifications, larger objects than any node: the only
 * time the idle loop needs fresh pages, and frees whole ones. */
#define BATCH_EVERY_TICKS 10
#define BATCH_BYTES ((size_t)512 << 10)
#define BATCH_MIN_BYTES 640
#define BATCH_MAX_BYTES 1024

/* What the batch's thread is given: the loop (for its checksum) and the
 * tick, which seeds the batch. */
struct tick_batch {
	struct worker *loop;
	unsigned tick;
	uint64_t checksum;
};

/* Free a list of events, folding them into the checksum. */
static void free_events(struct event *e, uint64_t *checksum)
{
	struct event *next;

	for (; e; e = next) {
		next = e->next;
		*checksum ^= e->due;
		free(e);
	}
}

/* Free the loop's events of the last tick. */
void tick_free(struct worker *w)
{
	free_events(w->events, &w->checksum);
	w->events = NULL;
}

/* Handle one batch of notifications: allocate them, read them, free them,
 * all on the calling thread. */
static void *batch_main(void *arg)
{
	struct tick_batch *t = arg;
	struct event *events = NULL;
	size_t batch_bytes = 0;
	struct rng r;

	rng_seed(&r, t->loop->build->opts->seed, t->tick, 0xba7c);
	while (batch_bytes < BATCH_BYTES) {
		size_t size_bytes = rng_range(&r, BATCH_MIN_BYTES, BATCH_MAX_BYTES);
		struct event *e = malloc(size_bytes);

		if (!e)
			break;
		e->due = (uint64_t)t->tick + rng_next(&r) % 64;
		rng_fill(&r, e->payload, 64);
		e->next = events;
		events = e;
		batch_bytes += size_bytes;
	}
	free_events(events, &t->checksum);
	return NULL;
}

/* Hand a batch to a thread of its own and wait for it; if no thread can be
 * started, handle it here. */
static void batch_run(struct worker *w, unsigned tick)
{
	struct tick_batch t = { w, tick, 0 };
	pthread_t thread;

	if (pthread_create(&thread, NULL, batch_main, &t) == 0)
		pthread_join(thread, NULL);
	else
		batch_main(&t);
	w->checksum ^= t.checksum;
}

/* One tick of the event loop w: the last tick's events handled and freed,
 * the next ones allocated.  A tick that cannot allocate skips the rest: it
 * has no memory to show. */
void tick_run(struct worker *w, unsigned tick)
{
	const struct options *opts = w->build->opts;
	struct rng r;
	unsigned i;

	tick_free(w);
	rng_seed(&r, opts->seed, ((uint64_t)w->index << 32) | tick, 0x71c);
	for (i = 0; i < EVENTS_PER_TICK; i++) {
		size_t size_bytes = rng_range(&r, EVENT_MIN_BYTES, EVENT_MAX_BYTES);
		struct event *e = malloc(size_bytes);

		if (!e)
			return;
		e->due = (uint64_t)tick + rng_range(&r, 1, 64);
		rng_fill(&r, e->payload, size_bytes - sizeof *e);
		e->next = w->events;
		w->events = e;
	}
	if (tick % BATCH_EVERY_TICKS == 0)
		batch_run(w, tick);
	if (tick % BUFFER_EVERY_TICKS == 0) {
		unsigned char *buf = malloc(BUFFER_BYTES);

		if (buf) {
			rng_fill(&r, buf, BUFFER_BYTES);
			w->checksum ^= buf[BUFFER_BYTES - 1];
			free(buf);
		}
	}
}
