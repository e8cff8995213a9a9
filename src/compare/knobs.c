/* compare/knobs.c - the tuning variables each allocator version reads, and a warning for one it does not
 *
 * A knob the loaded library does not read changes nothing, silently: a
 * comparison of "mimalloc with a shorter purge delay" against mimalloc would
 * show two equal columns. The facts, from the allocators' own option tables:
 *   mimalloc up to 2.1.1   MIMALLOC_DECOMMIT_DELAY (25 ms)
 *   mimalloc 2.1.2 on, 3.x MIMALLOC_PURGE_DELAY (10 ms in 2.1, 2500 ms in
 *                          3.0); both also read the older MIMALLOC_RESET_DELAY
 *   jemalloc 5             MALLOC_CONF dirty_decay_ms, muzzy_decay_ms,
 *                          background_thread (4.x had decay_time, lg_dirty_mult)
 *   glibc                  GLIBC_TUNABLES glibc.malloc.trim_threshold,
 *                          glibc.malloc.arena_max (and MALLOC_TRIM_THRESHOLD_,
 *                          MALLOC_ARENA_MAX), only when glibc's malloc is used
 *   gperftools tcmalloc    TCMALLOC_RELEASE_RATE */
#include "config.h"

#include "compare/knobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* "mimalloc 2.1.2" as 20102, for ordering; 0 if there is no number. */
static unsigned long version_number(const char *allocator)
{
	const char *sp = strchr(allocator, ' ');
	unsigned long part[3] = { 0, 0, 0 };
	char *end;
	int i;

	if (!sp)
		return 0;
	end = (char *)sp + 1;
	for (i = 0; i < 3; i++) {
		part[i] = strtoul(end, &end, 10);
		if (*end != '.')
			break;
		end++;
	}
	return part[0] * 10000 + part[1] * 100 + part[2];
}

static bool is_family(const char *allocator, const char *family)
{
	size_t n = strlen(family);

	return !strncmp(allocator, family, n) && allocator[n] == ' ';
}

/* The delay variable this mimalloc reads. */
static const char *mimalloc_delay_var(const char *allocator)
{
	return version_number(allocator) >= 20102 ? "MIMALLOC_PURGE_DELAY" :
						     "MIMALLOC_DECOMMIT_DELAY";
}

/* What the loaded allocator reads to give memory back sooner or later. */
static const char *what_it_reads(const char *allocator)
{
	if (is_family(allocator, "mimalloc"))
		return mimalloc_delay_var(allocator);
	if (is_family(allocator, "jemalloc"))
		return "MALLOC_CONF (dirty_decay_ms, muzzy_decay_ms, background_thread)";
	if (is_family(allocator, "glibc"))
		return "GLIBC_TUNABLES (glibc.malloc.trim_threshold, glibc.malloc.arena_max)";
	if (is_family(allocator, "tcmalloc"))
		return "TCMALLOC_RELEASE_RATE";
	return NULL;
}

/* A key of MALLOC_CONF ("dirty_decay_ms:0,decay_time:1") jemalloc 5 no
 * longer reads, or NULL. */
static const char *old_jemalloc_key(const char *conf)
{
	static const char *const old[] = { "decay_time", "lg_dirty_mult", "purge" };
	const char *p = conf;
	size_t i, n;

	while (*p) {
		n = strcspn(p, ":,");
		for (i = 0; i < sizeof(old) / sizeof(old[0]); i++)
			if (n == strlen(old[i]) && !strncmp(p, old[i], n))
				return old[i];
		p += strcspn(p, ",");
		if (*p)
			p++;
	}
	return NULL;
}

char *knobs_check(const char *allocator, const char *assignment)
{
	size_t n = strcspn(assignment, "=");
	const char *value = assignment[n] ? assignment + n + 1 : "";
	const char *reads, *key;
	char var[64];

	if (!allocator || n >= sizeof(var))
		return NULL;
	memcpy(var, assignment, n);
	var[n] = '\0';
	reads = what_it_reads(allocator);
	if (!strcmp(var, "MIMALLOC_DECOMMIT_DELAY") || !strcmp(var, "MIMALLOC_PURGE_DELAY")) {
		if (is_family(allocator, "mimalloc") && !strcmp(var, mimalloc_delay_var(allocator)))
			return NULL;
	} else if (!strncmp(var, "MIMALLOC_", 9)) {
		if (is_family(allocator, "mimalloc"))
			return NULL;
	} else if (!strcmp(var, "MALLOC_CONF")) {
		if (is_family(allocator, "jemalloc")) {
			if (!(key = old_jemalloc_key(value)))
				return NULL;
			return xasprintf("%s does not read MALLOC_CONF's %s; it reads %s",
					 allocator, key, reads);
		}
	} else if (!strcmp(var, "GLIBC_TUNABLES")) {
		if (is_family(allocator, "glibc") || !strstr(value, "glibc.malloc."))
			return NULL;
		return xasprintf("%s replaces glibc's malloc, which reads the "
				 "glibc.malloc tunables of GLIBC_TUNABLES; it reads %s",
				 allocator, reads ? reads : "none of them");
	} else if (!strcmp(var, "MALLOC_ARENA_MAX") || !strcmp(var, "MALLOC_TRIM_THRESHOLD_") ||
		   !strcmp(var, "MALLOC_TOP_PAD_") || !strcmp(var, "MALLOC_MMAP_THRESHOLD_")) {
		if (is_family(allocator, "glibc"))
			return NULL;
	} else if (!strncmp(var, "TCMALLOC_", 9)) {
		if (is_family(allocator, "tcmalloc"))
			return NULL;
	} else {
		return NULL;		/* not an allocator's knob */
	}
	if (!reads)
		return xasprintf("%s does not read %s", allocator, var);
	return xasprintf("%s does not read %s; it reads %s", allocator, var, reads);
}
