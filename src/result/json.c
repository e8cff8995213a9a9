/* result/json.c - the result file: JSON, schema memwatch-result/1 */
#include "config.h"

#include "result/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "result/metrics.h"
#include "result/series_json.h"
#include "result/significance_json.h"
#include "util/xalloc.h"

double result_json_ms(double s)
{
	return round(s * 1000) / 1000;
}

static void add_seconds_or_null(cJSON *o, const char *k, double s)
{
	if (s < 0)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, result_json_ms(s));
}

/* Byte counts as exact integers: cJSON prints doubles with 15 significant
 * digits when they round-trip loosely, which rounds counts past 10^15. */
static void add_u64(cJSON *o, const char *k, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	cJSON_AddRawToObject(o, k, buf);
}

/* A pid, or null for 0 (none). */
static void add_pid_or_null(cJSON *o, const char *k, pid_t pid)
{
	if (pid)
		cJSON_AddNumberToObject(o, k, pid);
	else
		cJSON_AddNullToObject(o, k);
}

static void add_mem(cJSON *o, const struct mem *m)
{
#define ADD_MEM_FIELD(name, title, csv_column, required) \
	add_u64(o, #name "_bytes", m->name##_bytes);
	MEM_FIELDS(ADD_MEM_FIELD)
#undef ADD_MEM_FIELD
}

static cJSON *host_json(const struct result_host *h)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "hostname", h->hostname);
	cJSON_AddStringToObject(o, "kernel", h->kernel);
	cJSON_AddStringToObject(o, "arch", h->arch);
	cJSON_AddNumberToObject(o, "cpus", (double)h->cpus);
	cJSON_AddNumberToObject(o, "page_size", (double)h->page_size);
	add_u64(o, "mem_total_bytes", h->mem_total_bytes);
	cJSON_AddStringToObject(o, "thp", h->thp);
	return o;
}

/* An exit status, shell style, or null for -1 (unknown). */
static void add_status_or_null(cJSON *o, const char *k, int status)
{
	if (status >= 0)
		cJSON_AddNumberToObject(o, k, status);
	else
		cJSON_AddNullToObject(o, k);
}

/* The sample with the highest footprint. */
static void add_peak(cJSON *o, const struct result_peak *peak, double wall_s)
{
	cJSON *x = cJSON_AddObjectToObject(o, "peak");

	cJSON_AddNumberToObject(x, "t_s", result_json_ms(peak->t_s));
	cJSON_AddStringToObject(x, "phase", peak->phase[0] ? peak->phase : "load");
	/* From the times as written, so that a reader recomputing it from
	 * the file gets the same tenth. */
	cJSON_AddNumberToObject(x, "pct_of_wall",
				wall_s > 0 ? round(1000 * result_json_ms(peak->t_s) / wall_s) / 10 : 0);
	cJSON_AddNumberToObject(x, "processes", peak->processes);
	add_u64(x, "uncertain_bytes", peak->uncertain_bytes);
	cJSON_AddNumberToObject(x, "deep_denied", peak->deep_denied);
	add_mem(x, &peak->mem);
}

/* The run's bounds and counts after its peak: rss, pss, processes. */
static void add_run_sizes(cJSON *o, const struct result_run *run)
{
	add_u64(o, "max_rss_bytes", run->max_rss_bytes);
	add_u64(o, "peak_rss_bytes", run->peak_rss_bytes);
	cJSON_AddStringToObject(o, "peak_rss_source", result_peak_rss_source_str(run->peak_rss_source));
	add_pid_or_null(o, "peak_rss_pid",
			run->peak_rss_source != PEAK_RSS_SAMPLED ? run->peak_rss_pid : 0);
	add_u64(o, "max_pss_bytes", run->max_pss_bytes);
	add_u64(o, "sum_proc_peak_bytes", run->sum_proc_peak_bytes);
	cJSON_AddNumberToObject(o, "processes_seen", run->processes_seen);
	cJSON_AddNumberToObject(o, "max_processes", run->max_processes);
	add_seconds_or_null(o, "command_exit_s", run->command_exit_s);
	cJSON_AddNumberToObject(o, "left_running", run->left_running);
	cJSON_AddBoolToObject(o, "daemonized", run->daemonized);
	cJSON_AddNumberToObject(o, "deep_denied_processes", run->deep_denied);
	add_u64(o, "unmapped_shmem_bytes", run->unmapped_shmem_bytes);
	if (run->command_rss_bound_bytes)
		add_u64(o, "command_rss_bound_bytes", run->command_rss_bound_bytes);
	else
		cJSON_AddNullToObject(o, "command_rss_bound_bytes");
}

