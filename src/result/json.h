/* result/json.h - the result file: JSON, schema memwatch-result/1 */
#ifndef MEMWATCH_RESULT_JSON_H
#define MEMWATCH_RESULT_JSON_H

#include <stdio.h>

#include "result/result.h"

/* s to the millisecond, as the file keeps times (finer digits are
 * sampling noise). The loader rounds what it reads the same way, so that a
 * loaded result is what the writer would have written. */
double result_json_ms(double s);

/* Write r to f as one JSON document. Returns 0, or -1 if the output
 * failed (errno set); the caller still closes f. */
int result_json_write(const struct result *r, FILE *f);

#endif
