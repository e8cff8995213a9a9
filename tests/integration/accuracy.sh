#!/bin/bash
# accuracy.sh - memwatch against the ruler: a tree holding a known amount
#
# mw-tree holds a known footprint across a parent, two children, a
# grandchild, a double-forked daemon, three processes sharing one memfd
# and one that MADV_FREEs its memory, and says so on a ready line.
# Tolerance: max(2%, 1 MiB) of the known total. What is not in the known
# total is each process's own stack, libc data and page tables' worth of
# anon pages: about 100 KiB per process here, 1 MiB for all ten at most.
. "$top_srcdir/tests/setup"

MIB=1048576
run_ruler() {
	local name=$1
	shift
	"$MEMWATCH" -q --json "$TMP/$name.json" "$@" -- "$HELPERS/mw-tree" \
		--parent 64 --child 32 --child 8 --grandchild 16 --daemon 16 \
		--shared 48 --sharers 3 --lazyfree 32 --hold 1.5 >"$TMP/$name.out"
}

for interval in 50ms 250ms; do
	run_ruler "i$interval" -i "$interval"
	ok "[$interval] the ruler runs to completion" test $? -eq 0
	r="$TMP/i$interval.json"
	run='.configs[0].runs[0]'
	expected=$(sed -n 's/.*expected_footprint_bytes=\([0-9]*\).*/\1/p' "$TMP/i$interval.out")
	lazy=$(sed -n 's/.*lazyfree_bytes=\([0-9]*\).*/\1/p' "$TMP/i$interval.out")
	ok "[$interval] the ruler said what it holds" test -n "$expected"
	peak=$(jqf "$run.peak.footprint_bytes" "$r")
	diag "[$interval] peak footprint $peak, known total $expected"
	within "$peak" "$expected" 2 $MIB "[$interval] tree peak footprint within max(2%, 1 MiB) of the known total"
	ok "[$interval] the peak is confirmed by the deep tier" \
		test "$(jqf "$run.peak.uncertain_bytes" "$r")" -le $MIB

	# Every process of the tree is in the result, the daemon included.
	for role in 'role child --mib 32' 'role child --mib 8' 'role grandchild' \
		'role daemon' 'role lazyfree'; do
		n=$(jqf "[$run.processes[] | select(.command | contains(\"$role\"))] | length" "$r")
		is "$n" 1 "[$interval] the $role process is in the result"
	done
	is "$(jqf "[$run.processes[] | select(.command | contains(\"role sharer\"))] | length" "$r")" 3 \
		"[$interval] all three sharers are in the result"
	ok "[$interval] the nine processes alive together were seen" \
		test "$(jqf "$run.processes_seen" "$r")" -ge 9
	daemon_hwm=$(jqf "$run.processes[] | select(.command | contains(\"role daemon\")) | .hwm_bytes" "$r")
	ok "[$interval] the daemon's peak covers its 16 MiB" test "$daemon_hwm" -ge $((16 * MIB))

	# Shared pages: summed rss counts the memfd four times, pss once.
	prss=$(jqf "$run.peak.rss_bytes" "$r")
	ppss=$(jqf "$run.peak.pss_bytes" "$r")
	ok "[$interval] rss summed exceeds pss summed by the sharing (3 x 48 MiB)" \
		test $((prss - ppss)) -ge $((3 * 48 * MIB * 95 / 100))

	# MADV_FREE: still resident, counted in lazyfree, not in footprint.
	plazy=$(jqf "$run.peak.lazyfree_bytes" "$r")
	within "$plazy" "$lazy" 2 $MIB "[$interval] lazyfree at the peak shows the MADV_FREE'd 32 MiB"
	lz='.processes[] | select(.command | contains("role lazyfree"))'
	ok "[$interval] the lazyfree process is resident" \
		test "$(jqf "$run$lz.at_peak.rss_bytes" "$r")" -ge $((32 * MIB))
	ok "[$interval] ... but holds almost nothing (footprint < 1 MiB)" \
		test "$(jqf "$run$lz.at_peak.footprint_bytes" "$r")" -lt $MIB

	ok "[$interval] Σ per-process peak is an upper bound of the tree's rss" \
		test "$(jqf "$run.sum_proc_peak_bytes" "$r")" -ge "$prss"
	is "$(jqf "[$run.processes[] | select(.end_s == null)] | length" "$r")" 0 \
		"[$interval] every process has an end time"
	ok "[$interval] nothing is left running" \
		none_running mw-tree $(jqf "$run.processes[].pid" "$r")
done

# Stopped by --timeout while everything is held, the exit checkpoint is a
# deep sample of the whole plateau.
"$MEMWATCH" -q --json "$TMP/held.json" -t 2s -- "$HELPERS/mw-tree" \
	--parent 64 --child 32 --grandchild 16 --daemon 16 --shared 48 --sharers 3 \
	--lazyfree 32 --hold 60 >"$TMP/held.out"
ok "the held ruler is stopped by --timeout" test $? -eq 124
expected=$(sed -n 's/.*expected_footprint_bytes=\([0-9]*\).*/\1/p' "$TMP/held.out")
cp='.configs[0].runs[0].checkpoints[] | select(.label == "exit")'
within "$(jqf "$cp.footprint_bytes" "$TMP/held.json")" "$expected" 2 $MIB \
	"footprint at the exit checkpoint within max(2%, 1 MiB) of the known total"
is "$(jqf "$cp.deep" "$TMP/held.json")" true "the exit checkpoint is a deep sample of every process"
within "$(jqf "$cp.lazyfree_bytes" "$TMP/held.json")" $((32 * MIB)) 2 $MIB "lazyfree at the exit checkpoint"
ok "nothing is left running" none_running mw-tree $(jqf '.configs[0].runs[0].processes[].pid' "$TMP/held.json")

# Each process's peak is its own: a shell is not credited with the 64 MiB
# its child held (wait4's peak of the shell would be the child's).
"$MEMWATCH" -q -i 50ms --json "$TMP/own.json" -- sh -c '"$0" mib 64 0.5; true' "$HELPERS/mw-spin"
ok "the shell's peak is its own (< 8 MiB)" \
	test "$(jqf '.configs[0].runs[0].processes[0].hwm_bytes' "$TMP/own.json")" -lt $((8 * MIB))
ok "... and its child's covers the 64 MiB" \
	test "$(jqf '.configs[0].runs[0].processes[1].hwm_bytes' "$TMP/own.json")" -ge $((64 * MIB))

# A wide tree: 100 children alive at once are all seen and summed; three
# more forked once it is wide are found by looking at the new pids alone.
# The sleeps last until the shell ends them, once the late ones have been
# up for a second: on a loaded machine forking the hundred alone can take
# longer than a sleep of fixed length would last.
"$MEMWATCH" -q -i 50ms --json "$TMP/wide.json" -- sh -c '
	i=0; while [ $i -lt 100 ]; do sleep 60 & pids="$pids $!"; i=$((i+1)); done
	sleep 0.7; for i in 1 2 3; do sleep 60 & pids="$pids $!"; done
	sleep 1; kill $pids; wait; true'
ok "a tree of 100 sleeps exits 0" test $? -eq 0
ok "all 105 processes were seen" test "$(jqf '.configs[0].runs[0].processes_seen' "$TMP/wide.json")" -ge 105
ok "104 were alive at one sample" test "$(jqf '.configs[0].runs[0].max_processes' "$TMP/wide.json")" -ge 104
ok "the late ones were found through their new pids, not 100 children lists" \
	test "$(jqf '.configs[0].runs[0].sampler.pid_probes' "$TMP/wide.json")" -ge 1

done_testing
