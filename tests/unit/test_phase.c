/* test_phase.c - the phases of a run as a specification: what each event
 * does in each phase, and runs of options and events told step by step */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "run/phase.h"
#include "tap.h"

#define MS 1000000ULL
#define S 1000000000ULL
#define MIB (1024ULL * 1024)
/* The run starts here: a monotonic clock is never 0. */
#define T0 (1000 * S)

static const char *const action_names[] = {
	[ACT_NONE] = "none",
	[ACT_READY_TIMEOUT] = "ready_timeout",
	[ACT_START_DRIVE] = "start_drive",
	[ACT_LOAD_END] = "load_end",
	[ACT_IDLE_CHECKPOINT] = "idle_checkpoint",
	[ACT_PLANNED_END] = "planned_end",
};

static const char *const phase_names[] = {
	[PHASE_START] = "start",
	[PHASE_LOAD] = "load",
	[PHASE_IDLE] = "idle",
	[PHASE_END] = "end",
};

static const char *const event_names[] = {
	[PHASE_EV_READY] = "ready",
	[PHASE_EV_READY_TIMEOUT] = "ready_timeout",
	[PHASE_EV_DRIVE_DUE] = "drive_due",
	[PHASE_EV_LOAD_OVER] = "load_over",
	[PHASE_EV_LOAD_TAKEN] = "load_taken",
	[PHASE_EV_WINDOW_DUE] = "window_due",
	[PHASE_EV_IDLE_OVER] = "idle_over",
};

/* --- what each event does in each phase ---------------------------------
 * Every phase with every event: the phase it moves to and what the run
 * does, or IGNORED. */

#define IGNORED PHASE_END + 1, ACT_NONE

static const struct {
	enum phase_name from;
	enum phase_event event;
	int to;			/* enum phase_name, or IGNORED */
	enum phase_action action;
} moves[] = {
	/* from		event			to		action */
	{ PHASE_START,	PHASE_EV_READY,		PHASE_LOAD,	ACT_NONE },
	{ PHASE_START,	PHASE_EV_READY_TIMEOUT,	PHASE_END,	ACT_READY_TIMEOUT },
	{ PHASE_START,	PHASE_EV_DRIVE_DUE,	IGNORED },
	{ PHASE_START,	PHASE_EV_LOAD_OVER,	IGNORED },
	{ PHASE_START,	PHASE_EV_LOAD_TAKEN,	IGNORED },
	{ PHASE_START,	PHASE_EV_WINDOW_DUE,	IGNORED },
	{ PHASE_START,	PHASE_EV_IDLE_OVER,	IGNORED },

	{ PHASE_LOAD,	PHASE_EV_READY,		IGNORED },
	{ PHASE_LOAD,	PHASE_EV_READY_TIMEOUT,	IGNORED },
	{ PHASE_LOAD,	PHASE_EV_DRIVE_DUE,	PHASE_LOAD,	ACT_START_DRIVE },
	{ PHASE_LOAD,	PHASE_EV_LOAD_OVER,	PHASE_LOAD,	ACT_LOAD_END },
	{ PHASE_LOAD,	PHASE_EV_LOAD_TAKEN,	PHASE_IDLE,	ACT_NONE },
	{ PHASE_LOAD,	PHASE_EV_WINDOW_DUE,	IGNORED },
	{ PHASE_LOAD,	PHASE_EV_IDLE_OVER,	IGNORED },

	{ PHASE_IDLE,	PHASE_EV_READY,		IGNORED },
	{ PHASE_IDLE,	PHASE_EV_READY_TIMEOUT,	IGNORED },
	{ PHASE_IDLE,	PHASE_EV_DRIVE_DUE,	IGNORED },
	{ PHASE_IDLE,	PHASE_EV_LOAD_OVER,	IGNORED },
	{ PHASE_IDLE,	PHASE_EV_LOAD_TAKEN,	IGNORED },
	{ PHASE_IDLE,	PHASE_EV_WINDOW_DUE,	PHASE_IDLE,	ACT_IDLE_CHECKPOINT },
	{ PHASE_IDLE,	PHASE_EV_IDLE_OVER,	PHASE_END,	ACT_PLANNED_END },

	{ PHASE_END,	PHASE_EV_READY,		IGNORED },
	{ PHASE_END,	PHASE_EV_READY_TIMEOUT,	IGNORED },
	{ PHASE_END,	PHASE_EV_DRIVE_DUE,	IGNORED },
	{ PHASE_END,	PHASE_EV_LOAD_OVER,	IGNORED },
	{ PHASE_END,	PHASE_EV_LOAD_TAKEN,	IGNORED },
	{ PHASE_END,	PHASE_EV_WINDOW_DUE,	IGNORED },
	{ PHASE_END,	PHASE_EV_IDLE_OVER,	IGNORED },
};

