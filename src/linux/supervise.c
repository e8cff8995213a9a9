/* linux/supervise.c - starting the target, its signals, stopping and reaping it */
#include "config.h"

#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "util/xalloc.h"

/* Signals memwatch takes through its signalfd: children's exits, and the
 * requests to stop that it forwards to the tree. SIGTTOU is blocked so
 * memwatch can hand the terminal over and take it back from the background. */
static void handled_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGTTOU);
}

int supervise_init(struct supervise *s, bool subreaper)
{
	static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	sigset_t set;
	struct rlimit rl;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->tty_fd = -1;
	s->cgroup_fd = -1;
	s->sig_fd = -1;
	handled_signals(&set);
	/* A signal ignored by whoever started memwatch (nohup, a shell's
	 * background job) stays ignored: by memwatch, and by the command,
	 * which inherits the disposition across exec. */
	sigemptyset(&s->ignored);
	for (i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		struct sigaction sa;

		if (sigaction(stop_signals[i], NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
			sigaddset(&s->ignored, stop_signals[i]);
			sigdelset(&set, stop_signals[i]);
		}
	}
	if (sigprocmask(SIG_BLOCK, &set, &s->old_mask) < 0)
		return -1;
	sigdelset(&set, SIGTTOU);
	s->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->sig_fd < 0)
		return -1;
	/* A write to a closed pipe is an error memwatch reports, not a death
	 * that would lose the result file. */
	{
		struct sigaction ign = { .sa_handler = SIG_IGN };

		sigaction(SIGPIPE, &ign, &s->old_pipe);
	}
	/* Five descriptors per process are kept open; a tree of thousands
	 * needs more than the usual soft limit of 1024. Children get the
	 * original limit back. */
	if (getrlimit(RLIMIT_NOFILE, &s->old_nofile) == 0) {
		rl = s->old_nofile;
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (subreaper) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
			return -1;
		s->subreaper = true;
	}
	return 0;
}

void supervise_reclaim_tty(struct supervise *s)
{
	if (s->tty_fd < 0)
		return;
	tcsetpgrp(s->tty_fd, getpgrp());
	s->tty_fd = -1;
}

void supervise_destroy(struct supervise *s)
{
	supervise_reclaim_tty(s);
	if (s->sig_fd >= 0)
		close(s->sig_fd);
	if (s->subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	setrlimit(RLIMIT_NOFILE, &s->old_nofile);
	sigaction(SIGPIPE, &s->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

bool supervise_has_tty(const struct supervise *s)
{
	return s->tty_fd >= 0;
}

void supervise_job_stopped(struct supervise *s, pid_t pgid)
{
	int tty = s->tty_fd;

	if (tty < 0)
		return;
	tcsetpgrp(tty, getpgrp());
	/* Stops here until the shell continues memwatch (fg, bg). */
	kill(0, SIGSTOP);
	if (tcgetpgrp(tty) == getpgrp())
		tcsetpgrp(tty, pgid);
	kill(-pgid, SIGCONT);
}

/* In the child just before its exec: its own rss in pages, a copy of
 * memwatch's, which wait4's maxrss will count, as a uint64_t on fd (the
 * exec error pipe; an errno may follow). Async-signal-safe: statm read
 * with open and read, parsed by hand. */
static void report_pre_exec_rss(int fd)
{
	char buf[128];
	uint64_t pages = 0;
	ssize_t n;
	int statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC), i = 0;

	n = statm >= 0 ? read(statm, buf, sizeof(buf) - 1) : -1;
	if (statm >= 0)
		close(statm);
	if (n > 0) {
		buf[n] = '\0';
		while (buf[i] && buf[i] != ' ')
			i++;
		while (buf[i] == ' ')
			i++;
		while (buf[i] >= '0' && buf[i] <= '9')
			pages = pages * 10 + (uint64_t)(buf[i++] - '0');
	}
	if (write(fd, &pages, sizeof(pages)) < 0)
		return;
}

/* In the child between fork and exec: only async-signal-safe calls, plus
 * setenv, which is safe here because memwatch is single-threaded. */
static void child_exec(struct supervise *s, char *const argv[],
		       char *const env_set[], const struct spawn_io *io,
		       int tty_fd, int err_fd, int cgroup_fd)
{
	int e, i;

	setpgid(0, 0);
	if (tty_fd >= 0)
		tcsetpgrp(tty_fd, getpid());
	/* memwatch installs no handlers, so exec resets nothing it set but
	 * SIGPIPE; signals it found ignored are still ignored here. */
	sigaction(SIGPIPE, &s->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
	setrlimit(RLIMIT_NOFILE, &s->old_nofile);
	/* clone3 could not start it in its cgroup: it moves itself, before
	 * its first instruction of its own. */
	if (cgroup_fd >= 0) {
		int procs = openat(cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);

		if (procs < 0 || write(procs, "0", 1) != 1)
			goto fail;
		close(procs);
	}
	if ((io->stdin_fd >= 0 && dup2(io->stdin_fd, 0) < 0) ||
	    (io->stdout_fd >= 0 && dup2(io->stdout_fd, 1) < 0) ||
	    (io->stderr_fd >= 0 && dup2(io->stderr_fd, 2) < 0))
		goto fail;
	for (i = 0; env_set && env_set[i]; i++) {
		char *eq = strchr(env_set[i], '=');

		if (!eq)
			continue;
		*eq = '\0';
		e = setenv(env_set[i], eq + 1, 1);
		*eq = '=';
		if (e < 0)
			goto fail;
	}
	report_pre_exec_rss(err_fd);
	execvp(argv[0], argv);
fail:
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

pid_t supervise_fork_piped(int *fd)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(pipefd[0]);
		close(pipefd[1]);
		errno = saved;
		return -1;
	}
	close(pipefd[pid == 0 ? 0 : 1]);
	*fd = pipefd[pid == 0 ? 1 : 0];
	return pid;
}

/* As supervise_fork_piped, with the child started inside the cgroup
 * cgroup_fd (clone3 with CLONE_INTO_CGROUP, Linux 5.7). *moved is false
 * when the kernel could not, and the child must move itself. */
static pid_t fork_into_cgroup(int *fd, int cgroup_fd, bool *moved)
{
	struct clone_args args;
	int pipefd[2];
	long pid;

	*moved = false;
	if (cgroup_fd < 0)
		return supervise_fork_piped(fd);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)cgroup_fd;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return supervise_fork_piped(fd);
	}
	*moved = true;
	close(pipefd[pid == 0 ? 0 : 1]);
	*fd = pipefd[pid == 0 ? 1 : 0];
	return (pid_t)pid;
}

