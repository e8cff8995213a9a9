/* run/statusline.h - the live status line on a terminal's stderr */
#ifndef MEMWATCH_STATUSLINE_H
#define MEMWATCH_STATUSLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct statusline {
	bool enabled;		/* stderr is a terminal, and not --quiet */
	bool shown;		/* a line is on the screen now */
	uint64_t last_ns;	/* when it was last drawn */
};

/* What a run is waiting for, said after its phase and time. */
enum statusline_note {
	STATUSLINE_NOTE_NONE,
	STATUSLINE_NOTE_STOPPING,
	STATUSLINE_NOTE_READY,		/* waiting for the ready line */
	STATUSLINE_NOTE_CHECKPOINT,	/* the next idle checkpoint */
	STATUSLINE_NOTE_DRIVING,	/* the driver runs */
};

/* What the line says about a run. */
struct statusline_view {
	const char *prefix;	/* "jemalloc 2/3", or NULL */
	const char *phase;
	double elapsed_s;
	enum statusline_note note;
	double note_left_s;	/* READY, CHECKPOINT: the time left */
	unsigned checkpoint;	/* CHECKPOINT: its number (1-based) ... */
	unsigned checkpoints;	/* ... of */
	uint64_t footprint_bytes;
	uint64_t peak_bytes;
	uint32_t processes;
};

/* Enabled only when stderr is a terminal (never in files or pipes), not
 * under quiet, and not on a dumb terminal. */
void statusline_init(struct statusline *st, bool quiet);

/* Whether output to fd lands on the terminal the status line is on. */
bool statusline_shares_terminal(const struct statusline *st, int fd);

/* The text of the line for view, into text (len bytes): what matters
 * most first, since a narrow terminal cuts from the end. */
void statusline_format(char *text, size_t len, const struct statusline_view *v);

/* Draw text (truncated to the terminal's width) in place of the line,
 * at most every 200 ms unless force. */
void statusline_draw(struct statusline *st, const char *text, uint64_t now_ns,
		     bool force);

/* Format view and draw it, as statusline_draw. */
void statusline_show(struct statusline *st, const struct statusline_view *v,
		     uint64_t now_ns, bool force);

/* Erase the line, so other output starts on a clean line. */
void statusline_clear(struct statusline *st);

#endif
