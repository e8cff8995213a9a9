#!/bin/bash
# cgroup.sh - --cgroup on a host where memwatch may not have a memory cgroup
#
# Never makes or changes a cgroup: where a memory cgroup v2 could be had
# (cgroup2 with the memory controller in memwatch's cgroup), the runs that
# would make one are skipped; tests/kernel/cgroup.sh covers them, in a VM.
. "$top_srcdir/tests/setup"

spin="$HELPERS/mw-spin"
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
v2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
if [ -n "$v2" ] && [ -n "$own" ] && grep -qw memory "$v2$own/cgroup.controllers" 2>/dev/null; then
	diag "cgroup v2 with memory at $v2$own: runs that would make a cgroup are skipped"
	skip "--cgroup=auto falls back with one notice line" "this host has a memory cgroup v2"
	skip "--cgroup=require exits 2" "this host has a memory cgroup v2"
else
	"$MEMWATCH" --cgroup=auto --json "$TMP/auto.json" -- "$spin" mib 8 0 >"$TMP/auto.txt" 2>"$TMP/auto.err"
	ok "--cgroup=auto without a memory cgroup v2: the run goes on" test $? -eq 0
	is "$(grep -c 'sampling only' "$TMP/auto.txt")" 1 "... with one notice line, in the report"
	diag "$(grep 'sampling only' "$TMP/auto.txt")"
	ok "... that says why" grep -q '^  kernel count           sampling only: .*cgroup' "$TMP/auto.txt"
	is "$(cat "$TMP/auto.err")" "" "... and nothing on stderr, which stays the command's"
	is "$(jqf '.configs[0].runs[0].kernel.tier' "$TMP/auto.json")" sampling \
		"... the result file says the tier: sampling"
	ok "... and why" test "$(jqf '.configs[0].runs[0].kernel.note' "$TMP/auto.json")" != null

	"$MEMWATCH" --cgroup=require --json "$TMP/req.json" -- "$spin" mib 8 0 \
		>"$TMP/req.out" 2>"$TMP/req.err"
	is "$?" 2 "--cgroup=require without a memory cgroup v2: exit 2"
	is "$(wc -l <"$TMP/req.err")" 1 "... one line"
	diag "$(cat "$TMP/req.err")"
	ok "... naming what is missing" grep -q '^memwatch: --cgroup=require: no memory cgroup for the tree: .*\(cgroup v2\|memory controller\)' "$TMP/req.err"
	ok "... and no result file left" test ! -e "$TMP/req.json"
	"$MEMWATCH" compare -q --cgroup=require -c a=@"$spin mib 8 0" 2>"$TMP/creq.err"
	is "$?" 2 "compare --cgroup=require: exit 2"
	ok "... naming what is missing" grep -q '^memwatch: --cgroup=require: no memory cgroup for the tree: .' "$TMP/creq.err"
fi

"$MEMWATCH" -q --cgroup=off --json "$TMP/off.json" -- "$spin" mib 8 0 2>"$TMP/off.err"
ok "--cgroup=off: the run goes on" test $? -eq 0
is "$(cat "$TMP/off.err")" "" "... without a notice"
is "$(jqf '.configs[0].runs[0].kernel.tier' "$TMP/off.json")" sampling "... and the result says: sampling"
is "$(jqf '.configs[0].runs[0].kernel.note' "$TMP/off.json")" --cgroup=off "... because of --cgroup=off"

for bad in "" yes AUTO 1 "auto,off"; do
	"$MEMWATCH" --cgroup="$bad" -- true >/dev/null 2>"$TMP/bad.err"
	is "$?" 2 "--cgroup='$bad' is refused (exit 2)"
	ok "... naming the values it takes" grep -q "^memwatch: --cgroup: '$bad' is not auto, off or require" "$TMP/bad.err"
