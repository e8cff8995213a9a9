/* report/sparkline.c - the footprint over a run in one line of text, for a terminal */
#include "config.h"

#include "report/sparkline.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char ramp[] = "_.-:=+*#";

char *sparkline(const struct result_series *s, double end_s, size_t width, bool ascii)
{
	double *col, top = 0, last = 0;
	char *out, *p;
	size_t i;

	if (!s->n || !width)
		return NULL;
	if (end_s <= 0)
		end_s = s->t_s[s->n - 1] > 0 ? s->t_s[s->n - 1] : 1;
	col = xcalloc(width, sizeof(*col));
	for (i = 0; i < width; i++)
		col[i] = -1;
	for (i = 0; i < s->n; i++) {
		size_t k = (size_t)(s->t_s[i] / end_s * (double)width);
		double v = (double)s->footprint_bytes[i];

		if (k >= width)
			k = width - 1;
		col[k] = fmax(col[k], v);
		top = fmax(top, v);
	}
	out = p = xcalloc(width * 3 + 1, 1);
	for (i = 0; i < width; i++) {
		int level;

		if (col[i] < 0)
			col[i] = last;
		last = col[i];
		level = top > 0 ? (int)lround(col[i] / top * 7) : 0;
		if (ascii) {
			*p++ = ramp[level];
		} else {
			strcpy(p, blocks[level]);
			p += strlen(blocks[level]);
		}
	}
	free(col);
	return out;
}

/* Whether a locale name (or codeset) names UTF-8: "C.UTF-8", "en_US.utf8". */
static bool names_utf8(const char *name)
{
	char norm[64];
	size_t n = 0;

	for (; *name && n + 1 < sizeof(norm); name++)
		if (*name != '-')
			norm[n++] = (char)tolower((unsigned char)*name);
	norm[n] = '\0';
	return strstr(norm, "utf8") != NULL;
}

bool sparkline_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return names_utf8(v);
	}
	return false;
}
