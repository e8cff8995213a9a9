/* result/series_json.c - a run's downsampled series in the result file: written, and read back strictly */
#include "config.h"

#include "result/series_json.h"

#include <math.h>
#include <stdlib.h>

#include "result/json.h"
#include "util/xalloc.h"

cJSON *series_json(const struct result_series *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *t = cJSON_AddArrayToObject(o, "t_s");
	cJSON *f = cJSON_AddArrayToObject(o, "footprint_bytes");
	cJSON *r = cJSON_AddArrayToObject(o, "rss_bytes");
	size_t i;

	for (i = 0; i < s->n; i++) {
		cJSON_AddItemToArray(t, cJSON_CreateNumber(result_json_ms(s->t_s[i])));
		cJSON_AddItemToArray(f, cJSON_CreateNumber((double)s->footprint_bytes[i]));
		cJSON_AddItemToArray(r, cJSON_CreateNumber((double)s->rss_bytes[i]));
	}
	return o;
}

/* One of the arrays: n numbers, each of kind k (and, for times, never
 * less than the one before), into out. */
static int load_column(struct walk *w, const cJSON *o, const char *key, size_t n,
		       const struct walk_kind *k, bool times, double *out)
{
	const cJSON *a, *e;
	size_t len, i = 0, back;

	if (!(a = walk_array(w, o, key, &len)))
		return -1;
	back = walk_key(w, key);
	if (len != n)
		return walk_fail(w, "%zu values where t_s has %zu", len, n);
	cJSON_ArrayForEach(e, a) {
		size_t back_i = walk_index(w, i);

		if (!walk_type(w, e, cJSON_Number))
			return -1;
		if (isnan(e->valuedouble) || e->valuedouble < k->min || e->valuedouble > k->max ||
		    (k->whole && e->valuedouble != floor(e->valuedouble)))
			return walk_fail(w, "%.17g is not %s", e->valuedouble, k->what);
		if (times && i && e->valuedouble < out[i - 1])
			return walk_fail(w, "%.17g is before the time before it", e->valuedouble);
		out[i++] = times ? result_json_ms(e->valuedouble) : e->valuedouble;
		walk_back(w, back_i);
	}
	walk_back(w, back);
	return 0;
}

int series_json_load(struct walk *w, const cJSON *run, struct result_series *s)
{
	const cJSON *o;
	double *t = NULL, *f = NULL, *r = NULL;
	size_t n, back, i;
	int rc = -1;

	if (walk_get(w, run, "series", cJSON_Object, WALK_OPTIONAL, &o) < 0)
		return -1;
	if (!o)
		return 0;
	back = walk_key(w, "series");
	if (!walk_array(w, o, "t_s", &n))
		return -1;
	if (n > SERIES_JSON_MAX) {
		walk_key(w, "t_s");
		return walk_fail(w, "%zu points (at most %d)", n, SERIES_JSON_MAX);
	}
	t = xcalloc(n ? n : 1, sizeof(*t));
	f = xcalloc(n ? n : 1, sizeof(*f));
	r = xcalloc(n ? n : 1, sizeof(*r));
	if (load_column(w, o, "t_s", n, &WALK_SECONDS, true, t) < 0 ||
	    load_column(w, o, "footprint_bytes", n, &WALK_BYTES, false, f) < 0 ||
	    load_column(w, o, "rss_bytes", n, &WALK_BYTES, false, r) < 0)
		goto out;
	s->n = n;
	s->t_s = t;
	s->footprint_bytes = xcalloc(n ? n : 1, sizeof(*s->footprint_bytes));
	s->rss_bytes = xcalloc(n ? n : 1, sizeof(*s->rss_bytes));
	for (i = 0; i < n; i++) {
		s->footprint_bytes[i] = (uint64_t)f[i];
		s->rss_bytes[i] = (uint64_t)r[i];
	}
	t = NULL;
	walk_back(w, back);
	rc = 0;
out:
	free(t);
	free(f);
	free(r);
	return rc;
}
