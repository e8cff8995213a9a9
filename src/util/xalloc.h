/* util/xalloc.h - allocation that never returns NULL, for the CLI tool */
#ifndef MEMWATCH_XALLOC_H
#define MEMWATCH_XALLOC_H

#include <stddef.h>

/* Each returns memory the caller frees with free(); on exhaustion or size
 * overflow they print one line and exit with EXIT_MEMWATCH_FAILED. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *array (of *cap elements of elem_size bytes) so that it holds at
 * least need elements; doubles, so appends are amortized O(1). */
void xgrow(void *array_ptr, size_t *cap, size_t need, size_t elem_size);

#endif
