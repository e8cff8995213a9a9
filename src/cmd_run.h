/* cmd_run.h - the default command: measure one command or process */
#ifndef MEMWATCH_CMD_RUN_H
#define MEMWATCH_CMD_RUN_H

/* memwatch [OPTIONS] -- COMMAND [ARG...]; returns the exit status. */
int cmd_run(int argc, char **argv);

/* Map a finished measurement to memwatch's exit status (exitcode.h). */
struct result_run;
int cmd_run_exit_status(const struct result_run *run);

#endif
