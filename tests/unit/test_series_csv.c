/* test_series_csv.c - the time series CSV: its header, and each size in its column */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/series_csv.h"
#include "tap.h"

int main(void)
{
	struct series_csv s = { 0 };
	struct sample smp = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!ok(f != NULL, "a memory stream"))
		return tap_done();
	series_csv_header(f);
	series_csv_begin(&s, f, "a,b", 2);
	smp.t_ns = 1500000000ULL;
	smp.processes = 3;
	smp.deep_reads = 4;
	smp.deep_complete = true;
	smp.sum.footprint_bytes = 11;
	smp.sum.rss_bytes = 12;
	smp.sum.anon_bytes = 13;
	smp.sum.file_bytes = 14;
	smp.sum.shmem_bytes = 15;
	smp.sum.swap_bytes = 16;
	smp.sum.pss_bytes = 17;
	smp.sum.uss_bytes = 18;
	smp.sum.lazyfree_bytes = 19;
	series_csv_row(&s, "load", &smp);
	series_csv_end(&s);
	fclose(f);
	is_str(text,
	       "config,run,t_s,phase,processes,footprint_bytes,rss_bytes,anon_bytes,"
	       "file_bytes,shmem_bytes,swap_bytes,pss_bytes,uss_bytes,lazyfree_bytes,"
	       "deep_reads,deep_complete\n"
	       "\"a,b\",2,1.500,load,3,11,12,13,14,15,16,17,18,19,4,1\n",
	       "the header, and a row with each size in its column");
	free(text);
	return tap_done();
}
