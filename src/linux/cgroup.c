/* linux/cgroup.c - a memory cgroup v2 around the tree: made, read each tick, removed */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

#define CG_PATH_MAX 4096

struct cgroup {
	char mount[CG_PATH_MAX];	/* where cgroup2 is mounted */
	char path[CG_PATH_MAX];		/* the tree's, under mount */
	char home[CG_PATH_MAX];		/* memwatch's own when it started */
	char leaf[CG_PATH_MAX];		/* memwatch's leaf, if it moved; "" */
	bool made;			/* memwatch made it: remove at the end */
	bool enabled_home;		/* memwatch enabled memory in home */
	int dir_fd, current_fd, stat_fd, peak_fd, swap_fd, procs_fd;
	int reset_fd;			/* memory.peak, read-write; -1: no reset */
};

/* A path (or message) into buf; a path too long to fit is cut, and then
 * names nothing, which the call it is for will say. */
__attribute__((format(printf, 3, 4)))
static void cg_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* The whole of a small file, NUL-terminated, into buf; its length or -1. */
static ssize_t read_text(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static ssize_t read_path(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read_text(fd, buf, len);
	close(fd);
	return n;
}

static bool write_path(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool done;

	if (fd < 0)
		return false;
	done = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	if (!done) {
		int e = errno;

		close(fd);
		errno = e;
		return false;
	}
	close(fd);
	return true;
}

/* Where cgroup2 is mounted, from mountinfo; false if it is not. */
static bool find_mount(char mount[CG_PATH_MAX])
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[8192];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), dir[CG_PATH_MAX];

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", dir) == 1) {
			cg_fmt(mount, CG_PATH_MAX, "%s", dir);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* The cgroup v2 path of pid ("0::/a/b"); false if it has none. */
static bool find_own(pid_t pid, char path[CG_PATH_MAX])
{
	char file[64], text[8192], *line;

	cg_fmt(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	if (read_path(file, text, sizeof(text)) < 0)
		return false;
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, "0::", 3) == 0) {
			size_t n = strcspn(line + 3, "\n");

			cg_fmt(path, CG_PATH_MAX, "%.*s", (int)n, line + 3);
			return true;
		}
	}
	return false;
}

/* Whether a controller list file of dir names memory. */
static bool lists_memory(const char *dir, const char *file)
{
	char path[CG_PATH_MAX + 64], text[1024], *w;

	cg_fmt(path, sizeof(path), "%s/%s", dir, file);
	if (read_path(path, text, sizeof(text)) < 0)
		return false;
	for (w = strtok(text, " \n"); w; w = strtok(NULL, " \n"))
		if (strcmp(w, "memory") == 0)
			return true;
	return false;
}

static int open_in(const struct cgroup *cg, const char *file, int flags)
{
	return openat(cg->dir_fd, file, flags | O_CLOEXEC);
}

/* Open the files read each tick; false (errno) if memory.current is not
 * there (no memory controller in it). */
static bool open_files(struct cgroup *cg)
{
	char full[2 * CG_PATH_MAX];

	cg_fmt(full, sizeof(full), "%s%s", cg->mount, cg->path);
	cg->dir_fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->dir_fd < 0)
		return false;
	cg->current_fd = open_in(cg, "memory.current", O_RDONLY);
	cg->stat_fd = open_in(cg, "memory.stat", O_RDONLY);
	cg->peak_fd = open_in(cg, "memory.peak", O_RDONLY);
	cg->swap_fd = open_in(cg, "memory.swap.current", O_RDONLY);
	cg->procs_fd = open_in(cg, "cgroup.procs", O_RDONLY);
	/* Before 6.12 the write is refused; then there is no reset. It
	 * resets only what this descriptor reports, never another's. */
	cg->reset_fd = open_in(cg, "memory.peak", O_RDWR);
	if (cg->reset_fd >= 0 && write(cg->reset_fd, "reset\n", 6) != 6) {
		close(cg->reset_fd);
		cg->reset_fd = -1;
	}
	return cg->current_fd >= 0 && cg->stat_fd >= 0 && cg->procs_fd >= 0;
}

