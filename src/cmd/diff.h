/* cmd/diff.h - memwatch diff: two results, deltas, CI thresholds */
#ifndef MEMWATCH_CMD_DIFF_H
#define MEMWATCH_CMD_DIFF_H

int cmd_diff(int argc, char **argv);

#endif
