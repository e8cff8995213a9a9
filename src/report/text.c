/* report/text.c - the human report of a run, on a terminal or a file */
#include "config.h"

#include "report/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/fit.h"
#include "report/phase_peaks.h"
#include "util/fmt.h"
#include "util/parse.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* System shmem that the tree does not map is said from this size on (and
 * from 1% of the tree's peak footprint); so is an unconfirmed peak. */
#define UNMAPPED_SHMEM_NOTE_BYTES (1024 * 1024)
#define UNCONFIRMED_NOTE_BYTES (1024 * 1024)

static char *command_line(const struct result_config *c,
			  const struct result_run *run)
{
	char *s = strv_join_shell(c->argv), *esc;

	/* Attached: no command was given; the process's own says what it is. */
	if (!*s && run->n_processes) {
		free(s);
		s = xasprintf("pid %d (%s)", (int)run->processes[0].pid,
			      run->processes[0].command);
	}
	esc = fmt_escape(s, ESCAPE_TEXT);
	free(s);
	return esc;
}

/* Whether the run was attached (no command given) and its process was
 * still running at the end: memwatch stopped watching, not the process. */
static bool runs_on(const struct result_config *c, const struct result_run *run)
{
	return !c->argv[0] && run->n_processes && run->processes[0].end_s < 0;
}

/* How the run ended, in words: "exit 0", "killed by SIGKILL", ... */
static void exit_phrase(char *buf, size_t len, const struct result_run *run,
			bool on)
{
	const char *by = run->ended_by ? run->ended_by : "exit";
	int st = run->exit_status;

	if (!strcmp(by, "planned"))
		snprintf(buf, len, "%s", on ? "watched through its phases; it runs on" :
			 "stopped by memwatch after its phases");
	else if (!strcmp(by, "timeout"))
		snprintf(buf, len, "%s", on ? "watched until --timeout; it runs on" :
			 "stopped at --timeout");
	else if (!strcmp(by, "ready_timeout"))
		snprintf(buf, len, "no ready line before --ready-timeout");
	else if (!strcmp(by, "signal") && on)
		snprintf(buf, len, "%s; it runs on", run->interrupted ? "interrupted" :
			 "watched until a signal");
	else if (!strcmp(by, "signal"))
		snprintf(buf, len, "%s", run->interrupted ? "interrupted" : "stopped by a signal");
	else if (st < 0)
		snprintf(buf, len, "exited");
	else if (st > 128 && signal_name(st - 128))
		snprintf(buf, len, "killed by SIG%s", signal_name(st - 128));
	else
		snprintf(buf, len, "exit %d", st);
}

/* title, padded to width columns: printf pads bytes, and a UTF-8
 * character (Σ, ≤) takes more than one. */
static void print_padded(FILE *f, const char *title, size_t width)
{
	size_t cols = 0;
	const char *p;

	for (p = title; *p; p++)
		cols += ((unsigned char)*p & 0xC0) != 0x80;
	fputs(title, f);
	for (; cols < width; cols++)
		fputc(' ', f);
}

static void mem_line(FILE *f, const char *title, const struct mem *m, bool raw)
{
	char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF];

	fputs("  ", f);
	print_padded(f, title, 22);
	fprintf(f, " footprint %-10s  rss %-10s  pss %-10s",
		fmt_bytes(a, m->footprint_bytes, raw),
		fmt_bytes(b, m->rss_bytes, raw), fmt_bytes(c, m->pss_bytes, raw));
}

static int by_footprint_at_peak(const void *x, const void *y)
{
	const struct result_proc *a = *(const struct result_proc *const *)x;
	const struct result_proc *b = *(const struct result_proc *const *)y;

	if (a->at_peak.footprint_bytes != b->at_peak.footprint_bytes)
		return a->at_peak.footprint_bytes < b->at_peak.footprint_bytes ? 1 : -1;
	return a->pid - b->pid;
}

/* The per-process table's columns before the command. */
#define PROC_COLS 7

