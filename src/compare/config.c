/* compare/config.c - a configuration of compare: -c CONFIG parsed, and what it runs */
#include "config.h"

#include "compare/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/allocator.h"
#include "compare/presets.h"
#include "util/strv.h"
#include "util/xalloc.h"

static bool is_ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Where a ':' at s starts a new assignment: followed by IDENT '='. */
static bool starts_assignment(const char *s)
{
	const char *p = s + 1;

	if (*s != ':' || !is_ident_start(*p))
		return false;
	while (is_ident(*p))
		p++;
	return *p == '=';
}

static bool valid_name(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!is_ident(*s) && !strchr(".-+", *s))
			return false;
	return n > 0 && n <= 40;
}

void compare_config_free(struct compare_config *c)
{
	free(c->name);
	free(c->preset);
	free(c->preload);
	strv_free(c->env_set);
	free(c->command);
	free(c->allocator);
	memset(c, 0, sizeof(*c));
}

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* The head of a spec, before its knobs: NAME, NAME=PRESET or
 * NAME=@COMMAND (head is taken over). */
static int parse_head(const char *spec, char *head, struct compare_config *c,
		      char *err, size_t errlen)
{
	const char *eq = strchr(head, '=');
	int rc = 0;

	if (!eq) {
		c->name = head;
		if (preset_known(head))
			c->preset = xstrdup(head);
		return 0;
	}
	c->name = xstrndup(head, (size_t)(eq - head));
	if (eq[1] == '@' && !eq[2])
		rc = fail(err, errlen, "'%s': the command after @ is empty", spec);
	else if (eq[1] == '@')
		c->command = xstrdup(eq + 2);
	else if (eq[1] == '/') {
		/* A library of one's own, preloaded and checked as a preset's. */
		c->preload = xstrdup(eq + 1);
		c->own_library = true;
		strv_push(&c->env_set, xasprintf("LD_PRELOAD=%s", eq + 1));
	}
	else if (preset_known(eq + 1))
		c->preset = xstrdup(eq + 1);
	else
		rc = fail(err, errlen, "'%s': '%s' is not a preset (system, jemalloc, "
			  "mimalloc, mimalloc3, tcmalloc), /PATH/TO/LIB.so nor @COMMAND",
			  spec, eq + 1);
	free(head);
	return rc;
}

/* One knob, VAR=VALUE (taken over); LD_PRELOAD names the library the
 * processes are checked for. */
static int add_knob(const char *spec, char *assignment, struct compare_config *c,
		    char *err, size_t errlen)
{
	if (!strncmp(assignment, "LD_PRELOAD=", 11)) {
		if ((c->preset && strcmp(c->preset, "system")) || c->own_library) {
			free(assignment);
			return fail(err, errlen, "'%s': the %s %s sets LD_PRELOAD; "
				    "give one or the other", spec,
				    c->preset ? "preset" : "library",
				    c->preset ? c->preset : c->preload);
		}
		/* The first library preloaded is the one to look for. A later
		 * LD_PRELOAD= replaces an earlier one, as it will when the
		 * variables are set in order. */
		free(c->preload);
		c->preload = xstrndup(assignment + 11, strcspn(assignment + 11, ": "));
	}
	strv_push(&c->env_set, assignment);
	return 0;
}

int compare_config_parse(const char *spec, struct compare_config *c,
			 char *err, size_t errlen)
{
	const char *p = spec, *head_end;

	memset(c, 0, sizeof(*c));
	/* The head runs to the first ':' that starts VAR=; a ':' inside a
	 * value (GLIBC_TUNABLES=a=1:b=2, LD_PRELOAD=/a.so:/b.so) does not. */
	for (head_end = p; *head_end && !starts_assignment(head_end); head_end++)
		;
	if (parse_head(spec, xstrndup(p, (size_t)(head_end - p)), c, err, errlen) < 0)
		return -1;
	if (!valid_name(c->name))
		return fail(err, errlen, "'%s': the name must be 1 to 40 letters, digits, "
			    "'_', '-', '+' or '.'", spec);
	p = head_end;
	while (*p) {
		const char *start = p + 1, *end = start;

		while (*end && !starts_assignment(end))
			end++;
		if (add_knob(spec, xstrndup(start, (size_t)(end - start)), c, err,
			     errlen) < 0)
			return -1;
		p = end;
	}
	if (!c->preset && !c->command && !c->env_set)
		return fail(err, errlen, "'%s' is not a preset (system, jemalloc, mimalloc, "
			    "mimalloc3, tcmalloc); a configuration of your own is "
			    "NAME:VAR=VALUE, NAME=PRESET:VAR=VALUE, NAME=/PATH/TO/LIB.so "
			    "or NAME=@COMMAND", spec);
	return 0;
}

bool compare_config_locate_preset(struct compare_config *c,
				  const char **package, const char **soname)
{
	char *path;

	if (c->preset) {
		if (!preset_locate(c->preset, &path, package, soname))
			return false;
		if (path) {
			/* LD_PRELOAD first, the knobs after it. */
			strv_insert(&c->env_set, 0, xasprintf("LD_PRELOAD=%s", path));
			free(c->preload);
			c->preload = path;
		}
	}
	/* A command of its own loads what it loads. */
	if (!c->command || c->preload) {
		free(c->allocator);
		c->allocator = allocator_version(c->preload);
	}
	return true;
}

/* Whether word (up to its first blank) is a variable assignment,
 * NAME=VALUE. */
static bool is_assignment(const char *word)
{
	size_t n = strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789");

	return n > 0 && !(word[0] >= '0' && word[0] <= '9') && word[n] == '=';
}

/* The shell line for @COMMAND: a simple command is exec'd, so the command
 * itself (not a shell waiting for it) is the root of the tree and
 * MEMWATCH_TARGET_PID. Anything with shell syntax runs as written, and so
 * does a command that execs already. Variables set before the command
 * stay before the exec (NAME=VALUE exec CMD exports them to CMD). */
static char *shell_line(const char *command)
{
	const char *p = command;

	if (strpbrk(command, ";&|<>()`$\n{}!"))
		return xstrdup(command);
	p += strspn(p, " \t");
	while (is_assignment(p)) {
		p += strcspn(p, " \t");
		p += strspn(p, " \t");
	}
	if (!*p || (!strncmp(p, "exec", 4) && (!p[4] || p[4] == ' ' || p[4] == '\t')))
		return xstrdup(command);
	return xasprintf("%.*sexec %s", (int)(p - command), command, p);
}

void compare_config_describe(const struct compare_config *c,
			     char *const *default_argv, struct result_config *rc)
{
	size_t i;

	rc->name = xstrdup(c->name);
	rc->allocator = c->allocator ? xstrdup(c->allocator) : NULL;
	if (c->command) {
		rc->argv = NULL;
		strv_push(&rc->argv, xstrdup("/bin/sh"));
		strv_push(&rc->argv, xstrdup("-c"));
		strv_push(&rc->argv, shell_line(c->command));
	} else {
		rc->argv = strv_copy(default_argv);
	}
	for (i = 0; c->env_set && c->env_set[i]; i++) {
		const char *eq = strchr(c->env_set[i], '=');

		rc->env = xreallocarray(rc->env, rc->n_env + 1, sizeof(*rc->env));
		rc->env[rc->n_env].name = xstrndup(c->env_set[i], (size_t)(eq - c->env_set[i]));
		rc->env[rc->n_env].value = xstrdup(eq + 1);
		rc->n_env++;
	}
}
