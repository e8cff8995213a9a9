/* drive.c - the --drive command, and everything it starts, kept out of the tree */
#include "config.h"

#include "run/drive.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

int drive_start(struct drive *d, struct supervise *sv, const char *cmd,
		char *const env_set[], const struct spawn_io *io,
		uint64_t kill_after_ns)
{
	pid_t memwatch = getpid(), pid;
	int fd;

	memset(d, 0, sizeof(*d));
	d->report_fd = -1;
	pid = supervise_fork_piped(&fd);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		keeper_main(sv, memwatch, fd, cmd, env_set, io, kill_after_ns);
		_exit(127);
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	d->keeper_pid = pid;
	d->report_fd = fd;
	return 0;
}

bool drive_read(struct drive *d)
{
	bool ended = false;

	while (d->report_fd >= 0) {
		struct keeper_report m;
		ssize_t n = read(d->report_fd, &m, sizeof(m));

		if (n == (ssize_t)sizeof(m)) {
			if (m.kind == KEEPER_REPORT_PID) {
				d->driver_pid = m.value;
			} else if (!d->driver_exited) {
				d->driver_exited = true;
				ended = true;
				if (m.kind == KEEPER_REPORT_EXIT) {
					d->driver_status = m.value;
				} else {
					d->start_errno = m.value;
					d->driver_status = 127 << 8;
				}
			}
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		/* The keeper is gone (or wrote a torn message, which it never
		 * does: reports are far below PIPE_BUF). */
		close(d->report_fd);
		d->report_fd = -1;
	}
	return ended;
}

void drive_stop(struct drive *d, int sig)
{
	if (d->keeper_pid > 0)
		kill(d->keeper_pid, sig == SIGKILL ? SIGUSR1 : sig);
}

bool drive_keeper_gone(struct drive *d, int keeper_status)
{
	bool ended = drive_read(d);

	d->keeper_pid = 0;
	if (!d->driver_exited) {
		/* It died before it could say: its status stands in. */
		d->driver_exited = true;
		d->driver_status = keeper_status;
		ended = true;
	}
	return ended;
}
