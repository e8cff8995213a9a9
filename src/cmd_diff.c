/* cmd_diff.c - placeholder until written */
#include "config.h"
#include "cmd_diff.h"
int cmd_diff(int argc, char **argv) { (void)argc; (void)argv; return 2; }
