/* linux/probe.c - the Linux backend of probe.h: reading /proc
 *
 * Costs measured on a 2-CPU Debian 12 VM (scripts/bench-sampler, and
 * memwatch(1), SAMPLING AND PRECISION) decide what is read how:
 *   statm, pread on a kept descriptor     ~0.9 us  -> every tick
 *   statm, open+read+close                ~4.4 us  -> never on the hot path
 *   status, pread on a kept descriptor    ~7 us    -> status tier
 *   libproc2 select of one pid            ~44 us   -> not per process
 *   smaps_rollup                          ~11 ms per GiB resident -> deep tier
 *   libproc2 full reap (71 processes)     ~680 us  -> the occasional full scan
 * So per-process reads go straight to /proc through descriptors opened
 * relative to the process's own /proc directory, and libproc2 serves the
 * system-wide scan, where its cost is paid rarely. */
#include "config.h"

#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/kcmp.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/meminfo.h>
#include <libproc2/pids.h>

#include "util/fmt.h"
#include "linux/procfs.h"
#include "util/xalloc.h"

struct probe {
	pid_t pid;
	int dir_fd;		/* /proc/PID: pins the process's identity */
	int mm_fd;		/* where its memory is read: dir_fd, or
				 * /proc/PID/task/TID of a live thread once the
				 * main thread has exited (probe_follow_thread) */
	pid_t mm_tid;		/* that thread; 0 while reading dir_fd */
	int statm_fd;
	int status_fd;		/* opened on first status read */
	int stat_fd;		/* ... with it */
	int sched_fd;		/* ... and schedstat */
	uint64_t threads;	/* last known; 1 lets children skip task/ */
};

struct probe_sys {
	int loadavg_fd;
	struct pids_info *pids;
	struct meminfo_info *meminfo;
};

/* A scratch buffer for files of unbounded size (children lists, cmdline).
 * memwatch samples from one thread, so one buffer serves every call. */
static char *scratch;
static size_t scratch_cap;

static uint64_t page_bytes(void)
{
	static uint64_t page;

	if (!page)
		page = (uint64_t)sysconf(_SC_PAGESIZE);
	return page;
}

/* pread a whole small file from offset 0 into buf; returns length or -1.
 * seq_file-backed /proc files regenerate their text on a read at 0. */
