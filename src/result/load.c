/* result_load.c - loading a result file (schema memwatch-result/1) back
 *
 * Two passes. scan_json() reads the text byte by byte before cJSON sees it,
 * because cJSON cannot say what went wrong: its error position is the same
 * for a file cut off inside a string and for a bad escape (just past the
 * opening quote), it cannot tell "tr" at the end of a file from a misspelt
 * "true", it accepts "01" and raw control bytes, and it ends a string
 * silently at \u0000. The scanner knows where it is in the document, so it
 * can say "truncated", give a line and column, and name the path of a NUL.
 * Then cJSON builds the tree and load_result() copies it into the model.
 * The keys of the schema's minimum (memwatch(1), MEMWATCH REPORT) must be
 * there; the other keys the writer (result_json.c) writes may be absent, and
 * the model then keeps its "absent" default. Every key that is there is
 * checked: of its type, in range. Keys it does not know are ignored, so that later
 * memwatch versions can add to schema 1; derived values the writer adds
 * (peak.pct_of_wall, each config's summary) are recomputed, not read. */
#include "config.h"

#include "result/load.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "util/fmt.h"
#include "result/json.h"
#include "util/xalloc.h"

/* A result nests six levels deep; the limit bounds the scanner's stack and
 * cJSON's recursion (its own limit is CJSON_NESTING_LIMIT, 1000). */
#define SCAN_MAX_DEPTH 512
/* The writer's numbers are at most 24 characters ("%1.17g"). cJSON 1.7.15
 * as released reads at most 63 characters of a number and then fails, so
 * a longer one is refused here, with a message that says so. */
#define SCAN_MAX_NUMBER 63

#define SCHEMA_PREFIX "memwatch-result/"

/* A limit's value in a message: "more than " XSTR(LIMIT) " entries". */
#define STR(x) #x
#define XSTR(x) STR(x)

/* Write a one-line message to err; returns -1 for the caller to return. */
__attribute__((format(printf, 3, 4)))
static int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A string from the file, made fit for a one-line message: valid UTF-8,
 * control bytes escaped, at most about 64 bytes. Caller frees. */
static char *quote_for_message(const char *s, size_t len)
{
	char *clean = fmt_utf8_sanitize(s, len), *esc;
	size_t n;

	esc = fmt_escape(clean, ESCAPE_TEXT);
	free(clean);
	n = strlen(esc);
	if (n > 64) {
		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		n = 61;
		while (n > 0 && ((unsigned char)esc[n] & 0xc0) == 0x80)
			n--;
		memcpy(esc + n, "...", 4);
	}
	return esc;
}

/* --- the scanner -------------------------------------------------------- */

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

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void scan_ws(struct scan *sc)
{
	while (sc->pos < sc->len && is_ws(sc->s[sc->pos]))
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
			key = quote_for_message(sc->s + f->key_off, f->key_len);
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

/* Check that s, from byte start, is one JSON document and nothing more.
 * 0, or -1 with the message in err. The caller frees sc->stack,
 * sc->problem and sc->too_many. */
static int scan_json(struct scan *sc, const char *s, size_t len, size_t start,
		     char *err, size_t errlen)
{
	size_t line, col;

	memset(sc, 0, sizeof(*sc));
	sc->s = s;
	sc->len = len;
	sc->pos = start;
	sc->stack = xcalloc(SCAN_MAX_DEPTH, sizeof(*sc->stack));
	if (scan_value(sc) == 0) {
		scan_ws(sc);
		if (sc->pos == sc->len)
			return 0;
		scan_fail(sc, sc->pos, "unexpected text after the document");
	}
	if (sc->too_many)
		return errf(err, errlen, "%s", sc->too_many);
	if (sc->truncated)
		return errf(err, errlen, "truncated (ends at byte %zu)", len);
	line_column(s, sc->error_pos, &line, &col);
	return errf(err, errlen, "not JSON (%s at line %zu, column %zu)",
		    sc->error, line, col);
}

/* --- the walk ----------------------------------------------------------- */

struct load {
	char path[512];		/* where the walk is, "configs[0].runs[1]" */
	size_t path_len;
	char *err;
	size_t errlen;
};

/* The message "<path>: <what>". Returns -1. */
__attribute__((format(printf, 2, 3)))
static int load_fail(struct load *l, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return errf(l->err, l->errlen, "%s: %s", l->path, what);
}

/* Append to the path; returns its length before, for path_back. */
__attribute__((format(printf, 2, 3)))
static size_t path_push(struct load *l, const char *fmt, ...)
{
	size_t back = l->path_len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->path + back, sizeof(l->path) - back, fmt, ap);
	va_end(ap);
	l->path_len = strlen(l->path);
	return back;
}

/* Descend into an object's member. */
static size_t path_key(struct load *l, const char *key)
{
	return path_push(l, "%s%s", l->path_len ? "." : "", key);
}

/* Descend into an array's element. */
static size_t path_index(struct load *l, size_t i)
{
	return path_push(l, "[%zu]", i);
}

static void path_back(struct load *l, size_t back)
{
	l->path_len = back;
	l->path[back] = '\0';
}

static const char *type_name(const cJSON *v)
{
	switch (v->type & 0xff) {
	case cJSON_False:
	case cJSON_True:
		return "a boolean";
	case cJSON_NULL:
		return "null";
	case cJSON_Number:
		return "a number";
	case cJSON_String:
		return "a string";
	case cJSON_Array:
		return "an array";
	case cJSON_Object:
		return "an object";
	default:
		return "something else";
	}
}

