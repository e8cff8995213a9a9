/* tap.h - named unit tests whose failed checks say where and why, in TAP
 *
 * A test is a named block (or a function called as one statement):
 *
 *	TEST("find after a wrapped insert")
 *		test_wrap();
 *	TEST("%s on %s", state, event) {
 *		check_int(got, ==, want);
 *		check_str(label, "idle_1s");
 *	}
 *
 * prints one TAP line, "ok 3 - find after a wrapped insert", once the block
 * ends; it fails if any check in it failed, or if it ran no check at all
 * (an empty table is not a passing specification). A failed check prints
 * its file:line, its expression and both values as TAP comments first:
 *
 *	# tests/unit/test_pidmap.c:42: failed: n == 3
 *	#    n = 2
 *	#    3 = 3
 *	not ok 3 - find after a wrapped insert
 *
 * A check outside any test is a test of its own, named by its expression.
 * ok(cond, fmt, ...), is_u64() and is_str() are checks with a description:
 * outside a test each prints its own TAP line named by that description,
 * inside one they count as its checks. Every check evaluates each operand
 * once and returns whether it passed. `continue` ends a test's block
 * early; a test left by `break`, `return` or a jump is ended by the next
 * TEST or by tap_done(). Tests do not nest (-Wshadow warns of it).
 * test_skip() inside a test reports it as skipped ("# SKIP" in its line). */
#ifndef MEMWATCH_TAP_H
#define MEMWATCH_TAP_H

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TAP_UNUSED_ __attribute__((unused))
#define TAP_PRINTF_(f, a) __attribute__((format(printf, f, a)))

static struct {
	int count;		/* TAP lines printed */
	int failed;		/* ... of them "not ok" */
	bool open;		/* a test is running */
	int checks;		/* checks run in it */
	int check_failures;	/* ... that failed */
	bool skip;		/* test_skip() was called in it */
	char name[256];
	char skip_reason[256];
} tap_ TAP_UNUSED_;

/* Format into buf, one line: a TAP line ends at the first newline. */
TAP_PRINTF_(3, 0)
static inline void tap_vformat_(char *buf, size_t len, const char *fmt,
				va_list ap)
{
	char *c;

	vsnprintf(buf, len, fmt, ap);
	for (c = buf; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
}

/* Print the ending test's TAP line; always 0, for TEST's loop. */
static inline int tap_end_(void)
{
	bool good = tap_.check_failures == 0 && (tap_.checks > 0 || tap_.skip);

	if (!tap_.open)
		return 0;
	tap_.open = false;
	if (!tap_.checks && !tap_.skip)
		printf("# test \"%s\" ran no check\n", tap_.name);
	printf("%sok %d - %s", good ? "" : "not ", ++tap_.count, tap_.name);
	if (tap_.skip && good)
		printf(" # SKIP %s", tap_.skip_reason);
	putchar('\n');
	fflush(stdout);
	if (!good)
		tap_.failed++;
	return 0;
}

/* Start a named test (ending one left open); always 1, for TEST's loop. */
TAP_PRINTF_(1, 0)
static inline int tap_vbegin_(const char *fmt, va_list ap)
{
	tap_end_();
	tap_vformat_(tap_.name, sizeof(tap_.name), fmt, ap);
	tap_.open = true;
	tap_.checks = tap_.check_failures = 0;
	tap_.skip = false;
	tap_.skip_reason[0] = '\0';
	return 1;
}

TAP_PRINTF_(1, 2)
static inline int tap_begin_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vbegin_(fmt, ap);
	va_end(ap);
	return 1;
}

#define TEST(...) \
	for (int tap_once_ = tap_begin_(__VA_ARGS__); tap_once_; \
	     tap_once_ = tap_end_())

/* Report the running test as skipped, for the reason given. */
TAP_PRINTF_(1, 2)
static inline void test_skip(const char *fmt, ...)
{
	va_list ap;

	if (!tap_.open)
		return;
	va_start(ap, fmt);
	tap_vformat_(tap_.skip_reason, sizeof(tap_.skip_reason), fmt, ap);
	va_end(ap);
	tap_.skip = true;
}

/* Count one check: outside a test it opens one of its own, named name (or
 * else by the expression). Returns whether it opened one. A failure's
 * location and expression are printed here; its values follow from the
 * caller, before tap_check_end_ prints a lone test's line. */