done
# The kernel's count in a saved result: report shows it beside the sampled
# peak, diff tabulates it and gates on it.
"$MEMWATCH" -q --cgroup=off --json "$TMP/base0.json" -- "$spin" mib 8 0 2>/dev/null
jq '.configs[0].runs[0].kernel = {"tier": "cgroup", "cgroup": "/memwatch-1",
	"peak_bytes": 104857600, "peak_phase": "load", "max_current_bytes": 100663296,
	"split": {"current_bytes": 99614720, "anon_bytes": 94371840, "file_bytes": 6291456, "shmem_bytes": 2097152},
	"members": 3, "missed": 1, "phase_peaks_exact": true,
	"phase_peaks": [{"phase": "load", "peak_bytes": 104857600},
			{"phase": "idle_30s", "peak_bytes": 52428800}]}' \
	"$TMP/base0.json" >"$TMP/base.json"
jq '.configs[0].runs[0].kernel.peak_bytes = 125829120' "$TMP/base.json" >"$TMP/new.json"
"$MEMWATCH" report "$TMP/base.json" >"$TMP/rep.txt"
ok "report: the kernel's exact peak, and the phase that held it" \
	grep -q '^  tree peak (kernel)     charged 100.0 MiB  exact (memory.peak), in load$' "$TMP/rep.txt"
ok "report: its split at the highest tick" \
	grep -q '^    at its highest tick  charged 96.0 MiB; at 95.0 MiB: anon 90.0 MiB, file 6.00 MiB (shmem 2.00 MiB), kernel 0 B$' "$TMP/rep.txt"
ok "report: the peak per phase" \
	grep -q '^  peak per phase (exact) load 100.0 MiB · idle_30s 50.0 MiB$' "$TMP/rep.txt"
ok "report: the members, and those the sampler missed" \
	grep -q '^  cgroup members         3 processes in /memwatch-1, 1 the sampler missed$' "$TMP/rep.txt"
"$MEMWATCH" diff --max-increase=kernel_peak=5 "$TMP/base.json" "$TMP/new.json" >"$TMP/diff.txt"
is "$?" 1 "diff gates on kernel_peak (+20% > 5%)"
ok "... and shows it beside the sampled peak" \
	grep -q 'Tree peak charged (kernel, exact) *100.0 MiB *120.0 MiB' "$TMP/diff.txt"
"$MEMWATCH" diff --max-increase=kernel_peak_idle_30s=5 "$TMP/base.json" "$TMP/new.json" >/dev/null
is "$?" 0 "diff gates on a phase's peak (kernel_peak_idle_30s: unchanged)"

"$MEMWATCH" --cgroup -- true >/dev/null 2>&1
is "$?" 2 "--cgroup without a value is refused"

# MEMWATCH_CGROUP sets the default of --cgroup (the suite itself runs with
# off, so that no test makes a cgroup on a host that has cgroup v2); the
# option wins over it, and a bad value names the variable.
MEMWATCH_CGROUP=sometimes "$MEMWATCH" -- true >/dev/null 2>"$TMP/env.err"
is "$?" 2 "MEMWATCH_CGROUP=sometimes is refused"
ok "... naming the variable and what is allowed" \
	grep -q "^memwatch: MEMWATCH_CGROUP: 'sometimes' is not auto, off or require$" "$TMP/env.err"
MEMWATCH_CGROUP=off "$MEMWATCH" -q --json "$TMP/env-off.json" -- "$spin" mib 8 0 2>/dev/null
is "$(jqf '.configs[0].runs[0].kernel.tier // "none"' "$TMP/env-off.json")" \
	"$(jqf '.configs[0].runs[0].kernel.tier // "none"' "$TMP/off.json")" \
	"MEMWATCH_CGROUP=off gives what --cgroup=off gives"
if [ -z "$v2" ] || ! grep -qw memory "$v2$own/cgroup.controllers" 2>/dev/null; then
	MEMWATCH_CGROUP=require "$MEMWATCH" -q -- true 2>/dev/null
	is "$?" 2 "MEMWATCH_CGROUP=require without a memory cgroup v2: exit 2, as --cgroup=require"
	MEMWATCH_CGROUP=require "$MEMWATCH" -q --cgroup=off -- true 2>/dev/null
	is "$?" 0 "... and --cgroup=off wins over it"
fi

done_testing
