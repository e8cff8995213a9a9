/* report_text.c - the human report of a run, on a terminal or a file */
#include "config.h"

#include "report_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "parse.h"
#include "xalloc.h"

static char *command_line(const struct result_config *c,
			  const struct result_run *run)
{
	size_t len = 1, i;
	char *s, *esc;

	for (i = 0; c->argv && c->argv[i]; i++)
		len += strlen(c->argv[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; c->argv && c->argv[i]; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, c->argv[i]);
	}
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

/* How the run ended, in words: "exit 0", "killed by SIGKILL", ... */
static void exit_phrase(char *buf, size_t len, const struct result_run *run)
{
	const char *by = run->ended_by ? run->ended_by : "exit";
	int st = run->exit_status;

	if (!strcmp(by, "planned"))
		snprintf(buf, len, "stopped by memwatch after its phases");
	else if (!strcmp(by, "timeout"))
		snprintf(buf, len, "stopped at --timeout");
	else if (!strcmp(by, "ready_timeout"))
		snprintf(buf, len, "no ready line before --ready-timeout");
	else if (!strcmp(by, "signal"))
		snprintf(buf, len, "%s", run->interrupted ? "interrupted" : "stopped by a signal");
	else if (st < 0)
		snprintf(buf, len, "exited");
	else if (st > 128 && signal_name(st - 128))
		snprintf(buf, len, "killed by SIG%s", signal_name(st - 128));
	else
		snprintf(buf, len, "exit %d", st);
}

static void mem_line(FILE *f, const char *title, const struct mem *m, bool raw)
{
	char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF];

	fprintf(f, "  %-22s footprint %-10s  rss %-10s  pss %-10s", title,
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

static void proc_table(FILE *f, const struct result_run *run,
		       const struct report_opts *o)
{
	const struct result_proc **v = xcalloc(run->n_processes + 1, sizeof(*v));
	size_t n = 0, i;

	for (i = 0; i < run->n_processes; i++)
		if (run->processes[i].has_at_peak)
			v[n++] = &run->processes[i];
	if (!n) {
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), by_footprint_at_peak);
	fprintf(f, "\n  per process at the peak (%zu alive then):\n", n);
	fprintf(f, "  %8s %8s %11s %11s %11s %11s %11s  %s\n", "PID", "PPID",
		"FOOTPRINT", "RSS", "PSS", "USS", "HWM", "COMMAND");
	for (i = 0; i < n && i < o->max_proc_rows; i++) {
		const struct result_proc *p = v[i];
		char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF], d[FMT_BUF], e[FMT_BUF];
		char *cmd = fmt_escape(p->command, ESCAPE_TEXT);

		fprintf(f, "  %8d %8d %11s %11s %11s %11s %11s  %.60s\n",
			(int)p->pid, (int)p->ppid,
			fmt_bytes(a, p->at_peak.footprint_bytes, o->raw_bytes),
			fmt_bytes(b, p->at_peak.rss_bytes, o->raw_bytes),
			fmt_bytes(c, p->at_peak.pss_bytes, o->raw_bytes),
			fmt_bytes(d, p->at_peak.uss_bytes, o->raw_bytes),
			fmt_bytes(e, p->hwm_bytes, o->raw_bytes), cmd);
		free(cmd);
	}
	if (n > o->max_proc_rows)
		fprintf(f, "  ... and %zu more\n", n - o->max_proc_rows);
	free(v);
}

static void checkpoint_table(FILE *f, const struct result_run *run, bool raw)
{
	size_t i;

	/* A lone "exit" checkpoint is already the "at exit" line. */
	if (run->n_checkpoints < 2)
		return;
	fprintf(f, "\n  %-16s %9s %11s %11s %11s %11s %5s\n", "CHECKPOINT", "T",
		"FOOTPRINT", "PSS", "RSS", "LAZYFREE", "PROCS");
	for (i = 0; i < run->n_checkpoints; i++) {
		const struct result_checkpoint *c = &run->checkpoints[i];
		char a[FMT_BUF], b[FMT_BUF], d[FMT_BUF], e[FMT_BUF], t[FMT_BUF];
		char *label = fmt_escape(c->label, ESCAPE_TEXT);

		fprintf(f, "  %-16.16s %9s %11s %11s %11s %11s %5u\n", label,
			fmt_duration(t, c->t_s),
			fmt_bytes(a, c->mem.footprint_bytes, raw),
			fmt_bytes(b, c->mem.pss_bytes, raw),
			fmt_bytes(d, c->mem.rss_bytes, raw),
			fmt_bytes(e, c->mem.lazyfree_bytes, raw), c->processes);
		free(label);
	}
}

