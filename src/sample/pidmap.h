/* sample/pidmap.h - the live process records by pid, in an open-addressed table */
#ifndef MEMWATCH_PIDMAP_H
#define MEMWATCH_PIDMAP_H

#include <stddef.h>
#include <sys/types.h>

struct proc_rec;

/* The table's first size; it doubles to stay at most half full. */
#define PIDMAP_MIN_SLOTS 64

/* Records by their pid, linear probing from the pid's home slot. Removal
 * shifts the records after it back, so a lookup stops at the first empty
 * slot and needs no tombstones. A zeroed struct is an empty map. */
struct pidmap {
	struct proc_rec **slots;	/* NULL: empty */
	size_t cap;			/* 0, or a power of two */
	size_t n;			/* records held */
};

/* Add r under r->pid, which no record in the map has. */
void pidmap_put(struct pidmap *m, struct proc_rec *r);

/* The record of pid, or NULL. */
struct proc_rec *pidmap_find(const struct pidmap *m, pid_t pid);

/* Remove r itself (not another record of its pid); nothing if absent. */
void pidmap_del(struct pidmap *m, const struct proc_rec *r);

void pidmap_free(struct pidmap *m);

#endif
