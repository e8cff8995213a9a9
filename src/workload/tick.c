/* tick.c - one tick of the idle event loop on a worker: the timers and
 * events a dev server keeps handling when nobody is building
 *
 * Light on purpose: a few dozen small events allocated and the previous
 * tick's freed, now and then a 16 KiB buffer read and dropped (a watcher
 * looking at a file), and every half second or so a batch of notifications
 * handled on the next tick.  What matters is that each worker thread
 * keeps calling its allocator, so an allocator that gives memory back on
 * activity or on a timer checked on activity gets the chance to. */
#include <stdint.h>
#include <stdlib.h>

#include "workload/workload.h"

#define EVENTS_PER_TICK 24
#define EVENT_MIN_BYTES 48
#define EVENT_MAX_BYTES 200
#define BUFFER_EVERY_TICKS 8
#define BUFFER_BYTES ((size_t)16 << 10)
/* A batch of change notifications, larger objects than any node, now and
 * then: the only time the idle loop needs fresh pages, and frees whole ones. */
#define BATCH_EVERY_TICKS 10
#define BATCH_BYTES ((size_t)512 << 10)
#define BATCH_MIN_BYTES 640
#define BATCH_MAX_BYTES 1024

/* Free a worker's events of the last tick. */
void tick_free(struct worker *w)
{
	struct event *e, *next;

	for (e = w->events; e; e = next) {
		next = e->next;
		w->checksum ^= e->due;
		free(e);
	}
	w->events = NULL;
}

/* One tick on worker w: the last tick's events handled and freed, the next
 * ones allocated.  A tick that cannot allocate skips the rest: it has no
 * memory to show. */
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
	if ((tick + w->index) % BATCH_EVERY_TICKS == 0) {
		size_t batch_bytes = 0;

		while (batch_bytes < BATCH_BYTES) {
			size_t size_bytes = rng_range(&r, BATCH_MIN_BYTES, BATCH_MAX_BYTES);
			struct event *e = malloc(size_bytes);

			if (!e)
				return;
			e->due = (uint64_t)tick + 1;
			rng_fill(&r, e->payload, 64);
			e->next = w->events;
			w->events = e;
			batch_bytes += size_bytes;
		}
	}
	if ((tick + w->index) % BUFFER_EVERY_TICKS == 0) {
		unsigned char *buf = malloc(BUFFER_BYTES);

		if (buf) {
			rng_fill(&r, buf, BUFFER_BYTES);
			w->checksum ^= buf[BUFFER_BYTES - 1];
			free(buf);
		}
	}
}