/* Ready, settle, drift and the driver, when the run had phases. */
static void phase_lines(FILE *f, const struct result_run *run, bool raw)
{
	char a[FMT_BUF], t[FMT_BUF];

	if (run->ready_s >= 0)
		fprintf(f, "  %-22s %s\n", "ready after", fmt_duration(t, run->ready_s));
	if (run->load_end_s >= 0 && run->peak.phase[0])
		fprintf(f, "  %-22s %s\n", "peak during", run->peak.phase);
	if (run->settle_s >= 0)
		fprintf(f, "  %-22s %s after load end (then within 5%% of the final footprint)\n",
			"settled", fmt_duration(t, run->settle_s));
	if (!isnan(run->idle_drift_bytes_per_min)) {
		double d = run->idle_drift_bytes_per_min;

		fprintf(f, "  %-22s %s per minute over the idle windows\n", "idle drift",
			fmt_bytes_delta(a, (int64_t)llround(d), raw));
	}
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

void report_text_run(FILE *f, const struct result_config *c,
		     const struct result_run *run, const struct report_opts *o)
{
	char status[64], a[FMT_BUF], b[FMT_BUF], t[FMT_BUF];
	char *cmd = command_line(c, run);
	const struct result_checkpoint *exit_cp = NULL;
	uint32_t seen;
	size_t i;

	exit_phrase(status, sizeof(status), run);
	/* A result from elsewhere may list processes without counting them. */
	seen = run->processes_seen ? run->processes_seen : (uint32_t)run->n_processes;
	fprintf(f, "memwatch: %s — %s%s, %s, %u process%s\n", cmd, status,
		run->interrupted && strcmp(status, "interrupted") ? " (interrupted)" : "",
		fmt_duration(t, run->wall_s), seen, seen == 1 ? "" : "es");
	free(cmd);

	mem_line(f, "tree peak (observed)", &run->peak.mem, o->raw_bytes);
	fprintf(f, "  at %s (%.0f%%)\n", fmt_duration(t, run->peak.t_s),
		run->wall_s > 0 ? 100 * run->peak.t_s / run->wall_s : 0);
	/* Σ is two bytes in UTF-8: printf pads by bytes, so pad by hand. */
	fprintf(f, "  Σ per-process peak     %s  (upper bound: per-process peaks never all at one instant)\n",
		fmt_bytes(a, run->sum_proc_peak_bytes, o->raw_bytes));
	if (run->peak.mem.lazyfree_bytes)
		fprintf(f, "  %-22s %s freed with MADV_FREE, still in rss, left out of footprint\n",
			"lazyfree at peak",
			fmt_bytes(a, run->peak.mem.lazyfree_bytes, o->raw_bytes));
	for (i = 0; i < run->n_checkpoints; i++)
		if (!strcmp(run->checkpoints[i].label, "exit"))
			exit_cp = &run->checkpoints[i];
	if (exit_cp) {
		mem_line(f, "at exit", &exit_cp->mem, o->raw_bytes);
		fprintf(f, "  at %s\n", fmt_duration(t, exit_cp->t_s));
	}
	phase_lines(f, run, o->raw_bytes);
	checkpoint_table(f, run, o->raw_bytes);
	proc_table(f, run, o);
	fprintf(f, "\n  cpu %s user+sys (tree); memwatch itself: %.1f%% cpu, %s rss, %llu sample%s",
		fmt_duration(t, run->cpu_s), run->sampler.cpu_pct,
		fmt_bytes(b, run->sampler.max_rss_bytes, o->raw_bytes),
		(unsigned long long)run->sampler.samples,
		run->sampler.samples == 1 ? "" : "s");
	fprintf(f, " (%llu deep read%s)\n", (unsigned long long)run->sampler.deep_reads,
		run->sampler.deep_reads == 1 ? "" : "s");
}
