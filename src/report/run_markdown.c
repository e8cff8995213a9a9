/* report/run_markdown.c - one run's report as markdown, for CI step summaries and PR comments */
#include "config.h"

#include "report/run_markdown.h"

#include <stdlib.h>
#include <string.h>

#include "report/grid.h"
#include "report/grid_markdown.h"
#include "report/phase_peaks.h"
#include "util/fmt.h"
#include "util/xalloc.h"

/* The sizes table: a row per moment (the peaks, each checkpoint). */
enum { SZ_WHAT, SZ_AT, SZ_FOOTPRINT, SZ_RSS, SZ_PSS };

static const struct grid_col size_cols[] = {
	[SZ_WHAT] = { .head = "", .formats = GRID_MARKDOWN, .escape = true },
	[SZ_AT] = { .head = "At", .align = GRID_RIGHT, .formats = GRID_MARKDOWN },
	[SZ_FOOTPRINT] = { .head = "Footprint", .align = GRID_RIGHT, .formats = GRID_MARKDOWN },
	[SZ_RSS] = { .head = "RSS", .align = GRID_RIGHT, .formats = GRID_MARKDOWN },
	[SZ_PSS] = { .head = "PSS", .align = GRID_RIGHT, .formats = GRID_MARKDOWN },
};

/* A row of the sizes table. */
static void size_row(struct grid *g, const char *what, double t_s, const struct mem *m, bool raw)
{
	char b[FMT_BUF];

	grid_add_row(g);
	grid_set(g, SZ_WHAT, 0, what);
	grid_set(g, SZ_AT, 0, t_s >= 0 ? fmt_duration(b, t_s) : NULL);
	grid_set(g, SZ_FOOTPRINT, 0, m ? fmt_bytes(b, m->footprint_bytes, raw) : NULL);
	grid_set(g, SZ_RSS, 0, m ? fmt_bytes(b, m->rss_bytes, raw) : NULL);
	grid_set(g, SZ_PSS, 0, m ? fmt_bytes(b, m->pss_bytes, raw) : NULL);
}

/* The tree's peaks, then each checkpoint. */
static void sizes(FILE *f, const struct result_run *run, bool raw)
{
	struct grid *g = grid_new(size_cols, sizeof(size_cols) / sizeof(size_cols[0]));
	char b[FMT_BUF];
	size_t i;

	size_row(g, "Tree peak (sampled)", run->peak.t_s, &run->peak.mem, raw);
	size_row(g, "Tree peak RSS", -1, NULL, raw);
	grid_set(g, SZ_RSS, 0, fmt_bytes(b, run->peak_rss_bytes ? run->peak_rss_bytes :
					 run->max_rss_bytes, raw));
	size_row(g, "Σ per-process peak (upper bound)", -1, NULL, raw);
	grid_set(g, SZ_RSS, 0, fmt_bytes(b, run->sum_proc_peak_bytes, raw));
	for (i = 0; i < run->n_checkpoints; i++)
		size_row(g, run->checkpoints[i].label, run->checkpoints[i].t_s,
			 &run->checkpoints[i].mem, raw);
	grid_markdown(f, g);
	grid_free(g);
}

/* The processes table. */
enum { PR_PID, PR_COMMAND, PR_PEAK, PR_HWM, PR_LIFE };

static const struct grid_col proc_cols[] = {
	[PR_PID] = { .head = "PID", .align = GRID_RIGHT, .formats = GRID_MARKDOWN },
	[PR_COMMAND] = { .head = "Command", .formats = GRID_MARKDOWN, .escape = true },
	[PR_PEAK] = { .head = "Peak footprint", .align = GRID_RIGHT, .formats = GRID_MARKDOWN },
	[PR_HWM] = { .head = "Peak RSS (VmHWM)", .align = GRID_RIGHT, .formats = GRID_MARKDOWN },
	[PR_LIFE] = { .head = "Lived", .formats = GRID_MARKDOWN },
};

static const struct result_run *sort_run;

