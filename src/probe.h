/* probe.h - the platform interface: what memwatch reads about processes and the machine
 *
 * The rest of memwatch knows processes, and the machine they run on, only
 * through this header. Linux reads /proc and sysfs (src/linux/); a macOS
 * backend would implement the same calls with proc_pid_rusage and
 * proc_listchildpids, in a folder of its own. Readers return false when the
 * process is gone or unreadable; that is normal, not an error. */
#ifndef MEMWATCH_PROBE_H
#define MEMWATCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct probe;		/* one process, with descriptors kept open */
struct probe_sys;	/* system-wide state (scans, fork activity) */

/* Who a process is. (pid, start_ticks) is its identity: pids are reused. */
struct probe_ident {
	pid_t pid;
	pid_t ppid;
	pid_t pgrp;
	uint64_t start_ticks;	/* clock ticks after boot */
	char state;		/* R, S, D, Z, X, ... */
	char comm[16];
	int wait_status;	/* wait status of a zombie, else -1 */
	uint64_t cpu_ticks;	/* utime + stime */
	uint64_t threads;
};

/* Fast tier: cheap enough for every tick (statm on a kept descriptor). */
struct probe_fast {
	uint64_t rss_bytes;
	uint64_t anon_bytes;		/* resident - shared */
	uint64_t file_shmem_bytes;	/* shared: file-backed + shmem */
	uint64_t text_pages;		/* changes on exec: re-read the name */
};

/* Status tier: a few times a second at most. */
struct probe_status {
	char name[16];
	pid_t ppid;
	uint64_t threads;
	uint64_t hwm_bytes;
	uint64_t shmem_bytes;
	uint64_t swap_bytes;
	uint64_t cpu_ticks;	/* utime + stime of every thread (stat) */
	uint64_t main_run_ns;	/* CPU time of the main thread (schedstat), to
				 * the nanosecond; 0 if unknown */
};

/* Deep tier: a page-table walk, costly on big processes. */
struct probe_deep {
	uint64_t rss_bytes;
	uint64_t pss_bytes;
	uint64_t pss_anon_bytes;
	uint64_t pss_file_bytes;
	uint64_t pss_shmem_bytes;
	uint64_t uss_bytes;		/* Private_Clean + Private_Dirty */
	uint64_t swap_bytes;
	uint64_t swap_pss_bytes;
	uint64_t lazyfree_bytes;
	uint64_t anon_huge_bytes;
	bool exact_pss_split;	/* false: Pss_Anon etc. were estimated */
};

/* Open a process. NULL with errno set if it does not exist (ESRCH/ENOENT)
 * or cannot be read. The probe pins the process: reads fail once it has
 * been reaped, even if its pid is reused. Free with probe_close(). */
struct probe *probe_open(pid_t pid);
void probe_close(struct probe *p);
pid_t probe_pid(const struct probe *p);

bool probe_ident(struct probe *p, struct probe_ident *out);
bool probe_fast(struct probe *p, struct probe_fast *out);

/* The process's main thread has exited (pthread_exit) while other threads
 * run: the main thread is a zombie whose memory files are empty, and the
 * process's memory is read through a live thread's instead. Switch to one;
 * false if none is left (the process has exited). */
bool probe_follow_thread(struct probe *p);

/* Whether two processes share one address space (vfork, clone with
 * CLONE_VM): 1 yes, 0 no, -1 unknown (no permission, no kcmp). */
int probe_same_mm(struct probe *a, struct probe *b);
bool probe_status(struct probe *p, struct probe_status *out);
/* errno is EACCES when the deep tier is not permitted for this process. */
bool probe_deep(struct probe *p, struct probe_deep *out);

/* The command line, arguments joined by spaces, as valid UTF-8; NULL if
 * unavailable (zombie, kernel thread). Caller frees. */
char *probe_cmdline(struct probe *p);

/* Which of the needles (at most 8) are in the paths mapped into the
 * process, as a bit mask (bit i: needles[i]); -1 if the maps cannot be
 * read. */
int probe_maps_find(struct probe *p, const char *const *needles, size_t n);

/* Call fn for each direct child of the process (all its threads). Returns
 * false if the process is gone. May miss children that exit meanwhile. */
bool probe_children(struct probe *p, void (*fn)(pid_t pid, void *arg),
		    void *arg);

/* Send sig to exactly this process (not a reused pid). -1/errno on error. */
int probe_kill(struct probe *p, int sig);

/* Set the process's VmHWM (its rss high-water mark) back to its rss now,
 * so that the next VmHWM read is the peak since this call. It also lowers
 * what the process sees of its own peak (getrusage, and wait4 in its
 * parent). 0; -1 with errno: EACCES/EPERM when memwatch may not (another
 * user's, or a non-dumpable process), ENOENT/ESRCH when it is gone.
 * linux/hwm.c. */
int hwm_reset(struct probe *p);

/* The descriptor of the directory the process's memory is read through
 * (/proc/PID, or a live thread's): for the Linux backend's own files. */
int probe_mm_dir_fd(const struct probe *p);