static inline bool tap_check_begin_(bool pass, const char *file, int line,
				    const char *expr, const char *name)
{
	bool lone = !tap_.open;

	if (lone)
		tap_begin_("%s", name ? name : expr);
	tap_.checks++;
	if (!pass) {
		tap_.check_failures++;
		printf("# %s:%d: failed: %s\n", file, line, expr);
	}
	return lone;
}

static inline int tap_check_end_(bool pass, bool lone)
{
	if (lone)
		tap_end_();
	return pass;
}

/* A check with no description of its own. */
static inline bool tap_check_plain_(bool pass, const char *file, int line,
				    const char *expr)
{
	return tap_check_begin_(pass, file, line, expr, NULL);
}

/* A described check (ok, is_u64, is_str): its description names the test
 * it makes outside any, and is shown on failure inside one. */
TAP_PRINTF_(4, 0)
static inline bool tap_check_described_(bool pass, const char *file, int line,
					const char *fmt, va_list ap,
					const char *expr)
{
	char desc[256];
	bool lone;

	tap_vformat_(desc, sizeof(desc), fmt, ap);
	lone = tap_check_begin_(pass, file, line, expr, desc);
	if (!pass && !lone)
		printf("#    (%s)\n", desc);
	return lone;
}

/* A string as C would write it, or NULL. */
static inline void tap_print_str_(const char *s)
{
	if (!s) {
		fputs("NULL", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* check(expr): expr is true. */
#define check(expr) tap_check_(!!(expr), __FILE__, __LINE__, #expr)
static inline int tap_check_(bool pass, const char *file, int line,
			     const char *expr)
{
	return tap_check_end_(pass, tap_check_plain_(pass, file, line, expr));
}

/* Whether x op y holds, for x compared with y (-1, 0, 1) and op given as
 * text: the operands go to a function once each, so checks may share an
 * expression; the macros have the compiler vet op. */
static inline bool tap_compare_(int cmp, const char *op)
{
	if (!strcmp(op, "=="))
		return cmp == 0;
	if (!strcmp(op, "!="))
		return cmp != 0;
	if (!strcmp(op, "<"))
		return cmp < 0;
	if (!strcmp(op, "<="))
		return cmp <= 0;
	if (!strcmp(op, ">"))
		return cmp > 0;
	if (!strcmp(op, ">="))
		return cmp >= 0;
	printf("# unknown comparison %s\n", op);
	return false;
}

#define TAP_CMP_(x, y) ((x) < (y) ? -1 : (x) > (y))

/* check_int(a, op, b): signed integers compared with op (==, <, ...). */
#define check_int(a, op, b) \
	((void)sizeof(0 op 0), \
	 tap_check_int_((intmax_t)(a), #op, (intmax_t)(b), __FILE__, __LINE__, \
			#a " " #op " " #b, #a, #b))
static inline int tap_check_int_(intmax_t x, const char *op, intmax_t y,
				 const char *file, int line, const char *expr,
				 const char *a, const char *b)
{
	bool pass = tap_compare_(TAP_CMP_(x, y), op);
	bool lone = tap_check_plain_(pass, file, line, expr);

	if (!pass)
		printf("#    %s = %jd\n#    %s = %jd\n", a, x, b, y);
	return tap_check_end_(pass, lone);
}

/* check_u64(a, op, b): unsigned 64-bit values (sizes, nanoseconds). */
#define check_u64(a, op, b) \
	((void)sizeof(0 op 0), \
	 tap_check_u64_((uint64_t)(a), #op, (uint64_t)(b), __FILE__, __LINE__, \
			#a " " #op " " #b, #a, #b))
static inline int tap_check_u64_(uint64_t x, const char *op, uint64_t y,
				 const char *file, int line, const char *expr,
				 const char *a, const char *b)
{
	bool pass = tap_compare_(TAP_CMP_(x, y), op);
	bool lone = tap_check_plain_(pass, file, line, expr);

	if (!pass)
		printf("#    %s = %" PRIu64 "\n#    %s = %" PRIu64 "\n", a, x, b, y);
	return tap_check_end_(pass, lone);
}

/* check_ptr(a, op, b): pointers, as for a record found or not. */
#define check_ptr(a, op, b) \
	((void)sizeof(0 op 0), \
	 tap_check_ptr_((const void *)(a), #op, (const void *)(b), __FILE__, \
			__LINE__, #a " " #op " " #b, #a, #b))
static inline int tap_check_ptr_(const void *x, const char *op, const void *y,
				 const char *file, int line, const char *expr,
				 const char *a, const char *b)
{
	bool pass = tap_compare_(TAP_CMP_((uintptr_t)x, (uintptr_t)y), op);
	bool lone = tap_check_plain_(pass, file, line, expr);

	if (!pass)
		printf("#    %s = %p\n#    %s = %p\n", a, x, b, y);
	return tap_check_end_(pass, lone);
}

static inline bool tap_str_equal_(const char *x, const char *y)
{
	return x && y ? strcmp(x, y) == 0 : x == y;
}

/* check_str(a, b): equal strings (two NULLs are equal). */
#define check_str(a, b) \
	tap_check_str_(__FILE__, __LINE__, "check_str(" #a ", " #b ")", \
		       #a, #b, (a), (b))
static inline int tap_check_str_(const char *file, int line, const char *expr,
				 const char *a, const char *b, const char *x,
				 const char *y)
{
	bool pass = tap_str_equal_(x, y);
	bool lone = tap_check_plain_(pass, file, line, expr);

	if (!pass) {
		printf("#    %s = ", a);
		tap_print_str_(x);
		printf("\n#    %s = ", b);
		tap_print_str_(y);
		putchar('\n');
	}
	return tap_check_end_(pass, lone);
}

/* Whether x is within tol of y; NaN matches only NaN. */
static inline bool tap_near_(double x, double y, double tol)
{
	if (isnan(x) || isnan(y))
		return isnan(x) && isnan(y);
	return x == y || fabs(x - y) <= tol;
}

/* check_double(a, b, tol): a is b give or take tol (NaN is NaN). */
#define check_double(a, b, tol) \
	tap_check_double_(__FILE__, __LINE__, \
			  "check_double(" #a ", " #b ", " #tol ")", #a, #b, \
			  (double)(a), (double)(b), (double)(tol))
static inline int tap_check_double_(const char *file, int line,
				    const char *expr, const char *a,
				    const char *b, double x, double y,
				    double tol)
{
	bool pass = tap_near_(x, y, tol);
	bool lone = tap_check_plain_(pass, file, line, expr);

	if (!pass)
		printf("#    %s = %.17g\n#    %s = %.17g (give or take %g)\n",
		       a, x, b, y, tol);
	return tap_check_end_(pass, lone);
}

/* ok(cond, fmt, ...): cond holds; the description names the check. */
#define ok(cond, ...) tap_ok_(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)
TAP_PRINTF_(5, 6)
static inline int tap_ok_(bool pass, const char *file, int line,
			  const char *expr, const char *fmt, ...)
{
	va_list ap;
	bool lone;

	va_start(ap, fmt);
	lone = tap_check_described_(pass, file, line, fmt, ap, expr);
	va_end(ap);
	return tap_check_end_(pass, lone);
}

/* is_u64(got, want, fmt, ...): got == want, described. */
#define is_u64(got, want, ...) \
	tap_is_u64_((uint64_t)(got), (uint64_t)(want), __FILE__, __LINE__, \
		    #got " == " #want, __VA_ARGS__)
TAP_PRINTF_(6, 7)
static inline int tap_is_u64_(uint64_t x, uint64_t y, const char *file,
			      int line, const char *expr, const char *fmt, ...)
{
	va_list ap;
	bool pass = x == y, lone;

	va_start(ap, fmt);
	lone = tap_check_described_(pass, file, line, fmt, ap, expr);
	va_end(ap);
	if (!pass)
		printf("#    got  %" PRIu64 "\n#    want %" PRIu64 "\n", x, y);
	return tap_check_end_(pass, lone);
}

/* is_str(got, want, fmt, ...): equal strings, described. */
#define is_str(got, want, ...) \
	tap_is_str_((got), (want), __FILE__, __LINE__, \
		    "is_str(" #got ", " #want ")", __VA_ARGS__)
TAP_PRINTF_(6, 7)
static inline int tap_is_str_(const char *x, const char *y, const char *file,
			      int line, const char *expr, const char *fmt, ...)
{
	va_list ap;
	bool pass = tap_str_equal_(x, y), lone;

	va_start(ap, fmt);
	lone = tap_check_described_(pass, file, line, fmt, ap, expr);
	va_end(ap);
	if (!pass) {
		fputs("#    got  ", stdout);
		tap_print_str_(x);
		fputs("\n#    want ", stdout);
		tap_print_str_(y);
		putchar('\n');
	}
	return tap_check_end_(pass, lone);
}

/* End the last test, print the plan; main's exit status. */
static inline int tap_done(void)
{
	tap_end_();
	printf("1..%d\n", tap_.count);
	return tap_.failed ? 1 : 0;
}

#endif