static struct cgroup *cgroup_new(void)
{
	struct cgroup *cg = xcalloc(1, sizeof(*cg));

	cg->dir_fd = cg->current_fd = cg->stat_fd = cg->peak_fd = -1;
	cg->swap_fd = cg->procs_fd = cg->reset_fd = -1;
	return cg;
}

/* memwatch into a leaf of its own under home, so that memory can be
 * enabled for home's children (cgroup v2 allows no process beside them),
 * as systemd-run --scope does for a command. */
static bool move_to_leaf(struct cgroup *cg, const char *home_dir, char *why, size_t len)
{
	char procs[2 * CG_PATH_MAX], pid[32];

	cg_fmt(cg->leaf, sizeof(cg->leaf), "%s/memwatch-%d-self", cg->home, (int)getpid());
	cg_fmt(procs, sizeof(procs), "%s%s", cg->mount, cg->leaf);
	if (mkdir(procs, 0755) < 0) {
		cg_fmt(why, len, "memwatch may not make a cgroup in %s: %s (needs root, "
		       "or a delegated cgroup: systemd-run --user --scope -p Delegate=yes)",
		       cg->home, strerror(errno));
		cg->leaf[0] = '\0';
		return false;
	}
	cg_fmt(procs, sizeof(procs), "%s%s/cgroup.procs", cg->mount, cg->leaf);
	cg_fmt(pid, sizeof(pid), "%d", (int)getpid());
	if (!write_path(procs, pid)) {
		cg_fmt(why, len, "memwatch may not move itself into %s: %s",
		       cg->leaf, strerror(errno));
		return false;
	}
	cg_fmt(procs, sizeof(procs), "%s/cgroup.subtree_control", home_dir);
	if (!write_path(procs, "+memory")) {
		cg_fmt(why, len, "the memory controller cannot be enabled in %s: %s "
		       "(other processes share memwatch's cgroup: start memwatch in one "
		       "of its own, as systemd-run --user --scope -p Delegate=yes does)",
		       cg->home, strerror(errno));
		return false;
	}
	cg->enabled_home = true;
	return true;
}

/* memwatch back where it was, and its leaf removed. */
static void leave_leaf(struct cgroup *cg)
{
	char path[2 * CG_PATH_MAX], pid[32];

	if (!cg->leaf[0])
		return;
	if (cg->enabled_home) {
		cg_fmt(path, sizeof(path), "%s%s/cgroup.subtree_control", cg->mount, cg->home);
		write_path(path, "-memory");
	}
	cg_fmt(path, sizeof(path), "%s%s/cgroup.procs", cg->mount, cg->home);
	cg_fmt(pid, sizeof(pid), "%d", (int)getpid());
	write_path(path, pid);
	cg_fmt(path, sizeof(path), "%s%s", cg->mount, cg->leaf);
	rmdir(path);
}

/* Where memwatch is, and whether memory can be had below it. */
static bool find_home(struct cgroup *cg, char *why, size_t len)
{
	char dir[2 * CG_PATH_MAX];

	if (!find_mount(cg->mount)) {
		cg_fmt(why, len, "cgroup v2 is not mounted (this system has %s)",
		       access("/sys/fs/cgroup/memory", F_OK) == 0 ?
		       "cgroup v1's memory controller" : "no cgroup2 mount");
		return false;
	}
	if (!find_own(getpid(), cg->home)) {
		cg_fmt(why, len, "memwatch is in no cgroup v2 (/proc/self/cgroup has no 0:: line)");
		return false;
	}
	if (strcmp(cg->home, "/") == 0)
		cg->home[0] = '\0';
	cg_fmt(dir, sizeof(dir), "%s%s", cg->mount, cg->home);
	if (!lists_memory(dir, "cgroup.controllers")) {
		cg_fmt(why, len, "cgroup v2 at %s has no memory controller in memwatch's "
		       "cgroup %s%s", cg->mount, cg->home[0] ? cg->home : "/",
		       access("/sys/fs/cgroup/memory/memory.usage_in_bytes", F_OK) == 0 ?
		       " (memory is cgroup v1's here)" : "");
		return false;
	}
	return true;
}