/* What a mask of cJSON types asks for, for messages. */
static const char *want_name(int want)
{
	switch (want) {
	case cJSON_String:
		return "a string";
	case cJSON_Number:
		return "a number";
	case cJSON_Number | cJSON_NULL:
		return "a number or null";
	case cJSON_True | cJSON_False:
		return "true or false";
	case cJSON_True | cJSON_False | cJSON_NULL:
		return "true, false or null";
	case cJSON_Array:
		return "an array";
	case cJSON_Object:
		return "an object";
	case cJSON_Object | cJSON_NULL:
		return "an object or null";
	default:
		return "something else";
	}
}

/* Is v (at the current path) one of the types in want? */
static bool check_type(struct load *l, const cJSON *v, int want)
{
	if ((v->type & 0xff & want) != 0)
		return true;
	load_fail(l, "expected %s, got %s", want_name(want), type_name(v));
	return false;
}

/* How a key may be, besides its type. The keys of the schema's minimum
 * (memwatch(1), MEMWATCH REPORT) are required. Every other key the writer writes is optional,
 * so that a result from another tool, or from a memwatch that writes less,
 * loads: absent, the model keeps its "absent" default (the zeroed struct's,
 * or result_config_add_run's). Present, it is checked as strictly as a
 * required key. */
enum key_need {
	KEY_REQUIRED = 0,
	KEY_OPTIONAL = 1 << 0,
	KEY_NULLABLE = 1 << 1,	/* null too, where the writer writes null */
};

/* Member key of o, of one of the types in want (or null, with
 * KEY_NULLABLE), in *out. An absent optional key is not an error: *out is
 * NULL. 0, or -1 after a message. */
static int get(struct load *l, const cJSON *o, const char *key, int want,
	       unsigned need, const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t back;
	int rc = 0;

	*out = NULL;
	if (!v && (need & KEY_OPTIONAL))
		return 0;
	back = path_key(l, key);
	if (!v)
		rc = load_fail(l, "missing");
	else if (!check_type(l, v, want | ((need & KEY_NULLABLE) ? cJSON_NULL : 0)))
		rc = -1;
	else
		*out = v;
	path_back(l, back);
	return rc;
}

/* The typed getters below return 1 when they set *out, 0 when an optional
 * key is absent and *out is left as it was, and -1 after a message. */

/* A string member, copied as valid UTF-8. */
static int get_string(struct load *l, const cJSON *o, const char *key,
		      unsigned need, char **out)
{
	const cJSON *v;

	if (get(l, o, key, cJSON_String, need, &v) < 0)
		return -1;
	if (!v)
		return 0;
	*out = fmt_utf8_sanitize(v->valuestring, strlen(v->valuestring));
	return 1;
}

static int get_bool(struct load *l, const cJSON *o, const char *key,
		    unsigned need, bool *out)
{
	const cJSON *v;

	if (get(l, o, key, cJSON_True | cJSON_False, need, &v) < 0)
		return -1;
	if (!v)
		return 0;
	*out = cJSON_IsTrue(v);
	return 1;
}

/* What a number may be, named as the messages say it. */
struct num_kind {
	const char *what;
	double min, max;
	bool whole;
};

/* JSON numbers are doubles: past 2^53 they no longer count every byte. */
static const struct num_kind K_BYTES = {
	"a byte count (a whole number from 0 to 2^53)", 0, 0x1p53, true };
static const struct num_kind K_COUNT = {
	"a count (a whole number from 0 to 2^53)", 0, 0x1p53, true };
static const struct num_kind K_COUNT32 = {
	"a count (a whole number from 0 to 4294967295)", 0, 4294967295.0, true };
static const struct num_kind K_SECONDS = {
	"a time in seconds (0 to 1e9)", 0, 1e9, false };
static const struct num_kind K_PID = {
	"a pid (a whole number from 0 to 2147483647)", 0, 2147483647.0, true };
static const struct num_kind K_EXIT = {
	"an exit status (a whole number from 0 to 255)", 0, 255, true };
static const struct num_kind K_DRIFT = {
	"a drift in bytes per minute (-2^53 to 2^53)", -0x1p53, 0x1p53, false };
static const struct num_kind K_PERCENT = {
	"a percentage (0 to 100)", 0, 100, false };
static const struct num_kind K_MEASURE = {
	"a measurement (0 to 1e9)", 0, 1e9, false };
/* sysconf's answer: -1 if it had none. */
static const struct num_kind K_SYSCONF = {
	"a whole number from -1 to 2147483647", -1, 2147483647.0, true };

/* d for a message: the shortest "%g" form that reads back as d. */
static const char *format_number(char buf[32], double d)
{
	int prec;

	if (isnan(d))
		return "NaN";
	/* cJSON reads 1e999 as infinity. */
	if (isinf(d))
		return d > 0 ? "a number too large for a double" :
			"a negative number too large for a double";
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return buf;
}

/* A number member of kind k; with KEY_NULLABLE, null gives none. */
static int get_num_or(struct load *l, const cJSON *o, const char *key,
		      unsigned need, const struct num_kind *k, double none,
		      double *out)
{
	const cJSON *v;
	char buf[32];
	size_t back;
	double d;

	if (get(l, o, key, cJSON_Number, need, &v) < 0)
		return -1;
	if (!v)
		return 0;
	if (cJSON_IsNull(v)) {
		*out = none;
		return 1;
	}
	d = v->valuedouble;
	if (isfinite(d) && d >= k->min && d <= k->max && (!k->whole || d == floor(d))) {
		*out = d == 0 ? 0 : d;	/* no -0 */
		return 1;
	}
	back = path_key(l, key);
	load_fail(l, "%s is not %s", format_number(buf, d), k->what);
	path_back(l, back);
	return -1;
}

