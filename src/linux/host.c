/* linux/host.c - the Linux backend of host_read: the machine a run is measured on */
#include "config.h"

#include "probe.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libproc2/meminfo.h>

#include "util/xalloc.h"

/* The selected mode of /sys/kernel/mm/transparent_hugepage/enabled, the
 * word in brackets: "always [madvise] never" -> "madvise"; NULL if the
 * kernel has no such file. It decides whether an allocator's large
 * regions are backed by huge pages, which moves rss by megabytes. */
static char *read_thp(void)
{
	char buf[256], *open, *close;
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");

	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!open || !close)
		return NULL;
	return xstrndup(open + 1, (size_t)(close - open - 1));
}

/* MemTotal of /proc/meminfo, in bytes; 0 if unreadable. */
static uint64_t read_mem_total_bytes(void)
{
	struct meminfo_info *mi = NULL;
	uint64_t bytes = 0;

	if (procps_meminfo_new(&mi) >= 0) {
		struct meminfo_result *m = procps_meminfo_get(mi, MEMINFO_MEM_TOTAL);

		if (m)
			bytes = (uint64_t)m->result.ul_int * 1024;
		procps_meminfo_unref(&mi);
	}
	return bytes;
}

/* uname, the host name, sysconf, MemTotal and the huge page mode. */
void host_read(struct host_info *out)
{
	struct utsname u;
	char name[256];

	memset(out, 0, sizeof(*out));
	if (uname(&u) == 0) {
		out->kernel = xstrdup(u.release);
		out->arch = xstrdup(u.machine);
	}
	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		out->hostname = xstrdup(name);
	}
	out->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	out->page_size = sysconf(_SC_PAGESIZE);
	out->mem_total_bytes = read_mem_total_bytes();
	out->thp = read_thp();
}
