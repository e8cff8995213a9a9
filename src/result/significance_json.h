/* result/significance_json.h - each configuration's changes against the baseline, in the result file's summary */
#ifndef MEMWATCH_RESULT_SIGNIFICANCE_JSON_H
#define MEMWATCH_RESULT_SIGNIFICANCE_JSON_H

#include <cjson/cJSON.h>

#include "result/result.h"

/* Add to every summary metric of the configurations array (as
 * result_json_write builds it from r) a "change" object against r's
 * baseline: "baseline", "pct", "p", "verdict", "ci_low_pct",
 * "ci_high_pct", "alpha". The baseline itself has none. */
void significance_json_add(cJSON *configs, const struct result *r);

#endif
