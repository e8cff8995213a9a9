/* supervise.h - the platform seam for process control: starting the target,
 * its signals, reaping it, the keeper, the run loop's clock and signals */
#ifndef MEMWATCH_SUPERVISE_H
#define MEMWATCH_SUPERVISE_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

struct supervise {
	int sig_fd;		/* signalfd for SIGCHLD and the stop signals */
	sigset_t old_mask;
	sigset_t ignored;	/* stop signals ignored when memwatch started */
	struct sigaction old_pipe;
	struct rlimit old_nofile;	/* restored in children before exec */
	int tty_fd;		/* controlling terminal handed to the target */
	bool subreaper;
	int cgroup_fd;		/* a cgroup's directory: the next command
				 * spawned starts in it; -1: in memwatch's */
	/* The last command spawned: the most its rss may have been as a copy
	 * of memwatch before its exec, as wait4's maxrss will count it (the
	 * copy's statm just before the exec, plus what the kernel's rss
	 * counters may be off by between two reads); 0 if unknown. Only a
	 * maxrss above it is the command's own. */
	uint64_t pre_exec_rss_bytes;
};

/* Where a spawned command's stdio goes; -1 keeps memwatch's own. */
struct spawn_io {
	int stdin_fd;
	int stdout_fd;
	int stderr_fd;
};

/* Block the signals memwatch handles and route them to sig_fd; with
 * subreaper, orphaned descendants reparent to memwatch. -1/errno on error. */
int supervise_init(struct supervise *s, bool subreaper);
void supervise_destroy(struct supervise *s);

/* Start argv in its own process group, with env_set ("VAR=VALUE", may be
 * NULL) added to the environment. With foreground, the group also gets the
 * terminal if memwatch has it (so a target that reads the terminal works,
 * and Ctrl-C reaches it as it would without memwatch). Returns the pid, or
 * -1: then *exec_errno is the exec error (ENOENT, EACCES, ...), or 0 when
 * the failure was memwatch's own (errno set). */
pid_t supervise_spawn(struct supervise *s, char *const argv[],
		      char *const env_set[], const struct spawn_io *io,
		      bool foreground, int *exec_errno);

/* fork(2) with a close-on-exec pipe from the child to the parent: *fd is
 * its write end in the child, its read end in the parent. Returns fork's
 * result, or -1 with errno set and nothing left open. */
pid_t supervise_fork_piped(int *fd);

/* Read the pending signals into sigs (at most max); returns how many. */
size_t supervise_read_signals(struct supervise *s, int *sigs, size_t max);

/* Reap every child that has exited or stopped: first peek(pid, arg) while
 * the zombie is still there to be looked at (if peek returns false, the
 * child is reaped silently), then fn(pid, wait_status, rusage, arg).
 * Returns false once memwatch has no children left at all. */
bool supervise_reap(struct supervise *s,
		    bool (*peek)(pid_t pid, void *arg),
		    void (*fn)(pid_t pid, int wait_status, const struct rusage *ru,
			       void *arg),
		    void *arg);

/* Take the terminal back from the target's group, if it was handed over. */
void supervise_reclaim_tty(struct supervise *s);

/* Whether the target's group holds memwatch's terminal. */
bool supervise_has_tty(const struct supervise *s);

/* The target's group stopped for the terminal (Ctrl-Z, or a read from the
 * background): stop memwatch too, so its shell gets the terminal back;
 * when continued, hand the terminal to the group again and continue it. */
void supervise_job_stopped(struct supervise *s, pid_t pgid);

/* The keeper: a child of memwatch that runs a command memwatch must not
 * measure (the driver), and adopts everything it starts, so that none of it
 * ever reparents to memwatch and joins the measured tree. */

/* What the keeper tells memwatch on its report pipe, in order: the driver's
 * pid, then its wait status when it exits; or, instead of both, the errno
 * of its failure to start. */
enum keeper_report_kind {
	KEEPER_REPORT_PID = 1,
	KEEPER_REPORT_EXIT,
	KEEPER_REPORT_START_FAILED,
};

struct keeper_report {
	int kind;		/* enum keeper_report_kind */
	int value;
};

/* Be the keeper, in the child of supervise_fork_piped (report_fd: its pipe
 * end; memwatch: the parent's pid): start /bin/sh -c cmd with env_set added
 * to its environment and io as its stdio (closed here once handed over).
 * A stop signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) goes to everything under
 * the keeper, and SIGKILL follows kill_after_ns later; SIGUSR1 is SIGKILL
 * to everything at once; the driver's exit stops what it left behind the
 * same way. The keeper also stops the load when memwatch dies, and exits
 * once nothing is left under it. Never returns. */
void keeper_main(struct supervise *sv, pid_t memwatch, int report_fd,
		 const char *cmd, char *const env_set[],
		 const struct spawn_io *io, uint64_t kill_after_ns);

/* --- a run's waiting and its small calls on processes -------------------
 * The run loop's clock and signals (linux/events.c), what it does to the
 * target beyond spawning and reaping it (linux/target.c), and memwatch's
 * account of itself (linux/self.c). */

/* What the run loop waits on: memwatch's signals (through supervise's
 * descriptor), a one-shot sampling timer at absolute times on the
 * monotonic clock, and descriptors of the loop's own. */
struct events {
	int sig_fd;		/* supervise's; not owned */
	int timer_fd;		/* -1 until the timer is first armed */
};

#define EVENTS_SIGNALS 1	/* signals are pending: supervise_read_signals */
#define EVENTS_TIMER 2		/* the timer went off */
#define EVENTS_MAX_FDS 8	/* descriptors of the caller's, at most */

void events_init(struct events *ev, const struct supervise *sv);
void events_destroy(struct events *ev);

/* Arm the timer for at_ns on the monotonic clock (clock_mono_ns), in
 * place of any earlier time. -1/errno on failure. */
int events_arm_timer(struct events *ev, uint64_t at_ns);

/* Wait until signals are pending, the timer goes off or one of fds[0..n)
 * is ready, or timeout_ms passes (-1: no limit); each revents is filled.
 * Returns which of EVENTS_SIGNALS and EVENTS_TIMER happened (0 after a
 * timeout or an interruption), or -1/errno. */
int events_wait(struct events *ev, struct pollfd *fds, size_t n, int timeout_ms);

/* Send sig to the process group pgid. -1/errno on error. */
int target_signal_group(pid_t pgid, int sig);

/* Whether memwatch may not signal pid (it runs as another user). */
bool target_signal_denied(pid_t pid);

/* What --attach to a pid would measure. */
enum target_attach {
	TARGET_ATTACH_OK,	/* a process, or none (told at the start) */
	TARGET_ATTACH_SELF,	/* memwatch itself */
	TARGET_ATTACH_ANCESTOR,	/* what runs memwatch: its tree holds memwatch */
	TARGET_ATTACH_THREAD,	/* a thread of process *tgid, not a process */
};

/* Whether pid is one memwatch can attach to (see enum target_attach). */
enum target_attach target_attach_check(pid_t pid, pid_t *tgid);

/* A new close-on-exec descriptor of the null device, to read from or to
 * write to, for a child's stdio; -1/errno. */
int target_null_fd(bool writable);

/* memwatch's CPU time so far, user and system, in seconds. */
double self_read_cpu_s(void);

/* Set memwatch's peak rss back to its rss now, so that a peak read later
 * is that of what followed (each run of a comparison its own). false if
 * the kernel cannot: the peak then covers memwatch's life. */
bool self_reset_peak(void);

/* memwatch's peak rss since exec or the last self_reset_peak. */
uint64_t self_read_peak_rss(void);

#endif
