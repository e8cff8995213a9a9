/* linux/target.c - the target signalled by group, and the null device for its stdio */
#include "config.h"

#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A number field of /proc/pid/status ("Tgid", "PPid"); -1 if unreadable. */
static long status_field(pid_t pid, const char *name)
{
	char path[64], line[256];
	size_t len = strlen(name);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

enum target_attach target_attach_check(pid_t pid, pid_t *tgid)
{
	long t = status_field(pid, "Tgid"), p;
	pid_t up = getppid();
	unsigned depth;

	if (pid == getpid())
		return TARGET_ATTACH_SELF;
	/* /proc/TID opens for a thread too, though it is not listed. */
	if (t > 0 && t != pid) {
		*tgid = (pid_t)t;
		return TARGET_ATTACH_THREAD;
	}
	for (depth = 0; up > 0 && depth < 4096; depth++) {
		if (up == pid)
			return TARGET_ATTACH_ANCESTOR;
		if (up == 1)
			break;
		p = status_field(up, "PPid");
		up = p > 0 ? (pid_t)p : 0;
	}
	return TARGET_ATTACH_OK;
}