/* The phases' times and the idle drift. */
static void add_run_phases(cJSON *o, const struct result_run *run)
{
	add_seconds_or_null(o, "ready_s", run->ready_s);
	add_seconds_or_null(o, "load_start_s", run->load_start_s);
	add_seconds_or_null(o, "load_end_s", run->load_end_s);
	add_seconds_or_null(o, "settle_s", run->settle_s);
	if (isnan(run->idle_drift_bytes_per_min))
		cJSON_AddNullToObject(o, "idle_drift_bytes_per_min");
	else
		cJSON_AddNumberToObject(o, "idle_drift_bytes_per_min",
					round(run->idle_drift_bytes_per_min) + 0.0);
	add_seconds_or_null(o, "idle_drift_from_s", run->idle_drift_from_s);
	add_seconds_or_null(o, "idle_drift_to_s", run->idle_drift_to_s);
	if (run->idle_drift_from_s < 0)
		cJSON_AddNullToObject(o, "idle_drift_settled");
	else
		cJSON_AddBoolToObject(o, "idle_drift_settled", run->idle_drift_settled);
}

/* The --drive command's run, or null without one. */
static void add_drive(cJSON *o, const struct result_drive *d)
{
	cJSON *x;

	if (!d->command) {
		cJSON_AddNullToObject(o, "drive");
		return;
	}
	x = cJSON_AddObjectToObject(o, "drive");
	cJSON_AddStringToObject(x, "command", d->command);
	add_status_or_null(x, "exit_status", d->exit_status);
	cJSON_AddNumberToObject(x, "start_s", result_json_ms(d->start_s));
	add_seconds_or_null(x, "end_s", d->end_s);
}

/* Whether the preloaded library reached the processes, or null. */
static void add_preload(cJSON *o, const struct result_preload *p)
{
	cJSON *x;

	if (!p->library) {
		cJSON_AddNullToObject(o, "preload");
		return;
	}
	x = cJSON_AddObjectToObject(o, "preload");
	cJSON_AddStringToObject(x, "library", p->library);
	cJSON_AddNumberToObject(x, "processes_checked", p->checked);
	cJSON_AddNumberToObject(x, "processes_mapped", p->mapped);
	cJSON_AddNumberToObject(x, "processes_unreadable", p->unreadable);
}

static cJSON *checkpoint_json(const struct result_checkpoint *c)
{
	cJSON *x = cJSON_CreateObject();

	cJSON_AddStringToObject(x, "label", c->label);
	cJSON_AddStringToObject(x, "kind", c->kind ? c->kind : "exit");
	cJSON_AddNumberToObject(x, "t_s", result_json_ms(c->t_s));
	cJSON_AddNumberToObject(x, "processes", c->processes);
	cJSON_AddBoolToObject(x, "deep", c->deep);
	/* NaN: a result from before the field, which did not say. */
	if (!isnan(c->deep_age_s))
		add_seconds_or_null(x, "deep_age_s", c->deep_age_s);
	cJSON_AddNumberToObject(x, "deep_denied", c->deep_denied);
	add_mem(x, &c->mem);
	return x;
}

