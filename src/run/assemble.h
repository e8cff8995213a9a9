/* run/assemble.h - a finished run's result, assembled from what the loop saw */
#ifndef MEMWATCH_ASSEMBLE_H
#define MEMWATCH_ASSEMBLE_H

struct run;

/* Fill the run's result (r->out): its summary, every process seen, and
 * what the sampling cost. Once, after the loop ended. */
void assemble_result(struct run *r);

#endif