static int get_num(struct load *l, const cJSON *o, const char *key,
		   unsigned need, const struct num_kind *k, double *out)
{
	return get_num_or(l, o, key, need, k, 0, out);
}

static int get_u64(struct load *l, const cJSON *o, const char *key,
		   unsigned need, const struct num_kind *k, uint64_t *out)
{
	double d;
	int rc = get_num(l, o, key, need, k, &d);

	if (rc > 0)
		*out = (uint64_t)d;
	return rc;
}

static int get_u32(struct load *l, const cJSON *o, const char *key,
		   unsigned need, uint32_t *out)
{
	double d;
	int rc = get_num(l, o, key, need, &K_COUNT32, &d);

	if (rc > 0)
		*out = (uint32_t)d;
	return rc;
}

/* Seconds, to the millisecond as the writer keeps them; null (with
 * KEY_NULLABLE, where the writer writes it) is -1, "none". */
static int get_seconds(struct load *l, const cJSON *o, const char *key,
		       unsigned need, double *out)
{
	int rc = get_num_or(l, o, key, need, &K_SECONDS, -1, out);

	if (rc > 0 && *out > 0)
		*out = result_json_ms(*out);
	return rc;
}

/* An exit status or null, -1, "unknown". */
static int get_exit_status(struct load *l, const cJSON *o, const char *key,
			   unsigned need, int *out)
{
	double d;
	int rc = get_num_or(l, o, key, need | KEY_NULLABLE, &K_EXIT, -1, &d);

	if (rc > 0)
		*out = (int)d;
	return rc;
}

static int get_pid(struct load *l, const cJSON *o, const char *key,
		   unsigned need, pid_t *out)
{
	double d;
	int rc = get_num(l, o, key, need, &K_PID, &d);

	if (rc > 0)
		*out = (pid_t)d;
	return rc;
}

/* A required array member and its length; NULL after a message. */
static const cJSON *get_array(struct load *l, const cJSON *o, const char *key,
			      size_t *n)
{
	const cJSON *a, *e;

	*n = 0;
	if (get(l, o, key, cJSON_Array, KEY_REQUIRED, &a) < 0)
		return NULL;
	cJSON_ArrayForEach(e, a)
		(*n)++;
	return a;
}

/* The sizes of a struct mem that the contract names, as bits: the sizes a
 * checkpoint must have, and the fewer the peak must. The breakdown (anon,
 * file, shmem, swap) is never required: absent, it is 0. */
enum mem_size {
	MEM_FOOTPRINT = 1 << 0,
	MEM_RSS = 1 << 1,
	MEM_PSS = 1 << 2,
	MEM_USS = 1 << 3,
	MEM_LAZYFREE = 1 << 4,
};
#define MEM_CHECKPOINT (MEM_FOOTPRINT | MEM_RSS | MEM_PSS | MEM_USS | MEM_LAZYFREE)
#define MEM_PEAK (MEM_FOOTPRINT | MEM_RSS | MEM_PSS)

