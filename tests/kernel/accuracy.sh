#!/bin/bash
# accuracy.sh - memwatch against the ruler, in the kernel the bed booted
#
# The same ruler and tolerances as tests/integration/accuracy.sh: mw-tree
# holds a known footprint across a parent, children, a grandchild, a
# double-forked daemon, three processes sharing one memfd and one that
# MADV_FREEs its memory; memwatch's peak footprint must be within
# max(2%, 1 MiB) of it. What /proc reports of each of these (smaps_rollup's
# Pss_Anon and Pss_Shmem, LazyFree, a memfd's sharing) is the kernel's, so
# this is the check that the sampler reads every supported kernel right.
. "$top_srcdir/tests/setup"
. "$top_srcdir/tests/kernel/bed-setup"

MIB=1048576
run='.configs[0].runs[0]'

# Under TCG a page walk of smaps_rollup costs 3 to 20 times what it does on
# the CPU the default budget was set for, more as the host gets busier: the
# budget is raised so far that it does not limit the deep tier, and what is
# checked is what the kernel reports, not the emulator's speed.
budget=()
if [ "$BED_ACCEL" = tcg ]; then
	budget=(--deep-budget=50)
	diag "under TCG: ${budget[*]}"
fi

# Whether GOT is within max(2%, 1 MiB) of WANT, the tolerance of within.
close_to() {
	awk -v g="$1" -v w="$2" -v m=$MIB 'BEGIN {
		tol = w * 2 / 100; if (tol < m) tol = m
		d = g - w; if (d < 0) d = -d
		exit !(d <= tol) }'
}

for interval in 50ms 250ms; do
	r="$TMP/i$interval.json"
	# An emulated CPU on a busy host can take long enough over one sample
	# for the tree to move between the reads of two of its processes (seen
	# once, 7% over, with the host's load average at 12): a peak that is
	# off or unconfirmed is measured once more, and the second run is
	# judged. An error of the kernel's or memwatch's own shows in both.
	for attempt in 1 2; do
		"$MEMWATCH" -q --json "$r" -i "$interval" "${budget[@]}" -- "$HELPERS/mw-tree" \
			--parent 64 --child 32 --child 8 --grandchild 16 --daemon 16 \
			--shared 48 --sharers 3 --lazyfree 32 --hold 1.5 >"$TMP/i$interval.out"
		st=$?
		expected=$(sed -n 's/.*expected_footprint_bytes=\([0-9]*\).*/\1/p' "$TMP/i$interval.out")
		peak=$(jqf "$run.peak.footprint_bytes" "$r" 2>/dev/null)
		uncertain=$(jqf "$run.peak.uncertain_bytes" "$r" 2>/dev/null)
		[ $st -ne 0 ] || [ -z "$expected" ] ||
			{ close_to "${peak:-0}" "$expected" && [ "${uncertain:-0}" -le $MIB ]; } && break
		[ $attempt = 1 ] && diag "[$interval] peak footprint $peak, known total $expected, once more;" \
			"the peak: $(jq -c "$run.peak | {t_s, processes, uncertain_bytes, pss_bytes, shmem_bytes}" "$r")"
	done
	ok "[$interval] the ruler runs to completion" test $st -eq 0
	lazy=$(sed -n 's/.*lazyfree_bytes=\([0-9]*\).*/\1/p' "$TMP/i$interval.out")
	ok "[$interval] the ruler said what it holds" test -n "$expected"
	diag "[$interval] peak footprint $peak, known total $expected"
	within "$peak" "$expected" 2 $MIB "[$interval] tree peak footprint within max(2%, 1 MiB) of the known total"
	ok "[$interval] the peak is confirmed by the deep tier" test "$uncertain" -le $MIB
	[ "$uncertain" -le $MIB ] ||
		diag "$(jq -c "$run | {uncertain: .peak.uncertain_bytes, denied: .peak.deep_denied,
			deep_reads: .sampler.deep_reads, deep_mean_ms: .sampler.deep_mean_ms,
			deep_max_ms: .sampler.deep_max_ms, samples: .sampler.samples}" "$r")"
	ok "[$interval] the nine processes alive together were seen" \
		test "$(jqf "$run.processes_seen" "$r")" -ge 9

	# Shared pages: summed rss counts the memfd four times, pss once.
	prss=$(jqf "$run.peak.rss_bytes" "$r")
	ppss=$(jqf "$run.peak.pss_bytes" "$r")
	ok "[$interval] rss summed exceeds pss summed by the sharing (3 x 48 MiB)" \
		test $((prss - ppss)) -ge $((3 * 48 * MIB * 95 / 100))

	# MADV_FREE: still resident, counted in lazyfree, not in footprint.
	within "$(jqf "$run.peak.lazyfree_bytes" "$r")" "$lazy" 2 $MIB \
		"[$interval] lazyfree at the peak shows the MADV_FREE'd 32 MiB"
	lz='.processes[] | select(.command | contains("role lazyfree"))'
	ok "[$interval] the lazyfree process is resident" \
		test "$(jqf "$run$lz.at_peak.rss_bytes" "$r")" -ge $((32 * MIB))
	ok "[$interval] ... but holds almost nothing (footprint < 1 MiB)" \
		test "$(jqf "$run$lz.at_peak.footprint_bytes" "$r")" -lt $MIB
	ok "[$interval] nothing is left running" \
		none_running mw-tree $(jqf "$run.processes[].pid" "$r")
done

# Stopped by --timeout while everything is held: the exit checkpoint is a
# deep sample of the whole plateau. The timeout leaves the ruler twice the
# time it took to its plateau above, and 2 s at least: an emulated CPU on a
# busy host took 3 s.
ramp_s=$(jqf "$run.peak.t_s" "$TMP/i250ms.json" 2>/dev/null)
held_s=$(awk -v t="${ramp_s:-1}" 'BEGIN { s = int(2 * t + 1.999); print (s < 2 ? 2 : s) }')
diag "the ruler took ${ramp_s:-?} s to its plateau: held for $held_s s"
"$MEMWATCH" -q --json "$TMP/held.json" -t "$held_s" -- "$HELPERS/mw-tree" \
	--parent 64 --child 32 --grandchild 16 --daemon 16 --shared 48 --sharers 3 \
	--lazyfree 32 --hold 60 >"$TMP/held.out"
ok "the held ruler is stopped by --timeout" test $? -eq 124
expected=$(sed -n 's/.*expected_footprint_bytes=\([0-9]*\).*/\1/p' "$TMP/held.out")
cp="$run.checkpoints[] | select(.label == \"exit\")"
within "$(jqf "$cp.footprint_bytes" "$TMP/held.json")" "$expected" 2 $MIB \
	"footprint at the exit checkpoint within max(2%, 1 MiB) of the known total"
is "$(jqf "$cp.deep" "$TMP/held.json")" true "the exit checkpoint is a deep sample of every process"
within "$(jqf "$cp.lazyfree_bytes" "$TMP/held.json")" $((32 * MIB)) 2 $MIB "lazyfree at the exit checkpoint"
ok "nothing is left running" none_running mw-tree $(jqf "$run.processes[].pid" "$TMP/held.json")

done_testing
