/* result/result.h - the result model: what a run measured, for every output
 *
 * One model for every mode: a single run is a comparison of one
 * configuration with one run. It is written as JSON (result_json.c),
 * rendered as text, markdown and CSV, and loaded back by report and diff. */
#ifndef MEMWATCH_RESULT_H
#define MEMWATCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mem.h"

#define RESULT_SCHEMA "memwatch-result/1"
#define RESULT_SELF_POINTS 64

struct result_checkpoint {
	char *kind;		/* ready, load_end, idle, mark, exit */
	char *label;		/* load_end, idle_<N>s, exit, ready, a mark */
	double t_s;
	uint32_t processes;
	bool deep;		/* every process read by the deep tier then */
	double deep_age_s;	/* age of its oldest page walk (a process that
				 * has not run since counts as current); < 0:
				 * a process was never walked */
	uint32_t deep_denied;	/* processes counted with upper bounds */
	struct mem mem;
};

/* A process's peak rss in one phase of the run. */
struct result_phase_peak {
	char *phase;		/* start, load, idle_<N>s, stop */
	uint64_t hwm_bytes;
	bool exact;		/* the kernel's high-water mark of the phase
				 * (--phase-hwm); false: the highest sampled */
};

struct result_proc {
	pid_t pid;
	pid_t ppid;
	char *command;
	double start_s;
	double end_s;		/* < 0: still alive when the run ended */
	int exit_status;	/* shell style (code, or 128+signal); -1 unknown */
	uint64_t hwm_bytes;
	uint64_t peak_footprint_bytes;
	bool has_at_peak;	/* alive at the tree's peak */
	struct mem at_peak;
	int preload;		/* the configuration's preload mapped: 1/0, -1 n/a */
	uint64_t wait_maxrss_bytes;	/* wait4's maxrss when memwatch reaped
					 * it (it, or a child it reaped); 0 */
	bool deep_denied;	/* smaps_rollup may not be read: upper bounds */
	bool left_running;	/* alive when the command exited */
	bool unsignalable;	/* memwatch may not signal it */
	pid_t mm_shared_with;	/* shared this process's address space (vfork,
				 * CLONE_VM) and counted there; 0: no */
	struct result_phase_peak *phase_peaks;	/* the phases it lived in */
	size_t n_phase_peaks;
};

/* Whether a configuration's preloaded library reached the processes. */
struct result_preload {
	char *library;		/* NULL: nothing preloaded */
	uint32_t checked;	/* processes whose maps were read */
	uint32_t mapped;	/* ... that had the library mapped */
	uint32_t unreadable;	/* processes whose maps memwatch may not read */
};

struct result_sampler {
	uint64_t interval_ns;
	uint64_t samples;
	uint64_t deep_reads;
	uint32_t deep_budget_bp;
	double cpu_s;		/* memwatch's own CPU time, user + system */
	double cpu_pct;		/* of one CPU, over the run's wall time */
	uint64_t max_rss_bytes;	/* memwatch's own peak RSS */
	double fast_us_per_proc_tick;	/* fast tier CPU per process per tick */
	double deep_cpu_s;
	double deep_max_ms;
	double deep_mean_ms;		/* CPU of an average deep read */
	uint64_t deep_denied;		/* processes whose smaps_rollup was refused */
	/* memwatch's own rss over the run: at most RESULT_SELF_POINTS points,
	 * evenly spaced (the spacing doubles as the run goes on). */
	struct result_self_point {
		double t_s;
		uint64_t rss_bytes;
	} self_rss[64];
	size_t n_self_rss;
	uint64_t full_scans;		/* discovery: libproc2 scans of all /proc */
	uint64_t children_scans;	/* ... reads of the tree's children lists */
	uint64_t pid_probes;		/* ... looks at just the new pids */
	double max_gap_s;		/* the longest time between two samples */
	uint64_t ramp_ticks;		/* samples of the start ramp */
	uint64_t burst_ticks;		/* ... taken while the tree moved fast */
	uint64_t status_reads;		/* status tier reads */
	double status_us_per_read;	/* ... and what one cost */
	uint64_t refresh_reads;		/* deep reads of processes that had run */
};

/* The --drive command's run. */
struct result_drive {
	char *command;		/* NULL: no driver */
	int exit_status;	/* shell style; -1: did not end by itself */
	double start_s, end_s;	/* end_s < 0: still running at the end */
};

struct result_peak {
	double t_s;
	char phase[8];		/* start, load, idle */
	uint32_t processes;
	uint64_t uncertain_bytes;	/* not confirmed by the deep tier */
	uint32_t deep_denied;	/* processes counted with upper bounds */
	struct mem mem;
};

/* Where the tree's peak rss comes from: the highest sample, or a single
 * process's own peak that the kernel proves (VmHWM; wait4's maxrss) and no
 * sample caught. */
enum peak_rss_source {
	PEAK_RSS_SAMPLED,
	PEAK_RSS_VMHWM,
	PEAK_RSS_WAIT4,
};

/* The kernel's count of the tree (a memory cgroup around it): every page
 * charged to the tree, page cache and kernel memory included, which is
 * more than the footprint, and exact where the footprint is sampled. */
struct result_kphase {
	char *phase;		/* start, load, idle_<N>s, stop */
	uint64_t peak_bytes;	/* charged: memory.peak since the phase began,
				 * or the highest memory.current sampled */
};

