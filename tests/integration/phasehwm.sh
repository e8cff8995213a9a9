#!/bin/bash
# phasehwm.sh - each process's peak in each phase, exact with --phase-hwm
#
# mw-phases holds its base rss in the start phase, touches 96 MiB and frees
# it in the load phase, where a child of its touches 32 MiB and exits, and
# holds 24 MiB through the idle windows. Its base (the program, libc, its
# stack, what its fork copied on write) is measured by a run that touches
# 1 MiB in each phase. With --phase-hwm its VmHWM is reset at each
# boundary: each phase's peak is the kernel's, to within 2% of the known
# bytes plus that base. Before Linux 6.2 each thread caches its rss counts
# and adds them to its address space's every 64 page faults: a process at
# rest may show a few hundred KiB less than it holds, so the tolerance is
# at least 1 MiB there.
. "$top_srcdir/tests/setup"

MIB=1048576
LAG=0
IFS=. read -r major minor _ < <(uname -r)
[ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "${minor%%[!0-9]*}" -ge 2 ]; } || LAG=$MIB
# The load phase lasts 2 s: mw-phases's work in it (96 MiB touched, 0.3 s,
# a child's 32 MiB for 0.3 s) takes 0.7 s, and more than twice that on a
# loaded machine; the child must be gone before the idle windows start.
PHASES=(--ready ready --load 2s --idle 0.5s --checkpoints 2)
run='.configs[0].runs[0]'
root="$run.processes[0]"
peak() { # FILE PHASE [PROCESS]: the process's peak in the phase
	jqf "${3:-$root}.phase_peaks[] | select(.phase == \"$2\") | .hwm_bytes" "$1"
}
exact() {
	jqf "${3:-$root}.phase_peaks[] | select(.phase == \"$2\") | .exact" "$1"
}

"$MEMWATCH" -q -i 50ms "${PHASES[@]}" --phase-hwm --json "$TMP/base.json" -- \
	"$HELPERS/mw-phases" 1 1 1
ok "a run that touches 1 MiB in each phase runs through" test $? -eq 0
base=$(peak "$TMP/base.json" idle_1s)
base=$((${base:-0} - MIB))
diag "base rss of mw-phases: $base"
ok "its base rss is measured (under 8 MiB)" test "$base" -gt 0 -a "$base" -lt $((8 * MIB))

"$MEMWATCH" -i 50ms "${PHASES[@]}" --phase-hwm --json "$TMP/on.json" -o "$TMP/on.txt" -- \
	"$HELPERS/mw-phases" 96 32 24 >/dev/null
ok "--phase-hwm: the run goes through" test $? -eq 0
is "$(jqf "[$root.phase_peaks[].phase] | join(\",\")" "$TMP/on.json" | sed 's/,stop$//')" \
	"start,load,idle_500ms,idle_1s" "the command has a peak in each phase, in order"
within "$(peak "$TMP/on.json" load)" $((96 * MIB + base)) 2 $LAG \
	"the load phase's peak is the 96 MiB touched (and the base)"
within "$(peak "$TMP/on.json" idle_500ms)" $((24 * MIB + base)) 2 $LAG \
	"the first idle window's peak is the 24 MiB held, not the load's 96"
within "$(peak "$TMP/on.json" idle_1s)" $((24 * MIB + base)) 2 $LAG \
	"so is the second's"
is "$(exact "$TMP/on.json" load),$(exact "$TMP/on.json" idle_500ms),$(exact "$TMP/on.json" idle_1s)" \
	"true,true,true" "the load and idle peaks are marked exact"
within "$(jqf "$root.hwm_bytes" "$TMP/on.json")" $((96 * MIB + base)) 2 $LAG \
	"the whole run's hwm is still the load's peak: the resets never lower it"
child="$run.processes[1]"
is "$(jqf "[$child.phase_peaks[].phase] | join(\",\")" "$TMP/on.json")" "load" \
	"the child born and gone in the load phase has a peak there alone"
