/* report/grid_markdown.h - a grid laid out as a GitHub-flavoured markdown table */
#ifndef MEMWATCH_REPORT_GRID_MARKDOWN_H
#define MEMWATCH_REPORT_GRID_MARKDOWN_H

#include <stdio.h>

#include "report/grid.h"

/* The grid as a GitHub-flavoured markdown table: the header, the line that
 * aligns the columns, a line per row; every cell from a file escaped. */
void grid_markdown(FILE *f, const struct grid *g);

#endif
