/* run/drive.h - the --drive command, and everything it starts, kept out of the tree
 *
 * The driver is load, not the measured program, and so is everything it
 * starts: a load generator in a session of its own, a headless browser and
 * the crash handler the browser double-forks. Orphans reparent to the
 * nearest subreaper; memwatch is the measured tree's, so the driver gets a
 * subreaper of its own: a keeper process, forked from memwatch, that starts
 * the driver and stays until the last process under it is gone. Whatever
 * the driver leaves orphaned reparents to the keeper, never to memwatch,
 * and so never joins the tree, however long it outlives the driver. */
#ifndef MEMWATCH_DRIVE_H
#define MEMWATCH_DRIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "supervise.h"

struct drive {
	pid_t keeper_pid;	/* memwatch's child; 0 before start */
	pid_t driver_pid;	/* once the keeper has said it; 0 before */
	int report_fd;		/* the keeper's reports; -1 once closed */
	bool driver_exited;
	int driver_wait_status;	/* its wait status, once exited */
	int start_errno;	/* the driver could not be started: why */
};

/* Start /bin/sh -c cmd under a keeper, with env_set ("VAR=VALUE") added to
 * its environment and io as its stdio (-1: memwatch's own). When the driver
 * exits, and when asked to (drive_stop), the keeper stops everything left
 * under it: the signal, then SIGKILL after kill_after_ns. Returns 0, or -1
 * with errno set if the keeper could not be started. */
int drive_start(struct drive *d, struct supervise *sv, const char *cmd,
		char *const env_set[], const struct spawn_io *io,
		uint64_t kill_after_ns);

/* Read what the keeper reported (call when report_fd is readable, or
 * after the keeper exited). Returns true once, when the driver's exit (or
 * its failure to start) is first known. */
bool drive_read(struct drive *d);

/* Stop all the load: sig to the driver and everything under the keeper,
 * SIGKILL after the grace period; with SIGKILL, at once. */
void drive_stop(struct drive *d, int sig);

/* The keeper was reaped with keeper_wait_status: nothing of the load is left.
 * Returns true if the driver's exit is first known now (as drive_read). */
bool drive_keeper_gone(struct drive *d, int keeper_wait_status);

/* --- the driver of a run ------------------------------------------------ */

struct run;

/* The load phase began: start the run's driver (stdin the null device, its
 * output hidden or passed through as the command's is) and keep it out of
 * the tree; its start, or its failure to start, goes into the result. */
void drive_launch(struct run *r, uint64_t now_ns);

/* The driver exited (or could not start): the load phase is over, and the
 * result records how the driver ended. */
void drive_ended(struct run *r, uint64_t now_ns);

#endif
