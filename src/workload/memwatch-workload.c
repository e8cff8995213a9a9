/* memwatch-workload - a stand-in for a multi-threaded JavaScript bundler
 *
 * What `memwatch compare` measures when it is given no command.  It treats
 * memory the way a bundler such as esbuild or Vite does, in plain C11 with
 * pthreads, and deterministically (fixed-seed xorshift; --seed), so runs
 * are comparable:
 *
 *   startup    a service child is started (fork, then exec of this program
 *              with --role=service, as esbuild's service runs beside node);
 *              it builds a quarter-size project of its own with half the
 *              threads and stays alive through the idle phase.  Both inherit
 *              the environment, so an LD_PRELOAD'ed allocator reaches both.
 *   build      --rounds times (a first build, then rebuilds on file change),
 *              --threads fresh worker threads run three phases over the
 *              project's modules (4 modules per MiB of --size), then exit,
 *              as a build's thread pool winds down when the work is done:
 *     parse      each module's source is read into a buffer, scanned byte by
 *                byte and dropped; its AST is a list of small nodes of mixed
 *                size classes, 16-512 B;
 *     transform  each module is lowered into 16 KiB arena chunks of output
 *                code, with as many 16 KiB scratch chunks allocated, filled
 *                and freed beside them;
 *     emit       output files of 1-4 MiB are printed from the code of their
 *                modules, "written" (checksummed) and freed; the ASTs and
 *                code chunks of those modules are dropped as they are copied.
 *   ready      one line containing "ready in", then idle: the main thread
 *              sleeps in sigsuspend and no allocator code runs until SIGTERM
 *              or SIGINT, which stop the service child and end the program
 *              with status 0.
 *
 * Scale: the ASTs (60% of SIZE) and the code chunks (40%) are all live at the
 * end of transform, so the live heap peaks at SIZE MiB plus the survivors of
 * earlier rounds (SIZE * PCT% per round) and the outputs in flight.  With
 * allocator overhead and fragmentation the main process peaks at about
 * 1.5 * SIZE MiB of footprint (1.3x at 256 MiB, 1.8x at 64), the service
 * child at a quarter of that.
 *
 * Survivors: every phase frees most of what it allocated but keeps a sparse
 * share (--survivors PCT of nodes, chunks and outputs, chosen by a hash of
 * their position, so scattered over the whole heap) for the rest of the
 * program, as a module graph cache for incremental rebuilds does.  Once the
 * program is quiet, what each allocator still holds depends on how it gives
 * memory back:
 *   - glibc malloc returns memory only from the top of a heap (sbrk trim of
 *     the main heap, heap_trim of a thread arena's heap) and by munmap of
 *     chunks it mmapped; free space below the highest live chunk stays
 *     resident, and arenas outlive their threads.  Without survivors all of
 *     it goes back; with them it keeps almost its peak.  (Freeing the first
 *     mmapped source buffer or output also raises the dynamic mmap
 *     threshold, so later ones come from the arenas.)
 *   - jemalloc's dirty pages decay over 10 s, and only on allocator activity,
 *     but when the last thread of an arena exits its tcache teardown purges
 *     all of the arena's dirty pages.  The workers exit after each build, so
 *     jemalloc keeps only the slabs (1-7 pages) and 16 KiB extents that hold
 *     a survivor.
 *   - mimalloc v2 frees a 64 KiB page only when every block in it is free,
 *     and decommits it after a delay (decommit_delay, 25 ms in 2.0), inside a
 *     later allocator call of the same thread.  An exiting thread abandons
 *     its segments as they are (abandoned_page_decommit is off), so the
 *     workers' last frees stay resident; the survivors leave few 64 KiB pages
 *     empty in the first place.
 *   - gperftools tcmalloc gives free spans back at a trickle, one span per
 *     thousand pages freed at TCMALLOC_RELEASE_RATE 1, so it keeps nearly
 *     everything too.
 * Nothing in here knows which allocator it runs on. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROGRAM_NAME "memwatch-workload"

/* Exit statuses, as in memwatch's own convention for usage errors. */
enum wl_exit {
	WL_EXIT_OK = 0,
	WL_EXIT_FAILURE = 1,	/* out of memory, service failed, output error */
	WL_EXIT_USAGE = 2,	/* a bad option or value */
};

