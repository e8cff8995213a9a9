/* result/series_json.h - a run's downsampled series in the result file: written, and read back strictly */
#ifndef MEMWATCH_RESULT_SERIES_JSON_H
#define MEMWATCH_RESULT_SERIES_JSON_H

#include <cjson/cJSON.h>

#include "result/result.h"
#include "result/walk.h"

/* At most this many points are read back: the writer keeps a few
 * hundred; more is not a file memwatch wrote. */
#define SERIES_JSON_MAX 100000

/* {"t_s": [...], "footprint_bytes": [...], "rss_bytes": [...]}: times to
 * the millisecond. */
cJSON *series_json(const struct result_series *s);

/* The run object's optional "series" into s: three arrays of one length,
 * times from 0 to 1e9 that never go back, byte counts. 0, or -1 after a
 * message. */
int series_json_load(struct walk *w, const cJSON *run, struct result_series *s);

#endif
