/* run/passthru.c - the command's output, passed through and read line by line */
#include "config.h"

#include "run/passthru.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* A pseudo-terminal standing in for the terminal at out_fd: same size,
 * same modes, but no output processing, so bytes come out as written. */
static int open_pty(int out_fd, int *master_out, int *slave_out)
{
	struct termios tio;
	struct winsize ws;
	char name[128];
	int master, slave;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return -1;
	if (grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, name, sizeof(name)) != 0)
		goto fail;
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		goto fail;
	if (tcgetattr(out_fd, &tio) == 0) {
		/* The real terminal does the output processing once, when
		 * memwatch writes the bytes on. */
		tio.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(slave, TCSANOW, &tio);
	}
	if (ioctl(out_fd, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
	*master_out = master;
	*slave_out = slave;
	return 0;
fail:
	{
		int saved = errno;

		close(master);
		errno = saved;
		return -1;
	}
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static struct passthru_stream *add_stream(struct passthru *p, int in_fd,
					  int out_fd, bool pty, bool watched)
{
	struct passthru_stream *s = &p->s[p->n++];

	memset(s, 0, sizeof(*s));
	s->in_fd = in_fd;
	s->out_fd = out_fd;
	s->pty = pty;
	s->watched = watched;
	s->at_line_start = true;
	set_nonblock(in_fd);
	return s;
}

/* One end pair for the stream that goes to out_fd. */
static int open_stream(struct passthru *p, int out_fd, bool watched, int *child)
{
	int fds[2];

	if (p->n >= PASSTHRU_MAX_STREAMS) {
		errno = EMFILE;
		return -1;
	}
	if (isatty(out_fd)) {
		if (open_pty(out_fd, &fds[0], &fds[1]) < 0)
			return -1;
		add_stream(p, fds[0], out_fd, true, watched);
	} else {
		if (pipe2(fds, O_CLOEXEC) < 0)
			return -1;
		add_stream(p, fds[0], out_fd, false, watched);
	}
	*child = fds[1];
	return 0;
}

/* Whether fds a and b are the same terminal. */
static bool same_tty(int a, int b)
{
	struct stat sa, sb;

	return isatty(a) && isatty(b) && fstat(a, &sa) == 0 &&
	       fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

static int open_pair(struct passthru *p, bool watched, int *child_out,
		     int *child_err)
{
	*child_out = *child_err = -1;
	/* stdout and stderr on one terminal share one pseudo-terminal, so
	 * their interleaving stays what the terminal would have shown. */
	if (same_tty(1, 2)) {
		if (open_stream(p, 1, watched, child_out) < 0)
			return -1;
		*child_err = dup(*child_out);
		if (*child_err < 0)
			return -1;
		fcntl(*child_err, F_SETFD, FD_CLOEXEC);
		return 0;
	}
	/* Output memwatch does not read goes through it only to a terminal
	 * (which the status line shares); elsewhere, as to a file, the
	 * command gets memwatch's own descriptor, which it can seek, check
	 * or sendfile into as without memwatch. */
	if ((watched || isatty(1)) && open_stream(p, 1, watched, child_out) < 0)
		return -1;
	if ((watched || isatty(2)) && open_stream(p, 2, watched, child_err) < 0)
		return -1;
	return 0;
}

int passthru_open(struct passthru *p, bool watch, int sink, int *child_out,
		  int *child_err)
{
	int fds[2];

	if (sink < 0)
		return open_pair(p, watch, child_out, child_err);
	/* Hidden output: one pipe for both streams, into the sink. */
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	add_stream(p, fds[0], sink, false, watch)->owns_out = true;
	*child_out = fds[1];
	*child_err = dup(fds[1]);
	if (*child_err < 0)
		return -1;
	fcntl(*child_err, F_SETFD, FD_CLOEXEC);
	return 0;
}

int passthru_add_unwatched(struct passthru *p, int *child_out, int *child_err)
{
	return open_pair(p, false, child_out, child_err);
}

void passthru_close_child_ends(int child_out, int child_err)
{
	if (child_out >= 0)
		close(child_out);
	if (child_err >= 0 && child_err != child_out)
		close(child_err);
}

size_t passthru_strip_escapes(char *s, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x1b && i + 1 < len && s[i + 1] == '[') {
			/* CSI: parameters and intermediates, then a final byte
			 * in 0x40-0x7e (colours, cursor movement). */
			i += 2;
			while (i < len && !((unsigned char)s[i] >= 0x40 &&
					    (unsigned char)s[i] <= 0x7e))
				i++;
			i++;
		} else if (c == 0x1b && i + 1 < len && s[i + 1] == ']') {
			/* OSC (titles, hyperlinks): up to BEL or ESC \. */
			i += 2;
			while (i < len && s[i] != '\a' &&
			       !(s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\'))
				i++;
			i += i < len && s[i] == 0x1b ? 2 : 1;
		} else if (c == 0x1b) {
			i += 2;		/* a two-byte escape */
		} else if (c == '\r') {
			i++;
		} else {
			s[o++] = s[i++];
		}
	}
	return o;
}

static void emit_line(struct passthru *p, struct passthru_stream *s)
{
	size_t n = passthru_strip_escapes(s->line, s->line_len);

	s->line[n] = '\0';
	if (p->on_line)
		p->on_line(s->line, n, p->arg);
	s->line_len = 0;
	s->line_long = false;
}

/* Split what was read into lines for the callback. */
static void scan_lines(struct passthru *p, struct passthru_stream *s,
		       const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		size_t room = sizeof(s->line) - 1 - s->line_len;

		if (take > room) {
			s->line_long = true;
		}
		memcpy(s->line + s->line_len, data, take < room ? take : room);
		s->line_len += take < room ? take : room;
		if (!nl)
			return;
		emit_line(p, s);
		data = nl + 1;
		len -= take + 1;
	}
}

static void read_stream(struct passthru *p, struct passthru_stream *s)
{
	ssize_t n;

	do
		n = read(s->in_fd, s->buf, sizeof(s->buf));
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		s->off = 0;
		s->len = (size_t)n;
		if (s->watched)
			scan_lines(p, s, s->buf, (size_t)n);
		return;
	}
	if (n < 0 && errno == EAGAIN)
		return;
	/* End: 0 from a pipe, EIO from a pty master once every slave end
	 * is closed. A last line without a newline is still a line. */
	s->eof = true;
	if (s->watched && s->line_len)
		emit_line(p, s);
}

static bool is_regular(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static void write_stream(struct passthru *p, struct passthru_stream *s)
{
	/* A pipe or terminal that polled writable takes PIPE_BUF bytes
	 * without blocking; a regular file takes everything. */
	size_t chunk = is_regular(s->out_fd) ? s->len : (s->len < 4096 ? s->len : 4096);
	ssize_t n;

	if (p->before_write)
		p->before_write(s->out_fd, p->arg);
	do
		n = write(s->out_fd, s->buf + s->off, chunk);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* Nowhere to write (the reader went away): close memwatch's
		 * end, so the command learns it as it would have without
		 * memwatch (EPIPE, SIGPIPE) instead of writing on forever. */
		s->len = 0;
		s->eof = true;
		close(s->in_fd);
		s->in_fd = -1;
		return;
	}
	s->off += (size_t)n;
	s->len -= (size_t)n;
	s->at_line_start = s->buf[s->off - 1] == '\n';
}

size_t passthru_pollfds(struct passthru *p, struct pollfd *pfd, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < p->n && k < max; i++) {
		struct passthru_stream *s = &p->s[i];

		if (s->len) {
			pfd[k].fd = s->out_fd;
			pfd[k].events = POLLOUT;
		} else if (!s->eof) {
			pfd[k].fd = s->in_fd;
			pfd[k].events = POLLIN;
		} else {
			continue;
		}
		pfd[k].revents = 0;
		p->poll_map[k++] = i;
	}
	p->polled = k;
	return k;
}