#define MIB ((size_t)1 << 20)
#define CHUNK_BYTES ((size_t)16 << 10)
#define NODE_MIN_BYTES 16
#define NODE_MAX_BYTES 512
#define OUTPUT_MIN_BYTES (1 * MIB)
#define OUTPUT_MAX_BYTES (4 * MIB)
#define MODULES_PER_MIB 4
/* Shares of --size: the ASTs and the code chunks, both live at the peak. */
#define AST_SHARE_PCT 60
#define CODE_SHARE_PCT 40
/* Survivor shares are in basis points (1/100 of a percent). */
#define BP_ALL 10000

/* What the survivor hash tells apart, so nodes, chunks and outputs at the
 * same position are chosen independently. */
enum object_kind {
	KIND_NODE = 1,
	KIND_CHUNK,
	KIND_OUTPUT,
};

enum phase {
	PHASE_PARSE,
	PHASE_TRANSFORM,
	PHASE_EMIT,
	PHASE_COUNT,
};

struct options {
	unsigned threads;
	unsigned size_mib;
	unsigned rounds;
	unsigned survivors_bp;
	uint64_t seed;
	bool child;
	bool service;		/* this is the service child */
	int ready_fd;		/* service child: where to say the build is done */
};

struct rng {
	uint64_t state;
};

/* An AST node: a header and a payload of source-derived bytes. */
struct node {
	struct node *next;
	uint32_t size_bytes;	/* whole allocation, header included */
	uint32_t kind;
	unsigned char payload[];
};

/* A 16 KiB arena chunk of transformed code (or scratch). */
struct chunk {
	struct chunk *next;
	size_t used_bytes;
	unsigned char data[];
};

#define CHUNK_DATA_BYTES (CHUNK_BYTES - offsetof(struct chunk, data))

/* An output file being printed. */
struct output {
	struct output *next;
	size_t size_bytes;
	unsigned char data[];
};

struct module {
	struct node *ast;
	struct chunk *code;
	size_t ast_target_bytes;
	size_t code_target_bytes;
	uint64_t digest;	/* what parse computed, transform consumes */
};

/* Long-lived objects a worker kept: never freed before exit. */
struct survivors {
	struct node *nodes;
	struct chunk *chunks;
	struct output *outputs;
};

struct worker {
	pthread_t thread;
	struct survivors kept;
	uint64_t checksum;	/* keeps the work observable to the compiler */
	struct build *build;
};

/* The state one round's workers share: items of a phase are taken from a
 * counter, so that fast workers take more. */
struct build {
	const struct options *opts;
	struct module *modules;
	size_t module_count;
	size_t output_count;
	unsigned round;
	atomic_size_t next_item[PHASE_COUNT];
	pthread_barrier_t phase_barrier;
	struct worker *workers;	/* opts->threads of them, for every round */
};

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

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

/* calloc counterpart of wl_malloc. */
static void *wl_calloc(size_t count, size_t size_bytes)
{
	void *p = calloc(count, size_bytes);

	if (!p) {
		fprintf(stderr, "%s: out of memory (allocating %zu x %zu bytes)\n",
			PROGRAM_NAME, count, size_bytes);
		exit(WL_EXIT_FAILURE);
	}
	return p;
}

/* splitmix64: turns related seeds (round, module) into unrelated ones. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
	r->state = mix64(mix64(mix64(seed) ^ a) ^ b);
	if (!r->state)
		r->state = 1;
}

/* xorshift64*: fast, and the same sequence on every run. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t x = r->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A value in [lo, hi]. */
static size_t rng_range(struct rng *r, size_t lo, size_t hi)
{
	return lo + (size_t)(rng_next(r) % (hi - lo + 1));
}

