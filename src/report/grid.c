/* report/grid.c - a table computed once, as a grid of cells, that each output format lays out */
#include "config.h"

#include "report/grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct grid *grid_new(const struct grid_col *cols, size_t n_cols)
{
	struct grid *g = xcalloc(1, sizeof(*g));

	g->cols = cols;
	g->n_cols = n_cols;
	g->indent = "";
	return g;
}

/* How many cells a row has: a grouped column has one per group. */
static size_t cells_per_row(const struct grid *g)
{
	return g->n_cols * (g->n_groups ? g->n_groups : 1);
}

void grid_free(struct grid *g)
{
	size_t i, j;

	if (!g)
		return;
	for (i = 0; i < g->n_rows; i++) {
		for (j = 0; j < cells_per_row(g); j++)
			free(g->rows[i].cells[j]);
		free(g->rows[i].cells);
	}
	for (i = 0; i < g->n_groups; i++)
		free(g->groups[i].title);
	for (i = 0; i < g->n_sections; i++)
		free(g->sections[i]);
	free(g->rows);
	free(g->groups);
	free(g->sections);
	free(g);
}

void grid_add_group(struct grid *g, const char *title, const char *mark)
{
	g->groups = xreallocarray(g->groups, g->n_groups + 1, sizeof(*g->groups));
	g->groups[g->n_groups].title = xstrdup(title);
	g->groups[g->n_groups].mark = mark;
	g->n_groups++;
}

void grid_add_section(struct grid *g, const char *title)
{
	g->sections = xreallocarray(g->sections, g->n_sections + 1, sizeof(*g->sections));
	g->sections[g->n_sections++] = xstrdup(title);
}

void grid_add_row(struct grid *g)
{
	struct grid_row *row;

	xgrow(&g->rows, &g->cap_rows, g->n_rows + 1, sizeof(*g->rows));
	row = &g->rows[g->n_rows++];
	row->section = g->n_sections ? g->n_sections - 1 : 0;
	row->cells = xcalloc(cells_per_row(g), sizeof(*row->cells));
}

/* Where a cell is in its row. */
static size_t cell_index(const struct grid *g, size_t col, size_t group)
{
	return col * (g->n_groups ? g->n_groups : 1) + (g->cols[col].grouped ? group : 0);
}

void grid_set(struct grid *g, size_t col, size_t group, const char *text)
{
	char **cell = &g->rows[g->n_rows - 1].cells[cell_index(g, col, group)];

	free(*cell);
	*cell = text ? xstrdup(text) : NULL;
}

void grid_setf(struct grid *g, size_t col, size_t group, const char *fmt, ...)
{
	char **cell = &g->rows[g->n_rows - 1].cells[cell_index(g, col, group)];
	va_list ap;
	int n;

	free(*cell);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	*cell = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(*cell, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
}

const char *grid_cell(const struct grid *g, const struct grid_row *row, size_t col,
		      size_t group)
{
	return row->cells[cell_index(g, col, group)];
}

size_t grid_slots(const struct grid *g, bool (*want)(const struct grid_col *c),
		  struct grid_slot **slots)
{
	size_t n = 0, c, k;

	*slots = xcalloc(cells_per_row(g), sizeof(**slots));
	for (c = 0; c < g->n_cols; c++)
		if (!g->cols[c].grouped && want(&g->cols[c]))
			(*slots)[n++] = (struct grid_slot){ c, 0 };
	for (k = 0; k < g->n_groups; k++)
		for (c = 0; c < g->n_cols; c++)
			if (g->cols[c].grouped && want(&g->cols[c]))
				(*slots)[n++] = (struct grid_slot){ c, k };
	return n;
}

size_t grid_lead(const struct grid *g)
{
	size_t c;

	for (c = 0; c < g->n_cols && !g->cols[c].grouped; c++)
		;
	return c;
}

char *grid_group_title(const struct grid *g, size_t group, enum fmt_escape how)
{
	char *title = fmt_escape(g->groups[group].title, how), *shown;

	if (!g->groups[group].mark)
		return title;
	shown = xasprintf("%s%s", title, g->groups[group].mark);
	free(title);
	return shown;
}

char *grid_escape(const struct grid_col *c, const char *text, enum fmt_escape how)
{
	return c->escape ? fmt_escape(text, how) : xstrdup(text);
}
