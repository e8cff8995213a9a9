/* report/grid_markdown.c - a grid laid out as a GitHub-flavoured markdown table */
#include "config.h"

#include "report/grid_markdown.h"

#include <stdio.h>
#include <stdlib.h>

/* A column of its own, or one joined to the cell before it. */
static bool in_markdown(const struct grid_col *c)
{
	return (c->formats & GRID_MARKDOWN) || c->md_before;
}

static bool own_column(const struct grid *g, const struct grid_slot *s)
{
	return g->cols[s->col].formats & GRID_MARKDOWN;
}

/* The header and the line under it, which aligns the columns. */
static void md_head(FILE *f, const struct grid *g, const struct grid_slot *slots, size_t n)
{
	size_t i;

	fputc('|', f);
	if (g->section_head)
		fprintf(f, " %s |", g->section_head);
	for (i = 0; i < n; i++) {
		const struct grid_col *c = &g->cols[slots[i].col];
		char *title;

		if (!own_column(g, &slots[i]))
			continue;
		if (c->grouped && slots[i].col == grid_lead(g)) {
			title = grid_group_title(g, slots[i].group, ESCAPE_MARKDOWN);
			fprintf(f, " %s |", title);
			free(title);
		} else {
			fprintf(f, " %s |", c->head ? c->head : "");
		}
	}
	fputs("\n|", f);
	if (g->section_head)
		fputs("---|", f);
	for (i = 0; i < n; i++)
		if (own_column(g, &slots[i]))
			fputs(g->cols[slots[i].col].align == GRID_RIGHT ? "---:|" : "---|", f);
	fputc('\n', f);
}

/* The cell of slots[i], and those of the columns joined to it after it. */
static void md_cell(FILE *f, const struct grid *g, const struct grid_row *row,
		    const struct grid_slot *slots, size_t n, size_t i)
{
	const char *cell = grid_cell(g, row, slots[i].col, slots[i].group);
	char *esc;
	size_t j;

	if (!cell) {
		fputs(" – |", f);
		return;
	}
	esc = grid_escape(&g->cols[slots[i].col], cell, ESCAPE_MARKDOWN);
	fprintf(f, " %s", esc);
	free(esc);
	for (j = i + 1; j < n && !own_column(g, &slots[j]); j++) {
		const struct grid_col *c = &g->cols[slots[j].col];
		const char *part = grid_cell(g, row, slots[j].col, slots[j].group);

		if (!part || !*part)
			continue;
		esc = grid_escape(c, part, ESCAPE_MARKDOWN);
		fprintf(f, "%s%s%s", c->md_before, esc, c->md_after ? c->md_after : "");
		free(esc);
	}
	fputs(" |", f);
}

void grid_markdown(FILE *f, const struct grid *g)
{
	struct grid_slot *slots;
	size_t n = grid_slots(g, in_markdown, &slots), i, r;

	md_head(f, g, slots, n);
	for (r = 0; r < g->n_rows; r++) {
		fputc('|', f);
		if (g->section_head) {
			char *title = fmt_escape(g->sections[g->rows[r].section], ESCAPE_MARKDOWN);

			fprintf(f, " %s |", title);
			free(title);
		}
		for (i = 0; i < n; i++)
			if (own_column(g, &slots[i]))
				md_cell(f, g, &g->rows[r], slots, n, i);
		fputc('\n', f);
	}
	free(slots);
}
