/* result/pool.c - the runs of one configuration from several result files, pooled into one */
#include "config.h"

#include "result/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/xalloc.h"

/* Append "what a and b" to why, "; " between. */
static void say(char *why, size_t len, const char *what, const char *a, const char *b)
{
	size_t used = strlen(why);

	if (used < len)
		snprintf(why + used, len - used, "%s%s %s and %s", used ? "; " : "", what, a, b);
}

/* Where two hosts differ in what changes memory: said in why. */
static bool hosts_agree(const struct result_host *a, const struct result_host *b,
			char *why, size_t len)
{
	char x[FMT_BUF], y[FMT_BUF];

	if (strcmp(a->kernel, b->kernel))
		say(why, len, "kernel", a->kernel, b->kernel);
	if (strcmp(a->arch, b->arch))
		say(why, len, "architecture", a->arch, b->arch);
	if (a->cpus != b->cpus) {
		snprintf(x, sizeof(x), "%ld", a->cpus);
		snprintf(y, sizeof(y), "%ld", b->cpus);
		say(why, len, "CPUs", x, y);
	}
	if (a->mem_total_bytes != b->mem_total_bytes)
		say(why, len, "memory", fmt_bytes(x, a->mem_total_bytes, false),
		    fmt_bytes(y, b->mem_total_bytes, false));
	if (strcmp(a->thp, b->thp))
		say(why, len, "THP", a->thp, b->thp);
	return !*why;
}

/* Whether two NULL-terminated argument vectors (or NULLs) are equal. */
static bool same_argv(char *const *a, char *const *b)
{
	size_t i;

	for (i = 0; a && b && a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return (!a || !a[i]) == (!b || !b[i]);
}

bool result_pool_runs(struct result_config *dst, const struct result_host *dst_host,
		      struct result_config *src, const struct result_host *src_host,
		      char *why, size_t len)
{
	bool agree;

	if (len)
		*why = '\0';
	agree = hosts_agree(dst_host, src_host, why, len);
	if (!same_argv(dst->argv, src->argv)) {
		say(why, len, "commands", "differ", "are pooled all the same");
		agree = false;
	}
	dst->runs = xreallocarray(dst->runs, dst->n_runs + src->n_runs, sizeof(*dst->runs));
	memcpy(dst->runs + dst->n_runs, src->runs, src->n_runs * sizeof(*src->runs));
	dst->n_runs += src->n_runs;
	free(src->runs);
	src->runs = NULL;
	src->n_runs = 0;
	return agree;
}
