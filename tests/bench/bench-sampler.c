/* bench-sampler.c - what a tick of memwatch's sampler costs, beside the
 * other ways of reading the same numbers, measured in the same run
 *
 * For trees of 1, 10 and 100 sleeping children of this program, each method
 * reads every process's resident/shared pages once per tick:
 *   memwatch-tick         sampler_tick() with the deep tier off: fast tier,
 *                         discovery gated by the fork mark, status tier every
 *                         50 ms per process (as at -i 1ms), sums
 *   memwatch-fast         the fast-tier part of those ticks, as the sampler
 *                         itself accounts it (stats.fast_ns: the fast
 *                         and status tiers)
 *   floor(pread)          pread of statm on kept descriptors plus the parse
 *                         memwatch uses: the least any /proc reader can do
 *   open+read+close       statm opened, read and closed every tick
 *   libproc2-select-each  procps_pids_select() of one pid, for each pid
 *   libproc2-select-all   procps_pids_select() of all pids at once (of
 *                         255 at a time, libproc2's limit, beyond that)
 * Beside the table: the sampler's own split of its tick (fast, discovery,
 * status), the same ticks with discovery forced as if something forked
 * every tick, and the fixed costs every tick pays whatever the tree's size
 * (the CPU clock reads of the sampler's accounting, the fork mark, and
 * waking up on the interval timer).
 * Each method is calibrated to batches of a fixed duration (warming it up),
 * then the batches of all methods are interleaved, so drift and noise from
 * the rest of the machine fall on every method alike. The median batch is
 * reported per process per tick, in CPU time of this thread (what memwatch
 * takes from the machine) and in wall time.
 *
 * A report, not a test: it exits 0 whether or not the target is met, and
 * non-zero only if a method failed to run. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "util/parse.h"
#include "linux/procfs.h"
#include "sample/sampler.h"
#include "sample/tree.h"

#define MAX_BATCHES 101
#define MAX_SIZES 8
#define FAST_TARGET_US 2.0	/* the fast tier's budget per process per tick */

/* The processes under measurement and each method's state for them. */
struct bench {
	size_t n;
	pid_t *pids;
	unsigned *upids;		/* the same, as libproc2 takes them */
	int *statm_fds;			/* kept open, for the floor */
	char (*statm_paths)[32];	/* for open+read+close */
	int loadavg_fd;
	struct tree tree;
	struct sampler sampler;
	uint64_t tick_marks_moved;	/* ticks on which the fork mark moved */
	struct pids_info *pids_info;
	uint64_t sink;		/* keeps the reads from being optimised away */
};

/* One method: run ticks ticks over every process; false if a read failed. */
typedef bool (*method_fn)(struct bench *b, uint64_t ticks);

/* Sampler counters over one batch of memwatch ticks. */
struct tick_split {
	uint64_t fast_ns, fast_reads, discover_ns;
	uint64_t marks_moved, full_scans;
};

struct method {
	const char *name;
	method_fn fn;
	bool per_process;	/* cost divides by the number of processes */
	struct tick_split *split;	/* if set: the sampler's per batch */
	uint64_t ticks;		/* per batch, from calibration */
	double cpu_us[MAX_BATCHES];	/* per process (or call) per tick */
	double wall_us[MAX_BATCHES];
};

static const char *prog = "bench-sampler";

/* Where the methods' readings end up, so no compiler can drop a read. */
static volatile uint64_t bench_sink;

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* --- the methods ------------------------------------------------------- */

/* memwatch's own tick, as run.c calls it but with nothing to confirm: a
 * peak threshold no sum reaches keeps confirm_peak() out of the loop. */
static bool run_memwatch(struct bench *b, uint64_t ticks)
{
	struct sample s;
	uint64_t i;

	for (i = 0; i < ticks; i++) {
		uint64_t mark = b->tree.fork_mark;

		sampler_tick(&b->sampler, &b->tree, mono_ns(), false, UINT64_MAX,
			     &s);
		/* Something on the system forked: discovery read every
		 * children list this tick instead of stopping at the mark. */
		if (b->tree.fork_mark != mark)
			b->tick_marks_moved++;
		if (s.processes != b->n) {
			errno = ESRCH;
			return false;
		}
		b->sink += s.sum.rss_bytes;
	}
	return true;
}