/* Write pseudo-random bytes, the way a parser or printer writes every byte
 * of what it allocates. */
static void fill_bytes(struct rng *r, unsigned char *p, size_t n)
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
	h = mix64(b->opts->seed ^ mix64(((uint64_t)b->round << 48) ^
					((uint64_t)kind << 40) ^ item) ^
		  mix64(index));
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
	fill_bytes(&r, source, mod->ast_target_bytes);
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
		fill_bytes(&r, n->payload, size_bytes - sizeof *n);
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
		fill_bytes(&r, c->data, c->used_bytes);
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

/* Drop a module's AST and code, keeping the survivors. */
static void drop_module(struct worker *w, size_t m)
{
	struct build *b = w->build;
	struct module *mod = &b->modules[m];
	struct node *n, *next_node;
	struct chunk *c, *next_chunk;
	size_t i;

	for (n = mod->ast, i = 0; n; n = next_node, i++) {
		next_node = n->next;
		if (survives(b, KIND_NODE, m, i)) {
			n->next = w->kept.nodes;
			w->kept.nodes = n;
		} else {
			free(n);
		}
	}
	for (c = mod->code, i = 0; c; c = next_chunk, i++) {
		next_chunk = c->next;
		if (survives(b, KIND_CHUNK, m, i)) {
			c->next = w->kept.chunks;
			w->kept.chunks = c;
		} else {
			free(c);
		}
	}
	mod->ast = NULL;
	mod->code = NULL;
}

/* Emit one output file: its modules are those with m % outputs == o.  The
 * buffer is sized for their code (1-4 MiB), written, then freed. */
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
		drop_module(w, m);
	}
	/* Whatever the code did not fill is the source map. */
	rng_seed(&r, b->opts->seed, b->round, o);
	fill_bytes(&r, out->data + at_bytes, want_bytes - at_bytes);
	w->checksum ^= digest_bytes(0, out->data, want_bytes);
	if (survives(b, KIND_OUTPUT, o, 0)) {
		out->next = w->kept.outputs;
		w->kept.outputs = out;
	} else {
		free(out);
	}
}

/* Run this worker's share of one phase: items until the counter runs out
 * or a stop signal arrives. */
