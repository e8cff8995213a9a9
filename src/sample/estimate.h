/* sample/estimate.h - a process's deep metrics between page walks */
#ifndef MEMWATCH_ESTIMATE_H
#define MEMWATCH_ESTIMATE_H

#include <stdbool.h>
#include <stdint.h>

#include "probe.h"
#include "sample/tree.h"

/* The process's resident shmem now, from its status and fast tiers. */
uint64_t estimate_shmem_bytes(const struct proc_rec *r);

/* The fast tier's upper bound of the process's footprint. */
uint64_t estimate_fast_bytes(const struct proc_rec *r);

/* A page walk d of the process was taken, with its fast and status tiers
 * as they are now and the tree's resident shmem at tree_shmem_bytes: from
 * now on its estimates move from these. */
void estimate_walked(struct proc_rec *r, const struct probe_deep *d,
		     uint64_t tree_shmem_bytes);

/* How much of the process's estimate no page walk has confirmed, the tree's
 * resident shmem being tree_shmem_bytes now. */
uint64_t estimate_uncertain_bytes(const struct proc_rec *r,
				  uint64_t tree_shmem_bytes);

/* Whether a new walk d, against the process's last one, shows pages moved
 * between shared and private: its relatives' shares moved too. */
bool estimate_sharing_moved(const struct proc_rec *r,
			    const struct probe_deep *d);

/* This tick's metrics of the process (r->now), its uncertainty and its
 * share of its shmem, from its latest readings of each tier. */
void estimate_derive(struct proc_rec *r, uint64_t tree_shmem_bytes);

#endif
