/* result/load.c - loading a result file back: the document, its hosts and configurations
 *
 * Two passes. scan_json() reads the text byte by byte before cJSON sees it,
 * so that a file that is not JSON gets a message that says where and why;
 * then cJSON builds the tree and load_result() copies it into the model,
 * load_run() each run. The keys of the schema's minimum (memwatch(1),
 * MEMWATCH REPORT) must be there; the other keys the writer (result/json.c)
 * writes may be absent, and the model then keeps its "absent" default.
 * Every key that is there is checked: of its type, in range. Keys it does
 * not know are ignored, so that later memwatch versions can add to schema
 * 1; derived values the writer adds (peak.pct_of_wall, each config's
 * summary) are recomputed, not read. */
#include "config.h"

#include "result/load.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "result/load_run.h"
#include "result/message.h"
#include "result/scan.h"
#include "result/walk.h"
#include "util/fmt.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define SCHEMA_PREFIX "memwatch-result/"

/* command: the argv, NULL-terminated. */
static int load_argv(struct walk *w, const cJSON *o, struct result_config *c)
{
	const cJSON *a, *e;
	size_t back, back_i, i = 0, n;

	if (!(a = walk_array(w, o, "command", &n)))
		return -1;
	c->argv = strv_new();
	back = walk_key(w, "command");
	cJSON_ArrayForEach(e, a) {
		back_i = walk_index(w, i);
		if (!walk_type(w, e, cJSON_String))
			return -1;
		strv_push(&c->argv, fmt_utf8_sanitize(e->valuestring, strlen(e->valuestring)));
		i++;
		walk_back(w, back_i);
	}
	walk_back(w, back);
	return 0;
}

/* env: an object of name: value strings. */
static int load_env(struct walk *w, const cJSON *o, struct result_config *c)
{
	const cJSON *x, *e;
	size_t back, i = 0, n = 0;

	if (walk_get(w, o, "env", cJSON_Object, WALK_REQUIRED, &x) < 0)
		return -1;
	cJSON_ArrayForEach(e, x)
		n++;
	c->env = xcalloc(n, sizeof(*c->env));
	c->n_env = n;
	back = walk_key(w, "env");
	cJSON_ArrayForEach(e, x) {
		if (!cJSON_IsString(e)) {
			char *name = message_quote(e->string, strlen(e->string));

			walk_key(w, name);
			free(name);
			walk_type(w, e, cJSON_String);
			return -1;
		}
		c->env[i].name = fmt_utf8_sanitize(e->string, strlen(e->string));
		c->env[i].value = fmt_utf8_sanitize(e->valuestring, strlen(e->valuestring));
		i++;
	}
	walk_back(w, back);
	return 0;
}

/* A host, the result's or (in a merged result) a config's. Without a
 * hostname or arch, they are "unknown", as result_host_probe says when it
 * cannot tell. */