/* The process's peak in each phase it lived in. */
static void add_proc_phase_peaks(cJSON *x, const struct result_proc *p)
{
	cJSON *a = cJSON_AddArrayToObject(x, "phase_peaks"), *e;
	size_t i;

	for (i = 0; i < p->n_phase_peaks; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "phase", p->phase_peaks[i].phase);
		add_u64(e, "hwm_bytes", p->phase_peaks[i].hwm_bytes);
		cJSON_AddBoolToObject(e, "exact", p->phase_peaks[i].exact);
		cJSON_AddItemToArray(a, e);
	}
}

static cJSON *proc_json(const struct result_proc *p)
{
	cJSON *x = cJSON_CreateObject();

	cJSON_AddNumberToObject(x, "pid", p->pid);
	cJSON_AddNumberToObject(x, "ppid", p->ppid);
	cJSON_AddStringToObject(x, "command", p->command);
	cJSON_AddNumberToObject(x, "start_s", result_json_ms(p->start_s));
	if (p->end_s >= 0)
		cJSON_AddNumberToObject(x, "end_s", result_json_ms(p->end_s));
	else
		cJSON_AddNullToObject(x, "end_s");
	add_status_or_null(x, "exit_status", p->exit_status);
	add_u64(x, "hwm_bytes", p->hwm_bytes);
	add_u64(x, "peak_footprint_bytes", p->peak_footprint_bytes);
	if (p->has_at_peak)
		add_mem(cJSON_AddObjectToObject(x, "at_peak"), &p->at_peak);
	else
		cJSON_AddNullToObject(x, "at_peak");
	if (p->preload >= 0)
		cJSON_AddBoolToObject(x, "preload_mapped", p->preload);
	else
		cJSON_AddNullToObject(x, "preload_mapped");
	if (p->wait_maxrss_bytes)
		add_u64(x, "wait_maxrss_bytes", p->wait_maxrss_bytes);
	else
		cJSON_AddNullToObject(x, "wait_maxrss_bytes");
	cJSON_AddBoolToObject(x, "deep_denied", p->deep_denied);
	cJSON_AddBoolToObject(x, "left_running", p->left_running);
	cJSON_AddBoolToObject(x, "unsignalable", p->unsignalable);
	add_pid_or_null(x, "mm_shared_with", p->mm_shared_with);
	if (p->n_phase_peaks)
		add_proc_phase_peaks(x, p);
	return x;
}

/* memwatch's own rss over the run, as [t_s, rss_bytes] pairs. */
static void add_self_rss(cJSON *o, const struct result_sampler *s)
{
	cJSON *series = cJSON_AddArrayToObject(o, "self_rss");
	size_t k;

	for (k = 0; k < s->n_self_rss; k++) {
		cJSON *pt = cJSON_CreateArray();
		char buf[24];

		cJSON_AddItemToArray(pt, cJSON_CreateNumber(result_json_ms(s->self_rss[k].t_s)));
		snprintf(buf, sizeof(buf), "%" PRIu64, s->self_rss[k].rss_bytes);
		cJSON_AddItemToArray(pt, cJSON_CreateRaw(buf));
		cJSON_AddItemToArray(series, pt);
	}
}

/* What the sampler did, and what memwatch itself cost. */
static void add_sampler(cJSON *o, const struct result_sampler *s)
{
	cJSON *x = cJSON_AddObjectToObject(o, "sampler");

	cJSON_AddNumberToObject(x, "interval_s", (double)s->interval_ns / 1e9);
	add_u64(x, "samples", s->samples);
	add_u64(x, "deep_reads", s->deep_reads);
	cJSON_AddNumberToObject(x, "deep_budget_pct", (double)s->deep_budget_bp / 100);
	cJSON_AddNumberToObject(x, "cpu_s", result_json_ms(s->cpu_s));
	cJSON_AddNumberToObject(x, "cpu_pct", round(s->cpu_pct * 100) / 100);
	add_u64(x, "max_rss_bytes", s->max_rss_bytes);
	cJSON_AddNumberToObject(x, "fast_us_per_proc_tick",
				round(s->fast_us_per_proc_tick * 1000) / 1000);
	cJSON_AddNumberToObject(x, "deep_cpu_s", round(s->deep_cpu_s * 1e6) / 1e6);
	cJSON_AddNumberToObject(x, "deep_max_ms", round(s->deep_max_ms * 1000) / 1000);
	cJSON_AddNumberToObject(x, "deep_mean_ms", round(s->deep_mean_ms * 1000) / 1000);
	add_u64(x, "deep_denied", s->deep_denied);
	add_self_rss(x, s);
	add_u64(x, "full_scans", s->full_scans);
	add_u64(x, "children_scans", s->children_scans);
	add_u64(x, "pid_probes", s->pid_probes);
	cJSON_AddNumberToObject(x, "max_gap_s", result_json_ms(s->max_gap_s));
	add_u64(x, "ramp_ticks", s->ramp_ticks);
	add_u64(x, "burst_ticks", s->burst_ticks);
	add_u64(x, "status_reads", s->status_reads);
	cJSON_AddNumberToObject(x, "status_us_per_read",
				round(s->status_us_per_read * 1000) / 1000);
	add_u64(x, "refresh_reads", s->refresh_reads);
}

