/* phase.c - the work of the build's three phases: parse a module, transform
 * it, emit an output file; then the release of the module graph, and which
 * of its objects survive
 *
 * Deterministic: what the work on one item allocates, and in which order,
 * follows from --seed, the round and the item alone, whichever worker
 * takes it (memwatch-workload.c describes the shape of the work). */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/workload.h"

#define CHUNK_BYTES ((size_t)16 << 10)
#define NODE_MIN_BYTES 16
#define NODE_MAX_BYTES 512
#define OUTPUT_MIN_BYTES (1 * MIB)
#define OUTPUT_MAX_BYTES (4 * MIB)

#define CHUNK_DATA_BYTES (CHUNK_BYTES - offsetof(struct chunk, data))

/* What the survivor hash tells apart, so nodes, chunks and outputs at the
 * same position are chosen independently. */
enum object_kind {
	KIND_NODE = 1,
	KIND_CHUNK,
	KIND_OUTPUT,
};

/* Report exhaustion and exit: a workload that cannot allocate has nothing
 * to show. */
static void *wl_malloc(size_t size_bytes)
{
	void *p = malloc(size_bytes);

	if (!p) {
		fprintf(stderr, "%s: out of memory (allocating %zu bytes)\n",
			PROGRAM_NAME, size_bytes);
		exit(WL_EXIT_FAILURE);
	}
	return p;
}

/* Read every byte, as a later phase reads what an earlier one wrote. */
static uint64_t digest_bytes(uint64_t h, const unsigned char *p, size_t n)
{
	uint64_t v;

	for (; n >= sizeof v; p += sizeof v, n -= sizeof v) {
		memcpy(&v, p, sizeof v);
		h = (h ^ v) * 0x100000001b3ULL;
	}
	for (; n; p++, n--)
		h = (h ^ *p) * 0x100000001b3ULL;
	return h;
}

/* Whether the object at this position outlives its phase.  A hash rather
 * than every k-th object, so survivors do not line up with size classes. */
static bool survives(const struct build *b, enum object_kind kind,
		     size_t item, size_t index)
{
	uint64_t h;

	if (!b->opts->survivors_bp)
		return false;
	h = rng_mix64(b->opts->seed ^ rng_mix64(((uint64_t)b->round << 48) ^
					((uint64_t)kind << 40) ^ item) ^
		  rng_mix64(index));
	return h % BP_ALL < b->opts->survivors_bp;
}

/* Scan source text a byte at a time, as a lexer does; the serial hash keeps
 * it from being vectorised away. */
static uint64_t tokenize(const unsigned char *src, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL, tokens = 0;
	unsigned prev_class = 0, byte_class;
	size_t i;

	for (i = 0; i < n; i++) {
		/* identifier, number, space, punctuator or string */
		byte_class = src[i] % 5;
		tokens += byte_class != prev_class;
		prev_class = byte_class;
		h = (h ^ src[i]) * 0x100000001b3ULL;
	}
	return h ^ tokens;
}

/* Parse one module: read its source into a buffer as large as its AST will
 * be, scan it, and build the AST, small nodes with sizes about log-uniform
 * in 16-512 B.  The source buffer is dropped once parsed. */
static void parse_module(struct worker *w, size_t m)
{
	struct build *b = w->build;
	struct module *mod = &b->modules[m];
	struct node **tail = &mod->ast;
	size_t done_bytes = 0;
	unsigned char *source;
	uint64_t h;
	struct rng r;

	mod->ast = NULL;
	mod->code = NULL;
	rng_seed(&r, b->opts->seed, b->round, m);
	mod->ast_target_bytes = MIB * AST_SHARE_PCT / 100 / MODULES_PER_MIB;
	/* Modules differ in size: half to one and a half of the average. */
	mod->ast_target_bytes = mod->ast_target_bytes / 2 +
		rng_range(&r, 0, mod->ast_target_bytes);
	mod->code_target_bytes = MIB * CODE_SHARE_PCT / 100 / MODULES_PER_MIB;
	mod->code_target_bytes = mod->code_target_bytes / 2 +
		rng_range(&r, 0, mod->code_target_bytes);

	source = wl_malloc(mod->ast_target_bytes);
	rng_fill(&r, source, mod->ast_target_bytes);
	h = tokenize(source, mod->ast_target_bytes);
	free(source);

	while (done_bytes < mod->ast_target_bytes) {
		/* 16 << 0..4 picks a power-of-two class, then a size up to
		 * twice it. */
		size_t base_bytes = (size_t)NODE_MIN_BYTES << rng_range(&r, 0, 4);
		size_t size_bytes = base_bytes + rng_range(&r, 0, base_bytes);
		struct node *n;

		if (size_bytes > NODE_MAX_BYTES)
			size_bytes = NODE_MAX_BYTES;
		n = wl_malloc(size_bytes);
		n->next = NULL;
		n->size_bytes = (uint32_t)size_bytes;
		n->kind = (uint32_t)(rng_next(&r) & 0xff);
		rng_fill(&r, n->payload, size_bytes - sizeof *n);
		h = digest_bytes(h, n->payload, size_bytes - sizeof *n);
		*tail = n;
		tail = &n->next;
		done_bytes += size_bytes;
	}
	mod->digest = h;
}

/* Transform one module: walk its AST and print code into 16 KiB chunks,
 * with a scratch arena of the same size freed at the end. */
