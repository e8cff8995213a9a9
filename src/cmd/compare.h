/* cmd/compare.h - memwatch compare: configurations side by side */
#ifndef MEMWATCH_CMD_COMPARE_H
#define MEMWATCH_CMD_COMPARE_H

/* memwatch compare [OPTIONS] [-c CONFIG]... [-- COMMAND [ARG...]] */
int cmd_compare(int argc, char **argv);

#endif
