/* linux/keeper.c - the keeper: the subreaper of the driver and of all it starts
 *
 * Orphans reparent to the nearest ancestor marked a child subreaper
 * (PR_SET_CHILD_SUBREAPER), else to init. The keeper is one, so whatever the
 * driver leaves behind comes to it, never to memwatch; it finds what is
 * left under it through each thread's children list in /proc, and exits
 * once waitpid says it has no child left. */
#include "config.h"

#include "supervise.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux/procfs.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* One report to memwatch; a write far below PIPE_BUF is never torn. */
static void keeper_send(int fd, int kind, int value)
{
	struct keeper_report m = { kind, value };
	ssize_t n;

	do
		n = write(fd, &m, sizeof(m));
	while (n < 0 && errno == EINTR);
}

struct pid_vec {
	pid_t *v;
	size_t n, cap;
};

static void pid_vec_add(pid_t pid, void *arg)
{
	struct pid_vec *pv = arg;

	xgrow(&pv->v, &pv->cap, pv->n + 1, sizeof(*pv->v));
	pv->v[pv->n++] = pid;
}

/* Append the children of pid (of each of its threads) to pv. */
static void add_children(pid_t pid, struct pid_vec *pv)
{
	char path[64];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char file[96], buf[8192];
		ssize_t n;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(file, sizeof(file), "%s/%.16s/children", path, de->d_name);
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0)
			procfs_parse_pids(buf, (size_t)n, pid_vec_add, pv);
	}
	closedir(dir);
}

/* Signal everything under the keeper: the driver's process group, and every
 * descendant, in whatever session or group it put itself. The whole subtree
 * is listed first, so that nothing signalled reparents out of the walk. */
static void signal_subtree(pid_t driver, int sig)
{
	struct pid_vec pv = { 0 };
	size_t i;

	add_children(getpid(), &pv);
	for (i = 0; i < pv.n && i < 65536; i++)
		add_children(pv.v[i], &pv);
	for (i = 0; i < pv.n; i++)
		kill(pv.v[i], sig);
	if (driver > 0)
		kill(-driver, sig);
	free(pv.v);
}

/* Close the descriptors memwatch handed over for the driver's stdio: the
 * driver has its own copies, and the pipes must close when it does. */
static void close_io(const struct spawn_io *io)
{
	if (io->stdin_fd >= 0)
		close(io->stdin_fd);
	if (io->stdout_fd >= 0 && io->stdout_fd != io->stdin_fd)
		close(io->stdout_fd);
	if (io->stderr_fd >= 0 && io->stderr_fd != io->stdout_fd &&
	    io->stderr_fd != io->stdin_fd)
		close(io->stderr_fd);
}

/* The keeper holds only what it needs: the report pipe, the driver's stdio
 * and what memwatch itself inherited (the driver inherits it too). memwatch's
 * own descriptors, all close-on-exec (its signalfd, the /proc files of the
 * tree, the pipes of the command's output, which would not close while the
 * keeper held them), are closed: the keeper never execs. */
static void close_inherited(int report_fd, const struct spawn_io *io)
{
	struct dirent *de;
	DIR *dir = opendir("/proc/self/fd");
	int *v = NULL;
	size_t n = 0, cap = 0, i;

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] < '0' || de->d_name[0] > '9' || fd < 3 ||
		    fd == dirfd(dir) || fd == report_fd || fd == io->stdin_fd ||
		    fd == io->stdout_fd || fd == io->stderr_fd ||
		    !(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			continue;
		xgrow(&v, &cap, n + 1, sizeof(*v));
		v[n++] = fd;
	}
	closedir(dir);
	for (i = 0; i < n; i++)
		close(v[i]);
	free(v);
}

/* The keeper's life: start the driver, report its pid and its exit, stop
 * what is left, and exit once nothing is. */
void keeper_main(struct supervise *sv, pid_t memwatch, int report_fd,
			const char *cmd, char *const env_set[],
			const struct spawn_io *io, uint64_t kill_after_ns)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	uint64_t kill_at = 0;
	pid_t driver;
	sigset_t set;
	int sfd, err = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* Orphans of the load come here; if memwatch dies, the load stops.
	 * A name of its own, so that pgrep memwatch finds memwatch. */
	prctl(PR_SET_NAME, "mw-drive-keeper", 0, 0, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != memwatch)
		_exit(0);
	close_inherited(report_fd, io);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	sv->subreaper = false;
	driver = supervise_spawn(sv, argv, env_set, io, false, &err);
	close_io(io);
	if (driver < 0) {
		keeper_send(report_fd, KEEPER_REPORT_START_FAILED, err ? err : errno);
		_exit(127);
	}
	keeper_send(report_fd, KEEPER_REPORT_PID, driver);
	for (;;) {
		struct pollfd pfd = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;
		uint64_t now = clock_mono_ns();
		int timeout = -1;

		if (kill_at)
			timeout = kill_at > now ? (int)((kill_at - now) / 1000000 + 1) : 0;
		/* Without a signalfd, look for exited children every 10 ms. */
		if (sfd >= 0)
			poll(&pfd, 1, timeout);
		else
			usleep(10000);
		while (sfd >= 0 && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGCHLD)
				continue;
			if (si.ssi_signo == SIGUSR1) {
				signal_subtree(driver, SIGKILL);
				continue;
			}
			signal_subtree(driver, (int)si.ssi_signo);
			if (!kill_at)
				kill_at = clock_mono_ns() + kill_after_ns;
		}
		if (kill_at && clock_mono_ns() >= kill_at) {
			signal_subtree(driver, SIGKILL);
			kill_at = clock_mono_ns() + 1000000000ULL;
		}
		for (;;) {
			int status;
			pid_t p = waitpid(-1, &status, WNOHANG | __WALL);

			if (p > 0) {
				if (p != driver)
					continue;
				keeper_send(report_fd, KEEPER_REPORT_EXIT, status);
				/* The load is over: what the driver left behind
				 * would only disturb the idle windows. */
				signal_subtree(driver, SIGTERM);
				if (!kill_at)
					kill_at = clock_mono_ns() + kill_after_ns;
				continue;
			}
			if (p < 0 && errno == ECHILD)
				_exit(0);
			break;
		}
	}
}