/* The sizes of m; those in required must be there. */
static int load_mem(struct load *l, const cJSON *o, unsigned required, struct mem *m)
{
	static const struct {
		const char *key;
		size_t off;
		unsigned bit;
	} keys[] = {
		{ "footprint_bytes", offsetof(struct mem, footprint_bytes), MEM_FOOTPRINT },
		{ "rss_bytes", offsetof(struct mem, rss_bytes), MEM_RSS },
		{ "pss_bytes", offsetof(struct mem, pss_bytes), MEM_PSS },
		{ "uss_bytes", offsetof(struct mem, uss_bytes), MEM_USS },
		{ "anon_bytes", offsetof(struct mem, anon_bytes), 0 },
		{ "file_bytes", offsetof(struct mem, file_bytes), 0 },
		{ "shmem_bytes", offsetof(struct mem, shmem_bytes), 0 },
		{ "swap_bytes", offsetof(struct mem, swap_bytes), 0 },
		{ "lazyfree_bytes", offsetof(struct mem, lazyfree_bytes), MEM_LAZYFREE },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (get_u64(l, o, keys[i].key,
			    (required & keys[i].bit) ? KEY_REQUIRED : KEY_OPTIONAL, &K_BYTES,
			    (uint64_t *)((char *)m + keys[i].off)) < 0)
			return -1;
	return 0;
}

/* peak.phase fills a char[8]; renderers print it bare, so it must be a
 * plain word. */
static int get_phase(struct load *l, const cJSON *o, unsigned need, char phase[8])
{
	const cJSON *v;
	const char *s;
	char *q;
	size_t back, n;

	if (get(l, o, "phase", cJSON_String, need, &v) < 0)
		return -1;
	if (!v)
		return 0;
	s = v->valuestring;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
	if (n > 0 && n < 8 && !s[n]) {
		memcpy(phase, s, n + 1);
		return 1;
	}
	q = quote_for_message(s, strlen(s));
	back = path_key(l, "phase");
	load_fail(l, "\"%s\" is not a phase name (1 to 7 lowercase letters)", q);
	path_back(l, back);
	free(q);
	return -1;
}

static int load_peak(struct load *l, const cJSON *o, struct result_peak *p)
{
	if (get_seconds(l, o, "t_s", KEY_REQUIRED, &p->t_s) < 0 ||
	    get_phase(l, o, KEY_OPTIONAL, p->phase) < 0 ||
	    get_u32(l, o, "processes", KEY_OPTIONAL, &p->processes) < 0 ||
	    get_u64(l, o, "uncertain_bytes", KEY_OPTIONAL, &K_BYTES, &p->uncertain_bytes) < 0 ||
	    get_u32(l, o, "deep_denied", KEY_OPTIONAL, &p->deep_denied) < 0)
		return -1;
	return load_mem(l, o, MEM_PEAK, &p->mem);
}

/* The run's drive object; null or absent: no driver. The model says "a
 * driver" by its command alone, so a drive object must have one. */
static int load_drive(struct load *l, const cJSON *o, struct result_drive *d)
{
	const cJSON *x;
	size_t back;

	if (get(l, o, "drive", cJSON_Object, KEY_OPTIONAL | KEY_NULLABLE, &x) < 0)
		return -1;
	if (!x || cJSON_IsNull(x))
		return 0;
	back = path_key(l, "drive");
	if (get_string(l, x, "command", KEY_REQUIRED, &d->command) < 0 ||
	    get_exit_status(l, x, "exit_status", KEY_OPTIONAL, &d->exit_status) < 0 ||
	    get_seconds(l, x, "start_s", KEY_OPTIONAL, &d->start_s) < 0 ||
	    get_seconds(l, x, "end_s", KEY_OPTIONAL | KEY_NULLABLE, &d->end_s) < 0)
		return -1;
	path_back(l, back);
	return 0;
}

/* The run's preload object; null or absent: nothing preloaded. As with
 * drive, the library is what says there is one. */
static int load_preload(struct load *l, const cJSON *o, struct result_preload *p)
{
	const cJSON *x;
	size_t back;

	if (get(l, o, "preload", cJSON_Object, KEY_OPTIONAL | KEY_NULLABLE, &x) < 0)
		return -1;
	if (!x || cJSON_IsNull(x))
		return 0;
	back = path_key(l, "preload");
	if (get_string(l, x, "library", KEY_REQUIRED, &p->library) < 0 ||
	    get_u32(l, x, "processes_checked", KEY_OPTIONAL, &p->checked) < 0 ||
	    get_u32(l, x, "processes_mapped", KEY_OPTIONAL, &p->mapped) < 0 ||
	    get_u32(l, x, "processes_unreadable", KEY_OPTIONAL, &p->unreadable) < 0)
		return -1;
	/* Renderers say "mapped of checked". */
	if (p->mapped > p->checked) {
		path_key(l, "processes_mapped");
		return load_fail(l, "%" PRIu32 " is more than processes_checked (%" PRIu32 ")",
				 p->mapped, p->checked);
	}
	path_back(l, back);
	return 0;
}

/* Without a kind, the checkpoint's kind stays NULL, which renderers and
 * the writer take as "exit". */
static int load_checkpoint(struct load *l, const cJSON *o, struct result_checkpoint *c)
{
	if (!check_type(l, o, cJSON_Object) ||
	    get_string(l, o, "label", KEY_REQUIRED, &c->label) < 0 ||
	    get_string(l, o, "kind", KEY_OPTIONAL, &c->kind) < 0 ||
	    get_seconds(l, o, "t_s", KEY_REQUIRED, &c->t_s) < 0 ||
	    get_u32(l, o, "processes", KEY_OPTIONAL, &c->processes) < 0 ||
	    get_bool(l, o, "deep", KEY_OPTIONAL, &c->deep) < 0 ||
	    get_u32(l, o, "deep_denied", KEY_OPTIONAL, &c->deep_denied) < 0)
		return -1;
	/* Absent: unknown (null: a process was never walked). */
	c->deep_age_s = NAN;
	if (get_seconds(l, o, "deep_age_s", KEY_OPTIONAL | KEY_NULLABLE, &c->deep_age_s) < 0)
		return -1;
	return load_mem(l, o, MEM_CHECKPOINT, &c->mem);
}

static int load_proc(struct load *l, const cJSON *o, struct result_proc *p)
{
	const cJSON *x;
	size_t back;

	if (!check_type(l, o, cJSON_Object) ||
	    get_pid(l, o, "pid", KEY_REQUIRED, &p->pid) < 0 ||
	    get_pid(l, o, "ppid", KEY_REQUIRED, &p->ppid) < 0 ||
	    get_string(l, o, "command", KEY_REQUIRED, &p->command) < 0 ||
	    get_seconds(l, o, "start_s", KEY_REQUIRED, &p->start_s) < 0 ||
	    get_seconds(l, o, "end_s", KEY_REQUIRED | KEY_NULLABLE, &p->end_s) < 0 ||
	    get_exit_status(l, o, "exit_status", KEY_REQUIRED, &p->exit_status) < 0 ||
	    get_u64(l, o, "hwm_bytes", KEY_REQUIRED, &K_BYTES, &p->hwm_bytes) < 0 ||
	    get_u64(l, o, "peak_footprint_bytes", KEY_REQUIRED, &K_BYTES,
		    &p->peak_footprint_bytes) < 0)
		return -1;
	if (get(l, o, "preload_mapped", cJSON_True | cJSON_False,
		KEY_OPTIONAL | KEY_NULLABLE, &x) < 0)
		return -1;
	p->preload = (!x || cJSON_IsNull(x)) ? -1 : cJSON_IsTrue(x);
	{
		double w = 0, shared = 0;

		if (get_num_or(l, o, "wait_maxrss_bytes", KEY_OPTIONAL | KEY_NULLABLE,
			       &K_BYTES, 0, &w) < 0 ||
		    get_num_or(l, o, "mm_shared_with", KEY_OPTIONAL | KEY_NULLABLE,
			       &K_PID, 0, &shared) < 0 ||
		    get_bool(l, o, "deep_denied", KEY_OPTIONAL, &p->deep_denied) < 0 ||
		    get_bool(l, o, "left_running", KEY_OPTIONAL, &p->left_running) < 0 ||
		    get_bool(l, o, "unsignalable", KEY_OPTIONAL, &p->unsignalable) < 0)
			return -1;
		p->wait_maxrss_bytes = (uint64_t)w;
		p->mm_shared_with = (pid_t)shared;
	}
	if (get(l, o, "at_peak", cJSON_Object, KEY_OPTIONAL | KEY_NULLABLE, &x) < 0)
		return -1;
	if (!x || cJSON_IsNull(x))
		return 0;
	p->has_at_peak = true;
	back = path_key(l, "at_peak");
	if (load_mem(l, x, 0, &p->at_peak) < 0)
		return -1;
	path_back(l, back);
	return 0;
}

/* The sampler's series of memwatch's own rss: [t_s, rss_bytes] pairs, at
 * most RESULT_SELF_POINTS of them. Optional. */
static int load_self_rss(struct load *l, const cJSON *o, struct result_sampler *s)
{
	const cJSON *a, *e;
	size_t back, i = 0;
	int rc = 0;

	if (get(l, o, "self_rss", cJSON_Array, KEY_OPTIONAL, &a) < 0)
		return -1;
	if (!a)
		return 0;
	back = path_key(l, "self_rss");
	cJSON_ArrayForEach(e, a) {
		const cJSON *t = cJSON_GetArrayItem(e, 0), *r = cJSON_GetArrayItem(e, 1);
		size_t at = path_index(l, i);

		if (i == RESULT_SELF_POINTS)
			rc = load_fail(l, "more than %d points", RESULT_SELF_POINTS);
		else if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
			 !cJSON_IsNumber(t) || !cJSON_IsNumber(r) ||
			 !isfinite(t->valuedouble) || t->valuedouble < K_SECONDS.min ||
			 t->valuedouble > K_SECONDS.max || !isfinite(r->valuedouble) ||
			 r->valuedouble < 0 || r->valuedouble > K_BYTES.max ||
			 r->valuedouble != floor(r->valuedouble))
			rc = load_fail(l, "expected [seconds, byte count]");
		path_back(l, at);
		if (rc < 0)
			break;
		s->self_rss[i].t_s = result_json_ms(t->valuedouble);
		s->self_rss[i].rss_bytes = (uint64_t)r->valuedouble;
		i++;
	}
	path_back(l, back);
	s->n_self_rss = rc < 0 ? 0 : i;
	return rc;
}

