/* compare/presets.c - the allocator presets of compare, found on this machine
 *
 * A preset is a malloc replacement applied with LD_PRELOAD. Its library is
 * looked for where the dynamic linker would find it (library_find). */
#include "config.h"

#include "compare/presets.h"

#include <string.h>

#include "probe.h"

struct preset {
	const char *name;
	const char *sonames[3];	/* preferred first */
	const char *package;	/* Debian 12 */
};

static const struct preset presets[] = {
	{ "system", { NULL }, NULL },
	{ "jemalloc", { "libjemalloc.so.2", NULL }, "libjemalloc2" },
	{ "mimalloc", { "libmimalloc.so.2", "libmimalloc.so.3", NULL }, "libmimalloc2.0" },
	{ "tcmalloc", { "libtcmalloc_minimal.so.4", "libtcmalloc.so.4", NULL },
	  "libtcmalloc-minimal4" },
};

#define N_PRESETS (sizeof(presets) / sizeof(presets[0]))

const char *const *preset_names(void)
{
	static const char *names[N_PRESETS + 1];
	size_t i;

	for (i = 0; i < N_PRESETS; i++)
		names[i] = presets[i].name;
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
	*path = library_find(p->sonames,
			     sizeof(p->sonames) / sizeof(p->sonames[0]));
	return *path != NULL;
}
