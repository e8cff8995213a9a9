/* result/message.h - the loader's one-line messages about a result file */
#ifndef MEMWATCH_RESULT_MESSAGE_H
#define MEMWATCH_RESULT_MESSAGE_H

#include <stddef.h>

/* Write a one-line message to err (if errlen is not 0); returns -1 for the
 * caller to return. */
__attribute__((format(printf, 3, 4)))
int message_fail(char *err, size_t errlen, const char *fmt, ...);

/* A string from the file, made fit for a one-line message: valid UTF-8,
 * control bytes escaped, at most about 64 bytes. Caller frees. */
char *message_quote(const char *s, size_t len);

#endif