static int load_host(struct walk *w, const cJSON *o, struct result_host *h)
{
	double cpus, page_size;

	if (walk_string(w, o, "hostname", WALK_OPTIONAL, &h->hostname) < 0 ||
	    walk_string(w, o, "kernel", WALK_REQUIRED, &h->kernel) < 0 ||
	    walk_string(w, o, "arch", WALK_OPTIONAL, &h->arch) < 0 ||
	    walk_num(w, o, "cpus", WALK_REQUIRED, &WALK_SYSCONF, &cpus) < 0 ||
	    walk_num(w, o, "page_size", WALK_REQUIRED, &WALK_SYSCONF, &page_size) < 0 ||
	    walk_u64(w, o, "mem_total_bytes", WALK_REQUIRED, &WALK_BYTES,
		     &h->mem_total_bytes) < 0 ||
	    walk_string(w, o, "thp", WALK_REQUIRED, &h->thp) < 0)
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
static int load_config(struct walk *w, const cJSON *o, struct result_config *c)
{
	const cJSON *a, *e, *x;
	size_t back, back_i, i = 0, n;

	if (!walk_type(w, o, cJSON_Object) ||
	    walk_string(w, o, "name", WALK_REQUIRED, &c->name) < 0)
		return -1;
	/* Only a merged result, from several hosts, has a host per config. */
	if (walk_get(w, o, "host", cJSON_Object, WALK_OPTIONAL, &x) < 0)
		return -1;
	if (x) {
		c->host = xcalloc(1, sizeof(*c->host));
		back = walk_key(w, "host");
		if (load_host(w, x, c->host) < 0)
			return -1;
		walk_back(w, back);
	}
	if (load_argv(w, o, c) < 0 ||
	    walk_string(w, o, "allocator", WALK_OPTIONAL, &c->allocator) < 0 ||
	    load_env(w, o, c) < 0)
		return -1;
	if (!(a = walk_array(w, o, "runs", &n)))
		return -1;
	back = walk_key(w, "runs");
	cJSON_ArrayForEach(e, a) {
		back_i = walk_index(w, i++);
		/* add_run gives each run the model's "absent" defaults. */
		if (load_run(w, e, result_config_add_run(c)) < 0)
			return -1;
		walk_back(w, back_i);
	}
	walk_back(w, back);
	return 0;
}

static int load_result(struct walk *w, const cJSON *root, struct result *r)
{
	const cJSON *x, *a, *e;
	size_t back, i = 0, n;

	if (walk_string(w, root, "memwatch_version", WALK_REQUIRED, &r->memwatch_version) < 0 ||
	    walk_string(w, root, "created", WALK_OPTIONAL, &r->created) < 0 ||
	    walk_get(w, root, "host", cJSON_Object, WALK_REQUIRED, &x) < 0)
		return -1;
	back = walk_key(w, "host");
	if (load_host(w, x, &r->host) < 0)
		return -1;
	walk_back(w, back);
	if (!(a = walk_array(w, root, "configs", &n)))
		return -1;
	/* memwatch writes every configuration before it runs any: a result
	 * with none was not written by memwatch, and has nothing to show. */
	if (!n) {
		walk_key(w, "configs");
		return walk_fail(w, "holds no configuration (at least one is needed)");
	}
	r->configs = xcalloc(n, sizeof(*r->configs));
	r->n_configs = n;
	back = walk_key(w, "configs");
	cJSON_ArrayForEach(e, a) {
		size_t back_i = walk_index(w, i);

		if (load_config(w, e, &r->configs[i++]) < 0)
			return -1;
		walk_back(w, back_i);
	}
	walk_back(w, back);
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
		return message_fail(err, errlen,
				    "not a memwatch result (the document is %s, not an object)",
				    walk_type_name(root));
	v = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (!v)
		return message_fail(err, errlen, "not a memwatch result (no \"schema\")");
	if (!cJSON_IsString(v))
		return message_fail(err, errlen,
				    "not a memwatch result (\"schema\" is %s, not a string)",
				    walk_type_name(v));
	s = v->valuestring;
	if (!strcmp(s, RESULT_SCHEMA))
		return 0;
	/* memwatch-result/N, N > 1 in plain digits: a later memwatch's. */
	if (!strncmp(s, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX))) {
		n = s + strlen(SCHEMA_PREFIX);
		if (n[0] >= '1' && n[0] <= '9' && n[strspn(n, "0123456789")] == '\0')
			return message_fail(err, errlen,
				    "schema %s is newer than this memwatch reads (%s)",
				    s, RESULT_SCHEMA);
	}
	q = message_quote(s, strlen(s));
	message_fail(err, errlen, "not a memwatch result (schema \"%s\", not \"%s\")", q,
		     RESULT_SCHEMA);
	free(q);
	return -1;
}

int result_load_text(const char *text, size_t len, struct result *r, char *err,
		     size_t errlen)
{
	struct walk w = { .path = "", .err = err, .errlen = errlen };
	cJSON *root = NULL;
	char *nul = NULL;
	size_t off = 0, i;
	int rc = -1;

	if (len > RESULT_LOAD_MAX_BYTES)
		return message_fail(err, errlen,
				    "too large (%zu bytes; memwatch reads at most %u MiB)",
				    len, RESULT_LOAD_MAX_BYTES >> 20);
	if (len == 0)
		return message_fail(err, errlen, "empty file");
	/* The writer never writes a byte-order mark, but editors may. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		off = 3;
	for (i = off; i < len && scan_is_space(text[i]); i++)
		;
	if (i == len)
		return message_fail(err, errlen, "empty file (only whitespace)");
	if (scan_json(text, len, off, &nul, err, errlen) < 0)
		goto out;
	root = cJSON_ParseWithLengthOpts(text + off, len - off, NULL, false);
	if (!root) {
		/* The scanner accepted it: only memory can be short here. */
		message_fail(err, errlen, "not JSON (the parser gave up; out of memory?)");
		goto out;
	}
	if (check_schema(root, err, errlen) < 0)
		goto out;
	if (nul) {
		message_fail(err, errlen, "%s", nul);
		goto out;
	}
	if (load_result(&w, root, r) < 0) {
		result_free(r);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	free(nul);
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
		return message_fail(err, errlen, "cannot read: %s", strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		/* A regular file is read in one go, and one that is too large
		 * not at all. (/proc files say 0 bytes: the default then.) */
		if ((uintmax_t)st.st_size > RESULT_LOAD_MAX_BYTES) {
			message_fail(err, errlen,
				     "too large (%jd bytes; memwatch reads at most %u MiB)",
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
		message_fail(err, errlen, "cannot read: %s", strerror(errno));
	else if (len > RESULT_LOAD_MAX_BYTES)
		message_fail(err, errlen, "too large (more than %u MiB, the most memwatch reads)",
			     RESULT_LOAD_MAX_BYTES >> 20);
	else
		rc = result_load_text(buf, len, r, err, errlen);
out:
	free(buf);
	if (!is_stdin)
		fclose(f);
	return rc;
}

