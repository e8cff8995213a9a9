/* report/fit.c - text fitted to a terminal's width: folded between cells, cut with an ellipsis */
#include "config.h"

#include "report/fit.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

size_t fit_columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

char *fit_cut(char *s, size_t max)
{
	size_t n = 0, i;
	char *cut;

	if (fit_columns(s) <= max || max < 2)
		return s;
	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++n == max)
			break;
	cut = xasprintf("%.*s…", (int)i, s);
	free(s);
	return cut;
}

/* Where to fold line (of more than width columns): the byte offset of
 * the last run of two spaces, a gap between cells, that starts within
 * width columns and after the line's first cell; else of the last space
 * between words there; 0 if there is neither. */
static size_t fold_at(const char *line, size_t len, size_t width)
{
	size_t i, cols = 0, gap = 0, space = 0, lead = strspn(line, " ");

	for (i = 0; i + 1 < len && cols < width; i++) {
		if (i > lead + 8 && line[i] == ' ' && line[i - 1] != ' ') {
			space = i;
			if (line[i + 1] == ' ')
				gap = i;
		}
		cols += ((unsigned char)line[i] & 0xC0) != 0x80;
	}
	return gap ? gap : space;
}

/* One line of the report, folded between its cells to fit width columns;
 * the rest of a cut line continues indented, and a part with no gap left
 * to fold at ends with an ellipsis. */
static void put_folded(FILE *f, const char *line, size_t len, size_t width)
{
	const char *indent = "        ";
	size_t at;
	char *part = xstrndup(line, len), *cut;

	while (fit_columns(part) > width && (at = fold_at(part, strlen(part), width))) {
		char *rest = part + at + strspn(part + at, " ");

		fprintf(f, "%.*s\n", (int)at, part);
		cut = xasprintf("%s%s", indent, rest);
		free(part);
		part = cut;
	}
	part = fit_cut(part, width);
	fprintf(f, "%s\n", part);
	free(part);
}

void fit_text(FILE *f, const char *text, size_t width)
{
	const char *p, *nl;

	for (p = text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		put_folded(f, p, (size_t)(nl - p), width);
		if (!*nl)
			break;
	}
}