static int load_sampler(struct load *l, const cJSON *o, struct result_sampler *s)
{
	/* Absent, they stay 0, as the zeroed sampler has them. */
	double interval_s = 0, budget_pct = 0;

	if (get_num(l, o, "interval_s", KEY_OPTIONAL, &K_SECONDS, &interval_s) < 0 ||
	    get_u64(l, o, "samples", KEY_REQUIRED, &K_COUNT, &s->samples) < 0 ||
	    get_u64(l, o, "deep_reads", KEY_OPTIONAL, &K_COUNT, &s->deep_reads) < 0 ||
	    get_num(l, o, "deep_budget_pct", KEY_OPTIONAL, &K_PERCENT, &budget_pct) < 0 ||
	    get_seconds(l, o, "cpu_s", KEY_REQUIRED, &s->cpu_s) < 0 ||
	    get_num(l, o, "cpu_pct", KEY_OPTIONAL, &K_MEASURE, &s->cpu_pct) < 0 ||
	    get_u64(l, o, "max_rss_bytes", KEY_REQUIRED, &K_BYTES, &s->max_rss_bytes) < 0 ||
	    get_num(l, o, "fast_us_per_proc_tick", KEY_OPTIONAL, &K_MEASURE,
		    &s->fast_us_per_proc_tick) < 0 ||
	    get_num(l, o, "deep_cpu_s", KEY_OPTIONAL, &K_SECONDS, &s->deep_cpu_s) < 0 ||
	    get_num(l, o, "deep_max_ms", KEY_OPTIONAL, &K_MEASURE, &s->deep_max_ms) < 0 ||
	    get_num(l, o, "deep_mean_ms", KEY_OPTIONAL, &K_MEASURE, &s->deep_mean_ms) < 0 ||
	    get_u64(l, o, "deep_denied", KEY_OPTIONAL, &K_COUNT, &s->deep_denied) < 0 ||
	    load_self_rss(l, o, s) < 0 ||
	    get_u64(l, o, "full_scans", KEY_OPTIONAL, &K_COUNT, &s->full_scans) < 0 ||
	    get_u64(l, o, "children_scans", KEY_OPTIONAL, &K_COUNT, &s->children_scans) < 0 ||
	    get_u64(l, o, "pid_probes", KEY_OPTIONAL, &K_COUNT, &s->pid_probes) < 0 ||
	    get_seconds(l, o, "max_gap_s", KEY_OPTIONAL, &s->max_gap_s) < 0 ||
	    get_u64(l, o, "ramp_ticks", KEY_OPTIONAL, &K_COUNT, &s->ramp_ticks) < 0 ||
	    get_u64(l, o, "burst_ticks", KEY_OPTIONAL, &K_COUNT, &s->burst_ticks) < 0 ||
	    get_u64(l, o, "status_reads", KEY_OPTIONAL, &K_COUNT, &s->status_reads) < 0 ||
	    get_num(l, o, "status_us_per_read", KEY_OPTIONAL, &K_MEASURE,
		    &s->status_us_per_read) < 0 ||
	    get_u64(l, o, "refresh_reads", KEY_OPTIONAL, &K_COUNT, &s->refresh_reads) < 0)
		return -1;
	/* The writer divides; rounding undoes it exactly for any value it
	 * wrote. */
	s->interval_ns = (uint64_t)llround(interval_s * 1e9);
	s->deep_budget_bp = (uint32_t)lround(budget_pct * 100);
	return 0;
}

