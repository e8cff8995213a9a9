/* compare/allocator.h - which allocator a configuration loads, and its version, read from the library */
#ifndef MEMWATCH_COMPARE_ALLOCATOR_H
#define MEMWATCH_COMPARE_ALLOCATOR_H

/* The allocator in the shared library at path and its version, as
 * "mimalloc 3.0.1", "jemalloc 5.3.0", "tcmalloc 2.10"; path NULL: the C
 * library's malloc ("glibc 2.36"). Caller frees; NULL if the library
 * exports none of the version calls memwatch knows, or cannot be loaded. */
char *allocator_version(const char *path);

#endif