static void transform_module(struct worker *w, size_t m)
{
	struct build *b = w->build;
	struct module *mod = &b->modules[m];
	struct chunk *scratch = NULL, *c;
	struct chunk **tail = &mod->code;
	struct node *n = mod->ast;
	size_t done_bytes = 0;
	struct rng r;

	rng_seed(&r, mod->digest, b->round, m);
	while (done_bytes < mod->code_target_bytes) {
		uint64_t h = rng_next(&r);
		struct chunk *s = wl_malloc(CHUNK_BYTES);

		/* The scratch chunk holds what the pass reads from the AST. */
		s->next = scratch;
		scratch = s;
		s->used_bytes = 0;
		while (n && s->used_bytes + n->size_bytes <= CHUNK_DATA_BYTES) {
			memcpy(s->data + s->used_bytes, n, n->size_bytes);
			s->used_bytes += n->size_bytes;
			n = n->next;
		}
		if (!n)
			n = mod->ast;
		h = digest_bytes(h, s->data, s->used_bytes);

		c = wl_malloc(CHUNK_BYTES);
		c->next = NULL;
		c->used_bytes = CHUNK_DATA_BYTES;
		rng_seed(&r, h, b->round, m);
		rng_fill(&r, c->data, c->used_bytes);
		*tail = c;
		tail = &c->next;
		done_bytes += CHUNK_BYTES;
	}
	while (scratch) {
		c = scratch->next;
		w->checksum ^= scratch->used_bytes;
		free(scratch);
		scratch = c;
	}
}

/* Copy a surviving object into the cache: a fresh allocation of the same
 * size, made on the releasing thread, so that the cache's entries lie
 * together, apart from the pages the build's objects came from. */
static void *keep_copy(void *p, size_t size_bytes)
{
	void *copy = wl_malloc(size_bytes);

	memcpy(copy, p, size_bytes);
	free(p);
	return copy;
}

/* Drop a module's AST and code: the workers allocated them, the releasing
 * thread frees them, and copies the survivors into the cache. */
static void drop_module(struct build *b, size_t m)
{
	struct survivors *cache = &b->cache;
	struct module *mod = &b->modules[m];
	struct node *n, *next_node;
	struct chunk *c, *next_chunk;
	size_t i;

	for (n = mod->ast, i = 0; n; n = next_node, i++) {
		next_node = n->next;
		if (survives(b, KIND_NODE, m, i)) {
			n = keep_copy(n, n->size_bytes);
			n->next = cache->nodes;
			cache->nodes = n;
		} else {
			free(n);
		}
	}
	for (c = mod->code, i = 0; c; c = next_chunk, i++) {
		next_chunk = c->next;
		if (survives(b, KIND_CHUNK, m, i)) {
			c = keep_copy(c, CHUNK_BYTES);
			c->next = cache->chunks;
			cache->chunks = c;
		} else {
			free(c);
		}
	}
	mod->ast = NULL;
	mod->code = NULL;
}

/* Release the finished build's module graph, as a dev server drops the old
 * graph once the new one is done: every module's AST and code, allocated
 * by the workers, freed on the calling thread (the releaser) while the
 * workers wait for the next build. */
void phase_release(struct build *b)
{
	size_t m;

	for (m = 0; m < b->module_count; m++)
		drop_module(b, m);
}

/* Emit one output file: its modules are those with m % outputs == o.  The
 * buffer is sized for their code (1-4 MiB), written, then freed; the
 * modules stay in the graph until the build is done. */
static void emit_output(struct worker *w, size_t o)
{
	struct build *b = w->build;
	struct output *out;
	size_t want_bytes = 0, at_bytes = 0, m;
	struct rng r;

	for (m = o; m < b->module_count; m += b->output_count)
		want_bytes += b->modules[m].code_target_bytes;
	if (want_bytes < OUTPUT_MIN_BYTES)
		want_bytes = OUTPUT_MIN_BYTES;
	if (want_bytes > OUTPUT_MAX_BYTES)
		want_bytes = OUTPUT_MAX_BYTES;
	out = wl_malloc(sizeof *out + want_bytes);
	out->next = NULL;
	out->size_bytes = want_bytes;
	for (m = o; m < b->module_count; m += b->output_count) {
		const struct chunk *c;

		for (c = b->modules[m].code; c && at_bytes < want_bytes;
		     c = c->next) {
			size_t n = c->used_bytes;

			if (n > want_bytes - at_bytes)
				n = want_bytes - at_bytes;
			memcpy(out->data + at_bytes, c->data, n);
			at_bytes += n;
		}
	}
	/* Whatever the code did not fill is the source map. */
	rng_seed(&r, b->opts->seed, b->round, o);
	rng_fill(&r, out->data + at_bytes, want_bytes - at_bytes);
	w->checksum ^= digest_bytes(0, out->data, want_bytes);
	if (survives(b, KIND_OUTPUT, o, 0)) {
		out->next = w->kept.outputs;
		w->kept.outputs = out;
	} else {
		free(out);
	}
}

/* Run this worker's share of one phase, until its items run out or a stop
 * signal arrives.  Items are dealt to the pool's workers in turn, each
 * phase starting one worker further on, so a module's nodes and its code
 * chunks are allocated by different threads, as the stages of a bundler's
 * pipeline hand objects on, and freed by yet another one, the releaser
 * (phase_release); which thread allocates what follows from --seed
 * alone. */
void phase_run(struct worker *w, enum phase phase)
{
	struct build *b = w->build;
	size_t count = phase == PHASE_EMIT ? b->output_count : b->module_count;
	size_t threads = b->opts->threads, item;

	item = (w->index + threads - (size_t)phase % threads) % threads;
	for (; !workload_stop_signal && item < count; item += threads) {
		switch (phase) {
		case PHASE_PARSE:
			parse_module(w, item);
			break;
		case PHASE_TRANSFORM:
			transform_module(w, item);
			break;
		case PHASE_EMIT:
			emit_output(w, item);
			break;
		case PHASE_COUNT:
			return;
		}
	}
}
