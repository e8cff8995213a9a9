/* cli/outputs.c - the files a command writes, as one set: checked, opened and closed together */
#include "config.h"

#include "cli/outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/xalloc.h"

void cli_outputs_add(struct cli_outputs *s, struct cli_output *o)
{
	/* More outputs than any command has: a bug, not a user's error. */
	if (s->n == CLI_OUTPUTS_MAX)
		abort();
	s->named[s->n] = o;
	s->out[s->n++] = o;
}

void cli_outputs_add_report(struct cli_outputs *s, struct cli_output *o)
{
	cli_outputs_add(s, o);
	s->report = o;
}

void cli_outputs_add_named_before(struct cli_outputs *s, struct cli_output *o,
				  const struct cli_output *next)
{
	size_t i, at;

	for (at = 0; at < s->n && s->named[at] != next; at++)
		;
	cli_outputs_add(s, o);
	for (i = s->n - 1; i > at; i--)
		s->named[i] = s->named[i - 1];
	s->named[at] = o;
}

static bool is_stdout(const struct cli_output *o)
{
	return o->path && strcmp(o->path, "-") == 0;
}

void cli_outputs_check(const struct cli_outputs *s)
{
	char *names = xstrdup(""), *next;
	size_t i, on_stdout = 0;

	for (i = 0; i < s->n; i++)
		on_stdout += is_stdout(s->named[i]);
	if (on_stdout <= 1) {
		free(names);
		return;
	}
	/* "--json, --csv and --output" */
	for (i = 0; i < s->n; i++) {
		next = xasprintf("%s%s%s", names, !i ? "" : i + 1 < s->n ? ", " : " and ",
				 s->named[i]->opt);
		free(names);
		names = next;
	}
	cli_usage_error("only one of %s can be - (standard output)", names);
}

/* Open o for writing, if it was asked for; a usage error if it cannot be. */
/* Open path for writing, as fopen's "w" would; *created says whether the
 * file is new. Only a file memwatch created is removed when a run is
 * discarded: a path that was already there (a device such as /dev/null,
 * a named pipe, a file the user keeps) is never unlinked. */
static FILE *open_new_or_existing(const char *path, bool *created)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	FILE *f;

	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

static void output_open(struct cli_output *o)
{
	if (!o->path)
		return;
	if (!*o->path)
		cli_usage_error("%s: the file name is empty (give a path, or - for standard output)",
				o->opt);
	if (is_stdout(o)) {
		o->f = stdout;
		return;
	}
	o->f = open_new_or_existing(o->path, &o->created);
	if (!o->f)
		cli_usage_error("%s: cannot write '%s': %s", o->opt, o->path,
				strerror(errno));
}

void cli_outputs_open(struct cli_outputs *s, bool quiet)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		output_open(s->out[i]);
	if (!s->report || s->report->path || quiet)
		return;
	/* Standard output may carry one output only: a machine-readable one
	 * there leaves the report out. */
	for (i = 0; i < s->n; i++)
		if (s->out[i]->f == stdout)
			return;
	s->report->f = stdout;
}

void cli_output_failed(struct cli_output *o, int err)
{
	if (!o->err)
		o->err = err ? err : EIO;
}

/* Flush and close o; on a write error print it and return false. */
static bool output_close(struct cli_output *o)
{
	bool ok = !o->err;

	if (!o->f)
		return true;
	if (o->f == stdout) {
		/* Flushed and checked once for all of stdout by
		 * cli_close_stdout, which can then name the error. */
		o->f = NULL;
		return true;
	}
	if (ferror(o->f))
		ok = false;
	errno = 0;
	if (fclose(o->f) != 0)
		ok = false;
	if (!ok)
		cli_warn("%s: write error on '%s': %s", o->opt, o->path,
			 strerror(o->err ? o->err : errno ? errno : EIO));
	o->f = NULL;
	return ok;
}

bool cli_outputs_close(struct cli_outputs *s)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < s->n; i++)
		ok &= output_close(s->out[i]);
	ok &= cli_close_stdout();
	return ok;
}

void cli_output_discard(struct cli_output *o)
{
	if (!o->f || o->f == stdout) {
		o->f = NULL;
		return;
	}
	fclose(o->f);
	o->f = NULL;
	if (o->created)
		unlink(o->path);
}
