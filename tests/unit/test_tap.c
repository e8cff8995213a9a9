/* test_tap.c - what tap.h prints: each scenario runs in a child (this
 * program again) and its TAP output is compared line by line */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* --- scenarios, run in the child --------------------------------------
 * The LINE_ constants are the lines of the failing checks below them;
 * the scenarios are laid out so that they stay right. */

enum { LINE_INT = __LINE__ + 5 };
static void scenario_int(void)
{
	int a = 1;

	TEST("one and two") check_int(a, ==, 2);
}

enum { LINE_U64 = __LINE__ + 6 };
static void scenario_u64(void)
{
	uint64_t big = UINT64_MAX, small = 7;

	TEST("big below small") {
		check_u64(big, <, small);
		check_u64(small, <, big);
	}
}

enum { LINE_STR = __LINE__ + 5 };
static void scenario_str(void)
{
	const char *s = "a\"b\t", *none = NULL;

	TEST("strings") check_str(s, "b\n");
	TEST("NULL") check_str(none, "x");
	TEST("two NULLs are equal") check_str(none, NULL);
}

enum { LINE_DOUBLE = __LINE__ + 5 };
static void scenario_double(void)
{
	double x = 1.5;

	TEST("near") check_double(x, 1.0, 0.01);
	TEST("near enough") {
		check_double(x, 1.505, 0.01);
		check_double(NAN, NAN, 0);
		check_double(x, x, 0);
	}
	TEST("NaN is not a number") check_double(NAN, 1.0, 1e300);
}

enum { LINE_LONE = __LINE__ + 3 };
static void scenario_lone(void)
{
	ok(1 == 2, "described %d", 7);
	check(0);
	is_u64(3, 4, "three is four");
	is_str("x", "x", "x is x");
	ok(2 == 2, "two is two");
}

enum { LINE_OK_IN_TEST = __LINE__ + 5 };
static void scenario_ok_in_test(void)
{
	TEST("a test of described checks") {
		ok(1, "first");
		ok(0, "second, %s", "failing");
		is_u64(5, 5, "third");
	}
}

static void scenario_empty(void)
{
	TEST("nothing") {
	}
	TEST("skipped") test_skip("no %s here", "pipe");
}

static void scenario_early(void)
{
	int i;

	for (i = 0; i < 3; i++)
		TEST("row %d", i) {
			check_int(i, >=, 0);
			if (i == 1)
				continue;	/* ends this test */
			check_int(i, !=, 1);
		}
	TEST("left by break") {
		check_int(i, ==, 3);
		break;
	}
	TEST("next") check(1);
	TEST("left by return") {
		check(1);
		return;
	}
}

static void scenario_pass(void)
{
	TEST("all good") {
		check(1);
		check_int(-1, <, 0);
		check_u64(0, <=, 0);
		check_ptr(NULL, ==, NULL);
		check_str("a", "a");
		check_double(0.1 + 0.2, 0.3, 1e-12);
		/* Checks within one expression keep their operands apart. */
		check_int(check_u64(1, <, 2) + check_str("x", "x"), ==, 2);
	}
}

static const struct {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
	{ "int", scenario_int },
	{ "u64", scenario_u64 },
	{ "str", scenario_str },
	{ "double", scenario_double },
	{ "lone", scenario_lone },
	{ "ok_in_test", scenario_ok_in_test },
	{ "empty", scenario_empty },
	{ "early", scenario_early },
	{ "pass", scenario_pass },
};

/* --- the parent: run a scenario, read what it printed ------------------ */

struct child {
	char out[8192];
	int status;	/* exit status, -1 if it did not exit */
};