/* The tree's peak rss and where it comes from; absent, the model keeps
 * "sampled", and readers take the highest sampled rss. */
static int load_peak_rss(struct load *l, const cJSON *o, struct result_run *run)
{
	char *src = NULL;
	double pid = 0;
	size_t back;
	int rc;

	if (get_u64(l, o, "peak_rss_bytes", KEY_OPTIONAL, &K_BYTES, &run->peak_rss_bytes) < 0 ||
	    get_num_or(l, o, "peak_rss_pid", KEY_OPTIONAL | KEY_NULLABLE, &K_PID, 0, &pid) < 0 ||
	    (rc = get_string(l, o, "peak_rss_source", KEY_OPTIONAL, &src)) < 0)
		return -1;
	run->peak_rss_pid = (pid_t)pid;
	if (rc > 0 && !result_peak_rss_source_parse(src, &run->peak_rss_source)) {
		char *q = quote_for_message(src, strlen(src));

		back = path_key(l, "peak_rss_source");
		load_fail(l, "\"%s\" is not sampled, VmHWM or wait4", q);
		path_back(l, back);
		free(q);
		free(src);
		return -1;
	}
	free(src);
	return 0;
}

/* The run's scalar members, peak and drive. Without ended_by, it stays
 * NULL, which renderers and the writer take as "exit". */
static int load_run_summary(struct load *l, const cJSON *o, struct result_run *run)
{
	const cJSON *x;
	size_t back;

	if (get_exit_status(l, o, "exit_status", KEY_REQUIRED, &run->exit_status) < 0 ||
	    get_seconds(l, o, "wall_s", KEY_REQUIRED, &run->wall_s) < 0 ||
	    get_seconds(l, o, "cpu_s", KEY_REQUIRED, &run->cpu_s) < 0 ||
	    get_bool(l, o, "interrupted", KEY_REQUIRED, &run->interrupted) < 0 ||
	    get_string(l, o, "ended_by", KEY_OPTIONAL, &run->ended_by) < 0 ||
	    get(l, o, "peak", cJSON_Object, KEY_REQUIRED, &x) < 0)
		return -1;
	back = path_key(l, "peak");
	if (load_peak(l, x, &run->peak) < 0)
		return -1;
	path_back(l, back);
	if (get_u64(l, o, "max_rss_bytes", KEY_OPTIONAL, &K_BYTES, &run->max_rss_bytes) < 0 ||
	    load_peak_rss(l, o, run) < 0 ||
	    get_u64(l, o, "max_pss_bytes", KEY_OPTIONAL, &K_BYTES, &run->max_pss_bytes) < 0 ||
	    get_u64(l, o, "sum_proc_peak_bytes", KEY_REQUIRED, &K_BYTES,
		    &run->sum_proc_peak_bytes) < 0 ||
	    get_u32(l, o, "processes_seen", KEY_OPTIONAL, &run->processes_seen) < 0 ||
	    get_u32(l, o, "max_processes", KEY_OPTIONAL, &run->max_processes) < 0 ||
	    get_seconds(l, o, "command_exit_s", KEY_OPTIONAL | KEY_NULLABLE,
			&run->command_exit_s) < 0 ||
	    get_u32(l, o, "left_running", KEY_OPTIONAL, &run->left_running) < 0 ||
	    get_bool(l, o, "daemonized", KEY_OPTIONAL, &run->daemonized) < 0 ||
	    get_u32(l, o, "deep_denied_processes", KEY_OPTIONAL, &run->deep_denied) < 0 ||
	    get_u64(l, o, "unmapped_shmem_bytes", KEY_OPTIONAL, &K_BYTES,
		    &run->unmapped_shmem_bytes) < 0 ||
	    get_seconds(l, o, "ready_s", KEY_OPTIONAL | KEY_NULLABLE, &run->ready_s) < 0 ||
	    get_seconds(l, o, "load_start_s", KEY_OPTIONAL | KEY_NULLABLE,
			&run->load_start_s) < 0 ||
	    get_seconds(l, o, "load_end_s", KEY_OPTIONAL | KEY_NULLABLE, &run->load_end_s) < 0 ||
	    get_seconds(l, o, "settle_s", KEY_OPTIONAL | KEY_NULLABLE, &run->settle_s) < 0 ||
	    get_num_or(l, o, "idle_drift_bytes_per_min", KEY_OPTIONAL | KEY_NULLABLE, &K_DRIFT,
		       NAN, &run->idle_drift_bytes_per_min) < 0 ||
	    load_drive(l, o, &run->drive) < 0)
		return -1;
	/* Whole bytes per minute, as written. */
	if (!isnan(run->idle_drift_bytes_per_min))
		run->idle_drift_bytes_per_min = round(run->idle_drift_bytes_per_min) + 0.0;
	return load_preload(l, o, &run->preload);
}

