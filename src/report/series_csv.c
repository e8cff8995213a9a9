/* series_csv.c - the time series, one CSV row per sample, streamed */
#include "config.h"

#include "report/series_csv.h"

#include <inttypes.h>
#include <stdlib.h>

#include "util/fmt.h"

void series_csv_header(FILE *f)
{
	fputs("config,run,t_s,phase,processes,footprint_bytes,rss_bytes,"
	      "anon_bytes,file_bytes,shmem_bytes,swap_bytes,pss_bytes,"
	      "uss_bytes,lazyfree_bytes,deep_reads,deep_complete\n", f);
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

	if (!s->f)
		return;
	fprintf(s->f, "%s,%u,%.3f,%s,%" PRIu32 ",%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",%d\n",
		s->config_field, s->run, (double)smp->t_ns / 1e9, phase,
		smp->processes, m->footprint_bytes, m->rss_bytes, m->anon_bytes,
		m->file_bytes, m->shmem_bytes, m->swap_bytes, m->pss_bytes,
		m->uss_bytes, m->lazyfree_bytes, smp->deep_reads,
		smp->deep_complete);
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
