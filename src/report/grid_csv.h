/* report/grid_csv.h - a grid laid out as CSV, a line per row (and group) */
#ifndef MEMWATCH_REPORT_GRID_CSV_H
#define MEMWATCH_REPORT_GRID_CSV_H

#include <stdio.h>

#include "report/grid.h"

/* The grid as CSV: the header, and a line per row, or per row and group
 * where the group's lead has a value. */
void grid_csv(FILE *f, const struct grid *g);

#endif
