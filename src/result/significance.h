/* result/significance.h - whether a metric changed between two configurations' runs, and by how much
 *
 * The runs of a configuration and of its baseline are two samples; a
 * change is called one only when the Mann-Whitney U test says so at the
 * level alpha, and its confidence interval is the Hodges-Lehmann one. */
#ifndef MEMWATCH_RESULT_SIGNIFICANCE_H
#define MEMWATCH_RESULT_SIGNIFICANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "result/result.h"

#define SIGNIFICANCE_ALPHA 0.05	/* the default level */

enum significance_verdict {
	SIG_TOO_FEW,		/* too few runs to ever reach alpha */
	SIG_SAME,		/* no significant change */
	SIG_CHANGED,		/* a significant change */
	SIG_EXACT_SAME,		/* no spread on either side, the same value */
	SIG_EXACT_CHANGED,	/* no spread on either side, another value */
};

struct significance {
	enum significance_verdict verdict;
	double alpha;
	size_t n_base, n_next;
	double p;		/* two-sided; NAN when not tested */
	size_t runs_needed;	/* per side, to reach alpha */
	double base_median, next_median;
	/* The shift from base to next (Hodges-Lehmann) in the metric's unit,
	 * and its interval at 1 - alpha, if has_ci. */
	double shift, ci_low, ci_high;
	bool has_ci;
};

/* The metric's change from base's runs to next's; false if either lacks
 * it. alpha of 0 is SIGNIFICANCE_ALPHA. */
bool significance_of(const struct result_config *base, const struct result_config *next,
		     const char *metric, double alpha, struct significance *out);

/* Whether the verdict is a change (tested or exact). */
bool significance_changed(const struct significance *s);

/* The verdict's name in CSV and JSON: "changed", "same", "too_few",
 * "exact_changed", "exact_same". */
const char *significance_name(const struct significance *s);

/* The change as a table shows it: "+41.2% (p=0.002)", "~ (p=0.40)",
 * "+6.2% (exact)", "+6.2% (4 runs needed)"; pct is the change of the
 * median in percent, NAN if it has none (only the verdict is shown). */
void significance_format(char *buf, size_t len, const struct significance *s, double pct);

/* The same with the change as given ("+2.00 KiB/min"; NULL: none). */
void significance_format_change(char *buf, size_t len, const struct significance *s,
				const char *change);

/* The same as one parenthesis holds it, with no parenthesis of its own:
 * "+19.8%, p=0.03", "~, p=0.40", "+6.2%, 4 runs needed". */
void significance_format_joined(char *buf, size_t len, const struct significance *s,
				const char *change);

/* A p-value as tables show it: "0.002", "0.40", "<0.001". */
void significance_format_p(char *buf, size_t len, double p);

/* The interval in percent of the base's median; false if there is none
 * (no interval, or a base median of 0). */
bool significance_ci_pct(const struct significance *s, double *lo, double *hi);

#endif
