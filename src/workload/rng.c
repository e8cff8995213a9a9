/* rng.c - the workload's deterministic pseudo-random numbers: seeds mixed
 * from coordinates, a xorshift generator, and bytes filled from it */
#include <stdint.h>
#include <string.h>

#include "workload/workload.h"

/* splitmix64: turns related seeds (round, module) into unrelated ones. */
uint64_t rng_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A generator for one item: its seed and two coordinates, mixed. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
	r->state = rng_mix64(rng_mix64(rng_mix64(seed) ^ a) ^ b);
	if (!r->state)
		r->state = 1;
}

/* xorshift64*: fast, and the same sequence on every run. */
uint64_t rng_next(struct rng *r)
{
	uint64_t x = r->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A value in [lo, hi]. */
size_t rng_range(struct rng *r, size_t lo, size_t hi)
{
	return lo + (size_t)(rng_next(r) % (hi - lo + 1));
}

/* Write pseudo-random bytes, the way a parser or printer writes every byte
 * of what it allocates. */
void rng_fill(struct rng *r, unsigned char *p, size_t n)
{
	uint64_t v;

	for (; n >= sizeof v; p += sizeof v, n -= sizeof v) {
		v = rng_next(r);
		memcpy(p, &v, sizeof v);
	}
	if (n) {
		v = rng_next(r);
		memcpy(p, &v, n);
	}
}
