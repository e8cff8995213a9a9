/* result/result.c - the result model: construction, host description, freeing */
#include "config.h"

#include "result/result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "probe.h"
#include "util/strv.h"
#include "util/xalloc.h"

void result_run_free(struct result_run *run)
{
	size_t i, j;

	if (!run)
		return;
	for (i = 0; i < run->n_checkpoints; i++) {
		free(run->checkpoints[i].label);
		free(run->checkpoints[i].kind);
	}
	free(run->drive.command);
	free(run->preload.library);
	free(run->checkpoints);
	for (i = 0; i < run->n_processes; i++) {
		free(run->processes[i].command);
		for (j = 0; j < run->processes[i].n_phase_peaks; j++)
			free(run->processes[i].phase_peaks[j].phase);
		free(run->processes[i].phase_peaks);
	}
	free(run->processes);
	free(run->ended_by);
	free(run->series.t_s);
	free(run->series.footprint_bytes);
	free(run->series.rss_bytes);
	result_kcount_free(&run->kernel);
}

void result_kcount_free(struct result_kcount *k)
{
	size_t i;

	free(k->tier);
	free(k->note);
	free(k->cgroup);
	free(k->peak_phase);
	for (i = 0; i < k->n_phases; i++)
		free(k->phases[i].phase);
	free(k->phases);
	memset(k, 0, sizeof(*k));
}

void result_host_copy(struct result_host *dst, const struct result_host *src)
{
	*dst = *src;
	dst->hostname = xstrdup(src->hostname ? src->hostname : "unknown");
	dst->kernel = xstrdup(src->kernel ? src->kernel : "unknown");
	dst->arch = xstrdup(src->arch ? src->arch : "unknown");
	dst->thp = xstrdup(src->thp ? src->thp : "unknown");
}

void result_host_free(struct result_host *h)
{
	if (!h)
		return;
	free(h->hostname);
	free(h->kernel);
	free(h->arch);
	free(h->thp);
}

static void result_config_free(struct result_config *c)
{
	size_t i;

	free(c->name);
	result_host_free(c->host);
	free(c->host);
	strv_free(c->argv);
	free(c->allocator);
	for (i = 0; i < c->n_env; i++) {
		free(c->env[i].name);
		free(c->env[i].value);
	}
	free(c->env);
	for (i = 0; i < c->n_runs; i++)
		result_run_free(&c->runs[i]);
	free(c->runs);
}

void result_free(struct result *r)
{
	size_t i;

	if (!r)
		return;
	free(r->memwatch_version);
	free(r->created);
	result_host_free(&r->host);
	for (i = 0; i < r->n_configs; i++)
		result_config_free(&r->configs[i]);
	free(r->configs);
	memset(r, 0, sizeof(*r));
}

struct result_run *result_config_add_run(struct result_config *c)
{
	struct result_run *run;

	c->runs = xreallocarray(c->runs, c->n_runs + 1, sizeof(*c->runs));
	run = &c->runs[c->n_runs++];
	memset(run, 0, sizeof(*run));
	run->exit_status = -1;
	run->ready_s = run->load_start_s = run->load_end_s = run->settle_s = -1;
	run->command_exit_s = -1;
	run->idle_drift_bytes_per_min = NAN;
	run->idle_drift_from_s = run->idle_drift_to_s = -1;
	run->drive.exit_status = -1;
	run->drive.end_s = -1;
	return run;
}

/* Every string of the host's description is set: "unknown" stands for what
 * this machine would not say. */
static char *known(char *s)
{
	return s ? s : xstrdup("unknown");
}

void result_host_probe(struct result_host *h)
{
	struct host_info hi;

	host_read(&hi);
	memset(h, 0, sizeof(*h));
	h->hostname = known(hi.hostname);
	h->kernel = known(hi.kernel);
	h->arch = known(hi.arch);
	h->thp = known(hi.thp);
	h->cpus = hi.cpus;
	h->page_size = hi.page_size;
	h->mem_total_bytes = hi.mem_total_bytes;
}

char *result_now_iso8601(void)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static const char *const peak_rss_sources[] = { "sampled", "VmHWM", "wait4" };

const char *result_peak_rss_source_str(enum peak_rss_source s)
{
	return (unsigned)s < 3 ? peak_rss_sources[s] : "sampled";
}

bool result_peak_rss_source_parse(const char *str, enum peak_rss_source *out)
{
	unsigned i;

	for (i = 0; i < 3; i++)
		if (!strcmp(str, peak_rss_sources[i])) {
			*out = (enum peak_rss_source)i;
			return true;
		}
	return false;
}

int result_exit_status(int wait_status)
{
	if (wait_status < 0)
		return -1;
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return -1;
}
