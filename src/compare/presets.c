/* compare/presets.c - the allocator presets of compare, found on this machine
 *
 * A preset is a malloc replacement applied with LD_PRELOAD. Its library is
 * looked for first in the directories of MEMWATCH_PRESET_PATH (colon-
 * separated), then, when memwatch runs from its build tree, where
 * scripts/deps unpacks the libraries of a later Debian release
 * (build/debian/SUITE/root/usr/lib/TUPLE), then where the dynamic linker
 * would find it (library_find). */
#include "config.h"

#include "compare/presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"
#include "util/xalloc.h"

struct preset {
	const char *name;
	bool in_default;	/* compared when no -c is given */
	const char *sonames[3];	/* preferred first */
	const char *package;	/* Debian 12 */
};

static const struct preset presets[] = {
	{ "system", true, { NULL }, NULL },
	{ "jemalloc", true, { "libjemalloc.so.2", NULL }, "libjemalloc2" },
	{ "mimalloc", true, { "libmimalloc.so.2", NULL }, "libmimalloc2.0" },
	{ "mimalloc3", true, { "libmimalloc.so.3", NULL },
	  "libmimalloc3 (Debian 13; scripts/deps unpacks it into the build tree)" },
	{ "tcmalloc", false, { "libtcmalloc_minimal.so.4", "libtcmalloc.so.4", NULL },
	  "libtcmalloc-minimal4" },
};

/* The later Debian releases whose libraries scripts/deps unpacks. */
static const char *const build_suites[] = { "trixie" };

#define N_PRESETS (sizeof(presets) / sizeof(presets[0]))

const char *const *preset_names(void)
{
	static const char *names[N_PRESETS + 1];
	size_t i;

	for (i = 0; i < N_PRESETS; i++)
		names[i] = presets[i].name;
	return names;
}

const char *const *preset_default_names(void)
{
	static const char *names[N_PRESETS + 1];
	size_t i, n = 0;

	for (i = 0; i < N_PRESETS; i++)
		if (presets[i].in_default)
			names[n++] = presets[i].name;
	names[n] = NULL;
	return names;
}

static const struct preset *find(const char *name)
{
	size_t i;

	for (i = 0; i < N_PRESETS; i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

bool preset_known(const char *name)
{
	return find(name) != NULL;
}

/* soname as a regular file in dir, or NULL. */
static char *in_dir(const char *dir, const char *soname)
{
	char *path = xasprintf("%s/%s", dir, soname);
	struct stat st;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return path;
	free(path);
	return NULL;
}

/* soname in the directories of MEMWATCH_PRESET_PATH, in order. */
static char *in_preset_path(const char *soname)
{
	const char *env = getenv("MEMWATCH_PRESET_PATH");
	char *copy, *dir, *save = NULL, *path = NULL;

	if (!env || !*env)
		return NULL;
	copy = xstrdup(env);
	for (dir = strtok_r(copy, ":", &save); dir && !path;
	     dir = strtok_r(NULL, ":", &save))
		path = in_dir(dir, soname);
	free(copy);
	return path;
}

/* soname where scripts/deps unpacks it, when memwatch runs from a build
 * tree (build/src/memwatch: build/debian/SUITE/root/usr/lib/...). */
static char *in_build_tree(const char *soname)
{
	static const char *const tuples[] = {
		"x86_64-linux-gnu", "aarch64-linux-gnu", "i386-linux-gnu",
		"arm-linux-gnueabihf", "riscv64-linux-gnu",
		"powerpc64le-linux-gnu", "s390x-linux-gnu",
	};
	char exe[4096], *slash, *dir, *path = NULL;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i, k;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	/* build/src/memwatch: two levels up is the build directory. */
	for (i = 0; i < 2; i++) {
		slash = strrchr(exe, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	for (i = 0; !path && i < sizeof(build_suites) / sizeof(build_suites[0]); i++)
		for (k = 0; !path && k < sizeof(tuples) / sizeof(tuples[0]); k++) {
			dir = xasprintf("%s/debian/%s/root/usr/lib/%s", exe,
					build_suites[i], tuples[k]);
			path = in_dir(dir, soname);
			free(dir);
		}
	return path;
}

char *preset_find_library(const char *const *sonames, size_t n)
{
	char *path;
	size_t i;

	for (i = 0; i < n && sonames[i]; i++)
		if ((path = in_preset_path(sonames[i])) ||
		    (path = in_build_tree(sonames[i])))
			return path;
	return library_find(sonames, n);
}

bool preset_locate(const char *name, char **path, const char **package,
		   const char **soname)
{
	const struct preset *p = find(name);

	*path = NULL;
	*package = p ? p->package : NULL;
	*soname = p ? p->sonames[0] : NULL;
	if (!p)
		return false;
	if (!p->sonames[0])
		return true;	/* system: the C library's own malloc */
	*path = preset_find_library(p->sonames,
				    sizeof(p->sonames) / sizeof(p->sonames[0]));
	return *path != NULL;
}
