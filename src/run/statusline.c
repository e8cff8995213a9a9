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

void statusline_draw(struct statusline *st, const char *text, uint64_t now_ns,
		     bool force)
{
	struct winsize ws;
	char line[512];
	size_t width = 80, len, i, cols = 0;

	if (!st->enabled || (!force && st->shown && now_ns - st->last_ns < REDRAW_NS))
		return;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		width = ws.ws_col;
	/* Cut at width-1 columns (counting UTF-8 characters, not bytes): a
	 * line that wraps could no longer be erased with \r. */
	memcpy(line, "\r\033[K", 4);
	len = 4;
	for (i = 0; text[i] && len < sizeof(line) - 8; i++) {
		if (((unsigned char)text[i] & 0xc0) != 0x80) {
			if (cols + 1 >= width)
				break;
			cols++;
		}
		line[len++] = text[i];
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
