/* result/scan.c - the JSON text of a result file, checked before cJSON parses it
 *
 * cJSON cannot say what went wrong: its error position is the same for a
 * file cut off inside a string and for a bad escape (just past the opening
 * quote), it cannot tell "tr" at the end of a file from a misspelt "true",
 * it accepts "01" and raw control bytes, and it ends a string silently at
 * \u0000. The scanner reads the text byte by byte and knows where it is in
 * the document, so it can say "truncated", give a line and column, and
 * name the path of a NUL. */
#include "config.h"

#include "result/scan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "result/load.h"
#include "result/message.h"
#include "util/xalloc.h"

/* A result nests six levels deep; the limit bounds the scanner's stack and
 * cJSON's recursion (its own limit is CJSON_NESTING_LIMIT, 1000). */
#define SCAN_MAX_DEPTH 512
/* The writer's numbers are at most 24 characters ("%1.17g"). cJSON 1.7.15
 * as released reads at most 63 characters of a number and then fails, so
 * a longer one is refused here, with a message that says so. */
#define SCAN_MAX_NUMBER 63

/* A limit's value in a message: "more than " XSTR(LIMIT) " entries". */
#define STR(x) #x
#define XSTR(x) STR(x)

struct scan_frame {
	bool array;
	bool have_key;		/* an object member's key has been read */
	size_t index;		/* of the current element or member */
	size_t key_off, key_len;	/* its key, as the raw text between quotes */
};

struct scan {
	const char *s;
	size_t len, pos;
	struct scan_frame *stack;
	size_t depth;
	bool truncated;		/* the text ended where more was due */
	const char *error;	/* else the syntax error found, at error_pos */
	size_t error_pos;
	/* The first \u0000, as a whole message ("<path>: ..."). It is
	 * reported after the schema is checked, so that a newer schema is
	 * named as such first. */
	char *problem;
	/* Too many entries in one array or object, as a whole message: it
	 * stops the scan, before cJSON allocates for them all. */
	char *too_many;
};

static int scan_fail(struct scan *sc, size_t pos, const char *what)
{
	sc->error = what;
	sc->error_pos = pos;
	return -1;
}

/* True (and the text is truncated) if there is nothing left to read. */
static bool scan_at_end(struct scan *sc)
{
	if (sc->pos < sc->len)
		return false;
	sc->truncated = true;
	return true;
}

bool scan_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void scan_ws(struct scan *sc)
{
	while (sc->pos < sc->len && scan_is_space(sc->s[sc->pos]))
		sc->pos++;
}

/* The path through the first depth open containers, "configs[0].runs[1]
 * .command"; an object whose key has not been read yet ends the path.
 * Caller frees. */
static char *scan_path(const struct scan *sc, size_t depth)
{
	char *path = xstrdup(""), *key, *next;
	size_t i;

	for (i = 0; i < depth; i++) {
		const struct scan_frame *f = &sc->stack[i];

		if (f->array) {
			next = xasprintf("%s[%zu]", path, f->index);
		} else if (f->have_key) {
			key = message_quote(sc->s + f->key_off, f->key_len);
			next = xasprintf("%s%s%s", path, *path ? "." : "", key);
			free(key);
		} else {
			continue;
		}
		free(path);
		path = next;
	}
	return path;
}

/* "<path>: <what>", the path through the first depth containers. Caller
 * frees. */
static char *scan_message(const struct scan *sc, size_t depth, const char *what)
{
	char *path = scan_path(sc, depth), *msg;

	msg = *path ? xasprintf("%s: %s", path, what) : xstrdup(what);
	free(path);
	return msg;
}

