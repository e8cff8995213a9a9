#!/bin/bash
# bench-cgroup.sh - what the tree totals cost per tick: the cgroup tier beside the fast tier
#
# Trees of 1, 100 and 500 processes, each measured once with the cgroup
# tier: in the same run memwatch reads the tree totals from the cgroup
# (memory.current each tick, memory.stat at each new high; kernel.
# us_per_tick and stat_us_per_read: the figure is both, as if both were
# read every tick) and every process's statm (the fast tier,
# sampler.fast_us_per_proc_tick, times the processes for a tick). Both are wall time of the same reads in the same VM, so
# their ratio holds under TCG too. The cgroup's cost must not grow with
# the tree, and at 100 processes be at most a tenth of the fast tier's.
# scripts/bench-cgroup runs this alone and prints the figures.
. "$top_srcdir/tests/setup"
. "$top_srcdir/tests/kernel/bed-setup"

run='.configs[0].runs[0]'
declare -A kernel_us fast_us
for n in 1 100 500; do
	r="$TMP/b$n.json"
	"$MEMWATCH" -q --cgroup=require -i 100ms --ready '^ready$' --load 4s --json "$r" -- \
		sh -c "i=1; while [ \$i -lt $n ]; do sleep 600 & i=\$((i+1)); done; echo ready; exec sleep 600" \
		>/dev/null 2>"$TMP/b$n.err"
	ok "[$n] the run used the cgroup tier" test "$(jqf "$run.kernel.tier" "$r")" = cgroup
	procs=$(jqf "$run.max_processes" "$r")
	ok "[$n] all $n processes were in the tree at once" test "${procs:-0}" -ge "$n"
	cur=$(jqf "$run.kernel.us_per_tick" "$r")
	stat=$(jqf "$run.kernel.stat_us_per_read" "$r")
	per=$(jqf "$run.sampler.fast_us_per_proc_tick" "$r")
	# Both totals read at every tick: what the cgroup tier costs at most.
	kernel_us[$n]=$(awk -v c="$cur" -v s="$stat" 'BEGIN { print c + s }')
	fast_us[$n]=$(awk -v p="$per" -v n="$n" 'BEGIN { print p * n }')
	diag "$(printf 'bench-cgroup %s: %4d processes: cgroup %8.2f us/tick (memory.current %.2f + memory.stat %.2f), fast tier %9.2f us/tick (%.3f us/process), ratio %.4f' \
		"$(uname -r)" "$n" "${kernel_us[$n]}" "$cur" "$stat" "${fast_us[$n]}" "$per" \
		"$(awk -v k="${kernel_us[$n]}" -v f="${fast_us[$n]}" 'BEGIN { print (f > 0 ? k / f : 0) }')")"
done
ok "the cgroup's cost does not grow with the tree (500 processes: < 2x that of 1)" \
	awk -v a="${kernel_us[500]}" -v b="${kernel_us[1]}" 'BEGIN { exit !(a < 2 * b) }'
ok "at 100 processes it is at most a tenth of the fast tier's" \
	awk -v k="${kernel_us[100]}" -v f="${fast_us[100]}" 'BEGIN { exit !(k <= f / 10) }'
done_testing