static void worker_run_phase(struct worker *w, enum phase phase)
{
	struct build *b = w->build;
	size_t count = phase == PHASE_EMIT ? b->output_count : b->module_count;
	size_t item;

	while (!stop_signal &&
	       (item = atomic_fetch_add(&b->next_item[phase], 1)) < count) {
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

/* A worker of one round: the phases in order, all workers finishing one
 * before any starts the next, since an output needs all of its modules. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int phase;

	for (phase = 0; phase < PHASE_COUNT; phase++) {
		worker_run_phase(w, (enum phase)phase);
		if (phase + 1 < PHASE_COUNT)
			pthread_barrier_wait(&w->build->phase_barrier);
	}
	return NULL;
}

/* Set up what all rounds share. */
static void build_init(struct build *b, const struct options *opts)
{
	unsigned i;

	memset(b, 0, sizeof *b);
	b->opts = opts;
	b->module_count = (size_t)opts->size_mib * MODULES_PER_MIB;
	/* As many outputs as make them 2.5 MiB on average. */
	b->output_count = (size_t)opts->size_mib * CODE_SHARE_PCT / 100 * 2 / 5;
	if (b->output_count < 1)
		b->output_count = 1;
	b->modules = wl_calloc(b->module_count, sizeof *b->modules);
	b->workers = wl_calloc(opts->threads, sizeof *b->workers);
	for (i = 0; i < opts->threads; i++)
		b->workers[i].build = b;
}

/* One build: a fresh set of worker threads runs parse, transform and emit,
 * and exits, the way a build's thread pool winds down when the work is
 * done.  Stop signals are blocked in the workers so that they reach the
 * main thread.  Returns false if a stop signal cut the build short. */
static bool build_round(struct build *b, unsigned round)
{
	sigset_t stop_set, old_set;
	unsigned i;
	int phase, err;

	b->round = round;
	for (phase = 0; phase < PHASE_COUNT; phase++)
		atomic_store(&b->next_item[phase], 0);
	err = pthread_barrier_init(&b->phase_barrier, NULL, b->opts->threads);
	if (err) {
		fprintf(stderr, "%s: cannot create a barrier: %s\n",
			PROGRAM_NAME, strerror(err));
		exit(WL_EXIT_FAILURE);
	}
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, &old_set);
	for (i = 0; i < b->opts->threads; i++) {
		err = pthread_create(&b->workers[i].thread, NULL, worker_main,
				     &b->workers[i]);
		if (err) {
			/* The threads already started wait at the barrier
			 * for good; exiting ends them. */
			fprintf(stderr, "%s: cannot start a worker thread: %s\n",
				PROGRAM_NAME, strerror(err));
			exit(WL_EXIT_FAILURE);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	for (i = 0; i < b->opts->threads; i++)
		pthread_join(b->workers[i].thread, NULL);
	pthread_barrier_destroy(&b->phase_barrier);
	return !stop_signal;
}

/* Free the nodes of a list. */
static void free_nodes(struct node *n)
{
	struct node *next;

	for (; n; n = next) {
		next = n->next;
		free(n);
	}
}

/* Free the chunks of a list. */
static void free_chunks(struct chunk *c)
{
	struct chunk *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

/* Free everything at exit, survivors too, so that leak checkers see a
 * clean program; the workers must have been joined. */
static void build_destroy(struct build *b)
{
	struct output *o, *next;
	size_t i;

	for (i = 0; i < b->module_count; i++) {
		free_nodes(b->modules[i].ast);
		free_chunks(b->modules[i].code);
	}
	for (i = 0; i < b->opts->threads; i++) {
		free_nodes(b->workers[i].kept.nodes);
		free_chunks(b->workers[i].kept.chunks);
		for (o = b->workers[i].kept.outputs; o; o = next) {
			next = o->next;
			free(o);
		}
	}
	free(b->modules);
	free(b->workers);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start the service child: this program again, with --role=service and a
 * smaller build; it writes one byte to ready_fd when its build is done.
 * Returns its pid and the read end in *ready_read_fd, or -1 with errno. */
static pid_t service_start(const struct options *opts, char *argv0,
			   int *ready_read_fd)
{
	char size_arg[32], threads_arg[32], rounds_arg[32], survivors_arg[32],
		seed_arg[48], fd_arg[32];
	char *args[] = {
		argv0, "--role=service", size_arg, threads_arg,
		rounds_arg, survivors_arg, seed_arg, fd_arg, NULL,
	};
	unsigned size_mib = opts->size_mib / 4 ? opts->size_mib / 4 : 1;
	unsigned threads = opts->threads / 2 ? opts->threads / 2 : 1;
	pid_t parent = getpid(), pid;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	snprintf(size_arg, sizeof size_arg, "--size=%u", size_mib);
	snprintf(threads_arg, sizeof threads_arg, "--threads=%u", threads);
	snprintf(rounds_arg, sizeof rounds_arg, "--rounds=%u", opts->rounds);
	snprintf(survivors_arg, sizeof survivors_arg, "--survivors=%u.%02u",
		 opts->survivors_bp / 100, opts->survivors_bp % 100);
	snprintf(seed_arg, sizeof seed_arg, "--seed=%llu",
		 (unsigned long long)(opts->seed + 1));
	snprintf(fd_arg, sizeof fd_arg, "--ready-fd=%d", fds[1]);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		static const char msg[] =
			PROGRAM_NAME ": cannot execute the service child\n";

		/* Only async-signal-safe calls between fork and exec.  The
		 * child must not outlive a parent that was SIGKILLed. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(WL_EXIT_FAILURE);
		fcntl(fds[1], F_SETFD, 0);
		execv("/proc/self/exe", args);
		if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
			_exit(127);
		_exit(127);
	}
	close(fds[1]);
	*ready_read_fd = fds[0];
	return pid;
}

/* Wait for the service child's byte.  Returns 1 when it is ready, 0 if a
 * stop signal came first, -1 if the child failed. */
static int service_wait_ready(int ready_read_fd)
{
	char byte;
	ssize_t n;

	for (;;) {
		n = read(ready_read_fd, &byte, 1);
		if (n == 1)
			return 1;
		if (n < 0 && errno == EINTR) {
			if (stop_signal)
				return 0;
			continue;
		}
		return -1;
	}
}

/* Stop the service child and reap it; it may already be a zombie. */
static void service_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"A stand-in for a multi-threaded JavaScript bundler: it builds,\n"
		"prints a line with \"ready in\", then idles without calling the\n"
		"allocator until SIGTERM or SIGINT.\n"
		"\n"
		"  -j, --threads N      worker threads (default 4, 1-256)\n"
		"  -s, --size MIB       scale: the live heap peaks at about MIB MiB\n"
		"                       (default 128, 1-65536)\n"
		"  -r, --rounds N       builds to run, like rebuilds on change\n"
		"                       (default 3, 1-1000)\n"
		"  -k, --survivors PCT  share of freed objects kept for good\n"
		"                       (default 3, 0-100, fractions allowed)\n"
		"      --seed N         seed of the pseudo-random project (default 1)\n"
		"      --no-child       do not start the service child process\n"
		"  -h, --help           show this help\n",
		PROGRAM_NAME);
}

/* Exit with a one-line usage error. */
static _Noreturn void die_usage(const char *option, const char *value,
				const char *what)
{
	fprintf(stderr, "%s: %s: '%s' %s\n", PROGRAM_NAME, option, value, what);
	exit(WL_EXIT_USAGE);
}

/* A whole number in [min, max], or a usage error. */
static unsigned long long parse_number(const char *option, const char *s,
				       unsigned long long min,
				       unsigned long long max)
{
	unsigned long long v = 0;
	bool overflow = false;
	char what[96];
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (ULLONG_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (p == s || *p || overflow || v < min || v > max) {
		snprintf(what, sizeof what,
			 "is not a whole number from %llu to %llu", min, max);
		die_usage(option, s, what);
	}
	return v;
}

/* A percentage with up to two decimals and an optional '%', in basis
 * points, or a usage error. */
static unsigned parse_percent_bp(const char *option, const char *s)
{
	static const char what[] = "is not a percentage from 0 to 100";
	unsigned long v = 0, scale = 100;
	bool any = false;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, any = true) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 100)
			die_usage(option, s, what);
	}
	v *= 100;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, any = true) {
			scale /= 10;
			v += (unsigned long)(*p - '0') * scale;
		}
	}
	if (*p == '%')
		p++;
	if (!any || *p || v > BP_ALL)
		die_usage(option, s, what);
	return (unsigned)v;
}

