/* compare/presets.h - the allocator presets of compare, found on this machine */
#ifndef MEMWATCH_PRESETS_H
#define MEMWATCH_PRESETS_H

#include <stdbool.h>

/* The presets, in the order a default comparison uses them:
 * "system", "jemalloc", "mimalloc", "tcmalloc"; NULL-terminated. */
const char *const *preset_names(void);

bool preset_known(const char *name);

/* The library a preset preloads, as a path on this machine (caller frees);
 * NULL for "system" (nothing to preload). Returns false when the library is
 * not installed; then *package names the Debian package that has it and
 * *soname the file looked for. */
bool preset_locate(const char *name, char **path, const char **package,
		   const char **soname);

#endif
