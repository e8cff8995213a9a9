/* main.c - memwatch: how much memory a program and its whole tree hold
 *
 * A map of the source:
 *   main.c           dispatch to a subcommand, exit
 *   cli.c            option values, output files, user-facing errors
 *   cmd_run.c        memwatch [OPTIONS] -- COMMAND: one measured run, and the
 *                    options every run shares
 *   cmd_compare.c    memwatch compare: configurations side by side
 *   cmd_report.c     memwatch report: result files re-rendered and merged
 *   cmd_diff.c       memwatch diff: two results, deltas, CI thresholds
 *   presets.c        the allocator presets, found on this machine
 *   run.c            the event loop of one run: ticks, signals, stopping
 *   supervise.c      spawning the target, subreaper, signals, reaping
 *   tree.c           the processes of the tree and how new ones are found
 *   sampler.c        the fast, status and deep tiers of each tick
 *   timeline.c       samples folded into peaks, checkpoints, settle, drift
 *   phase.c          the phases: ready, load, idle windows
 *   passthru.c       the command's output, passed through and watched
 *   status.c         the live status line on a terminal
 *   probe.h          the platform interface for reading a process
 *   probe-linux.c    its Linux backend: /proc through kept descriptors
 *   procfs.c         parsers for the text of /proc files
 *   result.c         the result model, host description
 *   result_json.c    the result file (JSON)
 *   result_load.c    loading result files back, strictly
 *   metrics.c        named metrics and their statistics over runs
 *   report_text.c    the human report of one run
 *   report_table.c   the comparison table: text, markdown, CSV
 *   series_csv.c     the time series (CSV), streamed
 *   fmt.c            human sizes and durations, escaping
 *   parse.c          checked parsing of numbers, durations, signals
 *   xalloc.c         allocation that exits on exhaustion
 */
#include "config.h"

#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "cmd/compare.h"
#include "cmd/diff.h"
#include "cmd/report.h"
#include "cmd/run.h"

/* A subcommand: memwatch NAME [ARG]... runs entry(argc, argv) with argv[0]
 * the name. */
struct main_cmd {
	const char *name;
	int (*entry)(int argc, char **argv);
	const char *summary;
};

static const struct main_cmd main_cmds[] = {
	{ "compare", cmd_compare, "configurations side by side" },
	{ "report", cmd_report, "result files rendered again, and merged" },
	{ "diff", cmd_diff, "two results: their deltas, and thresholds for CI" },
};

/* The subcommand named name, or NULL. */
static const struct main_cmd *main_find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
		if (!strcmp(main_cmds[i].name, name))
			return &main_cmds[i];
	return NULL;
}

/* A closed standard descriptor would be reused by the first file memwatch
 * opens, and the target would write into a result file. Hold the slot with
 * a read-only /dev/null: writes to it fail, and the failure is reported. */
static void hold_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			if (open("/dev/null", O_RDONLY) < 0)
				_exit(125);
}

int main(int argc, char **argv)
{
	const struct main_cmd *cmd;

	hold_std_fds();
	cmd = argc > 1 ? main_find_cmd(argv[1]) : NULL;
	/* Anything else is a command to measure (a command named like a
	 * subcommand is run as memwatch -- compare ...). */
	if (cmd)
		return cmd->entry(argc - 1, argv + 1);
	return cmd_run(argc, argv);
}