void passthru_service(struct passthru *p, const struct pollfd *pfd, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < p->polled; i++) {
		struct passthru_stream *s = &p->s[p->poll_map[i]];

		if (!pfd[i].revents)
			continue;
		if (s->len)
			write_stream(p, s);
		else if (!s->eof)
			read_stream(p, s);
	}
}

void passthru_drain(struct passthru *p, int timeout_ms)
{
	struct pollfd pfd[PASSTHRU_MAX_STREAMS];
	size_t n;

	while ((n = passthru_pollfds(p, pfd, PASSTHRU_MAX_STREAMS)) > 0) {
		if (poll(pfd, n, timeout_ms) <= 0)
			break;
		passthru_service(p, pfd, n);
	}
}

void passthru_sync_winsize(struct passthru *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct passthru_stream *s = &p->s[i];
		struct winsize ws;

		if (!s->pty || s->in_fd < 0 || ioctl(s->out_fd, TIOCGWINSZ, &ws) < 0)
			continue;
		if (ws.ws_row != s->winsize.ws_row || ws.ws_col != s->winsize.ws_col) {
			/* The kernel sends SIGWINCH to the pty's foreground
			 * group; the command also gets its own terminal's. */
			ioctl(s->in_fd, TIOCSWINSZ, &ws);
			s->winsize = ws;
		}
	}
}

bool passthru_at_line_start(const struct passthru *p, int out_fd)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->s[i].out_fd == out_fd && !p->s[i].at_line_start)
			return false;
	return true;
}

void passthru_close(struct passthru *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->s[i].in_fd >= 0)
			close(p->s[i].in_fd);
		if (p->s[i].owns_out)
			close(p->s[i].out_fd);
	}
	p->n = 0;
}
