/* workload.h - what the workload's files share: its options, the objects
 * of a build, the stop signal, and each file's entry points */
#ifndef MEMWATCH_WORKLOAD_H
#define MEMWATCH_WORKLOAD_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROGRAM_NAME "memwatch-workload"

/* Exit statuses, as in memwatch's own convention for usage errors. */
enum wl_exit {
	WL_EXIT_OK = 0,
	WL_EXIT_FAILURE = 1,	/* out of memory, service failed, output error */
	WL_EXIT_USAGE = 2,	/* a bad option or value */
};

#define MIB ((size_t)1 << 20)
#define MODULES_PER_MIB 4
/* Shares of --size: the ASTs and the code chunks, both live at the peak. */
#define AST_SHARE_PCT 60
#define CODE_SHARE_PCT 40
/* Survivor shares are in basis points (1/100 of a percent). */
#define BP_ALL 10000

enum phase {
	PHASE_PARSE,
	PHASE_TRANSFORM,
	PHASE_EMIT,
	PHASE_COUNT,
};

struct options {
	unsigned threads;
	unsigned tick_ms;	/* idle event-loop tick; 0: sleep */
	unsigned changes;	/* --change: rebuilds to ask for, 0: not a driver */
	pid_t target_pid;	/* --change: whom to ask; 0: $MEMWATCH_TARGET_PID */
	unsigned size_mib;
	unsigned rounds;
	unsigned survivors_bp;
	uint64_t seed;
	bool child;
	bool service;		/* this is the service child */
	int ready_fd;		/* service child: where to say the build is done */
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

/* Long-lived objects kept: never freed before exit. */
struct survivors {
	struct node *nodes;
	struct chunk *chunks;
	struct output *outputs;
};

/* A timer or event of the idle loop: small, short-lived. */
struct event {
	struct event *next;
	uint64_t due;
	unsigned char payload[];
};

/* A thread of the pool, or (struct build's loop) the main thread's event
 * loop, which ticks while idle. */
struct worker {
	pthread_t thread;
	unsigned index;		/* in the pool, 0 first; the loop's: threads */
	struct survivors kept;	/* a worker's outputs */
	struct event *events;	/* the loop's idle tick's, freed on the next */
	uint64_t checksum;	/* keeps the work observable to the compiler */
	struct build *build;
};

/* What the pool's workers are asked to do next. */
enum job {
	JOB_NONE,
	JOB_ROUND,	/* a build: parse, transform, emit */
	JOB_QUIT,
};

/* The state the pool's workers share.  The workers live as long as the
 * program, as a dev server's thread pool does; each job is handed to all of
 * them, and the main thread waits until all are done. */
struct build {
	const struct options *opts;
	struct module *modules;
	size_t module_count;
	size_t output_count;
	unsigned round;
	unsigned tick;
	pthread_barrier_t phase_barrier;
	pthread_mutex_t lock;
	pthread_cond_t job_cond, done_cond;
	enum job job;
	unsigned job_gen;	/* bumped for each job handed out */
	unsigned done;		/* workers done with the current job */
	bool started;
	struct worker *workers;	/* opts->threads of them */
	struct worker loop;	/* the main thread's event loop */
	struct survivors cache;	/* copies of the graph's survivors */
	pthread_t releaser;	/* frees each build's module graph */
	pthread_cond_t release_cond;
	unsigned release_gen;	/* bumped for each graph handed to it */
	unsigned released_gen;	/* the last graph it freed */
	bool releaser_started, releaser_quit;
};

/* A deterministic generator (rng.c). */
struct rng {
	uint64_t state;
};

/* The stop signal that arrived (SIGTERM or SIGINT), 0 until one does:
 * workers, the service wait and the idle loop all end on it. */
extern volatile sig_atomic_t workload_stop_signal;

/* A rebuild asked for (SIGHUP), by this process, 0 until one is. */
extern volatile sig_atomic_t workload_change_from;

/* rng.c */
uint64_t rng_mix64(uint64_t x);
void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b);
uint64_t rng_next(struct rng *r);
size_t rng_range(struct rng *r, size_t lo, size_t hi);
void rng_fill(struct rng *r, unsigned char *p, size_t n);

/* options.c */
void options_parse(struct options *opts, int argc, char **argv);

/* service.c */
pid_t service_start(const struct options *opts, char *argv0,
		    int *ready_read_fd);
int service_wait_ready(int ready_read_fd);
void service_stop(pid_t pid);

/* build.c */
void build_init(struct build *b, const struct options *opts);
bool build_round(struct build *b, unsigned round);
void build_tick(struct build *b);
void build_destroy(struct build *b);

/* phase.c */
void phase_run(struct worker *w, enum phase phase);
void phase_release(struct build *b);

/* tick.c */
void tick_run(struct worker *w, unsigned tick);
void tick_free(struct worker *w);

/* change.c */
int change_drive(const struct options *opts);

#endif
