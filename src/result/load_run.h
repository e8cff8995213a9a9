/* result/load_run.h - loading a result file's run: peak, checkpoints, processes, sampler */
#ifndef MEMWATCH_RESULT_LOAD_RUN_H
#define MEMWATCH_RESULT_LOAD_RUN_H

#include <cjson/cJSON.h>

#include "result/result.h"
#include "result/walk.h"

/* The run object o (at the walk's path, "configs[0].runs[1]") into run,
 * which holds the model's "absent" defaults (result_config_add_run's).
 * 0, or -1 after a message. */
int load_run(struct walk *w, const cJSON *o, struct result_run *run);

#endif
