/* cli/alpha.h - the significance level an option gives (--alpha) */
#ifndef MEMWATCH_CLI_ALPHA_H
#define MEMWATCH_CLI_ALPHA_H

/* The level in arg ("0.05", "1%"), above 0 and at most 0.5; a usage error
 * naming opt otherwise. */
double cli_alpha(const char *opt, const char *arg);

#endif
