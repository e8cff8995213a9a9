/* test_grid.c - one grid of cells, laid out as text, markdown and CSV */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/grid.h"
#include "report/grid_csv.h"
#include "report/grid_markdown.h"
#include "report/grid_text.h"
#include "tap.h"

/* What a layout writes for g. Caller frees. */
static char *laid_out(void (*layout)(FILE *, const struct grid *), const struct grid *g)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	layout(f, g);
	fclose(f);
	return text;
}

static void is_layout(void (*layout)(FILE *, const struct grid *), const struct grid *g,
		      const char *want, const char *desc)
{
	char *got = laid_out(layout, g);

	if (!is_str(got, want, "%s", desc))
		printf("# got:\n%s", got);
	free(got);
}

/* Configurations side by side: a group of columns each. */
enum { KEY, TITLE, VALUE, CHANGE, NOTE, NUMBER };

static const struct grid_col side_by_side[] = {
	[KEY] = { .head = "key", .formats = GRID_CSV, .escape = true },
	[TITLE] = { .head = "Title", .text_head = "", .formats = GRID_TEXT | GRID_MARKDOWN,
		    .escape = true, .width = 4, .fit = true },
	[VALUE] = { .align = GRID_RIGHT, .formats = GRID_TEXT | GRID_MARKDOWN, .grouped = true,
		    .sep = "  ", .fit = true },
	[CHANGE] = { .align = GRID_RIGHT, .formats = GRID_TEXT, .grouped = true,
		     .md_before = " **", .md_after = "**", .sep = " ", .fit = true,
		     .drop_empty = true },
	[NOTE] = { .grouped = true, .escape = true, .md_before = "<br>" },
	[NUMBER] = { .head = "number", .formats = GRID_CSV, .grouped = true },
};

static void test_groups(void)
{
	struct grid *g = grid_new(side_by_side, sizeof(side_by_side) / sizeof(side_by_side[0]));

	g->group_head = "config";
	grid_add_group(g, "a|b", NULL);
	grid_add_group(g, "c,d", " (!)");
	grid_add_row(g);
	grid_set(g, KEY, 0, "k1");
	grid_set(g, TITLE, 0, "Σ one");
	grid_set(g, VALUE, 0, "1 MiB");
	grid_set(g, CHANGE, 0, "");
	grid_set(g, NUMBER, 0, "1048576");
	grid_set(g, VALUE, 1, "2 MiB");
	grid_setf(g, CHANGE, 1, "%+.1f%%", 100.0);
	grid_set(g, NOTE, 1, "n*");
	grid_set(g, NUMBER, 1, "2097152");
	grid_add_row(g);
	grid_set(g, KEY, 0, "k2");
	grid_set(g, TITLE, 0, "two");
	grid_set(g, CHANGE, 0, "");
	grid_set(g, VALUE, 1, "3 s");
	grid_set(g, CHANGE, 1, "");
	grid_set(g, NUMBER, 1, "3");
	is_layout(grid_text, g,
		  "         a|b  c,d (!)        \n"
		  "Σ one  1 MiB    2 MiB +100.0%\n"
		  "two        -      3 s        \n",
		  "text: widths in characters, the group's title over its lead, no value is -, "
		  "an empty column left out");
	is_layout(grid_markdown, g,
		  "| Title | a\\|b | c,d (!) |\n"
		  "|---|---:|---:|\n"
		  "| Σ one | 1 MiB | 2 MiB **+100.0%**<br>n\\* |\n"
		  "| two | – | 3 s |\n",
		  "markdown: joined cells, escapes, no value is –");
	is_layout(grid_csv, g,
		  "key,config,number\n"
		  "k1,a|b,1048576\n"
		  "k1,\"c,d\",2097152\n"
		  "k2,\"c,d\",3\n",
		  "CSV: a line per row and group with a value, the group's title a field");
	grid_free(g);
}

/* One table per section, fixed widths in columns as a terminal shows
 * them (a "µ" is two bytes and one column). */
