/* linux/self.c - memwatch's own process: its CPU time and its peak rss */
#include "config.h"

#include "supervise.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "probe.h"
#include "util/clock.h"

double self_read_cpu_s(void)
{
	struct rusage self;

	getrusage(RUSAGE_SELF, &self);
	return clock_timeval_s(&self.ru_utime) + clock_timeval_s(&self.ru_stime);
}

bool self_reset_peak(void)
{
	/* 5 in clear_refs sets VmHWM back to the rss. */
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	bool done;

	if (fd < 0)
		return false;
	done = write(fd, "5", 1) == 1;
	close(fd);
	return done;
}

/* VmHWM, which exec reset, and self_reset_peak too. ru_maxrss would carry
 * the peak of whatever process exec'd memwatch (a shell, a Python script):
 * it is only the fallback. */
uint64_t self_read_peak_rss(void)
{
	struct probe *p = probe_open(getpid());
	struct probe_status proc_status;
	struct rusage self;
	uint64_t hwm = 0;

	if (p && probe_status(p, &proc_status))
		hwm = proc_status.hwm_bytes;
	probe_close(p);
	if (hwm)
		return hwm;
	getrusage(RUSAGE_SELF, &self);
	return (uint64_t)self.ru_maxrss * 1024;
}
