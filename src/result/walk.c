/* result/walk.c - the loader's typed reads of a cJSON tree, naming the path of what is wrong */
#include "config.h"

#include "result/walk.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/json.h"
#include "result/message.h"
#include "util/fmt.h"

/* JSON numbers are doubles: past 2^53 they no longer count every byte. */
const struct walk_kind WALK_BYTES = {
	"a byte count (a whole number from 0 to 2^53)", 0, 0x1p53, true };
const struct walk_kind WALK_COUNT = {
	"a count (a whole number from 0 to 2^53)", 0, 0x1p53, true };
const struct walk_kind WALK_COUNT32 = {
	"a count (a whole number from 0 to 4294967295)", 0, 4294967295.0, true };
const struct walk_kind WALK_SECONDS = {
	"a time in seconds (0 to 1e9)", 0, 1e9, false };
const struct walk_kind WALK_PID = {
	"a pid (a whole number from 0 to 2147483647)", 0, 2147483647.0, true };
const struct walk_kind WALK_EXIT = {
	"an exit status (a whole number from 0 to 255)", 0, 255, true };
const struct walk_kind WALK_DRIFT = {
	"a drift in bytes per minute (-2^53 to 2^53)", -0x1p53, 0x1p53, false };
const struct walk_kind WALK_PERCENT = {
	"a percentage (0 to 100)", 0, 100, false };
const struct walk_kind WALK_MEASURE = {
	"a measurement (0 to 1e9)", 0, 1e9, false };
/* sysconf's answer: -1 if it had none. */
const struct walk_kind WALK_SYSCONF = {
	"a whole number from -1 to 2147483647", -1, 2147483647.0, true };

int walk_fail(struct walk *w, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return message_fail(w->err, w->errlen, "%s: %s", w->path, what);
}

/* Append to the path; returns its length before, for walk_back. */
__attribute__((format(printf, 2, 3)))
static size_t walk_push(struct walk *w, const char *fmt, ...)
{
	size_t back = w->path_len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->path + back, sizeof(w->path) - back, fmt, ap);
	va_end(ap);
	w->path_len = strlen(w->path);
	return back;
}

size_t walk_key(struct walk *w, const char *key)
{
	return walk_push(w, "%s%s", w->path_len ? "." : "", key);
}

size_t walk_index(struct walk *w, size_t i)
{
	return walk_push(w, "[%zu]", i);
}

void walk_back(struct walk *w, size_t back)
{
	w->path_len = back;
	w->path[back] = '\0';
}

const char *walk_type_name(const cJSON *v)
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

bool walk_type(struct walk *w, const cJSON *v, int want)
{
	if ((v->type & 0xff & want) != 0)
		return true;
	walk_fail(w, "expected %s, got %s", want_name(want), walk_type_name(v));
	return false;
}

int walk_get(struct walk *w, const cJSON *o, const char *key, int want,
	     unsigned need, const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t back;
	int rc = 0;

	*out = NULL;
	if (!v && (need & WALK_OPTIONAL))
		return 0;
	back = walk_key(w, key);
	if (!v)
		rc = walk_fail(w, "missing");
	else if (!walk_type(w, v, want | ((need & WALK_NULLABLE) ? cJSON_NULL : 0)))
		rc = -1;
	else
		*out = v;
	walk_back(w, back);
	return rc;
}

int walk_string(struct walk *w, const cJSON *o, const char *key, unsigned need,
		char **out)
{
	const cJSON *v;

	if (walk_get(w, o, key, cJSON_String, need, &v) < 0)
		return -1;
	if (!v)
		return 0;
	*out = fmt_utf8_sanitize(v->valuestring, strlen(v->valuestring));
	return 1;
}

int walk_bool(struct walk *w, const cJSON *o, const char *key, unsigned need,
	      bool *out)
{
	const cJSON *v;

	if (walk_get(w, o, key, cJSON_True | cJSON_False, need, &v) < 0)
		return -1;
	if (!v)
		return 0;
	*out = cJSON_IsTrue(v);
	return 1;
}

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

int walk_num_or(struct walk *w, const cJSON *o, const char *key, unsigned need,
		const struct walk_kind *k, double none, double *out)
{
	const cJSON *v;
	char buf[32];
	size_t back;
	double d;

	if (walk_get(w, o, key, cJSON_Number, need, &v) < 0)
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
	back = walk_key(w, key);
	walk_fail(w, "%s is not %s", format_number(buf, d), k->what);
	walk_back(w, back);
	return -1;
}

int walk_num(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     const struct walk_kind *k, double *out)
{
	return walk_num_or(w, o, key, need, k, 0, out);
}

int walk_u64(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     const struct walk_kind *k, uint64_t *out)
{
	double d;
	int rc = walk_num(w, o, key, need, k, &d);

	if (rc > 0)
		*out = (uint64_t)d;
	return rc;
}

int walk_u32(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     uint32_t *out)
{
	double d;
	int rc = walk_num(w, o, key, need, &WALK_COUNT32, &d);

	if (rc > 0)
		*out = (uint32_t)d;
	return rc;
}

int walk_seconds(struct walk *w, const cJSON *o, const char *key, unsigned need,
		 double *out)
{
	int rc = walk_num_or(w, o, key, need, &WALK_SECONDS, -1, out);

	if (rc > 0 && *out > 0)
		*out = result_json_ms(*out);
	return rc;
}

int walk_exit_status(struct walk *w, const cJSON *o, const char *key,
		     unsigned need, int *out)
{
	double d;
	int rc = walk_num_or(w, o, key, need | WALK_NULLABLE, &WALK_EXIT, -1, &d);

	if (rc > 0)
		*out = (int)d;
	return rc;
}

int walk_pid(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     pid_t *out)
{
	double d;
	int rc = walk_num(w, o, key, need, &WALK_PID, &d);

	if (rc > 0)
		*out = (pid_t)d;
	return rc;
}

/* The array member key, as need asks, and its length. */
static int walk_array_need(struct walk *w, const cJSON *o, const char *key,
			   unsigned need, const cJSON **out, size_t *n)
{
	const cJSON *e;

	*n = 0;
	if (walk_get(w, o, key, cJSON_Array, need, out) < 0)
		return -1;
	if (!*out)
		return 0;
	cJSON_ArrayForEach(e, *out)
		(*n)++;
	return 1;
}

const cJSON *walk_array(struct walk *w, const cJSON *o, const char *key, size_t *n)
{
	const cJSON *a;

	return walk_array_need(w, o, key, WALK_REQUIRED, &a, n) < 0 ? NULL : a;
}

int walk_optional_array(struct walk *w, const cJSON *o, const char *key,
			const cJSON **out, size_t *n)
{
	return walk_array_need(w, o, key, WALK_OPTIONAL, out, n);
}