/* The kernel's count of the tree: absent when the run did not record the
 * tier (results written before it). */
static void add_kernel(cJSON *o, const struct result_kcount *k)
{
	cJSON *x, *a, *p;
	size_t i;

	if (!k->tier)
		return;
	x = cJSON_AddObjectToObject(o, "kernel");
	cJSON_AddStringToObject(x, "tier", k->tier);
	if (k->note)
		cJSON_AddStringToObject(x, "note", k->note);
	if (strcmp(k->tier, "cgroup") != 0)
		return;
	cJSON_AddStringToObject(x, "cgroup", k->cgroup ? k->cgroup : "");
	if (k->has_peak)
		add_u64(x, "peak_bytes", k->peak_bytes);
	else
		cJSON_AddNullToObject(x, "peak_bytes");
	if (k->peak_phase)
		cJSON_AddStringToObject(x, "peak_phase", k->peak_phase);
	add_u64(x, "max_current_bytes", k->max_current_bytes);
	cJSON_AddNumberToObject(x, "max_current_t_s", result_json_ms(k->max_current_t_s));
	p = cJSON_AddObjectToObject(x, "split");
	add_u64(p, "current_bytes", k->split_current_bytes);
	add_u64(p, "anon_bytes", k->anon_bytes);
	add_u64(p, "file_bytes", k->file_bytes);
	add_u64(p, "shmem_bytes", k->shmem_bytes);
	add_u64(p, "file_mapped_bytes", k->file_mapped_bytes);
	add_u64(p, "kernel_bytes", k->kernel_bytes);
	add_u64(p, "sock_bytes", k->sock_bytes);
	add_u64(p, "swap_bytes", k->swap_bytes);
	cJSON_AddNumberToObject(x, "members", k->members);
	cJSON_AddNumberToObject(x, "missed", k->missed);
	cJSON_AddBoolToObject(x, "phase_peaks_exact", k->phases_exact);
	a = cJSON_AddArrayToObject(x, "phase_peaks");
	for (i = 0; i < k->n_phases; i++) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "phase", k->phases[i].phase);
		add_u64(p, "peak_bytes", k->phases[i].peak_bytes);
		cJSON_AddItemToArray(a, p);
	}
	cJSON_AddNumberToObject(x, "us_per_tick", round(k->us_per_tick * 1000) / 1000);
	cJSON_AddNumberToObject(x, "stat_us_per_read", round(k->stat_us_per_read * 1000) / 1000);
	add_u64(x, "stat_reads", k->stat_reads);
}