/* Read the command line into *opts; exits on errors and on --help. */
static void options_parse(struct options *opts, int argc, char **argv)
{
	enum { OPT_SEED = 256, OPT_NO_CHILD, OPT_ROLE, OPT_READY_FD };
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 'j' },
		{ "size", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "survivors", required_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "no-child", no_argument, NULL, OPT_NO_CHILD },
		{ "help", no_argument, NULL, 'h' },
		/* Internal: how the service child is started. */
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "ready-fd", required_argument, NULL, OPT_READY_FD },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opts->threads = 4;
	opts->size_mib = 128;
	opts->rounds = 3;
	opts->survivors_bp = 300;
	opts->seed = 1;
	opts->child = true;
	opts->service = false;
	opts->ready_fd = -1;
	while ((c = getopt_long(argc, argv, "j:s:r:k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts->threads = (unsigned)parse_number("--threads",
							       optarg, 1, 256);
			break;
		case 's':
			opts->size_mib = (unsigned)parse_number("--size",
								optarg, 1,
								65536);
			break;
		case 'r':
			opts->rounds = (unsigned)parse_number("--rounds",
							      optarg, 1, 1000);
			break;
		case 'k':
			opts->survivors_bp = parse_percent_bp("--survivors",
							      optarg);
			break;
		case OPT_SEED:
			opts->seed = parse_number("--seed", optarg, 0,
						  UINT64_MAX);
			break;
		case OPT_NO_CHILD:
			opts->child = false;
			break;
		case OPT_ROLE:
			if (strcmp(optarg, "service"))
				die_usage("--role", optarg,
					  "is not a role (service)");
			opts->service = true;
			opts->child = false;
			break;
		case OPT_READY_FD:
			opts->ready_fd = (int)parse_number("--ready-fd",
							   optarg, 0, INT_MAX);
			break;
		case 'h':
			usage(stdout);
			if (fflush(stdout) || ferror(stdout)) {
				fprintf(stderr, "%s: cannot write to stdout: "
					"%s\n", PROGRAM_NAME, strerror(errno));
				exit(WL_EXIT_FAILURE);
			}
			exit(WL_EXIT_OK);
		default:
			fprintf(stderr, "Try '%s --help'.\n", PROGRAM_NAME);
			exit(WL_EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n",
			PROGRAM_NAME, argv[optind]);
		exit(WL_EXIT_USAGE);
	}
}