static int scan_hex4(struct scan *sc, unsigned *cp)
{
	size_t i;

	*cp = 0;
	for (i = 0; i < 4; i++) {
		char c;

		if (scan_at_end(sc))
			return -1;
		c = sc->s[sc->pos];
		if (c >= '0' && c <= '9')
			*cp = *cp * 16 + (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*cp = *cp * 16 + (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*cp = *cp * 16 + (unsigned)(c - 'A' + 10);
		else
			return scan_fail(sc, sc->pos, "bad \\u escape in a string");
		sc->pos++;
	}
	return 0;
}

/* A \u escape, after the u. UTF-16 surrogates must come in pairs, as cJSON
 * requires; \u0000 is noted, since cJSON would end the string there. */
static int scan_unicode_escape(struct scan *sc, bool is_key, size_t esc_pos)
{
	unsigned cp, low;

	if (scan_hex4(sc, &cp) < 0)
		return -1;
	if (cp == 0 && !sc->problem)
		sc->problem = scan_message(sc, sc->depth, is_key ?
			"a key holds \\u0000 (a NUL byte, which memwatch does not accept in strings)" :
			"\\u0000 in a string (a NUL byte, which memwatch does not accept in strings)");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return scan_fail(sc, esc_pos, "unpaired UTF-16 surrogate in a string");
	if (cp < 0xd800 || cp > 0xdbff)
		return 0;
	if (scan_at_end(sc))
		return -1;
	if (sc->s[sc->pos] != '\\')
		return scan_fail(sc, esc_pos, "unpaired UTF-16 surrogate in a string");
	sc->pos++;
	if (scan_at_end(sc))
		return -1;
	if (sc->s[sc->pos] != 'u')
		return scan_fail(sc, esc_pos, "unpaired UTF-16 surrogate in a string");
	sc->pos++;
	if (scan_hex4(sc, &low) < 0)
		return -1;
	if (low < 0xdc00 || low > 0xdfff)
		return scan_fail(sc, esc_pos, "unpaired UTF-16 surrogate in a string");
	return 0;
}

/* A string at pos (its opening quote). Bytes from 0x80 up pass whatever
 * they are: the writer copies invalid UTF-8 through, and the loader
 * sanitizes it. With f, the string is that object's next key. */
static int scan_string(struct scan *sc, struct scan_frame *f)
{
	size_t start = ++sc->pos, esc;

	for (;;) {
		unsigned char c;

		if (scan_at_end(sc))
			return -1;
		c = (unsigned char)sc->s[sc->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return scan_fail(sc, sc->pos, "control byte in a string");
		if (c != '\\') {
			sc->pos++;
			continue;
		}
		esc = sc->pos++;
		if (scan_at_end(sc))
			return -1;
		c = (unsigned char)sc->s[sc->pos++];
		if (c == 'u') {
			if (scan_unicode_escape(sc, f != NULL, esc) < 0)
				return -1;
		} else if (!c || !strchr("\"\\/bfnrt", c)) {
			return scan_fail(sc, esc, "bad escape in a string");
		}
	}
	if (f) {
		f->key_off = start;
		f->key_len = sc->pos - start;
		f->have_key = true;
	}
	sc->pos++;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A run of one or more digits. */
static int scan_digits(struct scan *sc)
{
	if (scan_at_end(sc))
		return -1;
	if (!is_digit(sc->s[sc->pos]))
		return scan_fail(sc, sc->pos, "unexpected text");
	while (sc->pos < sc->len && is_digit(sc->s[sc->pos]))
		sc->pos++;
	return 0;
}

/* A number, as JSON has it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int scan_number(struct scan *sc)
{
	size_t start = sc->pos;

	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (scan_at_end(sc))
		return -1;
	if (sc->s[sc->pos] == '0')
		sc->pos++;
	else if (scan_digits(sc) < 0)
		return -1;
	if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (scan_digits(sc) < 0)
			return -1;
	}
	if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
		sc->pos++;
		if (scan_at_end(sc))
			return -1;
		if (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-')
			sc->pos++;
		if (scan_digits(sc) < 0)
			return -1;
	}
	if (sc->pos - start > SCAN_MAX_NUMBER)
		return scan_fail(sc, start,
				 "a number longer than " XSTR(SCAN_MAX_NUMBER) " characters");
	return 0;
}

static int scan_literal(struct scan *sc, const char *word)
{
	for (; *word; word++, sc->pos++) {
		if (scan_at_end(sc))
			return -1;
		if (sc->s[sc->pos] != *word)
			return scan_fail(sc, sc->pos, "unexpected text");
	}
	return 0;
}

/* An object member's key and the colon after it. */
static int scan_key(struct scan *sc, struct scan_frame *f)
{
	f->have_key = false;
	scan_ws(sc);
	if (scan_at_end(sc))
		return -1;
	if (sc->s[sc->pos] != '"')
		return scan_fail(sc, sc->pos, "unexpected text");
	if (scan_string(sc, f) < 0)
		return -1;
	scan_ws(sc);
	if (scan_at_end(sc))
		return -1;
	if (sc->s[sc->pos] != ':')
		return scan_fail(sc, sc->pos, "unexpected text");
	sc->pos++;
	return 0;
}

/* Open an object or array at pos. Returns 1 if it is empty and already
 * closed, 0 if a value is now due. */
static int scan_open(struct scan *sc)
{
	struct scan_frame *f;
	char close;

	if (sc->depth == SCAN_MAX_DEPTH)
		return scan_fail(sc, sc->pos,
				 "nested deeper than " XSTR(SCAN_MAX_DEPTH) " levels");
	f = &sc->stack[sc->depth++];
	memset(f, 0, sizeof(*f));
	f->array = sc->s[sc->pos] == '[';
	close = f->array ? ']' : '}';
	sc->pos++;
	scan_ws(sc);
	if (scan_at_end(sc))
		return -1;
	if (sc->s[sc->pos] == close) {
		sc->pos++;
		sc->depth--;
		return 1;
	}
	return f->array ? 0 : scan_key(sc, f);
}

/* One JSON value from pos, iteratively: a hostile file cannot make the
 * scanner recurse. */
static int scan_value(struct scan *sc)
{
	for (;;) {
		int rc;
		char c;

		/* A value is due. */
		scan_ws(sc);
		if (scan_at_end(sc))
			return -1;
		c = sc->s[sc->pos];
		if (c == '{' || c == '[')
			rc = scan_open(sc);
		else if (c == '"')
			rc = scan_string(sc, NULL);
		else if (c == '-' || is_digit(c))
			rc = scan_number(sc);
		else if (c == 't')
			rc = scan_literal(sc, "true");
		else if (c == 'f')
			rc = scan_literal(sc, "false");
		else if (c == 'n')
			rc = scan_literal(sc, "null");
		else
			rc = scan_fail(sc, sc->pos, "unexpected text");
		if (rc < 0)
			return -1;
		if ((c == '{' || c == '[') && rc == 0)
			continue;	/* into the container */

		/* A value is complete: close what it completes, up to the
		 * next element or member. */
		for (;;) {
			struct scan_frame *f;

			if (sc->depth == 0)
				return 0;
			f = &sc->stack[sc->depth - 1];
			scan_ws(sc);
			if (scan_at_end(sc))
				return -1;
			c = sc->s[sc->pos];
			if (c == (f->array ? ']' : '}')) {
				sc->pos++;
				sc->depth--;
				continue;
			}
			if (c != ',')
				return scan_fail(sc, sc->pos, "unexpected text");
			sc->pos++;
			if (++f->index == RESULT_LOAD_MAX_ENTRIES) {
				sc->too_many = scan_message(sc, sc->depth - 1,
					"more than " XSTR(RESULT_LOAD_MAX_ENTRIES)
					" entries (an absurd count)");
				return -1;
			}
			if (!f->array && scan_key(sc, f) < 0)
				return -1;
			break;
		}
	}
}

/* Line and column (from 1, in bytes) of pos in s. */
static void line_column(const char *s, size_t pos, size_t *line, size_t *col)
{
	size_t i, bol = 0;

	*line = 1;
	for (i = 0; i < pos; i++) {
		if (s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	}
	*col = pos - bol + 1;
}

int scan_json(const char *s, size_t len, size_t start, char **nul,
	      char *err, size_t errlen)
{
	struct scan sc;
	size_t line, col;
	int rc = -1;

	memset(&sc, 0, sizeof(sc));
	sc.s = s;
	sc.len = len;
	sc.pos = start;
	sc.stack = xcalloc(SCAN_MAX_DEPTH, sizeof(*sc.stack));
	*nul = NULL;
	if (scan_value(&sc) == 0) {
		scan_ws(&sc);
		if (sc.pos == sc.len) {
			*nul = sc.problem;
			sc.problem = NULL;
			rc = 0;
			goto out;
		}
		scan_fail(&sc, sc.pos, "unexpected text after the document");
	}
	if (sc.too_many) {
		message_fail(err, errlen, "%s", sc.too_many);
	} else if (sc.truncated) {
		message_fail(err, errlen, "truncated (ends at byte %zu)", len);
	} else {
		line_column(s, sc.error_pos, &line, &col);
		message_fail(err, errlen, "not JSON (%s at line %zu, column %zu)",
			     sc.error, line, col);
	}
out:
	free(sc.stack);
	free(sc.problem);
	free(sc.too_many);
	return rc;
}
