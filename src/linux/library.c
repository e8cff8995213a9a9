/* linux/library.c - the Linux backend of library_find: shared libraries on this machine
 *
 * A library is looked for where the dynamic linker would find it: the
 * multiarch and standard library directories first (a stat each), then the
 * dynamic linker's cache (ldconfig -p), for libraries under other
 * configured paths. */
#include "config.h"

#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "util/xalloc.h"

/* The Debian multiarch directory name for this machine's architecture. */
static const char *multiarch(void)
{
	static const struct {
		const char *machine, *tuple;
	} map[] = {
		{ "x86_64", "x86_64-linux-gnu" }, { "aarch64", "aarch64-linux-gnu" },
		{ "i686", "i386-linux-gnu" }, { "i386", "i386-linux-gnu" },
		{ "armv7l", "arm-linux-gnueabihf" }, { "riscv64", "riscv64-linux-gnu" },
		{ "ppc64le", "powerpc64le-linux-gnu" }, { "s390x", "s390x-linux-gnu" },
	};
	static struct utsname u;
	size_t i;

	if (uname(&u) < 0)
		return NULL;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(u.machine, map[i].machine))
			return map[i].tuple;
	return NULL;
}

/* soname in the multiarch directories, then in the standard ones. */
static char *in_dirs(const char *soname)
{
	static const char *const dirs[] = {
		"/usr/local/lib", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
	};
	const char *tuple = multiarch();
	struct stat st;
	char path[512];
	size_t i;

	if (tuple) {
		static const char *const bases[] = { "/lib", "/usr/lib", "/usr/local/lib" };

		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/%s/%s", bases[i], tuple, soname);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				return xstrdup(path);
		}
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], soname);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return xstrdup(path);
	}
	return NULL;
}

/* "\tlibjemalloc.so.2 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/..." */
static char *in_ld_cache(const char *soname)
{
	FILE *p = popen("/sbin/ldconfig -p 2>/dev/null", "r");
	char line[1024], *found = NULL;
	size_t n = strlen(soname);

	if (!p)
		return NULL;
	while (!found && fgets(line, sizeof(line), p)) {
		char *s = line + strspn(line, " \t"), *arrow;

		if (strncmp(s, soname, n) != 0 || s[n] != ' ')
			continue;
		arrow = strstr(s, "=> ");
		if (arrow) {
			struct stat st;

			arrow[strcspn(arrow, "\n")] = '\0';
			/* The cache can be older than the file system. */
			if (stat(arrow + 3, &st) == 0 && S_ISREG(st.st_mode))
				found = xstrdup(arrow + 3);
		}
	}
	pclose(p);
	return found;
}

/* The dirs of every soname before the cache: a stat is cheaper than
 * running ldconfig. */
char *library_find(const char *const *sonames, size_t n)
{
	char *path;
	size_t i;

	for (i = 0; i < n && sonames[i]; i++)
		if ((path = in_dirs(sonames[i])))
			return path;
	for (i = 0; i < n && sonames[i]; i++)
		if ((path = in_ld_cache(sonames[i])))
			return path;
	return NULL;
}