/* The same ticks as if something on the system forked before each: the
 * fork mark no longer stops discovery, which then reads the children list
 * of memwatch and of every process in the tree (a busy machine, or a tree
 * that forks all the time, such as a build). */
static bool run_memwatch_forking(struct bench *b, uint64_t ticks)
{
	uint64_t i;

	for (i = 0; i < ticks; i++) {
		b->tree.force_discovery = true;
		if (!run_memwatch(b, 1))
			return false;
	}
	return true;
}

/* Parse statm as probe_fast() does; false if the text is not statm. */
static bool take_statm(struct bench *b, const char *buf, ssize_t len)
{
	struct procfs_statm sm;

	if (len <= 0 || !procfs_parse_statm(buf, (size_t)len, &sm))
		return false;
	b->sink += sm.resident_pages - sm.shared_pages;
	return true;
}

static bool run_floor(struct bench *b, uint64_t ticks)
{
	char buf[160];
	uint64_t i;
	size_t k;

	for (i = 0; i < ticks; i++)
		for (k = 0; k < b->n; k++)
			if (!take_statm(b, buf, pread(b->statm_fds[k], buf,
						      sizeof(buf) - 1, 0)))
				return false;
	return true;
}

static bool run_open_read_close(struct bench *b, uint64_t ticks)
{
	char buf[160];
	uint64_t i;
	size_t k;

	for (i = 0; i < ticks; i++)
		for (k = 0; k < b->n; k++) {
			int fd = open(b->statm_paths[k], O_RDONLY | O_CLOEXEC);
			ssize_t len;

			if (fd < 0)
				return false;
			len = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (!take_statm(b, buf, len))
				return false;
		}
	return true;
}

/* Items 1 and 2 are statm's resident and shared (see bench_open). */
static bool take_stacks(struct bench *b, const struct pids_fetch *f, int want)
{
	int j;

	if (!f || f->counts->total != want)
		return false;
	for (j = 0; j < want; j++)
		b->sink += PIDS_VAL(1, ul_int, f->stacks[j], b->pids_info) -
			   PIDS_VAL(2, ul_int, f->stacks[j], b->pids_info);
	return true;
}

static bool run_lp2_each(struct bench *b, uint64_t ticks)
{
	uint64_t i;
	size_t k;

	for (i = 0; i < ticks; i++)
		for (k = 0; k < b->n; k++)
			if (!take_stacks(b, procps_pids_select(b->pids_info,
							       &b->upids[k], 1,
							       PIDS_SELECT_PID), 1))
				return false;
	return true;
}

/* libproc2 selects at most this many pids per call (FILL_ID_MAX): larger
 * trees take several calls per tick. */
#define LP2_SELECT_MAX 255

static bool run_lp2_all(struct bench *b, uint64_t ticks)
{
	uint64_t i;
	size_t k;

	for (i = 0; i < ticks; i++)
		for (k = 0; k < b->n; k += LP2_SELECT_MAX) {
			int part = (int)(b->n - k < LP2_SELECT_MAX ?
					 b->n - k : LP2_SELECT_MAX);

			if (!take_stacks(b, procps_pids_select(b->pids_info,
							       &b->upids[k], part,
							       PIDS_SELECT_PID),
					 part))
				return false;
		}
	return true;
}

/* Fixed costs every memwatch tick pays whatever the tree's size. */
static bool run_thread_clock(struct bench *b, uint64_t ticks)
{
	uint64_t i;

	for (i = 0; i < ticks; i++)
		b->sink += sampler_thread_cpu_ns();
	return true;
}

static bool run_fork_mark(struct bench *b, uint64_t ticks)
{
	char buf[128];
	uint64_t i;
	pid_t last;

	for (i = 0; i < ticks; i++) {
		ssize_t len = pread(b->loadavg_fd, buf, sizeof(buf) - 1, 0);

		if (len <= 0 ||
		    !procfs_parse_loadavg_last_pid(buf, (size_t)len, &last))
			return false;
		b->sink += (uint64_t)last;
	}
	return true;
}

/* --- measuring --------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, size_t n)
{
	double s[MAX_BATCHES];

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* CPU charged for waking up on a timerfd every interval_ns and doing
 * nothing: what memwatch's loop pays per tick before sampling anything.
 * Returns the median over batches of count wakeups, or -1. */
