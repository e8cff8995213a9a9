/* util/strv.c - string vectors: NULL-terminated arrays of owned strings */
#include "config.h"

#include "util/strv.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

char **strv_new(void)
{
	return xcalloc(1, sizeof(char *));
}

size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

void strv_insert(char ***v, size_t at, char *s)
{
	size_t n = strv_len(*v);

	/* Vectors are short (a command line, a few settings): growing by one
	 * keeps them plain arrays that exec and the result model take as is. */
	*v = xreallocarray(*v, n + 2, sizeof(**v));
	if (at > n)
		at = n;
	memmove(*v + at + 1, *v + at, (n - at) * sizeof(**v));
	(*v)[at] = s;
	(*v)[n + 1] = NULL;
}

void strv_push(char ***v, char *s)
{
	strv_insert(v, strv_len(*v), s);
}

char **strv_copy(char *const *v)
{
	size_t n = strv_len(v), i;
	char **c = xcalloc(n + 1, sizeof(*c));

	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

/* Whether s reads as itself to a shell, unquoted. */
static bool shell_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_@%+=:,./-", *s))
			return false;
	return true;
}

char *strv_join_shell(char *const *v)
{
	size_t len = 1, i, off = 0;
	const char *p;
	char *s;

	/* At most 4 bytes for each byte ('\'' for a quote), 3 for the
	 * quotes and the space. */
	for (i = 0; v && v[i]; i++)
		len += 4 * strlen(v[i]) + 3;
	s = xmalloc(len);
	for (i = 0; v && v[i]; i++) {
		if (i)
			s[off++] = ' ';
		if (shell_plain(v[i])) {
			off += (size_t)sprintf(s + off, "%s", v[i]);
			continue;
		}
		s[off++] = '\'';
		for (p = v[i]; *p; p++) {
			if (*p == '\'') {
				memcpy(s + off, "'\\''", 4);
				off += 4;
			} else {
				s[off++] = *p;
			}
		}
		s[off++] = '\'';
	}
	s[off] = '\0';
	return s;
}

char *strv_join(char *const *v, const char *sep)
{
	size_t len = 1, seplen = strlen(sep), i, off = 0;
	char *s;

	for (i = 0; v && v[i]; i++)
		len += strlen(v[i]) + (i ? seplen : 0);
	s = xmalloc(len);
	for (i = 0; v && v[i]; i++) {
		size_t n = strlen(v[i]);

		if (i) {
			memcpy(s + off, sep, seplen);
			off += seplen;
		}
		memcpy(s + off, v[i], n);
		off += n;
	}
	s[off] = '\0';
	return s;
}

void strv_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}
