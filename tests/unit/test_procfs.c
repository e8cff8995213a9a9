/* test_procfs.c - the /proc text parsers, on real and malformed text */
#include "config.h"

#include <string.h>

#include "linux/procfs.h"
#include "probe.h"
#include "tap.h"

#define KIB 1024ULL

static const char rollup[] =
	"557e0a655000-7fffd986d000 ---p 00000000 00:00 0                          [rollup]\n"
	"Rss:                1724 kB\n"
	"Pss:                 856 kB\n"
	"Pss_Dirty:           112 kB\n"
	"Pss_Anon:            112 kB\n"
	"Pss_File:            744 kB\n"
	"Pss_Shmem:             4 kB\n"
	"Shared_Clean:       1396 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:       216 kB\n"
	"Private_Dirty:       112 kB\n"
	"Referenced:         1724 kB\n"
	"Anonymous:           112 kB\n"
	"KSM:                   0 kB\n"
	"LazyFree:             64 kB\n"
	"AnonHugePages:         0 kB\n"
	"Swap:                  8 kB\n"
	"SwapPss:               4 kB\n"
	"Locked:                0 kB\n";

static const char status[] =
	"Name:\tgrep\n"
	"Umask:\t0022\n"
	"State:\tR (running)\n"
	"PPid:\t4297\n"
	"VmPeak:\t    6000 kB\n"
	"VmHWM:\t    2012 kB\n"
	"VmRSS:\t    2012 kB\n"
	"RssAnon:\t     164 kB\n"
	"RssFile:\t    1848 kB\n"
	"RssShmem:\t       0 kB\n"
	"VmSwap:\t      12 kB\n"
	"Threads:\t3\n";

static int pid_sum;
static void add_pid(pid_t pid, void *arg)
{
	(void)arg;
	pid_sum += pid;
}

