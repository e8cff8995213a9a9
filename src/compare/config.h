/* compare/config.h - a configuration of compare: -c CONFIG parsed, and what it runs */
#ifndef MEMWATCH_COMPARE_CONFIG_H
#define MEMWATCH_COMPARE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "result/result.h"

/* One -c CONFIG, parsed. */
struct compare_config {
	char *name;
	char *preset;		/* an allocator preset, or NULL */
	char *preload;		/* the library preloaded (preset or LD_PRELOAD) */
	char **env_set;		/* "VAR=VALUE", a string vector (util/strv.h) */
	char *command;		/* @COMMAND, run with /bin/sh -c; NULL: default */
	bool own_library;	/* NAME=/path/lib.so */
	char *allocator;	/* "mimalloc 3.0.1": read from the library that
				 * is loaded; NULL: unknown */
};

/* Parse "NAME[=PRESET|=@COMMAND]{:VAR=VALUE}" into c. Returns 0, or -1
 * with a one-line reason in err. Presets are not located here. */
int compare_config_parse(const char *spec, struct compare_config *c,
			 char *err, size_t errlen);
void compare_config_free(struct compare_config *c);

/* Locate the library of c's preset on this machine and preload it (first
 * in env_set, before the knobs), and read the version of the allocator c
 * loads (its preset's, its LD_PRELOAD's, or the C library's). false if the
 * preset is not installed: then *package names the Debian package that has
 * it and *soname the file. */
bool compare_config_locate_preset(struct compare_config *c,
				  const char **package, const char **soname);

/* What c runs, as a result's configuration: its name, its command line
 * (its @COMMAND through /bin/sh, else default_argv) and its settings. */
void compare_config_describe(const struct compare_config *c,
			     char *const *default_argv, struct result_config *rc);

#endif
