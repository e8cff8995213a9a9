/* cmd_report.c - placeholder until written */
#include "config.h"
#include "cmd_report.h"
int cmd_report(int argc, char **argv) { (void)argc; (void)argv; return 2; }
