/* test_compare_config.c - -c CONFIG: names, presets, @COMMAND, VAR=VALUE */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compare/config.h"
#include "util/strv.h"
#include "tap.h"

/* Parse spec; its env_set joined with '|' into env (or "-" if none). */
static int parse(const char *spec, struct compare_config *c, char *env, size_t len)
{
	char err[256];
	char *j;

	if (compare_config_parse(spec, c, err, sizeof(err)) < 0) {
		snprintf(env, len, "error: %s", err);
		return -1;
	}
	j = c->env_set ? strv_join(c->env_set, "|") : strdup("-");
	snprintf(env, len, "%s", j);
	free(j);
	return 0;
}

static void fails(const char *spec, const char *why)
{
	struct compare_config c;
	char env[512];

	ok(parse(spec, &c, env, sizeof(env)) < 0 && strstr(env, why),
	   "'%s' is refused: %s (%s)", spec, why, env);
	compare_config_free(&c);
}

/* The command line a configuration with @command runs. */
static void shell(const char *spec, const char *want)
{
	struct compare_config c;
	struct result_config rc = { 0 };
	char env[512], *got;

	parse(spec, &c, env, sizeof(env));
	compare_config_describe(&c, NULL, &rc);
	got = strv_join(rc.argv, " ");
	is_str(got, want, "'%s' runs as '%s'", spec, want);
	free(got);
	strv_free(rc.argv);
	free(rc.name);
	compare_config_free(&c);
}

int main(void)
{
	struct compare_config c;
	struct result_config rc = { 0 };
	char env[512], *argv[] = { "prog", "arg", NULL };

	ok(parse("jemalloc", &c, env, sizeof(env)) == 0 &&
	   !strcmp(c.name, "jemalloc") && c.preset && !strcmp(c.preset, "jemalloc"),
	   "a preset's name is the configuration");
	compare_config_free(&c);

	parse("je=jemalloc:MALLOC_CONF=narenas:1", &c, env, sizeof(env));
	ok(!strcmp(c.name, "je") && !strcmp(c.preset, "jemalloc"), "NAME=PRESET");
	is_str(env, "MALLOC_CONF=narenas:1", "... with a knob whose value holds a ':'");
	compare_config_free(&c);

	parse("t:GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=0:X_Y=2",
	      &c, env, sizeof(env));
	is_str(env, "GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=0|X_Y=2",
	       "a ':' before IDENT= starts the next knob; one inside a value stays");
	ok(!c.preset && !c.command && !c.preload, "no preset, command or preload");
	compare_config_free(&c);

	parse("p:LD_PRELOAD=/a.so:/b.so", &c, env, sizeof(env));
	ok(c.preload && !strcmp(c.preload, "/a.so"), "the first library preloaded is looked for");
	compare_config_free(&c);
	parse("p:LD_PRELOAD=/a.so:LD_PRELOAD=/c.so", &c, env, sizeof(env));
	ok(c.preload && !strcmp(c.preload, "/c.so"), "a later LD_PRELOAD= replaces it");
	compare_config_free(&c);
	parse("sys=system:LD_PRELOAD=/a.so", &c, env, sizeof(env));
	ok(c.preload && !strcmp(c.preload, "/a.so"), "system with LD_PRELOAD of its own");
	compare_config_free(&c);

	parse("mine=@./server --port 1", &c, env, sizeof(env));
	ok(!strcmp(c.name, "mine") && c.command && !strcmp(c.command, "./server --port 1"),
	   "NAME=@COMMAND");
	compare_config_free(&c);

	parse("own=/opt/lib/libx.so:A=1", &c, env, sizeof(env));
	ok(c.preload && !strcmp(c.preload, "/opt/lib/libx.so") && !c.preset,
	   "NAME=/path/lib.so preloads that library");
	is_str(env, "LD_PRELOAD=/opt/lib/libx.so|A=1", "... first, before the knobs");
	compare_config_free(&c);
	fails("own=/x.so:LD_PRELOAD=/y.so", "the library /x.so sets LD_PRELOAD");

	parse("mimalloc3", &c, env, sizeof(env));
	ok(c.preset && !strcmp(c.preset, "mimalloc3"), "mimalloc3 is a preset");
	compare_config_free(&c);

	fails("nosuch", "is not a preset");
	fails("x=nosuch", "nor @COMMAND");
	fails("x=@", "the command after @ is empty");
	fails("bad name:A=1", "the name must be");
	fails(":A=1", "the name must be");
	fails("jemalloc:LD_PRELOAD=/x.so", "sets LD_PRELOAD; give one or the other");

	shell("a=@sleep 1", "/bin/sh -c exec sleep 1");
	shell("a=@A=1 B=2 sleep 1", "/bin/sh -c A=1 B=2 exec sleep 1");
	shell("a=@exec sleep 1", "/bin/sh -c exec sleep 1");
	shell("a=@sleep 1 | cat", "/bin/sh -c sleep 1 | cat");

	parse("k:A=1:B=x=y", &c, env, sizeof(env));
	compare_config_describe(&c, argv, &rc);
	ok(rc.argv[0] && !strcmp(rc.argv[0], "prog") && rc.argv[1] &&
	   !strcmp(rc.argv[1], "arg") && !rc.argv[2], "without @, the default command");
	ok(rc.n_env == 2 && !strcmp(rc.env[1].name, "B") && !strcmp(rc.env[1].value, "x=y"),
	   "the knobs as the result's env, split at the first '='");
	strv_free(rc.argv);
	free(rc.name);
	for (size_t i = 0; i < rc.n_env; i++) {
		free(rc.env[i].name);
		free(rc.env[i].value);
	}
	free(rc.env);
	compare_config_free(&c);
	return tap_done();
}
