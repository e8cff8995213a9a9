/* result_json.h - the result file: JSON, schema memwatch-result/1 */
#ifndef MEMWATCH_RESULT_JSON_H
#define MEMWATCH_RESULT_JSON_H

#include <stdio.h>

#include "result.h"

/* Write r to f as one JSON document. Returns 0, or -1 if the output
 * failed (errno set); the caller still closes f. */
int result_json_write(const struct result *r, FILE *f);

#endif
