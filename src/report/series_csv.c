/* report/series_csv.c - the time series, one CSV row per sample, streamed */
#include "config.h"

#include "report/series_csv.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>

#include "util/fmt.h"

/* The sizes in their CSV columns: each one's name and place in struct mem. */
static const struct series_column {
	const char *name;
	size_t offset;
} mem_columns[] = {
#define SERIES_COLUMN(name, title, csv_column, required) \
	[csv_column] = { #name "_bytes", offsetof(struct mem, name##_bytes) },
	MEM_FIELDS(SERIES_COLUMN)
#undef SERIES_COLUMN
};
_Static_assert(sizeof(mem_columns) / sizeof(mem_columns[0]) == MEM_N_FIELDS,
	       "every size has a CSV column of its own");

void series_csv_header(FILE *f)
{
	size_t i;

	fputs("config,run,t_s,phase,processes", f);
	for (i = 0; i < MEM_N_FIELDS; i++)
		fprintf(f, ",%s", mem_columns[i].name);
	fputs(",deep_reads,deep_complete\n", f);
}

void series_csv_begin(struct series_csv *s, FILE *f, const char *config,
		      unsigned run)
{
	s->f = f;
	s->config_field = f ? fmt_escape(config, ESCAPE_CSV) : NULL;
	s->run = run;
	s->next_flush_ns = 1000000000ULL;
}

void series_csv_row(struct series_csv *s, const char *phase,
		    const struct sample *smp)
{
	const struct mem *m = &smp->sum;
	size_t i;

	if (!s->f)
		return;
	fprintf(s->f, "%s,%u,%.3f,%s,%" PRIu32, s->config_field, s->run,
		(double)smp->t_ns / 1e9, phase, smp->processes);
	for (i = 0; i < MEM_N_FIELDS; i++)
		fprintf(s->f, ",%" PRIu64,
			*(const uint64_t *)((const char *)m + mem_columns[i].offset));
	fprintf(s->f, ",%" PRIu32 ",%d\n", smp->deep_reads, smp->deep_complete);
	/* Whole rows reach the file about once a second, so a memwatch that
	 * is killed outright still leaves the series up to then. */
	if (smp->t_ns >= s->next_flush_ns) {
		fflush(s->f);
		s->next_flush_ns = smp->t_ns + 1000000000ULL;
	}
}

void series_csv_end(struct series_csv *s)
{
	/* No flush here: closing the file flushes and reports the error. */
	free(s->config_field);
	s->config_field = NULL;
}
