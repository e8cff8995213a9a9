/* compare/knobs.h - the tuning variables each allocator version reads, and a warning for one it does not */
#ifndef MEMWATCH_COMPARE_KNOBS_H
#define MEMWATCH_COMPARE_KNOBS_H

#include <stdbool.h>

/* For the assignment "VAR=VALUE" of a configuration whose allocator is
 * allocator ("mimalloc 2.0.9", as compare/allocator.h reads it): NULL if
 * that allocator reads VAR (or VAR is no allocator's knob), else a warning
 * naming the variable it reads instead. Caller frees. */
char *knobs_check(const char *allocator, const char *assignment);

#endif