static void run_scenario(const char *name, struct child *c)
{
	size_t n = 0;
	ssize_t got;
	int fd[2], st;
	pid_t pid;

	c->out[0] = '\0';
	c->status = -1;
	fflush(stdout);
	if (pipe(fd) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl("/proc/self/exe", "test_tap", name, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while (n + 1 < sizeof(c->out) &&
	       (got = read(fd[0], c->out + n, sizeof(c->out) - 1 - n)) > 0)
		n += (size_t)got;
	c->out[n] = '\0';
	close(fd[0]);
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		c->status = WEXITSTATUS(st);
}

/* The output has this line, whole; if not, show the output. */
static void has_line(const struct child *c, const char *line)
{
	size_t len = strlen(line);
	const char *p;
	bool found = false;

	for (p = c->out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, len) && (p[len] == '\n' || !p[len])) {
			found = true;
			break;
		}
	if (!check(found)) {
		printf("#    wanted: %s\n", line);
		for (p = c->out; *p;) {
			const char *e = strchr(p, '\n');
			int n = e ? (int)(e - p) : (int)strlen(p);

			printf("#    | %.*s\n", n, p);
			p += n + (e != NULL);
		}
	}
}

/* A failure's first line: the file (as the compiler was given it, so
 * whatever directory precedes it), the line and the expression. */
static void has_failure(const struct child *c, int line, const char *expr)
{
	char want[256];
	const char *p = strstr(c->out, "test_tap.c:");

	snprintf(want, sizeof(want), "test_tap.c:%d: failed: %s\n", line, expr);
	while (p && strncmp(p, want, strlen(want)))
		p = strstr(p + 1, "test_tap.c:");
	if (!check(p != NULL))
		printf("#    wanted: # ...%s", want);
}

static void test_values(void)
{
	struct child c;

	run_scenario("int", &c);
	TEST("check_int: file:line, expression, both values, the test's name") {
		has_failure(&c, LINE_INT, "a == 2");
		has_line(&c, "#    a = 1");
		has_line(&c, "#    2 = 2");
		has_line(&c, "not ok 1 - one and two");
		has_line(&c, "1..1");
		check_int(c.status, ==, 1);
	}

	run_scenario("u64", &c);
	TEST("check_u64: 64-bit values in full; a test fails by any check") {
		has_failure(&c, LINE_U64, "big < small");
		has_line(&c, "#    big = 18446744073709551615");
		has_line(&c, "#    small = 7");
		has_line(&c, "not ok 1 - big below small");
	}

	run_scenario("str", &c);
	TEST("check_str: both strings quoted and escaped, NULL as NULL") {
		has_failure(&c, LINE_STR, "check_str(s, \"b\\n\")");
		has_line(&c, "#    s = \"a\\\"b\\t\"");
		has_line(&c, "#    \"b\\n\" = \"b\\n\"");
		has_line(&c, "not ok 1 - strings");
		has_line(&c, "#    none = NULL");
		has_line(&c, "not ok 2 - NULL");
		has_line(&c, "ok 3 - two NULLs are equal");
	}

	run_scenario("double", &c);
	TEST("check_double: the values and the tolerance; NaN is only NaN") {
		has_failure(&c, LINE_DOUBLE, "check_double(x, 1.0, 0.01)");
		has_line(&c, "#    x = 1.5");
		has_line(&c, "#    1.0 = 1 (give or take 0.01)");
		has_line(&c, "not ok 1 - near");
		has_line(&c, "ok 2 - near enough");
		has_line(&c, "not ok 3 - NaN is not a number");
	}
}

static void test_shapes(void)
{
	struct child c;

	run_scenario("lone", &c);
	TEST("a check outside a test is a test, named by its description") {
		has_failure(&c, LINE_LONE, "1 == 2");
		has_line(&c, "not ok 1 - described 7");
		has_line(&c, "not ok 2 - 0");
		has_line(&c, "#    got  3");
		has_line(&c, "#    want 4");
		has_line(&c, "not ok 3 - three is four");
		has_line(&c, "ok 4 - x is x");
		has_line(&c, "ok 5 - two is two");
		has_line(&c, "1..5");
	}

	run_scenario("ok_in_test", &c);
	TEST("described checks inside a test count as its checks") {
		has_failure(&c, LINE_OK_IN_TEST, "0");
		has_line(&c, "#    (second, failing)");
		has_line(&c, "not ok 1 - a test of described checks");
		has_line(&c, "1..1");
	}

	run_scenario("empty", &c);
	TEST("a test with no check fails; a skipped one says SKIP") {
		has_line(&c, "# test \"nothing\" ran no check");
		has_line(&c, "not ok 1 - nothing");
		has_line(&c, "ok 2 - skipped # SKIP no pipe here");
		check_int(c.status, ==, 1);
	}

	run_scenario("early", &c);
	TEST("continue ends a test; break or return leave it to the next") {
		has_line(&c, "ok 1 - row 0");
		has_line(&c, "ok 2 - row 1");
		has_line(&c, "ok 3 - row 2");
		has_line(&c, "ok 4 - left by break");
		has_line(&c, "ok 5 - next");
		has_line(&c, "ok 6 - left by return");
		has_line(&c, "1..6");
		check_int(c.status, ==, 0);
	}

	run_scenario("pass", &c);
	TEST("passing checks print nothing but the test's line") {
		check_str(c.out, "ok 1 - all good\n1..1\n");
		check_int(c.status, ==, 0);
	}
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1) {
		for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			if (!strcmp(argv[1], scenarios[i].name))
				scenarios[i].fn();
		return tap_done();
	}
	test_values();
	test_shapes();
	return tap_done();
}
