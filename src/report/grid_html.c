/* report/grid_html.c - a grid laid out as an HTML table */
#include "config.h"

#include "report/grid_html.h"

#include <stdlib.h>
#include <string.h>

#include "report/svg.h"

static bool in_html(const struct grid_col *c)
{
	return (c->formats & GRID_MARKDOWN) || c->md_before;
}

static bool own_column(const struct grid *g, const struct grid_slot *s)
{
	return g->cols[s->col].formats & GRID_MARKDOWN;
}

/* A cell's text: control bytes escaped as in text, then for HTML. */
static void cell_text(FILE *f, const struct grid_col *c, const char *text)
{
	char *esc = grid_escape(c, text, ESCAPE_TEXT);

	svg_text(f, esc);
	free(esc);
}

/* A joined column's markdown before or after its part, in HTML: its
 * text as it is, and markdown's bold, "**", as tag. */
static void html_markup(FILE *f, const char *md, const char *tag)
{
	const char *bold;

	for (; md && (bold = strstr(md, "**")); md = bold + 2) {
		fwrite(md, 1, (size_t)(bold - md), f);
		fputs(tag, f);
	}
	if (md)
		fputs(md, f);
}

/* The header row: the section's title, each column's head, a group's
 * title over its lead. */
static void html_head(FILE *f, const struct grid *g, const struct grid_slot *slots, size_t n)
{
	size_t i;

	fputs("<thead><tr>", f);
	if (g->section_head) {
		fputs("<th>", f);
		svg_text(f, g->section_head);
		fputs("</th>", f);
	}
	for (i = 0; i < n; i++) {
		const struct grid_col *c = &g->cols[slots[i].col];

		if (!own_column(g, &slots[i]))
			continue;
		fputs(c->align == GRID_RIGHT ? "<th class=\"r\">" : "<th>", f);
		if (c->grouped && slots[i].col == grid_lead(g)) {
			char *title = grid_group_title(g, slots[i].group, ESCAPE_TEXT);

			svg_text(f, title);
			free(title);
		} else {
			svg_text(f, c->head ? c->head : "");
		}
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n", f);
}

/* The cell of slots[i], and those joined to it. */
static void html_cell(FILE *f, const struct grid *g, const struct grid_row *row,
		      const struct grid_slot *slots, size_t n, size_t i)
{
	const struct grid_col *c = &g->cols[slots[i].col];
	const char *cell = grid_cell(g, row, slots[i].col, slots[i].group);
	size_t j;

	fputs(c->align == GRID_RIGHT ? "<td class=\"r\">" : "<td>", f);
	if (!cell) {
		fputs("–</td>", f);
		return;
	}
	cell_text(f, c, cell);
	for (j = i + 1; j < n && !own_column(g, &slots[j]); j++) {
		const struct grid_col *jc = &g->cols[slots[j].col];
		const char *part = grid_cell(g, row, slots[j].col, slots[j].group);
		bool below = jc->md_before && !strncmp(jc->md_before, "<br>", 4);

		if (!part || !*part)
			continue;
		if (below) {
			fputs("<br><small>", f);
			cell_text(f, jc, part);
			fputs("</small>", f);
			continue;
		}
		html_markup(f, jc->md_before, "<b>");
		cell_text(f, jc, part);
		html_markup(f, jc->md_after, "</b>");
	}
	fputs("</td>", f);
}

void grid_html(FILE *f, const struct grid *g)
{
	struct grid_slot *slots;
	size_t n = grid_slots(g, in_html, &slots), i, r;

	fputs("<table>\n", f);
	html_head(f, g, slots, n);
	fputs("<tbody>\n", f);
	for (r = 0; r < g->n_rows; r++) {
		fputs("<tr>", f);
		if (g->section_head) {
			fputs("<td>", f);
			svg_text(f, g->sections[g->rows[r].section]);
			fputs("</td>", f);
		}
		for (i = 0; i < n; i++)
			if (own_column(g, &slots[i]))
				html_cell(f, g, &g->rows[r], slots, n, i);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	free(slots);
}
