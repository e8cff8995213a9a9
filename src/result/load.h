/* result/load.h - loading a result file (schema memwatch-result/1) back */
#ifndef MEMWATCH_RESULT_LOAD_H
#define MEMWATCH_RESULT_LOAD_H

#include <stddef.h>

#include "result/result.h"

/* Files larger than this are refused before they are read whole. */
#define RESULT_LOAD_MAX_BYTES (256u << 20)
/* No array or object in a result holds more entries than this. */
#define RESULT_LOAD_MAX_ENTRIES 10000000

/* Load a result file into r (zeroed by the caller); path "-" reads standard
 * input. Returns 0, or -1 with a one-line message (no trailing newline, no
 * "memwatch:" prefix, no file name: the caller adds those) in err, e.g.
 * "not JSON (unexpected text at line 3, column 12)", "truncated (ends at
 * byte 812)", "not a memwatch result (no \"schema\")", "schema
 * memwatch-result/2 is newer than this memwatch reads (memwatch-result/1)",
 * "configs[1].runs[0].peak.footprint_bytes: -5 is not a byte count (a whole
 * number from 0 to 2^53)". Only the keys of the schema's minimum
 * (memwatch(1), MEMWATCH REPORT) are required ("<path>: missing"); any other key the writer
 * writes may be absent, and the model then holds its "absent" default (-1
 * for a time or status that can be null, NaN idle drift, NULL strings, 0
 * sizes and counts, host name and arch "unknown"), but if present it is
 * checked as strictly. On failure r is left zeroed. On success the
 * caller frees r with result_free. Strings are valid UTF-8 (bytes that were
 * not are the text "\xNN"); a string holding \u0000 is refused, since C
 * strings would silently end there. */
int result_load_file(const char *path, struct result *r, char *err, size_t errlen);

/* The same for a document already in memory (len bytes, need not be
 * NUL-terminated). */
int result_load_text(const char *text, size_t len, struct result *r, char *err,
		     size_t errlen);

#endif
