/* compare/allocator.c - which allocator a configuration loads, and its version, read from the library
 *
 * The version comes from the library itself, not from its file name or a
 * package database: the library is loaded (dlopen, not preloaded) in a
 * child process, which calls the function the allocator exports for it and
 * writes the answer to a pipe. A library that crashes or hangs on load only
 * costs the child. jemalloc cannot be loaded that way (its thread-local
 * storage is initial-exec: dlopen fails), so its version is the string
 * mallctl("version") returns, found in the library's read-only data. */
#include "config.h"

#include "compare/allocator.h"

#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <signal.h>
#include <stdbool.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xalloc.h"

/* How long the child may take to load the library and answer. */
#define ALLOCATOR_CHILD_TIMEOUT_S 5

typedef int (*mi_version_fn)(void);
typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);
typedef const char *(*tc_version_fn)(int *, int *, const char **);

/* mimalloc's mi_version(): major * 100 + minor * 10 + patch (209, 301). */
static void from_mimalloc(void *lib, char *buf, size_t len)
{
	mi_version_fn fn = (mi_version_fn)dlsym(lib, "mi_version");
	int v = fn();

	if (v >= 100 && v < 1000)
		snprintf(buf, len, "mimalloc %d.%d.%d", v / 100, v / 10 % 10, v % 10);
	else
		snprintf(buf, len, "mimalloc %d", v);
}

/* jemalloc's mallctl("version"): "5.3.0-0-g54eaed1d..."; the release is
 * what comes before the first '-'. */
static void from_jemalloc(void *lib, char *buf, size_t len)
{
	mallctl_fn fn = (mallctl_fn)dlsym(lib, "mallctl");
	const char *v = NULL;
	size_t sz = sizeof(v);

	if (fn("version", &v, &sz, NULL, 0) != 0 || !v)
		return;
	snprintf(buf, len, "jemalloc %.*s", (int)strcspn(v, "-"), v);
}

/* Whether s starts jemalloc's version string, "5.3.0-0-g" and 40 hex
 * digits of the commit (git describe --long), within end. */
static bool jemalloc_version_at(const char *s, const char *end, size_t *len)
{
	const char *p = s;
	int dots = 0, i;

	while (p < end && (isdigit((unsigned char)*p) || *p == '.'))
		dots += *p++ == '.';
	if (dots != 2 || p == s || !isdigit((unsigned char)s[0]) || p >= end || *p++ != '-')
		return false;
	if (p >= end || !isdigit((unsigned char)*p))
		return false;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (end - p < 42 || p[0] != '-' || p[1] != 'g')
		return false;
	for (i = 2; i < 42; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	*len = (size_t)(strchr(s, '-') - s);
	return true;
}

/* jemalloc's version, from the library file's bytes. */
static char *jemalloc_from_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL, *found = NULL;
	size_t n = 0, cap = 0, got, len, i;

	if (!f)
		return NULL;
	do {
		if (n == cap)
			data = xreallocarray(data, cap = cap ? cap * 2 : 1 << 20, 1);
		got = fread(data + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	for (i = 0; i < n && !found; i++)
		if ((i == 0 || data[i - 1] == '\0') && isdigit((unsigned char)data[i]) &&
		    memchr(data + i, '\0', n - i) &&
		    jemalloc_version_at(data + i, data + n, &len))
			found = xasprintf("jemalloc %.*s", (int)len, data + i);
	free(data);
	return found;
}

/* gperftools' tc_version(): "gperftools 2.10". */
static void from_tcmalloc(void *lib, char *buf, size_t len)
{
	tc_version_fn fn = (tc_version_fn)dlsym(lib, "tc_version");
	int major = 0, minor = 0;
	const char *patch = "";

	fn(&major, &minor, &patch);
	snprintf(buf, len, "tcmalloc %d.%d%s", major, minor, patch ? patch : "");
}

/* In the child: load the library and write its version to fd. */
static _Noreturn void child_read(const char *path, int fd)
{
	char buf[128] = "";
	void *lib;

	alarm(ALLOCATOR_CHILD_TIMEOUT_S);
	lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (lib) {
		if (dlsym(lib, "mi_version"))
			from_mimalloc(lib, buf, sizeof(buf));
		else if (dlsym(lib, "mallctl"))
			from_jemalloc(lib, buf, sizeof(buf));
		else if (dlsym(lib, "tc_version"))
			from_tcmalloc(lib, buf, sizeof(buf));
	}
	if (buf[0] && write(fd, buf, strlen(buf)) < 0)
		_exit(1);
	_exit(buf[0] ? 0 : 1);
}

char *allocator_version(const char *path)
{
	char buf[128];
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int fds[2], status;

	if (!path)
		return xasprintf("glibc %s", gnu_get_libc_version());
	if (pipe(fds) < 0)
		return NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		child_read(path, fds[1]);
	}
	close(fds[1]);
	while (got < sizeof(buf) - 1 &&
	       ((n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0 ||
		(n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return jemalloc_from_file(path);
	buf[got] = '\0';
	return xstrdup(buf);
}
