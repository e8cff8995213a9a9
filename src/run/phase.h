/* run/phase.h - the phases of a run: ready, load, idle windows
 *
 * A run may wait for a ready line, then load the command (a driver runs,
 * or a set time passes, or nothing), then watch it idle for --checkpoints
 * windows of --idle each. This state machine is told what happened (the
 * ready line, the driver's exit, the time) and says what to do next; the
 * run loop does it. What each event does in each phase is one table
 * (phase_lookup); when each event is due, one function of the options, the
 * time and what happened so far. */
#ifndef MEMWATCH_PHASE_H
#define MEMWATCH_PHASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct phase_opts {
	bool wait_ready;		/* --ready was given */
	uint64_t ready_timeout_ns;
	bool drive;			/* --drive was given */
	uint64_t load_ns;		/* --load; 0: none */
	uint64_t idle_ns;		/* --idle; 0: no idle phase */
	unsigned checkpoints;		/* idle windows */
	bool settle;			/* end idling once checkpoints agree */
};

enum phase_name {
	PHASE_START,	/* waiting for the ready line */
	PHASE_LOAD,
	PHASE_IDLE,
	PHASE_END,	/* the planned part is over */
};

enum phase_action {
	ACT_NONE,
	ACT_READY_TIMEOUT,	/* no ready line in time: stop the run */
	ACT_START_DRIVE,	/* the load phase began: start the driver */
	ACT_LOAD_END,		/* take the load_end checkpoint */
	ACT_IDLE_CHECKPOINT,	/* take an idle checkpoint (label given) */
	ACT_PLANNED_END,	/* all phases done: stop (or detach) */
};

/* What can happen in a phase. */
enum phase_event {
	PHASE_EV_READY,		/* the ready line was seen */
	PHASE_EV_READY_TIMEOUT,	/* ... and none came in time */
	PHASE_EV_DRIVE_DUE,	/* the load phase has a driver to start */
	PHASE_EV_LOAD_OVER,	/* the driver exited, --load passed, or idle
				 * windows follow an empty load */
	PHASE_EV_LOAD_TAKEN,	/* the load_end checkpoint is behind */
	PHASE_EV_WINDOW_DUE,	/* an idle window ended */
	PHASE_EV_IDLE_OVER,	/* every window was taken, or the checkpoints
				 * settled, or no window was asked for */
	PHASE_EV_COUNT
};

/* An event's effect in a phase: the phase it moves to, and what the run
 * does (ACT_NONE: nothing; a move without an action goes straight on). */
struct phase_transition {
	enum phase_name from;
	enum phase_event event;
	enum phase_name to;
	enum phase_action action;
};

struct phase {
	struct phase_opts o;
	enum phase_name name;
	uint64_t t0_ns;
	uint64_t load_start_ns;
	uint64_t load_end_ns;
	bool load_ended;	/* the load_end checkpoint was called for */
	unsigned idle_done;
	bool drive_started, drive_exited;
	uint64_t recent[3];	/* footprints of the last checkpoints (settle) */
	unsigned n_recent;
	bool settled;
};

void phase_init(struct phase *ph, const struct phase_opts *o, uint64_t t0_ns);

/* What event does in phase from; NULL if nothing (the event is ignored). */
const struct phase_transition *phase_lookup(enum phase_name from,
					    enum phase_event event);

/* The next thing to do at now_ns; call until ACT_NONE. For an idle
 * checkpoint, its label is written to label. */
enum phase_action phase_next(struct phase *ph, uint64_t now_ns, char *label,
			     size_t len);

/* The ready line was seen. */
void phase_ready(struct phase *ph, uint64_t now_ns);

/* The driver exited: the load phase ends. */
void phase_drive_exited(struct phase *ph, uint64_t now_ns);

/* A load_end or idle checkpoint was taken with this tree footprint. */
void phase_checkpoint_taken(struct phase *ph, uint64_t footprint_bytes);

/* When phase_next will next have something to do; 0: not on a clock. */
uint64_t phase_deadline_ns(const struct phase *ph);

/* "start", "load", "idle" or "end". */
const char *phase_str(const struct phase *ph);

/* Whether phases were asked for at all (any of the options). */
bool phase_configured(const struct phase_opts *o);

/* The label of idle checkpoint k (1-based): idle_90s, idle_1500ms. */
void phase_idle_label(const struct phase_opts *o, unsigned k, char *label,
		      size_t len);

#endif
