/* tests/helpers/ruler.h - holding a known number of bytes, for the test helpers
 *
 * Every helper that is a ruler maps private anonymous memory and writes a
 * byte to each page, so that each page is resident and counted once, and
 * sleeps through signals to the end of its time. */
#ifndef MEMWATCH_TESTS_RULER_H
#define MEMWATCH_TESTS_RULER_H

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

/* Map and touch mib MiB of private memory; exits 1 if it cannot. */
static inline char *ruler_touch_mib(long mib)
{
	size_t size = (size_t)mib << 20, i;
	volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(1);
	for (i = 0; i < size; i += 4096)
		p[i] = 1;
	return (char *)p;
}

/* Sleep s seconds, through any signal that interrupts the sleep. */
static inline void ruler_sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

#endif