static ssize_t pread_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len < cap) {
		ssize_t n = pread(fd, buf + len, cap - len, (off_t)len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

/* Open path (relative to dir_fd), read at most cap - 1 bytes of it into
 * buf, and close it; returns the length, or -1. For files not worth a kept
 * descriptor. */
static ssize_t read_small_at(int dir_fd, const char *path, char *buf,
			     size_t cap)
{
	int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread_all(fd, buf, cap - 1);
	close(fd);
	return n;
}

/* Read a whole file relative to dir_fd into the scratch buffer. */
static ssize_t read_at_scratch(int dir_fd, const char *path)
{
	int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t n;

		xgrow(&scratch, &scratch_cap, len + 4096, 1);
		n = read(fd, scratch + len, scratch_cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	scratch[len] = '\0';
	return (ssize_t)len;
}

struct probe *probe_open(pid_t pid)
{
	char path[32];
	struct probe *p;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	p->status_fd = -1;
	p->stat_fd = -1;
	p->sched_fd = -1;
	p->dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dir_fd < 0)
		goto fail;
	p->mm_fd = p->dir_fd;
	p->statm_fd = openat(p->dir_fd, "statm", O_RDONLY | O_CLOEXEC);
	if (p->statm_fd < 0)
		goto fail;
	return p;
fail:
	{
		int saved = errno;

		if (p->dir_fd >= 0)
			close(p->dir_fd);
		free(p);
		errno = saved;
		return NULL;
	}
}

/* Close the descriptors of the memory files (statm, status, stat). */
static void close_mm_files(struct probe *p)
{
	if (p->statm_fd >= 0)
		close(p->statm_fd);
	if (p->status_fd >= 0)
		close(p->status_fd);
	if (p->stat_fd >= 0)
		close(p->stat_fd);
	if (p->sched_fd >= 0)
		close(p->sched_fd);
	p->statm_fd = p->status_fd = p->stat_fd = p->sched_fd = -1;
}

void probe_close(struct probe *p)
{
	if (!p)
		return;
	close_mm_files(p);
	if (p->mm_fd != p->dir_fd)
		close(p->mm_fd);
	close(p->dir_fd);
	free(p);
}

pid_t probe_pid(const struct probe *p)
{
	return p->pid;
}

int probe_mm_dir_fd(const struct probe *p)
{
	return p->mm_fd;
}

bool probe_ident(struct probe *p, struct probe_ident *out)
{
	struct procfs_stat st;
	char buf[1024];
	ssize_t n = read_small_at(p->dir_fd, "stat", buf, sizeof(buf));

	if (n <= 0 || !procfs_parse_stat(buf, (size_t)n, &st))
		return false;
	out->pid = st.pid;
	out->ppid = st.ppid;
	out->pgrp = st.pgrp;
	out->start_ticks = st.start_ticks;
	out->state = st.state;
	memcpy(out->comm, st.comm, sizeof(out->comm));
	out->wait_status = st.state == 'Z' || st.state == 'X' ? st.exit_code : -1;
	out->cpu_ticks = st.utime_ticks + st.stime_ticks;
	out->threads = st.num_threads;
	if (st.num_threads)
		p->threads = st.num_threads;
	return true;
}

bool probe_fast(struct probe *p, struct probe_fast *out)
{
	struct procfs_statm sm;
	char buf[160];
	ssize_t n = p->statm_fd >= 0 ? pread(p->statm_fd, buf, sizeof(buf) - 1, 0) : -1;

	if (n <= 0 || !procfs_parse_statm(buf, (size_t)n, &sm))
		return false;
	out->rss_bytes = sm.resident_pages * page_bytes();
	out->file_shmem_bytes = sm.shared_pages * page_bytes();
	/* statm's shared is RssFile + RssShmem, so the rest is RssAnon. */
	out->anon_bytes = sm.resident_pages > sm.shared_pages ?
		(sm.resident_pages - sm.shared_pages) * page_bytes() : 0;
	out->text_pages = sm.text_pages;
	return true;
}

/* A kept descriptor for name, relative to where the memory is read. */
static int kept_fd(struct probe *p, int *fd, const char *name)
{
	if (*fd < 0)
		*fd = openat(p->mm_fd, name, O_RDONLY | O_CLOEXEC);
	return *fd;
}

bool probe_status(struct probe *p, struct probe_status *out)
{
	struct procfs_status st;
	struct procfs_stat ps;
	char buf[4096];
	ssize_t n;

	if (kept_fd(p, &p->status_fd, "status") < 0)
		return false;
	n = pread_all(p->status_fd, buf, sizeof(buf) - 1);
	if (n <= 0 || !procfs_parse_status(buf, (size_t)n, &st))
		return false;
	memcpy(out->name, st.name, sizeof(out->name));
	out->ppid = st.ppid;
	out->threads = st.threads;
	out->hwm_bytes = st.vm_hwm_bytes;
	out->shmem_bytes = st.rss_shmem_bytes;
	out->swap_bytes = st.vm_swap_bytes;
	if (st.threads)
		p->threads = st.threads;
	/* The CPU time of the whole thread group, which tells the deep tier
	 * whether the process has run since its last page walk. The process's
	 * own stat, not a thread's: a thread's counts only itself. */
	out->cpu_ticks = 0;
	if (p->stat_fd < 0)
		p->stat_fd = openat(p->dir_fd, "stat", O_RDONLY | O_CLOEXEC);
	if (p->stat_fd >= 0) {
		n = pread_all(p->stat_fd, buf, sizeof(buf) - 1);
		if (n > 0 && procfs_parse_stat(buf, (size_t)n, &ps))
			out->cpu_ticks = ps.utime_ticks + ps.stime_ticks;
	}
	/* stat counts in clock ticks (10 ms): a short burst of work, such as
	 * an madvise, may not move it. schedstat counts nanoseconds, of the
	 * main thread only, which is the whole process when it has one. */
	out->main_run_ns = 0;
	if (p->sched_fd < 0)
		p->sched_fd = openat(p->dir_fd, "schedstat", O_RDONLY | O_CLOEXEC);
	if (p->sched_fd >= 0) {
		n = pread(p->sched_fd, buf, 128, 0);
		if (n <= 0 || !procfs_parse_schedstat(buf, (size_t)n, &out->main_run_ns))
			out->main_run_ns = 0;
	}
	return true;
}

/* The process's task directory, one entry per thread; NULL if gone. */
static DIR *open_task_dir(struct probe *p)
{
	int fd = openat(p->dir_fd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir)
		close(fd);
	return dir;
}

bool probe_follow_thread(struct probe *p)
{
	struct procfs_stat st;
	struct dirent *de;
	char buf[1024];
	bool found = false;
	ssize_t n;
	DIR *dir;

	n = read_small_at(p->dir_fd, "stat", buf, sizeof(buf));
	/* A zombie main thread with other threads alive: num_threads still
	 * counts the zombie (it is released only when the process is reaped),
	 * so more than one means a live thread is left. */
	if (n <= 0 || !procfs_parse_stat(buf, (size_t)n, &st) ||
	    st.state != 'Z' || st.num_threads < 2)
		return false;
	dir = open_task_dir(p);
	if (!dir)
		return false;
	while (!found && (de = readdir(dir))) {
		struct procfs_statm sm;
		char path[32];
		int tfd, sfd;
		pid_t tid;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		tid = (pid_t)atoi(de->d_name);
		if (tid == p->pid || tid == p->mm_tid)
			continue;
		snprintf(path, sizeof(path), "task/%d", (int)tid);
		tfd = openat(p->dir_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (tfd < 0)
			continue;
		sfd = openat(tfd, "statm", O_RDONLY | O_CLOEXEC);
		n = sfd >= 0 ? pread(sfd, buf, sizeof(buf) - 1, 0) : -1;
		if (n <= 0 || !procfs_parse_statm(buf, (size_t)n, &sm) ||
		    !sm.resident_pages) {
			/* Exiting too: its memory is gone already. */
			if (sfd >= 0)
				close(sfd);
			close(tfd);
			continue;
		}
		close_mm_files(p);
		if (p->mm_fd != p->dir_fd)
			close(p->mm_fd);
		p->mm_fd = tfd;
		p->mm_tid = tid;
		p->statm_fd = sfd;
		found = true;
	}
	closedir(dir);
	return found;
}

int probe_same_mm(struct probe *a, struct probe *b)
{
#ifdef SYS_kcmp
	/* KCMP_VM compares the tasks' mm; a zombie main thread has none. */
	if (a->mm_tid || b->mm_tid)
		return -1;
	switch (syscall(SYS_kcmp, a->pid, b->pid, KCMP_VM, 0, 0)) {
	case 0:
		return 1;
	case 1:
	case 2:
		return 0;
	default:
		return -1;
	}
#else
	(void)a;
	(void)b;
	return -1;
#endif
}

bool probe_deep(struct probe *p, struct probe_deep *out)
{
	struct procfs_rollup r;
	char buf[2048];
	ssize_t n;

	/* Opened per read, not kept: the page walk dwarfs the open, and a
	 * third descriptor per process would only tighten RLIMIT_NOFILE. */
	n = read_small_at(p->mm_fd, "smaps_rollup", buf, sizeof(buf));
	if (n <= 0 || !procfs_parse_rollup(buf, (size_t)n, &r))
		return false;
	out->rss_bytes = r.rss_bytes;
	out->pss_bytes = r.pss_bytes;
	out->uss_bytes = r.private_clean_bytes + r.private_dirty_bytes;
	out->swap_bytes = r.swap_bytes;
	out->swap_pss_bytes = r.swap_pss_bytes;
	out->lazyfree_bytes = r.lazyfree_bytes;
	out->anon_huge_bytes = r.anon_huge_bytes;
	out->exact_pss_split = r.has_pss_split;
	if (r.has_pss_split) {
		out->pss_anon_bytes = r.pss_anon_bytes;
		out->pss_file_bytes = r.pss_file_bytes;
		out->pss_shmem_bytes = r.pss_shmem_bytes;
	} else {
		/* Before 5.7 there is no split: anonymous pages are the upper
		 * bound of their proportional share. */
		out->pss_anon_bytes = r.anonymous_bytes < r.pss_bytes ?
			r.anonymous_bytes : r.pss_bytes;
		out->pss_file_bytes = r.pss_bytes - out->pss_anon_bytes;
		out->pss_shmem_bytes = 0;
	}
	return true;
}

char *probe_cmdline(struct probe *p)
{
	ssize_t n = read_at_scratch(p->mm_fd, "cmdline");
	ssize_t i;

	if (n <= 0)
		return NULL;
	while (n > 0 && scratch[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (scratch[i] == '\0')
			scratch[i] = ' ';
	return fmt_utf8_sanitize(scratch, (size_t)n);
}

int probe_maps_find(struct probe *p, const char *const *needles, size_t n)
{
	ssize_t len = read_at_scratch(p->mm_fd, "maps");
	int found = 0;
	size_t i;

	if (len < 0)
		return -1;
	for (i = 0; i < n && i < 8; i++)
		if (strstr(scratch, needles[i]))
			found |= 1 << i;
	return found;
}

/* Children listed so far, copied out of the scratch buffer before the
 * caller's callback runs (which may read /proc itself). */
struct pid_list {
	pid_t *v;
	size_t n, cap;
};

static void collect_pid(pid_t pid, void *arg)
{
	struct pid_list *l = arg;

	xgrow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = pid;
}

static bool list_children(struct probe *p, struct pid_list *l)
{
	char path[48];
	struct dirent *de;
	DIR *dir;

	/* Each thread has its own children list; a single-threaded process
	 * needs just one read, which keeps discovery cheap on the common case. */
	if (p->threads == 1) {
		ssize_t n;

		snprintf(path, sizeof(path), "task/%d/children", (int)p->pid);
		n = read_at_scratch(p->dir_fd, path);
		if (n < 0)
			return false;
		procfs_parse_pids(scratch, (size_t)n, collect_pid, l);
		return true;
	}
	dir = open_task_dir(p);
	if (!dir)
		return false;
	while ((de = readdir(dir))) {
		ssize_t n;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "task/%.16s/children", de->d_name);
		n = read_at_scratch(p->dir_fd, path);
		if (n > 0)
			procfs_parse_pids(scratch, (size_t)n, collect_pid, l);
	}
	closedir(dir);
	return true;
}

bool probe_children(struct probe *p, void (*fn)(pid_t pid, void *arg),
		    void *arg)
{
	static struct pid_list l;
	size_t i, n;
	bool ok;

	l.n = 0;
	ok = list_children(p, &l);
	/* fn may call back into this file (but not into probe_children), so
	 * iterate over a count taken now. */
	n = l.n;
	for (i = 0; i < n; i++)
		fn(l.v[i], arg);
	return ok;
}

int probe_kill(struct probe *p, int sig)
{
#ifdef SYS_pidfd_send_signal
	/* A /proc/PID directory descriptor is accepted as a pidfd (5.1+):
	 * the signal cannot reach a process that reused the pid. */
	if (syscall(SYS_pidfd_send_signal, p->dir_fd, sig, NULL, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
#endif
	return kill(p->pid, sig);
}

/* What the system-wide scan asks libproc2 for, by the position each value
 * takes in a result's stack. */
enum scan_pos {
	SCAN_PID,
	SCAN_PPID,
	SCAN_BEGAN,
	SCAN_N
};

static enum pids_item scan_items[SCAN_N] = {
	[SCAN_PID] = PIDS_ID_PID,
	[SCAN_PPID] = PIDS_ID_PPID,
	[SCAN_BEGAN] = PIDS_TICS_BEGAN,
};

struct probe_sys *probe_sys_new(void)
{
	struct probe_sys *s = xcalloc(1, sizeof(*s));

	s->loadavg_fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	if (procps_pids_new(&s->pids, scan_items, SCAN_N) < 0)
		s->pids = NULL;
	if (procps_meminfo_new(&s->meminfo) < 0)
		s->meminfo = NULL;
	return s;
}

bool probe_sys_shmem(struct probe_sys *s, uint64_t *bytes)
{
	struct meminfo_result *m;

	if (!s->meminfo)
		return false;
	/* libproc2 reads /proc/meminfo again at most once a second. */
	m = procps_meminfo_get(s->meminfo, MEMINFO_MEM_SHARED);
	if (!m)
		return false;
	*bytes = (uint64_t)m->result.ul_int * 1024;
	return true;
}

void probe_sys_free(struct probe_sys *s)
{
	if (!s)
		return;
	if (s->loadavg_fd >= 0)
		close(s->loadavg_fd);
	if (s->pids)
		procps_pids_unref(&s->pids);
	if (s->meminfo)
		procps_meminfo_unref(&s->meminfo);
	free(s);
}

bool probe_sys_fork_mark(struct probe_sys *s, uint64_t *out)
{
	char buf[128];
	pid_t last;
	ssize_t n;

	if (s->loadavg_fd < 0)
		return false;
	n = pread(s->loadavg_fd, buf, sizeof(buf) - 1, 0);
	/* The last field of loadavg is the pid most recently handed out
	 * (threads included), so it moves on every fork and clone. */
	if (n <= 0 || !procfs_parse_loadavg_last_pid(buf, (size_t)n, &last))
		return false;
	*out = (uint64_t)last;
	return true;
}

int probe_sys_scan(struct probe_sys *s,
		   void (*fn)(pid_t pid, pid_t ppid, uint64_t start_ticks,
			      void *arg),
		   void *arg)
{
	struct pids_fetch *f;
	int i;

	if (!s->pids)
		return -1;
	f = procps_pids_reap(s->pids, PIDS_FETCH_TASKS_ONLY);
	if (!f)
		return -1;
	for (i = 0; i < f->counts->total; i++) {
		/* The stack's values are read as the structs libproc2 declares
		 * them, which every 4.0.x has kept, rather than through
		 * PIDS_VAL, which lost an argument in 4.0.5. */
		const struct pids_result *v = f->stacks[i]->head;

		fn(v[SCAN_PID].result.s_int, v[SCAN_PPID].result.s_int,
		   v[SCAN_BEGAN].result.ull_int, arg);
	}
	return f->counts->total;
}

/* /proc/PID/NAME, as read_small_at() reads it. */
static ssize_t read_proc_once(pid_t pid, const char *name, char *buf,
			      size_t cap)
{
	char path[48];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return read_small_at(AT_FDCWD, path, buf, cap);
}

bool probe_sys_parent(struct probe_sys *s, pid_t pid, pid_t *ppid)
{
	struct procfs_stat st;
	char buf[1024];
	ssize_t n;

	(void)s;
	n = read_proc_once(pid, "stat", buf, sizeof(buf));
	if (n <= 0 || !procfs_parse_stat(buf, (size_t)n, &st))
		return false;
	*ppid = st.ppid;
	return true;
}

bool probe_sys_peek(struct probe_sys *s, pid_t pid, pid_t *ppid,
		    bool *is_process)
{
	struct procfs_status st;
	char buf[4096];
	ssize_t n;

	(void)s;
	/* /proc/TID resolves for threads too (unlisted): Tgid tells them apart. */
	n = read_proc_once(pid, "status", buf, sizeof(buf));
	if (n <= 0 || !procfs_parse_status(buf, (size_t)n, &st))
		return false;
	*ppid = st.ppid;
	*is_process = st.tgid == pid;
	return true;
}

long probe_ticks_per_s(void)
{
	static long hz;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? hz : 100;
}

double probe_boot_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