static const struct grid_col fixed[] = {
	{ .head = "Name", .text_head = "NAME", .formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV,
	  .escape = true, .width = 6, .max_columns = 6 },
	{ .head = "Value", .text_head = "VALUE", .align = GRID_RIGHT,
	  .formats = GRID_TEXT | GRID_MARKDOWN | GRID_CSV, .sep = " ", .width = 5 },
	{ .head = "Unit", .text_head = "", .formats = GRID_TEXT | GRID_CSV, .md_before = " (",
	  .md_after = ")", .sep = " ", .width = 2 },
};

static void test_sections(void)
{
	struct grid *g = grid_new(fixed, sizeof(fixed) / sizeof(fixed[0]));

	g->indent = "  ";
	g->section_head = "Section";
	is_layout(grid_text, g, "", "text: a grid with sections but none is empty");
	grid_add_section(g, "first");
	grid_add_row(g);
	grid_set(g, 0, 0, "µ-long-name");
	grid_set(g, 1, 0, "1234567");
	grid_set(g, 2, 0, "s");
	grid_add_section(g, "sec\nond");
	grid_add_row(g);
	grid_set(g, 0, 0, "x");
	grid_set(g, 1, 0, "2");
	grid_set(g, 2, 0, "ms");
	is_layout(grid_text, g,
		  "\n  first\n"
		  "  NAME   VALUE   \n"
		  "  µ-lon… 1234567 s \n"
		  "\n  sec\\nond\n"
		  "  NAME   VALUE   \n"
		  "  x          2 ms\n",
		  "text: each section titled, its header repeated; cut and padded in columns");
	is_layout(grid_markdown, g,
		  "| Section | Name | Value |\n"
		  "|---|---|---:|\n"
		  "| first | µ-long-name | 1234567 (s) |\n"
		  "| sec\\nond | x | 2 (ms) |\n",
		  "markdown: the section a column of its own");
	is_layout(grid_csv, g,
		  "Section,Name,Value,Unit\n"
		  "first,µ-long-name,1234567,s\n"
		  "\"sec\\nond\",x,2,ms\n",
		  "CSV: the section a field of its own");
	grid_free(g);
}

/* On a terminal: groups that do not fit beside each other go in blocks,
 * each repeating the first column; a group is never split; the first
 * column is cut when even one group does not fit beside it. */
static void test_blocks(void)
{
	struct grid *g = grid_new(side_by_side, sizeof(side_by_side) / sizeof(side_by_side[0]));

	grid_add_group(g, "base", NULL);
	grid_add_group(g, "other", NULL);
	grid_add_group(g, "third", NULL);
	grid_add_row(g);
	grid_set(g, TITLE, 0, "Peak");
	grid_set(g, VALUE, 0, "10 MiB");
	grid_set(g, CHANGE, 0, "");
	grid_set(g, VALUE, 1, "12 MiB");
	grid_set(g, CHANGE, 1, "+20%");
	grid_set(g, VALUE, 2, "9 MiB");
	grid_set(g, CHANGE, 2, "-10%");
	is_layout(grid_text, g,
		  "        base   other       third     \n"
		  "Peak  10 MiB  12 MiB +20%  9 MiB -10%\n",
		  "no width: one table");
	g->text_width = 37;
	is_layout(grid_text, g,
		  "        base   other       third     \n"
		  "Peak  10 MiB  12 MiB +20%  9 MiB -10%\n",
		  "as wide as the terminal: one table");
	g->text_width = 30;
	is_layout(grid_text, g,
		  "        base   other     \n"
		  "Peak  10 MiB  12 MiB +20%\n"
		  "\n"
		  "      third     \n"
		  "Peak  9 MiB -10%\n",
		  "narrower: blocks of whole groups, the first column in each");
	g->text_width = 12;
	grid_set(g, TITLE, 0, "Peak of the whole tree");
	is_layout(grid_text, g,
		  "                base\n"
		  "Peak of the…  10 MiB\n"
		  "\n"
		  "               other     \n"
		  "Peak of the…  12 MiB +20%\n"
		  "\n"
		  "              third     \n"
		  "Peak of the…  9 MiB -10%\n",
		  "too narrow for any group: the first column cut, a group a block");
	grid_free(g);
}

int main(void)
{
	test_groups();
	test_sections();
	test_blocks();
	return tap_done();
}
