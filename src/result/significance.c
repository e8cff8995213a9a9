/* result/significance.c - whether a metric changed between two configurations' runs, and by how much */
#include "config.h"

#include "result/significance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/metrics.h"
#include "result/stats.h"

/* Whether every value is the same. */
static bool no_spread(const double *v, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i] != v[0])
			return false;
	return true;
}

/* The verdict of the test, or of exact values, on samples b and x. */
static void judge(struct significance *s, const double *b, const double *x)
{
	struct stats_utest t;

	/* Runs that all measured the same value (a process count, a size
	 * that does not vary) need no test: two of them on each side are
	 * compared as they are. */
	if (s->n_base >= 2 && s->n_next >= 2 && no_spread(b, s->n_base) &&
	    no_spread(x, s->n_next)) {
		s->verdict = b[0] == x[0] ? SIG_EXACT_SAME : SIG_EXACT_CHANGED;
		s->shift = s->ci_low = s->ci_high = x[0] - b[0];
		s->has_ci = true;
		return;
	}
	s->has_ci = stats_shift_interval(b, s->n_base, x, s->n_next, s->alpha, &s->shift,
					 &s->ci_low, &s->ci_high);
	if (stats_utest_min_p(s->n_base, s->n_next) > s->alpha) {
		s->verdict = SIG_TOO_FEW;
		return;
	}
	stats_utest(b, s->n_base, x, s->n_next, &t);
	s->p = t.p;
	s->verdict = t.p < s->alpha ? SIG_CHANGED : SIG_SAME;
}

bool significance_of(const struct result_config *base, const struct result_config *next,
		     const char *metric, double alpha, struct significance *out)
{
	double *b, *x;

	memset(out, 0, sizeof(*out));
	out->alpha = alpha > 0 ? alpha : SIGNIFICANCE_ALPHA;
	out->p = NAN;
	out->runs_needed = stats_utest_runs_needed(out->alpha);
	out->n_base = metric_values(base, metric, &b);
	out->n_next = metric_values(next, metric, &x);
	if (out->n_base && out->n_next) {
		out->base_median = metric_median(b, out->n_base);
		out->next_median = metric_median(x, out->n_next);
		judge(out, b, x);
	}
	free(b);
	free(x);
	return out->n_base && out->n_next;
}

bool significance_changed(const struct significance *s)
{
	return s->verdict == SIG_CHANGED || s->verdict == SIG_EXACT_CHANGED;
}

const char *significance_name(const struct significance *s)
{
	static const char *const names[] = {
		[SIG_TOO_FEW] = "too_few", [SIG_SAME] = "same", [SIG_CHANGED] = "changed",
		[SIG_EXACT_SAME] = "exact_same", [SIG_EXACT_CHANGED] = "exact_changed",
	};

	return names[s->verdict];
}

void significance_format_p(char *buf, size_t len, double p)
{
	if (p < 0.001)
		snprintf(buf, len, "<0.001");
	else if (p < 0.01)
		snprintf(buf, len, "%.3f", p);
	else
		snprintf(buf, len, "%.2f", p);
}

void significance_format(char *buf, size_t len, const struct significance *s, double pct)
{
	char change[32];

	if (isinf(pct))
		snprintf(change, sizeof(change), "new");
	else if (!isnan(pct))
		snprintf(change, sizeof(change), "%+.1f%%", pct);
	significance_format_change(buf, len, s, isnan(pct) ? NULL : change);
}

/* The verdict in two parts: what leads ("~" for no change, else the
 * change given, or "") and the note after it ("p=0.03", "4 runs needed",
 * "exact"). */
static void verdict_parts(const struct significance *s, const char *what,
			  const char **lead, char *note, size_t len)
{
	char p[16];

	significance_format_p(p, sizeof(p), s->p);
	*lead = what ? what : "";
	switch (s->verdict) {
	case SIG_TOO_FEW:
		snprintf(note, len, "%zu runs needed", s->runs_needed);
		break;
	case SIG_SAME:
	case SIG_CHANGED:
		*lead = s->verdict == SIG_SAME ? "~" : *lead;
		snprintf(note, len, "p%s%s", s->p < 0.001 ? "" : "=", p);
		break;
	case SIG_EXACT_SAME:
	case SIG_EXACT_CHANGED:
		*lead = s->verdict == SIG_EXACT_SAME ? "~" : *lead;
		snprintf(note, len, "exact");
		break;
	}
}

/* The verdict after what leads it, in a parenthesis of its own or
 * joined to it by a comma. */
static void format_verdict(char *buf, size_t len, const struct significance *s,
			   const char *what, bool joined)
{
	const char *lead;
	char note[32];

	verdict_parts(s, what, &lead, note, sizeof(note));
	if (joined)
		snprintf(buf, len, "%s%s%s", lead, *lead ? ", " : "", note);
	else
		snprintf(buf, len, "%s%s(%s)", lead, *lead ? " " : "", note);
}

void significance_format_change(char *buf, size_t len, const struct significance *s,
				const char *what)
{
	format_verdict(buf, len, s, what, false);
}

void significance_format_joined(char *buf, size_t len, const struct significance *s,
				const char *what)
{
	format_verdict(buf, len, s, what, true);
}

bool significance_ci_pct(const struct significance *s, double *lo, double *hi)
{
	if (!s->has_ci || s->base_median == 0)
		return false;
	*lo = 100 * s->ci_low / fabs(s->base_median);
	*hi = 100 * s->ci_high / fabs(s->base_median);
	return true;
}
