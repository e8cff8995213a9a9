/* result/message.c - the loader's one-line messages about a result file */
#include "config.h"

#include "result/message.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"

int message_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

char *message_quote(const char *s, size_t len)
{
	char *clean = fmt_utf8_sanitize(s, len), *esc;
	size_t n;

	esc = fmt_escape(clean, ESCAPE_TEXT);
	free(clean);
	n = strlen(esc);
	if (n > 64) {
		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		n = 61;
		while (n > 0 && ((unsigned char)esc[n] & 0xc0) == 0x80)
			n--;
		memcpy(esc + n, "...", 4);
	}
	return esc;
}
