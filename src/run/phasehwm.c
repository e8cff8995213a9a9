/* run/phasehwm.c - each process's peak in each phase of the run
 *
 * The kernel keeps one high-water mark of a process's rss (VmHWM) from its
 * exec on. With --phase-hwm it is read at each phase boundary, as the peak
 * of the phase that ends, and set back to the rss of the moment (hwm_reset):
 * the next read is the exact peak of the next phase. Between boundaries,
 * each process keeps the highest rss sampled in the open phase (and VmHWM,
 * when it counts from within the phase), so that a process born or dead
 * inside a phase has its peak there too; a process memwatch reaped has
 * wait4's maxrss, the kernel's figure for its last address space, exact
 * when that address space lived in the phase alone. Without the option, or
 * where the write is refused, the peaks are the sampled maxima and say so.
 * The run's own peaks (hwm_bytes) are never lowered: the readings only
 * ever raise them. */
#include "config.h"

#include "run/phasehwm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run/state.h"
#include "util/xalloc.h"

void phasehwm_init(struct phasehwm *h)
{
	memset(h, 0, sizeof(*h));
	h->seg_phase = -1;
}

void phasehwm_destroy(struct phasehwm *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	memset(h, 0, sizeof(*h));
	h->seg_phase = -1;
}

const char *phasehwm_name(const struct phasehwm *h, unsigned i)
{
	return i < h->n ? h->names[i] : "?";
}

/* The phase a tick belongs to, as the kernel's count names it. */
static int tick_phase(const struct run *r)
{
	return r->state == RUN_STATE_RUNNING ? (int)r->ph.name : (int)PHASE_END;
}

void phasehwm_check_start(struct run *r)
{
	if (r->phw.seg_phase == PHASE_START && r->ph.name != PHASE_START &&
	    phase_configured(&r->o->phases))
		phasehwm_boundary(r, "start");
}

void phasehwm_tick(struct run *r)
{
	struct phasehwm *h = &r->phw;
	int ph = tick_phase(r);

	if (!phase_configured(&r->o->phases))
		return;
	phasehwm_check_start(r);
	/* A phase that ends without a boundary (the tree being stopped)
	 * takes the name of the one it turned into. */
	if (h->seg_phase < 0 || (ph != h->seg_phase && h->seg_phase != PHASE_START))
		h->seg_phase = ph;
	h->seg_ticks++;
}

/* wait4's maxrss of a process memwatch reaped, when it is the peak of its
 * last phase alone: it counts the address space before the exec too, and
 * the peaks of the children the process reaped itself. Born in the phase,
 * all of that is the phase's; the command's own figure is its address
 * space's only above memwatch's rss at the fork (what it carried from
 * before the exec), and the phase's once VmHWM was reset when it began.
 * 0: not known. */
static uint64_t wait_peak(const struct run *r, const struct proc_rec *p)
{
	uint64_t w = p->wait_maxrss_bytes;

	if (!w || p->had_children || p->mm_owner)
		return 0;
	if (p->pid == r->root_pid && !r->o->attach_pid)
		return w > r->spawn_rss_bytes && p->phase_vmhwm_ok ? w : 0;
	return p->phase_born ? w : 0;
}

static void add_peak(struct proc_rec *p, unsigned phase, uint64_t bytes,
		     bool exact)
{
	struct proc_phase_peak *pk;

	p->phase_peaks = xreallocarray(p->phase_peaks, p->n_phase_peaks + 1,
				       sizeof(*p->phase_peaks));
	pk = &p->phase_peaks[p->n_phase_peaks++];
	pk->phase = phase;
	pk->hwm_bytes = bytes;
	pk->exact = exact;
}

/* A live process at a boundary: its VmHWM read (--phase-hwm) as the
 * peak of the phase that ends. */
static void close_live(struct run *r, struct proc_rec *p, unsigned phase)
{
	uint64_t bytes = p->phase_hwm_bytes;
	bool exact = false;
	struct probe_status st;

	if (r->o->phase_hwm && p->probe && probe_status(p->probe, &st)) {
		if (st.hwm_bytes > p->hwm_bytes)
			p->hwm_bytes = st.hwm_bytes;
		if (p->phase_vmhwm_ok) {
			if (st.hwm_bytes > bytes)
				bytes = st.hwm_bytes;
			exact = true;
		}
	}
	if (bytes || exact)
		add_peak(p, phase, bytes, exact);
}

/* The next phase of a live process measured from now: with --phase-hwm,
 * its VmHWM set back to its rss. */
static void open_live(struct run *r, struct proc_rec *p)
{
	struct probe_fast f;

	p->phase_vmhwm_ok = false;
	if (r->o->phase_hwm && p->probe) {
		if (hwm_reset(p->probe) == 0) {
			p->phase_vmhwm_ok = true;
			r->phw.resets++;
		} else if (errno == EACCES || errno == EPERM) {
			r->phw.refused++;
		}
	}
	p->phase_hwm_bytes = p->probe && probe_fast(p->probe, &f) ? f.rss_bytes :
			     p->smp.fast.rss_bytes;
}

/* Close the open phase of every process seen; reset (reset: another phase
 * follows) the live ones. */
static void close_phase(struct run *r, unsigned phase, bool reset)
{
	size_t i;

	for (i = 0; i < r->tree.n_all; i++) {
		struct proc_rec *p = r->tree.all[i];
		uint64_t w;

		/* Its memory is its address space's owner's, counted there. */
		if (p->phase_closed || p->mm_owner)
			continue;
		if (p->alive) {
			close_live(r, p, phase);
			if (reset)
				open_live(r, p);
		} else {
			w = wait_peak(r, p);
			if (w || p->phase_hwm_bytes)
				add_peak(p, phase, w > p->phase_hwm_bytes ? w : p->phase_hwm_bytes,
					 w && w >= p->phase_hwm_bytes);
			p->phase_closed = true;
		}
		p->phase_born = false;
	}
}

/* A phase by name: its index. */
static unsigned add_name(struct phasehwm *h, const char *phase)
{
	xgrow(&h->names, &h->cap, h->n + 1, sizeof(*h->names));
	h->names[h->n] = xstrdup(phase);
	return (unsigned)h->n++;
}

void phasehwm_boundary(struct run *r, const char *phase)
{
	struct phasehwm *h = &r->phw;

	close_phase(r, add_name(h, phase), true);
	h->seg_phase = tick_phase(r);
	h->seg_ticks = 0;
}

/* The open phase closes when the run ends, under its own name. */
static const char *last_phase_name(int ph)
{
	return ph == PHASE_START ? "start" : ph == PHASE_LOAD ? "load" :
	       ph == PHASE_IDLE ? "idle" : "stop";
}

void phasehwm_finish(struct run *r)
{
	struct phasehwm *h = &r->phw;

	if (!phase_configured(&r->o->phases) || h->seg_phase < 0 || !h->seg_ticks)
		return;
	close_phase(r, add_name(h, last_phase_name(h->seg_phase)), false);
	h->seg_ticks = 0;
}
