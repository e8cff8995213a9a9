/* status.h - the live status line on a terminal's stderr */
#ifndef MEMWATCH_STATUS_H
#define MEMWATCH_STATUS_H

#include <stdbool.h>
#include <stdint.h>

struct status_line {
	bool enabled;		/* stderr is a terminal, and not --quiet */
	bool shown;		/* a line is on the screen now */
	uint64_t last_ns;	/* when it was last drawn */
};

/* Enabled only when stderr is a terminal (never in files or pipes), not
 * under quiet, and not on a dumb terminal. */
void status_init(struct status_line *st, bool quiet);

/* Whether output to fd lands on the terminal the status line is on. */
bool status_shares_terminal(const struct status_line *st, int fd);

/* Draw text (truncated to the terminal's width) in place of the line,
 * at most every 200 ms unless force. */
void status_draw(struct status_line *st, const char *text, uint64_t now_ns,
		 bool force);

/* Erase the line, so other output starts on a clean line. */
void status_clear(struct status_line *st);

#endif