/* Whether memwatch is the only process in the cgroup directory dir. */
static bool alone_in(const char *dir)
{
	char path[2 * CG_PATH_MAX], text[256], *end;
	long pid;

	cg_fmt(path, sizeof(path), "%s/cgroup.procs", dir);
	if (read_path(path, text, sizeof(text)) <= 0)
		return false;
	pid = strtol(text, &end, 10);
	return pid == (long)getpid() && *end == '\n' && !end[1];
}

struct cgroup *cgroup_create(char *why, size_t why_len)
{
	struct cgroup *cg = cgroup_new();
	char dir[2 * CG_PATH_MAX], under[CG_PATH_MAX];

	if (!find_home(cg, why, why_len))
		goto fail;
	cg_fmt(dir, sizeof(dir), "%s%s", cg->mount, cg->home);
	cg_fmt(under, sizeof(under), "%s", cg->home);
	if (!lists_memory(dir, "cgroup.subtree_control")) {
		/* The root cgroup may hold processes and controllers both. */
		if (!cg->home[0]) {
			cg_fmt(dir, sizeof(dir), "%s/cgroup.subtree_control", cg->mount);
			if (!write_path(dir, "+memory")) {
				cg_fmt(why, why_len, "the memory controller cannot be enabled "
				       "in the root cgroup: %s", strerror(errno));
				goto fail;
			}
		} else if (!alone_in(dir)) {
			/* Others share memwatch's cgroup, so no controller can
			 * be enabled in it: the tree goes beside it, under the
			 * parent that gives it memory. */
			*strrchr(under, '/') = '\0';
		} else if (!move_to_leaf(cg, dir, why, why_len)) {
			goto fail;
		}
	}
	cg_fmt(cg->path, sizeof(cg->path), "%s/memwatch-%d", under, (int)getpid());
	cg_fmt(dir, sizeof(dir), "%s%s", cg->mount, cg->path);
	if (mkdir(dir, 0755) < 0) {
		cg_fmt(why, why_len, "memwatch may not make a cgroup in %s: %s (needs root, "
		       "or a delegated cgroup: systemd-run --user --scope -p Delegate=yes)",
		       under[0] ? under : "/", strerror(errno));
		goto fail;
	}
	cg->made = true;
	if (!open_files(cg)) {
		cg_fmt(why, why_len, "the cgroup %s has no memory.current: %s",
		       cg->path, strerror(errno));
		goto fail;
	}
	return cg;
fail:
	cgroup_close(cg);
	return NULL;
}

struct cgroup *cgroup_open_of(pid_t pid, char *why, size_t why_len)
{
	struct cgroup *cg = cgroup_new();

	if (!find_mount(cg->mount)) {
		cg_fmt(why, why_len, "cgroup v2 is not mounted");
		goto fail;
	}
	if (!find_own(pid, cg->path)) {
		cg_fmt(why, why_len, "pid %d is in no cgroup v2", (int)pid);
		goto fail;
	}
	if (strcmp(cg->path, "/") == 0) {
		cg_fmt(why, why_len, "pid %d is in the root cgroup, which holds the whole system",
		       (int)pid);
		goto fail;
	}
	if (!open_files(cg)) {
		cg_fmt(why, why_len, "its cgroup %s has no memory controller", cg->path);
		goto fail;
	}
	return cg;
fail:
	cgroup_close(cg);
	return NULL;
}

const char *cgroup_path(const struct cgroup *cg)
{
	return cg->path;
}

int cgroup_dir_fd(const struct cgroup *cg)
{
	return cg->dir_fd;
}

