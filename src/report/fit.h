/* report/fit.h - text fitted to a terminal's width: folded between cells, cut with an ellipsis */
#ifndef MEMWATCH_REPORT_FIT_H
#define MEMWATCH_REPORT_FIT_H

#include <stddef.h>
#include <stdio.h>

/* The columns s takes on a terminal: its characters, not its bytes. */
size_t fit_columns(const char *s);

/* s (freed) cut to at most max columns, the last of them an ellipsis,
 * never inside a UTF-8 character, as a new string; s itself if it fits
 * (or max is below 2). */
char *fit_cut(char *s, size_t max);

/* text written to f with each line folded to width columns between its
 * cells (runs of two spaces), else between words; what cannot fold ends
 * with an ellipsis. */
void fit_text(FILE *f, const char *text, size_t width);

#endif
