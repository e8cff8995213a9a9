/* linux/target.c - the target signalled by group, and the null device for its stdio */
#include "config.h"

#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>

int target_signal_group(pid_t pgid, int sig)
{
	return kill(-pgid, sig);
}

bool target_signal_denied(pid_t pid)
{
	/* Signal 0 checks the permission and sends nothing. */
	return kill(pid, 0) < 0 && errno == EPERM;
}

int target_null_fd(bool writable)
{
	return open("/dev/null", (writable ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
}
