/* phase.c - the phases of a run: ready, load, idle windows */
#include "config.h"

#include "run/phase.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void phase_init(struct phase *ph, const struct phase_opts *o, uint64_t t0_ns)
{
	memset(ph, 0, sizeof(*ph));
	ph->o = *o;
	ph->t0_ns = t0_ns;
	ph->name = o->wait_ready ? PHASE_START : PHASE_LOAD;
	if (!o->wait_ready)
		ph->load_start_ns = t0_ns;
}

bool phase_configured(const struct phase_opts *o)
{
	return o->wait_ready || o->drive || o->load_ns || o->idle_ns;
}

void phase_idle_label(const struct phase_opts *o, unsigned k, char *label,
		      size_t len)
{
	uint64_t ns = o->idle_ns * k;

	if (ns % UINT64_C(1000000000) == 0)
		snprintf(label, len, "idle_%" PRIu64 "s", ns / UINT64_C(1000000000));
	else
		snprintf(label, len, "idle_%" PRIu64 "ms", ns / UINT64_C(1000000));
}

void phase_ready(struct phase *ph, uint64_t now_ns)
{
	if (ph->name != PHASE_START)
		return;
	ph->name = PHASE_LOAD;
	ph->load_start_ns = now_ns;
}

void phase_drive_exited(struct phase *ph, uint64_t now_ns)
{
	(void)now_ns;
	ph->drive_exited = true;
}

/* Whether the load phase is over: the driver's exit ends it; else --load;
 * else, with idle windows to watch, it is empty (idling starts at ready);
 * else it lasts as long as the command. */
static bool load_over(const struct phase *ph, uint64_t now_ns)
{
	if (ph->o.drive)
		return ph->drive_exited;
	if (ph->o.load_ns)
		return now_ns >= ph->load_start_ns + ph->o.load_ns;
	return ph->o.idle_ns != 0;
}

static bool agree_within_1pct(const uint64_t *v)
{
	uint64_t lo = v[0], hi = v[0];
	unsigned i;

	for (i = 1; i < 3; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	return (hi - lo) * 100 <= hi;
}

void phase_checkpoint_taken(struct phase *ph, uint64_t footprint_bytes)
{
	if (ph->n_recent == 3) {
		ph->recent[0] = ph->recent[1];
		ph->recent[1] = ph->recent[2];
		ph->n_recent = 2;
	}
	ph->recent[ph->n_recent++] = footprint_bytes;
	if (ph->o.settle && ph->n_recent == 3 && agree_within_1pct(ph->recent))
		ph->settled = true;
}

enum phase_action phase_next(struct phase *ph, uint64_t now_ns, char *label,
			     size_t len)
{
	switch (ph->name) {
	case PHASE_START:
		if (ph->o.ready_timeout_ns &&
		    now_ns >= ph->t0_ns + ph->o.ready_timeout_ns) {
			ph->name = PHASE_END;
			return ACT_READY_TIMEOUT;
		}
		return ACT_NONE;
	case PHASE_LOAD:
		if (ph->o.drive && !ph->drive_started) {
			ph->drive_started = true;
			return ACT_START_DRIVE;
		}
		if (ph->load_end_ns) {
			/* The load_end checkpoint was taken in the load phase;
			 * now move on. */
			ph->name = ph->o.idle_ns ? PHASE_IDLE : PHASE_END;
			if (ph->name == PHASE_END)
				return ACT_PLANNED_END;
			return phase_next(ph, now_ns, label, len);
		}
		if (!load_over(ph, now_ns))
			return ACT_NONE;
		ph->load_end_ns = now_ns;
		return ACT_LOAD_END;
	case PHASE_IDLE:
		if (ph->settled || ph->idle_done >= ph->o.checkpoints) {
			ph->name = PHASE_END;
			return ACT_PLANNED_END;
		}
		if (now_ns < ph->load_end_ns + ph->o.idle_ns * (ph->idle_done + 1))
			return ACT_NONE;
		ph->idle_done++;
		phase_idle_label(&ph->o, ph->idle_done, label, len);
		return ACT_IDLE_CHECKPOINT;
	case PHASE_END:
		return ACT_NONE;
	}
	return ACT_NONE;
}

uint64_t phase_deadline_ns(const struct phase *ph)
{
	switch (ph->name) {
	case PHASE_START:
		return ph->o.ready_timeout_ns ? ph->t0_ns + ph->o.ready_timeout_ns : 0;
	case PHASE_LOAD:
		if (ph->load_end_ns)
			return ph->load_end_ns;	/* move on at once */
		if (!ph->o.drive && ph->o.load_ns)
			return ph->load_start_ns + ph->o.load_ns;
		return 0;
	case PHASE_IDLE:
		return ph->load_end_ns + ph->o.idle_ns * (ph->idle_done + 1);
	case PHASE_END:
		return 0;
	}
	return 0;
}

const char *phase_str(const struct phase *ph)
{
	static const char *const names[] = { "start", "load", "idle", "end" };

	return names[ph->name];
}
