/* report/grid_text.c - a grid laid out as text, in aligned columns */
#include "config.h"

#include "report/grid_text.h"

#include <stdio.h>
#include <stdlib.h>

#include "report/fit.h"
#include "util/xalloc.h"

/* On a terminal the first column, the rows' names, is cut to leave room
 * for the widest group beside it, but never below this many columns. */
#define GRID_TEXT_MIN_KEY 12

/* The grid as text lays it out: its slots, their header and cells as
 * shown, their widths, and the blocks they go in: block k holds the
 * first slot and the slots from bounds[k] up to bounds[k + 1]. */
struct grid_text_layout {
	struct grid_slot *slots;
	size_t n;
	char **heads;
	char ***cells;		/* per row, per slot */
	size_t *widths;
	size_t *bounds;
	size_t n_blocks;
};

static bool in_text(const struct grid_col *c)
{
	return c->formats & GRID_TEXT;
}

/* A cell as text shows it: escaped, cut, and "-" for no value. Caller
 * frees. */
static char *text_cell(const struct grid_col *c, const char *cell)
{
	char *s = cell ? grid_escape(c, cell, ESCAPE_TEXT) : xstrdup("-");

	if (c->max_columns)
		s = fit_cut(s, c->max_columns);
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

/* Each slot's width: its own, or (fit) that of its widest cell; in
 * columns as a terminal shows them, never in bytes, so that a "Σ" or a
 * "±" does not pull its row out of line. */
static void text_widths(const struct grid *g, struct grid_text_layout *l)
{
	size_t i, r, w;

	l->widths = xcalloc(l->n ? l->n : 1, sizeof(*l->widths));
	for (i = 0; i < l->n; i++) {
		const struct grid_col *c = &g->cols[l->slots[i].col];

		l->widths[i] = c->width;
		if (!c->fit)
			continue;
		for (r = 0; r <= g->n_rows; r++) {
			w = fit_columns(r < g->n_rows ? l->cells[r][i] : l->heads[i]);
			if (w > l->widths[i])
				l->widths[i] = w;
		}
	}
}

/* The columns slot i takes on a line, its separator included. */
static size_t slot_width(const struct grid *g, const struct grid_text_layout *l, size_t i)
{
	const struct grid_col *c = &g->cols[l->slots[i].col];

	if (!l->widths[i] && c->drop_empty)
		return 0;
	return fit_columns(c->sep ? c->sep : "") + l->widths[i];
}

/* Whether slot i (not the first) starts what a block keeps whole: a
 * group, or a column with a header and the untitled ones after it. */
static bool starts_unit(const struct grid *g, const struct grid_text_layout *l, size_t i)
{
	const struct grid_slot *s = &l->slots[i], *prev = &l->slots[i - 1];

	if (g->cols[s->col].grouped)
		return !g->cols[prev->col].grouped || prev->group != s->group;
	return *l->heads[i] != '\0';
}

/* The columns of the unit that starts at slot i; *end: the slot after it. */
static size_t unit_width(const struct grid *g, const struct grid_text_layout *l, size_t i,
			 size_t *end)
{
	size_t w = slot_width(g, l, i);

	for (i++; i < l->n && !starts_unit(g, l, i); i++)
		w += slot_width(g, l, i);
	*end = i;
	return w;
}

/* The first column cut to key columns, its width with it. */
static void cut_key(const struct grid *g, struct grid_text_layout *l, size_t key)
{
	size_t r;

	if (l->widths[0] <= key)
		return;
	l->heads[0] = fit_cut(l->heads[0], key);
	for (r = 0; r < g->n_rows; r++)
		l->cells[r][0] = fit_cut(l->cells[r][0], key);
	l->widths[0] = key;
}

/* The blocks: one, unless the lines are wider than a terminal's
 * text_width; then as many units as fit beside the first column in each,
 * the first column cut if even the widest unit does not fit beside it
 * (but for one that would not fit beside any). */
static void text_blocks(const struct grid *g, struct grid_text_layout *l)
{
	size_t indent = fit_columns(g->indent), total = indent, widest = 0;
	size_t i, end, w, sep, room, used = 0;

	l->bounds = xcalloc(l->n + 2, sizeof(*l->bounds));
	l->bounds[0] = l->n ? 1 : 0;
	l->bounds[1] = l->n;
	l->n_blocks = 1;
	for (i = 0; i < l->n; i++)
		total += slot_width(g, l, i);
	if (!g->text_width || l->n < 2 || total <= g->text_width)
		return;
	sep = slot_width(g, l, 0) - l->widths[0];
	/* A unit too wide for the terminal beside even the shortest first
	 * column is folded whatever is cut: it leaves the others alone. */
	room = g->text_width > indent + sep + GRID_TEXT_MIN_KEY ?
	       g->text_width - indent - sep - GRID_TEXT_MIN_KEY : 0;
	for (i = 1; i < l->n; i = end)
		if ((w = unit_width(g, l, i, &end)) > widest && w <= room)
			widest = w;
	if (indent + sep + l->widths[0] + widest > g->text_width)
		cut_key(g, l, g->text_width > indent + sep + widest + GRID_TEXT_MIN_KEY ?
			g->text_width - indent - sep - widest : GRID_TEXT_MIN_KEY);
	w = indent + slot_width(g, l, 0);
	room = g->text_width > w ? g->text_width - w : 0;
	l->n_blocks = 0;
	for (i = 1; i < l->n; i = end) {
		w = unit_width(g, l, i, &end);
		if (used && used + w > room) {
			l->bounds[++l->n_blocks] = i;
			used = 0;
		}
		used += w;
	}
	l->bounds[++l->n_blocks] = l->n;
}

static void pad(FILE *f, const char *s, size_t width, const struct grid_col *c)
{
	size_t w = fit_columns(s);
	int fill = (int)(width > w ? width - w : 0);

	if (c->align == GRID_RIGHT)
		fprintf(f, "%*s%s", fill, "", s);
	else
		fprintf(f, "%s%*s", s, fill, "");
}

/* One slot of a line. */
static void text_slot(FILE *f, const struct grid *g, const struct grid_text_layout *l,
		      size_t i, char **line)
{
	const struct grid_col *c = &g->cols[l->slots[i].col];

	if (!l->widths[i] && c->drop_empty)
		return;
	fputs(c->sep ? c->sep : "", f);
	pad(f, line[i], l->widths[i], c);
}

/* One line of block b: the header, or a row. */
static void text_line(FILE *f, const struct grid *g, const struct grid_text_layout *l,
		      size_t b, char **line)
{
	size_t i;

	fputs(g->indent, f);
	if (l->n)
		text_slot(f, g, l, 0, line);
	for (i = l->bounds[b]; i < l->bounds[b + 1]; i++)
		text_slot(f, g, l, i, line);
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
	struct grid_text_layout l = { 0 };
	size_t i, r, s, b;

	/* Every cell first, to size the columns. */
	l.n = grid_slots(g, in_text, &l.slots);
	l.heads = xcalloc(l.n ? l.n : 1, sizeof(*l.heads));
	l.cells = xcalloc(g->n_rows ? g->n_rows : 1, sizeof(*l.cells));
	for (i = 0; i < l.n; i++)
		l.heads[i] = text_head(g, &l.slots[i]);
	for (r = 0; r < g->n_rows; r++) {
		l.cells[r] = xcalloc(l.n ? l.n : 1, sizeof(**l.cells));
		for (i = 0; i < l.n; i++)
			l.cells[r][i] = text_cell(&g->cols[l.slots[i].col],
						  grid_cell(g, &g->rows[r], l.slots[i].col,
							    l.slots[i].group));
	}
	text_widths(g, &l);
	text_blocks(g, &l);
	/* Without sections, the rows are one, untitled. */
	for (s = 0; s < (g->section_head ? g->n_sections : 1); s++) {
		if (g->section_head) {
			char *title = fmt_escape(g->sections[s], ESCAPE_TEXT);

			fprintf(f, "\n%s%s\n", g->indent, title);
			free(title);
		}
		for (b = 0; b < l.n_blocks; b++) {
			if (b)
				fputc('\n', f);
			text_line(f, g, &l, b, l.heads);
			for (r = 0; r < g->n_rows; r++)
				if (g->rows[r].section == s)
					text_line(f, g, &l, b, l.cells[r]);
		}
	}
	for (r = 0; r < g->n_rows; r++)
		free_line(l.cells[r], l.n);
	free_line(l.heads, l.n);
	free(l.cells);
	free(l.widths);
	free(l.bounds);
	free(l.slots);
}
