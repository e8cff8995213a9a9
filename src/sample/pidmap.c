/* sample/pidmap.c - the live process records by pid, in an open-addressed table */
#include "config.h"

#include "sample/pidmap.h"

#include <stdint.h>
#include <stdlib.h>

#include "sample/tree.h"
#include "util/xalloc.h"

/* Fibonacci hashing: consecutive pids, the usual case, spread apart. */
static size_t home_slot(size_t cap, pid_t pid)
{
	return ((size_t)(uint32_t)pid * 2654435761u) & (cap - 1);
}

static void insert_raw(struct proc_rec **slots, size_t cap, struct proc_rec *r)
{
	size_t i = home_slot(cap, r->pid);

	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = r;
}

void pidmap_put(struct pidmap *m, struct proc_rec *r)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : PIDMAP_MIN_SLOTS;
		struct proc_rec **nslots = xcalloc(ncap, sizeof(*nslots));
		size_t i;

		for (i = 0; i < m->cap; i++)
			if (m->slots[i])
				insert_raw(nslots, ncap, m->slots[i]);
		free(m->slots);
		m->slots = nslots;
		m->cap = ncap;
	}
	insert_raw(m->slots, m->cap, r);
	m->n++;
}

struct proc_rec *pidmap_find(const struct pidmap *m, pid_t pid)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = home_slot(m->cap, pid); m->slots[i]; i = (i + 1) & (m->cap - 1))
		if (m->slots[i]->pid == pid)
			return m->slots[i];
	return NULL;
}

/* Remove with backward shift, so lookups need no tombstones. */
void pidmap_del(struct pidmap *m, const struct proc_rec *r)
{
	size_t cap = m->cap, i, j;

	if (!cap)
		return;
	i = home_slot(cap, r->pid);
	while (m->slots[i] && m->slots[i] != r)
		i = (i + 1) & (cap - 1);
	if (!m->slots[i])
		return;
	m->slots[i] = NULL;
	m->n--;
	for (j = (i + 1) & (cap - 1); m->slots[j]; j = (j + 1) & (cap - 1)) {
		size_t home = home_slot(cap, m->slots[j]->pid);

		/* Move j back to i if i lies cyclically in [home, j). */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->slots[i] = m->slots[j];
			m->slots[j] = NULL;
			i = j;
		}
	}
}

void pidmap_free(struct pidmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
