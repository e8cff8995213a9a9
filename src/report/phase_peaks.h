/* report/phase_peaks.h - the peak per phase, per process: which rows and columns a report shows */
#ifndef MEMWATCH_REPORT_PHASE_PEAKS_H
#define MEMWATCH_REPORT_PHASE_PEAKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result/result.h"

#define PHASE_PEAKS_ROWS 5	/* the processes of the highest peaks */
#define PHASE_PEAKS_COLS 5	/* phases side by side, in 80 columns */

/* A column: one phase, or every idle window as one ("idle", their max). */
struct phase_peaks_col {
	const char *name;
	bool idle_windows;	/* every phase named idle... */
};

struct phase_peaks {
	const char **phases;	/* every phase, in the order they ran */
	size_t n_phases;
	struct phase_peaks_col cols[PHASE_PEAKS_COLS];
	size_t n_cols;
	const struct result_proc *rows[PHASE_PEAKS_ROWS];
	size_t n_rows;
	size_t more;		/* processes with phase peaks not shown */
	bool any_sampled;
};

/* The table of run's phase peaks; false (nothing to free) when no
 * process has any. */
bool phase_peaks_build(struct phase_peaks *pp, const struct result_run *run);
void phase_peaks_free(struct phase_peaks *pp);

/* Row's peak in column col; false when it did not live in that phase. */
bool phase_peaks_cell(const struct phase_peaks *pp, size_t row, size_t col,
		      uint64_t *bytes, bool *exact);

#endif
