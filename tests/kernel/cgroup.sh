#!/bin/bash
# cgroup.sh - the cgroup tier: the kernel's exact count of the tree
#
# memwatch --cgroup=require starts the command in a memory cgroup of its
# own. The cases a sampler cannot see (a command shorter than the interval,
# short-lived children, a tmpfs file no process maps, a thread's child)
# must have their exact tree peak (memory.peak) within 1% of what they are
# known to hold; on 6.12 a run with a load phase and two idle windows has
# an exact peak per phase matching its schedule (memory.peak fd resets),
# and on older kernels the phase peaks are labelled as sampled. memwatch
# removes its cgroup at the end.
. "$top_srcdir/tests/setup"
. "$top_srcdir/tests/kernel/bed-setup"

MIB=1048576
run='.configs[0].runs[0]'
spin="$HELPERS/mw-spin"
edge="$HELPERS/mw-edge"
k="$run.kernel"

no_cgroup_left() {
	! ls -d "$CGROUP"/memwatch-* >/dev/null 2>&1
}

# One measured run of CMD with the tier required; NAME.json and NAME.txt.
measure() {
	local name=$1
	shift
	"$MEMWATCH" --cgroup=require -i 250ms --json "$TMP/$name.json" -o "$TMP/$name.txt" \
		-- "$@" >/dev/null 2>"$TMP/$name.err"
	local rc=$?
	[ -s "$TMP/$name.err" ] && diag "$name: $(cat "$TMP/$name.err")"
	return $rc
}

# The exact peak of a case that holds MIB MiB at its height.
case_peak() {
	local name=$1 mib=$2 desc=$3
	ok "$desc: the run used the cgroup tier" \
		test "$(jqf "$k.tier" "$TMP/$name.json")" = cgroup
	peak=$(jqf "$k.peak_bytes" "$TMP/$name.json")
	diag "$desc: memory.peak $peak, ruler $((mib * MIB))"
	within "${peak:-0}" $((mib * MIB)) 1 0 "$desc: the exact tree peak is within 1% of $mib MiB"
	ok "$desc: the cgroup is removed" no_cgroup_left
}

measure short "$spin" mib 300 0
ok "a command shorter than a tick runs" test $? -eq 0
case_peak short 300 "300 MiB for an instant"
ok "... the text report shows the kernel's peak as exact" \
	grep -q '^  tree peak (kernel)  *charged .*exact (memory.peak)' "$TMP/short.txt"
ok "... beside the sampled footprint, not in its place" \
	grep -q '^  tree peak (sampled) ' "$TMP/short.txt"

measure children sh -c "for i in 1 2 3; do '$spin' mib 300 0; done"
case_peak children 300 "three short-lived children of 300 MiB"
ok "... all four processes are cgroup members" \
	test "$(jqf "$k.members" "$TMP/children.json")" -ge 4

shm=/dev/shm/mw-cgroup-$$
measure shm sh -c "dd if=/dev/zero of=$shm bs=64k count=4800 2>/dev/null; sleep 0.6; rm -f $shm"
case_peak shm 300 "a 300 MiB /dev/shm file no process maps"
split=$(jqf "$k.split.current_bytes" "$TMP/shm.json")
diag "shm: memory.stat read at $split: shmem $(jqf "$k.split.shmem_bytes" "$TMP/shm.json")"
ok "... memory.stat was read close to the peak (>= 200 MiB charged)" test "$split" -ge $((200 * MIB))
ok "... and the charge then was the file's: shmem >= 95% of it" \
	test "$(jqf "$k.split.shmem_bytes" "$TMP/shm.json")" -ge $((split * 95 / 100))

measure thread "$edge" thread-fork "$spin" mib 300 0
case_peak thread 300 "a thread's child holding 300 MiB"

# Phases: 300 MiB during the load, 150 MiB through two idle windows. The
# load ends when the 300 MiB are gone (the driver waits for the command's
# word), not after a fixed time: under TCG on a busy host, touching them
# took seconds, and a fixed load could end with them still held.
"$MEMWATCH" --cgroup=require -i 250ms --idle 2s --checkpoints 2 \
	--drive "while [ ! -e '$TMP/ph.gone' ]; do sleep 0.1; done" \
	--json "$TMP/ph.json" -o "$TMP/ph.txt" -- \
	sh -c "'$spin' mib 300 1; : >'$TMP/ph.gone'; exec '$spin' mib 150 30" >/dev/null 2>&1
ok "a run with a load and two idle windows" test -s "$TMP/ph.json"
phase_peak() {
	jq -r "$k.phase_peaks[] | select(.phase == \"$1\") | .peak_bytes" "$TMP/ph.json"
}
diag "phase peaks: $(jq -c "$k.phase_peaks" "$TMP/ph.json")"
if kernel_at_least 6 12; then
	is "$(jqf "$k.phase_peaks_exact" "$TMP/ph.json")" true \
		"6.12: the phase peaks are exact (memory.peak fd resets)"
	within "$(phase_peak load)" $((300 * MIB)) 1 0 "6.12: load's exact peak is 300 MiB"
	within "$(phase_peak idle_2s)" $((150 * MIB)) 1 0 "6.12: idle_2s's exact peak is 150 MiB"
	within "$(phase_peak idle_4s)" $((150 * MIB)) 1 0 "6.12: idle_4s's exact peak is 150 MiB"
	is "$(jqf "$k.peak_phase" "$TMP/ph.json")" load "6.12: the tree peak is placed in load"
	ok "6.12: ... and the report says so" \
		grep -q '^  tree peak (kernel)  *charged .* exact (memory.peak), in load$' "$TMP/ph.txt"
	ok "6.12: the report says exact" grep -q '^  peak per phase (exact) load ' "$TMP/ph.txt"
