/* result/pool.h - the runs of one configuration from several result files, pooled into one */
#ifndef MEMWATCH_RESULT_POOL_H
#define MEMWATCH_RESULT_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "result/result.h"

/* Move src's runs to the end of dst's (src is left without runs). False
 * when they may not measure the same thing, with why ("kernel 6.1.0 and
 * 6.5.0; 4 and 8 CPUs"): the hosts differ in kernel, architecture, CPUs,
 * memory or THP mode (host names may differ: a CI matrix runs its jobs on
 * several machines alike), or the commands differ. The runs are pooled
 * either way. */
bool result_pool_runs(struct result_config *dst, const struct result_host *dst_host,
		      struct result_config *src, const struct result_host *src_host,
		      char *why, size_t len);

#endif
