/* test_result_load.c - loading result files: round trips, and every way a
 * file can be wrong
 *
 * Run with --write-samples DIR to (re)write the sample files in tests/data
 * from the writer; run normally, it checks the committed ones still match
 * what the writer writes, and that each loads or fails as it should. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "util/fmt.h"
#include "result/result.h"
#include "result/json.h"
#include "result/load.h"
#include "tap.h"
#include "util/xalloc.h"

/* --- building results --------------------------------------------------- */

static void set_mem(struct mem *m, uint64_t base)
{
	m->footprint_bytes = base;
	m->rss_bytes = base * 2 + 4096;
	m->pss_bytes = base + 8192;
	m->uss_bytes = base - 4096;
	m->anon_bytes = base - 8192;
	m->file_bytes = base / 2;
	m->shmem_bytes = 12288;
	m->swap_bytes = 4096;
	m->lazyfree_bytes = 0;
}

static void add_checkpoint(struct result_run *run, const char *kind,
			   const char *label, double t_s, uint64_t fp)
{
	struct result_checkpoint *c;

	run->checkpoints = xreallocarray(run->checkpoints, run->n_checkpoints + 1,
					 sizeof(*run->checkpoints));
	c = &run->checkpoints[run->n_checkpoints++];
	memset(c, 0, sizeof(*c));
	c->kind = xstrdup(kind);
	c->label = xstrdup(label);
	c->t_s = t_s;
	c->processes = 2;
	c->deep = run->n_checkpoints % 2;
	set_mem(&c->mem, fp);
}

