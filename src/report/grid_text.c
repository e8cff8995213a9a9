/* report/grid_text.c - a grid laid out as text, in aligned columns */
#include "config.h"

#include "report/grid_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static bool in_text(const struct grid_col *c)
{
	return c->formats & GRID_TEXT;
}

/* Columns a terminal shows for s: one per UTF-8 character, or per byte. */
static size_t width_of(const char *s, bool bytes)
{
	size_t w = 0;

	if (bytes)
		return strlen(s);
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* A cell as text shows it: escaped, cut, and "-" for no value. Caller
 * frees. */
static char *text_cell(const struct grid_col *c, const char *cell)
{
	char *s = cell ? grid_escape(c, cell, ESCAPE_TEXT) : xstrdup("-");

	if (c->max_bytes && strlen(s) > c->max_bytes)
		s[c->max_bytes] = '\0';
	return s;
}

/* A slot's header: its group's title for a group's lead, else its own. */
static char *text_head(const struct grid *g, const struct grid_slot *s)
{
	const struct grid_col *c = &g->cols[s->col];

	if (c->grouped && s->col == grid_lead(g))
		return grid_group_title(g, s->group, ESCAPE_TEXT);
	return xstrdup(c->text_head ? c->text_head : c->head ? c->head : "");
}

/* Each slot's width: its own, or (fit) that of its widest cell. */
static size_t *text_widths(const struct grid *g, const struct grid_slot *slots, size_t n,
			   char **heads, char ***cells)
{
	size_t *widths = xcalloc(n ? n : 1, sizeof(*widths)), i, r, w;

	for (i = 0; i < n; i++) {
		const struct grid_col *c = &g->cols[slots[i].col];

		widths[i] = c->width;
		if (!c->fit)
			continue;
		for (r = 0; r <= g->n_rows; r++) {
			w = width_of(r < g->n_rows ? cells[r][i] : heads[i], c->pad_bytes);
			if (w > widths[i])
				widths[i] = w;
		}
	}
	return widths;
}

static void pad(FILE *f, const char *s, size_t width, const struct grid_col *c)
{
	size_t w = width_of(s, c->pad_bytes);
	int fill = (int)(width > w ? width - w : 0);

	if (c->align == GRID_RIGHT)
		fprintf(f, "%*s%s", fill, "", s);
	else
		fprintf(f, "%s%*s", s, fill, "");
}

/* One line: the header, or a row. */
static void text_line(FILE *f, const struct grid *g, const struct grid_slot *slots,
		      size_t n, const size_t *widths, char **line)
{
	size_t i;

	fputs(g->indent, f);
	for (i = 0; i < n; i++) {
		const struct grid_col *c = &g->cols[slots[i].col];

		if (!widths[i] && c->drop_empty)
			continue;
		fputs(c->sep ? c->sep : "", f);
		pad(f, line[i], widths[i], c);
	}
	fputc('\n', f);
}

static void free_line(char **line, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(line[i]);
	free(line);
}

void grid_text(FILE *f, const struct grid *g)
{
	struct grid_slot *slots;
	size_t n = grid_slots(g, in_text, &slots), i, r, s;
	char **heads = xcalloc(n ? n : 1, sizeof(*heads));
	char ***cells = xcalloc(g->n_rows ? g->n_rows : 1, sizeof(*cells));
	size_t *widths;

	/* Every cell first, to size the columns. */
	for (i = 0; i < n; i++)
		heads[i] = text_head(g, &slots[i]);
	for (r = 0; r < g->n_rows; r++) {
		cells[r] = xcalloc(n ? n : 1, sizeof(**cells));
		for (i = 0; i < n; i++)
			cells[r][i] = text_cell(&g->cols[slots[i].col],
						grid_cell(g, &g->rows[r], slots[i].col,
							  slots[i].group));
	}
	widths = text_widths(g, slots, n, heads, cells);
	/* Without sections, the rows are one, untitled. */
	for (s = 0; s < (g->section_head ? g->n_sections : 1); s++) {
		if (g->section_head) {
			char *title = fmt_escape(g->sections[s], ESCAPE_TEXT);

			fprintf(f, "\n%s%s\n", g->indent, title);
			free(title);
		}
		text_line(f, g, slots, n, widths, heads);
		for (r = 0; r < g->n_rows; r++)
			if (g->rows[r].section == s)
				text_line(f, g, slots, n, widths, cells[r]);
	}
	for (r = 0; r < g->n_rows; r++)
		free_line(cells[r], n);
	free_line(heads, n);
	free(cells);
	free(widths);
	free(slots);
}