/* Highest peak first; then by pid. */
static int cmp_proc(const void *a, const void *b)
{
	const struct result_proc *x = &sort_run->processes[*(const size_t *)a];
	const struct result_proc *y = &sort_run->processes[*(const size_t *)b];

	if (x->peak_footprint_bytes != y->peak_footprint_bytes)
		return x->peak_footprint_bytes < y->peak_footprint_bytes ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The processes of highest peak, at most o->max_proc_rows of them. */
static void processes(FILE *f, const struct result_run *run, const struct report_opts *o)
{
	struct grid *g = grid_new(proc_cols, sizeof(proc_cols) / sizeof(proc_cols[0]));
	size_t *order = xcalloc(run->n_processes + 1, sizeof(*order)), i;
	size_t shown = run->n_processes;
	char a[FMT_BUF], b[FMT_BUF];

	if (o->max_proc_rows && shown > o->max_proc_rows)
		shown = o->max_proc_rows;
	for (i = 0; i < run->n_processes; i++)
		order[i] = i;
	sort_run = run;
	qsort(order, run->n_processes, sizeof(*order), cmp_proc);
	for (i = 0; i < shown; i++) {
		const struct result_proc *p = &run->processes[order[i]];

		grid_add_row(g);
		grid_setf(g, PR_PID, 0, "%d", (int)p->pid);
		grid_set(g, PR_COMMAND, 0, p->command);
		grid_set(g, PR_PEAK, 0, fmt_bytes(a, p->peak_footprint_bytes, o->raw_bytes));
		grid_set(g, PR_HWM, 0, fmt_bytes(a, p->hwm_bytes, o->raw_bytes));
		if (p->end_s >= 0)
			grid_setf(g, PR_LIFE, 0, "%s – %s", fmt_duration(a, p->start_s),
				  fmt_duration(b, p->end_s));
		else
			grid_setf(g, PR_LIFE, 0, "%s – (running)", fmt_duration(a, p->start_s));
	}
	grid_markdown(f, g);
	if (shown < run->n_processes)
		fprintf(f, "\n%zu more process%s.\n", run->n_processes - shown,
			run->n_processes - shown == 1 ? "" : "es");
	grid_free(g);
	free(order);
}

/* The kernel's count of the tree: its exact peak, and each phase's. */
static void kernel_count(FILE *f, const struct result_kcount *k, bool raw)
{
	char a[FMT_BUF], *note;
	size_t i;

	if (!k->tier)
		return;
	if (strcmp(k->tier, "cgroup") != 0) {
		note = fmt_escape(k->note ? k->note : "no memory cgroup", ESCAPE_MARKDOWN);
		fprintf(f, "\nKernel count: sampling only (%s).\n", note);
		free(note);
		return;
	}
	fputs("\n#### Kernel count (the tree's memory cgroup)\n\n| | Charged |\n|---|---:|\n", f);
	if (k->has_peak) {
		note = fmt_escape(k->peak_phase ? k->peak_phase : "", ESCAPE_MARKDOWN);
		fprintf(f, "| Tree peak (exact, memory.peak%s%s) | %s |\n",
			k->peak_phase ? ", in " : "", note, fmt_bytes(a, k->peak_bytes, raw));
		free(note);
	}
	fprintf(f, "| Highest memory.current sampled | %s |\n",
		fmt_bytes(a, k->max_current_bytes, raw));
	for (i = 0; i < k->n_phases; i++) {
		note = fmt_escape(k->phases[i].phase, ESCAPE_MARKDOWN);
		fprintf(f, "| Peak in %s (%s) | %s |\n", note,
			k->phases_exact ? "exact" : "sampled",
			fmt_bytes(a, k->phases[i].peak_bytes, raw));
		free(note);
	}
}

/* Each process's peak in each phase, for the processes of the highest. */
static void phase_peaks(FILE *f, const struct result_run *run, bool raw)
{
	struct phase_peaks pp;
	size_t i, j;
	char a[FMT_BUF];

	if (!phase_peaks_build(&pp, run))
		return;
	fprintf(f, "\n#### Peak per phase, per process%s\n\n| PID |",
		pp.any_sampled ? " (~: sampled, else exact)" : " (exact)");
	for (j = 0; j < pp.n_cols; j++) {
		char *name = fmt_escape(pp.cols[j].name, ESCAPE_MARKDOWN);

		fprintf(f, " %s |", name);
		free(name);
	}
	fputs(" Command |\n|---:|", f);
	for (j = 0; j < pp.n_cols; j++)
		fputs("---:|", f);
	fputs("---|\n", f);
	for (i = 0; i < pp.n_rows; i++) {
		char *cmd = fmt_escape(pp.rows[i]->command, ESCAPE_MARKDOWN);

		fprintf(f, "| %d |", (int)pp.rows[i]->pid);
		for (j = 0; j < pp.n_cols; j++) {
			uint64_t b;
			bool exact;

			if (phase_peaks_cell(&pp, i, j, &b, &exact))
				fprintf(f, " %s%s |", fmt_bytes(a, b, raw), exact ? "" : " ~");
			else
				fputs(" – |", f);
		}
		fprintf(f, " %s |\n", cmd);
		free(cmd);
	}
	if (pp.more)
		fprintf(f, "\n%zu more process%s.\n", pp.more, pp.more == 1 ? "" : "es");
	phase_peaks_free(&pp);
}

void report_run_markdown(FILE *f, const struct result_config *c, const struct result_run *run,
			 const struct report_opts *o)
{
	char *name = fmt_escape(c->name, ESCAPE_MARKDOWN), a[FMT_BUF], b[FMT_BUF];
	size_t i;

	fprintf(f, "### memwatch: %s\n\n`", name);
	free(name);
	for (i = 0; c->argv && c->argv[i]; i++) {
		/* In a code span only a backtick needs care: shown as '. */
		char *arg = fmt_escape(c->argv[i], ESCAPE_TEXT), *p;

		for (p = arg; *p; p++)
			if (*p == '`')
				*p = '\'';
		fprintf(f, "%s%s", i ? " " : "", arg);
		free(arg);
	}
	fprintf(f, "` — ended by %s, exit status %d, %s, CPU %s, %u process%s%s\n\n",
		run->ended_by ? run->ended_by : "exit", run->exit_status,
		fmt_duration(a, run->wall_s), fmt_duration(b, run->cpu_s), run->processes_seen,
		run->processes_seen == 1 ? "" : "es", run->interrupted ? " (**interrupted**)" : "");
	sizes(f, run, o->raw_bytes);
	kernel_count(f, &run->kernel, o->raw_bytes);
	if (run->n_processes) {
		fputs("\n#### Processes, highest peak first\n\n", f);
		processes(f, run, o);
	}
	phase_peaks(f, run, o->raw_bytes);
}
