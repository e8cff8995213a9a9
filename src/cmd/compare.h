/* cmd_compare.h - memwatch compare: configurations side by side */
#ifndef MEMWATCH_CMD_COMPARE_H
#define MEMWATCH_CMD_COMPARE_H

#include <stddef.h>

/* One -c CONFIG, parsed. */
struct compare_config {
	char *name;
	char *preset;		/* an allocator preset, or NULL */
	char *preload;		/* the library preloaded (preset or LD_PRELOAD) */
	char **env_set;		/* "VAR=VALUE", NULL-terminated */
	char *command;		/* @COMMAND, run with /bin/sh -c; NULL: default */
};

/* Parse "NAME[=PRESET|=@COMMAND]{:VAR=VALUE}" into c. Returns 0, or -1
 * with a one-line reason in err. Presets are not located here. */
int compare_config_parse(const char *spec, struct compare_config *c,
			 char *err, size_t errlen);
void compare_config_free(struct compare_config *c);

/* memwatch compare [OPTIONS] [-c CONFIG]... [-- COMMAND [ARG...]] */
int cmd_compare(int argc, char **argv);

#endif
