/* phase.h - the phases of a run: ready, load, idle windows
 *
 * A run may wait for a ready line, then load the command (a driver runs,
 * or a set time passes, or nothing), then watch it idle for --checkpoints
 * windows of --idle each. This state machine is told what happened (the
 * ready line, the driver's exit, the time) and says what to do next; the
 * run loop does it. */
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

struct phase {
	struct phase_opts o;
	enum phase_name name;
	uint64_t t0_ns;
	uint64_t load_start_ns;
	uint64_t load_end_ns;	/* 0 until the load phase ends */
	unsigned idle_done;
	bool drive_started, drive_exited;
	uint64_t recent[3];	/* footprints of the last checkpoints (settle) */
	unsigned n_recent;
	bool settled;
};

void phase_init(struct phase *ph, const struct phase_opts *o, uint64_t t0_ns);

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
