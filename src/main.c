/* main.c - memwatch: how much memory a program and its whole tree hold
 *
 * A map of the source, by stage: each stage, its entry function, and the
 * files of the stage. A run flows down the list: main picks a command, the
 * command reads its options, run_measure runs the loop that samples the
 * tree, and the result is written and reported; report and diff load
 * results back and go straight to the reports. Each NAME.c has its NAME.h;
 * a header of its own is named as such.
 *
 * Commands: main() -> cmd_run, cmd_compare, cmd_report, cmd_diff
 *   main.c                the command table; anything else is a command to measure
 *   cmd/run.c             memwatch [OPTION]... -- COMMAND: one measured run
 *   cmd/compare.c         memwatch compare: configurations side by side
 *   cmd/report.c          memwatch report: result files rendered again, merged
 *   cmd/diff.c            memwatch diff: two results, their deltas, CI thresholds
 *
 * Options and outputs: run_opts_parse, cli_outputs_open
 *   cli/cli.c             option values, user-facing errors, standard output
 *   cli/run_opts.c        the options every measured run shares (run, compare)
 *   cli/outputs.c         a command's output files, checked, opened, closed as one
 *   cli/alpha.c           the significance level --alpha gives
 *   cli/exitcode.h        memwatch's exit codes
 *
 * Comparing: compare_schedule_run
 *   compare/config.c      -c CONFIG parsed: preset, environment, @COMMAND
 *   compare/presets.c     the allocator presets, found on this machine
 *   compare/allocator.c   the allocator a configuration loads, its version from the library
 *   compare/knobs.c       the tuning variables each allocator version reads
 *   compare/schedule.c    the runs of a comparison, interleaved, warmups first
 *
 * One run: run_measure
 *   run/run.c             the event loop of one run: ticks, signals, stopping
 *   run/state.h           the state of a run, shared by the files below
 *   run/command.c         the command started, its output routed and watched
 *   run/passthru.c        the command's output, passed through line by line
 *   run/phase.c           the phases as a transition table: ready, load, idle
 *   run/drive.c           --drive: the load, kept out of the measured tree
 *   run/statusline.c      the live status line on a terminal
 *   run/stop.c            stopping the tree: signals, SIGKILL, giving up
 *   run/unmapped.c        shared memory on the system that no process maps
 *   run/kcount.c          the kernel's count: the tree's memory cgroup, each tick
 *   run/phasehwm.c        each process's peak in each phase (VmHWM reset)
 *   run/overhead.c        what the run costs memwatch itself
 *   run/assemble.c        the run's result, assembled when it ends
 *
 * Sampling the tree: sampler_tick
 *   sample/tree.c         which processes are the tree, and finding new ones
 *   sample/pidmap.c       the live process records by pid
 *   sample/sampler.c      the fast, status and deep tiers of each tick
 *   sample/proc_sample.h  the sampler's own state of each process
 *   sample/estimate.c     a process's deep metrics between page walks
 *   sample/cadence.c      when the next sample is due
 *   sample/timeline.c     samples folded into peaks, checkpoints, settle, drift
 *   sample/downsample.c   footprint and rss over time, bounded, no peak lost
 *
 * The platform: the seam is probe.h (reading processes and the machine)
 * and supervise.h (starting, signalling and reaping them); mem.h is the
 * metric set every layer shares. Linux is the only backend:
 *   probe.h supervise.h mem.h
 *   linux/probe.c         probe.h on /proc, through kept descriptors and libproc2
 *   linux/procfs.c        pure parsers for the text of /proc files
 *   linux/host.c          the machine: kernel, CPUs, memory, THP mode
 *   linux/hwm.c           a process's VmHWM set back to its rss (clear_refs)
 *   linux/library.c       shared libraries found as the dynamic linker would
 *   linux/supervise.c     spawning, the subreaper, signals, reaping
 *   linux/keeper.c        the keeper: the subreaper of the driver's processes
 *   linux/cgroup.c        a memory cgroup v2 around the tree: made, read, removed
 *   linux/events.c        the run loop's signalfd and timerfd
 *   linux/target.c        signalling the target's group; the null device
 *   linux/self.c          memwatch's own CPU time and peak rss
 *
 * Results: result_json_write, result_load_file
 *   result/result.c       the result model
 *   result/json.c         the result file written (JSON, memwatch-result/1)
 *   result/scan.c         the text of a result file checked before parsing
 *   result/load.c         a result file loaded back: document, hosts, configs
 *   result/load_run.c     ... its runs: peak, checkpoints, processes, sampler
 *   result/walk.c         typed reads of the JSON tree, naming the path
 *   result/message.c      the loader's one-line messages
 *   result/metrics.c      named metrics and their statistics over runs
 *   result/pool.c         the runs of one configuration from several files, pooled
 *   result/stats.c        the Mann-Whitney U test and the shift's interval
 *   result/series_json.c  a run's series in the result file, written and read
 *   result/significance.c whether a metric changed between two sets of runs
 *   result/significance_json.c  ... in the result file's summary
 *
 * Reports: report_text_run, report_table_text, report_diff_text
 *   report/text.c         the human report of one run
 *   report/run_markdown.c ... as markdown, for CI step summaries
 *   report/phase_peaks.c  the peak per phase, per process, as the reports show it
 *   report/sparkline.c    the footprint over a run in one line, on a terminal
 *   report/fit.c          text fitted to a terminal's width: folded, cut
 *   report/table.c        the comparison table, built once as a grid
 *   report/diff.c         diff's table of changes, and the thresholds
 *   report/grid.c         a table as a grid of cells, for every format
 *   report/grid_text.c    ... laid out as aligned text
 *   report/grid_markdown.c  ... as a markdown table
 *   report/grid_csv.c     ... as CSV
 *   report/grid_html.c    ... as an HTML table
 *   report/html.c         the visual report: one self-contained HTML file
 *   report/svg.c          charts of memory over time, as inline SVG
 *   report/series_csv.c   the time series (CSV), streamed
 *
 * Utilities
 *   util/fmt.c            human sizes and durations, escaping
 *   util/parse.c          checked parsing of numbers, durations, signals
 *   util/strv.c           string vectors (argv, environments)
 *   util/clock.h          the monotonic clock
 *   util/xalloc.c         allocation that exits on exhaustion
 *
 * The bundled workload, a program of its own: workload/
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