static int load_run(struct load *l, const cJSON *o, struct result_run *run)
{
	const cJSON *a, *e;
	size_t back, back_i, i, n;

	if (!check_type(l, o, cJSON_Object) || load_run_summary(l, o, run) < 0)
		return -1;

	if (!(a = get_array(l, o, "checkpoints", &n)))
		return -1;
	run->checkpoints = xcalloc(n, sizeof(*run->checkpoints));
	run->n_checkpoints = n;
	back = path_key(l, "checkpoints");
	i = 0;
	cJSON_ArrayForEach(e, a) {
		back_i = path_index(l, i);
		if (load_checkpoint(l, e, &run->checkpoints[i++]) < 0)
			return -1;
		path_back(l, back_i);
	}
	path_back(l, back);

	if (!(a = get_array(l, o, "processes", &n)))
		return -1;
	run->processes = xcalloc(n, sizeof(*run->processes));
	run->n_processes = n;
	back = path_key(l, "processes");
	i = 0;
	cJSON_ArrayForEach(e, a) {
		back_i = path_index(l, i);
		if (load_proc(l, e, &run->processes[i++]) < 0)
			return -1;
		path_back(l, back_i);
	}
	path_back(l, back);

	if (get(l, o, "sampler", cJSON_Object, KEY_REQUIRED, &e) < 0)
		return -1;
	back = path_key(l, "sampler");
	if (load_sampler(l, e, &run->sampler) < 0)
		return -1;
	path_back(l, back);
	return 0;
}

/* command: the argv, NULL-terminated. */
static int load_argv(struct load *l, const cJSON *o, struct result_config *c)
{
	const cJSON *a, *e;
	size_t back, back_i, i = 0, n;

	if (!(a = get_array(l, o, "command", &n)))
		return -1;
	c->argv = xcalloc(n + 1, sizeof(*c->argv));
	back = path_key(l, "command");
	cJSON_ArrayForEach(e, a) {
		back_i = path_index(l, i);
		if (!check_type(l, e, cJSON_String))
			return -1;
		c->argv[i++] = fmt_utf8_sanitize(e->valuestring, strlen(e->valuestring));
		path_back(l, back_i);
	}
	path_back(l, back);
	return 0;
}

/* env: an object of name: value strings. */
static int load_env(struct load *l, const cJSON *o, struct result_config *c)
{
	const cJSON *x, *e;
	size_t back, i = 0, n = 0;

	if (get(l, o, "env", cJSON_Object, KEY_REQUIRED, &x) < 0)
		return -1;
	cJSON_ArrayForEach(e, x)
		n++;
	c->env = xcalloc(n, sizeof(*c->env));
	c->n_env = n;
	back = path_key(l, "env");
	cJSON_ArrayForEach(e, x) {
		if (!cJSON_IsString(e)) {
			char *name = quote_for_message(e->string, strlen(e->string));

			path_key(l, name);
			free(name);
			check_type(l, e, cJSON_String);
			return -1;
		}
		c->env[i].name = fmt_utf8_sanitize(e->string, strlen(e->string));
		c->env[i].value = fmt_utf8_sanitize(e->valuestring, strlen(e->valuestring));
		i++;
	}
	path_back(l, back);
	return 0;
}

/* A host, the result's or (in a merged result) a config's. Without a
 * hostname or arch, they are "unknown", as result_host_probe says when it
 * cannot tell. */
static int load_host(struct load *l, const cJSON *o, struct result_host *h)
{
	double cpus, page_size;

	if (get_string(l, o, "hostname", KEY_OPTIONAL, &h->hostname) < 0 ||
	    get_string(l, o, "kernel", KEY_REQUIRED, &h->kernel) < 0 ||
	    get_string(l, o, "arch", KEY_OPTIONAL, &h->arch) < 0 ||
	    get_num(l, o, "cpus", KEY_REQUIRED, &K_SYSCONF, &cpus) < 0 ||
	    get_num(l, o, "page_size", KEY_REQUIRED, &K_SYSCONF, &page_size) < 0 ||
	    get_u64(l, o, "mem_total_bytes", KEY_REQUIRED, &K_BYTES, &h->mem_total_bytes) < 0 ||
	    get_string(l, o, "thp", KEY_REQUIRED, &h->thp) < 0)
		return -1;
	h->cpus = (long)cpus;
	h->page_size = (long)page_size;
	if (!h->hostname)
		h->hostname = xstrdup("unknown");
	if (!h->arch)
		h->arch = xstrdup("unknown");
	return 0;
}

/* A config. Its summary is not read: it is recomputed from the runs. */
static int load_config(struct load *l, const cJSON *o, struct result_config *c)
{
	const cJSON *a, *e, *x;
	size_t back, back_i, i = 0, n;

	if (!check_type(l, o, cJSON_Object) ||
	    get_string(l, o, "name", KEY_REQUIRED, &c->name) < 0)
		return -1;
	/* Only a merged result, from several hosts, has a host per config. */
	if (get(l, o, "host", cJSON_Object, KEY_OPTIONAL, &x) < 0)
		return -1;
	if (x) {
		c->host = xcalloc(1, sizeof(*c->host));
		back = path_key(l, "host");
		if (load_host(l, x, c->host) < 0)
			return -1;
		path_back(l, back);
	}
	if (load_argv(l, o, c) < 0 ||
	    load_env(l, o, c) < 0)
		return -1;
	if (!(a = get_array(l, o, "runs", &n)))
		return -1;
	back = path_key(l, "runs");
	cJSON_ArrayForEach(e, a) {
		back_i = path_index(l, i++);
		/* add_run gives each run the model's "absent" defaults. */
		if (load_run(l, e, result_config_add_run(c)) < 0)
			return -1;
		path_back(l, back_i);
	}
	path_back(l, back);
	return 0;
}