struct result_kcount {
	char *tier;		/* "cgroup" or "sampling"; NULL: not recorded */
	char *note;		/* why not the cgroup tier, or NULL */
	char *cgroup;		/* its path under the cgroup2 mount */
	bool has_peak;		/* memory.peak was there (Linux 5.19) */
	uint64_t peak_bytes;	/* the tree's exact peak of charged memory */
	char *peak_phase;	/* the phase that held it, or NULL */
	uint64_t max_current_bytes;	/* the highest memory.current sampled */
	double max_current_t_s;
	/* memory.stat at the sample (close to that one) when memory.current
	 * was split_current_bytes */
	uint64_t split_current_bytes;
	uint64_t stat_reads;
	uint64_t anon_bytes, file_bytes, shmem_bytes, file_mapped_bytes;
	uint64_t kernel_bytes, sock_bytes, swap_bytes;
	uint32_t members;	/* processes listed in cgroup.procs */
	uint32_t missed;	/* ... that the sampler had not found */
	bool phases_exact;	/* phase peaks from memory.peak resets */
	struct result_kphase *phases;
	size_t n_phases;
	double us_per_tick;	/* a read of memory.current, each tick */
	double stat_us_per_read;	/* a read of memory.stat */
};

/* The tree's footprint and rss over the run, downsampled (sample/
 * downsample.c) so that no peak or trough is lost; n == 0: not kept. */
struct result_series {
	size_t n;
	double *t_s;
	uint64_t *footprint_bytes, *rss_bytes;
};

struct result_run {
	int exit_status;	/* shell style; -1 if unknown */
	double wall_s;
	double cpu_s;		/* user + system of the whole tree */
	bool interrupted;
	char *ended_by;		/* exit, timeout, signal, ... */
	struct result_peak peak;	/* the sample with the highest footprint */
	uint64_t max_rss_bytes;		/* highest tree rss in any sample */
	/* The tree's peak rss: the highest sample, or the highest rss a
	 * single process of the tree is proven to have held, if higher. */
	uint64_t peak_rss_bytes;
	enum peak_rss_source peak_rss_source;
	pid_t peak_rss_pid;		/* the process, when not sampled */
	/* wait4's maxrss of the command where it may be memwatch's copy of
	 * itself before the exec: the command's own peak rss is at most
	 * this, and no more is known; 0: none. */
	uint64_t command_rss_bound_bytes;
	uint64_t max_pss_bytes;
	uint64_t sum_proc_peak_bytes;	/* sum of per-process peaks: a bound */
	uint32_t processes_seen;
	uint32_t max_processes;		/* most alive at one sample */
	double ready_s;			/* the ready line; < 0: none */
	double load_start_s;		/* < 0: no phases */
	double load_end_s;		/* < 0: the load phase never ended */
	double settle_s;		/* < 0: no load end */
	/* The slope of the footprint's line through the idle samples after
	 * it settled (settled), or through all of them when too few came
	 * after (it was still moving at the end); NaN: fewer than two. The
	 * line runs from the first of them to the last, in seconds after
	 * load end; < 0: no drift, or a result written before these were. */
	double idle_drift_bytes_per_min;
	double idle_drift_from_s, idle_drift_to_s;
	bool idle_drift_settled;
	struct result_drive drive;
	struct result_preload preload;
	double command_exit_s;		/* the command exited then, leaving
					 * left_running processes; < 0: no */
	uint32_t left_running;
	bool daemonized;		/* ... and the phases ran on them */
	uint32_t deep_denied;		/* processes whose smaps_rollup may not
					 * be read: their values upper bounds */
	/* The largest rise of the system's shared memory (meminfo Shmem)
	 * during the run beyond what the tree's processes map: tmpfs or memfd
	 * files no process maps, which no per-process number contains. */
	uint64_t unmapped_shmem_bytes;
	struct result_checkpoint *checkpoints;
	size_t n_checkpoints;
	struct result_proc *processes;
	size_t n_processes;
	struct result_sampler sampler;
	struct result_kcount kernel;
	struct result_series series;
};

struct result_env {
	char *name;
	char *value;
};

struct result_config {
	char *name;
	struct result_host *host;	/* where it ran, when a merged result holds
					 * several hosts; NULL: the result's host */
	char **argv;		/* NULL-terminated */
	char *allocator;	/* "mimalloc 3.0.1", read from the library; NULL */
	struct result_env *env;
	size_t n_env;
	struct result_run *runs;
	size_t n_runs;
};

struct result_host {
	char *hostname;
	char *kernel;
	char *arch;
	long cpus;
	long page_size;
	uint64_t mem_total_bytes;
	char *thp;
};

struct result {
	char *memwatch_version;
	char *created;		/* ISO 8601, UTC */
	struct result_host host;
	struct result_config *configs;
	size_t n_configs;
	size_t baseline;	/* the configuration changes are against */
	double alpha;		/* their significance level; 0: the default */
};

void result_free(struct result *r);
void result_run_free(struct result_run *run);
void result_kcount_free(struct result_kcount *k);

/* Append an empty run to a config and return it. */
struct result_run *result_config_add_run(struct result_config *c);

/* A deep copy of src into dst; free with result_host_free. */
void result_host_copy(struct result_host *dst, const struct result_host *src);
void result_host_free(struct result_host *h);

/* Fill host with this machine's description. */
void result_host_probe(struct result_host *h);

/* Now, in the form result->created holds. Caller frees. */
char *result_now_iso8601(void);

/* "sampled", "VmHWM", "wait4"; and back (false if none of them). */
const char *result_peak_rss_source_str(enum peak_rss_source s);
bool result_peak_rss_source_parse(const char *str, enum peak_rss_source *out);

/* Shell-style status from a wait status. */
int result_exit_status(int wait_status);

#endif
