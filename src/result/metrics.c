/* result/metrics.c - named metrics of a run, and their statistics over runs */
#include "config.h"

#include "result/metrics.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/xalloc.h"

/* Fixed metrics, in table order. Checkpoint metrics follow them. */
static const struct fixed_metric {
	const char *name;
	const char *title;
	enum metric_unit unit;
} fixed[] = {
	{ "sum_proc_peak", "Σ per-process peak (upper bound)", UNIT_BYTES },
	{ "peak", "Tree peak footprint (sampled)", UNIT_BYTES },
	{ "peak_rss", "Tree peak RSS", UNIT_BYTES },
	{ "peak_pss", "Tree peak PSS (sampled)", UNIT_BYTES },
	{ "ready_s", "Time to ready", UNIT_SECONDS },
	{ "settle_s", "Settle time", UNIT_SECONDS },
	{ "idle_drift", "Idle drift (per minute)", UNIT_BYTES_PER_MIN },
	{ "wall_s", "Wall time", UNIT_SECONDS },
	{ "cpu_s", "CPU time (tree)", UNIT_SECONDS },
	{ "processes", "Processes seen", UNIT_COUNT },
	{ "memwatch_cpu_s", "memwatch CPU time", UNIT_SECONDS },
	{ "memwatch_rss", "memwatch max RSS", UNIT_BYTES },
	{ "kernel_peak", "Tree peak charged (kernel, exact)", UNIT_BYTES },
};

/* kernel_peak_<phase>: a phase's peak of charged memory (result_kphase). */
#define KPHASE_PREFIX "kernel_peak_"

/* Per-checkpoint metric kinds: footprint_<label>, rss_<label>, ...; the
 * sizes without a title are none. */
