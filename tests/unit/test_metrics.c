/* test_metrics.c - named metrics and statistics over runs, on known inputs */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result/metrics.h"
#include "result/result.h"
#include "tap.h"
#include "util/xalloc.h"

static void add_run(struct result_config *c, uint64_t peak, double wall,
		    uint64_t idle_fp)
{
	struct result_run *r = result_config_add_run(c);

	r->peak.mem.footprint_bytes = peak;
	r->wall_s = wall;
	r->checkpoints = xcalloc(1, sizeof(*r->checkpoints));
	r->n_checkpoints = 1;
	r->checkpoints[0].label = xstrdup("idle_90s");
	r->checkpoints[0].mem.footprint_bytes = idle_fp;
}

int main(void)
{
	struct result_config c = { 0 };
	struct metric_stats st;
	double v[] = { 5, 1, 3, 2, 4, 6 };
	char **names, *title;
	size_t i;
	int found = 0;

	ok(metric_median(v, 5) == 3, "median of an odd count");
	ok(metric_median(v, 6) == 3.5, "median of an even count is the middle mean");

	add_run(&c, 300, 2.0, 30);
	add_run(&c, 100, 1.0, 10);
	add_run(&c, 200, 3.0, 20);
	ok(metric_stats(&c, "peak", &st), "peak stats");
	TEST("peak median/min/max = 200/100/300") {
		check_double(st.median, 200, 0);
		check_double(st.min, 100, 0);
		check_double(st.max, 300, 0);
		check_u64(st.n, ==, 3);
	}
	TEST("sample stddev = 100")
		check_double(st.stddev, 100, 1e-9);
	TEST("checkpoint metric by label") {
		check(metric_stats(&c, "footprint_idle_90s", &st));
		check_double(st.median, 20, 0);
	}
	ok(!metric_stats(&c, "footprint_idle_180s", &st), "a checkpoint no run reached");
	ok(metric_known("footprint_idle_180s"), "checkpoint names are known metrics");
	ok(!metric_known("bogus"), "unknown metric");
	title = metric_title("footprint_idle_90s");
	is_str(title, "Footprint (idle 90 s)", "title of a checkpoint metric");
	free(title);
	names = metric_names(&c);
	for (i = 0; names[i]; i++)
		found += !strcmp(names[i], "footprint_idle_90s");
	ok(found == 1, "the checkpoint metric is listed once");
	metric_names_free(names);
	for (i = 0; i < c.n_runs; i++)
		result_run_free(&c.runs[i]);
	free(c.runs);
	return tap_done();
}
