/* report/sparkline.h - the footprint over a run in one line of text, for a terminal */
#ifndef MEMWATCH_REPORT_SPARKLINE_H
#define MEMWATCH_REPORT_SPARKLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "result/result.h"

/* The series' footprint in width columns, each the highest value within
 * its slice of [0, end_s] (so no peak falls between two), from 0 to the
 * highest: Unicode blocks (▁ to █), or with ascii "_.-:=+*#". A column
 * no point falls in repeats the one before. NULL if the series is empty.
 * Caller frees. */
char *sparkline(const struct result_series *s, double end_s, size_t width, bool ascii);

/* Whether the locale's character set is UTF-8, by the environment as
 * setlocale(3) would read it (LC_ALL, LC_CTYPE, LANG), without changing
 * memwatch's own locale. */
bool sparkline_utf8(void);

#endif