/* A row of the per-process table: its numbers as text. */
static void proc_cells(char cells[PROC_COLS][FMT_BUF], const struct result_proc *p, bool raw)
{
	snprintf(cells[0], FMT_BUF, "%d", (int)p->pid);
	snprintf(cells[1], FMT_BUF, "%d", (int)p->ppid);
	fmt_bytes(cells[2], p->at_peak.footprint_bytes, raw);
	fmt_bytes(cells[3], p->at_peak.rss_bytes, raw);
	fmt_bytes(cells[4], p->at_peak.pss_bytes, raw);
	fmt_bytes(cells[5], p->at_peak.uss_bytes, raw);
	fmt_bytes(cells[6], p->hwm_bytes, raw);
}

/* One line of the per-process table: the numbers right-aligned, then
 * note and the command, cut to max columns (0: the command to 60 bytes,
 * as in a file). */
static void proc_line(FILE *f, char cells[PROC_COLS][FMT_BUF], const size_t *widths,
		      const char *note, const char *cmd, size_t max)
{
	char *shown;
	size_t k;

	fputs("  ", f);
	for (k = 0; k < PROC_COLS; k++)
		fprintf(f, "%s%*s", k ? " " : "", (int)widths[k], cells[k]);
	if (!max) {
		fprintf(f, "  %s%.60s\n", note, cmd);
		return;
	}
	shown = fit_cut(xasprintf("%s%s", note, cmd), max);
	fprintf(f, "  %s\n", shown);
	free(shown);
}

static void proc_table(FILE *f, const struct result_run *run,
		       const struct report_opts *o)
{
	static const char *const heads[PROC_COLS] = {
		"PID", "PPID", "FOOTPRINT", "RSS", "PSS", "USS", "HWM"
	};
	const struct result_proc **v = xcalloc(run->n_processes + 1, sizeof(*v));
	size_t widths[PROC_COLS] = { 8, 8, 11, 11, 11, 11, 11 }, n = 0, i, k, max = 0;
	char cells[PROC_COLS][FMT_BUF];

	for (i = 0; i < run->n_processes; i++)
		if (run->processes[i].has_at_peak)
			v[n++] = &run->processes[i];
	if (!n) {
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), by_footprint_at_peak);
	/* On a terminal the columns are as wide as their cells, and the
	 * command is cut to what is left of the width, never folded. */
	if (o->width) {
		for (k = 0; k < PROC_COLS; k++)
			widths[k] = strlen(heads[k]);
		for (i = 0; i < n && i < o->max_proc_rows; i++) {
			proc_cells(cells, v[i], o->raw_bytes);
			for (k = 0; k < PROC_COLS; k++)
				if (strlen(cells[k]) > widths[k])
					widths[k] = strlen(cells[k]);
		}
		for (k = 0, max = 2 + 2 + PROC_COLS - 1; k < PROC_COLS; k++)
			max += widths[k];
		max = o->width > max + 8 ? o->width - max : 8;
		if (max > 60)
			max = 60;
	}
	fprintf(f, "\n  per process at the peak (%zu alive then):\n", n);
	for (k = 0; k < PROC_COLS; k++)
		snprintf(cells[k], FMT_BUF, "%s", heads[k]);
	proc_line(f, cells, widths, "", "COMMAND", max);
	for (i = 0; i < n && i < o->max_proc_rows; i++) {
		char *cmd = fmt_escape(v[i]->command, ESCAPE_TEXT);

		proc_cells(cells, v[i], o->raw_bytes);
		proc_line(f, cells, widths, v[i]->deep_denied ? "(upper bounds) " : "", cmd, max);
		free(cmd);
	}
	if (n > o->max_proc_rows)
		fprintf(f, "  ... and %zu more\n", n - o->max_proc_rows);
	free(v);
}

/* Each process's peak in each phase, for the processes of the highest:
 * exact where memwatch reset its VmHWM at each boundary (--phase-hwm). */
