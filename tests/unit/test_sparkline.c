/* test_sparkline.c - the footprint over a run in one line: its shape, its characters */
#include "config.h"

#include <stdlib.h>

#include "report/sparkline.h"
#include "tap.h"

int main(void)
{
	double t[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	uint64_t fp[] = { 0, 100, 200, 300, 400, 500, 600, 700 };
	uint64_t rss[8] = { 0 };
	struct result_series s = { 8, t, fp, rss };
	char *line;

	TEST("a ramp in ASCII: one level per column") {
		line = sparkline(&s, 8, 8, true);
		check_str(line, "_.-:=+*#");
		free(line);
	}
	TEST("... in Unicode blocks") {
		line = sparkline(&s, 8, 8, false);
		check_str(line, "▁▂▃▄▅▆▇█");
		free(line);
	}
	TEST("a spike between two columns' points is not lost") {
		uint64_t spike[] = { 100, 100, 100, 700, 100, 100, 100, 100 };
		struct result_series sp = { 8, t, spike, rss };

		line = sparkline(&sp, 8, 4, true);
		check_str(line, ".#..");
		free(line);
	}
	TEST("columns without a point repeat the one before") {
		line = sparkline(&s, 8, 16, true);
		check_str(line, "__..--::==++**##");
		free(line);
	}
	TEST("an empty series has none") {
		struct result_series none = { 0 };

		check(sparkline(&none, 1, 10, true) == NULL);
	}
	TEST("UTF-8 by the environment: LC_ALL first, then LC_CTYPE, then LANG") {
		unsetenv("LC_ALL");
		unsetenv("LC_CTYPE");
		setenv("LANG", "en_US.UTF-8", 1);
		check(sparkline_utf8());
		setenv("LC_CTYPE", "de_DE.utf8", 1);
		check(sparkline_utf8());
		setenv("LC_ALL", "C", 1);
		check(!sparkline_utf8());
		unsetenv("LC_ALL");
		unsetenv("LC_CTYPE");
		unsetenv("LANG");
		check(!sparkline_utf8());
	}
	return tap_done();
}
