/* run/statusline.c - the live status line on a terminal's stderr */
#include "config.h"

#include "run/statusline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fmt.h"

#define REDRAW_NS 200000000ULL

/* Whether fd is a pipe or a socket: the end of a pipeline, whose other
 * commands may write to the terminal at any time. */
static bool is_pipe(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode));
}

void statusline_init(struct statusline *st, bool quiet)
{
	const char *term = getenv("TERM");

	memset(st, 0, sizeof(*st));
	/* In a pipeline the terminal is shared with the pipeline's other
	 * commands, whose lines a status line would be glued to. */
	st->enabled = !quiet && isatty(STDERR_FILENO) &&
		      !(term && strcmp(term, "dumb") == 0) &&
		      !is_pipe(STDOUT_FILENO);
}

bool statusline_shares_terminal(const struct statusline *st, int fd)
{
	struct stat a, b;

	if (!st->enabled || !isatty(fd))
		return false;
	return fstat(fd, &a) == 0 && fstat(STDERR_FILENO, &b) == 0 &&
	       a.st_rdev == b.st_rdev;
}

/* Write all of buf to stderr; a status line is best effort. */
static void put(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDERR_FILENO, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* The columns of the first len bytes of s: characters, not bytes. */
static size_t columns(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* How many bytes of text fit in max columns with " …" after them, cut
 * between its parts (" · "), or else at a space: never inside a number. */
static size_t fit_len(const char *text, size_t max)
{
	size_t best = 0, i;

	for (i = 0; text[i]; i++) {
		bool part = !strncmp(text + i, " · ", strlen(" · "));

		if ((part || (text[i] == ' ' && !best)) && columns(text, i) + 2 <= max)
			best = i;
		if (part && columns(text, i) + 2 > max)
			break;
	}
	return best;
}

void statusline_draw(struct statusline *st, const char *text, uint64_t now_ns,
		     bool force)
{
	struct winsize ws;
	char line[512];
	size_t width = 80, len, n = strlen(text);

	if (!st->enabled || (!force && st->shown && now_ns - st->last_ns < REDRAW_NS))
		return;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		width = ws.ws_col;
	/* At most width-1 columns: a line that wraps could no longer be
	 * erased with \r. */
	if (n > sizeof(line) - 16)
		n = sizeof(line) - 16;
	memcpy(line, "\r\033[K", 4);
	len = 4;
	if (columns(text, n) <= width - 1) {
		memcpy(line + len, text, n);
		len += n;
	} else {
		n = fit_len(text, width - 1);
		memcpy(line + len, text, n);
		len += n;
		memcpy(line + len, " …", strlen(" …"));
		len += strlen(" …");
	}
	put(line, len);
	st->shown = true;
	st->last_ns = now_ns;
}

void statusline_format(char *text, size_t len, const struct statusline_view *v)
{
	char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF], note[96] = "";

	switch (v->note) {
	case STATUSLINE_NOTE_STOPPING:
		snprintf(note, sizeof(note), " (stopping)");
		break;
	case STATUSLINE_NOTE_READY:
		snprintf(note, sizeof(note), " (waiting for ready, %s left)",
			 fmt_duration(c, v->note_left_s));
		break;
	case STATUSLINE_NOTE_CHECKPOINT:
		snprintf(note, sizeof(note), " (checkpoint %u/%u in %s)",
			 v->checkpoint, v->checkpoints, fmt_duration(c, v->note_left_s));
		break;
	case STATUSLINE_NOTE_DRIVING:
		snprintf(note, sizeof(note), " (driving)");
		break;
	case STATUSLINE_NOTE_NONE:
		break;
	}
	snprintf(text, len, "memwatch: %s%s%s %s%s · footprint %s · peak %s · %u process%s",
		 v->prefix ? v->prefix : "", v->prefix ? " · " : "", v->phase,
		 fmt_duration(c, v->elapsed_s), note,
		 fmt_bytes(a, v->footprint_bytes, false),
		 fmt_bytes(b, v->peak_bytes, false),
		 v->processes, v->processes == 1 ? "" : "es");
}

void statusline_show(struct statusline *st, const struct statusline_view *v,
		     uint64_t now_ns, bool force)
{
	char text[256];

	statusline_format(text, sizeof(text), v);
	statusline_draw(st, text, now_ns, force);
}

void statusline_clear(struct statusline *st)
{
	if (!st->shown)
		return;
	put("\r\033[K", 4);
	st->shown = false;
}
