/* report/phase_peaks.c - the peak per phase, per process: which rows and columns a report shows
 *
 * The text, markdown and HTML reports show the same table: the processes
 * of the highest peaks, a column per phase. Runs with many idle windows
 * would not fit: their windows then make one column, the highest of them,
 * exact only when each was. */
#include "config.h"

#include "report/phase_peaks.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Where name is among the phases; n_phases if not. */
static size_t phase_index(const struct phase_peaks *pp, const char *name)
{
	size_t i;

	for (i = 0; i < pp->n_phases; i++)
		if (!strcmp(pp->phases[i], name))
			break;
	return i;
}

/* Each phase once, in the order the phases ran: a process born late
 * lists only the later ones, after those it follows. */
static void collect_phases(struct phase_peaks *pp, const struct result_run *run,
			   size_t cap)
{
	size_t i, j, at, after;

	for (i = 0; i < run->n_processes; i++) {
		const struct result_proc *p = &run->processes[i];

		after = 0;
		for (j = 0; j < p->n_phase_peaks; j++) {
			at = phase_index(pp, p->phase_peaks[j].phase);
			if (at == pp->n_phases && pp->n_phases < cap) {
				memmove(pp->phases + after + 1, pp->phases + after,
					(pp->n_phases - after) * sizeof(*pp->phases));
				pp->phases[after] = p->phase_peaks[j].phase;
				pp->n_phases++;
				at = after;
			}
			after = at + 1;
		}
	}
}

static bool is_idle(const char *name)
{
	return !strncmp(name, "idle", 4);
}

/* The columns: each phase, or the idle windows as one when there are too
 * many to fit. */
static void choose_cols(struct phase_peaks *pp)
{
	bool merge = pp->n_phases > PHASE_PEAKS_COLS, merged = false;
	size_t i;

	for (i = 0; i < pp->n_phases && pp->n_cols < PHASE_PEAKS_COLS; i++) {
		if (merge && is_idle(pp->phases[i])) {
			if (merged)
				continue;
			merged = true;
			pp->cols[pp->n_cols].name = "idle";
			pp->cols[pp->n_cols++].idle_windows = true;
			continue;
		}
		pp->cols[pp->n_cols].name = pp->phases[i];
		pp->cols[pp->n_cols++].idle_windows = false;
	}
}

/* A process's highest peak in any phase. */
static uint64_t top_peak(const struct result_proc *p)
{
	uint64_t top = 0;
	size_t i;

	for (i = 0; i < p->n_phase_peaks; i++)
		if (p->phase_peaks[i].hwm_bytes > top)
			top = p->phase_peaks[i].hwm_bytes;
	return top;
}

/* The rows: the processes of the highest peaks, highest first (a
 * process listed before another of the same peak stays first). */
static void choose_rows(struct phase_peaks *pp, const struct result_run *run)
{
	size_t i, k, n;

	for (i = 0; i < run->n_processes; i++) {
		const struct result_proc *p = &run->processes[i];
		uint64_t top = top_peak(p);

		if (!p->n_phase_peaks)
			continue;
		for (k = 0; k < pp->n_rows && top_peak(pp->rows[k]) >= top; k++)
			;
		if (k == PHASE_PEAKS_ROWS) {
			pp->more++;
			continue;
		}
		if (pp->n_rows == PHASE_PEAKS_ROWS)
			pp->more++;
		n = pp->n_rows < PHASE_PEAKS_ROWS ? pp->n_rows : PHASE_PEAKS_ROWS - 1;
		memmove(pp->rows + k + 1, pp->rows + k, (n - k) * sizeof(*pp->rows));
		pp->rows[k] = p;
		if (pp->n_rows < PHASE_PEAKS_ROWS)
			pp->n_rows++;
	}
}

bool phase_peaks_build(struct phase_peaks *pp, const struct result_run *run)
{
	size_t i, j, cap = 0;

	memset(pp, 0, sizeof(*pp));
	for (i = 0; i < run->n_processes; i++)
		cap += run->processes[i].n_phase_peaks;
	if (!cap)
		return false;
	pp->phases = xcalloc(cap, sizeof(*pp->phases));
	collect_phases(pp, run, cap);
	choose_cols(pp);
	choose_rows(pp, run);
	for (i = 0; i < pp->n_rows; i++)
		for (j = 0; j < pp->n_cols; j++) {
			uint64_t b;
			bool exact;

			if (phase_peaks_cell(pp, i, j, &b, &exact) && !exact)
				pp->any_sampled = true;
		}
	return true;
}

void phase_peaks_free(struct phase_peaks *pp)
{
	free(pp->phases);
	memset(pp, 0, sizeof(*pp));
}

bool phase_peaks_cell(const struct phase_peaks *pp, size_t row, size_t col,
		      uint64_t *bytes, bool *exact)
{
	const struct result_proc *p = pp->rows[row];
	const struct phase_peaks_col *c = &pp->cols[col];
	bool found = false;
	size_t i;

	*bytes = 0;
	*exact = true;
	for (i = 0; i < p->n_phase_peaks; i++) {
		const struct result_phase_peak *k = &p->phase_peaks[i];

		if (c->idle_windows ? !is_idle(k->phase) : strcmp(k->phase, c->name) != 0)
			continue;
		found = true;
		if (k->hwm_bytes > *bytes)
			*bytes = k->hwm_bytes;
		*exact = *exact && k->exact;
	}
	return found;
}
