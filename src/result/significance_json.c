/* result/significance_json.c - each configuration's changes against the baseline, in the result file's summary */
#include "config.h"

#include "result/significance_json.h"

#include <math.h>

#include "result/metrics.h"
#include "result/significance.h"

/* A number (rounded to 1/scale, unless scale is 0), or null where there
 * is none. */
static void add_number(cJSON *o, const char *name, double v, double scale)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(o, name);
	else if (!scale)
		cJSON_AddNumberToObject(o, name, v);
	else
		cJSON_AddNumberToObject(o, name, round(v * scale) / scale);
}

/* The change of one metric of c against base. */
static cJSON *change_json(const struct result_config *base, const struct result_config *c,
			  const char *metric, double alpha)
{
	struct significance s;
	cJSON *o;
	double lo = NAN, hi = NAN, pct = NAN;

	if (!significance_of(base, c, metric, alpha, &s))
		return NULL;
	if (s.base_median != 0 && metric_unit(metric) != UNIT_BYTES_PER_MIN)
		pct = 100 * (s.next_median - s.base_median) / fabs(s.base_median);
	significance_ci_pct(&s, &lo, &hi);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "baseline", base->name);
	add_number(o, "pct", pct, 1000);
	add_number(o, "p", s.p, 0);
	cJSON_AddStringToObject(o, "verdict", significance_name(&s));
	add_number(o, "ci_low_pct", lo, 1000);
	add_number(o, "ci_high_pct", hi, 1000);
	cJSON_AddNumberToObject(o, "alpha", s.alpha);
	return o;
}

void significance_json_add(cJSON *configs, const struct result *r)
{
	const struct result_config *base;
	size_t i = 0;
	cJSON *c;

	if (r->baseline >= r->n_configs)
		return;
	base = &r->configs[r->baseline];
	cJSON_ArrayForEach(c, configs) {
		cJSON *summary = cJSON_GetObjectItemCaseSensitive(c, "summary"), *m;

		if (i != r->baseline && i < r->n_configs)
			cJSON_ArrayForEach(m, summary) {
				cJSON *change = change_json(base, &r->configs[i], m->string,
							    r->alpha);

				if (change)
					cJSON_AddItemToObject(m, "change", change);
			}
		i++;
	}
}