static struct result_proc *add_proc(struct result_run *run, pid_t pid, pid_t ppid,
				    const char *command)
{
	struct result_proc *p;

	run->processes = xreallocarray(run->processes, run->n_processes + 1,
				       sizeof(*run->processes));
	p = &run->processes[run->n_processes++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->command = xstrdup(command);
	p->exit_status = -1;
	p->end_s = -1;
	p->preload = -1;
	return p;
}

static void add_env(struct result_config *c, const char *name, const char *value)
{
	c->env = xreallocarray(c->env, c->n_env + 1, sizeof(*c->env));
	c->env[c->n_env].name = xstrdup(name);
	c->env[c->n_env].value = xstrdup(value);
	c->n_env++;
}

static void set_argv(struct result_config *c, const char *const *argv)
{
	size_t n = 0, i;

	while (argv[n])
		n++;
	c->argv = xcalloc(n + 1, sizeof(*c->argv));
	for (i = 0; i < n; i++)
		c->argv[i] = xstrdup(argv[i]);
}

static struct result_config *add_config(struct result *r, const char *name)
{
	struct result_config *c;

	r->configs = xreallocarray(r->configs, r->n_configs + 1, sizeof(*r->configs));
	c = &r->configs[r->n_configs++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	return c;
}

static void fill_host(struct result_host *h, const char *hostname)
{
	h->hostname = xstrdup(hostname);
	h->kernel = xstrdup("6.1.0-21-amd64");
	h->arch = xstrdup("x86_64");
	h->cpus = 4;
	h->page_size = 4096;
	h->mem_total_bytes = 8220618752ULL;
	h->thp = xstrdup("madvise");
}

static void set_host(struct result *r, const char *hostname)
{
	r->memwatch_version = xstrdup("0.1.0");
	r->created = xstrdup("2025-06-02T09:14:07Z");
	fill_host(&r->host, hostname);
}

/* The run preloaded library, and mapped says for each process whether it
 * had it mapped. */
static void set_preload(struct result_run *run, const char *library, const int *mapped)
{
	size_t i;

	run->preload.library = xstrdup(library);
	for (i = 0; i < run->n_processes; i++) {
		run->processes[i].preload = mapped[i];
		if (mapped[i] >= 0) {
			run->preload.checked++;
			run->preload.mapped += (uint32_t)mapped[i];
		}
	}
}

static void set_sampler(struct result_sampler *s, unsigned k)
{
	s->interval_ns = 250000000;
	s->samples = 26 + k;
	s->deep_reads = 9 + k;
	s->deep_budget_bp = 250;
	s->cpu_s = 0.042;
	s->cpu_pct = 0.63;
	s->max_rss_bytes = 5 * 1048576 + 4096 * k;
	s->fast_us_per_proc_tick = 11.375;
	s->deep_cpu_s = 0.001234;
	s->deep_max_ms = 0.456;
	s->full_scans = 1;
	s->children_scans = 26 + k;
	s->pid_probes = 3;
}

/* One run of a phased measurement: ready, a driver, idle checkpoints.
 * Seconds are whole milliseconds, as the writer keeps them, so that the
 * writer's derived values come out the same after a load. */
static void fill_run(struct result_run *run, unsigned k, const char *drive,
		     const char *cmd_root, const char *cmd_child, const char *mark)
{
	double ready = 0.75 + 0.125 * k, load_end = 4.25 + 0.25 * k;
	uint64_t base = 80 * 1048576ULL + 1048576ULL * k * 3;
	struct result_proc *p;

	run->exit_status = 0;
	run->wall_s = load_end + 2.5;
	run->cpu_s = 3.21 + k;
	run->ended_by = xstrdup("exit");
	run->peak.t_s = load_end - 0.5;
	snprintf(run->peak.phase, sizeof(run->peak.phase), "load");
	run->peak.processes = 2;
	run->peak.uncertain_bytes = 4096 * k;
	set_mem(&run->peak.mem, base + 16 * 1048576);
	run->max_rss_bytes = 2 * base + 40 * 1048576;
	run->max_pss_bytes = base + 20 * 1048576;
	run->processes_seen = 2;
	run->max_processes = 2;
	run->ready_s = ready;
	run->load_start_s = ready;
	run->load_end_s = load_end;
	run->settle_s = load_end + 1;
	run->idle_drift_bytes_per_min = -1024.0 * (k + 1);
	run->idle_drift_from_s = load_end + 1.25;
	run->idle_drift_to_s = load_end + 4;
	run->idle_drift_settled = k % 2 == 0;
	if (drive) {
		run->drive.command = xstrdup(drive);
		run->drive.exit_status = 0;
		run->drive.start_s = ready;
		run->drive.end_s = load_end;
	}
	add_checkpoint(run, "ready", "ready", ready, base / 2);
	if (mark)
		add_checkpoint(run, "mark", mark, ready + 1, base - 1048576);
	add_checkpoint(run, "load_end", "load_end", load_end, base + 8 * 1048576);
	add_checkpoint(run, "idle", "idle_1s", load_end + 1, base + 4 * 1048576);
	add_checkpoint(run, "idle", "idle_2s", load_end + 2, base + 3 * 1048576);
	add_checkpoint(run, "exit", "exit", load_end + 2.5, base + 3 * 1048576);

	p = add_proc(run, 41000 + (pid_t)k * 10, 40999 + (pid_t)k * 10, cmd_root);
	p->start_s = 0;
	p->end_s = load_end + 2.5;
	p->exit_status = 0;
	p->hwm_bytes = base + 30 * 1048576;
	p->peak_footprint_bytes = base + 12 * 1048576;
	p->has_at_peak = true;
	set_mem(&p->at_peak, base + 10 * 1048576);
	p = add_proc(run, 41001 + (pid_t)k * 10, 41000 + (pid_t)k * 10, cmd_child);
	p->start_s = 0.5;
	p->hwm_bytes = 30 * 1048576;
	p->peak_footprint_bytes = 6 * 1048576;
	p->has_at_peak = true;
	set_mem(&p->at_peak, 6 * 1048576);
	run->sum_proc_peak_bytes = run->processes[0].hwm_bytes + p->hwm_bytes;
	set_sampler(&run->sampler, k);
}

#define JEMALLOC "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"

/* The sample in tests/data/result-valid.json: a small node server with
 * its own allocator and with jemalloc preloaded, two runs each. */
static void build_sample(struct result *r)
{
	static const char *const argv[] = { "node", "server.js", NULL };
	struct result_config *c;
	unsigned k;

	set_host(r, "ci-runner-3");
	c = add_config(r, "default");
	set_argv(c, argv);
	for (k = 0; k < 2; k++)
		fill_run(result_config_add_run(c), k, "sh load.sh",
			 "node server.js", "esbuild --service=0.21.5 --ping", NULL);
	c = add_config(r, "jemalloc");
	set_argv(c, argv);
	add_env(c, "LD_PRELOAD", JEMALLOC);
	for (k = 0; k < 2; k++) {
		struct result_run *run = result_config_add_run(c);

		fill_run(run, k + 2, "sh load.sh", "node server.js",
			 "esbuild --service=0.21.5 --ping", NULL);
		set_preload(run, JEMALLOC, (const int[]){ 1, 1 });
	}
}

/* Strings a hostile or careless command line puts in a result: newlines,
 * table and shell syntax, terminal escapes, and (with bad_utf8) bytes that
 * are not UTF-8. */
#define HOSTILE_OK "line1\nline2 | `id` $(id) \x01\x1b[31mred\x1b[0m\t\x7f \xc3\xa9 \xf0\x9f\x99\x82"
#define HOSTILE_BAD "bad \xff\xfe \xc3 \xc0\xaf \xed\xa0\x80 end\n|`x`"

/* Every field set, and every field the writer writes as null set absent in
 * some run: config 0 run 0 has everything, run 1 has a driver that did not
 * end and no phases, config 1 run 0 has no driver. */
/* The cgroup tier's count, every field set. */
static void set_kernel(struct result_kcount *k)
{
	static const char *const phases[] = { "start", "load", "idle_30s", "stop" };
	size_t i;

	k->tier = xstrdup("cgroup");
	k->cgroup = xstrdup("/user.slice/memwatch-42");
	k->has_peak = true;
	k->peak_bytes = (1ULL << 40) + 4096;
	k->peak_phase = xstrdup("load");
	k->max_current_bytes = 1ULL << 40;
	k->max_current_t_s = 12.345;
	k->split_current_bytes = (1ULL << 40) - 4096;
	k->stat_reads = 17;
	k->anon_bytes = 1;
	k->file_bytes = 2;
	k->shmem_bytes = 3;
	k->file_mapped_bytes = 4;
	k->kernel_bytes = 5;
	k->sock_bytes = 6;
	k->swap_bytes = 7;
	k->members = 9;
	k->missed = 2;
	k->phases_exact = true;
	k->phases = xcalloc(4, sizeof(*k->phases));
	for (i = 0; i < 4; i++) {
		k->phases[i].phase = xstrdup(phases[i]);
		k->phases[i].peak_bytes = (i + 1) << 20;
	}
	k->n_phases = 4;
	k->us_per_tick = 3.25;
	k->stat_us_per_read = 12.5;
}

static void build_full(struct result *r, bool bad_utf8)
{
	const char *h = bad_utf8 ? HOSTILE_BAD : HOSTILE_OK;
	const char *const argv[] = { "node", h, "--flag=a|b", "", NULL };
	struct result_config *c;
	struct result_run *run;
	char name[256];

	set_host(r, h);
	free(r->host.thp);
	r->host.thp = xstrdup(h);
	/* Not 2^53: cJSON prints a number with 15 digits when they come
	 * within DBL_EPSILON of it, so 2^53 would be written 2 short. */
	r->host.mem_total_bytes = 1ULL << 50;
	snprintf(name, sizeof(name), "cfg %s", h);
	c = add_config(r, name);
	set_argv(c, argv);
	add_env(c, "NODE_ENV", "production");
	add_env(c, h, h);
	add_env(c, "EMPTY", "");
	run = result_config_add_run(c);
	fill_run(run, 0, h, h, "child", h);
	set_preload(run, h, (const int[]){ 1, 0 });
	set_kernel(&run->kernel);
	run = result_config_add_run(c);
	fill_run(run, 1, "curl -s http://localhost:5173/", "node", h, NULL);
	run->exit_status = -1;
	run->interrupted = true;
	free(run->ended_by);
	run->ended_by = xstrdup("signal");
	run->ready_s = run->load_start_s = run->load_end_s = run->settle_s = -1;
	run->idle_drift_bytes_per_min = NAN;
	run->idle_drift_from_s = run->idle_drift_to_s = -1;
	run->idle_drift_settled = false;
	run->drive.exit_status = -1;
	run->drive.end_s = -1;
	snprintf(run->peak.phase, sizeof(run->peak.phase), "start");
	run->processes[0].exit_status = 137;
	run->processes[1].has_at_peak = false;
	memset(&run->processes[1].at_peak, 0, sizeof(run->processes[1].at_peak));

	c = add_config(r, "second");
	c->host = xcalloc(1, sizeof(*c->host));
	fill_host(c->host, h);
	c->host->cpus = -1;
	set_argv(c, (const char *const[]){ "sh", "-c", h, NULL });
	run = result_config_add_run(c);
	fill_run(run, 2, NULL, "sh", "sleep 1", NULL);
	set_preload(run, "libjemalloc.so.2", (const int[]){ -1, 0 });
	run->exit_status = 255;
	snprintf(run->peak.phase, sizeof(run->peak.phase), "idle");
	fill_run(result_config_add_run(c), 3, "x", "y", "z", NULL);
}

/* Strings a hostile run leaves behind, for tests/data/result-hostile.json. */
static void build_hostile(struct result *r)
{
	static const char *const names[] = {
		"two\nlines", "pipe | `backticks` $(rm -rf /) \x1b[2J\x07\x01",
	};
	static const char *const commands[] = {
		"evil\ncommand | with `ticks`",
		"\x1b]0;title\x07\x1b[31mred\r\x08 \xff\xfe latin1 caf\xe9",
	};
	struct result_config *c;
	unsigned k;

	set_host(r, "host\nname|`x`");
	for (k = 0; k < 2; k++) {
		const char *const argv[] = { "sh", "-c", commands[k], NULL };

		c = add_config(r, names[k]);
		set_argv(c, argv);
		add_env(c, "PS1", "\x1b[1m$ \x1b[0m|\n");
		fill_run(result_config_add_run(c), k, commands[1 - k], commands[k],
			 names[k], "mark|\n`x`\xc3");
	}
}

/* A result with only the keys of the schema's minimum (memwatch(1)), as
 * another tool might write it: one config, one run, one checkpoint, one
 * process that was still running. */
static const char MINIMAL[] =
	"{\n"
	"  \"schema\": \"memwatch-result/1\",\n"
	"  \"memwatch_version\": \"0.0.9\",\n"
	"  \"host\": { \"kernel\": \"6.1.0\", \"cpus\": 2, \"page_size\": 4096,\n"
	"            \"mem_total_bytes\": 4294967296, \"thp\": \"never\" },\n"
	"  \"configs\": [ {\n"
	"    \"name\": \"base\",\n"
	"    \"command\": [ \"./app\", \"--serve\" ],\n"
	"    \"env\": { \"MALLOC_ARENA_MAX\": \"2\" },\n"
	"    \"runs\": [ {\n"
	"      \"exit_status\": 0, \"wall_s\": 2.5, \"cpu_s\": 0.75, \"interrupted\": false,\n"
	"      \"peak\": { \"t_s\": 1.25, \"footprint_bytes\": 52428800,\n"
	"                \"rss_bytes\": 62914560, \"pss_bytes\": 54525952 },\n"
	"      \"sum_proc_peak_bytes\": 67108864,\n"
	"      \"checkpoints\": [ { \"label\": \"exit\", \"t_s\": 2.5,\n"
	"        \"footprint_bytes\": 41943040, \"rss_bytes\": 50331648,\n"
	"        \"pss_bytes\": 44040192, \"uss_bytes\": 39845888,\n"
	"        \"lazyfree_bytes\": 2097152 } ],\n"
	"      \"processes\": [ { \"pid\": 4242, \"ppid\": 4241, \"command\": \"./app --serve\",\n"
	"        \"start_s\": 0, \"end_s\": null, \"exit_status\": null,\n"
	"        \"hwm_bytes\": 67108864, \"peak_footprint_bytes\": 50331648 } ],\n"
	"      \"sampler\": { \"samples\": 10, \"cpu_s\": 0.012, \"max_rss_bytes\": 3145728 }\n"
	"    } ]\n"
	"  } ]\n"
	"}\n";

/* MINIMAL as the model should hold it: its values, and for every key it
 * leaves out the model's "absent" default. */
static void build_minimal(struct result *r)
{
	struct result_checkpoint *c;
	struct result_config *cfg;
	struct result_run *run;
	struct result_proc *p;

	r->memwatch_version = xstrdup("0.0.9");
	r->host.hostname = xstrdup("unknown");
	r->host.kernel = xstrdup("6.1.0");
	r->host.arch = xstrdup("unknown");
	r->host.cpus = 2;
	r->host.page_size = 4096;
	r->host.mem_total_bytes = 4294967296ULL;
	r->host.thp = xstrdup("never");
	cfg = add_config(r, "base");
	set_argv(cfg, (const char *const[]){ "./app", "--serve", NULL });
	add_env(cfg, "MALLOC_ARENA_MAX", "2");
	run = result_config_add_run(cfg);
	run->exit_status = 0;
	run->wall_s = 2.5;
	run->cpu_s = 0.75;
	run->peak.t_s = 1.25;
	run->peak.mem.footprint_bytes = 52428800;
	run->peak.mem.rss_bytes = 62914560;
	run->peak.mem.pss_bytes = 54525952;
	run->sum_proc_peak_bytes = 67108864;
	run->checkpoints = c = xcalloc(1, sizeof(*c));
	run->n_checkpoints = 1;
	c->label = xstrdup("exit");
	c->t_s = 2.5;
	c->mem.footprint_bytes = 41943040;
	c->mem.rss_bytes = 50331648;
	c->mem.pss_bytes = 44040192;
	c->mem.uss_bytes = 39845888;
	c->mem.lazyfree_bytes = 2097152;
	p = add_proc(run, 4242, 4241, "./app --serve");
	p->hwm_bytes = 67108864;
	p->peak_footprint_bytes = 50331648;
	run->sampler.samples = 10;
	run->sampler.cpu_s = 0.012;
	run->sampler.max_rss_bytes = 3145728;
}

/* --- writing, loading and changing documents ---------------------------- */

/* r as the writer writes it. Caller frees. */
static char *write_text(const struct result *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f || result_json_write(r, f) < 0 || fclose(f) != 0) {
		printf("Bail out! cannot write a result to memory\n");
		exit(1);
	}
	return text;
}

/* Load len bytes of text from a buffer of exactly that size, so that a
 * read past its end shows under valgrind. */
static int load_n(const char *text, size_t len, struct result *r, char *err,
		  size_t errlen)
{
	char *copy = xmalloc(len);
	int rc;

	memcpy(copy, text, len);
	rc = result_load_text(copy, len, r, err, errlen);
	free(copy);
	return rc;
}

static bool is_zeroed(const struct result *r)
{
	static const struct result zero;

	return !memcmp(r, &zero, sizeof(zero));
}

/* Loading text fails, with a message that holds want, and r stays empty. */
static int fails_n(const char *text, size_t len, const char *want, const char *desc)
{
	struct result r = { 0 };
	char err[512] = "";
	int rc = load_n(text, len, &r, err, sizeof(err));
	bool good = rc == -1 && strstr(err, want) && is_zeroed(&r) &&
		!strchr(err, '\n');

	ok(good, "%s: \"%s\"", desc, want);
	if (!good)
		printf("#   rc %d, message '%s'%s\n", rc, err,
		       is_zeroed(&r) ? "" : ", result not emptied");
	result_free(&r);
	return good;
}

static int fails(const char *text, const char *want, const char *desc)
{
	return fails_n(text, strlen(text), want, desc);
}

/* Loading text succeeds. The caller frees r. */
static int loads(const char *text, struct result *r, const char *desc)
{
	char err[512] = "";
	int rc = load_n(text, strlen(text), r, err, sizeof(err));

	ok(rc == 0, "%s", desc);
	if (rc != 0)
		printf("#   message '%s'\n", err);
	return rc == 0;
}

static char *replace_once(const char *s, const char *old, const char *new)
{
	const char *at = strstr(s, old);

	if (!at) {
		printf("Bail out! '%s' not in the document\n", old);
		exit(1);
	}
	return xasprintf("%.*s%s%s", (int)(at - s), s, new, at + strlen(old));
}

#define PLACEHOLDER "@@replaced@@"

/* base with the value at path ("configs/0/runs/1/wall_s": keys and array
 * indexes) set to the raw JSON text raw, added if it is not there, or
 * removed if raw is NULL. Raw text lets a test write what cJSON would not
 * print: 1e999, -0, \u0000. Caller frees. */
static char *mutate(const char *base, const char *path, const char *raw)
{
	cJSON *root = cJSON_Parse(base), *parent = root, *item;
	char *p = xstrdup(path), *tok, *next, *printed, *out;

	tok = p;
	while ((next = strchr(tok, '/'))) {
		*next = '\0';
		parent = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(tok)) :
			cJSON_GetObjectItemCaseSensitive(parent, tok);
		if (!parent) {
			printf("Bail out! no %s in %s\n", tok, path);
			exit(1);
		}
		tok = next + 1;
	}
	item = cJSON_CreateString(PLACEHOLDER);
	if (cJSON_IsArray(parent)) {
		if (raw)
			cJSON_ReplaceItemInArray(parent, atoi(tok), item);
		else
			cJSON_DeleteItemFromArray(parent, atoi(tok));
	} else if (!raw) {
		cJSON_DeleteItemFromObjectCaseSensitive(parent, tok);
	} else if (cJSON_GetObjectItemCaseSensitive(parent, tok)) {
		cJSON_ReplaceItemInObjectCaseSensitive(parent, tok, item);
	} else {
		cJSON_AddItemToObject(parent, tok, item);
	}
	if (!raw)
		cJSON_Delete(item);
	printed = cJSON_Print(root);
	out = raw ? replace_once(printed, "\"" PLACEHOLDER "\"", raw) : xstrdup(printed);
	cJSON_free(printed);
	cJSON_Delete(root);
	free(p);
	return out;
}

