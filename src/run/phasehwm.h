/* run/phasehwm.h - each process's peak in each phase of the run */
#ifndef MEMWATCH_PHASEHWM_H
#define MEMWATCH_PHASEHWM_H

#include <stddef.h>
#include <stdint.h>

struct run;

/* The phases closed so far, by name (start, load, idle_30s, stop); each
 * process keeps its peaks by index into them (tree.h: proc_phase_peak). */
struct phasehwm {
	char **names;		/* owned */
	size_t n, cap;
	int seg_phase;		/* enum phase_name of the open phase; -1 */
	uint64_t seg_ticks;	/* ticks in it */
	uint64_t resets;	/* VmHWM reset (--phase-hwm) */
	uint64_t refused;	/* ... and the writes refused (EACCES, EPERM) */
};

void phasehwm_init(struct phasehwm *h);
void phasehwm_destroy(struct phasehwm *h);

/* After each tick: the open phase counted, and the start phase closed
 * once the load began. */
void phasehwm_tick(struct run *r);

/* The start phase ends when the load begins, which no checkpoint marks:
 * closed as soon as the run sees it. */
void phasehwm_check_start(struct run *r);

/* A phase ended (at the moments the kernel's count resets memory.peak):
 * each process's peak in it recorded; with --phase-hwm, each live one's
 * VmHWM read and reset, so that the next is the peak of the next phase. */
void phasehwm_boundary(struct run *r, const char *phase);

/* The run ended: the open phase closed under its own name (before the
 * processes are assembled, once the wait4 figures are in). */
void phasehwm_finish(struct run *r);

/* The name of phase index i. */
const char *phasehwm_name(const struct phasehwm *h, unsigned i);

#endif
