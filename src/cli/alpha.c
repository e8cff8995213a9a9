/* cli/alpha.c - the significance level an option gives (--alpha) */
#include "config.h"

#include "cli/alpha.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "cli/cli.h"

double cli_alpha(const char *opt, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end != arg && *end == '%' && !end[1]) {
		v /= 100;
		end++;
	}
	/* Above 0.5, a two-sided test would call noise a change more often
	 * than not. */
	if (errno || end == arg || *end || !isfinite(v) || v <= 0 || v > 0.5)
		cli_usage_error("%s: '%s' is not a significance level above 0 and at most 0.5 "
				"(e.g. 0.05 or 1%%)", opt, arg);
	return v;
}