ok "... of its 32 MiB (within 2% and the base)" awk -v g="$(peak "$TMP/on.json" load "$child")" \
	-v lo=$((32 * MIB)) -v hi=$((32 * MIB * 102 / 100 + base)) 'BEGIN { exit !(g >= lo && g <= hi) }'
ok "the text report has the peak per phase, per process" \
	grep -q "peak per phase, per process" "$TMP/on.txt"
ok "... with each command whole in a file (cut only on a terminal)" \
	sh -c "sed -n '/peak per phase/,/^\$/p' '$TMP/on.txt' | grep -qF '$HELPERS/mw-phases'"
"$MEMWATCH" report --markdown "$TMP/on.md" "$TMP/on.json" >/dev/null
ok "the result file loads back: the markdown report has the table" \
	grep -q "^#### Peak per phase, per process" "$TMP/on.md"
ok "... and says the kernel's count was not had" \
	grep -qF "Kernel count: sampling only (--cgroup=off)." "$TMP/on.md"
"$MEMWATCH" report --html "$TMP/on.html" "$TMP/on.json" >/dev/null
ok "the HTML report has the table" grep -q "<h2>Peak per phase, per process</h2>" "$TMP/on.html"
ok "... and the kernel's count" grep -q "<h2>Kernel count</h2>" "$TMP/on.html"

"$MEMWATCH" -i 50ms "${PHASES[@]}" --json "$TMP/off.json" -o "$TMP/off.txt" -- \
	"$HELPERS/mw-phases" 96 32 24 >/dev/null
ok "without --phase-hwm the run goes through" test $? -eq 0
is "$(jqf "[$run.processes[].phase_peaks[] | select(.exact)] | length" "$TMP/off.json")" 0 \
	"without it no peak per phase is marked exact"
within "$(peak "$TMP/off.json" idle_1s)" $((24 * MIB + base)) 2 $LAG \
	"... and the idle windows' sampled peaks are still the 24 MiB held"
ok "the text report marks them sampled (~)" grep -qE "MiB~" "$TMP/off.txt"
within "$(jqf "$root.hwm_bytes" "$TMP/off.json")" $((96 * MIB + base)) 2 $LAG \
	"the whole run's hwm is the load's peak"

# A process memwatch may not write to: another user's, or (here, with
# memwatch not root) one that made itself non-dumpable.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	chmod 0777 "$TMP"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMWATCH" -q -i 50ms \
		"${PHASES[@]}" --phase-hwm --json "$TMP/refused.json" -- \
		"$HELPERS/mw-phases" --undumpable 96 32 24
	ok "refused: the run goes through" test $? -eq 0
	is "$(exact "$TMP/refused.json" load),$(exact "$TMP/refused.json" idle_1s)" "false,false" \
		"where the reset is refused, the peaks are marked sampled"
	within "$(peak "$TMP/refused.json" idle_1s)" $((24 * MIB + base)) 2 $LAG \
		"... and are the sampled maxima (the idle 24 MiB)"
else
	for d in "refused: the run goes through" "where the reset is refused, the peaks are marked sampled" \
		"... and are the sampled maxima"; do
		skip "$d" "needs root and setpriv to run memwatch as nobody"
	done
fi

# compare takes the run's options: each configuration's runs have them.
"$MEMWATCH" compare -r 1 --warmup 0 -c system -i 50ms "${PHASES[@]}" --phase-hwm \
	--json "$TMP/compare.json" -- "$HELPERS/mw-phases" 96 0 24 >/dev/null 2>&1
is "$(exact "$TMP/compare.json" load),$(exact "$TMP/compare.json" idle_1s)" "true,true" \
	"compare --phase-hwm: exact peaks per phase in its runs"

"$MEMWATCH" --phase-hwm -- true 2>"$TMP/usage.err"
is $? 2 "--phase-hwm without phases is a usage error"
ok "... that says what it needs" grep -q -- "--phase-hwm: needs phases" "$TMP/usage.err"

done_testing