static double measure_wakeup_us(uint64_t interval_ns, unsigned count,
				size_t batches)
{
	struct itimerspec its = { 0 };
	double v[MAX_BATCHES];
	size_t k;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -1;
	its.it_value.tv_sec = (time_t)(interval_ns / 1000000000ULL);
	its.it_value.tv_nsec = (long)(interval_ns % 1000000000ULL);
	its.it_interval = its.it_value;
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		goto fail;
	for (k = 0; k < batches; k++) {
		uint64_t c0 = sampler_thread_cpu_ns(), expirations;
		unsigned woke = 0;

		while (woke < count) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				goto fail;
			if (read(fd, &expirations, sizeof(expirations)) > 0)
				woke++;
		}
		v[k] = (double)(sampler_thread_cpu_ns() - c0) / 1e3 / count;
	}
	close(fd);
	return median(v, batches);
fail:
	close(fd);
	return -1;
}

/* The sampler's counters now, or (with since) their growth since then. */
static void split_take(const struct bench *b, struct tick_split *s,
		       const struct tick_split *since)
{
	static const struct tick_split zero;

	if (!since)
		since = &zero;
	s->fast_ns = b->sampler.stats.fast_ns - since->fast_ns;
	s->fast_reads = b->sampler.stats.fast_reads - since->fast_reads;
	s->discover_ns = b->sampler.stats.discover_ns - since->discover_ns;
	s->marks_moved = b->tick_marks_moved - since->marks_moved;
	s->full_scans = b->tree.full_scans - since->full_scans;
}

/* Run one batch of m; cost per process (or per call) per tick into slot. */
static bool measure(struct bench *b, struct method *m, size_t slot)
{
	uint64_t c0, w0, c1, w1;
	double units = (double)m->ticks * (double)(m->per_process ? b->n : 1);
	struct tick_split before;

	split_take(b, &before, NULL);
	c0 = sampler_thread_cpu_ns();
	w0 = mono_ns();
	if (!m->fn(b, m->ticks))
		return false;
	c1 = sampler_thread_cpu_ns();
	w1 = mono_ns();
	m->cpu_us[slot] = (double)(c1 - c0) / 1e3 / units;
	m->wall_us[slot] = (double)(w1 - w0) / 1e3 / units;
	if (m->split)
		split_take(b, &m->split[slot], &before);
	return true;
}

/* Find how many ticks fill batch_ns, doubling from one: this also warms
 * the method up (caches, dentries, libproc2's buffers). */
static bool calibrate(struct bench *b, struct method *m, uint64_t batch_ns)
{
	uint64_t ticks = 1, took_ns = 0;

	for (;;) {
		uint64_t w0 = mono_ns();

		if (!m->fn(b, ticks))
			return false;
		took_ns = mono_ns() - w0;
		if (took_ns >= batch_ns / 4 || ticks >= UINT64_MAX / 4)
			break;
		ticks *= 2;
	}
	m->ticks = (uint64_t)((double)ticks * (double)batch_ns /
			      (double)(took_ns ? took_ns : 1));
	if (!m->ticks)
		m->ticks = 1;
	/* One batch at the final size, so the first measured one is warm. */
	return m->fn(b, m->ticks);
}

/* Calibrate every method, then run the batches interleaved, rotating the
 * order so no method always follows the same one. */
static bool measure_all(struct bench *b, struct method *ms, size_t nm,
			size_t batches, uint64_t batch_ns)
{
	size_t i, k;

	for (i = 0; i < nm; i++)
		if (!calibrate(b, &ms[i], batch_ns)) {
			fprintf(stderr, "%s: %s failed during calibration: %s\n",
				prog, ms[i].name, strerror(errno));
			return false;
		}
	for (k = 0; k < batches; k++)
		for (i = 0; i < nm; i++) {
			struct method *m = &ms[(i + k) % nm];

			if (!measure(b, m, k)) {
				fprintf(stderr, "%s: %s failed: %s\n", prog,
					m->name, strerror(errno));
				return false;
			}
		}
	return true;
}

/* --- the processes ----------------------------------------------------- */