static const struct cp_metric {
	const char *prefix;
	const char *title;
	size_t offset;
} cp_kinds[] = {
#define CP_KIND(name, title, csv_column, required) \
	{ #name "_", title, offsetof(struct mem, name##_bytes) },
	MEM_FIELDS(CP_KIND)
#undef CP_KIND
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct fixed_metric *find_fixed(const char *name)
{
	size_t i;

	for (i = 0; i < N(fixed); i++)
		if (strcmp(fixed[i].name, name) == 0)
			return &fixed[i];
	return NULL;
}

static const struct cp_metric *find_cp_kind(const char *name, const char **label)
{
	size_t i;

	for (i = 0; i < N(cp_kinds); i++) {
		size_t n = strlen(cp_kinds[i].prefix);

		if (cp_kinds[i].title && strncmp(name, cp_kinds[i].prefix, n) == 0 && name[n]) {
			*label = name + n;
			return &cp_kinds[i];
		}
	}
	return NULL;
}

static bool fixed_value(const struct result_run *run, const char *name,
			double *out)
{
	if (!strcmp(name, "sum_proc_peak"))
		*out = (double)run->sum_proc_peak_bytes;
	else if (!strcmp(name, "peak"))
		*out = (double)run->peak.mem.footprint_bytes;
	else if (!strcmp(name, "peak_rss"))
		*out = (double)(run->peak_rss_bytes ? run->peak_rss_bytes : run->max_rss_bytes);
	else if (!strcmp(name, "peak_pss"))
		*out = (double)run->max_pss_bytes;
	else if (!strcmp(name, "ready_s"))
		*out = run->ready_s;
	else if (!strcmp(name, "settle_s"))
		*out = run->settle_s;
	else if (!strcmp(name, "idle_drift"))
		*out = run->idle_drift_bytes_per_min;
	else if (!strcmp(name, "wall_s"))
		*out = run->wall_s;
	else if (!strcmp(name, "cpu_s"))
		*out = run->cpu_s;
	else if (!strcmp(name, "processes"))
		*out = run->processes_seen;
	else if (!strcmp(name, "memwatch_cpu_s"))
		*out = run->sampler.cpu_s;
	else if (!strcmp(name, "memwatch_rss"))
		*out = (double)run->sampler.max_rss_bytes;
	else if (!strcmp(name, "kernel_peak") && run->kernel.has_peak)
		*out = (double)run->kernel.peak_bytes;
	else
		return false;
	/* Absent: no ready line, no load end, no idle phase. */
	return !isnan(*out) && *out >= (strcmp(name, "idle_drift") ? 0 : -INFINITY);
}

/* A phase's peak of charged memory, kernel_peak_load. */
static bool kphase_value(const struct result_run *run, const char *phase, double *out)
{
	size_t i;

	for (i = 0; i < run->kernel.n_phases; i++)
		if (!strcmp(run->kernel.phases[i].phase, phase)) {
			*out = (double)run->kernel.phases[i].peak_bytes;
			return true;
		}
	return false;
}

bool metric_value(const struct result_run *run, const char *name, double *out)
{
	const struct cp_metric *k;
	const char *label;
	size_t i;

	if (find_fixed(name))
		return fixed_value(run, name, out);
	if (!strncmp(name, KPHASE_PREFIX, strlen(KPHASE_PREFIX)))
		return kphase_value(run, name + strlen(KPHASE_PREFIX), out);
	k = find_cp_kind(name, &label);
	if (!k)
		return false;
	/* footprint_idle and its kin: the last idle checkpoint, whatever the
	 * window's length, so runs with different --idle still compare. */
	for (i = run->n_checkpoints; !strcmp(label, "idle") && i-- > 0;) {
		const struct result_checkpoint *c = &run->checkpoints[i];

		if (c->kind && !strcmp(c->kind, "idle")) {
			*out = (double)*(const uint64_t *)((const char *)&c->mem + k->offset);
			return true;
		}
	}
	for (i = 0; i < run->n_checkpoints; i++) {
		const struct result_checkpoint *c = &run->checkpoints[i];

		if (strcmp(c->label, label) == 0) {
			*out = (double)*(const uint64_t *)((const char *)&c->mem +
							   k->offset);
			return true;
		}
	}
	return false;
}

enum metric_unit metric_unit(const char *name)
{
	const struct fixed_metric *f = find_fixed(name);

	return f ? f->unit : UNIT_BYTES;
}

bool metric_known(const char *name)
{
	const char *label;

	return find_fixed(name) || find_cp_kind(name, &label) ||
	       (!strncmp(name, KPHASE_PREFIX, strlen(KPHASE_PREFIX)) &&
		name[strlen(KPHASE_PREFIX)]);
}

void metric_format(char *buf, size_t len, const char *metric, double v, bool raw)
{
	char tmp[FMT_BUF];

	switch (metric_unit(metric)) {
	case UNIT_BYTES:
		snprintf(buf, len, "%s", fmt_bytes(tmp, (uint64_t)llround(v < 0 ? 0 : v), raw));
		break;
	case UNIT_SECONDS:
		snprintf(buf, len, "%s", fmt_duration(tmp, v));
		break;
	case UNIT_BYTES_PER_MIN:
		snprintf(buf, len, "%s/min", fmt_bytes_delta(tmp, (int64_t)llround(v), raw));
		break;
	case UNIT_COUNT:
		snprintf(buf, len, "%.0f", v);
		break;
	}
}

void metric_format_delta(char *buf, size_t len, const char *metric, double d,
			 bool raw)
{
	char tmp[FMT_BUF];

	switch (metric_unit(metric)) {
	case UNIT_BYTES:
		snprintf(buf, len, "%s", fmt_bytes_delta(tmp, (int64_t)llround(d), raw));
		break;
	case UNIT_BYTES_PER_MIN:
		snprintf(buf, len, "%s/min", fmt_bytes_delta(tmp, (int64_t)llround(d), raw));
		break;
	case UNIT_SECONDS:
		snprintf(buf, len, "%s%s", d < 0 ? "-" : "+", fmt_duration(tmp, fabs(d)));
		break;
	case UNIT_COUNT:
		snprintf(buf, len, "%+.0f", d);
		break;
	}
}

char *metric_title(const char *name)
{
	const struct fixed_metric *f = find_fixed(name);
	const struct cp_metric *k;
	const char *label;
	unsigned long secs;
	char *lab, *title;

	if (f)
		return xstrdup(f->title);
	if (!strncmp(name, KPHASE_PREFIX, strlen(KPHASE_PREFIX)))
		return xasprintf("Peak charged (kernel, %s)", name + strlen(KPHASE_PREFIX));
	k = find_cp_kind(name, &label);
	if (!k)
		return xstrdup(name);
	/* idle_90s -> "idle 90 s"; load_end -> "load end"; idle -> "last idle". */
	if (!strcmp(label, "idle"))
		lab = xstrdup("last idle checkpoint");
	else if (sscanf(label, "idle_%lus", &secs) == 1 && !strchr(label, 'm'))
		lab = xasprintf("idle %lu s", secs);
	else {
		char *p;

		lab = xstrdup(label);
		for (p = lab; *p; p++)
			if (*p == '_')
				*p = ' ';
	}
	title = xasprintf("%s (%s)", k->title, lab);
	free(lab);
	return title;
}

static void add_name(char ***names, size_t *n, size_t *cap, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			return;
	xgrow(names, cap, *n + 2, sizeof(**names));
	(*names)[(*n)++] = xstrdup(name);
	(*names)[*n] = NULL;
}

char **metric_names(const struct result_config *c)
{
	static const char *const per_checkpoint[] = { "footprint_", "rss_" };
	char **names = NULL;
	size_t n = 0, cap = 0, i, j, k;

	xgrow(&names, &cap, 1, sizeof(*names));
	names[0] = NULL;
	/* Table order: bounds and peaks, then footprint and rss per
	 * checkpoint (in the order the runs reached them), then times. */
	for (i = 0; i < 4; i++)
		add_name(&names, &n, &cap, fixed[i].name);
	for (k = 0; k < N(per_checkpoint); k++)
		for (i = 0; i < c->n_runs; i++)
			for (j = 0; j < c->runs[i].n_checkpoints; j++) {
				char *m = xasprintf("%s%s", per_checkpoint[k],
						    c->runs[i].checkpoints[j].label);

				add_name(&names, &n, &cap, m);
				free(m);
			}
	/* The last idle checkpoint under one name, for diff across runs with
	 * other window lengths. */
	for (i = 0; i < c->n_runs; i++) {
		double v;

		if (metric_value(&c->runs[i], "footprint_idle", &v)) {
			add_name(&names, &n, &cap, "footprint_idle");
			add_name(&names, &n, &cap, "rss_idle");
			break;
		}
	}
	for (i = 4; i < N(fixed); i++)
		add_name(&names, &n, &cap, fixed[i].name);
	for (i = 0; i < c->n_runs; i++)
		for (j = 0; j < c->runs[i].kernel.n_phases; j++) {
			char *m = xasprintf(KPHASE_PREFIX "%s", c->runs[i].kernel.phases[j].phase);

			add_name(&names, &n, &cap, m);
			free(m);
		}
	return names;
}

/* Whether any run of any configuration has a value for name. */
static bool any_value(const struct result_config *const *configs, size_t n,
		      const char *name)
{
	size_t i, j;
	double v;

	for (i = 0; i < n; i++)
		for (j = 0; j < configs[i]->n_runs; j++)
			if (metric_value(&configs[i]->runs[j], name, &v))
				return true;
	return false;
}

static bool has_idle(const struct result_config *const *configs, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++)
		for (j = 0; j < configs[i]->n_runs; j++)
			for (k = 0; k < configs[i]->runs[j].n_checkpoints; k++) {
				const char *kind = configs[i]->runs[j].checkpoints[k].kind;

				if (kind && !strcmp(kind, "idle"))
					return true;
			}
	return false;
}

/* Each checkpoint label once, in the order runs reached them; for rss, only
 * load_end and idle ones (and exit when there is no idle window). */
static void add_cp_rows(char ***rows, size_t *n, size_t *cap,
			const struct result_config *const *configs, size_t nc,
			const char *prefix, bool rss, bool idle)
{
	size_t i, j, k;

	for (i = 0; i < nc; i++)
		for (j = 0; j < configs[i]->n_runs; j++)
			for (k = 0; k < configs[i]->runs[j].n_checkpoints; k++) {
				const struct result_checkpoint *c =
					&configs[i]->runs[j].checkpoints[k];
				const char *kind = c->kind ? c->kind : "exit";
				char *name;

				if (!strcmp(kind, "exit") && idle)
					continue;
				if (rss && strcmp(kind, "load_end") && strcmp(kind, "idle") &&
				    strcmp(kind, "exit"))
					continue;
				name = xasprintf("%s%s", prefix, c->label);
				add_name(rows, n, cap, name);
				free(name);
			}
}

/* The kernel's count, beside the sampled peaks: the exact peak of
 * charged memory, then each phase's, in the order the runs had them. */
static void add_kernel_rows(char ***rows, size_t *nr, size_t *cap,
			    const struct result_config *const *configs, size_t n)
{
	size_t i, j, k;

	if (any_value(configs, n, "kernel_peak"))
		add_name(rows, nr, cap, "kernel_peak");
	for (i = 0; i < n; i++)
		for (j = 0; j < configs[i]->n_runs; j++)
			for (k = 0; k < configs[i]->runs[j].kernel.n_phases; k++) {
				char *m = xasprintf(KPHASE_PREFIX "%s",
						    configs[i]->runs[j].kernel.phases[k].phase);

				add_name(rows, nr, cap, m);
				free(m);
			}
}

char **metric_table_rows(const struct result_config *const *configs, size_t n)
{
	static const char *const head[] = { "sum_proc_peak", "peak_rss", "peak" };
	static const char *const tail[] = {
		"ready_s", "settle_s", "idle_drift", "wall_s", "cpu_s",
	};
	char **rows = NULL;
	size_t nr = 0, cap = 0, i;
	bool idle = has_idle(configs, n);

	xgrow(&rows, &cap, 1, sizeof(*rows));
	rows[0] = NULL;
	for (i = 0; i < N(head); i++)
		add_name(&rows, &nr, &cap, head[i]);
	add_kernel_rows(&rows, &nr, &cap, configs, n);
	add_cp_rows(&rows, &nr, &cap, configs, n, "footprint_", false, idle);
	add_cp_rows(&rows, &nr, &cap, configs, n, "rss_", true, idle);
	for (i = 0; i < N(tail); i++)
		if (any_value(configs, n, tail[i]))
			add_name(&rows, &nr, &cap, tail[i]);
	return rows;
}

void metric_names_free(char **names)
{
	size_t i;

	for (i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double metric_median(double *values, size_t n)
{
	if (!n)
		return 0;
	qsort(values, n, sizeof(*values), cmp_double);
	return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

size_t metric_values(const struct result_config *c, const char *name, double **out)
{
	double *v = xcalloc(c->n_runs ? c->n_runs : 1, sizeof(*v));
	size_t i, n = 0;

	/* An interrupted run stopped early: its numbers describe less than
	 * the others', so they count only when every run was interrupted. */
	for (i = 0; i < c->n_runs; i++)
		if (!c->runs[i].interrupted && metric_value(&c->runs[i], name, &v[n]))
			n++;
	for (i = 0; i < c->n_runs && !n; i++)
		if (metric_value(&c->runs[i], name, &v[n]))
			n++;
	*out = v;
	return n;
}

bool metric_stats(const struct result_config *c, const char *name,
		  struct metric_stats *out)
{
	double *v, sum = 0, sq = 0;
	size_t i, n = metric_values(c, name, &v);

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (!n) {
		free(v);
		return false;
	}
	for (i = 0; i < n; i++)
		sum += v[i];
	out->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (v[i] - out->mean) * (v[i] - out->mean);
	out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	out->median = metric_median(v, n);
	out->min = v[0];
	out->max = v[n - 1];
	free(v);
	return true;
}