/* One number from a file that holds one ("max" is not one). */
static bool read_number(int fd, uint64_t *out)
{
	char buf[64], *end;

	if (fd < 0 || read_text(fd, buf, sizeof(buf)) <= 0)
		return false;
	errno = 0;
	*out = strtoull(buf, &end, 10);
	return errno == 0 && end != buf;
}

bool cgroup_read_current(struct cgroup *cg, uint64_t *bytes)
{
	return read_number(cg->current_fd, bytes);
}

bool cgroup_read_peak(struct cgroup *cg, uint64_t *bytes)
{
	return read_number(cg->peak_fd, bytes);
}

bool cgroup_can_reset_peak(const struct cgroup *cg)
{
	return cg->reset_fd >= 0;
}

bool cgroup_peak_reset(struct cgroup *cg, uint64_t *peak_bytes)
{
	if (cg->reset_fd < 0 || !read_number(cg->reset_fd, peak_bytes))
		return false;
	return write(cg->reset_fd, "reset\n", 6) == 6;
}

bool cgroup_stat_parse(const char *text, struct cgroup_stat *out)
{
	/* Before 5.18 there is no "kernel" line: its parts are summed. */
	static const char *const parts[] = { "kernel_stack", "pagetables", "percpu", "slab" };
	struct { const char *key; uint64_t *to; } keys[] = {
		{ "anon", &out->anon_bytes }, { "file", &out->file_bytes },
		{ "shmem", &out->shmem_bytes }, { "file_mapped", &out->file_mapped_bytes },
		{ "sock", &out->sock_bytes }, { "kernel", &out->kernel_bytes },
	};
	uint64_t sum = 0;
	bool anon = false, kernel = false;
	const char *line, *sp;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!(sp = strchr(line, ' ')))
			break;
		n = (size_t)(sp - line);
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strlen(keys[i].key) == n && !memcmp(line, keys[i].key, n)) {
				*keys[i].to = strtoull(sp + 1, NULL, 10);
				anon |= i == 0;
				kernel |= i == 5;
			}
		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if (strlen(parts[i]) == n && !memcmp(line, parts[i], n))
				sum += strtoull(sp + 1, NULL, 10);
	}
	if (!kernel)
		out->kernel_bytes = sum;
	return anon;
}

bool cgroup_read_stat(struct cgroup *cg, struct cgroup_stat *out)
{
	char text[8192];

	if (read_text(cg->stat_fd, text, sizeof(text)) < 0 || !cgroup_stat_parse(text, out))
		return false;
	if (!read_number(cg->swap_fd, &out->swap_bytes))
		out->swap_bytes = 0;
	return true;
}

int cgroup_procs(struct cgroup *cg, void (*fn)(pid_t pid, void *arg), void *arg)
{
	char text[65536], *p, *end;
	int n = 0;

	if (read_text(cg->procs_fd, text, sizeof(text)) < 0)
		return -1;
	for (p = text; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0) {
			fn((pid_t)pid, arg);
			n++;
		}
	}
	return n;
}

void cgroup_close(struct cgroup *cg)
{
	int *fds[7];
	size_t i;

	if (!cg)
		return;
	fds[0] = &cg->dir_fd;
	fds[1] = &cg->current_fd;
	fds[2] = &cg->stat_fd;
	fds[3] = &cg->peak_fd;
	fds[4] = &cg->swap_fd;
	fds[5] = &cg->procs_fd;
	fds[6] = &cg->reset_fd;
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	if (cg->made) {
		char dir[2 * CG_PATH_MAX];

		int tries = 0;

		cg_fmt(dir, sizeof(dir), "%s%s", cg->mount, cg->path);
		/* The last processes may still be leaving it for a moment. */
		while (rmdir(dir) < 0 && errno == EBUSY && tries++ < 200)
			usleep(5000);
	}
	leave_leaf(cg);
	free(cg);
}
