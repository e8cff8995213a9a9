/* run/drive.c - the --drive command, and everything it starts, kept out of the tree */
#include "config.h"

#include "run/drive.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "run/state.h"
#include "util/xalloc.h"

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
					d->driver_wait_status = m.value;
				} else {
					d->start_errno = m.value;
					d->driver_wait_status = 127 << 8;
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

bool drive_keeper_gone(struct drive *d, int keeper_wait_status)
{
	bool ended = drive_read(d);

	d->keeper_pid = 0;
	if (!d->driver_exited) {
		/* It died before it could say: its status stands in. */
		d->driver_exited = true;
		d->driver_wait_status = keeper_wait_status;
		ended = true;
	}
	return ended;
}

/* --- the driver of a run ------------------------------------------------ */

void drive_launch(struct run *r, uint64_t now_ns)
{
	char env_pid[48], *env[] = { env_pid, NULL };
	struct spawn_io io = { -1, -1, -1 };
	int child_out = -1, child_err = -1;

	snprintf(env_pid, sizeof(env_pid), "MEMWATCH_TARGET_PID=%d", (int)r->root_pid);
	io.stdin_fd = target_null_fd(false);
	if (r->o->hide_output) {
		child_out = target_null_fd(true);
		io.stdout_fd = io.stderr_fd = child_out;
	} else if (r->routed &&
		   passthru_add_unwatched(&r->pt, &child_out, &child_err) == 0) {
		io.stdout_fd = child_out;
		io.stderr_fd = child_err;
	}
	r->out->drive.command = xstrdup(r->o->drive);
	r->out->drive.start_s = run_seconds(r, now_ns);
	if (drive_start(&r->drive, &r->sv, r->o->drive, env, &io,
			r->o->kill_after_ns) < 0) {
		int err = errno;

		r->out->drive.exit_status = 127;
		r->out->drive.end_s = r->out->drive.start_s;
		phase_drive_exited(&r->ph, now_ns);
		if (r->o->notice)
			r->o->notice("--drive: cannot start the driver: %s", strerror(err));
	} else {
		r->drive_pid = r->drive.keeper_pid;
		/* memwatch's child, but not the tree's. */
		tree_exclude(&r->tree, r->drive_pid);
	}
	passthru_close_child_ends(child_out, child_err);
	if (io.stdin_fd >= 0)
		close(io.stdin_fd);
}

void drive_ended(struct run *r, uint64_t now_ns)
{
	int exit_code = result_exit_status(r->drive.driver_wait_status);

	r->out->drive.exit_status = exit_code;
	r->out->drive.end_s = run_seconds(r, now_ns);
	phase_drive_exited(&r->ph, now_ns);
	if (r->drive.start_errno && r->o->notice)
		r->o->notice("--drive: cannot start /bin/sh: %s", strerror(r->drive.start_errno));
	else if (exit_code != 0 && r->state == RUN_STATE_RUNNING && r->o->notice)
		r->o->notice("--drive: the driver failed (exit status %d); the run goes on",
			     exit_code);
}
