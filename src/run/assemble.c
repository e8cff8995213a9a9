/* run/assemble.c - a finished run's result, assembled from what the loop saw */
#include "config.h"

#include "run/assemble.h"

#include "run/state.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* Processes that exited after the last tick (reaped by their own parents)
 * are still marked alive: close their records at the end of the run. */
static void close_records(struct run *r, uint64_t now_ns)
{
	size_t i;

	for (i = r->tree.n_live; i-- > 0;) {
		struct proc_rec *p = r->tree.live[i];
		struct probe_fast f;

		if (p->probe && probe_fast(p->probe, &f) && f.rss_bytes)
			continue;	/* still running: attached, not ours */
		tree_mark_exited(&r->tree, p, now_ns, -1);
		if (p->probe && probe_fast(p->probe, &f))
			continue;	/* a zombie; keep its record */
		tree_forget(&r->tree, p);
	}
}

/* What the kernel proves of each process's peak, folded into the records:
 * wait4's maxrss of a process memwatch reaped is its own peak when it
 * reaped no child itself (else it may be a child's), and the command's
 * own only above memwatch's rss at the fork, which it may carry from
 * before its exec. Then the tree's peak rss: never below the highest rss
 * a single process of the tree is proven to have held. */
static void prove_peak_rss(struct run *r)
{
	struct result_run *out = r->out;
	size_t i;

	out->peak_rss_bytes = r->tl.max_rss_bytes;
	out->peak_rss_source = PEAK_RSS_SAMPLED;
	for (i = 0; i < r->tree.n_all; i++) {
		struct proc_rec *p = r->tree.all[i];
		uint64_t w = p->wait_maxrss_bytes;

		if (p->pid == r->root_pid && !r->o->attach_pid && w <= r->spawn_rss_bytes) {
			if (w > r->tl.max_rss_bytes && !p->had_children)
				out->command_rss_bound_bytes = w;
			w = p->wait_maxrss_bytes = 0;
		}
		if (w > p->hwm_bytes && !p->had_children && !p->mm_owner)
			p->hwm_bytes = w;
		if (p->hwm_bytes > out->peak_rss_bytes) {
			out->peak_rss_bytes = p->hwm_bytes;
			out->peak_rss_source = p->hwm_bytes == w ? PEAK_RSS_WAIT4 : PEAK_RSS_VMHWM;
			out->peak_rss_pid = p->pid;
		}
		if (w > out->peak_rss_bytes) {
			out->peak_rss_bytes = w;
			out->peak_rss_source = PEAK_RSS_WAIT4;
			out->peak_rss_pid = p->pid;
		}
	}
}

/* The run as a whole: how it ended, its time, its peaks. */
static void assemble_summary(struct run *r)
{
	struct result_run *out = r->out;
	struct timeline_line drift;

	out->exit_status = r->root_exited ? result_exit_status(r->root_wait_status) : -1;
	out->wall_s = run_seconds(r, r->end_ns);
	out->cpu_s = r->tree_cpu_s;
	out->peak = r->tl.peak;
	out->max_rss_bytes = r->tl.max_rss_bytes;
	prove_peak_rss(r);
	out->unmapped_shmem_bytes = r->unmapped.max_bytes;
	out->max_pss_bytes = r->tl.max_pss_bytes;
	out->max_processes = r->tl.max_processes;
	out->processes_seen = (uint32_t)r->tree.n_all;
	out->settle_s = timeline_settle_s(&r->tl);
	drift = timeline_idle_drift(&r->tl);
	out->idle_drift_bytes_per_min = drift.bytes_per_min;
	out->idle_drift_from_s = drift.from_s;
	out->idle_drift_to_s = drift.to_s;
	out->idle_drift_settled = drift.settled;
	if (phase_configured(&r->o->phases) && out->load_start_s < 0 &&
	    !r->o->phases.wait_ready)
		out->load_start_s = 0;
	timeline_move_checkpoints(&r->tl, out);
	timeline_move_series(&r->tl, out);
}

/* The process's peak in each phase it lived in. */
static void assemble_phase_peaks(const struct run *r, const struct proc_rec *p,
				 struct result_proc *q)
{
	size_t i;

	if (!p->n_phase_peaks)
		return;
	q->phase_peaks = xcalloc(p->n_phase_peaks, sizeof(*q->phase_peaks));
	q->n_phase_peaks = p->n_phase_peaks;
	for (i = 0; i < p->n_phase_peaks; i++) {
		q->phase_peaks[i].phase = xstrdup(phasehwm_name(&r->phw,
							       p->phase_peaks[i].phase));
		q->phase_peaks[i].hwm_bytes = p->phase_peaks[i].hwm_bytes;
		q->phase_peaks[i].exact = p->phase_peaks[i].exact;
	}
}

