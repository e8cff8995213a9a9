/* compare/presets.h - the allocator presets of compare, found on this machine */
#ifndef MEMWATCH_PRESETS_H
#define MEMWATCH_PRESETS_H

#include <stdbool.h>

/* The presets, in the order a default comparison uses them:
 * "system", "jemalloc", "mimalloc", "mimalloc3", "tcmalloc";
 * NULL-terminated. */
const char *const *preset_names(void);

/* Those a comparison without -c uses: system, jemalloc, mimalloc and
 * mimalloc3 (the story of allocators giving memory back, or not, after a
 * build). */
const char *const *preset_default_names(void);

bool preset_known(const char *name);

/* The first of sonames found in MEMWATCH_PRESET_PATH, then in the build
 * tree's unpacked Debian libraries, then where the dynamic linker looks.
 * Caller frees; NULL if none is. */
char *preset_find_library(const char *const *sonames, size_t n);

/* The library a preset preloads, as a path on this machine (caller frees);
 * NULL for "system" (nothing to preload). Returns false when the library is
 * not installed; then *package names the Debian package that has it and
 * *soname the file looked for. */
bool preset_locate(const char *name, char **path, const char **package,
		   const char **soname);

#endif
