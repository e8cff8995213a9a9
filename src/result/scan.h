/* result/scan.h - the JSON text of a result file, checked before cJSON parses it */
#ifndef MEMWATCH_RESULT_SCAN_H
#define MEMWATCH_RESULT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Check that s, from byte start to len, is one JSON document and nothing
 * more, that cJSON reads as it is written. Returns 0, or -1 with a one-line
 * message in err ("truncated (ends at byte 812)", "not JSON (bad escape in
 * a string at line 3, column 12)", "<path>: more than ... entries"). On
 * success *nul is NULL, or the message for the first \u0000 in a string or
 * key ("<path>: ..."), which cJSON would cut the string at: the caller
 * reports it only after checking the schema, so that a newer schema is
 * named as such first, and frees it. */
int scan_json(const char *s, size_t len, size_t start, char **nul,
	      char *err, size_t errlen);

/* Whitespace as JSON has it: space, tab, newline, carriage return. */
bool scan_is_space(char c);

#endif
