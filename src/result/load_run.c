/* result/load_run.c - loading a result file's run: peak, checkpoints, processes, sampler
 *
 * Every key that is there is checked: of its type, in range. Derived
 * values the writer adds (peak.pct_of_wall) are recomputed, not read. */
#include "config.h"

#include "result/load_run.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "result/json.h"
#include "result/series_json.h"
#include "result/message.h"
#include "util/xalloc.h"

/* The sizes of m; those required where (MEM_IN_PEAK, MEM_IN_CHECKPOINT; 0:
 * none) must be there. */
static int load_mem(struct walk *w, const cJSON *o, unsigned where, struct mem *m)
{
#define LOAD_MEM_FIELD(name, title, csv_column, required) \
	if (walk_u64(w, o, #name "_bytes", \
		     (where & (required)) ? WALK_REQUIRED : WALK_OPTIONAL, \
		     &WALK_BYTES, &m->name##_bytes) < 0) \
		return -1;
	MEM_FIELDS(LOAD_MEM_FIELD)
#undef LOAD_MEM_FIELD
	return 0;
}

/* peak.phase fills a char[8]; renderers print it bare, so it must be a
 * plain word. */
static int load_phase(struct walk *w, const cJSON *o, unsigned need, char phase[8])
{
	const cJSON *v;
	const char *s;
	char *q;
	size_t back, n;

	if (walk_get(w, o, "phase", cJSON_String, need, &v) < 0)
		return -1;
	if (!v)
		return 0;
	s = v->valuestring;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
	if (n > 0 && n < 8 && !s[n]) {
		memcpy(phase, s, n + 1);
		return 1;
	}
	q = message_quote(s, strlen(s));
	back = walk_key(w, "phase");
	walk_fail(w, "\"%s\" is not a phase name (1 to 7 lowercase letters)", q);
	walk_back(w, back);
	free(q);
	return -1;
}

static int load_peak(struct walk *w, const cJSON *o, struct result_peak *p)
{
	if (walk_seconds(w, o, "t_s", WALK_REQUIRED, &p->t_s) < 0 ||
	    load_phase(w, o, WALK_OPTIONAL, p->phase) < 0 ||
	    walk_u32(w, o, "processes", WALK_OPTIONAL, &p->processes) < 0 ||
	    walk_u64(w, o, "uncertain_bytes", WALK_OPTIONAL, &WALK_BYTES,
		     &p->uncertain_bytes) < 0 ||
	    walk_u32(w, o, "deep_denied", WALK_OPTIONAL, &p->deep_denied) < 0)
		return -1;
	return load_mem(w, o, MEM_IN_PEAK, &p->mem);
}

/* The run's drive object; null or absent: no driver. The model says "a
 * driver" by its command alone, so a drive object must have one. */
static int load_drive(struct walk *w, const cJSON *o, struct result_drive *d)
{
	const cJSON *x;
	size_t back;

	if (walk_get(w, o, "drive", cJSON_Object, WALK_OPTIONAL | WALK_NULLABLE, &x) < 0)
		return -1;
	if (!x || cJSON_IsNull(x))
		return 0;
	back = walk_key(w, "drive");
	if (walk_string(w, x, "command", WALK_REQUIRED, &d->command) < 0 ||
	    walk_exit_status(w, x, "exit_status", WALK_OPTIONAL, &d->exit_status) < 0 ||
	    walk_seconds(w, x, "start_s", WALK_OPTIONAL, &d->start_s) < 0 ||
	    walk_seconds(w, x, "end_s", WALK_OPTIONAL | WALK_NULLABLE, &d->end_s) < 0)
		return -1;
	walk_back(w, back);
	return 0;
}

/* The run's preload object; null or absent: nothing preloaded. As with
 * drive, the library is what says there is one. */
static int load_preload(struct walk *w, const cJSON *o, struct result_preload *p)
{
	const cJSON *x;
	size_t back;

	if (walk_get(w, o, "preload", cJSON_Object, WALK_OPTIONAL | WALK_NULLABLE, &x) < 0)
		return -1;
	if (!x || cJSON_IsNull(x))
		return 0;
	back = walk_key(w, "preload");
	if (walk_string(w, x, "library", WALK_REQUIRED, &p->library) < 0 ||
	    walk_u32(w, x, "processes_checked", WALK_OPTIONAL, &p->checked) < 0 ||
	    walk_u32(w, x, "processes_mapped", WALK_OPTIONAL, &p->mapped) < 0 ||
	    walk_u32(w, x, "processes_unreadable", WALK_OPTIONAL, &p->unreadable) < 0)
		return -1;
	/* Renderers say "mapped of checked". */
	if (p->mapped > p->checked) {
		walk_key(w, "processes_mapped");
		return walk_fail(w, "%" PRIu32 " is more than processes_checked (%" PRIu32 ")",
				 p->mapped, p->checked);
	}
	walk_back(w, back);
	return 0;
}

/* Without a kind, the checkpoint's kind stays NULL, which renderers and
 * the writer take as "exit". */
static int load_checkpoint(struct walk *w, const cJSON *o, struct result_checkpoint *c)
{
	if (!walk_type(w, o, cJSON_Object) ||
	    walk_string(w, o, "label", WALK_REQUIRED, &c->label) < 0 ||
	    walk_string(w, o, "kind", WALK_OPTIONAL, &c->kind) < 0 ||
	    walk_seconds(w, o, "t_s", WALK_REQUIRED, &c->t_s) < 0 ||
	    walk_u32(w, o, "processes", WALK_OPTIONAL, &c->processes) < 0 ||
	    walk_bool(w, o, "deep", WALK_OPTIONAL, &c->deep) < 0 ||
	    walk_u32(w, o, "deep_denied", WALK_OPTIONAL, &c->deep_denied) < 0)
		return -1;
	/* Absent: unknown (null: a process was never walked). */
	c->deep_age_s = NAN;
	if (walk_seconds(w, o, "deep_age_s", WALK_OPTIONAL | WALK_NULLABLE, &c->deep_age_s) < 0)
		return -1;
	return load_mem(w, o, MEM_IN_CHECKPOINT, &c->mem);
}

static int load_kphase_name(struct walk *w, const cJSON *o, const char *key,
			    unsigned need, char **out);

/* A process's peak in each phase it lived in; absent in results from
 * before them, or of runs without phases. */
static int load_proc_phases(struct walk *w, const cJSON *o, struct result_proc *p)
{
	const cJSON *a, *e;
	size_t back, at, n, i = 0;
	int rc = walk_optional_array(w, o, "phase_peaks", &a, &n);

	if (rc <= 0)
		return rc;
	p->phase_peaks = xcalloc(n ? n : 1, sizeof(*p->phase_peaks));
	back = walk_key(w, "phase_peaks");
	cJSON_ArrayForEach(e, a) {
		at = walk_index(w, i);
		p->n_phase_peaks = i + 1;
		if (!walk_type(w, e, cJSON_Object) ||
		    load_kphase_name(w, e, "phase", WALK_REQUIRED, &p->phase_peaks[i].phase) < 0 ||
		    walk_u64(w, e, "hwm_bytes", WALK_REQUIRED, &WALK_BYTES,
			     &p->phase_peaks[i].hwm_bytes) < 0 ||
		    walk_bool(w, e, "exact", WALK_OPTIONAL, &p->phase_peaks[i].exact) < 0)
			return -1;
		walk_back(w, at);
		i++;
	}
	walk_back(w, back);
	return 0;
}

static int load_proc(struct walk *w, const cJSON *o, struct result_proc *p)
{
	double wait_rss = 0, shared = 0;
	const cJSON *x;
	size_t back;

	if (!walk_type(w, o, cJSON_Object) ||
	    walk_pid(w, o, "pid", WALK_REQUIRED, &p->pid) < 0 ||
	    walk_pid(w, o, "ppid", WALK_REQUIRED, &p->ppid) < 0 ||
	    walk_string(w, o, "command", WALK_REQUIRED, &p->command) < 0 ||
	    walk_seconds(w, o, "start_s", WALK_REQUIRED, &p->start_s) < 0 ||
	    walk_seconds(w, o, "end_s", WALK_REQUIRED | WALK_NULLABLE, &p->end_s) < 0 ||
	    walk_exit_status(w, o, "exit_status", WALK_REQUIRED, &p->exit_status) < 0 ||
	    walk_u64(w, o, "hwm_bytes", WALK_REQUIRED, &WALK_BYTES, &p->hwm_bytes) < 0 ||
	    walk_u64(w, o, "peak_footprint_bytes", WALK_REQUIRED, &WALK_BYTES,
		     &p->peak_footprint_bytes) < 0)
		return -1;
	if (walk_get(w, o, "preload_mapped", cJSON_True | cJSON_False,
		     WALK_OPTIONAL | WALK_NULLABLE, &x) < 0)
		return -1;
	p->preload = (!x || cJSON_IsNull(x)) ? -1 : cJSON_IsTrue(x);
	if (walk_num_or(w, o, "wait_maxrss_bytes", WALK_OPTIONAL | WALK_NULLABLE,
			&WALK_BYTES, 0, &wait_rss) < 0 ||
	    walk_num_or(w, o, "mm_shared_with", WALK_OPTIONAL | WALK_NULLABLE,
			&WALK_PID, 0, &shared) < 0 ||
	    walk_bool(w, o, "deep_denied", WALK_OPTIONAL, &p->deep_denied) < 0 ||
	    walk_bool(w, o, "left_running", WALK_OPTIONAL, &p->left_running) < 0 ||
	    walk_bool(w, o, "unsignalable", WALK_OPTIONAL, &p->unsignalable) < 0)
		return -1;
	p->wait_maxrss_bytes = (uint64_t)wait_rss;
	p->mm_shared_with = (pid_t)shared;
	if (load_proc_phases(w, o, p) < 0)
		return -1;
	if (walk_get(w, o, "at_peak", cJSON_Object, WALK_OPTIONAL | WALK_NULLABLE, &x) < 0)
		return -1;
	if (!x || cJSON_IsNull(x))
		return 0;
	p->has_at_peak = true;
	back = walk_key(w, "at_peak");
	if (load_mem(w, x, 0, &p->at_peak) < 0)
		return -1;
	walk_back(w, back);
	return 0;
}

/* The sampler's series of memwatch's own rss: [t_s, rss_bytes] pairs, at
 * most RESULT_SELF_POINTS of them. Optional. */
static int load_self_rss(struct walk *w, const cJSON *o, struct result_sampler *s)
{
	const cJSON *a, *e;
	size_t back, i = 0;
	int rc = 0;

	if (walk_get(w, o, "self_rss", cJSON_Array, WALK_OPTIONAL, &a) < 0)
		return -1;
	if (!a)
		return 0;
	back = walk_key(w, "self_rss");
	cJSON_ArrayForEach(e, a) {
		const cJSON *t = cJSON_GetArrayItem(e, 0), *r = cJSON_GetArrayItem(e, 1);
		size_t at = walk_index(w, i);

		if (i == RESULT_SELF_POINTS)
			rc = walk_fail(w, "more than %d points", RESULT_SELF_POINTS);
		else if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
			 !cJSON_IsNumber(t) || !cJSON_IsNumber(r) ||
			 !isfinite(t->valuedouble) || t->valuedouble < WALK_SECONDS.min ||
			 t->valuedouble > WALK_SECONDS.max || !isfinite(r->valuedouble) ||
			 r->valuedouble < 0 || r->valuedouble > WALK_BYTES.max ||
			 r->valuedouble != floor(r->valuedouble))
			rc = walk_fail(w, "expected [seconds, byte count]");
		walk_back(w, at);
		if (rc < 0)
			break;
		s->self_rss[i].t_s = result_json_ms(t->valuedouble);
		s->self_rss[i].rss_bytes = (uint64_t)r->valuedouble;
		i++;
	}
	walk_back(w, back);
	s->n_self_rss = rc < 0 ? 0 : i;
	return rc;
}

static int load_sampler(struct walk *w, const cJSON *o, struct result_sampler *s)
{
	/* Absent, they stay 0, as the zeroed sampler has them. */
	double interval_s = 0, budget_pct = 0;

	if (walk_num(w, o, "interval_s", WALK_OPTIONAL, &WALK_SECONDS, &interval_s) < 0 ||
	    walk_u64(w, o, "samples", WALK_REQUIRED, &WALK_COUNT, &s->samples) < 0 ||
	    walk_u64(w, o, "deep_reads", WALK_OPTIONAL, &WALK_COUNT, &s->deep_reads) < 0 ||
	    walk_num(w, o, "deep_budget_pct", WALK_OPTIONAL, &WALK_PERCENT, &budget_pct) < 0 ||
	    walk_seconds(w, o, "cpu_s", WALK_REQUIRED, &s->cpu_s) < 0 ||
	    walk_num(w, o, "cpu_pct", WALK_OPTIONAL, &WALK_MEASURE, &s->cpu_pct) < 0 ||
	    walk_u64(w, o, "max_rss_bytes", WALK_REQUIRED, &WALK_BYTES, &s->max_rss_bytes) < 0 ||
	    walk_num(w, o, "fast_us_per_proc_tick", WALK_OPTIONAL, &WALK_MEASURE,
		     &s->fast_us_per_proc_tick) < 0 ||
	    walk_num(w, o, "deep_cpu_s", WALK_OPTIONAL, &WALK_SECONDS, &s->deep_cpu_s) < 0 ||
	    walk_num(w, o, "deep_max_ms", WALK_OPTIONAL, &WALK_MEASURE, &s->deep_max_ms) < 0 ||
	    walk_num(w, o, "deep_mean_ms", WALK_OPTIONAL, &WALK_MEASURE, &s->deep_mean_ms) < 0 ||
	    walk_u64(w, o, "deep_denied", WALK_OPTIONAL, &WALK_COUNT, &s->deep_denied) < 0 ||
	    load_self_rss(w, o, s) < 0 ||
	    walk_u64(w, o, "full_scans", WALK_OPTIONAL, &WALK_COUNT, &s->full_scans) < 0 ||
	    walk_u64(w, o, "children_scans", WALK_OPTIONAL, &WALK_COUNT, &s->children_scans) < 0 ||
	    walk_u64(w, o, "pid_probes", WALK_OPTIONAL, &WALK_COUNT, &s->pid_probes) < 0 ||
	    walk_seconds(w, o, "max_gap_s", WALK_OPTIONAL, &s->max_gap_s) < 0 ||
	    walk_u64(w, o, "ramp_ticks", WALK_OPTIONAL, &WALK_COUNT, &s->ramp_ticks) < 0 ||
	    walk_u64(w, o, "burst_ticks", WALK_OPTIONAL, &WALK_COUNT, &s->burst_ticks) < 0 ||
	    walk_u64(w, o, "status_reads", WALK_OPTIONAL, &WALK_COUNT, &s->status_reads) < 0 ||
	    walk_num(w, o, "status_us_per_read", WALK_OPTIONAL, &WALK_MEASURE,
		     &s->status_us_per_read) < 0 ||
	    walk_u64(w, o, "refresh_reads", WALK_OPTIONAL, &WALK_COUNT, &s->refresh_reads) < 0)
		return -1;
	/* The writer divides; rounding undoes it exactly for any value it
	 * wrote. */
	s->interval_ns = (uint64_t)llround(interval_s * 1e9);
	s->deep_budget_bp = (uint32_t)lround(budget_pct * 100);
	return 0;
}

/* The tree's peak rss and where it comes from; absent, the model keeps
 * "sampled", and readers take the highest sampled rss. */
static int load_peak_rss(struct walk *w, const cJSON *o, struct result_run *run)
{
	char *src = NULL;
	double pid = 0;
	size_t back;
	int rc;

	if (walk_u64(w, o, "peak_rss_bytes", WALK_OPTIONAL, &WALK_BYTES,
		     &run->peak_rss_bytes) < 0 ||
	    walk_num_or(w, o, "peak_rss_pid", WALK_OPTIONAL | WALK_NULLABLE, &WALK_PID, 0,
			&pid) < 0 ||
	    (rc = walk_string(w, o, "peak_rss_source", WALK_OPTIONAL, &src)) < 0)
		return -1;
	run->peak_rss_pid = (pid_t)pid;
	if (rc > 0 && !result_peak_rss_source_parse(src, &run->peak_rss_source)) {
		char *q = message_quote(src, strlen(src));

		back = walk_key(w, "peak_rss_source");
		walk_fail(w, "\"%s\" is not sampled, VmHWM or wait4", q);
		walk_back(w, back);
		free(q);
		free(src);
		return -1;
	}
	free(src);
	return 0;
}

/* The run's scalar members, peak and drive. Without ended_by, it stays
 * NULL, which renderers and the writer take as "exit". */
static int load_run_summary(struct walk *w, const cJSON *o, struct result_run *run)
{
	const cJSON *x;
	size_t back;

	if (walk_exit_status(w, o, "exit_status", WALK_REQUIRED, &run->exit_status) < 0 ||
	    walk_seconds(w, o, "wall_s", WALK_REQUIRED, &run->wall_s) < 0 ||
	    walk_seconds(w, o, "cpu_s", WALK_REQUIRED, &run->cpu_s) < 0 ||
	    walk_bool(w, o, "interrupted", WALK_REQUIRED, &run->interrupted) < 0 ||
	    walk_string(w, o, "ended_by", WALK_OPTIONAL, &run->ended_by) < 0 ||
	    walk_get(w, o, "peak", cJSON_Object, WALK_REQUIRED, &x) < 0)
		return -1;
	back = walk_key(w, "peak");
	if (load_peak(w, x, &run->peak) < 0)
		return -1;
	walk_back(w, back);
	if (walk_u64(w, o, "max_rss_bytes", WALK_OPTIONAL, &WALK_BYTES, &run->max_rss_bytes) < 0 ||
	    load_peak_rss(w, o, run) < 0 ||
	    walk_u64(w, o, "max_pss_bytes", WALK_OPTIONAL, &WALK_BYTES, &run->max_pss_bytes) < 0 ||
	    walk_u64(w, o, "sum_proc_peak_bytes", WALK_REQUIRED, &WALK_BYTES,
		     &run->sum_proc_peak_bytes) < 0 ||
	    walk_u32(w, o, "processes_seen", WALK_OPTIONAL, &run->processes_seen) < 0 ||
	    walk_u32(w, o, "max_processes", WALK_OPTIONAL, &run->max_processes) < 0 ||
	    walk_seconds(w, o, "command_exit_s", WALK_OPTIONAL | WALK_NULLABLE,
			 &run->command_exit_s) < 0 ||
	    walk_u32(w, o, "left_running", WALK_OPTIONAL, &run->left_running) < 0 ||
	    walk_bool(w, o, "daemonized", WALK_OPTIONAL, &run->daemonized) < 0 ||
	    walk_u32(w, o, "deep_denied_processes", WALK_OPTIONAL, &run->deep_denied) < 0 ||
	    walk_u64(w, o, "unmapped_shmem_bytes", WALK_OPTIONAL, &WALK_BYTES,
		     &run->unmapped_shmem_bytes) < 0 ||
	    walk_u64(w, o, "command_rss_bound_bytes", WALK_OPTIONAL | WALK_NULLABLE,
		     &WALK_BYTES, &run->command_rss_bound_bytes) < 0 ||
	    walk_seconds(w, o, "ready_s", WALK_OPTIONAL | WALK_NULLABLE, &run->ready_s) < 0 ||
	    walk_seconds(w, o, "load_start_s", WALK_OPTIONAL | WALK_NULLABLE,
			 &run->load_start_s) < 0 ||
	    walk_seconds(w, o, "load_end_s", WALK_OPTIONAL | WALK_NULLABLE, &run->load_end_s) < 0 ||
	    walk_seconds(w, o, "settle_s", WALK_OPTIONAL | WALK_NULLABLE, &run->settle_s) < 0 ||
	    walk_num_or(w, o, "idle_drift_bytes_per_min", WALK_OPTIONAL | WALK_NULLABLE,
			&WALK_DRIFT, NAN, &run->idle_drift_bytes_per_min) < 0 ||
	    walk_seconds(w, o, "idle_drift_from_s", WALK_OPTIONAL | WALK_NULLABLE,
			 &run->idle_drift_from_s) < 0 ||
	    walk_seconds(w, o, "idle_drift_to_s", WALK_OPTIONAL | WALK_NULLABLE,
			 &run->idle_drift_to_s) < 0 ||
	    walk_bool(w, o, "idle_drift_settled", WALK_OPTIONAL | WALK_NULLABLE,
		      &run->idle_drift_settled) < 0 ||
	    load_drive(w, o, &run->drive) < 0)
		return -1;
	/* Whole bytes per minute, as written. */
	if (!isnan(run->idle_drift_bytes_per_min))
		run->idle_drift_bytes_per_min = round(run->idle_drift_bytes_per_min) + 0.0;
	return load_preload(w, o, &run->preload);
}

/* A phase's name as the kernel's phase peaks hold it: a plain word
 * (lowercase letters, digits, _), as renderers print it bare. */
static int load_kphase_name(struct walk *w, const cJSON *o, const char *key,
			    unsigned need, char **out)
{
	size_t back;
	int rc = walk_string(w, o, key, need, out);

	if (rc <= 0)
		return rc;
	if (**out && strlen(*out) < 64 &&
	    !(*out)[strspn(*out, "abcdefghijklmnopqrstuvwxyz0123456789_")])
		return 1;
	back = walk_key(w, key);
	walk_fail(w, "not a phase name (lowercase letters, digits and _)");
	walk_back(w, back);
	return -1;
}

/* memory.stat's split, read near the highest memory.current sample. */
static int load_kstat(struct walk *w, const cJSON *x, struct result_kcount *k)
{
	const cJSON *p;
	size_t back;

	if (walk_get(w, x, "split", cJSON_Object, WALK_OPTIONAL, &p) < 0)
		return -1;
	if (!p)
		return 0;
	back = walk_key(w, "split");
	if (walk_u64(w, p, "current_bytes", WALK_OPTIONAL, &WALK_BYTES,
		     &k->split_current_bytes) < 0 ||
	    walk_u64(w, p, "anon_bytes", WALK_OPTIONAL, &WALK_BYTES, &k->anon_bytes) < 0 ||
	    walk_u64(w, p, "file_bytes", WALK_OPTIONAL, &WALK_BYTES, &k->file_bytes) < 0 ||
	    walk_u64(w, p, "shmem_bytes", WALK_OPTIONAL, &WALK_BYTES, &k->shmem_bytes) < 0 ||
	    walk_u64(w, p, "file_mapped_bytes", WALK_OPTIONAL, &WALK_BYTES,
		     &k->file_mapped_bytes) < 0 ||
	    walk_u64(w, p, "kernel_bytes", WALK_OPTIONAL, &WALK_BYTES, &k->kernel_bytes) < 0 ||
	    walk_u64(w, p, "sock_bytes", WALK_OPTIONAL, &WALK_BYTES, &k->sock_bytes) < 0 ||
	    walk_u64(w, p, "swap_bytes", WALK_OPTIONAL, &WALK_BYTES, &k->swap_bytes) < 0)
		return -1;
	walk_back(w, back);
	return 0;
}

/* The phase peaks, in the order the phases ran. */
static int load_kphases(struct walk *w, const cJSON *x, struct result_kcount *k)
{
	const cJSON *a, *e;
	size_t back, at, n, i = 0;
	int rc = walk_optional_array(w, x, "phase_peaks", &a, &n);

	if (rc <= 0)
		return rc;
	k->phases = xcalloc(n ? n : 1, sizeof(*k->phases));
	back = walk_key(w, "phase_peaks");
	cJSON_ArrayForEach(e, a) {
		at = walk_index(w, i);
		k->n_phases = i + 1;
		if (!walk_type(w, e, cJSON_Object) ||
		    load_kphase_name(w, e, "phase", WALK_REQUIRED, &k->phases[i].phase) < 0 ||
		    walk_u64(w, e, "peak_bytes", WALK_REQUIRED, &WALK_BYTES,
			     &k->phases[i].peak_bytes) < 0)
			return -1;
		walk_back(w, at);
		i++;
	}
	walk_back(w, back);
	return 0;
}

/* The kernel's count of the tree; absent in results from before it. */
static int load_kernel(struct walk *w, const cJSON *o, struct result_kcount *k)
{
	const cJSON *x, *peak;
	size_t back;
	double us = 0;

	if (walk_get(w, o, "kernel", cJSON_Object, WALK_OPTIONAL, &x) < 0)
		return -1;
	if (!x)
		return 0;
	back = walk_key(w, "kernel");
	if (walk_string(w, x, "tier", WALK_REQUIRED, &k->tier) < 0)
		return -1;
	if (strcmp(k->tier, "cgroup") != 0 && strcmp(k->tier, "sampling") != 0) {
		walk_key(w, "tier");
		return walk_fail(w, "not cgroup or sampling");
	}
	if (walk_string(w, x, "note", WALK_OPTIONAL, &k->note) < 0 ||
	    walk_string(w, x, "cgroup", WALK_OPTIONAL, &k->cgroup) < 0 ||
	    walk_get(w, x, "peak_bytes", cJSON_Number, WALK_OPTIONAL | WALK_NULLABLE, &peak) < 0 ||
	    walk_u64(w, x, "peak_bytes", WALK_OPTIONAL | WALK_NULLABLE, &WALK_BYTES,
		     &k->peak_bytes) < 0 ||
	    load_kphase_name(w, x, "peak_phase", WALK_OPTIONAL, &k->peak_phase) < 0 ||
	    walk_u64(w, x, "max_current_bytes", WALK_OPTIONAL, &WALK_BYTES,
		     &k->max_current_bytes) < 0 ||
	    walk_seconds(w, x, "max_current_t_s", WALK_OPTIONAL, &k->max_current_t_s) < 0 ||
	    load_kstat(w, x, k) < 0 ||
	    walk_u32(w, x, "members", WALK_OPTIONAL, &k->members) < 0 ||
	    walk_u32(w, x, "missed", WALK_OPTIONAL, &k->missed) < 0 ||
	    walk_bool(w, x, "phase_peaks_exact", WALK_OPTIONAL, &k->phases_exact) < 0 ||
	    load_kphases(w, x, k) < 0 ||
	    walk_num(w, x, "us_per_tick", WALK_OPTIONAL, &WALK_MEASURE, &us) < 0 ||
	    walk_num(w, x, "stat_us_per_read", WALK_OPTIONAL, &WALK_MEASURE,
		     &k->stat_us_per_read) < 0 ||
	    walk_u64(w, x, "stat_reads", WALK_OPTIONAL, &WALK_COUNT, &k->stat_reads) < 0)
		return -1;
	k->has_peak = peak && cJSON_IsNumber(peak);
	k->us_per_tick = us;
	if (k->missed > k->members) {
		walk_key(w, "missed");
		return walk_fail(w, "%" PRIu32 " is more than members (%" PRIu32 ")",
				 k->missed, k->members);
	}
	walk_back(w, back);
	return 0;
}

int load_run(struct walk *w, const cJSON *o, struct result_run *run)
{
	const cJSON *a, *e;
	size_t back, back_i, i, n;

	if (!walk_type(w, o, cJSON_Object) || load_run_summary(w, o, run) < 0)
		return -1;

	if (!(a = walk_array(w, o, "checkpoints", &n)))
		return -1;
	run->checkpoints = xcalloc(n, sizeof(*run->checkpoints));
	run->n_checkpoints = n;
	back = walk_key(w, "checkpoints");
	i = 0;
	cJSON_ArrayForEach(e, a) {
		back_i = walk_index(w, i);
		if (load_checkpoint(w, e, &run->checkpoints[i++]) < 0)
			return -1;
		walk_back(w, back_i);
	}
	walk_back(w, back);

	if (!(a = walk_array(w, o, "processes", &n)))
		return -1;
	run->processes = xcalloc(n, sizeof(*run->processes));
	run->n_processes = n;
	back = walk_key(w, "processes");
	i = 0;
	cJSON_ArrayForEach(e, a) {
		back_i = walk_index(w, i);
		if (load_proc(w, e, &run->processes[i++]) < 0)
			return -1;
		walk_back(w, back_i);
	}
	walk_back(w, back);

	if (walk_get(w, o, "sampler", cJSON_Object, WALK_REQUIRED, &e) < 0)
		return -1;
	back = walk_key(w, "sampler");
	if (load_sampler(w, e, &run->sampler) < 0)
		return -1;
	walk_back(w, back);
	if (load_kernel(w, o, &run->kernel) < 0)
		return -1;
	return series_json_load(w, o, &run->series);
}
