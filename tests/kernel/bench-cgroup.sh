#!/bin/bash
# bench-cgroup.sh - what the tree totals cost per tick: the cgroup tier beside the fast tier
#
# Trees of 1, 100 and 500 processes, each measured three times (once in
# the bed's every run) with the cgroup tier (medians kept: the emulator's
# timer lands in some reads). In
# the same run memwatch reads the tree totals from the cgroup
# (memory.current each tick, kernel.us_per_tick; memory.stat when the
# charge grew, kernel.stat_us_per_read and stat_reads, its share per tick
# added) and every process's statm (the fast tier,
# sampler.fast_us_per_proc_tick, times the processes for a tick). Both are
# wall time of the same reads in the same VM, so their ratio holds under
# TCG too. memory.current's cost must not grow with the tree, and at 100
# processes be at most a tenth of the fast tier's: scripts/bench-cgroup
# runs this alone, three runs of each size, and checks both. The bed's
# every run measures once and prints the figures.
. "$top_srcdir/tests/setup"
. "$top_srcdir/tests/kernel/bed-setup"

run='.configs[0].runs[0]'
declare -A kernel_us fast_us cur_us
# Once, unmeasured: the first run in a VM pays the emulator's start.
"$MEMWATCH" -q --cgroup=require -i 100ms -- sleep 1 >/dev/null 2>&1

# Three runs of each size when scripts/bench-cgroup asks for this script
# alone; one in the bed's every run (scripts/check), to keep it short.
runs=1
[ "${BED_TESTS:-}" = bench-cgroup.sh ] && runs=3

# The median of the numbers given.
median() {
	printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"
}

for n in 1 100 500; do
	curs=() stats=() reads=() fasts=() pers=()
	for k in $(seq "$runs"); do
		r="$TMP/b$n.$k.json"
		"$MEMWATCH" -q --cgroup=require -i 100ms --ready '^ready$' --load 4s --json "$r" -- \
			sh -c "i=1; while [ \$i -lt $n ]; do sleep 600 & i=\$((i+1)); done; echo ready; exec sleep 600" \
			>/dev/null 2>"$TMP/b$n.err"
		ok "[$n, run $k] the run used the cgroup tier" test "$(jqf "$run.kernel.tier" "$r")" = cgroup
		procs=$(jqf "$run.max_processes" "$r")
		ok "[$n, run $k] all $n processes were in the tree at once" test "${procs:-0}" -ge "$n"
		curs+=("$(jqf "$run.kernel.us_per_tick" "$r")")
		stats+=("$(jqf "$run.kernel.stat_us_per_read" "$r")")
		reads+=("$(jq -r "$run.kernel.stat_reads / $run.sampler.samples" "$r")")
		pers+=("$(jqf "$run.sampler.fast_us_per_proc_tick" "$r")")
	done
	cur_us[$n]=$(median "${curs[@]}")
	stat=$(median "${stats[@]}")
	share=$(median "${reads[@]}")
	per=$(median "${pers[@]}")
	# What a tick of the cgroup tier costs: memory.current, and its share
	# of the memory.stat reads.
	kernel_us[$n]=$(awk -v c="${cur_us[$n]}" -v s="$stat" -v r="$share" 'BEGIN { print c + s * r }')
	fast_us[$n]=$(awk -v p="$per" -v n="$n" 'BEGIN { print p * n }')
	diag "$(printf 'bench-cgroup %s: %4d processes (medians of %d runs): cgroup %8.2f us/tick (memory.current %.2f; memory.stat %.2f a read, %.3f reads a tick), fast tier %9.2f us/tick (%.3f us/process), ratio %.4f' \
		"$(uname -r)" "$n" "$runs" "${kernel_us[$n]}" "${cur_us[$n]}" "$stat" "$share" \
		"${fast_us[$n]}" "$per" \
		"$(awk -v k="${kernel_us[$n]}" -v f="${fast_us[$n]}" 'BEGIN { print (f > 0 ? k / f : 0) }')")"
done
# Every figure was measured: the reads were timed in this VM.
for n in 1 100 500; do
	ok "[$n] memory.current's and the fast tier's cost per tick were measured" \
		awk -v c="${cur_us[$n]}" -v f="${fast_us[$n]}" 'BEGIN { exit !(c > 0 && f > 0) }'
done
# The claims on cost are the benchmark's (scripts/bench-cgroup: three runs
# of each size, medians kept). In the bed's every run there is one run of
# each, and one tick on which the emulator's timer or the busy host lands
# moves a single run's figure by more than the claims' margins: there the
# ratios are printed above, not checked.
if [ "$runs" -ge 3 ]; then
	# memory.current's read does the same work at any size; what varies is
	# the emulator's (and a busy host's) time, so the bound is loose.
	ok "memory.current's cost does not grow with the tree (500 processes: < 5x that of 1)" \
		awk -v a="${cur_us[500]}" -v b="${cur_us[1]}" 'BEGIN { exit !(a < 5 * b) }'
	# memory.stat's reads are few, but one right after the tree forked may
	# flush a great deal (the kernel's per-CPU counters): its cost is shown,
	# and the claim is on the total read at every tick.
	ok "at 100 processes memory.current each tick costs at most a tenth of the fast tier" \
		awk -v k="${cur_us[100]}" -v f="${fast_us[100]}" 'BEGIN { exit !(k <= f / 10) }'
fi
done_testing