struct probe_sys *probe_sys_new(void);
void probe_sys_free(struct probe_sys *s);

/* A counter that changes whenever any process or thread is created on the
 * system; equal values mean nothing forked in between, so the tree cannot
 * have grown. */
bool probe_sys_fork_mark(struct probe_sys *s, uint64_t *out);

/* List every process on the system: fn(pid, ppid, start_ticks). Returns
 * the number listed, or -1. */
int probe_sys_scan(struct probe_sys *s,
		   void (*fn)(pid_t pid, pid_t ppid, uint64_t start_ticks,
			      void *arg),
		   void *arg);

/* The parent of any pid (of its thread group, for a thread), from its
 * stat file; false if it is gone. */
bool probe_sys_parent(struct probe_sys *s, pid_t pid, pid_t *ppid);

/* A quick look at any pid: its parent, and whether it is a process (its
 * own thread group leader) rather than a thread. false if it is gone. */
bool probe_sys_peek(struct probe_sys *s, pid_t pid, pid_t *ppid,
		    bool *is_process);

/* Shared memory on the whole system (meminfo Shmem: tmpfs, memfd, System V
 * and shared anonymous memory, mapped or not); refreshed at most once a
 * second. false if unavailable. */
bool probe_sys_shmem(struct probe_sys *s, uint64_t *bytes);

/* Clock ticks per second of start_ticks and cpu_ticks. */
long probe_ticks_per_s(void);

/* Seconds since boot on the clock start_ticks counts on. */
double probe_boot_now_s(void);

/* The machine memwatch runs on, as a result describes it. The strings are
 * the caller's to free; NULL when unknown. */
struct host_info {
	char *hostname;
	char *kernel;		/* release, as uname -r */
	char *arch;		/* as uname -m */
	char *thp;		/* transparent huge pages: always, madvise, never */
	long cpus;		/* online */
	long page_size;
	uint64_t mem_total_bytes;	/* 0 when unknown */
};

void host_read(struct host_info *out);

/* Where the dynamic linker would find a shared library: the first of the
 * sonames (at most n, up to a NULL) that is installed, as a path the
 * caller frees; NULL when none is. */
char *library_find(const char *const *sonames, size_t n);

/* --- the kernel's own count: a memory cgroup around the tree ------------
 * cgroup v2 with the memory controller charges every page of the tree to
 * one cgroup: anonymous memory, page cache, tmpfs and memfd pages (mapped
 * or not), kernel memory and socket buffers; its peak (memory.peak, Linux
 * 5.19) is exact, and one read gives the total whatever the tree's size.
 * linux/cgroup.c. */

struct cgroup;

/* memory.stat's tree totals, in bytes; the kernel flushes them lazily, so
 * they may lag memory.current by a bounded amount. swap is
 * memory.swap.current (0 without swap accounting). */
struct cgroup_stat {
	uint64_t anon_bytes;
	uint64_t file_bytes;		/* page cache, shmem included */
	uint64_t shmem_bytes;		/* tmpfs, memfd, shared anonymous */
	uint64_t file_mapped_bytes;
	uint64_t kernel_bytes;		/* stacks, page tables, slab, percpu */
	uint64_t sock_bytes;
	uint64_t swap_bytes;
};

/* A fresh memory cgroup for the tree, made under memwatch's own (moving
 * memwatch into a leaf of its own first if cgroup v2's rule against
 * processes beside child controllers calls for it). NULL, with one line
 * in why saying what is missing, when it cannot be had. */
struct cgroup *cgroup_create(char *why, size_t why_len);

/* The cgroup pid is in, to read (never removed); NULL with why. */
struct cgroup *cgroup_open_of(pid_t pid, char *why, size_t why_len);

/* Its path under the cgroup2 mount ("/memwatch-123"). */
const char *cgroup_path(const struct cgroup *cg);

/* A directory descriptor of it, for spawning into it (supervise.h). */
int cgroup_dir_fd(const struct cgroup *cg);

bool cgroup_read_current(struct cgroup *cg, uint64_t *bytes);
bool cgroup_read_stat(struct cgroup *cg, struct cgroup_stat *out);

/* memory.peak: false when the kernel has none (before 5.19). */
bool cgroup_read_peak(struct cgroup *cg, uint64_t *bytes);

/* Whether memory.peak can be reset through a descriptor (Linux 6.12). */
bool cgroup_can_reset_peak(const struct cgroup *cg);

/* The peak since the last reset (or since the cgroup was made), read
 * through memwatch's own memory.peak descriptor, which is then reset;
 * false when the kernel cannot. */
bool cgroup_peak_reset(struct cgroup *cg, uint64_t *peak_bytes);

/* Call fn for each process in the cgroup; the number, or -1. */
int cgroup_procs(struct cgroup *cg, void (*fn)(pid_t pid, void *arg), void *arg);

/* Close it; a cgroup memwatch made is removed (its processes gone) and
 * memwatch goes back where it was. */
void cgroup_close(struct cgroup *cg);

/* Parse memory.stat's text into out; false if it has no anon line. */
bool cgroup_stat_parse(const char *text, struct cgroup_stat *out);

#endif
