#!/bin/bash
# phasehwm.sh - each process's exact peak per phase, on the bed's kernels
#
# mw-phases holds its base rss in the start phase, touches 96 MiB and frees
# it in the load phase (where a child of its touches 32 MiB and exits) and
# holds 24 MiB through two idle windows. With --phase-hwm its VmHWM is
# read and reset (clear_refs, Linux 4.0) at each boundary: each phase's
# peak is the kernel's, within 2% of the bytes plus its base (measured by
# a run that touches 1 MiB in each phase, forking too, whose copied-on-
# write pages are part of the base), and the tree's cgroup counts the same
# phases. Run as another user, memwatch may not reset the VmHWM of a
# process that made itself non-dumpable: its peaks are the sampled ones,
# and say so. The load lasts 4 s: under TCG, touching 152 MiB is slow.
# Before Linux 6.2 each thread caches its rss counts and adds them to its
# address space's every 64 page faults: a process at rest may show up to
# a few hundred KiB less than it holds, so the tolerance is at least 1 MiB
# there.
. "$top_srcdir/tests/setup"
. "$top_srcdir/tests/kernel/bed-setup"

MIB=1048576
LAG=0
kernel_at_least 6 2 || LAG=$MIB
PHASES=(--ready ready --load 4s --idle 1s --checkpoints 2)
run='.configs[0].runs[0]'
root="$run.processes[0]"
peak() { # FILE PHASE: the command's peak in the phase
	jqf "$root.phase_peaks[] | select(.phase == \"$2\") | .hwm_bytes" "$1"
}
exact() {
	jqf "$root.phase_peaks[] | select(.phase == \"$2\") | .exact" "$1"
}

"$MEMWATCH" -q -i 100ms "${PHASES[@]}" --phase-hwm --json "$TMP/base.json" -- \
	"$HELPERS/mw-phases" 1 1 1
base=$(peak "$TMP/base.json" idle_2s)
base=$((${base:-0} - MIB))
diag "base rss of mw-phases: $base"
ok "its base rss is measured (under 8 MiB)" test "$base" -gt 0 -a "$base" -lt $((8 * MIB))

"$MEMWATCH" -i 100ms "${PHASES[@]}" --phase-hwm --json "$TMP/on.json" -o "$TMP/on.txt" -- \
	"$HELPERS/mw-phases" 96 32 24 >/dev/null
ok "--phase-hwm: the run goes through" test $? -eq 0
diag "phase peaks: $(jq -c "$root.phase_peaks" "$TMP/on.json")"
within "$(peak "$TMP/on.json" load)" $((96 * MIB + base)) 2 $LAG \
	"the load phase's exact peak is the 96 MiB touched"
within "$(peak "$TMP/on.json" idle_1s)" $((24 * MIB + base)) 2 $LAG \
	"the first idle window's is the 24 MiB held"
within "$(peak "$TMP/on.json" idle_2s)" $((24 * MIB + base)) 2 $LAG \
	"so is the second's"
is "$(exact "$TMP/on.json" load),$(exact "$TMP/on.json" idle_1s),$(exact "$TMP/on.json" idle_2s)" \
	"true,true,true" "they are marked exact"
within "$(jqf "$root.hwm_bytes" "$TMP/on.json")" $((96 * MIB + base)) 2 $LAG \
	"the whole run's hwm is still the load's peak"
child=$(jqf "$run.processes[1].phase_peaks[] | select(.phase == \"load\") | .hwm_bytes" "$TMP/on.json")
ok "the child born and gone in the load phase has its 32 MiB there" \
	test "${child:-0}" -ge $((32 * MIB)) -a "${child:-0}" -le $((33 * MIB + base))
is "$(jq -r "[$run.kernel.phase_peaks[].phase] | join(\" \")" "$TMP/on.json" | sed 's/ stop$//')" \
	"start load idle_1s idle_2s" "the cgroup's phases are the same phases"
if kernel_at_least 6 12; then
	ok "6.12: the tree's exact load peak holds the command's" \
		test "$(jqf "$run.kernel.phase_peaks[] | select(.phase == \"load\") | .peak_bytes" "$TMP/on.json")" \
		-ge $((96 * MIB))
else
	skip "6.12: the tree's exact load peak holds the command's" "memory.peak resets need Linux 6.12"
fi
ok "the text report has the peak per phase, per process" \
	grep -q "^  peak per phase, per process" "$TMP/on.txt"
"$MEMWATCH" report --markdown "$TMP/on.md" --html "$TMP/on.html" "$TMP/on.json" >/dev/null
ok "the markdown report has the kernel's exact tree peak" \
	grep -q "^| Tree peak (exact, memory.peak" "$TMP/on.md"
ok "... and its peak in each phase" grep -q "^| Peak in load (" "$TMP/on.md"
ok "the HTML report has them too" grep -q "<tr><td>Peak in load (" "$TMP/on.html"

# Refused: memwatch as nobody, the command non-dumpable (its /proc files
# are root's).
chmod 0777 "$TMP"
"$BED_HELPERS/mw-asuser" 65534 "$MEMWATCH" -q --cgroup=off -i 100ms "${PHASES[@]}" --phase-hwm \
	--json "$TMP/refused.json" -- "$HELPERS/mw-phases" --undumpable 96 32 24
ok "refused: the run as another user goes through" test $? -eq 0
diag "refused: $(jq -c "$root.phase_peaks" "$TMP/refused.json")"
is "$(exact "$TMP/refused.json" load),$(exact "$TMP/refused.json" idle_2s)" "false,false" \
	"where the reset is refused, the peaks are marked sampled"
within "$(peak "$TMP/refused.json" idle_2s)" $((24 * MIB + base)) 2 $LAG \
	"... and are the sampled maxima (the idle 24 MiB)"

done_testing
