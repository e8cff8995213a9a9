/* mw-spin - a target that misbehaves on request, for exit-status tests
 *
 *   mw-spin exit N          exit with status N at once
 *   mw-spin signal SIG      kill itself with signal number SIG
 *   mw-spin sleep SECONDS   sleep, then exit 0
 *   mw-spin ignore-term S   ignore SIGTERM, then sleep S seconds
 *   mw-spin mib N SECONDS   hold N MiB (touched) for SECONDS
 *   mw-spin undumpable N S  hold N MiB; after 0.3 s become non-dumpable
 *                           (its smaps_rollup unreadable to other users)
 *   mw-spin maxrss CMD...   run CMD (fork and exec, as time(1) does) and
 *                           print wait4's maxrss of it in bytes: CMD's
 *                           peak, or mw-spin's own copy's if higher */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ruler.h"

/* CMD's peak rss as time(1) would report it, in bytes. */
static int maxrss(char **cmd)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return 1;
	printf("%llu\n", (unsigned long long)ru.ru_maxrss * 1024);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "maxrss"))
		return maxrss(argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "signal")) {
		int sig = atoi(argv[2]);

		signal(sig, SIG_DFL);
		raise(sig);
		return 99;
	}
	if (argc >= 3 && !strcmp(argv[1], "sleep")) {
		ruler_sleep_s(atof(argv[2]));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "ignore-term")) {
		signal(SIGTERM, SIG_IGN);
		printf("mw-spin: ignoring SIGTERM\n");
		fflush(stdout);
		ruler_sleep_s(atof(argv[2]));
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "mib")) {
		ruler_touch_mib(atol(argv[2]));
		ruler_sleep_s(atof(argv[3]));
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "undumpable")) {
		ruler_touch_mib(atol(argv[2]));
		ruler_sleep_s(0.3);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		ruler_sleep_s(atof(argv[3]));
		return 0;
	}
	fputs("usage: mw-spin exit N | signal SIG | sleep S | ignore-term S | mib N S | undumpable N S\n",
	      stderr);
	return 2;
}
