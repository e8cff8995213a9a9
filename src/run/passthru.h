/* run/passthru.h - the command's output, passed through and read line by line
 *
 * When memwatch must see what the command prints (--ready, --mark) or keep
 * its status line clean, the command's stdout and stderr come to memwatch
 * first: through a pseudo-terminal when they were going to a terminal (so
 * the command still sees one), through pipes otherwise. Every byte goes on
 * unchanged and in order per stream; complete lines are handed to a
 * callback with terminal escape sequences removed. */
#ifndef MEMWATCH_PASSTHRU_H
#define MEMWATCH_PASSTHRU_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ioctl.h>

#define PASSTHRU_MAX_STREAMS 4
#define PASSTHRU_BUF 65536
#define PASSTHRU_LINE_MAX 8192	/* longer lines are matched on their start */

struct passthru_stream {
	int in_fd;		/* memwatch's end: pipe read end or pty master */
	int out_fd;		/* where the bytes go: 1 or 2 */
	bool pty;
	bool watched;		/* lines go to the callback */
	bool eof;
	char buf[PASSTHRU_BUF];	/* read but not yet written */
	size_t off, len;
	char line[PASSTHRU_LINE_MAX];
	size_t line_len;
	bool line_long;		/* the current line overflowed */
	bool at_line_start;	/* the last byte written was a newline */
	bool owns_out;		/* out_fd is a sink to close with the stream */
	struct winsize winsize;	/* last given to the pty */
};

typedef void (*passthru_line_fn)(const char *line, size_t len, void *arg);

struct passthru {
	struct passthru_stream s[PASSTHRU_MAX_STREAMS];
	size_t n;
	passthru_line_fn on_line;
	void *arg;
	size_t poll_map[PASSTHRU_MAX_STREAMS];	/* pollfd index -> stream */
	size_t polled;
	/* Called before bytes go to a terminal the status line is on. */
	void (*before_write)(int out_fd, void *arg);
};

/* Ends for a command's stdout and stderr: *child_out and *child_err are the
 * descriptors to give the command. With watch, lines are watched. With a
 * sink descriptor (>= 0), both streams go there instead of memwatch's own
 * stdout and stderr (and memwatch owns the sink from then on). Returns
 * -1/errno on failure. */
int passthru_open(struct passthru *p, bool watch, int sink, int *child_out,
		  int *child_err);

/* Route another command's output (the driver's) without watching it. */
int passthru_add_unwatched(struct passthru *p, int *child_out, int *child_err);

/* After the fork: close the command's ends in memwatch. */
void passthru_close_child_ends(int child_out, int child_err);

/* poll() entries for the streams; returns how many were filled. */
size_t passthru_pollfds(struct passthru *p, struct pollfd *pfd, size_t max);

/* Move bytes for the streams poll reported ready. */
void passthru_service(struct passthru *p, const struct pollfd *pfd, size_t n);

/* Copy all that is left, waiting at most timeout_ms for more, until every
 * stream has ended (the command and its tree are gone). */
void passthru_drain(struct passthru *p, int timeout_ms);

/* Give each pseudo-terminal the size of the terminal it stands in for, if
 * that changed (a resized window). */
void passthru_sync_winsize(struct passthru *p);

/* Whether the stream writing to out_fd last ended a line. */
bool passthru_at_line_start(const struct passthru *p, int out_fd);

void passthru_close(struct passthru *p);

/* Remove terminal escape sequences and carriage returns from s in place;
 * returns the new length. */
size_t passthru_strip_escapes(char *s, size_t len);

#endif
