/* run/overhead.c - what a run costs memwatch itself: CPU, rss over time, peak rss */
#include "config.h"

#include "run/overhead.h"

#include <string.h>
#include <unistd.h>

#include "supervise.h"
#include "util/clock.h"

#define FIRST_EVERY_NS 100000000ULL	/* 0.1 s, doubling as needed */

void overhead_begin(struct overhead *o)
{
	memset(o, 0, sizeof(*o));
	/* The clock first and last, the CPU time inside: the CPU time counted
	 * is all spent within the time it is divided by. */
	o->begin_ns = clock_mono_ns();
	o->cpu0_s = self_read_cpu_s();
	/* If the kernel cannot, the peak is that of memwatch's life so far. */
	self_reset_peak();
	o->self = probe_open(getpid());
	o->every_ns = FIRST_EVERY_NS;
}

void overhead_end(struct overhead *o)
{
	probe_close(o->self);
	o->self = NULL;
}

uint64_t overhead_read_rss(struct overhead *o)
{
	struct probe_fast f;

	return o->self && probe_fast(o->self, &f) ? f.rss_bytes : 0;
}

/* The series is bounded: when it is full, every other point goes and the
 * spacing doubles, so it covers the whole run in at most
 * RESULT_SELF_POINTS points however long the run is. */
void overhead_sample(struct overhead *o, struct result_sampler *s,
		     double t_s, uint64_t now_ns)
{
	struct probe_fast f;
	size_t i;

	if (now_ns < o->next_ns || !o->self || !probe_fast(o->self, &f))
		return;
	if (s->n_self_rss == RESULT_SELF_POINTS) {
		for (i = 0; i < RESULT_SELF_POINTS / 2; i++)
			s->self_rss[i] = s->self_rss[2 * i];
		s->n_self_rss = RESULT_SELF_POINTS / 2;
		o->every_ns *= 2;
	}
	s->self_rss[s->n_self_rss].t_s = t_s;
	s->self_rss[s->n_self_rss].rss_bytes = f.rss_bytes;
	s->n_self_rss++;
	/* On the schedule, not from this tick's (jittered) time. */
	o->next_ns = o->next_ns ? o->next_ns + o->every_ns : now_ns + o->every_ns;
	if (o->next_ns < now_ns)
		o->next_ns = now_ns + o->every_ns;
}

void overhead_finish(const struct overhead *o, struct result_sampler *s)
{
	double cpu_s = self_read_cpu_s() - o->cpu0_s;
	double elapsed_s = (double)(clock_mono_ns() - o->begin_ns) / 1e9;

	/* This run's: compare runs several in one memwatch. Over memwatch's
	 * own time for the run, which holds all of that CPU time (its set-up
	 * before the command starts, the command's last output drained after
	 * it ends), not over the command's: one thread's share is then at
	 * most 100% without a clamp to hide a wrong denominator. */
	s->cpu_s = cpu_s;
	s->cpu_pct = elapsed_s > 0 ? 100 * cpu_s / elapsed_s : 0;
	s->max_rss_bytes = self_read_peak_rss();
}