static cJSON *run_json(const struct result_run *run)
{
	cJSON *o = cJSON_CreateObject(), *a;
	double wall_s = result_json_ms(run->wall_s);
	size_t i;

	add_status_or_null(o, "exit_status", run->exit_status);
	cJSON_AddNumberToObject(o, "wall_s", wall_s);
	cJSON_AddNumberToObject(o, "cpu_s", result_json_ms(run->cpu_s));
	cJSON_AddBoolToObject(o, "interrupted", run->interrupted);
	cJSON_AddStringToObject(o, "ended_by", run->ended_by ? run->ended_by : "exit");
	add_peak(o, &run->peak, wall_s);
	add_run_sizes(o, run);
	add_run_phases(o, run);
	add_drive(o, &run->drive);
	add_preload(o, &run->preload);
	a = cJSON_AddArrayToObject(o, "checkpoints");
	for (i = 0; i < run->n_checkpoints; i++)
		cJSON_AddItemToArray(a, checkpoint_json(&run->checkpoints[i]));
	a = cJSON_AddArrayToObject(o, "processes");
	for (i = 0; i < run->n_processes; i++)
		cJSON_AddItemToArray(a, proc_json(&run->processes[i]));
	add_sampler(o, &run->sampler);
	add_kernel(o, &run->kernel);
	if (run->series.n)
		cJSON_AddItemToObject(o, "series", series_json(&run->series));
	return o;
}

static double summary_round(const char *metric, double v)
{
	return metric_unit(metric) == UNIT_SECONDS ? result_json_ms(v) : round(v);
}

static cJSON *summary_json(const struct result_config *c)
{
	cJSON *o = cJSON_CreateObject();
	char **names = metric_names(c);
	size_t i;

	for (i = 0; names[i]; i++) {
		struct metric_stats st;
		cJSON *m;

		if (!metric_stats(c, names[i], &st))
			continue;
		m = cJSON_AddObjectToObject(o, names[i]);
		/* Rounded as the runs' own values are: bytes whole, seconds to
		 * the millisecond. */
		cJSON_AddNumberToObject(m, "median", summary_round(names[i], st.median));
		cJSON_AddNumberToObject(m, "min", summary_round(names[i], st.min));
		cJSON_AddNumberToObject(m, "max", summary_round(names[i], st.max));
		cJSON_AddNumberToObject(m, "stddev", summary_round(names[i], st.stddev));
		cJSON_AddNumberToObject(m, "n", (double)st.n);
	}
	metric_names_free(names);
	return o;
}

static cJSON *config_json(const struct result_config *c)
{
	cJSON *o = cJSON_CreateObject(), *a, *env;
	size_t i;

	cJSON_AddStringToObject(o, "name", c->name);
	/* Merged results (memwatch report --json) keep where each ran. */
	if (c->host)
		cJSON_AddItemToObject(o, "host", host_json(c->host));
	a = cJSON_AddArrayToObject(o, "command");
	for (i = 0; c->argv && c->argv[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(c->argv[i]));
	if (c->allocator)
		cJSON_AddStringToObject(o, "allocator", c->allocator);
	env = cJSON_AddObjectToObject(o, "env");
	for (i = 0; i < c->n_env; i++)
		cJSON_AddStringToObject(env, c->env[i].name, c->env[i].value);
	a = cJSON_AddArrayToObject(o, "runs");
	for (i = 0; i < c->n_runs; i++)
		cJSON_AddItemToArray(a, run_json(&c->runs[i]));
	cJSON_AddItemToObject(o, "summary", summary_json(c));
	return o;
}

int result_json_write(const struct result *r, FILE *f)
{
	cJSON *root = cJSON_CreateObject(), *a;
	char *text;
	size_t i;
	int rc = 0;

	cJSON_AddStringToObject(root, "schema", RESULT_SCHEMA);
	cJSON_AddStringToObject(root, "memwatch_version", r->memwatch_version);
	cJSON_AddStringToObject(root, "created", r->created);
	cJSON_AddItemToObject(root, "host", host_json(&r->host));
	a = cJSON_AddArrayToObject(root, "configs");
	for (i = 0; i < r->n_configs; i++)
		cJSON_AddItemToArray(a, config_json(&r->configs[i]));
	significance_json_add(a, r);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text) {
		errno = ENOMEM;
		return -1;
	}
	if (fputs(text, f) == EOF || fputc('\n', f) == EOF)
		rc = -1;
	cJSON_free(text);
	return rc;
}