/* Fork n children that sleep until killed (or until this program dies). */
static bool children_start(struct bench *b, size_t n)
{
	pid_t parent = getpid();
	size_t k;

	b->n = 0;
	b->pids = calloc(n, sizeof(*b->pids));
	if (!b->pids)
		return false;
	for (k = 0; k < n; k++) {
		pid_t pid = fork();

		if (pid < 0)
			return false;
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (getppid() != parent)
				_exit(0);
			for (;;)
				pause();
		}
		b->pids[b->n++] = pid;
	}
	return true;
}

static void children_stop(struct bench *b)
{
	size_t k;

	for (k = 0; k < b->n; k++)
		kill(b->pids[k], SIGKILL);
	for (k = 0; k < b->n; k++)
		while (waitpid(b->pids[k], NULL, 0) < 0 && errno == EINTR)
			;
	free(b->pids);
	b->pids = NULL;
	b->n = 0;
}

/* Open what each method keeps between ticks. */
static bool bench_open(struct bench *b, uint64_t now_ns)
{
	/* What probe_fast() takes from statm. libproc2 reads status and
	 * /proc/uptime too on every select, whatever the items. */
	static enum pids_item items[] = {
		PIDS_ID_PID, PIDS_MEM_RES_PGS, PIDS_MEM_SHR_PGS,
		PIDS_MEM_CODE_PGS,
	};
	/* As memwatch -i 1ms --deep-budget 0 runs it: the status tier every
	 * 50 ms, its least period. */
	struct sampler_opts so = {
		.interval_ns = 1000000,
		.deep_budget_bp = 0,
	};
	struct sample s;
	size_t k;

	b->upids = calloc(b->n, sizeof(*b->upids));
	b->statm_fds = calloc(b->n, sizeof(*b->statm_fds));
	b->statm_paths = calloc(b->n, sizeof(*b->statm_paths));
	if (!b->upids || !b->statm_fds || !b->statm_paths)
		return false;
	for (k = 0; k < b->n; k++)
		b->statm_fds[k] = -1;
	for (k = 0; k < b->n; k++) {
		b->upids[k] = (unsigned)b->pids[k];
		snprintf(b->statm_paths[k], sizeof(b->statm_paths[k]),
			 "/proc/%d/statm", (int)b->pids[k]);
		b->statm_fds[k] = open(b->statm_paths[k], O_RDONLY | O_CLOEXEC);
		if (b->statm_fds[k] < 0)
			return false;
	}
	b->loadavg_fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	if (b->loadavg_fd < 0)
		return false;
	if (procps_pids_new(&b->pids_info, items,
			    (int)(sizeof(items) / sizeof(items[0]))) < 0) {
		b->pids_info = NULL;
		errno = ENOMEM;
		return false;
	}
	/* As memwatch runs a command: it is the subreaper and the tree is its
	 * children, found by the first tick's discovery. */
	tree_init(&b->tree, true, now_ns);
	sampler_init(&b->sampler, &so);
	sampler_tick(&b->sampler, &b->tree, mono_ns(), false, UINT64_MAX, &s);
	if (s.processes != b->n) {
		fprintf(stderr, "%s: memwatch found %u of %zu processes\n", prog,
			s.processes, b->n);
		errno = ESRCH;
		return false;
	}
	return true;
}

static void bench_close(struct bench *b)
{
	size_t k;

	sampler_destroy(&b->sampler);
	tree_destroy(&b->tree);
	if (b->pids_info)
		procps_pids_unref(&b->pids_info);
	for (k = 0; b->statm_fds && k < b->n; k++)
		if (b->statm_fds[k] >= 0)
			close(b->statm_fds[k]);
	if (b->loadavg_fd >= 0)
		close(b->loadavg_fd);
	free(b->upids);
	free(b->statm_fds);
	free(b->statm_paths);
	b->upids = NULL;
	b->statm_fds = NULL;
	b->statm_paths = NULL;
	b->loadavg_fd = -1;
}

/* --- the report -------------------------------------------------------- */

enum col {
	COL_TICK, COL_FAST, COL_FLOOR, COL_ORC, COL_LP2_EACH, COL_LP2_ALL,
	N_COLS
};

static const char *const col_names[N_COLS] = {
	"memwatch-tick", "memwatch-fast", "floor(pread)", "open+read+close",
	"libproc2-select-each", "libproc2-select-all",
};

