/* linux/hwm.c - a process's VmHWM set back to its rss now, through clear_refs
 *
 * Writing "5" to /proc/PID/clear_refs (Linux 4.0) sets the high-water mark
 * of the process's rss (VmHWM, and what getrusage and wait4 report as
 * ru_maxrss of its address space) back to its rss now: VmHWM read at the
 * next boundary is then the exact peak since this one. The file is its
 * owner's to write (mode 0200), or a process's with CAP_DAC_OVERRIDE; a
 * process that made itself non-dumpable belongs to root. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* clear_refs is written through the directory the memory is read from: a
 * live thread's once the main thread has exited, whose mm is the same. */
int hwm_reset(struct probe *p)
{
	int fd = openat(probe_mm_dir_fd(p), "clear_refs", O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	do
		n = write(fd, "5", 1);
	while (n < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	if (n == 1)
		return 0;
	errno = n < 0 ? saved : EIO;
	return -1;
}