/* Sleep until a stop signal, without touching the allocator. */
static void idle_until_stopped(void)
{
	sigset_t stop_set, wait_set;

	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, &wait_set);
	sigdelset(&wait_set, SIGTERM);
	sigdelset(&wait_set, SIGINT);
	while (!stop_signal)
		sigsuspend(&wait_set);
}

int main(int argc, char **argv)
{
	int64_t start_ms = now_ms();
	struct options opts;
	struct sigaction sa;
	struct build b;
	pid_t service_pid = -1;
	int ready_read_fd = -1, status = WL_EXIT_OK;
	unsigned round;

	options_parse(&opts, argc, argv);

	/* No SA_RESTART: a stop signal must interrupt the wait for the
	 * service child. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (opts.child) {
		service_pid = service_start(&opts, argv[0], &ready_read_fd);
		if (service_pid < 0) {
			fprintf(stderr, "%s: cannot start the service child: %s\n",
				PROGRAM_NAME, strerror(errno));
			return WL_EXIT_FAILURE;
		}
	}
	build_init(&b, &opts);
	for (round = 0; round < opts.rounds; round++)
		if (!build_round(&b, round))
			goto out;

	if (service_pid > 0) {
		int ready = service_wait_ready(ready_read_fd);

		close(ready_read_fd);
		if (ready == 0)
			goto out;
		if (ready < 0) {
			fprintf(stderr, "%s: the service child failed\n",
				PROGRAM_NAME);
			status = WL_EXIT_FAILURE;
			goto out;
		}
	}
	if (opts.service) {
		char byte = 1;

		if (opts.ready_fd >= 0 &&
		    (write(opts.ready_fd, &byte, 1) != 1 ||
		     close(opts.ready_fd) < 0)) {
			fprintf(stderr, "%s: service: cannot report the build "
				"done: %s\n", PROGRAM_NAME, strerror(errno));
			status = WL_EXIT_FAILURE;
			goto out;
		}
	} else {
		printf("%s: ready in %lld ms (%u round%s, %u thread%s, %u MiB, "
		       "%s)\n", PROGRAM_NAME, (long long)(now_ms() - start_ms),
		       opts.rounds, opts.rounds == 1 ? "" : "s",
		       opts.threads, opts.threads == 1 ? "" : "s",
		       opts.size_mib,
		       service_pid > 0 ? "1 child" : "no child");
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "%s: cannot write to stdout: %s\n",
				PROGRAM_NAME, strerror(errno));
			status = WL_EXIT_FAILURE;
			goto out;
		}
	}
	idle_until_stopped();
out:
	build_destroy(&b);
	if (service_pid > 0)
		service_stop(service_pid);
	return status;
}