/* One process's record, and what it adds to the run's preload check. */
static void assemble_process(struct run *r, const struct proc_rec *p,
			     struct result_proc *q)
{
	struct result_run *out = r->out;

	q->pid = p->pid;
	q->ppid = p->ppid;
	q->command = p->command ? xstrdup(p->command) : xstrdup(p->comm);
	q->start_s = p->start_s;
	q->end_s = p->alive ? -1 : p->end_s;
	q->exit_status = result_exit_status(p->wait_status);
	q->hwm_bytes = p->hwm_bytes;
	q->peak_footprint_bytes = p->peak_footprint_bytes;
	q->has_at_peak = p->at_peak_gen == r->tl.peak_gen && r->tl.have_peak;
	if (q->has_at_peak)
		q->at_peak = p->at_peak;
	q->preload = r->o->preload ? p->preload : -1;
	if (r->o->preload && p->preload >= 0) {
		out->preload.checked++;
		out->preload.mapped += (uint32_t)p->preload;
	}
	if (r->o->preload && p->preload_unreadable && p->preload < 0)
		out->preload.unreadable++;
	q->wait_maxrss_bytes = p->wait_maxrss_bytes;
	q->deep_denied = p->deep_denied;
	q->left_running = p->left_running;
	q->unsignalable = p->unsignalable;
	q->mm_shared_with = p->mm_owner ? p->mm_owner->pid : 0;
	assemble_phase_peaks(r, p, q);
}

/* Every process seen, and the sums over them. */
static void assemble_processes(struct run *r)
{
	struct result_run *out = r->out;
	size_t i;

	out->processes = xcalloc(r->tree.n_all, sizeof(*out->processes));
	out->n_processes = r->tree.n_all;
	for (i = 0; i < r->tree.n_all; i++) {
		const struct proc_rec *p = r->tree.all[i];

		assemble_process(r, p, &out->processes[i]);
		out->deep_denied += p->deep_denied;
		/* The command's own peak is known only to be at most its
		 * bound: an upper bound counts that. */
		if (!p->mm_owner)
			out->sum_proc_peak_bytes += p->pid == r->root_pid &&
				out->command_rss_bound_bytes > p->hwm_bytes ?
				out->command_rss_bound_bytes : p->hwm_bytes;
	}
	/* An upper bound is never below what the kernel proved. */
	if (out->sum_proc_peak_bytes < out->peak_rss_bytes)
		out->sum_proc_peak_bytes = out->peak_rss_bytes;
	if (r->o->preload)
		out->preload.library = xstrdup(r->o->preload);
}

/* What the sampling cost, and how it went. */
static void assemble_sampler(struct run *r)
{
	struct result_sampler *s = &r->out->sampler;
	const struct sampler_stats *stats = &r->sampler.stats;

	s->interval_ns = r->o->interval_ns;
	s->samples = r->tl.samples;
	s->deep_reads = stats->deep_reads;
	s->deep_budget_bp = r->sampler.opts.deep_budget_bp;
	overhead_finish(&r->own, s);
	s->fast_us_per_proc_tick = stats->fast_reads ?
		(double)stats->fast_ns / 1e3 / (double)stats->fast_reads : 0;
	s->deep_cpu_s = (double)stats->deep_cpu_ns / 1e9;
	s->deep_max_ms = (double)stats->deep_max_cpu_ns / 1e6;
	s->deep_denied = stats->deep_denied;
	s->deep_mean_ms = stats->deep_reads ?
		(double)stats->deep_cpu_ns / 1e6 / (double)stats->deep_reads : 0;
	s->full_scans = r->tree.full_scans;
	s->children_scans = r->tree.children_scans;
	s->pid_probes = r->tree.pid_probes;
	s->max_gap_s = (double)r->tl.max_gap_ns / 1e9;
	s->ramp_ticks = r->cad.ramp_ticks;
	s->burst_ticks = r->cad.burst_ticks;
	s->status_reads = stats->status_reads;
	s->status_us_per_read = stats->status_reads ?
		(double)stats->status_ns / 1e3 / (double)stats->status_reads : 0;
	s->refresh_reads = stats->refresh_reads;
}

void assemble_result(struct run *r)
{
	uint64_t now = clock_mono_ns();

	close_records(r, r->end_ns > now ? r->end_ns : now);
	assemble_summary(r);
	phasehwm_finish(r);
	assemble_processes(r);
	assemble_sampler(r);
}
