/* util/clock.h - the monotonic clock memwatch schedules by, in nanoseconds */
#ifndef MEMWATCH_CLOCK_H
#define MEMWATCH_CLOCK_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

/* Now on CLOCK_MONOTONIC: the clock of every deadline and tick, which
 * neither jumps with the wall clock nor stops while memwatch runs. */
static inline uint64_t clock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A CPU time from getrusage or wait4, in seconds. */
static inline double clock_timeval_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

#endif