static void phase_peak_table(FILE *f, const struct result_run *run,
			     const struct report_opts *o)
{
	bool raw = o->raw_bytes;
	struct phase_peaks pp;
	size_t i, j, room;
	char a[FMT_BUF + 1];

	if (!phase_peaks_build(&pp, run))
		return;
	fprintf(f, "\n  peak per phase, per process%s:\n  %8s", pp.any_sampled ?
		" (~: sampled, else exact)" : " (exact)", "PID");
	for (j = 0; j < pp.n_cols; j++)
		fprintf(f, " %11.11s", pp.cols[j].name);
	fputs("  COMMAND\n", f);
	/* On a terminal the command is cut to what is left of its width; in
	 * a file or a pipe every line is whole. */
	room = o->width > 12 + 12 * pp.n_cols + 8 ? o->width - 12 - 12 * pp.n_cols : 8;
	for (i = 0; i < pp.n_rows; i++) {
		char *cmd = fmt_escape(pp.rows[i]->command, ESCAPE_TEXT);

		if (o->width)
			cmd = fit_cut(cmd, room);

		fprintf(f, "  %8d", (int)pp.rows[i]->pid);
		for (j = 0; j < pp.n_cols; j++) {
			uint64_t b;
			bool exact;

			if (!phase_peaks_cell(&pp, i, j, &b, &exact)) {
				fprintf(f, " %11s", "-");
				continue;
			}
			fmt_bytes(a, b, raw);
			fprintf(f, " %10s%s", a, exact ? " " : "~");
		}
		fprintf(f, "  %s\n", cmd);
		free(cmd);
	}
	if (pp.more)
		fprintf(f, "  ... and %zu more\n", pp.more);
	phase_peaks_free(&pp);
}

/* The checkpoints' sizes: footprint, pss, rss, lazyfree. */
static void checkpoint_sizes(char cells[4][FMT_BUF], const struct result_checkpoint *c, bool raw)
{
	fmt_bytes(cells[0], c->mem.footprint_bytes, raw);
	fmt_bytes(cells[1], c->mem.pss_bytes, raw);
	fmt_bytes(cells[2], c->mem.rss_bytes, raw);
	fmt_bytes(cells[3], c->mem.lazyfree_bytes, raw);
}

static void checkpoint_table(FILE *f, const struct result_run *run, const struct report_opts *o)
{
	char cells[4][FMT_BUF], t[FMT_BUF];
	int w = 11;
	size_t i, k;

	/* A lone "exit" checkpoint is already the "at exit" line. */
	if (run->n_checkpoints < 2)
		return;
	/* On a terminal the sizes are as wide as the widest, so that the
	 * table fits 80 columns unfolded. */
	if (o->width)
		for (i = 0, w = 9; i < run->n_checkpoints; i++) {
			checkpoint_sizes(cells, &run->checkpoints[i], o->raw_bytes);
			for (k = 0; k < 4; k++)
				if ((int)strlen(cells[k]) > w)
					w = (int)strlen(cells[k]);
		}
	fprintf(f, "\n  %-16s %9s %*s %*s %*s %*s %5s\n", "CHECKPOINT", "T",
		w, "FOOTPRINT", w, "PSS", w, "RSS", w, "LAZYFREE", "PROCS");
	for (i = 0; i < run->n_checkpoints; i++) {
		const struct result_checkpoint *c = &run->checkpoints[i];
		char *label = fmt_escape(c->label, ESCAPE_TEXT);

		checkpoint_sizes(cells, c, o->raw_bytes);
		fprintf(f, "  %-16.16s %9s %*s %*s %*s %*s %5u\n", label,
			fmt_duration(t, c->t_s), w, cells[0], w, cells[1], w, cells[2],
			w, cells[3], c->processes);
		free(label);
	}
}

/* The idle drift: the line through the idle samples once the footprint
 * had settled, or through all of them when it had not, and from and to
 * when (a result written before those were kept has the line through
 * every idle sample); or why there is none. */
static void idle_drift_line(FILE *f, const struct result_run *run, bool raw)
{
	char a[FMT_BUF], t0[FMT_BUF], t1[FMT_BUF];
	double d = run->idle_drift_bytes_per_min;
	size_t i;

	if (isnan(d)) {
		for (i = 0; i < run->n_checkpoints; i++)
			if (!strcmp(run->checkpoints[i].kind, "idle"))
				break;
		if (i < run->n_checkpoints)
			fprintf(f, "  %-22s none: fewer than two idle samples\n", "idle drift");
		return;
	}
	fmt_bytes_delta(a, (int64_t)llround(d), raw);
	if (run->idle_drift_from_s < 0)
		fprintf(f, "  %-22s %s per minute over the idle windows\n", "idle drift", a);
	else
		fprintf(f, "  %-22s %s per minute from %s to %s, %s\n",
			"idle drift", a, fmt_duration(t0, run->idle_drift_from_s),
			fmt_duration(t1, run->idle_drift_to_s),
			run->idle_drift_settled ? "once settled" : "not settled");
}

