/* report/grid_csv.c - a grid laid out as CSV, a line per row (and group) */
#include "config.h"

#include "report/grid_csv.h"

#include <stdio.h>
#include <stdlib.h>

static bool in_csv(const struct grid_col *c)
{
	return c->formats & GRID_CSV;
}

/* A field, after the first: escaped if it comes from a file. */
static void csv_field(FILE *f, bool first, const char *text, bool escape)
{
	char *esc = escape ? fmt_escape(text, ESCAPE_CSV) : NULL;

	fprintf(f, "%s%s", first ? "" : ",", esc ? esc : text);
	free(esc);
}

/* The fields of one row's columns (of one group, for grouped columns). */
static void csv_cells(FILE *f, const struct grid *g, const struct grid_row *row,
		      bool grouped, size_t group, bool *first)
{
	size_t c;

	for (c = 0; c < g->n_cols; c++) {
		const char *cell;

		if (g->cols[c].grouped != grouped || !in_csv(&g->cols[c]))
			continue;
		cell = grid_cell(g, row, c, group);
		csv_field(f, *first, cell ? cell : "", cell && g->cols[c].escape);
		*first = false;
	}
}

/* The headers of the columns, grouped or not, in CSV. */
static void csv_heads(FILE *f, const struct grid *g, bool grouped, bool *first)
{
	size_t c;

	for (c = 0; c < g->n_cols; c++) {
		if (g->cols[c].grouped != grouped || !in_csv(&g->cols[c]))
			continue;
		csv_field(f, *first, g->cols[c].head ? g->cols[c].head : "", false);
		*first = false;
	}
}

static void csv_head(FILE *f, const struct grid *g)
{
	bool first = true;

	if (g->section_head) {
		csv_field(f, first, g->section_head, false);
		first = false;
	}
	csv_heads(f, g, false, &first);
	if (g->n_groups) {
		csv_field(f, first, g->group_head ? g->group_head : "", false);
		first = false;
		csv_heads(f, g, true, &first);
	}
	fputc('\n', f);
}

void grid_csv(FILE *f, const struct grid *g)
{
	size_t r, k, lead = grid_lead(g);

	csv_head(f, g);
	for (r = 0; r < g->n_rows; r++) {
		const struct grid_row *row = &g->rows[r];

		for (k = 0; k < (g->n_groups ? g->n_groups : 1); k++) {
			bool first = true;

			/* A group without a value in this row has no line. */
			if (g->n_groups && !grid_cell(g, row, lead, k))
				continue;
			if (g->section_head) {
				csv_field(f, first, g->sections[row->section], true);
				first = false;
			}
			csv_cells(f, g, row, false, 0, &first);
			if (g->n_groups) {
				csv_field(f, first, g->groups[k].title, true);
				first = false;
				csv_cells(f, g, row, true, k, &first);
			}
			fputc('\n', f);
		}
	}
}