/* Medians of one tree size; wall of memwatch-fast is unknown (< 0). */
struct row {
	size_t n;
	double cpu_us[N_COLS];
	double wall_us[N_COLS];
	double discover_us;	/* per process per tick, CPU */
	double forking_us;		/* whole tick when every tick forks */
	double forking_discover_us;	/* and its discovery part */
	/* Over the measured memwatch ticks: */
	uint64_t ticks;
	uint64_t marks_moved;		/* ticks whose fork mark moved */
	uint64_t full_scans;
};

static int col_width(enum col c)
{
	int w = (int)strlen(col_names[c]);

	return w < 15 ? 15 : w;
}

static void print_table(const char *title, const struct row *rows,
			size_t nrows, bool cpu)
{
	size_t i;
	int c;

	printf("\n%s\n%5s", title, "procs");
	for (c = 0; c < N_COLS; c++)
		printf("  %*s", col_width(c), col_names[c]);
	putchar('\n');
	for (i = 0; i < nrows; i++) {
		const double *v = cpu ? rows[i].cpu_us : rows[i].wall_us;

		printf("%5zu", rows[i].n);
		for (c = 0; c < N_COLS; c++) {
			char cell[40];

			if (v[c] < 0)
				snprintf(cell, sizeof(cell), "-");
			else
				snprintf(cell, sizeof(cell), "%.3f (%.1fx)", v[c],
					 v[c] / v[COL_FLOOR]);
			printf("  %*s", col_width(c), cell);
		}
		putchar('\n');
	}
}

/* Where a memwatch tick's time goes, by the sampler's own accounting, and
 * the fixed costs that dominate it on small trees. */
static void print_split(const struct row *rows, size_t nrows, double clock_us,
			double mark_us)
{
	size_t i;

	printf("\nmemwatch-tick split, median CPU µs per process per tick "
	       "(fast: fast and status tiers;\n"
	       "rest: deep-tier check, sums, peaks)\n");
	printf("%5s  %8s  %8s  %8s  %10s  %10s  %10s  %14s  %18s\n",
	       "procs", "fast", "discover", "rest", "ticks",
	       "mark moved", "full scans", "tick, forking", "discover, forking");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		double rest = r->cpu_us[COL_TICK] - r->cpu_us[COL_FAST] -
			      r->discover_us;

		printf("%5zu  %8.3f  %8.3f  %8.3f  %10llu  %10llu  %10llu"
		       "  %14.3f  %18.3f\n",
		       r->n, r->cpu_us[COL_FAST], r->discover_us,
		       rest, (unsigned long long)r->ticks,
		       (unsigned long long)r->marks_moved,
		       (unsigned long long)r->full_scans, r->forking_us,
		       r->forking_discover_us);
	}
	printf("mark moved: measured ticks on which something on the system "
	       "forked, so discovery read every children list\n"
	       "forking: the same ticks with discovery forced every tick, as "
	       "when something forks all the time\n");
	printf("fixed per tick: /proc/loadavg pread (fork mark) %.3f µs; for "
	       "scale, a CLOCK_THREAD_CPUTIME_ID read %.3f µs (the sampler times "
	       "its tick on CLOCK_MONOTONIC instead)\n", mark_us, clock_us);
}

/* The bracketed word of a sysfs choice list ("always [madvise] never"). */
static void read_thp_mode(char *out, size_t cap)
{
	char buf[128], *open, *close;
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	snprintf(out, cap, "unknown");
	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f) && (open = strchr(buf, '[')) &&
	    (close = strchr(open, ']'))) {
		*close = '\0';
		snprintf(out, cap, "%s", open + 1);
	}
	fclose(f);
}

static void print_header(size_t batches, uint64_t batch_ns)
{
	struct utsname u;
	char thp[32], load[64] = "?";
	FILE *f;

	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "?");
	read_thp_mode(thp, sizeof(thp));
	/* Other work on the machine shows up as noise: say how busy it was. */
	f = fopen("/proc/loadavg", "r");
	if (f) {
		if (!fgets(load, sizeof(load), f))
			snprintf(load, sizeof(load), "?");
		load[strcspn(load, "\n")] = '\0';
		fclose(f);
	}
	printf("memwatch bench-sampler — kernel %s, %ld CPUs, page %ld B, "
	       "THP %s, %zu batches of %.2f s per method\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN), sysconf(_SC_PAGESIZE),
	       thp, batches, (double)batch_ns / 1e9);
	printf("loadavg at start: %s\n", load);
}

