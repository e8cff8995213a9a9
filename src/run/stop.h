/* run/stop.h - stopping the tree: signals to every process of it and to the
 * driver, who may not be signalled, SIGKILL after the grace, giving up */
#ifndef MEMWATCH_RUN_STOP_H
#define MEMWATCH_RUN_STOP_H

#include <stdbool.h>
#include <stdint.h>

#include "run/state.h"

/* The driver and everything it started, through its keeper. */
void stop_signal_driver(struct run *r, int sig);

/* Signal every process of the tree: the root's group and each known
 * process by its pinned identity. */
void stop_signal_tree(struct run *r, int sig);

/* Processes found after the tree was told to stop get told too. */
void stop_signal_new(struct run *r);

/* Whether every process of the tree still alive is one memwatch may not
 * signal. */
bool stop_only_unsignalable_left(const struct run *r);

/* SIGKILL to what memwatch may stop, and a last deadline. */
void stop_kill_all(struct run *r, uint64_t now_ns);

/* Stop waiting for what is left of the tree, and say which. */
void stop_give_up(struct run *r);

#endif
