/* sample/tree.h - the processes of the measured tree, and how new ones are found */
#ifndef MEMWATCH_TREE_H
#define MEMWATCH_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mem.h"
#include "probe.h"
#include "sample/pidmap.h"
#include "sample/proc_sample.h"

/* One process's peak in one phase of the run (run/phasehwm.c). */
struct proc_phase_peak {
	unsigned phase;		/* index into the run's phases */
	uint64_t hwm_bytes;
	bool exact;		/* the kernel's VmHWM (or wait4's maxrss) of the
				 * phase alone; false: the highest sampled */
};

/* One process seen during a run. Records outlive their processes: the
 * result lists every process seen. */
struct proc_rec {
	pid_t pid;
	pid_t ppid;
	uint64_t start_ticks;
	char comm[16];
	char *command;		/* owned; valid UTF-8, may hold control bytes */
	double start_s;		/* seconds after the run started */
	double end_s;		/* when it was seen gone; < 0 while alive */
	int wait_status;	/* as wait(2) gives it, -1 if unknown */
	bool alive;		/* false once it exited (zombie or reaped) */
	struct probe *probe;	/* NULL once reaped */

	struct proc_sample smp;	/* the sampler's; see proc_sample.h */
	bool deep_denied;	/* smaps_rollup not readable (permissions) */
	int preload;		/* the preload is mapped: 1, not: 0, unknown: -1 */
	bool preload_unreadable;	/* its maps may not be read */
	/* A process sharing another's address space (vfork before its exec,
	 * clone with CLONE_VM): its memory is that one's, counted once. */
	struct proc_rec *mm_owner;
	bool had_children;	/* a child of its was ever in the tree */
	bool unsignalable;	/* memwatch may not signal it (EPERM) */
	bool left_running;	/* alive when the command exited */
	/* From wait4 when memwatch reaped it: the highest rss of it, or of a
	 * descendant it reaped itself (0: not reaped by memwatch). */
	uint64_t wait_maxrss_bytes;

	struct mem now;		/* this tick's values (estimated between deeps) */
	uint64_t shmem_share_bytes;	/* its share of its shmem, this tick */

	/* Summaries over the run. */
	uint64_t hwm_bytes;	/* max(VmHWM read, rss seen) */
	uint64_t rss_max_bytes;	/* the largest rss sampled */
	uint64_t peak_footprint_bytes;
	uint64_t samples;
	uint32_t at_peak_gen;	/* == timeline's peak generation: at_peak valid */
	struct mem at_peak;

	/* The open phase (run/phasehwm.c): the highest rss sampled in it,
	 * and VmHWM when that counts from within the phase (the process was
	 * born in it, or its VmHWM was reset when it began). */
	uint64_t phase_hwm_bytes;
	bool phase_vmhwm_ok;
	bool phase_born;	/* born in the open phase */
	bool phase_closed;	/* gone, and its last phase recorded */
	struct proc_phase_peak *phase_peaks;	/* owned; the phases it lived in */
	size_t n_phase_peaks;
};

struct tree {
	struct probe_sys *sys;
	struct probe *self;	/* memwatch as subreaper; NULL when attached */
	pid_t root_pid;
	double boot_t0_s;	/* boot clock at the run's start */
	uint64_t t0_ns;

	struct proc_rec **all;	/* every process seen, in discovery order */
	size_t n_all, cap_all;
	struct proc_rec **live;	/* not yet reaped (zombies included) */
	size_t n_live, cap_live;

	struct pidmap pids;	/* pid -> live record */

	pid_t *exclude;		/* children of memwatch that are not the tree */
	size_t n_exclude, cap_exclude;
	pid_t *gone;		/* pids freed since the last discovery */
	size_t n_gone, cap_gone;
	/* New pids that had no /proc entry yet when looked at (a pid is
	 * handed out a moment before its process becomes visible): looked at
	 * once more at the next discovery. */
	pid_t retry[64];
	size_t n_retry;
	bool scan_pending;	/* children lists were read since the last
				 * full scan: it may have missed a process */

	uint64_t fork_mark;	/* last seen; see probe_sys_fork_mark */
	bool have_fork_mark;
	bool force_discovery;
	uint64_t last_scan_ns;
	uint64_t full_scans;
	uint64_t children_scans;	/* discoveries through children lists */
	uint64_t pid_probes;		/* ... through the new pids' status */
	uint64_t discoveries;
	const char *preload;	/* library file name each process should map */
};

/* Start tracking. With subreaper, memwatch's own children are part of the
 * tree (orphans reparent to it). t0_ns is the run's start (monotonic). */
void tree_init(struct tree *t, bool subreaper, uint64_t t0_ns);
void tree_destroy(struct tree *t);

/* Add the root process. command, if given, names it until /proc says
 * otherwise. Returns the record, or NULL if the process is already gone. */
struct proc_rec *tree_add_root(struct tree *t, pid_t pid, const char *command,
			       uint64_t now_ns);

/* A child of memwatch that is not part of the measured tree, with its
 * process group: the driver, and whatever it starts. */
void tree_exclude(struct tree *t, pid_t pid);

/* Whether memwatch, about to reap pid (a zombie still), should not count
 * it: it belongs to an excluded process group. Remembers the answer. */
bool tree_excluded_zombie(struct tree *t, pid_t pid);

/* Find processes that joined the tree since the last call. Cheap when no
 * process was created anywhere since (one pread of /proc/loadavg). */
void tree_discover(struct tree *t, uint64_t now_ns);

/* The process has exited (seen as a zombie, or reaped by memwatch:
 * status is its wait status, or -1). Sampling stops. */
void tree_mark_exited(struct tree *t, struct proc_rec *r, uint64_t now_ns,
		      int status);

/* The process's parent and children may hold a new share of pages it
 * shared with them (it exited, or a walk found its sharing moved): their
 * next page walk is due. */
void tree_relatives_stale(struct tree *t, const struct proc_rec *r);

/* The process is reaped: forget its pid (it may be reused). */
void tree_forget(struct tree *t, struct proc_rec *r);

/* memwatch reaped pid with status and wait4's maxrss: update or create its
 * record. */
void tree_on_reaped(struct tree *t, pid_t pid, int status,
		    uint64_t maxrss_bytes, uint64_t now_ns);

struct proc_rec *tree_find(const struct tree *t, pid_t pid);

/* Processes alive now (not zombies). */
size_t tree_alive_count(const struct tree *t);

/* Read whether the preload is mapped in the process now; last_look: no
 * later look will come (for a static binary, "not mapped" then). */
void tree_check_preload(struct tree *t, struct proc_rec *r, bool last_look);

/* Re-read names (and whether the preload is mapped) after an exec.
 * Returns false if there was no command line to read (a process halfway
 * through an exec has none yet): the old one is kept. */
bool tree_refresh_names(struct tree *t, struct proc_rec *r);

/* Seconds since the run started for a monotonic timestamp. */
double tree_seconds(const struct tree *t, uint64_t now_ns);

#endif
