/* status.c - the live status line on a terminal's stderr */
#include "config.h"

#include "run/statusline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define REDRAW_NS 200000000ULL

void status_init(struct status_line *st, bool quiet)
{
	const char *term = getenv("TERM");

	memset(st, 0, sizeof(*st));
	st->enabled = !quiet && isatty(STDERR_FILENO) &&
		      !(term && strcmp(term, "dumb") == 0);
}

bool status_shares_terminal(const struct status_line *st, int fd)
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

void status_draw(struct status_line *st, const char *text, uint64_t now_ns,
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

void status_clear(struct status_line *st)
{
	if (!st->shown)
		return;
	put("\r\033[K", 4);
	st->shown = false;
}