/* Medians of the per-tick fixed costs, per call. */
static bool measure_fixed(struct bench *b, size_t batches, uint64_t batch_ns,
			  double *clock_us, double *mark_us)
{
	struct method ms[] = {
		{ .name = "thread clock", .fn = run_thread_clock },
		{ .name = "fork mark", .fn = run_fork_mark },
	};

	b->loadavg_fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	if (b->loadavg_fd < 0)
		return false;
	if (!measure_all(b, ms, 2, batches, batch_ns / 4)) {
		close(b->loadavg_fd);
		return false;
	}
	close(b->loadavg_fd);
	b->loadavg_fd = -1;
	*clock_us = median(ms[0].cpu_us, batches);
	*mark_us = median(ms[1].cpu_us, batches);
	return true;
}

/* Measure every method on a tree of n children into row. */
static bool bench_size(struct bench *b, size_t n, size_t batches,
		       uint64_t batch_ns, struct row *row)
{
	struct tick_split split[MAX_BATCHES], split_forking[MAX_BATCHES];
	struct method ms[] = {
		{ .name = "memwatch-tick", .fn = run_memwatch, .split = split },
		{ .name = "memwatch-tick-forking", .fn = run_memwatch_forking,
		  .split = split_forking },
		{ .name = "floor(pread)", .fn = run_floor },
		{ .name = "open+read+close", .fn = run_open_read_close },
		{ .name = "libproc2-select-each", .fn = run_lp2_each },
		{ .name = "libproc2-select-all", .fn = run_lp2_all },
	};
	static const enum col to_col[] = {
		COL_TICK, N_COLS, COL_FLOOR, COL_ORC, COL_LP2_EACH, COL_LP2_ALL,
	};
	const struct method *tick = &ms[0], *forking = &ms[1];
	double fast_us[MAX_BATCHES], disc_us[MAX_BATCHES];
	double fdisc_us[MAX_BATCHES];
	size_t k, nm = sizeof(ms) / sizeof(ms[0]);
	bool ok = false;

	memset(row, 0, sizeof(*row));
	row->n = n;
	if (!children_start(b, n) || !bench_open(b, mono_ns())) {
		fprintf(stderr, "%s: cannot set up %zu processes: %s\n", prog, n,
			strerror(errno));
		goto out;
	}
	for (k = 0; k < nm; k++)
		ms[k].per_process = true;	/* all per process per tick */
	if (!measure_all(b, ms, nm, batches, batch_ns))
		goto out;
	for (k = 0; k < nm; k++) {
		if (to_col[k] == N_COLS)
			continue;
		row->cpu_us[to_col[k]] = median(ms[k].cpu_us, batches);
		row->wall_us[to_col[k]] = median(ms[k].wall_us, batches);
	}
	for (k = 0; k < batches; k++) {
		/* The split parts divide as the whole tick does; the fast
		 * tier by the reads it made, as memwatch reports it. */
		double units = (double)tick->ticks * (double)n;

		fast_us[k] = split[k].fast_reads ? (double)split[k].fast_ns /
			     1e3 / (double)split[k].fast_reads : 0;
		disc_us[k] = (double)split[k].discover_ns / 1e3 / units;
		fdisc_us[k] = (double)split_forking[k].discover_ns / 1e3 /
			      ((double)forking->ticks * (double)n);
		row->ticks += tick->ticks;
		row->marks_moved += split[k].marks_moved;
		row->full_scans += split[k].full_scans;
	}
	row->cpu_us[COL_FAST] = median(fast_us, batches);
	row->wall_us[COL_FAST] = -1;
	row->discover_us = median(disc_us, batches);
	row->forking_us = median(forking->cpu_us, batches);
	row->forking_discover_us = median(fdisc_us, batches);
	ok = true;
out:
	bench_close(b);
	children_stop(b);
	return ok;
}