static int load_result(struct load *l, const cJSON *root, struct result *r)
{
	const cJSON *x, *a, *e;
	size_t back, i = 0, n;

	if (get_string(l, root, "memwatch_version", KEY_REQUIRED, &r->memwatch_version) < 0 ||
	    get_string(l, root, "created", KEY_OPTIONAL, &r->created) < 0 ||
	    get(l, root, "host", cJSON_Object, KEY_REQUIRED, &x) < 0)
		return -1;
	back = path_key(l, "host");
	if (load_host(l, x, &r->host) < 0)
		return -1;
	path_back(l, back);
	if (!(a = get_array(l, root, "configs", &n)))
		return -1;
	r->configs = xcalloc(n, sizeof(*r->configs));
	r->n_configs = n;
	back = path_key(l, "configs");
	cJSON_ArrayForEach(e, a) {
		size_t back_i = path_index(l, i);

		if (load_config(l, e, &r->configs[i++]) < 0)
			return -1;
		path_back(l, back_i);
	}
	path_back(l, back);
	return 0;
}

/* The top level: an object whose "schema" is ours. A newer schema is told
 * apart from a file that is not a result at all. */
static int check_schema(const cJSON *root, char *err, size_t errlen)
{
	const cJSON *v;
	const char *s, *n;
	char *q;

	if (!cJSON_IsObject(root))
		return errf(err, errlen, "not a memwatch result (the document is %s, not an object)",
			    type_name(root));
	v = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (!v)
		return errf(err, errlen, "not a memwatch result (no \"schema\")");
	if (!cJSON_IsString(v))
		return errf(err, errlen, "not a memwatch result (\"schema\" is %s, not a string)",
			    type_name(v));
	s = v->valuestring;
	if (!strcmp(s, RESULT_SCHEMA))
		return 0;
	/* memwatch-result/N, N > 1 in plain digits: a later memwatch's. */
	if (!strncmp(s, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX))) {
		n = s + strlen(SCHEMA_PREFIX);
		if (n[0] >= '1' && n[0] <= '9' && n[strspn(n, "0123456789")] == '\0')
			return errf(err, errlen,
				    "schema %s is newer than this memwatch reads (%s)",
				    s, RESULT_SCHEMA);
	}
	q = quote_for_message(s, strlen(s));
	errf(err, errlen, "not a memwatch result (schema \"%s\", not \"%s\")", q,
	     RESULT_SCHEMA);
	free(q);
	return -1;
}

int result_load_text(const char *text, size_t len, struct result *r, char *err,
		     size_t errlen)
{
	struct load l = { .path = "", .err = err, .errlen = errlen };
	struct scan sc = { 0 };
	cJSON *root = NULL;
	size_t off = 0, i;
	int rc = -1;

	if (len > RESULT_LOAD_MAX_BYTES)
		return errf(err, errlen, "too large (%zu bytes; memwatch reads at most %u MiB)",
			    len, RESULT_LOAD_MAX_BYTES >> 20);
	if (len == 0)
		return errf(err, errlen, "empty file");
	/* The writer never writes a byte-order mark, but editors may. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		off = 3;
	for (i = off; i < len && is_ws(text[i]); i++)
		;
	if (i == len)
		return errf(err, errlen, "empty file (only whitespace)");
	if (scan_json(&sc, text, len, off, err, errlen) < 0)
		goto out;
	root = cJSON_ParseWithLengthOpts(text + off, len - off, NULL, false);
	if (!root) {
		/* The scanner accepted it: only memory can be short here. */
		errf(err, errlen, "not JSON (the parser gave up; out of memory?)");
		goto out;
	}
	if (check_schema(root, err, errlen) < 0)
		goto out;
	if (sc.problem) {
		errf(err, errlen, "%s", sc.problem);
		goto out;
	}
	if (load_result(&l, root, r) < 0) {
		result_free(r);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	free(sc.stack);
	free(sc.problem);
	free(sc.too_many);
	return rc;
}

int result_load_file(const char *path, struct result *r, char *err, size_t errlen)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "re");
	size_t len = 0, cap = 64 * 1024, want, n;
	struct stat st;
	char *buf = NULL;
	int rc = -1;

	if (!f)
		return errf(err, errlen, "cannot read: %s", strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		/* A regular file is read in one go, and one that is too large
		 * not at all. (/proc files say 0 bytes: the default then.) */
		if ((uintmax_t)st.st_size > RESULT_LOAD_MAX_BYTES) {
			errf(err, errlen, "too large (%jd bytes; memwatch reads at most %u MiB)",
			     (intmax_t)st.st_size, RESULT_LOAD_MAX_BYTES >> 20);
			goto out;
		}
		if (st.st_size > 0)
			cap = (size_t)st.st_size + 1;
	}
	buf = xmalloc(cap);
	for (;;) {
		want = cap - len;
		n = fread(buf + len, 1, want, f);
		len += n;
		/* Short: the end, or an error. One byte past the limit is
		 * enough to know it is too large. */
		if (n < want || len > RESULT_LOAD_MAX_BYTES)
			break;
		cap = cap > RESULT_LOAD_MAX_BYTES / 2 ? RESULT_LOAD_MAX_BYTES + 1 : cap * 2;
		buf = xreallocarray(buf, cap, 1);
	}
	if (ferror(f))
		errf(err, errlen, "cannot read: %s", strerror(errno));
	else if (len > RESULT_LOAD_MAX_BYTES)
		errf(err, errlen, "too large (more than %u MiB, the most memwatch reads)",
		     RESULT_LOAD_MAX_BYTES >> 20);
	else
		rc = result_load_text(buf, len, r, err, errlen);
out:
	free(buf);
	if (!is_stdin)
		fclose(f);
	return rc;
}
