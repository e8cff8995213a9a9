/* report/grid_text.h - a grid laid out as text, in aligned columns */
#ifndef MEMWATCH_REPORT_GRID_TEXT_H
#define MEMWATCH_REPORT_GRID_TEXT_H

#include <stdio.h>

#include "report/grid.h"

/* The grid as text: aligned columns, each section headed by a blank line,
 * its title and the header (a grid without sections: the header, once). */
void grid_text(FILE *f, const struct grid *g);

#endif
