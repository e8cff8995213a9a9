/* sample/cadence.c - when the next sample is due */
#include "config.h"

#include "sample/cadence.h"

void cadence_init(struct cadence *c, uint64_t t0_ns, uint64_t interval_ns)
{
	c->t0_ns = t0_ns;
	c->interval_ns = interval_ns ? interval_ns : 1;
	c->ramp_ns = CADENCE_RAMP_FIRST_NS < c->interval_ns ? CADENCE_RAMP_FIRST_NS : 0;
	c->prev_ns = 0;
	c->prev_rss_bytes = 0;
	c->have_prev = false;
	c->dense_until_ns = 0;
	c->burst_ticks = 0;
	c->ramp_ticks = 0;
}

bool cadence_moving(uint64_t prev_bytes, uint64_t now_bytes, uint64_t dt_ns,
		    uint64_t interval_ns)
{
	uint64_t delta = now_bytes > prev_bytes ? now_bytes - prev_bytes :
						  prev_bytes - now_bytes;
	uint64_t larger = now_bytes > prev_bytes ? now_bytes : prev_bytes;
	uint64_t threshold = larger / 20;
	double per_interval;

	if (!dt_ns || !delta)
		return false;
	if (threshold < CADENCE_MOVE_MIN_BYTES)
		threshold = CADENCE_MOVE_MIN_BYTES;
	per_interval = (double)delta * (double)interval_ns / (double)dt_ns;
	return per_interval >= (double)threshold;
}

uint64_t cadence_next(struct cadence *c, uint64_t now_ns, uint64_t rss_bytes,
		      uint64_t cost_ns, bool missed)
{
	uint64_t since = now_ns > c->t0_ns ? now_ns - c->t0_ns : 0;
	uint64_t next = c->t0_ns + (since / c->interval_ns + 1) * c->interval_ns;
	bool ramp = false;

	if (c->ramp_ns) {
		while (c->ramp_ns <= since)
			c->ramp_ns *= 2;
		if (c->ramp_ns >= c->interval_ns) {
			c->ramp_ns = 0;
		} else if (c->t0_ns + c->ramp_ns < next) {
			next = c->t0_ns + c->ramp_ns;
			ramp = true;
		}
	}
	if (missed)
		c->dense_until_ns = now_ns + c->interval_ns;
	if ((c->have_prev && now_ns > c->prev_ns &&
	     cadence_moving(c->prev_rss_bytes, rss_bytes, now_ns - c->prev_ns,
			    c->interval_ns)) || now_ns < c->dense_until_ns) {
		uint64_t burst = c->interval_ns / CADENCE_BURST_DIV;

		if (burst < CADENCE_BURST_MIN_NS)
			burst = CADENCE_BURST_MIN_NS;
		if (burst < cost_ns * CADENCE_BURST_CPU_DIV)
			burst = cost_ns * CADENCE_BURST_CPU_DIV;
		if (now_ns + burst < next) {
			next = now_ns + burst;
			ramp = false;
			c->burst_ticks++;
		}
	}
	c->ramp_ticks += ramp;
	c->prev_ns = now_ns;
	c->prev_rss_bytes = rss_bytes;
	c->have_prev = true;
	return next;
}