static void test_moves(void)
{
	size_t k, n = sizeof(moves) / sizeof(moves[0]);
	unsigned seen[PHASE_END + 1][PHASE_EV_COUNT] = { { 0 } };
	int from, ev;

	for (k = 0; k < n; k++) {
		bool ignored = moves[k].to > PHASE_END;
		char then[64];

		if (ignored)
			snprintf(then, sizeof(then), "ignored");
		else
			snprintf(then, sizeof(then), "to %s, %s", phase_names[moves[k].to],
				 action_names[moves[k].action]);
		seen[moves[k].from][moves[k].event]++;
		TEST("in %s, %s: %s", phase_names[moves[k].from],
		     event_names[moves[k].event], then) {
			const struct phase_transition *t =
				phase_lookup(moves[k].from, moves[k].event);

			if (ignored) {
				check_ptr(t, ==, NULL);
				continue;
			}
			if (!check_ptr(t, !=, NULL))
				continue;
			check_int(t->from, ==, moves[k].from);
			check_int(t->event, ==, moves[k].event);
			check_str(phase_names[t->to], phase_names[moves[k].to]);
			check_str(action_names[t->action], action_names[moves[k].action]);
		}
	}
	TEST("the table has every phase with every event, once")
		for (from = PHASE_START; from <= PHASE_END; from++)
			for (ev = 0; ev < PHASE_EV_COUNT; ev++)
				if (!check_int(seen[from][ev], ==, 1))
					printf("#    (%s, %s)\n", phase_names[from],
					       event_names[ev]);
}

/* --- runs, step by step -------------------------------------------------
 * Each step happens at ms after the start. A tick does what run.c does:
 * ask phase_next until it says none, taking each checkpoint it calls for
 * with the step's footprint; the actions it called for are listed, an idle
 * checkpoint by its label. Then the phase and the next deadline (ms after
 * the start; -1: none) are as the step says. */

enum what { TICK, READY, DRIVE_EXIT };

struct step {
	unsigned ms;
	enum what what;
	const char *actions;
	const char *phase;
	long deadline_ms;
	uint64_t footprint_mib;	/* of the checkpoints taken */
};

struct run_case {
	const char *name;
	struct phase_opts o;
	struct step steps[12];
};

#define LOAD(ms) .load_ns = (ms) * MS
#define IDLE(ms, n) .idle_ns = (ms) * MS, .checkpoints = (n)

