/* linux/events.c - the run loop's waiting: its signalfd and timerfd, polled */
#include "config.h"

#include "supervise.h"

#include <errno.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

void events_init(struct events *ev, const struct supervise *sv)
{
	ev->sig_fd = sv->sig_fd;
	ev->timer_fd = -1;
}

void events_destroy(struct events *ev)
{
	if (ev->timer_fd >= 0)
		close(ev->timer_fd);
	ev->timer_fd = -1;
}

/* A one-shot on an absolute time: each next tick is decided anew (the
 * cadence), and a late wake-up does not push the schedule back. */
int events_arm_timer(struct events *ev, uint64_t at_ns)
{
	struct itimerspec its = { 0 };

	if (ev->timer_fd < 0)
		ev->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ev->timer_fd < 0)
		return -1;
	its.it_value.tv_sec = (time_t)(at_ns / 1000000000ULL);
	its.it_value.tv_nsec = (long)(at_ns % 1000000000ULL);
	return timerfd_settime(ev->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

int events_wait(struct events *ev, struct pollfd *fds, size_t n, int timeout_ms)
{
	struct pollfd pfd[2 + EVENTS_MAX_FDS] = {
		{ .fd = ev->sig_fd, .events = POLLIN },
		{ .fd = ev->timer_fd, .events = POLLIN },
	};
	uint64_t expirations;
	size_t i;
	int what = 0;

	if (n > EVENTS_MAX_FDS) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		pfd[2 + i] = fds[i];
		pfd[2 + i].revents = 0;
	}
	if (poll(pfd, 2 + n, timeout_ms) < 0 && errno != EINTR)
		return -1;
	for (i = 0; i < n; i++)
		fds[i].revents = pfd[2 + i].revents;
	if (pfd[0].revents & POLLIN)
		what |= EVENTS_SIGNALS;
	/* Reading the expirations is what clears the timer's readiness. */
	if ((pfd[1].revents & POLLIN) &&
	    read(ev->timer_fd, &expirations, sizeof(expirations)) > 0)
		what |= EVENTS_TIMER;
	return what;
}
