/* test_knobs.c - the tuning variables each allocator version reads, and the warning for one it does not */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compare/knobs.h"
#include "tap.h"

/* knobs_check(allocator, assignment) says nothing. */
static void reads(const char *allocator, const char *assignment)
{
	char *why = knobs_check(allocator, assignment);

	ok(!why, "%s reads %s%s%s", allocator ? allocator : "(unknown)", assignment,
	   why ? ": " : "", why ? why : "");
	free(why);
}

/* knobs_check warns, and the warning contains want. */
static void warns(const char *allocator, const char *assignment, const char *want)
{
	char *why = knobs_check(allocator, assignment);

	ok(why && strstr(why, want), "%s, %s: warns '%s' (%s)", allocator, assignment,
	   want, why ? why : "no warning");
	free(why);
}

int main(void)
{
	reads("mimalloc 2.0.9", "MIMALLOC_DECOMMIT_DELAY=0");
	warns("mimalloc 2.0.9", "MIMALLOC_PURGE_DELAY=0",
	      "mimalloc 2.0.9 does not read MIMALLOC_PURGE_DELAY; it reads MIMALLOC_DECOMMIT_DELAY");
	reads("mimalloc 2.1.1", "MIMALLOC_DECOMMIT_DELAY=0");
	reads("mimalloc 2.1.2", "MIMALLOC_PURGE_DELAY=0");
	warns("mimalloc 2.1.9", "MIMALLOC_DECOMMIT_DELAY=0", "it reads MIMALLOC_PURGE_DELAY");
	reads("mimalloc 3.0.1", "MIMALLOC_PURGE_DELAY=100");
	warns("mimalloc 3.0.1", "MIMALLOC_DECOMMIT_DELAY=100",
	      "mimalloc 3.0.1 does not read MIMALLOC_DECOMMIT_DELAY; it reads MIMALLOC_PURGE_DELAY");
	reads("mimalloc 3.0.1", "MIMALLOC_SHOW_STATS=1");
	warns("jemalloc 5.3.0", "MIMALLOC_PURGE_DELAY=0", "it reads MALLOC_CONF");
	reads("jemalloc 5.3.0", "MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0");
	reads("jemalloc 5.3.0", "MALLOC_CONF=background_thread:true");
	warns("jemalloc 5.3.0", "MALLOC_CONF=decay_time:0", "does not read MALLOC_CONF's decay_time");
	warns("jemalloc 5.3.0", "MALLOC_CONF=narenas:1,lg_dirty_mult:-1", "lg_dirty_mult");
	warns("mimalloc 2.0.9", "MALLOC_CONF=dirty_decay_ms:0", "it reads MIMALLOC_DECOMMIT_DELAY");
	reads("glibc 2.36", "GLIBC_TUNABLES=glibc.malloc.trim_threshold=0:glibc.malloc.arena_max=1");
	reads("glibc 2.36", "MALLOC_ARENA_MAX=2");
	warns("jemalloc 5.3.0", "GLIBC_TUNABLES=glibc.malloc.arena_max=1",
	      "replaces glibc's malloc");
	reads("jemalloc 5.3.0", "GLIBC_TUNABLES=glibc.rtld.nns=2");
	warns("glibc 2.36", "MIMALLOC_PURGE_DELAY=0", "it reads GLIBC_TUNABLES");
	warns("mimalloc 3.0.1", "MALLOC_ARENA_MAX=1", "it reads MIMALLOC_PURGE_DELAY");
	reads("tcmalloc 2.10", "TCMALLOC_RELEASE_RATE=10");
	warns("glibc 2.36", "TCMALLOC_RELEASE_RATE=10", "does not read TCMALLOC_RELEASE_RATE");
	reads("mimalloc 3.0.1", "NODE_ENV=production");
	reads(NULL, "MIMALLOC_PURGE_DELAY=0");
	return tap_done();
}