static const struct run_case runs[] = {
	{ "no phases: the load lasts as long as the command", { 0 }, {
		{ 0, TICK, "", "load", -1, 0 },
		{ 60000, TICK, "", "load", -1, 0 },
	} },
	{ "--load 2s: load_end at 2 s, then the planned end", { LOAD(2000) }, {
		{ 0, TICK, "", "load", 2000, 0 },
		{ 1999, TICK, "", "load", 2000, 0 },
		{ 2000, TICK, "load_end planned_end", "end", -1, 100 },
		{ 3000, TICK, "", "end", -1, 0 },
	} },
	{ "--load 2s, a late tick: load_end when it comes", { LOAD(2000) }, {
		{ 2700, TICK, "load_end planned_end", "end", -1, 100 },
	} },
	{ "--idle 1s x2 without --ready: the first window is the start-up, the load",
	  { IDLE(1000, 2) }, {
		{ 0, TICK, "", "load", 1000, 0 },
		{ 999, TICK, "", "load", 1000, 0 },
		{ 1000, TICK, "load_end", "idle", 2000, 100 },
		{ 2000, TICK, "idle_1s", "idle", 3000, 100 },
		{ 3000, TICK, "idle_2s planned_end", "end", -1, 100 },
	} },
	{ "--ready --idle 1s x3: an empty load, then idle windows on their grid",
	  { .wait_ready = true, IDLE(1000, 3) }, {
		{ 0, READY, "", "load", -1, 0 },
		{ 0, TICK, "load_end", "idle", 1000, 100 },
		{ 999, TICK, "", "idle", 1000, 0 },
		{ 1000, TICK, "idle_1s", "idle", 2000, 100 },
		{ 2500, TICK, "idle_2s", "idle", 3000, 100 },
		{ 3000, TICK, "idle_3s planned_end", "end", -1, 100 },
	} },
	{ "--ready --idle 1s x3, ticks late by more than a window: one at a time",
	  { .wait_ready = true, IDLE(1000, 3) }, {
		{ 0, READY, "", "load", -1, 0 },
		{ 0, TICK, "load_end", "idle", 1000, 100 },
		{ 5000, TICK, "idle_1s idle_2s idle_3s planned_end",
		  "end", -1, 100 },
	} },
	{ "--ready --idle 1500ms: labels in ms unless whole seconds",
	  { .wait_ready = true, IDLE(1500, 2) }, {
		{ 0, READY, "", "load", -1, 0 },
		{ 0, TICK, "load_end", "idle", 1500, 100 },
		{ 1500, TICK, "idle_1500ms", "idle", 3000, 100 },
		{ 3000, TICK, "idle_3s planned_end", "end", -1, 100 },
	} },
	{ "--ready --idle with no checkpoints: the planned end after load_end",
	  { .wait_ready = true, IDLE(1000, 0) }, {
		{ 0, READY, "", "load", -1, 0 },
		{ 0, TICK, "load_end planned_end", "end", -1, 100 },
	} },
	{ "--load 1s --idle 1s x2: windows count from load_end",
	  { LOAD(1000), IDLE(1000, 2) }, {
		{ 0, TICK, "", "load", 1000, 0 },
		{ 1200, TICK, "load_end", "idle", 2200, 100 },
		{ 2200, TICK, "idle_1s", "idle", 3200, 100 },
		{ 3200, TICK, "idle_2s planned_end", "end", -1, 100 },
	} },
	{ "--ready: waits without a deadline", { .wait_ready = true }, {
		{ 0, TICK, "", "start", -1, 0 },
		{ 60000, TICK, "", "start", -1, 0 },
		{ 60000, READY, "", "load", -1, 0 },
		{ 60001, TICK, "", "load", -1, 0 },
	} },
	{ "--ready with a 5 s timeout, no ready line: ready_timeout",
	  { .wait_ready = true, .ready_timeout_ns = 5 * S, LOAD(1000) }, {
		{ 0, TICK, "", "start", 5000, 0 },
		{ 4999, TICK, "", "start", 5000, 0 },
		{ 5000, TICK, "ready_timeout", "end", -1, 0 },
		{ 5000, READY, "", "end", -1, 0 },
		{ 9000, TICK, "", "end", -1, 0 },
	} },
	{ "--ready --load 1s: the load starts at the ready line",
	  { .wait_ready = true, .ready_timeout_ns = 5 * S, LOAD(1000) }, {
		{ 300, READY, "", "load", 1300, 0 },
		{ 1000, TICK, "", "load", 1300, 0 },
		{ 1300, TICK, "load_end planned_end", "end", -1, 100 },
	} },
	{ "--ready: a second ready line changes nothing",
	  { .wait_ready = true, LOAD(1000) }, {
		{ 300, READY, "", "load", 1300, 0 },
		{ 800, READY, "", "load", 1300, 0 },
		{ 6000, TICK, "load_end planned_end", "end", -1, 100 },
	} },
	{ "--drive --idle 500ms x2: the driver's exit ends the load",
	  { .drive = true, IDLE(500, 2) }, {
		{ 0, TICK, "start_drive", "load", -1, 0 },
		{ 100, TICK, "", "load", -1, 0 },
		{ 700, DRIVE_EXIT, "", "load", -1, 0 },
		{ 700, TICK, "load_end", "idle", 1200, 100 },
		{ 1200, TICK, "idle_500ms", "idle", 1700, 100 },
		{ 1700, TICK, "idle_1s planned_end", "end", -1, 100 },
	} },
	{ "--drive: its exit, not --load, ends the load",
	  { .drive = true, LOAD(1000) }, {
		{ 0, TICK, "start_drive", "load", -1, 0 },
		{ 5000, TICK, "", "load", -1, 0 },
		{ 6000, DRIVE_EXIT, "", "load", -1, 0 },
		{ 6000, TICK, "load_end planned_end", "end", -1, 100 },
	} },
	{ "--drive, exited before the first tick: all at once",
	  { .drive = true }, {
		{ 0, DRIVE_EXIT, "", "load", -1, 0 },
		{ 10, TICK, "start_drive load_end planned_end", "end", -1, 100 },
	} },
	{ "--ready --drive: the driver starts at the ready line",
	  { .wait_ready = true, .drive = true }, {
		{ 100, TICK, "", "start", -1, 0 },
		{ 200, READY, "", "load", -1, 0 },
		{ 200, TICK, "start_drive", "load", -1, 0 },
	} },
	{ "--settle: three checkpoints within 1% end the idle windows",
	  { .wait_ready = true, IDLE(1000, 10), .settle = true }, {
		{ 0, READY, "", "load", -1, 0 },
		{ 0, TICK, "load_end", "idle", 1000, 100 },
		{ 1000, TICK, "idle_1s", "idle", 2000, 101 },
		{ 2000, TICK, "idle_2s planned_end", "end", -1, 100 },
	} },
	{ "--settle: 2% apart is not settled; the last three count",
	  { .wait_ready = true, IDLE(1000, 10), .settle = true }, {
		{ 0, READY, "", "load", -1, 0 },
		{ 0, TICK, "load_end", "idle", 1000, 100 },
		{ 1000, TICK, "idle_1s", "idle", 2000, 102 },
		{ 2000, TICK, "idle_2s", "idle", 3000, 100 },
		{ 3000, TICK, "idle_3s", "idle", 4000, 100 },
		{ 4000, TICK, "idle_4s planned_end", "end", -1, 100 },
	} },
	{ "no --settle: agreeing checkpoints change nothing",
	  { .wait_ready = true, IDLE(1000, 3) }, {
		{ 0, READY, "", "load", -1, 0 },
		{ 0, TICK, "load_end", "idle", 1000, 100 },
		{ 1000, TICK, "idle_1s", "idle", 2000, 100 },
		{ 2000, TICK, "idle_2s", "idle", 3000, 100 },
		{ 3000, TICK, "idle_3s planned_end", "end", -1, 100 },
	} },
};