/* Soft limit up to the hard one: memwatch keeps three descriptors per
 * process and the floor one more, as supervise_init() allows memwatch. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: %s [-b BATCHES] [-t BATCH_DURATION] [PROCS...]\n"
		"  -b BATCHES         batches per method, 1 to %d (default 7)\n"
		"  -t BATCH_DURATION  length of one batch (default 200ms)\n"
		"  PROCS              tree sizes, 1 to 1000 (default 1 10 100)\n",
		prog, MAX_BATCHES);
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench b = { .loadavg_fd = -1 };
	struct row rows[MAX_SIZES];
	size_t sizes[MAX_SIZES] = { 1, 10, 100 }, nsizes = 3, batches = 7, i;
	uint64_t batch_ns = 200000000ULL, v;
	double clock_us, mark_us, wake_us;
	char exe[4096], dur[32];
	ssize_t len;
	int c;

	while ((c = getopt(argc, argv, "b:t:h")) != -1) {
		switch (c) {
		case 'b':
			if (parse_uint(optarg, 1, MAX_BATCHES, &v) != PARSE_OK) {
				fprintf(stderr, "%s: -b: '%s' is not a number of "
					"batches from 1 to %d\n", prog, optarg,
					MAX_BATCHES);
				return 2;
			}
			batches = (size_t)v;
			break;
		case 't':
			if (parse_duration_ns(optarg, 1000000ULL, 60000000000ULL,
					      &batch_ns) != PARSE_OK) {
				fprintf(stderr, "%s: -t: '%s' is not a duration "
					"from 1ms to 60s\n", prog, optarg);
				return 2;
			}
			break;
		default:
			usage();
		}
	}
	if (optind < argc) {
		if (argc - optind > MAX_SIZES) {
			fprintf(stderr, "%s: at most %d tree sizes\n", prog,
				MAX_SIZES);
			return 2;
		}
		for (nsizes = 0; optind < argc; optind++) {
			if (parse_uint(argv[optind], 1, 1000, &v) != PARSE_OK) {
				fprintf(stderr, "%s: '%s' is not a number of "
					"processes from 1 to 1000\n", prog,
					argv[optind]);
				return 2;
			}
			sizes[nsizes++] = (size_t)v;
		}
	}
	raise_nofile();

	print_header(batches, batch_ns);
	fflush(stdout);
	if (!measure_fixed(&b, batches, batch_ns, &clock_us, &mark_us))
		return 1;
	/* 100 wakeups per batch: 0.1 s each at memwatch's finest interval. */
	wake_us = measure_wakeup_us(1000000ULL, 100, batches);
	for (i = 0; i < nsizes; i++)
		if (!bench_size(&b, sizes[i], batches, batch_ns, &rows[i]))
			return 1;

	print_table("median µs per process per tick, CPU time of the measuring "
		    "thread (ratio to floor)", rows, nsizes, true);
	print_table("median µs per process per tick, wall time (ratio to floor)",
		    rows, nsizes, false);

	print_split(rows, nsizes, clock_us, mark_us);
	if (wake_us >= 0)
		printf("not in a tick above: waking on a 1 ms timerfd (poll + "
		       "read, nothing else) costs %.1f µs CPU per wakeup here\n",
		       wake_us);

	printf("\ntarget: memwatch fast tier <= %.1f µs per process per tick (CPU):",
	       FAST_TARGET_US);
	for (i = 0; i < nsizes; i++)
		printf(" N=%zu %s (%.3f)%s", rows[i].n,
		       rows[i].cpu_us[COL_FAST] <= FAST_TARGET_US ? "PASS" : "FAIL",
		       rows[i].cpu_us[COL_FAST], i + 1 < nsizes ? "," : "\n");

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[len > 0 ? len : 0] = '\0';
	if (batch_ns % 1000000ULL == 0)
		snprintf(dur, sizeof(dur), "%llums",
			 (unsigned long long)(batch_ns / 1000000ULL));
	else
		snprintf(dur, sizeof(dur), "%lluus",
			 (unsigned long long)(batch_ns / 1000ULL));
	printf("reproduce: %s -b %zu -t %s", len > 0 ? exe : argv[0], batches,
	       dur);
	for (i = 0; i < nsizes; i++)
		printf(" %zu", sizes[i]);
	printf("   (or: make bench)\n");
	bench_sink = b.sink;

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: writing the report: %s\n", prog,
			strerror(errno));
		return 1;
	}
	return 0;
}