else
	is "$(jqf "$k.phase_peaks_exact" "$TMP/ph.json")" false \
		"before 6.12: no memory.peak fd reset, the phase peaks are sampled"
	ok "before 6.12: the report labels them sampled" \
		grep -q '^  peak per phase (sampled)' "$TMP/ph.txt"
	ok "before 6.12: load's sampled peak is no more than the exact tree peak" \
		test "$(phase_peak load)" -le "$(jqf "$k.peak_bytes" "$TMP/ph.json")"
fi
phases=$(jq -r "[$k.phase_peaks[].phase] | join(\" \")" "$TMP/ph.json")
ok "the phases: load, the two idle windows (and stop, if a tick saw the tree stopped)" \
	test "${phases% stop}" = "load idle_2s idle_4s"
ok "the phase run's cgroup is removed" no_cgroup_left

# memory.peak is there from 5.19: both kernels of the bed have it.
ok "memory.peak was read (Linux >= 5.19)" \
	test "$(jqf "$k.peak_bytes" "$TMP/short.json")" != null

# The result loads back, and report shows the same lines.
"$MEMWATCH" report "$TMP/ph.json" >"$TMP/ph.again.txt" 2>&1
ok "report reads the kernel's count back" grep -q '^  tree peak (kernel)' "$TMP/ph.again.txt"

# --cgroup=off: no cgroup, no notice; auto here: the cgroup, no notice.
"$MEMWATCH" -q --cgroup=off --json "$TMP/off.json" -- "$spin" mib 16 0 2>"$TMP/off.err"
is "$(jqf "$k.tier" "$TMP/off.json")" sampling "--cgroup=off: the sampling tier"
"$MEMWATCH" -q --json "$TMP/auto.json" -- "$spin" mib 16 0 2>"$TMP/auto.err"
is "$(jqf "$k.tier" "$TMP/auto.json")" cgroup "--cgroup=auto takes the cgroup where it can"
is "$(cat "$TMP/auto.err")" "" "... and says nothing on stderr"

# memwatch alone in a cgroup without memory for its children: it moves
# into a leaf of its own, enables memory, and undoes both at the end.
cg=$(cg_make mw-solo)
cg_run "$cg" "$MEMWATCH" -q --cgroup=require --json "$TMP/solo.json" -- "$spin" mib 64 0
ok "memwatch alone in its cgroup: the run used the cgroup tier" \
	test "$(jqf "$k.tier" "$TMP/solo.json")" = cgroup
ok "... in a cgroup below its own" grep -q '^/mw-solo/memwatch-[0-9]*$' <<<"$(jqf "$k.cgroup" "$TMP/solo.json")"
within "$(jqf "$k.peak_bytes" "$TMP/solo.json")" $((64 * MIB)) 3 0 "... its exact peak: 64 MiB"
is "$(find "$cg" -mindepth 1 -type d | wc -l)" 0 "... and its leaf and the tree's cgroup are removed"
is "$(cat "$cg/cgroup.subtree_control")" "" "... and memory is disabled again where it enabled it"

# --attach: the target's cgroup, when it holds the tree alone.
cg=$(cg_make mw-attach-alone)
cg_run "$cg" "$spin" mib 64 4 &
# (Waited for, not slept on: under TCG the process may take a second to be
# in its cgroup and to become mw-spin.)
pid=
for _ in $(seq 300); do
	pid=$(cat "$cg/cgroup.procs")
	[ -n "$pid" ] && wait_exec "$pid" "^$spin mib 64 4" && break
	sleep 0.1
done
"$MEMWATCH" -q --attach "$pid" --json "$TMP/att.json" 2>"$TMP/att.err"
is "$(jqf "$k.tier" "$TMP/att.json")" cgroup "--attach: the target's own cgroup is read"
is "$(jqf "$k.cgroup" "$TMP/att.json")" /mw-attach-alone "... it is the target's"
if kernel_at_least 6 12; then
	within "$(jqf "$k.peak_bytes" "$TMP/att.json")" $((64 * MIB)) 2 0 \
		"6.12: --attach: the peak since memwatch came (a reset fd), 64 MiB"
else
	is "$(jqf "$k.peak_bytes" "$TMP/att.json")" null \
		"before 6.12: --attach: no exact peak (memory.peak counts from before memwatch)"
fi
ok "--attach: the target's cgroup is left in place" test -d "$cg"
wait
cg=$(cg_make mw-attach-shared)
cg_run "$cg" sleep 6 &
cg_run "$cg" "$spin" mib 16 3 &
pid=
for _ in $(seq 300); do
	pid=$(pgrep -f "mw-spin mib 16 3" | head -1)
	[ -n "$pid" ] && wait_exec "$pid" "^$spin mib 16 3" && break
	sleep 0.1
done
"$MEMWATCH" -q --attach "$pid" --json "$TMP/att2.json" 2>"$TMP/att2.err"
is "$(jqf "$k.tier" "$TMP/att2.json")" sampling "--attach: a cgroup shared with others is not used"
ok "... and the result says why" \
	grep -q 'holds 1 process besides the tree' <<<"$(jqf "$k.note" "$TMP/att2.json")"
diag "$(jqf "$k.note" "$TMP/att2.json")"
wait

done_testing
