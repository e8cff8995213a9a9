/* util/strv.h - string vectors: NULL-terminated arrays of owned strings
 *
 * The shape of argv and environ, which is what memwatch hands to exec and
 * keeps in its results: a command's arguments, the "VAR=VALUE" settings of
 * a configuration. A vector owns its strings; NULL is an empty vector. */
#ifndef MEMWATCH_STRV_H
#define MEMWATCH_STRV_H

#include <stddef.h>

/* An empty vector that is not NULL (for fields that must be an array). */
char **strv_new(void);

/* How many strings v holds; 0 for NULL. */
size_t strv_len(char *const *v);

/* Put s (now owned by the vector) at index at (at most the length), moving
 * the strings from there up one; the vector grows as needed. */
void strv_insert(char ***v, size_t at, char *s);

/* Append s, now owned by the vector. */
void strv_push(char ***v, char *s);

/* A deep copy of v (an empty vector for NULL). */
char **strv_copy(char *const *v);

/* The strings joined with sep between them, as a new string. */
char *strv_join(char *const *v, const char *sep);

/* The strings as a shell command line that gives them back: each one
 * that a shell would split or expand in single quotes, as a new string. */
char *strv_join_shell(char *const *v);

/* Free the strings and the vector; NULL is fine. */
void strv_free(char **v);

#endif
