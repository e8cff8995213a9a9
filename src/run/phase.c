/* run/phase.c - the phases of a run: ready, load, idle windows */
#include "config.h"

#include "run/phase.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Every move of the phases. An event not listed for a phase is ignored
 * there (a second ready line, the ready line after a timeout). */
static const struct phase_transition transitions[] = {
	{ PHASE_START, PHASE_EV_READY,		PHASE_LOAD, ACT_NONE },
	{ PHASE_START, PHASE_EV_READY_TIMEOUT,	PHASE_END,  ACT_READY_TIMEOUT },
	{ PHASE_LOAD,  PHASE_EV_DRIVE_DUE,	PHASE_LOAD, ACT_START_DRIVE },
	{ PHASE_LOAD,  PHASE_EV_LOAD_OVER,	PHASE_LOAD, ACT_LOAD_END },
	{ PHASE_LOAD,  PHASE_EV_LOAD_TAKEN,	PHASE_IDLE, ACT_NONE },
	{ PHASE_IDLE,  PHASE_EV_IDLE_OVER,	PHASE_END,  ACT_PLANNED_END },
	{ PHASE_IDLE,  PHASE_EV_WINDOW_DUE,	PHASE_IDLE, ACT_IDLE_CHECKPOINT },
};

const struct phase_transition *phase_lookup(enum phase_name from,
					    enum phase_event event)
{
	size_t i;

	for (i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
		if (transitions[i].from == from && transitions[i].event == event)
			return &transitions[i];
	return NULL;
}

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

void phase_drive_exited(struct phase *ph, uint64_t now_ns)
{
	(void)now_ns;
	ph->drive_exited = true;
}

/* How long the load phase lasts by the clock: --load; or with --idle
 * alone one window, the command's start-up, which without a ready line
 * memwatch cannot tell from idling; 0 if not by the clock. */
static uint64_t load_window_ns(const struct phase *ph)
{
	if (ph->o.load_ns)
		return ph->o.load_ns;
	return ph->o.wait_ready ? 0 : ph->o.idle_ns;
}

/* Whether the load phase is over: the driver's exit ends it; else its
 * window; else, with idle windows to watch, it is empty (idling starts at
 * the ready line); else it lasts as long as the command. */
static bool load_over(const struct phase *ph, uint64_t now_ns)
{
	if (ph->o.drive)
		return ph->drive_exited;
	if (load_window_ns(ph))
		return now_ns >= ph->load_start_ns + load_window_ns(ph);
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

/* The event due in the current phase at now_ns, if any, the first of
 * them in the order the phase meets them. */
static bool phase_due(const struct phase *ph, uint64_t now_ns,
		      enum phase_event *ev)
{
	switch (ph->name) {
	case PHASE_START:
		*ev = PHASE_EV_READY_TIMEOUT;
		return ph->o.ready_timeout_ns &&
		       now_ns >= ph->t0_ns + ph->o.ready_timeout_ns;
	case PHASE_LOAD:
		if (ph->o.drive && !ph->drive_started)
			*ev = PHASE_EV_DRIVE_DUE;
		else if (ph->load_ended)
			*ev = PHASE_EV_LOAD_TAKEN;
		else if (load_over(ph, now_ns))
			*ev = PHASE_EV_LOAD_OVER;
		else
			return false;
		return true;
	case PHASE_IDLE:
		if (!ph->o.idle_ns || ph->settled || ph->idle_done >= ph->o.checkpoints)
			*ev = PHASE_EV_IDLE_OVER;
		else if (now_ns >= ph->load_end_ns + ph->o.idle_ns * (ph->idle_done + 1))
			*ev = PHASE_EV_WINDOW_DUE;
		else
			return false;
		return true;
	case PHASE_END:
		break;
	}
	return false;
}

/* Make the move t at now_ns: the phase's own bookkeeping for it. */
static void phase_move(struct phase *ph, const struct phase_transition *t,
		       uint64_t now_ns, char *label, size_t len)
{
	if (t->to == PHASE_LOAD && t->from != PHASE_LOAD)
		ph->load_start_ns = now_ns;
	ph->name = t->to;
	switch (t->action) {
	case ACT_START_DRIVE:
		ph->drive_started = true;
		break;
	case ACT_LOAD_END:
		ph->load_ended = true;
		ph->load_end_ns = now_ns;
		break;
	case ACT_IDLE_CHECKPOINT:
		ph->idle_done++;
		phase_idle_label(&ph->o, ph->idle_done, label, len);
		break;
	case ACT_NONE:
	case ACT_READY_TIMEOUT:
	case ACT_PLANNED_END:
		break;
	}
}

void phase_ready(struct phase *ph, uint64_t now_ns)
{
	const struct phase_transition *t = phase_lookup(ph->name, PHASE_EV_READY);

	if (t)
		phase_move(ph, t, now_ns, NULL, 0);
}

enum phase_action phase_next(struct phase *ph, uint64_t now_ns, char *label,
			     size_t len)
{
	const struct phase_transition *t;
	enum phase_event ev;

	while (phase_due(ph, now_ns, &ev) && (t = phase_lookup(ph->name, ev))) {
		phase_move(ph, t, now_ns, label, len);
		if (t->action != ACT_NONE)
			return t->action;
	}
	return ACT_NONE;
}

uint64_t phase_deadline_ns(const struct phase *ph)
{
	switch (ph->name) {
	case PHASE_START:
		return ph->o.ready_timeout_ns ? ph->t0_ns + ph->o.ready_timeout_ns : 0;
	case PHASE_LOAD:
		if (ph->load_ended)
			return ph->load_end_ns;	/* move on at once */
		if (!ph->o.drive && load_window_ns(ph))
			return ph->load_start_ns + load_window_ns(ph);
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
