/* report/grid_html.h - a grid laid out as an HTML table */
#ifndef MEMWATCH_REPORT_GRID_HTML_H
#define MEMWATCH_REPORT_GRID_HTML_H

#include <stdio.h>

#include "report/grid.h"

/* The columns markdown shows, as a <table>: a cell joined to the one
 * before it in markdown follows it in the same cell, in bold, or under it
 * in small type where markdown breaks the line. Every cell escaped. */
void grid_html(FILE *f, const struct grid *g);

#endif
