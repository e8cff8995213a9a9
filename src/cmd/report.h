/* cmd/report.h - memwatch report: result files re-rendered and merged */
#ifndef MEMWATCH_CMD_REPORT_H
#define MEMWATCH_CMD_REPORT_H

int cmd_report(int argc, char **argv);

#endif
