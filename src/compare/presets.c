/* presets.c - the allocator presets of compare, found on this machine
 *
 * A preset is a malloc replacement applied with LD_PRELOAD. Its library is
 * looked for where the dynamic linker would find it: the multiarch and
 * standard library directories first (a stat each), then the dynamic
 * linker's cache (ldconfig -p), for libraries under other configured paths. */
#include "config.h"

#include "compare/presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "util/xalloc.h"

struct preset {
	const char *name;
	const char *sonames[3];	/* preferred first */
	const char *package;	/* Debian 12 */
};

static const struct preset presets[] = {
	{ "system", { NULL }, NULL },
	{ "jemalloc", { "libjemalloc.so.2", NULL }, "libjemalloc2" },
	{ "mimalloc", { "libmimalloc.so.2", "libmimalloc.so.3", NULL }, "libmimalloc2.0" },
	{ "tcmalloc", { "libtcmalloc_minimal.so.4", "libtcmalloc.so.4", NULL },
	  "libtcmalloc-minimal4" },
};

#define N_PRESETS (sizeof(presets) / sizeof(presets[0]))

const char *const *preset_names(void)
{
	static const char *names[N_PRESETS + 1];
	size_t i;

	for (i = 0; i < N_PRESETS; i++)
		names[i] = presets[i].name;
	return names;
}

static const struct preset *find(const char *name)
{
	size_t i;

	for (i = 0; i < N_PRESETS; i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

bool preset_known(const char *name)
{
	return find(name) != NULL;
}

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

bool preset_locate(const char *name, char **path, const char **package,
		   const char **soname)
{
	const struct preset *p = find(name);
	size_t i;

	*path = NULL;
	*package = p ? p->package : NULL;
	*soname = p ? p->sonames[0] : NULL;
	if (!p)
		return false;
	if (!p->sonames[0])
		return true;	/* system: the C library's own malloc */
	for (i = 0; i < 3 && p->sonames[i]; i++)
		if ((*path = in_dirs(p->sonames[i])))
			return true;
	for (i = 0; i < 3 && p->sonames[i]; i++)
		if ((*path = in_ld_cache(p->sonames[i])))
			return true;
	return false;
}
