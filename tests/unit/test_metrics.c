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

/* Each size of a checkpoint that is a metric is read from its own field
 * and has its own title; the breakdown (anon, file, shmem) is none. */
static void test_checkpoint_sizes(void)
{
	static const struct {
		const char *name, *title;
		double value;
	} want[] = {
		{ "footprint_load_end", "Footprint (load end)", 1 },
		{ "rss_load_end", "RSS (load end)", 2 },
		{ "pss_load_end", "PSS (load end)", 3 },
		{ "uss_load_end", "USS (load end)", 4 },
		{ "swap_load_end", "Swap (load end)", 8 },
		{ "lazyfree_load_end", "LazyFree (load end)", 9 },
	};
	static const char *const none[] = {
		"anon_load_end", "file_load_end", "shmem_load_end", "bytes_load_end",
	};
	struct result_config c = { 0 };
	struct result_run *r = result_config_add_run(&c);
	struct mem *m;
	size_t i;
	double v;
	char *title;

	r->checkpoints = xcalloc(1, sizeof(*r->checkpoints));
	r->n_checkpoints = 1;
	r->checkpoints[0].label = xstrdup("load_end");
	m = &r->checkpoints[0].mem;
	m->footprint_bytes = 1;
	m->rss_bytes = 2;
	m->pss_bytes = 3;
	m->uss_bytes = 4;
	m->anon_bytes = 5;
	m->file_bytes = 6;
	m->shmem_bytes = 7;
	m->swap_bytes = 8;
	m->lazyfree_bytes = 9;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ok(metric_known(want[i].name), "%s is a metric", want[i].name);
		ok(metric_value(r, want[i].name, &v) && v == want[i].value,
		   "%s is its own field", want[i].name);
		title = metric_title(want[i].name);
		is_str(title, want[i].title, "%s has its title", want[i].name);
		free(title);
	}
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		ok(!metric_known(none[i]) && !metric_value(r, none[i], &v),
		   "%s is no metric", none[i]);
	result_run_free(r);
	free(c.runs);
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
	test_checkpoint_sizes();
	for (i = 0; i < c.n_runs; i++)
		result_run_free(&c.runs[i]);
	free(c.runs);
	return tap_done();
}
