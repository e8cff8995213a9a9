/* result/walk.h - the loader's typed reads of a cJSON tree, naming the path of what is wrong
 *
 * Every read is of a member of an object, by key, checked for its type and
 * range; a failure writes "<path>: <what>" ("configs[1].runs[0].wall_s:
 * missing") to the walk's err and returns -1. */
#ifndef MEMWATCH_RESULT_WALK_H
#define MEMWATCH_RESULT_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

struct walk {
	char path[512];		/* where the walk is, "configs[0].runs[1]" */
	size_t path_len;
	char *err;
	size_t errlen;
};

/* The message "<path>: <what>" in the walk's err. Returns -1. */
__attribute__((format(printf, 2, 3)))
int walk_fail(struct walk *w, const char *fmt, ...);

/* Descend into an object's member, or an array's element; each returns
 * the path's length before, for walk_back to return to. */
size_t walk_key(struct walk *w, const char *key);
size_t walk_index(struct walk *w, size_t i);
void walk_back(struct walk *w, size_t back);

/* What v is, for messages: "a string", "null", "an object", ... */
const char *walk_type_name(const cJSON *v);

/* Is v (at the current path) one of the cJSON types in want? false after
 * a message. */
bool walk_type(struct walk *w, const cJSON *v, int want);

/* How a key may be, besides its type. The keys of the schema's minimum
 * (memwatch(1), MEMWATCH REPORT) are required. Every other key the writer
 * writes is optional, so that a result from another tool, or from a
 * memwatch that writes less, loads: absent, the model keeps its "absent"
 * default (the zeroed struct's, or result_config_add_run's). Present, it is
 * checked as strictly as a required key. */
enum walk_need {
	WALK_REQUIRED = 0,
	WALK_OPTIONAL = 1 << 0,
	WALK_NULLABLE = 1 << 1,	/* null too, where the writer writes null */
};

/* Member key of o, of one of the types in want (or null, with
 * WALK_NULLABLE), in *out. An absent optional key is not an error: *out is
 * NULL. 0, or -1 after a message. */
int walk_get(struct walk *w, const cJSON *o, const char *key, int want,
	     unsigned need, const cJSON **out);

/* What a number may be, named as the messages say it. */
struct walk_kind {
	const char *what;
	double min, max;
	bool whole;
};

extern const struct walk_kind WALK_BYTES, WALK_COUNT, WALK_COUNT32, WALK_SECONDS,
	WALK_PID, WALK_EXIT, WALK_DRIFT, WALK_PERCENT, WALK_MEASURE, WALK_SYSCONF;

/* The typed reads below return 1 when they set *out, 0 when an optional
 * key is absent and *out is left as it was, and -1 after a message. */

/* A string member, copied as valid UTF-8. */
int walk_string(struct walk *w, const cJSON *o, const char *key, unsigned need,
		char **out);
int walk_bool(struct walk *w, const cJSON *o, const char *key, unsigned need,
	      bool *out);
/* A number member of kind k; with WALK_NULLABLE, null gives none. */
int walk_num_or(struct walk *w, const cJSON *o, const char *key, unsigned need,
		const struct walk_kind *k, double none, double *out);
/* The same, null (if allowed) giving 0. */
int walk_num(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     const struct walk_kind *k, double *out);
int walk_u64(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     const struct walk_kind *k, uint64_t *out);
/* A count of kind WALK_COUNT32. */
int walk_u32(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     uint32_t *out);
/* Seconds, to the millisecond as the writer keeps them; null (with
 * WALK_NULLABLE, where the writer writes it) is -1, "none". */
int walk_seconds(struct walk *w, const cJSON *o, const char *key, unsigned need,
		 double *out);
/* An exit status or null, -1, "unknown". */
int walk_exit_status(struct walk *w, const cJSON *o, const char *key,
		     unsigned need, int *out);
int walk_pid(struct walk *w, const cJSON *o, const char *key, unsigned need,
	     pid_t *out);

/* A required array member and its length; NULL after a message. */
const cJSON *walk_array(struct walk *w, const cJSON *o, const char *key, size_t *n);
/* An optional array member and its length: 1 with it, 0 without (*out
 * NULL, *n 0), -1 after a message. */
int walk_optional_array(struct walk *w, const cJSON *o, const char *key,
			const cJSON **out, size_t *n);

#endif
