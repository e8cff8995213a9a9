#!/bin/bash
# selftest.sh - the kernel test bed: the kernel asked for, and what it offers
#
# The kernel is Debian's package the host fetched; cgroup2 is mounted with
# the memory controller usable in a child cgroup (memory.current,
# memory.peak since 5.19, memory.stat, cgroup.procs); /proc has
# smaps_rollup with Pss_Anon (5.7); and on 6.12 and later, a write to a
# memory.peak fd resets the peak that fd reports, and only that fd's.
. "$top_srcdir/tests/setup"
. "$top_srcdir/tests/kernel/bed-setup"

MIB=1048576
diag "$(cat /proc/version)"

is "$(uname -r)" "$BED_RELEASE" "the kernel running is $BED_RELEASE"
ok "... Debian's $BED_PACKAGE_VERSION" grep -qF "Debian $BED_PACKAGE_VERSION " /proc/version
ok "... of the $BED_SERIES series asked for ($BED_VERSION)" \
	test "${BED_VERSION#"$BED_SERIES".}" != "$BED_VERSION"

# The mounts the bed promises.
mounted() {
	awk -v at="$1" -v type="$2" '$2 == at && $3 == type { found = 1 } END { exit !found }' /proc/mounts
}
ok "cgroup2 is mounted at $CGROUP" mounted "$CGROUP" cgroup2
ok "/tmp and /dev/shm are tmpfs" eval 'mounted /tmp tmpfs && mounted /dev/shm tmpfs'
ok "/proc, /sys and /dev are mounted" eval 'mounted /proc proc && mounted /sys sysfs && mounted /dev devtmpfs'
ok "memory is among the controllers" grep -qw memory "$CGROUP/cgroup.controllers"
ok "... and enabled for child cgroups" grep -qw memory "$CGROUP/cgroup.subtree_control"
ok "/proc/PID/smaps_rollup has Pss_Anon" grep -q '^Pss_Anon:' /proc/$$/smaps_rollup

# A child cgroup, and 64 MiB held in it for a moment.
cg=$(cg_make selftest)
ok "a child cgroup can be made" test -d "$cg"
for f in memory.current memory.peak memory.stat cgroup.procs; do
	ok "it has $f" test -r "$cg/$f"
done
cg_run "$cg" "$HELPERS/mw-spin" mib 64 0.2
ok "a command runs inside it" test $? -eq 0
peak=$(cg_value "$cg" memory.peak)
diag "memory.peak after 64 MiB: $peak"
ok "memory.peak saw the 64 MiB held in it" test "${peak:-0}" -ge $((64 * MIB))
ok "memory.current fell back once it exited (< 8 MiB)" \
	test "$(cg_value "$cg" memory.current)" -lt $((8 * MIB))
ok "memory.stat's anon fell back too (< 1 MiB)" \
	test "$(cg_value "$cg" memory.stat anon)" -lt $MIB
is "$(cat "$cg/cgroup.procs")" "" "cgroup.procs is empty again"

# The fd-local reset of memory.peak: 16 MiB held after a reset shows in the
# fd that reset it as a peak far below the 64 MiB, while a new fd still
# sees the cgroup's 64 MiB.
desc="a write to a memory.peak fd resets the peak that fd reports"
if kernel_at_least 6 12; then
	out=$("$BED_HELPERS/mw-peakfd" "$cg/memory.peak" \
		sh -c 'echo $$ >"$0/cgroup.procs" && exec "$1" mib 16 0.2' "$cg" "$HELPERS/mw-spin")
	ok "$desc (mw-peakfd ran)" test $? -eq 0
	diag "mw-peakfd: $out"
	reset_bytes=$(sed -n 's/.*reset=\([0-9]*\).*/\1/p' <<<"$out")
	after_bytes=$(sed -n 's/.*after=\([0-9]*\).*/\1/p' <<<"$out")
	fresh_bytes=$(sed -n 's/.*fresh=\([0-9]*\).*/\1/p' <<<"$out")
	ok "... to the usage at the reset (< 8 MiB)" test "${reset_bytes:-$((99 * MIB))}" -lt $((8 * MIB))
	ok "... then saw the 16 MiB held after it, not the 64 MiB before" \
		eval 'test "${after_bytes:-0}" -ge $((16 * MIB)) && test "$after_bytes" -lt $((48 * MIB))'
	ok "... while a new fd still reports the cgroup's 64 MiB" test "${fresh_bytes:-0}" -ge $((64 * MIB))
else
	skip "$desc" "memory.peak reset needs Linux >= 6.12, this is $BED_VERSION"
	"$BED_HELPERS/mw-peakfd" "$cg/memory.peak" true 2>"$TMP/peakfd.err"
	is "$?" 2 "before 6.12 memory.peak refuses a write ($(cat "$TMP/peakfd.err"))"
fi

ok "the cgroup can be removed" rmdir "$cg"

done_testing
