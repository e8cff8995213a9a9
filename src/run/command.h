/* run/command.h - the command of a run: started with its output routed, its lines watched */
#ifndef MEMWATCH_COMMAND_H
#define MEMWATCH_COMMAND_H

#include "run/run.h"

struct run;

/* Set up the command's output routes (through memwatch when its lines are
 * watched or a status line must stay clean; nowhere when hidden) and start
 * it. RUN_OK, or the failure with *err_no set. */
enum run_failure command_start(struct run *r, int *err_no);

#endif
