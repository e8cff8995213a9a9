/* result/metrics.h - named metrics of a run, and their statistics over runs
 *
 * One vocabulary for the result file's summary, the comparison table and
 * diff's thresholds: "peak", "footprint_idle_90s", "wall_s", ... */
#ifndef MEMWATCH_METRICS_H
#define MEMWATCH_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "result/result.h"

enum metric_unit {
	UNIT_BYTES,
	UNIT_SECONDS,
	UNIT_COUNT,
	UNIT_BYTES_PER_MIN,
};

/* The value of a named metric in one run; false if the run lacks it (a
 * checkpoint that was never reached). */
bool metric_value(const struct result_run *run, const char *name, double *out);

enum metric_unit metric_unit(const char *name);

/* A value of the metric, for people, in its unit: "812.4 MiB", "41.2 s",
 * "+1.2 MiB/min"; with raw, bytes exactly. */
void metric_format(char *buf, size_t len, const char *metric, double v, bool raw);

/* A change of the metric's value, signed: "+12.0 MiB", "-350 ms". */
void metric_format_delta(char *buf, size_t len, const char *metric, double d,
			 bool raw);

/* A human title for a metric name ("Footprint (idle 90 s)"). Caller frees. */
char *metric_title(const char *name);

/* Whether name is a metric memwatch knows (checkpoint labels included). */
bool metric_known(const char *name);

/* The metric names a configuration's runs have, in table order; each is
 * a new string, the array is NULL-terminated. Free with metric_names_free. */
char **metric_names(const struct result_config *c);
void metric_names_free(char **names);

/* The rows of a comparison table over several configurations, in the
 * order of memwatch(1)'s METRICS: the peaks, footprint at every checkpoint, rss
 * at load end and the idle checkpoints, ready and settle times, idle drift,
 * wall and CPU time. Only rows some run has a value for. NULL-terminated;
 * free with metric_names_free. */
char **metric_table_rows(const struct result_config *const *configs, size_t n);

struct metric_stats {
	size_t n;
	double median, min, max, mean, stddev;
};

/* The values of a metric over the runs that have it, leaving out
 * interrupted runs unless all were, in *out (caller frees); how many. */
size_t metric_values(const struct result_config *c, const char *name, double **out);

/* Statistics of a metric over the runs that have it, leaving out
 * interrupted runs unless all were; false if none has it. */
bool metric_stats(const struct result_config *c, const char *name,
		  struct metric_stats *out);

/* Median of values (sorted in place); the mean of the middle two for an
 * even count. */
double metric_median(double *values, size_t n);

#endif