/* One tick as the run loop does it; the actions, space-separated. */
static void tick(struct phase *ph, uint64_t now_ns, uint64_t footprint_bytes,
		 char *out, size_t len)
{
	enum phase_action act;
	char label[64];
	size_t n = 0;
	int guard = 0;

	out[0] = '\0';
	while ((act = phase_next(ph, now_ns, label, sizeof(label))) != ACT_NONE &&
	       guard++ < 20) {
		n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "",
				      act == ACT_IDLE_CHECKPOINT ? label :
				      action_names[act]);
		if (act == ACT_LOAD_END || act == ACT_IDLE_CHECKPOINT)
			phase_checkpoint_taken(ph, footprint_bytes);
	}
}

static long deadline_ms(const struct phase *ph)
{
	uint64_t d = phase_deadline_ns(ph);

	return d ? (long)((d - T0) / MS) : -1;
}

static void test_runs(void)
{
	static const char *const what_names[] = { "tick", "ready", "driver exit" };
	size_t k, i;

	for (k = 0; k < sizeof(runs) / sizeof(runs[0]); k++)
		TEST("%s", runs[k].name) {
			const struct run_case *c = &runs[k];
			struct phase ph;

			phase_init(&ph, &c->o, T0);
			for (i = 0; i < 12 && c->steps[i].phase; i++) {
				const struct step *st = &c->steps[i];
				uint64_t now = T0 + st->ms * MS;
				char got[256] = "";

				if (st->what == TICK)
					tick(&ph, now, st->footprint_mib * MIB, got,
					     sizeof(got));
				else if (st->what == READY)
					phase_ready(&ph, now);
				else
					phase_drive_exited(&ph, now);
				if (!check_str(got, st->actions) +
				    !check_str(phase_str(&ph), st->phase) +
				    !check_int(deadline_ms(&ph), ==, st->deadline_ms))
					printf("#    (step %zu: %s at %u ms)\n", i,
					       what_names[st->what], st->ms);
			}
		}
}

static void test_options(void)
{
	static const struct {
		struct phase_opts o;
		bool configured;
		const char *what;
	} cases[] = {
		{ { 0 }, false, "no option" },
		{ { .wait_ready = true }, true, "--ready" },
		{ { .drive = true }, true, "--drive" },
		{ { LOAD(1) }, true, "--load" },
		{ { IDLE(1, 0) }, true, "--idle" },
		{ { .checkpoints = 3, .settle = true }, false,
		  "--checkpoints and --settle alone" },
		{ { .ready_timeout_ns = S }, false, "a ready timeout alone" },
	};
	static const struct {
		uint64_t idle_ms;
		unsigned k;
		const char *label;
	} labels[] = {
		{ 90000, 1, "idle_90s" },
		{ 90000, 2, "idle_180s" },
		{ 1500, 1, "idle_1500ms" },
		{ 1500, 2, "idle_3s" },
		{ 250, 3, "idle_750ms" },
		{ 1, 1, "idle_1ms" },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		TEST("phases configured by %s: %s", cases[k].what,
		     cases[k].configured ? "yes" : "no")
			check_int(phase_configured(&cases[k].o), ==, cases[k].configured);
	for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
		TEST("idle window %u of %llu ms is %s", labels[k].k,
		     (unsigned long long)labels[k].idle_ms, labels[k].label) {
			struct phase_opts o = { IDLE(labels[k].idle_ms, 9) };
			char label[64];

			phase_idle_label(&o, labels[k].k, label, sizeof(label));
			check_str(label, labels[k].label);
		}
}

int main(void)
{
	test_moves();
	test_runs();
	test_options();
	return tap_done();
}
