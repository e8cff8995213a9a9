/* test_phase_peaks.c - the peak per phase, per process: rows, columns, exact or sampled */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "report/phase_peaks.h"
#include "tap.h"

#define PK(name, bytes, ex) { (char *)(name), (bytes), (ex) }

int main(void)
{
	struct result_phase_peak root[] = {
		PK("start", 10, true), PK("load", 900, true), PK("idle_1s", 300, true),
		PK("idle_2s", 310, false),
	};
	struct result_phase_peak child[] = { PK("load", 500, false) };
	struct result_phase_peak late[] = { PK("idle_2s", 50, true) };
	struct result_proc procs[8];
	struct result_run run;
	struct phase_peaks pp;
	uint64_t b;
	bool exact;
	size_t i;

	memset(procs, 0, sizeof(procs));
	memset(&run, 0, sizeof(run));
	procs[0].pid = 1, procs[0].phase_peaks = root, procs[0].n_phase_peaks = 4;
	procs[1].pid = 2, procs[1].phase_peaks = child, procs[1].n_phase_peaks = 1;
	procs[2].pid = 3, procs[2].phase_peaks = late, procs[2].n_phase_peaks = 1;
	procs[3].pid = 4;	/* no phase peaks: never a row */
	run.processes = procs;
	run.n_processes = 4;

	TEST("a column per phase, in the order they ran") {
		check(phase_peaks_build(&pp, &run));
		check_int(pp.n_cols, ==, 4);
		check_str(pp.cols[0].name, "start");
		check_str(pp.cols[1].name, "load");
		check_str(pp.cols[3].name, "idle_2s");
		phase_peaks_free(&pp);
	}
	TEST("rows: the highest peak first; a process without peaks is left out") {
		phase_peaks_build(&pp, &run);
		check_int(pp.n_rows, ==, 3);
		check_int(pp.rows[0]->pid, ==, 1);
		check_int(pp.rows[1]->pid, ==, 2);
		check_int(pp.rows[2]->pid, ==, 3);
		check_int(pp.more, ==, 0);
		phase_peaks_free(&pp);
	}
	TEST("a cell: its bytes and whether exact; none where it did not live") {
		phase_peaks_build(&pp, &run);
		check(phase_peaks_cell(&pp, 0, 1, &b, &exact));
		check_u64(b, ==, 900);
		check(exact);
		check(phase_peaks_cell(&pp, 0, 3, &b, &exact));
		check(!exact);
		check(!phase_peaks_cell(&pp, 1, 0, &b, &exact));
		check(pp.any_sampled);
		phase_peaks_free(&pp);
	}
	TEST("more idle windows than fit: one idle column, the highest, exact only if all were") {
		struct result_phase_peak many[] = {
			PK("start", 1, true), PK("load", 2, true), PK("idle_1s", 7, true),
			PK("idle_2s", 9, false), PK("idle_3s", 8, true), PK("idle_4s", 3, true),
			PK("stop", 4, true),
		};
		struct result_proc one = { .pid = 9, .phase_peaks = many, .n_phase_peaks = 7 };
		struct result_run r1 = { .processes = &one, .n_processes = 1 };

		check(phase_peaks_build(&pp, &r1));
		check_int(pp.n_cols, ==, 4);
		check_str(pp.cols[2].name, "idle");
		check_str(pp.cols[3].name, "stop");
		check(phase_peaks_cell(&pp, 0, 2, &b, &exact));
		check_u64(b, ==, 9);
		check(!exact);
		phase_peaks_free(&pp);
	}
	TEST("at most five rows; the rest counted") {
		struct result_phase_peak pk[8];
		struct result_proc ps[8];
		struct result_run r8 = { .processes = ps, .n_processes = 8 };

		memset(ps, 0, sizeof(ps));
		for (i = 0; i < 8; i++) {
			pk[i] = (struct result_phase_peak)PK("load", 100 + i, true);
			ps[i].pid = (pid_t)(10 + i);
			ps[i].phase_peaks = &pk[i];
			ps[i].n_phase_peaks = 1;
		}
		check(phase_peaks_build(&pp, &r8));
		check_int(pp.n_rows, ==, 5);
		check_int(pp.more, ==, 3);
		check_int(pp.rows[0]->pid, ==, 17);
		check_int(pp.rows[4]->pid, ==, 13);
		phase_peaks_free(&pp);
	}
	TEST("a run without phase peaks has no table") {
		struct result_run none = { .processes = &procs[3], .n_processes = 1 };

		check(!phase_peaks_build(&pp, &none));
	}
	return tap_done();
}
