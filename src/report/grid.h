/* report/grid.h - a table computed once, as a grid of cells, that each output format lays out
 *
 * The commands' tables (compare's and report's configurations side by
 * side, diff's changes) are built once as a grid: columns that say how
 * they align and where they show, and rows of cells. grid_text,
 * grid_markdown and grid_csv only lay it out.
 *
 * Columns marked grouped repeat once per group (the configurations side by
 * side): text and markdown head a group's first column, its lead, with the
 * group's title; CSV writes a line per row and group, the group's title a
 * field of its own, and leaves out a group whose lead cell has no value.
 * Rows may come in sections (a configuration each; a grid with a
 * section_head has them): text heads each section with its title and
 * repeats the header, markdown and CSV make the title a column of its own.
 * On a terminal (text_width) text splits a table too wide for it into
 * blocks, as wide data frames are printed: a group, or a column and the
 * untitled ones after it, is never split, and each block repeats the
 * first column, the row's name. */
#ifndef MEMWATCH_REPORT_GRID_H
#define MEMWATCH_REPORT_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "util/fmt.h"

/* The output formats, as bits. */
enum grid_format {
	GRID_TEXT = 1 << 0,
	GRID_MARKDOWN = 1 << 1,
	GRID_CSV = 1 << 2,
};

enum grid_align {
	GRID_LEFT,
	GRID_RIGHT,
};

struct grid_col {
	const char *head;	/* its header in markdown and CSV */
	const char *text_head;	/* ... in text, if other than head */
	enum grid_align align;
	unsigned formats;	/* GRID_* where it is a column of its own */
	bool grouped;		/* one per group */
	bool escape;		/* its cells come from result files: escaped
				 * for each format */
	/* In markdown, joined to the cell before it as before, cell, after,
	 * when it has a value that is not empty. */
	const char *md_before, *md_after;
	/* In text: */
	const char *sep;	/* what comes before it */
	size_t width;		/* it is at least this wide */
	bool fit;		/* ... and as wide as its widest cell */
	bool drop_empty;	/* left out, separator and all, if that is 0 */
	size_t max_columns;	/* cells cut to this many columns, with an
				 * ellipsis; 0: never */
};

struct grid_group {
	char *title;
	const char *mark;	/* after the title in text and markdown, or NULL */
};

struct grid_row {
	size_t section;
	char **cells;		/* NULL: no value */
};

struct grid {
	const struct grid_col *cols;
	size_t n_cols;
	const char *indent;		/* text: before every line */
	size_t text_width;		/* text: a terminal's columns; a wider
					 * table is laid out in blocks of
					 * columns that fit, each repeating the
					 * first column. 0: one table, however
					 * wide */
	const char *group_head;		/* CSV: the group title's header */
	const char *section_head;	/* markdown, CSV: the section title's;
					 * NULL: the rows have no sections */
	struct grid_group *groups;
	size_t n_groups;
	char **sections;
	size_t n_sections;
	struct grid_row *rows;
	size_t n_rows, cap_rows;
};

/* A grid of the columns cols (which must outlive it); no groups, sections
 * or rows yet. The text has no indent. */
struct grid *grid_new(const struct grid_col *cols, size_t n_cols);
void grid_free(struct grid *g);

/* Add a group; every group comes before the first row. */
void grid_add_group(struct grid *g, const char *title, const char *mark);
/* Start a section: the rows added next belong to it. */
void grid_add_section(struct grid *g, const char *title);
/* Add a row, every cell without a value, to the last section (a grid with
 * sections has one by then); the grid_set calls below fill it. */
void grid_add_row(struct grid *g);

/* Set the last row's cell of column col (of group group, for a grouped
 * column; else group is 0) to a copy of text, or to no value for NULL. */
void grid_set(struct grid *g, size_t col, size_t group, const char *text);
__attribute__((format(printf, 4, 5)))
void grid_setf(struct grid *g, size_t col, size_t group, const char *fmt, ...);

/* A row's cell; NULL: no value. */
const char *grid_cell(const struct grid *g, const struct grid_row *row, size_t col,
		      size_t group);

/* One column of the grid as a format lays it out: a column, and its group
 * if it is grouped. */
struct grid_slot {
	size_t col, group;
};

/* The slots of the columns for which want(column) holds: the ungrouped
 * columns first, then each group's. Returns how many; free *slots. */
size_t grid_slots(const struct grid *g, bool (*want)(const struct grid_col *c),
		  struct grid_slot **slots);

/* The groups' lead: the first grouped column (n_cols if there is none). */
size_t grid_lead(const struct grid *g);

/* A group's title as a format heads its lead: escaped, and its mark.
 * Caller frees. */
char *grid_group_title(const struct grid *g, size_t group, enum fmt_escape how);

/* text escaped as how, if the column's cells come from files; else a copy. */
char *grid_escape(const struct grid_col *c, const char *text, enum fmt_escape how);

#endif
