/* linux/procfs.h - parsers for the text of Linux /proc files
 *
 * Pure functions over a buffer: no I/O, so they are unit-tested and fuzzed on
 * their own. Each returns false when the text is not of the expected form. */
#ifndef MEMWATCH_PROCFS_H
#define MEMWATCH_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* /proc/PID/statm, in pages. */
struct procfs_statm {
	uint64_t size_pages;
	uint64_t resident_pages;	/* RssAnon + RssFile + RssShmem */
	uint64_t shared_pages;		/* RssFile + RssShmem */
	uint64_t text_pages;
};

/* The few fields of /proc/PID/stat memwatch needs. */
struct procfs_stat {
	pid_t pid;
	char comm[16];
	char state;
	pid_t ppid;
	pid_t pgrp;
	uint64_t utime_ticks;
	uint64_t stime_ticks;
	uint64_t num_threads;
	uint64_t start_ticks;	/* field 22, clock ticks after boot */
	int exit_code;		/* field 52 (3.5+), wait status; -1 if absent */
};

/* /proc/PID/status memory lines (kB in the file, bytes here). */
struct procfs_status {
	char name[16];
	pid_t tgid;
	pid_t ppid;
	uint64_t threads;
	uint64_t vm_hwm_bytes;
	uint64_t vm_rss_bytes;
	uint64_t rss_anon_bytes;
	uint64_t rss_file_bytes;
	uint64_t rss_shmem_bytes;
	uint64_t vm_swap_bytes;
	bool has_rss_split;	/* RssAnon/RssFile/RssShmem present (4.5+) */
};

/* /proc/PID/smaps_rollup (bytes). */
struct procfs_rollup {
	uint64_t rss_bytes;
	uint64_t pss_bytes;
	uint64_t pss_anon_bytes;
	uint64_t pss_file_bytes;
	uint64_t pss_shmem_bytes;
	uint64_t shared_clean_bytes;
	uint64_t shared_dirty_bytes;
	uint64_t private_clean_bytes;
	uint64_t private_dirty_bytes;
	uint64_t anonymous_bytes;
	uint64_t lazyfree_bytes;
	uint64_t anon_huge_bytes;
	uint64_t swap_bytes;
	uint64_t swap_pss_bytes;
	bool has_pss_split;	/* Pss_Anon/File/Shmem present (5.7+) */
};

bool procfs_parse_statm(const char *buf, size_t len, struct procfs_statm *out);
bool procfs_parse_stat(const char *buf, size_t len, struct procfs_stat *out);
bool procfs_parse_status(const char *buf, size_t len, struct procfs_status *out);
bool procfs_parse_rollup(const char *buf, size_t len, struct procfs_rollup *out);

/* /proc/PID/schedstat: the first field, the nanoseconds the task (the
 * process's main thread, for /proc/PID) has spent on a CPU. */
bool procfs_parse_schedstat(const char *buf, size_t len, uint64_t *run_ns);

/* /proc/loadavg: the last field, the most recently created pid. */
bool procfs_parse_loadavg_last_pid(const char *buf, size_t len, pid_t *out);

/* A list of decimal pids separated by spaces (a task's children file).
 * Calls fn for each; returns the number found, or -1 on malformed text. */
int procfs_parse_pids(const char *buf, size_t len,
		      void (*fn)(pid_t pid, void *arg), void *arg);

#endif