/* base changed at path fails with a message holding want. */
static void mutant_fails(const char *base, const char *path, const char *raw,
			 const char *want)
{
	char *text = mutate(base, path, raw), *p = fmt_escape(path, ESCAPE_TEXT);
	char desc[300];

	snprintf(desc, sizeof(desc), "%s = %s", p, raw ? raw : "(removed)");
	fails(text, want, desc);
	free(text);
	free(p);
}

/* base changed at path loads; r is the result, which the caller frees. */
static int mutant_loads(const char *base, const char *path, const char *raw,
			struct result *r)
{
	char *text = mutate(base, path, raw), *p = fmt_escape(path, ESCAPE_TEXT);
	char desc[300];
	int good;

	snprintf(desc, sizeof(desc), "loads with %s = %s", p, raw ? raw : "(removed)");
	good = loads(text, r, desc);
	free(text);
	free(p);
	return good;
}

/* --- comparing results field by field ----------------------------------- */

static int n_diffs;

/* snprintf for the paths below, which are never long enough to be cut. */
__attribute__((format(printf, 3, 4)))
static void pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 1, 2)))
static void differs(const char *fmt, ...)
{
	va_list ap;

	if (++n_diffs > 20)
		return;
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* With sanitized, b must be a as the loader makes it valid UTF-8. */
static bool sanitized;

static void cmp_str(const char *where, const char *a, const char *b)
{
	char *want;

	if (!a || !b) {
		if (a != b)
			differs("%s: one is NULL", where);
		return;
	}
	want = sanitized ? fmt_utf8_sanitize(a, strlen(a)) : xstrdup(a);
	if (strcmp(want, b))
		differs("%s: '%s' != '%s'", where, want, b);
	free(want);
}

static void cmp_num(const char *where, double a, double b)
{
	if (!(a == b || (isnan(a) && isnan(b))))
		differs("%s: %.17g != %.17g", where, a, b);
}

static void cmp_u64(const char *where, uint64_t a, uint64_t b)
{
	if (a != b)
		differs("%s: %llu != %llu", where, (unsigned long long)a,
			(unsigned long long)b);
}

#define CMP_STR(p, f) do { pathf(w, sizeof(w), "%s.%s", p, #f); cmp_str(w, a->f, b->f); } while (0)
#define CMP_NUM(p, f) do { pathf(w, sizeof(w), "%s.%s", p, #f); cmp_num(w, (double)a->f, (double)b->f); } while (0)
#define CMP_U64(p, f) do { pathf(w, sizeof(w), "%s.%s", p, #f); cmp_u64(w, a->f, b->f); } while (0)

static void cmp_mem(const char *p, const struct mem *a, const struct mem *b)
{
	char w[256];

#define CMP_MEM_FIELD(name, title, csv_column, required) CMP_U64(p, name##_bytes);
	MEM_FIELDS(CMP_MEM_FIELD)
#undef CMP_MEM_FIELD
}

static void cmp_run(const char *p, const struct result_run *a, const struct result_run *b)
{
	char w[256], q[200];
	size_t i;

	CMP_NUM(p, exit_status);
	CMP_NUM(p, wall_s);
	CMP_NUM(p, cpu_s);
	CMP_NUM(p, interrupted);
	CMP_STR(p, ended_by);
	CMP_NUM(p, peak.t_s);
	pathf(w, sizeof(w), "%s.peak.phase", p);
	cmp_str(w, a->peak.phase, b->peak.phase);
	CMP_NUM(p, peak.processes);
	CMP_U64(p, peak.uncertain_bytes);
	pathf(q, sizeof(q), "%s.peak", p);
	cmp_mem(q, &a->peak.mem, &b->peak.mem);
	CMP_U64(p, max_rss_bytes);
	CMP_U64(p, max_pss_bytes);
	CMP_U64(p, sum_proc_peak_bytes);
	CMP_NUM(p, processes_seen);
	CMP_NUM(p, max_processes);
	CMP_NUM(p, ready_s);
	CMP_NUM(p, load_start_s);
	CMP_NUM(p, load_end_s);
	CMP_NUM(p, settle_s);
	CMP_NUM(p, idle_drift_bytes_per_min);
	CMP_NUM(p, idle_drift_from_s);
	CMP_NUM(p, idle_drift_to_s);
	CMP_NUM(p, idle_drift_settled);
	CMP_STR(p, drive.command);
	CMP_NUM(p, drive.exit_status);
	CMP_NUM(p, drive.start_s);
	CMP_NUM(p, drive.end_s);
	CMP_STR(p, preload.library);
	CMP_NUM(p, preload.checked);
	CMP_NUM(p, preload.mapped);
	CMP_U64(p, n_checkpoints);
	for (i = 0; i < a->n_checkpoints && i < b->n_checkpoints; i++) {
		pathf(q, sizeof(q), "%s.checkpoints[%zu]", p, i);
		CMP_STR(q, checkpoints[i].kind);
		CMP_STR(q, checkpoints[i].label);
		CMP_NUM(q, checkpoints[i].t_s);
		CMP_NUM(q, checkpoints[i].processes);
		CMP_NUM(q, checkpoints[i].deep);
		cmp_mem(q, &a->checkpoints[i].mem, &b->checkpoints[i].mem);
	}
	CMP_U64(p, n_processes);
	for (i = 0; i < a->n_processes && i < b->n_processes; i++) {
		pathf(q, sizeof(q), "%s.processes[%zu]", p, i);
		CMP_NUM(q, processes[i].pid);
		CMP_NUM(q, processes[i].ppid);
		CMP_STR(q, processes[i].command);
		CMP_NUM(q, processes[i].start_s);
		CMP_NUM(q, processes[i].end_s);
		CMP_NUM(q, processes[i].exit_status);
		CMP_U64(q, processes[i].hwm_bytes);
		CMP_U64(q, processes[i].peak_footprint_bytes);
		CMP_NUM(q, processes[i].has_at_peak);
		CMP_NUM(q, processes[i].preload);
		cmp_mem(q, &a->processes[i].at_peak, &b->processes[i].at_peak);
	}
	pathf(q, sizeof(q), "%s.kernel", p);
	CMP_STR(q, kernel.tier);
	CMP_STR(q, kernel.note);
	CMP_STR(q, kernel.cgroup);
	CMP_NUM(q, kernel.has_peak);
	CMP_U64(q, kernel.peak_bytes);
	CMP_STR(q, kernel.peak_phase);
	CMP_U64(q, kernel.max_current_bytes);
	CMP_NUM(q, kernel.max_current_t_s);
	CMP_U64(q, kernel.split_current_bytes);
	CMP_U64(q, kernel.stat_reads);
	CMP_U64(q, kernel.anon_bytes);
	CMP_U64(q, kernel.shmem_bytes);
	CMP_U64(q, kernel.kernel_bytes);
	CMP_U64(q, kernel.swap_bytes);
	CMP_NUM(q, kernel.members);
	CMP_NUM(q, kernel.missed);
	CMP_NUM(q, kernel.phases_exact);
	CMP_U64(q, kernel.n_phases);
	for (i = 0; i < a->kernel.n_phases && i < b->kernel.n_phases; i++) {
		CMP_STR(q, kernel.phases[i].phase);
		CMP_U64(q, kernel.phases[i].peak_bytes);
	}
	CMP_NUM(q, kernel.us_per_tick);
	CMP_NUM(q, kernel.stat_us_per_read);
	pathf(q, sizeof(q), "%s.sampler", p);
	CMP_U64(q, sampler.interval_ns);
	CMP_U64(q, sampler.samples);
	CMP_U64(q, sampler.deep_reads);
	CMP_NUM(q, sampler.deep_budget_bp);
	CMP_NUM(q, sampler.cpu_s);
	CMP_NUM(q, sampler.cpu_pct);
	CMP_U64(q, sampler.max_rss_bytes);
	CMP_NUM(q, sampler.fast_us_per_proc_tick);
	CMP_NUM(q, sampler.deep_cpu_s);
	CMP_NUM(q, sampler.deep_max_ms);
	CMP_U64(q, sampler.full_scans);
	CMP_U64(q, sampler.children_scans);
	CMP_U64(q, sampler.pid_probes);
}

static void cmp_host(const char *p, const struct result_host *a,
		     const struct result_host *b)
{
	char w[256];

	if (!a || !b) {
		if (a != b)
			differs("%s: one is NULL", p);
		return;
	}
	CMP_STR(p, hostname);
	CMP_STR(p, kernel);
	CMP_STR(p, arch);
	CMP_NUM(p, cpus);
	CMP_NUM(p, page_size);
	CMP_U64(p, mem_total_bytes);
	CMP_STR(p, thp);
}

/* The number of fields in which b is not a (as loaded). */
static int cmp_result(const struct result *a, const struct result *b)
{
	char w[256], p[200];
	size_t i, j;

	n_diffs = 0;
	CMP_STR("", memwatch_version);
	CMP_STR("", created);
	cmp_host("host", &a->host, &b->host);
	CMP_U64("", n_configs);
	for (i = 0; i < a->n_configs && i < b->n_configs; i++) {
		const struct result_config *ca = &a->configs[i], *cb = &b->configs[i];

		pathf(p, sizeof(p), "configs[%zu]", i);
		pathf(w, sizeof(w), "%s.name", p);
		cmp_str(w, ca->name, cb->name);
		pathf(w, sizeof(w), "%s.host", p);
		cmp_host(w, ca->host, cb->host);
		for (j = 0; ca->argv[j] || cb->argv[j]; j++) {
			pathf(w, sizeof(w), "%s.command[%zu]", p, j);
			cmp_str(w, ca->argv[j], cb->argv[j]);
			if (!ca->argv[j] || !cb->argv[j])
				break;
		}
		pathf(w, sizeof(w), "%s.n_env", p);
		cmp_u64(w, ca->n_env, cb->n_env);
		for (j = 0; j < ca->n_env && j < cb->n_env; j++) {
			pathf(w, sizeof(w), "%s.env[%zu].name", p, j);
			cmp_str(w, ca->env[j].name, cb->env[j].name);
			pathf(w, sizeof(w), "%s.env[%zu].value", p, j);
			cmp_str(w, ca->env[j].value, cb->env[j].value);
		}
		pathf(w, sizeof(w), "%s.n_runs", p);
		cmp_u64(w, ca->n_runs, cb->n_runs);
		for (j = 0; j < ca->n_runs && j < cb->n_runs; j++) {
			char q[220];

			pathf(q, sizeof(q), "%s.runs[%zu]", p, j);
			cmp_run(q, &ca->runs[j], &cb->runs[j]);
		}
	}
	if (n_diffs > 20)
		printf("#   ... %d differences in all\n", n_diffs);
	return n_diffs;
}

/* --- the tests ---------------------------------------------------------- */

/* text loads, and is what is written from it, byte for byte. */
static void written_again_same(const char *text, const char *desc_loads,
			       const char *desc_same)
{
	struct result r = { 0 };
	char *again;

	if (loads(text, &r, desc_loads)) {
		again = write_text(&r);
		ok(!strcmp(text, again), "%s", desc_same);
		free(again);
	}
	result_free(&r);
}

static void test_round_trip(void)
{
	struct result r = { 0 }, r2 = { 0 };
	char *text1, *text2, *clean;

	build_full(&r, false);
	text1 = write_text(&r);
	if (loads(text1, &r2, "round trip: the writer's output loads")) {
		ok(cmp_result(&r, &r2) == 0, "round trip: every field as it was");
		text2 = write_text(&r2);
		ok(!strcmp(text1, text2), "round trip: written again, byte for byte the same");
		free(text2);
	}
	result_free(&r);
	result_free(&r2);
	free(text1);

	/* Bytes that are not UTF-8 come back as "\xNN" text; from then on
	 * the file is stable. */
	build_full(&r, true);
	text1 = write_text(&r);
	if (loads(text1, &r2, "round trip with invalid UTF-8: loads")) {
		sanitized = true;
		ok(cmp_result(&r, &r2) == 0,
		   "round trip with invalid UTF-8: every string sanitized, the rest as it was");
		sanitized = false;
		ok(!strcmp(r2.configs[0].runs[0].processes[0].command,
			   "bad \\xff\\xfe \\xc3 \\xc0\\xaf \\xed\\xa0\\x80 end\n|`x`"),
		   "invalid bytes become \\xNN text, newlines and | stay");
		text2 = write_text(&r2);
		clean = fmt_utf8_sanitize(text2, strlen(text2));
		ok(!strcmp(clean, text2), "written again, the file is valid UTF-8");
		free(clean);
		written_again_same(text2, "and loads again", "and is then stable, byte for byte");
		free(text2);
	}
	result_free(&r);
	result_free(&r2);
	free(text1);
}

/* Each field the writer may write as null loads as the model's "absent". */
static void test_nulls(const char *base)
{
	static const char *const nullable[] = {
		"configs/0/runs/0/exit_status", "configs/0/runs/0/ready_s",
		"configs/0/runs/0/load_start_s", "configs/0/runs/0/load_end_s",
		"configs/0/runs/0/settle_s", "configs/0/runs/0/idle_drift_bytes_per_min",
		"configs/0/runs/0/drive/exit_status", "configs/0/runs/0/drive/end_s",
		"configs/0/runs/0/processes/0/end_s",
		"configs/0/runs/0/processes/0/exit_status",
		"configs/0/runs/0/processes/0/at_peak", "configs/0/runs/0/drive",
		"configs/0/runs/0/preload", "configs/0/runs/0/processes/0/preload_mapped",
	};
	struct result r = { 0 };
	const struct result_run *run;
	size_t i;

	for (i = 0; i < sizeof(nullable) / sizeof(nullable[0]); i++) {
		if (!mutant_loads(base, nullable[i], "null", &r))
			continue;
		run = &r.configs[0].runs[0];
		switch (i) {
		case 0:
			ok(run->exit_status == -1, "null exit_status is -1");
			break;
		case 1:
			ok(run->ready_s == -1, "null ready_s is -1");
			break;
		case 2:
			ok(run->load_start_s == -1, "null load_start_s is -1");
			break;
		case 3:
			ok(run->load_end_s == -1, "null load_end_s is -1");
			break;
		case 4:
			ok(run->settle_s == -1, "null settle_s is -1");
			break;
		case 5:
			ok(isnan(run->idle_drift_bytes_per_min), "null idle drift is NaN");
			break;
		case 6:
			ok(run->drive.exit_status == -1 && run->drive.command,
			   "null drive.exit_status is -1");
			break;
		case 7:
			ok(run->drive.end_s == -1, "null drive.end_s is -1");
			break;
		case 8:
			ok(run->processes[0].end_s == -1, "null process end_s is -1");
			break;
		case 9:
			ok(run->processes[0].exit_status == -1, "null process exit_status is -1");
			break;
		case 10:
			ok(!run->processes[0].has_at_peak &&
			   run->processes[0].at_peak.footprint_bytes == 0,
			   "null at_peak: has_at_peak false");
			break;
		case 11:
			ok(!run->drive.command && run->drive.exit_status == -1 &&
			   run->drive.end_s == -1, "null drive: no command, defaults");
			break;
		case 12:
			ok(!run->preload.library && !run->preload.checked &&
			   !run->preload.mapped, "null preload: no library");
			break;
		case 13:
			ok(run->processes[0].preload == -1, "null preload_mapped is -1");
			break;
		}
		result_free(&r);
	}
	mutant_fails(base, "configs/0/runs/0/wall_s", "null",
		     "configs[0].runs[0].wall_s: expected a number, got null");
	mutant_fails(base, "configs/0/runs/0/peak", "null",
		     "configs[0].runs[0].peak: expected an object, got null");
	mutant_fails(base, "configs/0/runs/0/checkpoints/0/label", "null",
		     "configs[0].runs[0].checkpoints[0].label: expected a string, got null");
	mutant_fails(base, "configs/0/runs/0/drive/command", "null",
		     "configs[0].runs[0].drive.command: expected a string, got null");
	mutant_fails(base, "configs/0/runs/0/processes/1/start_s", "null",
		     "configs[0].runs[0].processes[1].start_s: expected a number, got null");
	mutant_fails(base, "host", "null", "host: expected an object, got null");
	mutant_fails(base, "configs/1/host", "null",
		     "configs[1].host: expected an object, got null");
	mutant_fails(base, "configs/0/runs/0/preload/library", "null",
		     "configs[0].runs[0].preload.library: expected a string, got null");
	mutant_fails(base, "configs/0/runs/0/kernel/tier", "\"exact\"",
		     "configs[0].runs[0].kernel.tier: not cgroup or sampling");
	mutant_fails(base, "configs/0/runs/0/kernel/missed", "10",
		     "configs[0].runs[0].kernel.missed: 10 is more than members (9)");
	mutant_fails(base, "configs/0/runs/0/kernel/phase_peaks/1/phase", "\"Load!\"",
		     "configs[0].runs[0].kernel.phase_peaks[1].phase: not a phase name");
	mutant_fails(base, "configs/0/runs/0/kernel/peak_bytes", "-1",
		     "configs[0].runs[0].kernel.peak_bytes");
}

/* A result of one run with one process and one checkpoint, every kind
 * of value in it. Caller frees. */
static char *small_text(void)
{
	struct result r = { 0 };
	struct result_run *run;
	char *text;

	set_host(&r, "h");
	add_config(&r, "c");
	set_argv(&r.configs[0], (const char *const[]){ "x", NULL });
	add_env(&r.configs[0], "K", "v");
	run = result_config_add_run(&r.configs[0]);
	fill_run(run, 0, "d", "p", "q", NULL);
	set_preload(run, "l", (const int[]){ 1, -1 });
	while (run->n_checkpoints > 1) {
		run->n_checkpoints--;
		free(run->checkpoints[run->n_checkpoints].kind);
		free(run->checkpoints[run->n_checkpoints].label);
	}
	text = write_text(&r);
	result_free(&r);
	return text;
}

static void test_not_json(const char *small)
{
	size_t len = strlen(small), k;
	char *deep, *text;
	bool all = true;

	fails_n("", 0, "empty file", "0 bytes");
	fails(" \n\t\r\n ", "empty file (only whitespace)", "whitespace");
	fails("\xef\xbb\xbf\n", "empty file (only whitespace)", "a byte-order mark");

	fails("{", "truncated (ends at byte 1)", "a lone brace");
	fails("{\"schema\": \"memwat", "truncated (ends at byte 18)", "cut in a string");
	fails("{\"schema\": \"a\\", "truncated (ends at byte 14)", "cut after a backslash");
	fails("{\"schema\": \"a\\u00", "truncated (ends at byte 17)", "cut in a \\u escape");
	fails("{\"s\": \"\\ud83d", "truncated", "cut between surrogates");
	fails("{\"schema\"", "truncated (ends at byte 9)", "cut after a key");
	fails("{\"schema\": ", "truncated (ends at byte 11)", "cut after a colon");
	fails("{\"a\": tr", "truncated (ends at byte 8)", "cut in true");
	fails("{\"a\": nul", "truncated", "cut in null");
	fails("{\"a\": -", "truncated (ends at byte 7)", "cut after a minus");
	fails("{\"a\": 1e", "truncated (ends at byte 8)", "cut in an exponent");
	fails("{\"a\": 1.", "truncated (ends at byte 8)", "cut after a decimal point");
	fails("{\"a\": [1, 2", "truncated (ends at byte 11)", "cut in an array");
	fails("{\"a\": 1,\n  ", "truncated (ends at byte 11)", "cut after a comma");
	/* Every cut of a real file, but the one that only drops the final
	 * newline, says truncated at that byte. */
	for (k = 1; k + 1 < len && all; k++) {
		struct result r = { 0 };
		char err[256], want[64];

		snprintf(want, sizeof(want), "truncated (ends at byte %zu)", k);
		if (load_n(small, k, &r, err, sizeof(err)) != -1 || strcmp(err, want)) {
			printf("#   cut at %zu: '%s'\n", k, err);
			all = false;
		}
		result_free(&r);
	}
	ok(all, "each of the %zu cuts of a result file is \"truncated\" at its byte", len - 2);
	{
		struct result r = { 0 };
		char err[256];

		ok(load_n(small, len - 1, &r, err, sizeof(err)) == 0,
		   "without its final newline the file is whole");
		result_free(&r);
	}

	fails("hello", "not JSON (unexpected text at line 1, column 1)", "a word");
	fails("{\n  \"a\": 1,\n  \"b\": x\n}", "not JSON (unexpected text at line 3, column 8)",
	      "line and column of a bad value");
	fails("{} x", "not JSON (unexpected text after the document at line 1, column 4)",
	      "text after the document");
	fails("{}{}", "unexpected text after the document", "two documents");
	fails("{\"a\": 1,}", "not JSON (unexpected text at line 1, column 9)", "a trailing comma");
	fails("[1,]", "not JSON (unexpected text at line 1, column 4)", "a trailing comma in an array");
	fails("{\"a\" 1}", "not JSON (unexpected text at line 1, column 6)", "no colon");
	fails("{\"a\": 1 \"b\": 2}", "not JSON (unexpected text", "no comma");
	fails("{'a': 1}", "not JSON (unexpected text at line 1, column 2)", "single quotes");
	fails("{\"a\": 01}", "not JSON (unexpected text at line 1, column 8)", "a leading zero");
	fails("{\"a\": .5}", "not JSON", "no digit before the point");
	fails("{\"a\": +1}", "not JSON", "a plus sign");
	fails("{\"a\": 0x10}", "not JSON", "hexadecimal");
	fails("{\"a\": NaN}", "not JSON (unexpected text at line 1, column 7)", "NaN");
	fails("{\"a\": Infinity}", "not JSON", "Infinity");
	fails("{\"a\": -Infinity}", "not JSON", "-Infinity");
	fails("{\"a\": nan}", "not JSON", "nan");
	fails("{\"a\": truth}", "not JSON (unexpected text at line 1, column 10)", "a misspelt true");
	fails("{\"a\": \"x\ty\"}", "not JSON (control byte in a string at line 1, column 9)",
	      "a raw tab in a string");
	fails_n("{\"a\": \"x\0y\"}", 12, "not JSON (control byte in a string at line 1, column 9)",
		"a raw NUL byte in a string");
	fails_n("{\"a\": 1}\0", 9, "not JSON (unexpected text after the document", "a NUL after the end");
	fails("{\"a\": \"\\x41\"}", "not JSON (bad escape in a string at line 1, column 8)",
	      "a bad escape");
	fails("{\"a\": \"\\u12G4\"}", "not JSON (bad \\u escape in a string", "a bad \\u escape");
	fails("{\"a\": \"\\ud800\"}", "not JSON (unpaired UTF-16 surrogate", "a lone high surrogate");
	fails("{\"a\": \"\\udc00\"}", "not JSON (unpaired UTF-16 surrogate", "a lone low surrogate");
	fails("{\"a\": \"\\ud800\\u0041\"}", "not JSON (unpaired UTF-16 surrogate",
	      "a high surrogate with no low one");
	fails("{\"a\": 1234567890123456789012345678901234567890123456789012345678901234}",
	      "not JSON (a number longer than 63 characters", "a 64-digit number");
	deep = xmalloc(1202);
	memset(deep, '[', 600);
	memset(deep + 600, ']', 600);
	deep[1200] = '\0';
	fails(deep, "not JSON (nested deeper than 512 levels at line 1, column 513)",
	      "600 nested arrays");
	free(deep);
	fails("# memwatch series\nt_s,phase,footprint_bytes\n0.25,load,1048576\n",
	      "not JSON (unexpected text at line 1, column 1)", "a CSV file");

	text = xasprintf("\xef\xbb\xbf%s", small);
	{
		struct result r = { 0 };

		loads(text, &r, "a byte-order mark before a result");
		result_free(&r);
	}
	free(text);
}

static void test_not_a_result(const char *base)
{
	char *text;

	fails("[]", "not a memwatch result (the document is an array, not an object)",
	      "an array");
	fails("42", "not a memwatch result (the document is a number, not an object)",
	      "a number");
	fails("\"memwatch-result/1\"", "not a memwatch result (the document is a string",
	      "a string");
	fails("null", "not a memwatch result (the document is null", "null");
	fails("{}", "not a memwatch result (no \"schema\")", "an empty object");
	fails("{\"Schema\": \"memwatch-result/1\"}", "not a memwatch result (no \"schema\")",
	      "keys are case-sensitive");
	fails("{\"schema\": 1}", "not a memwatch result (\"schema\" is a number, not a string)",
	      "a number schema");
	fails("{\"schema\": \"memwatch-results/1\"}",
	      "not a memwatch result (schema \"memwatch-results/1\", not \"memwatch-result/1\")",
	      "a misspelt schema");
	fails("{\"schema\": \"memwatch-result/0\"}", "not a memwatch result (schema", "schema 0");
	fails("{\"schema\": \"memwatch-result/01\"}", "not a memwatch result (schema", "schema 01");
	fails("{\"schema\": \"memwatch-result/1.1\"}", "not a memwatch result (schema",
	      "schema 1.1");
	fails("{\"schema\": \"memwatch-result/\"}", "not a memwatch result (schema", "no number");
	fails("{\"schema\": \"x\\u001b[31m\\ny\"}",
	      "not a memwatch result (schema \"x\\x1b[31m\\ny\"", "a schema's control bytes escaped");
	fails("{\"schema\": \"memwatch-result/2\"}",
	      "schema memwatch-result/2 is newer than this memwatch reads (memwatch-result/1)",
	      "a future schema");
	fails("{\"schema\": \"memwatch-result/12\", \"configs\": 5, \"x\": \"\\u0000\"}",
	      "schema memwatch-result/12 is newer than this memwatch reads (memwatch-result/1)",
	      "a future schema, whatever its shape");
	text = mutate(base, "schema", NULL);
	fails(text, "not a memwatch result (no \"schema\")", "a result without its schema");
	free(text);
	text = mutate(base, "schema", "\"memwatch-result/2\"");
	fails(text, "schema memwatch-result/2 is newer", "a whole result of schema 2");
	free(text);
	mutant_fails(base, "configs", NULL, "configs: missing");
	mutant_fails(base, "host", NULL, "host: missing");
	mutant_fails(base, "configs", "{}", "configs: expected an array, got an object");
	mutant_fails(base, "configs/0", "5", "configs[0]: expected an object, got a number");
	mutant_fails(base, "configs/1/runs/0", "[]",
		     "configs[1].runs[0]: expected an object, got an array");
}

static void test_wrong_types(const char *base)
{
	mutant_fails(base, "memwatch_version", "null",
		     "memwatch_version: expected a string, got null");
	mutant_fails(base, "host/cpus", "\"4\"", "host.cpus: expected a number, got a string");
	mutant_fails(base, "host/page_size", "0.5",
		     "host.page_size: 0.5 is not a whole number from -1 to 2147483647");
	mutant_fails(base, "host/thp", NULL, "host.thp: missing");
	mutant_fails(base, "configs/0/name", "[]", "configs[0].name: expected a string, got an array");
	mutant_fails(base, "configs/1/command", "\"sh -c x\"",
		     "configs[1].command: expected an array, got a string");
	mutant_fails(base, "configs/1/command/1", "null",
		     "configs[1].command[1]: expected a string, got null");
	mutant_fails(base, "configs/0/env/NODE_ENV", "1",
		     "configs[0].env.NODE_ENV: expected a string, got a number");
	mutant_fails(base, "configs/0/env/\x1b[31m", "1",
		     "configs[0].env.\\x1b[31m: expected a string, got a number");
	mutant_fails(base, "configs/0/env", "[]", "configs[0].env: expected an object, got an array");
	mutant_fails(base, "configs/0/runs", NULL, "configs[0].runs: missing");
	mutant_fails(base, "configs/0/runs/1/checkpoints/1/label", "5",
		     "configs[0].runs[1].checkpoints[1].label: expected a string, got a number");
	mutant_fails(base, "configs/0/runs/1/checkpoints/1/kind", "5",
		     "configs[0].runs[1].checkpoints[1].kind: expected a string, got a number");
	mutant_fails(base, "configs/0/runs/1/checkpoints/2", "\"idle_1s\"",
		     "configs[0].runs[1].checkpoints[2]: expected an object, got a string");
	mutant_fails(base, "configs/0/runs/1/checkpoints/0/deep", "1",
		     "configs[0].runs[1].checkpoints[0].deep: expected true or false, got a number");
	mutant_fails(base, "configs/0/runs/1/checkpoints/3/uss_bytes", NULL,
		     "configs[0].runs[1].checkpoints[3].uss_bytes: missing");
	mutant_fails(base, "configs/0/runs/1/checkpoints/3/swap_bytes", "\"0\"",
		     "configs[0].runs[1].checkpoints[3].swap_bytes: expected a number, got a string");
	mutant_fails(base, "configs/0/runs/0/interrupted", "\"yes\"",
		     "configs[0].runs[0].interrupted: expected true or false, got a string");
	mutant_fails(base, "configs/0/runs/0/ended_by", "false",
		     "configs[0].runs[0].ended_by: expected a string, got a boolean");
	mutant_fails(base, "configs/0/runs/0/peak", "[]",
		     "configs[0].runs[0].peak: expected an object, got an array");
	mutant_fails(base, "configs/0/runs/0/peak/phase", "\"settling\"",
		     "configs[0].runs[0].peak.phase: \"settling\" is not a phase name (1 to 7 lowercase letters)");
	mutant_fails(base, "configs/0/runs/0/peak/phase", "\"Load\"",
		     "configs[0].runs[0].peak.phase: \"Load\" is not a phase name");
	mutant_fails(base, "configs/0/runs/0/peak/phase", "\"\"",
		     "configs[0].runs[0].peak.phase: \"\" is not a phase name");
	mutant_fails(base, "configs/0/runs/0/peak/rss_bytes", NULL,
		     "configs[0].runs[0].peak.rss_bytes: missing");
	mutant_fails(base, "configs/0/runs/0/drive", "\"sh load.sh\"",
		     "configs[0].runs[0].drive: expected an object or null, got a string");
	mutant_fails(base, "configs/0/runs/0/drive/exit_status", "\"0\"",
		     "configs[0].runs[0].drive.exit_status: expected a number or null, got a string");
	mutant_fails(base, "configs/0/runs/0/drive/command", NULL,
		     "configs[0].runs[0].drive.command: missing");
	mutant_fails(base, "configs/0/runs/0/processes", "{}",
		     "configs[0].runs[0].processes: expected an array, got an object");
	mutant_fails(base, "configs/0/runs/0/processes/1/command", "[\"node\"]",
		     "configs[0].runs[0].processes[1].command: expected a string, got an array");
	mutant_fails(base, "configs/1/runs/0/processes/0/at_peak", "true",
		     "configs[1].runs[0].processes[0].at_peak: expected an object or null, got a boolean");
	mutant_fails(base, "configs/1/runs/0/processes/0/at_peak/rss_bytes", "-1",
		     "configs[1].runs[0].processes[0].at_peak.rss_bytes: -1 is not a byte count");
	mutant_fails(base, "configs/1/runs/1/sampler", NULL, "configs[1].runs[1].sampler: missing");
	mutant_fails(base, "configs/1/runs/0/processes/1/preload_mapped", "0",
		     "configs[1].runs[0].processes[1].preload_mapped: expected true, false or null, got a number");
	mutant_fails(base, "configs/0/runs/0/preload", "\"libjemalloc.so\"",
		     "configs[0].runs[0].preload: expected an object or null, got a string");
	mutant_fails(base, "configs/0/runs/0/preload/library", NULL,
		     "configs[0].runs[0].preload.library: missing");
	mutant_fails(base, "configs/0/runs/0/preload/processes_mapped", "3",
		     "configs[0].runs[0].preload.processes_mapped: 3 is more than processes_checked (2)");
	mutant_fails(base, "configs/1/host", "\"elsewhere\"",
		     "configs[1].host: expected an object, got a string");
	mutant_fails(base, "configs/1/host/kernel", NULL, "configs[1].host.kernel: missing");
	mutant_fails(base, "configs/1/host/cpus", "-2",
		     "configs[1].host.cpus: -2 is not a whole number from -1 to 2147483647");
	mutant_fails(base, "configs/1/runs/1/sampler/pid_probes", "\"7\"",
		     "configs[1].runs[1].sampler.pid_probes: expected a number, got a string");
}

/* A key's path as mutate takes it ("configs/0/name"), as messages name it
 * ("configs[0].name"), and without its indexes ("configs[].name"). */
struct key_path {
	const char *slash, *dotted, *shape;
};

typedef void key_fn(const struct key_path *k, void *ctx);

/* Call fn for each object key in v and below, but not for the keys of an
 * env object, which are data, not names the loader knows. */
static void each_key(const cJSON *v, const struct key_path *at, key_fn *fn, void *ctx)
{
	const cJSON *e;
	size_t i = 0;

	cJSON_ArrayForEach(e, v) {
		struct key_path k;
		char *s, *d, *h;

		if (cJSON_IsArray(v)) {
			s = xasprintf("%s/%zu", at->slash, i);
			d = xasprintf("%s[%zu]", at->dotted, i);
			h = xasprintf("%s[]", at->shape);
			i++;
		} else {
			s = xasprintf("%s%s%s", at->slash, *at->slash ? "/" : "", e->string);
			d = xasprintf("%s%s%s", at->dotted, *at->dotted ? "." : "", e->string);
			h = xasprintf("%s%s%s", at->shape, *at->shape ? "." : "", e->string);
		}
		k = (struct key_path){ s, d, h };
		if (!cJSON_IsArray(v))
			fn(&k, ctx);
		if (cJSON_IsArray(v) || strcmp(e->string, "env"))
			each_key(e, &k, fn, ctx);
		free(s);
		free(d);
		free(h);
	}
}

/* The keys a loader must have, by shape ("configs[].runs[].peak.t_s"). */
struct required {
	char **shapes;
	size_t n;
};

static bool is_required(const struct required *req, const char *shape)
{
	size_t i;

	for (i = 0; i < req->n; i++)
		if (!strcmp(req->shapes[i], shape))
			return true;
	return false;
}

static void add_required(struct required *req, const char *shape)
{
	req->shapes = xreallocarray(req->shapes, req->n + 1, sizeof(*req->shapes));
	req->shapes[req->n++] = xstrdup(shape);
}

/* Each key of MINIMAL, removed, is "<path>: missing" (and is noted as
 * required). The schema has its own message (test_not_a_result). */
static void minimal_key_missing(const struct key_path *k, void *ctx)
{
	char *want = xasprintf("%s: missing", k->dotted);

	add_required(ctx, k->shape);
	if (strcmp(k->slash, "schema"))
		mutant_fails(MINIMAL, k->slash, NULL, want);
	free(want);
}

/* Load one document, counting what happens, quietly: a loop of loads
 * reports once. */
struct optional_walk {
	const char *doc;
	const struct required *req;
	size_t n_keys, n_loaded;
	bool good;
};

/* Each key of a writer's document that the contract does not require,
 * removed, still loads. */
static void optional_key_loads(const struct key_path *k, void *ctx)
{
	/* A preload that says 1 mapped and not how many were checked says
	 * 1 of 0: still refused. */
	static const char preload_checked[] = "configs/0/runs/0/preload/processes_checked";
	struct optional_walk *w = ctx;
	struct result r = { 0 };
	char *text, err[512] = "";
	int rc;

	if (is_required(w->req, k->shape))
		return;
	w->n_keys++;
	text = mutate(w->doc, k->slash, NULL);
	rc = load_n(text, strlen(text), &r, err, sizeof(err));
	if (!strcmp(k->slash, preload_checked) ?
	    rc == -1 && strstr(err, "processes_mapped: 1 is more than processes_checked (0)") :
	    rc == 0) {
		w->n_loaded += rc == 0;
	} else {
		w->good = false;
		printf("#   without %s: '%s'\n", k->dotted, err);
	}
	result_free(&r);
	free(text);
}

/* Only the contract's minimum is required: a document with nothing else
 * loads, with the model's "absent" defaults; each key of it is required;
 * every other key the writer writes may be left out; and an optional key
 * that is there is checked as strictly as a required one. */
static void test_minimal(const char *small)
{
	static const struct key_path top = { "", "", "" };
	struct result want = { 0 }, r = { 0 };
	struct required req = { 0 };
	struct optional_walk walk = { .doc = small, .req = &req, .good = true };
	const struct result_run *run;
	cJSON *root;
	char *text;
	size_t i;

	build_minimal(&want);
	if (loads(MINIMAL, &r, "a result with only the contract's keys loads")) {
		ok(cmp_result(&want, &r) == 0,
		   "minimal: every key left out has the model's \"absent\" default");
		run = &r.configs[0].runs[0];
		ok(!r.created && !strcmp(r.host.hostname, "unknown") &&
		   !strcmp(r.host.arch, "unknown") && !r.configs[0].host && !run->ended_by &&
		   !run->peak.phase[0] && run->ready_s == -1 && run->load_end_s == -1 &&
		   isnan(run->idle_drift_bytes_per_min) && !run->drive.command &&
		   run->drive.exit_status == -1 && !run->preload.library &&
		   !run->checkpoints[0].kind && run->checkpoints[0].mem.swap_bytes == 0 &&
		   run->processes[0].preload == -1 && !run->processes[0].has_at_peak &&
		   run->sampler.interval_ns == 0 && run->sampler.pid_probes == 0,
		   "minimal: no created, host name and arch unknown, no ended_by, phase, "
		   "phases, drift, driver, preload, kind, at_peak");
		text = write_text(&r);
		result_free(&r);
		if (loads(text, &r, "minimal: written again by the writer, it loads"))
			ok(!strcmp(r.configs[0].runs[0].checkpoints[0].kind, "exit") &&
			   !strcmp(r.configs[0].runs[0].ended_by, "exit") && !r.created,
			   "minimal: written again, kind and ended_by are exit, no created");
		free(text);
	}
	result_free(&r);
	result_free(&want);

	root = cJSON_Parse(MINIMAL);
	each_key(root, &top, minimal_key_missing, &req);
	cJSON_Delete(root);
	ok(req.n == 44, "the contract's minimum is 44 keys, schema included (%zu)", req.n);
	/* Beyond the contract: what makes a drive or preload object one. The
	 * model has no driver without a command, no preload without a
	 * library, so an object without them cannot be kept. */
	add_required(&req, "configs[].runs[].drive.command");
	add_required(&req, "configs[].runs[].preload.library");

	root = cJSON_Parse(small);
	each_key(root, &top, optional_key_loads, &walk);
	cJSON_Delete(root);
	ok(walk.good && walk.n_keys > 100,
	   "each of %zu other keys of a writer's result, left out, loads (%zu did)",
	   walk.n_keys, walk.n_loaded);
	for (i = 0; i < req.n; i++)
		free(req.shapes[i]);
	free(req.shapes);

	/* Optional keys, added to MINIMAL with a wrong type or value. */
	mutant_fails(MINIMAL, "created", "null", "created: expected a string, got null");
	mutant_fails(MINIMAL, "host/hostname", "7", "host.hostname: expected a string, got a number");
	mutant_fails(MINIMAL, "host/arch", "[]", "host.arch: expected a string, got an array");
	mutant_fails(MINIMAL, "configs/0/host", "{}", "configs[0].host.kernel: missing");
	mutant_fails(MINIMAL, "configs/0/runs/0/ended_by", "null",
		     "configs[0].runs[0].ended_by: expected a string, got null");
	mutant_fails(MINIMAL, "configs/0/runs/0/max_rss_bytes", "1.5",
		     "configs[0].runs[0].max_rss_bytes: 1.5 is not a byte count");
	mutant_fails(MINIMAL, "configs/0/runs/0/ready_s", "\"1\"",
		     "configs[0].runs[0].ready_s: expected a number or null, got a string");
	mutant_fails(MINIMAL, "configs/0/runs/0/settle_s", "-1",
		     "configs[0].runs[0].settle_s: -1 is not a time in seconds");
	mutant_fails(MINIMAL, "configs/0/runs/0/idle_drift_bytes_per_min", "1e300",
		     "configs[0].runs[0].idle_drift_bytes_per_min: 1e+300 is not a drift");
	mutant_fails(MINIMAL, "configs/0/runs/0/peak/phase", "\"Load\"",
		     "configs[0].runs[0].peak.phase: \"Load\" is not a phase name");
	mutant_fails(MINIMAL, "configs/0/runs/0/peak/uss_bytes", "-1",
		     "configs[0].runs[0].peak.uss_bytes: -1 is not a byte count");
	mutant_fails(MINIMAL, "configs/0/runs/0/drive", "{}",
		     "configs[0].runs[0].drive.command: missing");
	mutant_fails(MINIMAL, "configs/0/runs/0/drive", "{\"command\": \"x\", \"start_s\": null}",
		     "configs[0].runs[0].drive.start_s: expected a number, got null");
	mutant_fails(MINIMAL, "configs/0/runs/0/preload", "{\"library\": \"l\", \"processes_mapped\": 1}",
		     "configs[0].runs[0].preload.processes_mapped: 1 is more than processes_checked (0)");
	mutant_fails(MINIMAL, "configs/0/runs/0/checkpoints/0/kind", "null",
		     "configs[0].runs[0].checkpoints[0].kind: expected a string, got null");
	mutant_fails(MINIMAL, "configs/0/runs/0/checkpoints/0/deep", "0",
		     "configs[0].runs[0].checkpoints[0].deep: expected true or false, got a number");
	mutant_fails(MINIMAL, "configs/0/runs/0/checkpoints/0/anon_bytes", "1e16",
		     "configs[0].runs[0].checkpoints[0].anon_bytes: 1e+16 is not a byte count");
	mutant_fails(MINIMAL, "configs/0/runs/0/processes/0/preload_mapped", "\"yes\"",
		     "configs[0].runs[0].processes[0].preload_mapped: expected true, false or null, got a string");
	mutant_fails(MINIMAL, "configs/0/runs/0/processes/0/at_peak", "[]",
		     "configs[0].runs[0].processes[0].at_peak: expected an object or null, got an array");
	mutant_fails(MINIMAL, "configs/0/runs/0/processes/0/at_peak", "{\"rss_bytes\": true}",
		     "configs[0].runs[0].processes[0].at_peak.rss_bytes: expected a number, got a boolean");
	mutant_fails(MINIMAL, "configs/0/runs/0/sampler/interval_s", "null",
		     "configs[0].runs[0].sampler.interval_s: expected a number, got null");
	mutant_fails(MINIMAL, "configs/0/runs/0/sampler/deep_budget_pct", "100.5",
		     "configs[0].runs[0].sampler.deep_budget_pct: 100.5 is not a percentage");
	/* And one that is there and right is read. */
	if (mutant_loads(MINIMAL, "configs/0/runs/0/processes/0/at_peak", "{\"rss_bytes\": 4096}", &r))
		ok(r.configs[0].runs[0].processes[0].has_at_peak &&
		   r.configs[0].runs[0].processes[0].at_peak.rss_bytes == 4096 &&
		   r.configs[0].runs[0].processes[0].at_peak.footprint_bytes == 0,
		   "an at_peak with one size: that size, the others 0");
	result_free(&r);
}

static void test_numbers(const char *base)
{
	struct result r = { 0 };

	mutant_fails(base, "configs/1/runs/0/peak/footprint_bytes", "-5",
		     "configs[1].runs[0].peak.footprint_bytes: -5 is not a byte count");
	mutant_fails(base, "configs/0/runs/1/peak/rss_bytes", "1.5",
		     "configs[0].runs[1].peak.rss_bytes: 1.5 is not a byte count (a whole number from 0 to 2^53)");
	mutant_fails(base, "configs/0/runs/1/max_rss_bytes", "9007199254740994",
		     "configs[0].runs[1].max_rss_bytes: 9007199254740994 is not a byte count");
	mutant_fails(base, "configs/0/runs/1/max_pss_bytes", "1e300",
		     "configs[0].runs[1].max_pss_bytes: 1e+300 is not a byte count");
	mutant_fails(base, "configs/0/runs/1/checkpoints/4/footprint_bytes", "1e999",
		     "configs[0].runs[1].checkpoints[4].footprint_bytes: a number too large for a double is not a byte count");
	mutant_fails(base, "configs/0/runs/0/processes/0/hwm_bytes", "-1e999",
		     "configs[0].runs[0].processes[0].hwm_bytes: a negative number too large for a double is not a byte count");
	mutant_fails(base, "host/mem_total_bytes", "18446744073709551616",
		     "host.mem_total_bytes: 1.8446744073709552e+19 is not a byte count");
	if (mutant_loads(base, "configs/0/runs/1/max_rss_bytes", "9007199254740992", &r))
		ok(r.configs[0].runs[1].max_rss_bytes == 1ULL << 53, "2^53 is a byte count");
	result_free(&r);
	if (mutant_loads(base, "configs/0/runs/1/max_rss_bytes", "-0", &r))
		ok(r.configs[0].runs[1].max_rss_bytes == 0, "-0 is 0 bytes");
	result_free(&r);
	if (mutant_loads(base, "configs/0/runs/1/max_rss_bytes", "1.0e3", &r))
		ok(r.configs[0].runs[1].max_rss_bytes == 1000, "1.0e3 is 1000 bytes");
	result_free(&r);

	mutant_fails(base, "configs/0/runs/0/wall_s", "-1",
		     "configs[0].runs[0].wall_s: -1 is not a time in seconds (0 to 1e9)");
	mutant_fails(base, "configs/0/runs/0/ready_s", "-0.5",
		     "configs[0].runs[0].ready_s: -0.5 is not a time in seconds");
	mutant_fails(base, "configs/0/runs/0/cpu_s", "1e10",
		     "configs[0].runs[0].cpu_s: 10000000000 is not a time in seconds");
	mutant_fails(base, "configs/0/runs/0/drive/end_s", "1e999",
		     "configs[0].runs[0].drive.end_s: a number too large for a double is not a time in seconds");
	mutant_fails(base, "configs/0/runs/0/exit_status", "256",
		     "configs[0].runs[0].exit_status: 256 is not an exit status (a whole number from 0 to 255)");
	mutant_fails(base, "configs/0/runs/0/exit_status", "-1",
		     "configs[0].runs[0].exit_status: -1 is not an exit status");
	mutant_fails(base, "configs/0/runs/0/processes/1/exit_status", "1.5",
		     "configs[0].runs[0].processes[1].exit_status: 1.5 is not an exit status");
	mutant_fails(base, "configs/0/runs/0/processes/1/pid", "-1",
		     "configs[0].runs[0].processes[1].pid: -1 is not a pid");
	mutant_fails(base, "configs/0/runs/0/processes/1/ppid", "2147483648",
		     "configs[0].runs[0].processes[1].ppid: 2147483648 is not a pid");
	mutant_fails(base, "configs/0/runs/0/processes_seen", "4294967296",
		     "configs[0].runs[0].processes_seen: 4294967296 is not a count (a whole number from 0 to 4294967295)");
	mutant_fails(base, "configs/0/runs/0/checkpoints/0/processes", "-3",
		     "configs[0].runs[0].checkpoints[0].processes: -3 is not a count");
	mutant_fails(base, "configs/0/runs/0/sampler/samples", "1e16",
		     "configs[0].runs[0].sampler.samples: 1e+16 is not a count (a whole number from 0 to 2^53)");
	mutant_fails(base, "configs/0/runs/0/sampler/deep_budget_pct", "101",
		     "configs[0].runs[0].sampler.deep_budget_pct: 101 is not a percentage (0 to 100)");
	mutant_fails(base, "configs/0/runs/0/sampler/cpu_pct", "-0.01",
		     "configs[0].runs[0].sampler.cpu_pct: -0.01 is not a measurement");
	mutant_fails(base, "configs/0/runs/0/sampler/interval_s", "1000000000.5",
		     "configs[0].runs[0].sampler.interval_s: 1000000000.5 is not a time in seconds");
	mutant_fails(base, "configs/0/runs/0/idle_drift_bytes_per_min", "1e300",
		     "configs[0].runs[0].idle_drift_bytes_per_min: 1e+300 is not a drift in bytes per minute");
	mutant_fails(base, "host/cpus", "-2", "host.cpus: -2 is not a whole number from -1");
	if (mutant_loads(base, "configs/0/runs/0/idle_drift_bytes_per_min", "-5000.25", &r))
		ok(r.configs[0].runs[0].idle_drift_bytes_per_min == -5000,
		   "a negative idle drift loads, to the whole byte as written");
	result_free(&r);
	if (mutant_loads(base, "host/cpus", "-1", &r))
		ok(r.host.cpus == -1, "cpus -1 (sysconf had no answer) loads");
	result_free(&r);
	if (mutant_loads(base, "configs/0/runs/0/sampler/interval_s", "0.1", &r))
		ok(r.configs[0].runs[0].sampler.interval_ns == 100000000,
		   "interval_s 0.1 is exactly 100000000 ns");
	result_free(&r);
}

/* A file finer than the writer keeps it (edited by hand, or from another
 * writer) loads to the writer's precision: times to the millisecond, drift
 * to the byte. So what is written from it loads back to itself, and the
 * values derived from the times (peak.pct_of_wall, the summary) come out
 * the same each time it is written. */
static void test_precision(const char *small)
{
	struct result r = { 0 };
	char *t1, *t2, *text, *w1;

	/* wall 2 ms, peak at 1.4 ms: 70% of the unrounded times, 50% of the
	 * times as written (1 ms of 2). */
	t1 = mutate(small, "configs/0/runs/0/wall_s", "0.002");
	t2 = mutate(t1, "configs/0/runs/0/peak/t_s", "0.0014");
	text = mutate(t2, "configs/0/runs/0/ready_s", "0.00051");
	free(t1);
	free(t2);
	if (loads(text, &r, "a file with times finer than a millisecond loads")) {
		const struct result_run *run = &r.configs[0].runs[0];

		ok(run->peak.t_s == 0.001 && run->wall_s == 0.002 && run->ready_s == 0.001,
		   "its times are kept to the millisecond (t_s %g, wall_s %g, ready_s %g)",
		   run->peak.t_s, run->wall_s, run->ready_s);
		w1 = write_text(&r);
		ok(strstr(w1, "\"pct_of_wall\":\t50,") != NULL,
		   "pct_of_wall is that of the times as written: 50");
		written_again_same(w1, "written, it loads again",
				   "and is written again byte for byte the same");
		free(w1);
	}
	result_free(&r);
	free(text);
}

static void test_strings_and_limits(const char *base)
{
	struct result r = { 0 };
	char *text, *big;
	size_t i, n;

	mutant_fails(base, "configs/0/runs/0/processes/1/command", "\"ab\\u0000cd\"",
		     "configs[0].runs[0].processes[1].command: \\u0000 in a string");
	mutant_fails(base, "configs/1/name", "\"\\u0000\"", "configs[1].name: \\u0000 in a string");
	/* cJSON cannot make a key with \u0000 in it: put it in by hand. */
	big = mutate(base, "configs/0/env/KEY_HERE", "\"v\"");
	text = replace_once(big, "KEY_HERE", "x\\u0000y");
	fails(text, "configs[0].env: a key holds \\u0000", "a key with \\u0000");
	free(text);
	free(big);
	mutant_fails(base, "configs/0/runs/0/some_future_key", "[\"\\u0000\"]",
		     "configs[0].runs[0].some_future_key[0]: \\u0000 in a string");
	if (mutant_loads(base, "configs/0/name", "\"\\u0001\\n\\u001b[2J|`x`\\u00e9\"", &r))
		is_str(r.configs[0].name, "\x01\n\x1b[2J|`x`\xc3\xa9",
		       "escaped control characters and newlines are kept");
	result_free(&r);
	if (mutant_loads(base, "configs/0/name", "\"\\ud83d\\ude42\"", &r))
		is_str(r.configs[0].name, "\xf0\x9f\x99\x82", "a surrogate pair is one character");
	result_free(&r);

	/* Keys memwatch does not know (yet) are for later versions of schema
	 * 1: ignored, wherever they are. */
	text = mutate(base, "configs/0/runs/1/added_later", "{\"x\": [1, null, {\"y\": true}]}");
	big = mutate(text, "future", "\"yes\"");
	free(text);
	text = mutate(big, "configs/1/runs/0/processes/0/at_peak/new_bytes", "-1");
	free(big);
	ok(loads(text, &r, "unknown keys are ignored") && r.n_configs == 2 &&
	   r.configs[0].n_runs == 2, "and the rest is loaded");
	result_free(&r);
	free(text);
	/* Derived values are recomputed, so need not be there. */
	text = mutate(base, "configs/0/summary", NULL);
	big = mutate(text, "configs/0/runs/0/peak/pct_of_wall", NULL);
	loads(big, &r, "summary and pct_of_wall are not needed");
	result_free(&r);
	free(text);
	free(big);
	text = mutate(base, "configs/1/host", NULL);
	if (loads(text, &r, "a config without a host loads"))
		ok(!r.configs[1].host && r.configs[1].name, "with no host of its own");
	result_free(&r);
	free(text);
	/* memwatch writes every configuration before running any: a result
	 * with none is refused (there would be nothing to report or diff). */
	text = mutate(base, "configs", "[]");
	fails(text, "configs: holds no configuration", "no configs at all is refused");
	ok(strstr(text, "\"host\"") != NULL, "... though its host is there");
	free(text);

	/* 10000001 entries: refused while scanning, before anything is
	 * allocated for them. */
	n = RESULT_LOAD_MAX_ENTRIES + 1;
	big = xmalloc(2 * n + 128);
	i = (size_t)sprintf(big, "{\"schema\": \"memwatch-result/1\", \"configs\": [{\"runs\": [{\"processes\": [");
	while (n--) {
		big[i++] = '0';
		big[i++] = ',';
	}
	memcpy(big + i - 1, "]}]}]}", 7);
	fails(big, "configs[0].runs[0].processes: more than 10000000 entries",
	      "an array of 10000001 processes");
	big[i - 1] = '\0';
	fails(big, "configs[0].runs[0].processes: more than 10000000 entries",
	      "and the same array cut short");
	free(big);
}

/* Any one byte changed anywhere gives a result or a message, and never a
 * crash or a leak (valgrind watches). */
static void test_every_byte(const char *small)
{
	static const char bytes[] = { '"', ']', '\\', '9', '\0', '\xff' };
	struct result r = { 0 };
	char *text = xstrdup(small), err[512];
	size_t len = strlen(text), i, j, n_ok = 0, n_fail = 0;
	bool good = true;

	for (i = 0; i < len; i++) {
		char was = text[i];

		for (j = 0; j < sizeof(bytes); j++) {
			int rc;

			if (bytes[j] == was)
				continue;
			text[i] = bytes[j];
			err[0] = '\0';
			rc = load_n(text, len, &r, err, sizeof(err));
			if (rc == 0) {
				n_ok++;
				result_free(&r);
			} else {
				n_fail++;
				if (!err[0] || !is_zeroed(&r) || strchr(err, '\n')) {
					good = false;
					printf("#   byte %zu = 0x%02x: '%s'\n", i,
					       (unsigned char)bytes[j], err);
				}
			}
		}
		text[i] = was;
	}
	ok(good, "%zu one-byte changes: %zu load, %zu fail with a message", n_ok + n_fail,
	   n_ok, n_fail);
	free(text);
}

static char *write_temp(const char *dir, const char *text, size_t len)
{
	char *path = xasprintf("%s/result.json", dir);
	FILE *f = fopen(path, "we");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	return path;
}

static void test_files(const char *base)
{
	char dir[] = "/tmp/test_result_load.XXXXXX", err[512];
	struct result r = { 0 };
	char *path;
	int fd, saved, pipe_fd[2];

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		exit(1);
	}
	ok(result_load_file("/nonexistent/result.json", &r, err, sizeof(err)) == -1 &&
	   !strcmp(err, "cannot read: No such file or directory"), "a missing file");
	ok(result_load_file(dir, &r, err, sizeof(err)) == -1 &&
	   !strcmp(err, "cannot read: Is a directory"), "a directory: '%s'", err);

	path = write_temp(dir, base, strlen(base));
	ok(result_load_file(path, &r, err, sizeof(err)) == 0 && r.n_configs == 2,
	   "a file loads");
	result_free(&r);

	/* "-" is standard input. */
	fflush(stdout);
	saved = dup(0);
	fd = open(path, O_RDONLY);
	dup2(fd, 0);
	close(fd);
	ok(result_load_file("-", &r, err, sizeof(err)) == 0 && r.n_configs == 2,
	   "\"-\" reads standard input");
	result_free(&r);
	/* A pipe with more than the first read's 64 KiB in it, made big
	 * enough to hold it all so that no second process is needed. */
	clearerr(stdin);
	if (pipe(pipe_fd) == 0 && fcntl(pipe_fd[1], F_SETPIPE_SZ, 256 * 1024) >= 0) {
		char spaces[1024];
		size_t k;
		bool wrote = true;

		memset(spaces, ' ', sizeof(spaces));
		for (k = 0; k < 100; k++)
			wrote &= write(pipe_fd[1], spaces, sizeof(spaces)) == sizeof(spaces);
		wrote &= write(pipe_fd[1], base, strlen(base)) == (ssize_t)strlen(base);
		close(pipe_fd[1]);
		dup2(pipe_fd[0], 0);
		close(pipe_fd[0]);
		ok(wrote && result_load_file("-", &r, err, sizeof(err)) == 0 && r.n_configs == 2,
		   "\"-\" reads a pipe of %zu bytes", 102400 + strlen(base));
		result_free(&r);
	} else {
		ok(1, "a pipe # SKIP cannot make a pipe of 256 KiB: %s", strerror(errno));
	}
	close(0);
	ok(result_load_file("-", &r, err, sizeof(err)) == -1 &&
	   !strncmp(err, "cannot read: ", 13), "a closed standard input: '%s'", err);
	dup2(saved, 0);
	close(saved);
	clearerr(stdin);
	free(path);

	path = write_temp(dir, "", 0);
	ok(result_load_file(path, &r, err, sizeof(err)) == -1 && !strcmp(err, "empty file"),
	   "an empty file");
	free(path);

	path = write_temp(dir, base, strlen(base) / 2);
	ok(result_load_file(path, &r, err, sizeof(err)) == -1 &&
	   !strncmp(err, "truncated (ends at byte ", 24), "a truncated file: '%s'", err);

	/* A sparse file just over the limit: refused without reading it. */
	ok(truncate(path, RESULT_LOAD_MAX_BYTES + 1) == 0 &&
	   result_load_file(path, &r, err, sizeof(err)) == -1 &&
	   !strcmp(err, "too large (268435457 bytes; memwatch reads at most 256 MiB)"),
	   "a file over 256 MiB: '%s'", err);
	ok(result_load_text(base, RESULT_LOAD_MAX_BYTES + 1, &r, err, sizeof(err)) == -1 &&
	   !strncmp(err, "too large", 9), "text over 256 MiB, not read");
	unlink(path);
	free(path);
	rmdir(dir);
	ok(result_load_text("{}", 2, &r, NULL, 0) == -1, "no room for a message is fine");
}

