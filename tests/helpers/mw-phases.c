/* mw-phases - a target whose peak is known in each phase of a run
 *
 *   mw-phases [--undumpable] [--start S] [LOAD_MIB [CHILD_MIB [IDLE_MIB]]]
 *
 * Holds nothing of its own for S seconds (default 0.2; the start phase),
 * then prints "ready" (the load phase starts), touches LOAD_MIB (default
 * 96) and frees it after 0.3 s; starts a child that touches CHILD_MIB
 * (default 32) for 0.3 s and exits, and waits for it; then touches
 * IDLE_MIB (default 24) and holds it until killed (the idle windows).
 * --undumpable makes it non-dumpable first: its /proc files, clear_refs
 * among them, then belong to root. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ruler.h"

/* Map and touch mib MiB; NULL for none. */
static char *touch_mib(long mib)
{
	return mib > 0 ? ruler_touch_mib(mib) : NULL;
}

int main(int argc, char **argv)
{
	long mib[3] = { 96, 32, 24 };
	double start_s = 0.2;
	int i = 1, k = 0, status;
	char *p;
	pid_t kid;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--undumpable"))
			prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		else if (!strcmp(argv[i], "--start") && i + 1 < argc)
			start_s = atof(argv[++i]);
		else
			break;
	}
	for (; i < argc && k < 3; i++)
		mib[k++] = atol(argv[i]);
	if (i < argc) {
		fputs("usage: mw-phases [--undumpable] [--start S] [LOAD_MIB [CHILD_MIB [IDLE_MIB]]]\n",
		      stderr);
		return 2;
	}
	ruler_sleep_s(start_s);
	printf("ready\n");
	fflush(stdout);
	p = touch_mib(mib[0]);
	ruler_sleep_s(0.3);
	if (p)
		munmap(p, (size_t)mib[0] << 20);
	if (mib[1]) {
		kid = fork();
		if (kid == 0) {
			touch_mib(mib[1]);
			ruler_sleep_s(0.3);
			_exit(0);
		}
		if (kid > 0)
			waitpid(kid, &status, 0);
	}
	touch_mib(mib[2]);
	for (;;)
		pause();
}
