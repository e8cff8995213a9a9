/* mw-server - a dev server in miniature, for the phase tests
 *
 *   mw-server [--ready-after S] [--child-mib N] [--grow-mib N]
 *             [--release-after S] [--chatter]
 *
 * Starts a child that holds --child-mib for as long as the server lives,
 * waits --ready-after seconds, prints a ready line the way vite does
 * (colours and all), then serves "requests": each SIGUSR1 (a driver sends
 * them to $MEMWATCH_TARGET_PID) grows the server by --grow-mib, touched.
 * --release-after seconds after the last request it gives all of that back
 * to the OS (munmap) and says so. It runs until it is stopped. With
 * --chatter it prints a line per request, and "tick" lines now and then. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)
#define MAX_GROWTH 256

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *alloc_touch(size_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED) {
		perror("mw-server: mmap");
		exit(1);
	}
	for (i = 0; i < size; i += 4096)
		p[i] = 1;
	return p;
}

/* The child: hold mib until the parent is gone (the pipe closes). */
static void child(unsigned long mib, int hold_fd)
{
	char c;

	alloc_touch(mib * MIB);
	while (read(hold_fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ready-after", required_argument, NULL, 'r' },
		{ "child-mib", required_argument, NULL, 'c' },
		{ "grow-mib", required_argument, NULL, 'g' },
		{ "release-after", required_argument, NULL, 'R' },
		{ "chatter", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	double ready_after = 0.3, release_after = 1.0, last_request = 0, next_tick;
	unsigned long child_mib = 8, grow_mib = 16;
	char *grown[MAX_GROWTH];
	size_t n_grown = 0, i;
	int hold[2], c;
	bool chatter = false;
	sigset_t set;
	pid_t kid;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': ready_after = atof(optarg); break;
		case 'c': child_mib = strtoul(optarg, NULL, 10); break;
		case 'g': grow_mib = strtoul(optarg, NULL, 10); break;
		case 'R': release_after = atof(optarg); break;
		case 'C': chatter = true; break;
		default:
			fputs("usage: mw-server [--ready-after S] [--child-mib N] "
			      "[--grow-mib N] [--release-after S] [--chatter]\n", stderr);
			return 2;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pipe(hold) < 0)
		return 1;
	kid = fork();
	if (kid == 0) {
		close(hold[1]);
		child(child_mib, hold[0]);
	}
	close(hold[0]);

	usleep((useconds_t)(ready_after * 1e6));
	/* As vite prints it: colours around the words a pattern looks for. */
	printf("\n  \033[32m\033[1mMW-SERVER\033[22m v1.0\033[39m  \033[2mready in "
	       "\033[0m\033[1m%d\033[22m\033[2m ms\033[22m\n\n", (int)(ready_after * 1000));
	fflush(stdout);
	next_tick = now_s() + 0.5;
	for (;;) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		int sig = sigtimedwait(&set, NULL, &ts);

		if (sig == SIGUSR1 && n_grown < MAX_GROWTH) {
			grown[n_grown++] = alloc_touch(grow_mib * MIB);
			last_request = now_s();
			if (chatter) {
				printf("request %zu: holding %lu MiB more\n", n_grown,
				       grow_mib * n_grown);
				fflush(stdout);
			}
		}
		if (n_grown && now_s() >= last_request + release_after) {
			for (i = 0; i < n_grown; i++)
				munmap(grown[i], grow_mib * MIB);
			printf("released %lu MiB\n", grow_mib * n_grown);
			fflush(stdout);
			n_grown = 0;
		}
		if (chatter && now_s() >= next_tick) {
			fprintf(stderr, "tick\n");
			next_tick += 0.5;
		}
	}
}
