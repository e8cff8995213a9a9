/* report/series_csv.h - the time series, one CSV row per sample, streamed */
#ifndef MEMWATCH_SERIES_CSV_H
#define MEMWATCH_SERIES_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "sample/sampler.h"

/* Rows are written as samples are taken, so memwatch's memory does not
 * grow with run length. */
struct series_csv {
	FILE *f;
	char *config_field;	/* the configuration's name, CSV-escaped */
	unsigned run;
	uint64_t next_flush_ns;
};

void series_csv_header(FILE *f);
/* Prepare rows for one run of one configuration; f may be NULL (no CSV). */
void series_csv_begin(struct series_csv *s, FILE *f, const char *config,
		      unsigned run);
void series_csv_row(struct series_csv *s, const char *phase,
		    const struct sample *smp);
void series_csv_end(struct series_csv *s);

#endif