/* --- sample files ------------------------------------------------------- */

struct sample {
	const char *name;
	const char *want;	/* the message, or NULL: it loads */
};

static const struct sample samples[] = {
	{ "result-valid.json", NULL },
	{ "result-hostile.json", NULL },
	{ "result-future.json",
	  "schema memwatch-result/2 is newer than this memwatch reads (memwatch-result/1)" },
	{ "result-truncated.json", "truncated (ends at byte 3000)" },
	/* "t" could begin "true". */
	{ "result-notjson.json", "not JSON (unexpected text at line 1, column 2)" },
	{ "result-wrongshape.json",
	  "configs[1].runs[1].processes[0].command: expected a string, got an array" },
	{ "result-absurd.json",
	  "configs[1].runs[0].peak.footprint_bytes: -5 is not a byte count (a whole number from 0 to 2^53)" },
	{ "result-empty.json", "empty file" },
};

/* The text of a sample file, as this build's writer makes it. Caller frees. */
static char *sample_text(const char *name)
{
	struct result r = { 0 };
	char *valid, *text, *tmp;

	build_sample(&r);
	valid = write_text(&r);
	result_free(&r);
	if (!strcmp(name, "result-valid.json"))
		return valid;
	if (!strcmp(name, "result-hostile.json")) {
		build_hostile(&r);
		text = write_text(&r);
		result_free(&r);
	} else if (!strcmp(name, "result-future.json")) {
		/* As a later memwatch might write it: its schema, new keys. */
		tmp = mutate(valid, "schema", "\"memwatch-result/2\"");
		text = mutate(tmp, "configs/0/runs/0/peak/footprint", "{\"bytes\": 104857600}");
		free(tmp);
	} else if (!strcmp(name, "result-truncated.json")) {
		text = xstrndup(valid, 3000);
	} else if (!strcmp(name, "result-notjson.json")) {
		text = xstrdup("t_s,phase,processes,footprint_bytes,rss_bytes\n"
			       "0.250,start,1,41943040,52428800\n"
			       "0.500,load,2,62914560,83886080\n");
	} else if (!strcmp(name, "result-wrongshape.json")) {
		text = mutate(valid, "configs/1/runs/1/processes/0/command",
			      "[\"node\", \"server.js\"]");
	} else if (!strcmp(name, "result-absurd.json")) {
		text = mutate(valid, "configs/1/runs/0/peak/footprint_bytes", "-5");
	} else {
		text = xstrdup("");
	}
	free(valid);
	return text;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	do {
		xgrow(&buf, &cap, *len + 65536, 1);
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

static int write_samples(const char *dir)
{
	size_t i;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char *text = sample_text(samples[i].name);
		char *path = xasprintf("%s/%s", dir, samples[i].name);
		FILE *f = fopen(path, "we");

		if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
		printf("wrote %s\n", path);
		free(path);
		free(text);
	}
	return 0;
}

static void test_samples(void)
{
	const char *srcdir = getenv("top_srcdir");
	size_t i;

	if (!srcdir) {
		ok(1, "sample files # SKIP top_srcdir not set (run through make check)");
		return;
	}
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		char *path = xasprintf("%s/tests/data/%s", srcdir, s->name);
		char *want = sample_text(s->name), err[512] = "";
		struct result r = { 0 };
		size_t len;
		char *got = read_all(path, &len);
		int rc;

		ok(got && len == strlen(want) && !memcmp(got, want, len),
		   "tests/data/%s is what this writer makes", s->name);
		if (!got || len != strlen(want) || memcmp(got, want, len))
			printf("#   regenerate: tests/unit/test_result_load --write-samples %s/tests/data\n",
			       srcdir);
		rc = result_load_file(path, &r, err, sizeof(err));
		if (!(s->want ? ok(rc == -1 && !strcmp(err, s->want), "%s: %s", s->name, s->want) :
		      ok(rc == 0 && r.n_configs == 2 && r.configs[1].n_runs >= 1,
			 "%s loads", s->name)))
			printf("#   got '%s'\n", rc ? err : "");
		if (rc == 0 && !strcmp(s->name, "result-valid.json"))
			ok(r.configs[0].n_runs == 2 && r.configs[1].n_runs == 2 &&
			   r.configs[1].runs[1].n_checkpoints == 5 &&
			   !strcmp(r.configs[1].runs[1].checkpoints[3].label, "idle_2s"),
			   "result-valid.json: 2 configs x 2 runs, 5 checkpoints");
		if (rc == 0 && !strcmp(s->name, "result-hostile.json"))
			ok(!strcmp(r.configs[0].name, "two\nlines") &&
			   strstr(r.configs[1].runs[0].processes[0].command, "\\xff\\xfe latin1 caf\\xe9"),
			   "result-hostile.json: newlines kept, bad bytes as \\xNN");
		result_free(&r);
		free(got);
		free(want);
		free(path);
	}
}

int main(int argc, char **argv)
{
	struct result r = { 0 };
	char *base, *small;

	if (argc == 3 && !strcmp(argv[1], "--write-samples"))
		return write_samples(argv[2]);
	/* Line by line, so that a crash shows after which test. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	test_round_trip();

	build_full(&r, false);
	base = write_text(&r);
	result_free(&r);
	test_nulls(base);
	small = small_text();
	test_not_json(small);
	test_not_a_result(base);
	test_wrong_types(base);
	test_minimal(small);
	test_numbers(base);
	test_precision(small);
	test_strings_and_limits(base);
	test_files(base);
	free(base);
	test_every_byte(small);
	free(small);
	test_samples();
	return tap_done();
}