int main(void)
{
	struct procfs_statm sm;
	struct procfs_stat st;
	struct procfs_status ss;
	struct procfs_rollup r;
	pid_t last;
	const char *stat_odd =
		"4242 (a) (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 2 0 "
		"123456 1000000 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 "
		"0 0 0 0 0 0 0 0 0 0 0 0 256\n";

	ok(procfs_parse_statm("586 104 81 1 0 56 0\n", 20, &sm), "statm parses");
	is_u64(sm.resident_pages, 104, "statm resident");
	is_u64(sm.shared_pages, 81, "statm shared");
	is_u64(sm.text_pages, 1, "statm text");
	ok(!procfs_parse_statm("586 104", 7, &sm), "short statm is rejected");
	ok(!procfs_parse_statm("", 0, &sm), "empty statm is rejected");
	ok(procfs_parse_statm("0 0 0 0 0 0 0\n", 14, &sm) && sm.resident_pages == 0,
	   "a zombie's statm is zeros");

	ok(procfs_parse_stat(stat_odd, strlen(stat_odd), &st), "stat with ')' in comm");
	is_str(st.comm, "a) (b) c", "comm up to the last ')'");
	ok(st.state == 'S', "state");
	is_u64(st.ppid, 1, "ppid");
	is_u64(st.utime_ticks, 7, "utime");
	is_u64(st.stime_ticks, 3, "stime");
	is_u64(st.num_threads, 2, "threads");
	is_u64(st.start_ticks, 123456, "start time (field 22)");
	ok(st.exit_code == 256, "exit code (field 52): %d", st.exit_code);
	ok(!procfs_parse_stat("12 (x", 5, &st), "unterminated comm is rejected");
	ok(!procfs_parse_stat("12 (x) S 1 2", 12, &st), "stat cut before start time is rejected");

	ok(procfs_parse_status(status, sizeof(status) - 1, &ss), "status parses");
	is_str(ss.name, "grep", "Name");
	is_u64(ss.ppid, 4297, "PPid");
	is_u64(ss.threads, 3, "Threads");
	is_u64(ss.vm_hwm_bytes, 2012 * KIB, "VmHWM in bytes");
	is_u64(ss.rss_anon_bytes, 164 * KIB, "RssAnon");
	is_u64(ss.rss_file_bytes, 1848 * KIB, "RssFile");
	is_u64(ss.vm_swap_bytes, 12 * KIB, "VmSwap");
	ok(ss.has_rss_split, "the rss split is present");
	ok(procfs_parse_status("Name:\tzombie\nState:\tZ (zombie)\n", 30, &ss) &&
	   ss.vm_hwm_bytes == 0, "a zombie's status has no Vm lines");
	ok(!procfs_parse_status("garbage", 7, &ss), "status without Name is rejected");
	{
		static const char twice[] =
			"Name:\tx\nRssAnon:\t1 kB\nRssShmem:\t2 kB\nRssShmem:\t2 kB\n";

		ok(procfs_parse_status(twice, sizeof(twice) - 1, &ss) &&
		   !ss.has_rss_split,
		   "a repeated RssShmem does not stand in for a missing RssFile");
	}

	ok(procfs_parse_rollup(rollup, sizeof(rollup) - 1, &r), "smaps_rollup parses");
	is_u64(r.rss_bytes, 1724 * KIB, "Rss");
	is_u64(r.pss_bytes, 856 * KIB, "Pss");
	is_u64(r.pss_anon_bytes, 112 * KIB, "Pss_Anon");
	is_u64(r.pss_shmem_bytes, 4 * KIB, "Pss_Shmem");
	is_u64(r.private_clean_bytes + r.private_dirty_bytes, 328 * KIB, "uss parts");
	is_u64(r.lazyfree_bytes, 64 * KIB, "LazyFree");
	is_u64(r.swap_pss_bytes, 4 * KIB, "SwapPss");
	ok(r.has_pss_split, "Pss split present");
	ok(!procfs_parse_rollup("Rss: 1 kB\n", 10, &r), "rollup without Pss is rejected");
	{
		static const char twice[] =
			"Rss: 1 kB\nPss: 1 kB\nPss_Anon: 1 kB\n"
			"Pss_Shmem: 1 kB\nPss_Shmem: 1 kB\n";

		ok(procfs_parse_rollup(twice, sizeof(twice) - 1, &r) &&
		   !r.has_pss_split,
		   "a repeated Pss_Shmem does not stand in for a missing Pss_File");
	}
	ok(procfs_parse_rollup("x [rollup]\nRss: 1 kB\nPss: 1 kB\n", 30, &r) &&
	   !r.has_pss_split, "a pre-5.7 rollup has no Pss split");
	ok(procfs_parse_rollup("Rss: 99999999999999999999999 kB\nPss: 1 kB\n", 41, &r) &&
	   r.rss_bytes == UINT64_MAX, "absurd values saturate instead of wrapping");

	ok(procfs_parse_loadavg_last_pid("0.02 0.13 0.08 1/77 3708\n", 25, &last) &&
	   last == 3708, "loadavg last pid");
	ok(!procfs_parse_loadavg_last_pid("3708", 4, &last), "loadavg without fields rejected");
	{
		static const struct {
			const char *text;
			bool ok;
			uint64_t run_ns;
		} cases[] = {
			{ "904348 0 1\n", true, 904348 },
			{ "216090624 7045489 380\n", true, 216090624 },
			{ "18446744073709551615 0 1\n", true, UINT64_MAX },
			{ "99999999999999999999999 0 1\n", true, UINT64_MAX },
			{ "", false, 0 },
			{ "12", false, 0 },
			{ "x 0 1\n", false, 0 },
			{ "-5 0 1\n", false, 0 },
		};
		size_t k;

		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			uint64_t v = 0;
			bool got = procfs_parse_schedstat(cases[k].text, strlen(cases[k].text), &v);

			TEST("schedstat '%.*s': %s", (int)strcspn(cases[k].text, "\n"),
			     cases[k].text, cases[k].ok ? "its run time" : "rejected") {
				check_int(got, ==, cases[k].ok);
				if (got)
					check_u64(v, ==, cases[k].run_ns);
			}
		}
	}

	pid_sum = 0;
	ok(procfs_parse_pids("12 34 56 ", 9, add_pid, NULL) == 3 && pid_sum == 102,
	   "children list");
	ok(procfs_parse_pids("", 0, add_pid, NULL) == 0, "empty children list");
	ok(procfs_parse_pids("12 x4", 5, add_pid, NULL) == -1, "malformed children list");
	ok(procfs_parse_pids("0", 1, add_pid, NULL) == -1, "pid 0 is malformed");

	{
		struct cgroup_stat cs;

		/* Linux 5.18 and later: a kernel line of its own. */
		ok(cgroup_stat_parse("anon 4096\nfile 8192\nkernel 300\nkernel_stack 16\n"
				     "sock 5\nshmem 4096\nfile_mapped 12\n", &cs) &&
		   cs.anon_bytes == 4096 && cs.file_bytes == 8192 && cs.kernel_bytes == 300 &&
		   cs.sock_bytes == 5 && cs.shmem_bytes == 4096 && cs.file_mapped_bytes == 12,
		   "memory.stat: each total by its key");
		/* Before: the kernel's parts summed. */
		ok(cgroup_stat_parse("anon 1\nkernel_stack 16\npagetables 32\npercpu 8\n"
				     "slab 64\nslab_reclaimable 40\n", &cs) && cs.kernel_bytes == 120,
		   "memory.stat without kernel: stacks, page tables, percpu and slab summed");
		ok(!cgroup_stat_parse("file 1\n", &cs), "memory.stat without anon is refused");
	}
	return tap_done();
}