/* How far apart two reads of a process's rss counter may be beyond what
 * it did: since Linux 6.2 each CPU holds back up to a batch of
 * max(32, 2 x CPUs) pages; before, each thread up to 64. Twice that, for
 * the two reads (statm before the exec, the high-water mark at it). */
static uint64_t rss_counter_slack_pages(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t n = cpus > 0 ? (uint64_t)cpus : 1;
	uint64_t batch = 2 * n > 32 ? 2 * n : 32;

	return 2 * (batch * n > 64 ? batch * n : 64);
}

/* Up to len bytes from the child's exec error pipe until its end (the
 * exec); -1 on an error. A Ctrl-Z that reaches the child before its exec
 * stops it with the pipe open: while nothing comes, memwatch looks for
 * that stop every 100 ms and handles it as any stop of the job (takes the
 * terminal back and stops itself; continued, it continues the child), or
 * it would wait on the pipe for ever, with the terminal held by a stopped
 * group. */
static ssize_t read_exec_pipe(struct supervise *s, int fd, pid_t pid,
			      char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		siginfo_t si;
		int ready = poll(&p, 1, 100);

		if (ready < 0 && errno != EINTR)
			return -1;
		if (ready > 0) {
			n = read(fd, buf + got, len - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			got += (size_t)n;
			continue;
		}
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == pid)
			supervise_job_stopped(s, pid);
	}
	return (ssize_t)got;
}

pid_t supervise_spawn(struct supervise *s, char *const argv[],
		      char *const env_set[], const struct spawn_io *io,
		      bool foreground, int *exec_errno)
{
	int err_fd, child_err = 0, tty_fd = -1;
	char msg[16];
	uint64_t pages;
	bool moved;
	ssize_t n;
	pid_t pid;

	*exec_errno = 0;
	if (foreground && isatty(STDIN_FILENO) &&
	    tcgetpgrp(STDIN_FILENO) == getpgrp())
		tty_fd = STDIN_FILENO;
	pid = fork_into_cgroup(&err_fd, s->cgroup_fd, &moved);
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_exec(s, argv, env_set, io, tty_fd, err_fd,
			   moved ? -1 : s->cgroup_fd);
	/* Both sides set the group and the terminal, so neither order of
	 * scheduling leaves a window where a signal hits the wrong group. */
	setpgid(pid, pid);
	if (tty_fd >= 0 && tcsetpgrp(tty_fd, pid) == 0)
		s->tty_fd = tty_fd;
	/* The pipe closes on a successful exec (O_CLOEXEC), after the child
	 * wrote its rss in pages (8 bytes); where it failed, its errno (4)
	 * follows or stands alone. */
	n = read_exec_pipe(s, err_fd, pid, msg, sizeof(msg));
	s->pre_exec_rss_bytes = 0;
	if (n == 8 || n == 12) {
		memcpy(&pages, msg, sizeof(pages));
		s->pre_exec_rss_bytes = (pages + rss_counter_slack_pages()) *
					(uint64_t)sysconf(_SC_PAGESIZE);
	}
	if (n == 4 || n == 12) {
		memcpy(&child_err, msg + n - 4, sizeof(child_err));
		n = sizeof(child_err);
	}
	close(err_fd);
	if (n == (ssize_t)sizeof(child_err)) {
		waitpid(pid, NULL, 0);
		supervise_reclaim_tty(s);
		*exec_errno = child_err ? child_err : EINVAL;
		return -1;
	}
	return pid;
}

size_t supervise_read_signals(struct supervise *s, int *sigs, size_t max)
{
	struct signalfd_siginfo si;
	size_t n = 0;

	while (n < max && read(s->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		sigs[n++] = (int)si.ssi_signo;
	return n;
}

bool supervise_reap(struct supervise *s,
		    bool (*peek)(pid_t pid, void *arg),
		    void (*fn)(pid_t pid, int wait_status, const struct rusage *ru,
			       void *arg),
		    void *arg)
{
	(void)s;
	for (;;) {
		siginfo_t si;
		struct rusage ru;
		int wait_status;
		bool count;
		pid_t pid;

		/* WNOWAIT: see which child is ready while its /proc entry is
		 * still there, then reap exactly that one. */
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return errno != ECHILD;
		}
		if (si.si_pid == 0)
			return true;
		count = si.si_code == CLD_STOPPED || !peek || peek(si.si_pid, arg);
		pid = wait4(si.si_pid, &wait_status, WNOHANG | WUNTRACED | __WALL, &ru);
		if (pid <= 0 || !count)
			continue;
		fn(pid, wait_status, &ru, arg);
	}
}
