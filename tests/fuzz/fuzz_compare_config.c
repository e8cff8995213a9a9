/* fuzz_compare_config.c - compare_config_parse on any -c CONFIG
 *
 * Checked: a failure says why, in a message that is not empty; a success
 * has a valid name (1 to 40 letters, digits, '_', '-', '+', '.'), something
 * to run differently (a preset, a command or a variable), variables of
 * the form IDENT=VALUE, a preload only from an LD_PRELOAD= among them; and
 * the parts put back together are the spec itself, so that no byte was
 * lost or moved between name, preset, command and variables. */
#include "config.h"

#include "compare/config.h"
#include "fuzz.h"

static bool ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool ident(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static void check_name(const char *name)
{
	size_t n = strlen(name), i;

	FUZZ_ASSERT(n >= 1 && n <= 40);
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(ident(name[i]) || strchr(".-+", name[i]));
}

/* An environment assignment: IDENT=VALUE. */
static void check_assignment(const char *a)
{
	FUZZ_ASSERT(ident_start(*a));
	while (ident(*a))
		a++;
	FUZZ_ASSERT(*a == '=');
}

/* Append s to the growing string *b. */
static void add(char **b, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*b = realloc(*b, *len + n + 1);
	FUZZ_ASSERT(*b);
	memcpy(*b + *len, s, n + 1);
	*len += n;
}

/* The spec put back together from c: NAME, then =PRESET or =@COMMAND if
 * with_value (or =/PATH/LIB.so, a library of one's own), then :VAR=VALUE
 * for each variable. Caller frees. */
static char *rebuild(const struct compare_config *c, bool with_value)
{
	char *b = NULL;
	size_t len = 0, i;

	add(&b, &len, c->name);
	i = 0;
	if (with_value && c->command) {
		add(&b, &len, "=@");
		add(&b, &len, c->command);
	} else if (with_value && c->own_library) {
		/* NAME=/PATH/LIB.so: its LD_PRELOAD is the first variable. */
		add(&b, &len, "=");
		add(&b, &len, c->preload);
		i = 1;
	} else if (with_value) {
		add(&b, &len, "=");
		add(&b, &len, c->preset);
	}
	for (; c->env_set && c->env_set[i]; i++) {
		add(&b, &len, ":");
		add(&b, &len, c->env_set[i]);
	}
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_string(data, size), *bare, *with_value = NULL;
	struct compare_config c;
	bool preloaded = false;
	char err[256] = "";
	size_t i;

	if (compare_config_parse(spec, &c, err, sizeof(err)) < 0) {
		FUZZ_ASSERT(err[0] != '\0');
		compare_config_free(&c);
		free(spec);
		return 0;
	}
	check_name(c.name);
	FUZZ_ASSERT(c.preset || c.command || (c.env_set && c.env_set[0]));
	FUZZ_ASSERT(!(c.preset && c.command));
	for (i = 0; c.env_set && c.env_set[i]; i++) {
		check_assignment(c.env_set[i]);
		if (!strncmp(c.env_set[i], "LD_PRELOAD=", 11))
			preloaded = true;
	}
	FUZZ_ASSERT(!c.preload || preloaded);
	bare = rebuild(&c, false);
	if (c.preset || c.command || c.own_library)
		with_value = rebuild(&c, true);
	FUZZ_ASSERT(!strcmp(spec, bare) || (with_value && !strcmp(spec, with_value)));
	free(bare);
	free(with_value);
	compare_config_free(&c);
	free(spec);
	return 0;
}
