/* tests/kernel/mw-asuser.c - a command run as another user, from root
 *
 *   mw-asuser UID CMD [ARG...]
 *
 * Drops every supplementary group, takes UID as group and user id, and
 * executes CMD: the bed's busybox has no setpriv or su to do it. Exits 1
 * if the ids cannot be changed (not root), 127 if CMD cannot be run. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t id;

	if (argc < 3) {
		fputs("usage: mw-asuser UID CMD [ARG...]\n", stderr);
		return 2;
	}
	id = (uid_t)strtoul(argv[1], NULL, 10);
	if (setgroups(0, NULL) < 0 || setgid(id) < 0 || setuid(id) < 0) {
		perror("mw-asuser");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("mw-asuser");
	return 127;
}
