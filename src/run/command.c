/* run/command.c - the command of a run: started with its output routed, its lines watched */
#include "config.h"

#include "run/command.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <unistd.h>

#include "run/state.h"
#include "util/clock.h"

/* A line of the command's output: the ready line, or a mark. */
static void on_line(const char *line, size_t len, void *arg)
{
	struct run *r = arg;
	uint64_t now = clock_mono_ns();
	size_t i;

	(void)len;
	if (r->state != RUN_STATE_RUNNING)
		return;
	if (r->o->ready && r->ph.name == PHASE_START &&
	    regexec(r->o->ready, line, 0, NULL, 0) == 0) {
		phase_ready(&r->ph, now);
		run_checkpoint(r, now, "ready", "ready");
		r->out->ready_s = run_seconds(r, now);
		r->out->load_start_s = r->out->ready_s;
	}
	for (i = 0; i < r->o->n_marks; i++) {
		struct run_mark *m = &r->o->marks[i];
		char label[96];

		if (regexec(&m->re, line, 0, NULL, 0) != 0)
			continue;
		if (++m->seen == 1)
			snprintf(label, sizeof(label), "%s", m->label);
		else
			snprintf(label, sizeof(label), "%s_%u", m->label, m->seen);
		run_checkpoint(r, now, "mark", label);
	}
}

/* The command's output is about to reach a terminal: not over the status
 * line. */
static void before_write(int out_fd, void *arg)
{
	struct run *r = arg;

	if (r->o->statusline && statusline_shares_terminal(r->o->statusline, out_fd))
		statusline_clear(r->o->statusline);
}

enum run_failure command_start(struct run *r, int *err_no)
{
	const struct run_opts *o = r->o;
	struct spawn_io io = { -1, -1, -1 };
	int child_out = -1, child_err = -1, exec_err = 0;
	bool watch = o->ready || o->n_marks;
	int sink = -1;

	r->routed = watch || (!o->hide_output && o->statusline && o->statusline->enabled);
	if (o->hide_output) {
		sink = target_null_fd(true);
		if (sink < 0) {
			*err_no = errno;
			return RUN_SYSTEM;
		}
	}
	if (r->routed) {
		r->pt.on_line = on_line;
		r->pt.before_write = before_write;
		r->pt.arg = r;
		if (passthru_open(&r->pt, watch, sink, &child_out, &child_err) < 0) {
			*err_no = errno;
			if (sink >= 0)
				close(sink);
			return RUN_SYSTEM;
		}
		io.stdout_fd = child_out;
		io.stderr_fd = child_err;
	} else if (sink >= 0) {
		io.stdout_fd = io.stderr_fd = sink;
	}
	r->root_pid = supervise_spawn(&r->sv, o->argv, o->env_set, &io,
				      o->foreground, &exec_err);
	r->sv.cgroup_fd = -1;	/* only the command starts in its cgroup */
	passthru_close_child_ends(child_out, child_err);
	if (sink >= 0 && !r->routed)
		close(sink);
	if (r->root_pid < 0) {
		*err_no = exec_err ? exec_err : errno;
		return !exec_err ? RUN_SYSTEM :
		       exec_err == ENOENT ? RUN_NOT_FOUND : RUN_CANNOT_EXECUTE;
	}
	r->children_left = true;
	return RUN_OK;
}