/* Ready, settle, drift and the driver, when the run had phases. */
static void phase_lines(FILE *f, const struct result_run *run, bool raw)
{
	char t[FMT_BUF];

	if (run->ready_s >= 0)
		fprintf(f, "  %-22s %s\n", "ready after", fmt_duration(t, run->ready_s));
	if (run->load_end_s >= 0 && run->peak.phase[0])
		fprintf(f, "  %-22s %s\n", "peak during", run->peak.phase);
	if (run->settle_s >= 0)
		fprintf(f, "  %-22s %s after load end (then within 5%% of the final footprint)\n",
			"settled", fmt_duration(t, run->settle_s));
	idle_drift_line(f, run, raw);
	if (run->drive.command) {
		char *cmd = fmt_escape(run->drive.command, ESCAPE_TEXT);

		if (run->drive.exit_status >= 0)
			fprintf(f, "  %-22s exit %d after %s: %.60s\n", "driver",
				run->drive.exit_status,
				fmt_duration(t, run->drive.end_s - run->drive.start_s), cmd);
		else
			fprintf(f, "  %-22s still running at the end: %.60s\n", "driver", cmd);
		free(cmd);
	}
}

/* A note under the report, wrapped at 78 columns (between words). */
static void note(FILE *f, const char *text)
{
	const char *p = text;
	size_t col = 0, indent = 8;

	fputs("  note: ", f);
	col = indent;
	while (*p) {
		size_t word = strcspn(p, " ");

		if (col > indent && col + 1 + word > 78) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += word;
		p += word;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

/* The commands (and pids) of up to three processes that match, and how
 * many more: "cow_share (pid 41), cow_share (pid 42)". Caller frees. */
static char *name_procs(const struct result_run *run,
			bool (*match)(const struct result_proc *))
{
	char *s = xstrdup(""), *t;
	size_t i, n = 0;

	for (i = 0; i < run->n_processes; i++) {
		const struct result_proc *p = &run->processes[i];
		char *cmd;

		if (!match(p))
			continue;
		if (++n > 3)
			continue;
		cmd = fmt_escape(p->command, ESCAPE_TEXT);
		t = xasprintf("%s%s%.40s (pid %d)", s, n > 1 ? ", " : "", cmd, (int)p->pid);
		free(cmd);
		free(s);
		s = t;
	}
	if (n > 3) {
		t = xasprintf("%s and %zu more", s, n - 3);
		free(s);
		s = t;
	}
	return s;
}

static bool proc_denied(const struct result_proc *p)
{
	return p->deep_denied;
}

static bool proc_left(const struct result_proc *p)
{
	return p->left_running;
}

static bool proc_unsignalable(const struct result_proc *p)
{
	return p->unsignalable && p->end_s < 0;
}

/* What memwatch could not see, may not read, or did beyond the plan: said
 * in the report, not only in the result file. */
static void notes(FILE *f, const struct result_run *run, bool raw)
{
	char a[FMT_BUF], t[FMT_BUF], *names, *text;
	uint32_t n;

	if (run->deep_denied) {
		names = name_procs(run, proc_denied);
		text = xasprintf("%u process%s may not be read in depth (smaps_rollup: permission "
				 "denied; another user's, or setuid): %s. Their pss, uss and footprint "
				 "are upper bounds (rss), and so are the tree's where they count.",
				 run->deep_denied, run->deep_denied == 1 ? "" : "es", names);
		note(f, text);
		free(text);
		free(names);
	}
	if (run->unmapped_shmem_bytes >= UNMAPPED_SHMEM_NOTE_BYTES &&
	    run->unmapped_shmem_bytes >= run->peak.mem.footprint_bytes / 100) {
		text = xasprintf("the system's shared memory rose by up to %s during the run beyond "
				 "what the tree's processes have resident: a tmpfs or memfd file that no "
				 "process maps, or shared pages that the processes mapping them never "
				 "touched (the tree's, or another program's), is in no per-process number.",
				 fmt_bytes(a, run->unmapped_shmem_bytes, raw));
		note(f, text);
		free(text);
	}
	if (run->left_running && run->command_exit_s >= 0) {
		names = name_procs(run, proc_left);
		n = run->left_running;
		text = xasprintf("the command exited at %s and left %u process%s running (%s): %s",
				 fmt_duration(t, run->command_exit_s), n, n == 1 ? "" : "es", names,
				 run->daemonized ? "the phases ran on what it left." :
				 "memwatch stopped them.");
		note(f, text);
		free(text);
		free(names);
	}
	names = name_procs(run, proc_unsignalable);
	if (*names) {
		text = xasprintf("memwatch may not signal %s: left running.", names);
		note(f, text);
		free(text);
	}
	free(names);
	/* Too few samples for the run's length: a gap of more than a second
	 * that is a fifth of the run (a long --interval), or three intervals
	 * (memwatch did not get to run: the machine was busy). */
	if (run->sampler.max_gap_s > 1 &&
	    (run->sampler.max_gap_s > run->wall_s / 5 ||
	     run->sampler.max_gap_s * 1e9 > 3.0 * (double)run->sampler.interval_ns)) {
		char g[FMT_BUF];

		text = xasprintf("samples were up to %s apart in this %s run: a spike shorter "
				 "than that shows only in the tree peak rss and Σ per-process peak "
				 "(a shorter --interval samples more often).",
				 fmt_duration(g, run->sampler.max_gap_s), fmt_duration(t, run->wall_s));
		note(f, text);
		free(text);
	}
	/* A peak no page walk confirmed (no deep budget, or too little). */
	if (run->peak.uncertain_bytes > UNCONFIRMED_NOTE_BYTES &&
	    run->peak.uncertain_bytes > run->peak.mem.footprint_bytes / 100) {
		text = xasprintf("%s of the peak's footprint is an estimate that no page walk "
				 "confirmed (--deep-budget %.0f%%): pages shared between processes "
				 "may be counted more than once in it.",
				 fmt_bytes(a, run->peak.uncertain_bytes, raw),
				 (double)run->sampler.deep_budget_bp / 100);
		note(f, text);
		free(text);
	}
}

/* The tree's peak rss, and where it comes from. */
static void peak_rss_line(FILE *f, const struct result_run *run, bool raw)
{
	char a[FMT_BUF];
	const struct result_proc *p = NULL;
	bool parent = false;
	size_t i;

	for (i = 0; i < run->n_processes; i++) {
		if (run->processes[i].pid == run->peak_rss_pid)
			p = &run->processes[i];
		if (run->processes[i].ppid == run->peak_rss_pid)
			parent = true;
	}
	/* A result from before the field: the highest sample. */
	fprintf(f, "  %-22s %-10s", "tree peak rss",
		fmt_bytes(a, run->peak_rss_bytes ? run->peak_rss_bytes : run->max_rss_bytes, raw));
	if ((run->peak_rss_source == PEAK_RSS_SAMPLED || !p) &&
	    run->command_rss_bound_bytes > run->peak_rss_bytes) {
		/* A command smaller than memwatch's copy of itself before the
		 * exec: wait4 says no more than at most how much. */
		fprintf(f, "  (sampled; the command's own is at most %s: wait4, which "
			"counts memwatch's copy of itself before the exec)\n",
			fmt_bytes(a, run->command_rss_bound_bytes, raw));
	} else if (run->peak_rss_source == PEAK_RSS_SAMPLED || !p) {
		fprintf(f, "  (sampled)\n");
	} else {
		/* The program's name: the first word of its command, without
		 * its directory. */
		size_t len = strcspn(p->command, " ");
		const char *name = p->command, *slash;
		char *esc;

		while ((slash = memchr(name, '/', len - (size_t)(name - p->command))))
			name = slash + 1;
		len -= (size_t)(name - p->command);
		esc = fmt_escape(name, ESCAPE_TEXT);
		/* wait4's figure of a process that had children may be one
		 * of theirs: it reaped them. */
		fprintf(f, "  (%s: %.*s, pid %d%s, alone, between samples)\n",
			run->peak_rss_source == PEAK_RSS_WAIT4 ? "wait4" : "VmHWM",
			(int)(len < 32 ? len : 32), esc, (int)p->pid,
			parent && run->peak_rss_source == PEAK_RSS_WAIT4 ?
			", or a child it reaped" : "");
		free(esc);
	}
}

/* The phase peaks on one line, "start 210 MiB · load 1.21 GiB". */
static void kernel_phases(FILE *f, const struct result_kcount *k, bool raw)
{
	char a[FMT_BUF];
	size_t i;

	if (!k->n_phases)
		return;
	fputs("  ", f);
	print_padded(f, k->phases_exact ? "peak per phase (exact)" :
		     "peak per phase (sampled)", 22);
	for (i = 0; i < k->n_phases; i++)
		fprintf(f, "%s%s %s", i ? " · " : " ", k->phases[i].phase,
			fmt_bytes(a, k->phases[i].peak_bytes, raw));
	fputc('\n', f);
}

/* The kernel's count of the tree: charged memory, which is not the
 * footprint (page cache and kernel memory are in it), beside it. */
static void kernel_lines(FILE *f, const struct result_kcount *k, bool raw)
{
	char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF], d[FMT_BUF], e[FMT_BUF], g[FMT_BUF];

	if (!k->tier)
		return;
	if (strcmp(k->tier, "cgroup") != 0) {
		fprintf(f, "  %-22s sampling only: %s\n", "kernel count",
			k->note ? k->note : "no memory cgroup");
		return;
	}
	if (k->has_peak)
		fprintf(f, "  %-22s charged %s  exact (memory.peak)%s%s\n", "tree peak (kernel)",
			fmt_bytes(a, k->peak_bytes, raw), k->peak_phase ? ", in " : "",
			k->peak_phase ? k->peak_phase : "");
	else
		fprintf(f, "  %-22s charged %s  sampled (no memory.peak before Linux 5.19; "
			"attached, no reset of it before 6.12)\n",
			"tree peak (kernel)", fmt_bytes(a, k->max_current_bytes, raw));
	fprintf(f, "  %-22s charged %s; at %s: anon %s, file %s (shmem %s), kernel %s",
		"  at its highest tick", fmt_bytes(a, k->max_current_bytes, raw),
		fmt_bytes(g, k->split_current_bytes, raw),
		fmt_bytes(b, k->anon_bytes, raw), fmt_bytes(c, k->file_bytes, raw),
		fmt_bytes(d, k->shmem_bytes, raw), fmt_bytes(e, k->kernel_bytes, raw));
	if (k->sock_bytes)
		fprintf(f, ", sock %s", fmt_bytes(a, k->sock_bytes, raw));
	if (k->swap_bytes)
		fprintf(f, ", swap %s", fmt_bytes(a, k->swap_bytes, raw));
	fputc('\n', f);
	kernel_phases(f, k, raw);
	fprintf(f, "  %-22s %u process%s in %s", "cgroup members", k->members,
		k->members == 1 ? "" : "es", k->cgroup ? k->cgroup : "its cgroup");
	if (k->missed)
		fprintf(f, ", %u the sampler missed", k->missed);
	fputc('\n', f);
}

static void write_run(FILE *f, const struct result_config *c,
		      const struct result_run *run, const struct report_opts *o)
{
	char status[64], a[FMT_BUF], b[FMT_BUF], t[FMT_BUF];
	char *cmd = command_line(c, run), *rest;
	const struct result_checkpoint *exit_cp = NULL;
	bool wrap = false;
	uint32_t seen;
	size_t i;

	exit_phrase(status, sizeof(status), run, runs_on(c, run));
	/* A result from elsewhere may list processes without counting them. */
	seen = run->processes_seen ? run->processes_seen : (uint32_t)run->n_processes;
	rest = xasprintf("%s%s, %s, %u process%s", status,
			 run->interrupted && strncmp(status, "interrupted", 11) ? " (interrupted)" : "",
			 fmt_duration(t, run->wall_s), seen, seen == 1 ? "" : "es");
	/* On a terminal the first line fits its width: the command line
	 * gives way, ending in an ellipsis, and on a narrow one how the run
	 * ended goes on a line of its own. */
	if (o->width && 13 + fit_columns(cmd) + fit_columns(rest) > o->width) {
		wrap = o->width < fit_columns(rest) + 33;
		cmd = fit_cut(cmd, !wrap ? o->width - fit_columns(rest) - 13 :
				  o->width > 30 ? o->width - 10 : 20);
	}
	if (wrap)
		fprintf(f, "memwatch: %s\n  %s\n", cmd, rest);
	else
		fprintf(f, "memwatch: %s — %s\n", cmd, rest);
	free(rest);
	free(cmd);

	mem_line(f, run->peak.deep_denied ? "tree peak (sampled) ≤" : "tree peak (sampled)",
		 &run->peak.mem, o->raw_bytes);
	fprintf(f, "  at %s (%.0f%%)\n", fmt_duration(t, run->peak.t_s),
		run->wall_s > 0 ? 100 * run->peak.t_s / run->wall_s : 0);
	peak_rss_line(f, run, o->raw_bytes);
	/* Σ is two bytes in UTF-8: printf pads by bytes, so pad by hand. */
	fprintf(f, "  Σ per-process peak     %s  (upper bound: per-process peaks never all at one instant)\n",
		fmt_bytes(a, run->sum_proc_peak_bytes, o->raw_bytes));
	if (run->peak.mem.lazyfree_bytes)
		fprintf(f, "  %-22s %s freed with MADV_FREE, still in rss, left out of footprint\n",
			"lazyfree at peak",
			fmt_bytes(a, run->peak.mem.lazyfree_bytes, o->raw_bytes));
	kernel_lines(f, &run->kernel, o->raw_bytes);
	for (i = 0; i < run->n_checkpoints; i++)
		if (!strcmp(run->checkpoints[i].label, "exit"))
			exit_cp = &run->checkpoints[i];
	if (exit_cp) {
		/* An attached process that runs on has no exit: the end is
		 * memwatch's. */
		if (runs_on(c, run))
			mem_line(f, exit_cp->deep_denied ? "at end ≤" : "at end",
				 &exit_cp->mem, o->raw_bytes);
		else
			mem_line(f, exit_cp->deep_denied ? "at exit ≤" : "at exit",
				 &exit_cp->mem, o->raw_bytes);
		fprintf(f, "  at %s", fmt_duration(t, exit_cp->t_s));
		/* How old the page walks behind it are, when older than a tick. */
		if (exit_cp->deep_age_s * 1e9 > (double)run->sampler.interval_ns)
			fprintf(f, " (page walks %s old)", fmt_duration(a, exit_cp->deep_age_s));
		else if (exit_cp->deep_age_s < 0)
			fprintf(f, " (estimated: no page walk yet)");
		fputc('\n', f);
		if (exit_cp->mem.lazyfree_bytes)
			fprintf(f, "  %-22s %s freed with MADV_FREE, still in rss, left out of footprint\n",
				"lazyfree at exit",
				fmt_bytes(a, exit_cp->mem.lazyfree_bytes, o->raw_bytes));
	}
	phase_lines(f, run, o->raw_bytes);
	notes(f, run, o->raw_bytes);
	checkpoint_table(f, run, o);
	proc_table(f, run, o);
	phase_peak_table(f, run, o);
	fprintf(f, "\n  cpu %s user+sys (tree); memwatch itself: %.1f%% cpu, %s rss, %llu sample%s",
		fmt_duration(t, run->cpu_s), run->sampler.cpu_pct,
		fmt_bytes(b, run->sampler.max_rss_bytes, o->raw_bytes),
		(unsigned long long)run->sampler.samples,
		run->sampler.samples == 1 ? "" : "s");
	fprintf(f, " (%llu deep read%s)\n", (unsigned long long)run->sampler.deep_reads,
		run->sampler.deep_reads == 1 ? "" : "s");
}

void report_text_run(FILE *f, const struct result_config *c,
		     const struct result_run *run, const struct report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	/* A terminal's width is met by folding the lines between cells. */
	if (!o->width || !(mem = open_memstream(&buf, &len))) {
		write_run(f, c, run, o);
		return;
	}
	write_run(mem, c, run, o);
	fclose(mem);
	fit_text(f, buf, o->width);
	free(buf);
}
