#!/bin/bash
# delegated.sh - the cgroup tier without root, in a delegated cgroup
#
# A user without root gets the tier where a cgroup has been delegated to
# them (its directory and its cgroup.procs, cgroup.subtree_control and
# cgroup.threads theirs, as systemd's Delegate=yes and user@UID.service
# give): memwatch, alone in it, moves itself into a leaf of its own,
# enables memory below, starts the command in a cgroup beside that leaf,
# and leaves the delegated cgroup as it found it. Where nothing is
# delegated, --cgroup=require fails with exit 2 and says what is missing.
. "$top_srcdir/tests/setup"
. "$top_srcdir/tests/kernel/bed-setup"

MIB=1048576
run='.configs[0].runs[0]'
k="$run.kernel"
spin="$HELPERS/mw-spin"
user=65534
chmod 0777 "$TMP"

deleg=$(cg_make "deleg-$$")
chown "$user:$user" "$deleg" "$deleg/cgroup.procs" "$deleg/cgroup.subtree_control" \
	"$deleg/cgroup.threads"
before=$(cat "$deleg/cgroup.subtree_control")

# memwatch as the user, alone in the delegated cgroup.
cg_run "$deleg" "$BED_HELPERS/mw-asuser" $user "$MEMWATCH" --cgroup=require -i 250ms \
	--json "$TMP/d.json" -o "$TMP/d.txt" -- "$spin" mib 200 0 2>"$TMP/d.err"
st=$?
[ -s "$TMP/d.err" ] && diag "delegated: $(cat "$TMP/d.err")"
is "$st" 0 "delegated, as uid $user: the run goes through"
is "$(jqf "$k.tier" "$TMP/d.json")" cgroup "delegated: the run used the cgroup tier"
ok "delegated: its cgroup was below the delegated one" \
	jqt "$k.cgroup | startswith(\"/deleg-$$/memwatch-\")" "$TMP/d.json"
peak=$(jqf "$k.peak_bytes" "$TMP/d.json")
diag "delegated: memory.peak ${peak:-none}, ruler $((200 * MIB))"
within "${peak:-0}" $((200 * MIB)) 1 0 "delegated: the exact tree peak is within 1% of 200 MiB"
ok "delegated: memwatch left no cgroup of its own behind" \
	sh -c "! ls -d '$deleg'/memwatch-* >/dev/null 2>&1"
is "$(cat "$deleg/cgroup.subtree_control")" "$before" \
	"delegated: the delegated cgroup's controllers are as they were"

# The same user where nothing is delegated: no tier, and why.
plain=$(cg_make "plain-$$")
cg_run "$plain" "$BED_HELPERS/mw-asuser" $user "$MEMWATCH" --cgroup=require -q \
	-- "$spin" exit 0 2>"$TMP/p.err"
st=$?
diag "not delegated: $(cat "$TMP/p.err")"
is "$st" 2 "not delegated, --cgroup=require: exit 2"
is "$(wc -l <"$TMP/p.err")" 1 "... with one line"
ok "... naming what would give the tier" grep -q 'delegated cgroup' "$TMP/p.err"
cg_run "$plain" "$BED_HELPERS/mw-asuser" $user "$MEMWATCH" -q --json "$TMP/a.json" \
	-- "$spin" mib 20 0 2>/dev/null
is "$?" 0 "not delegated, --cgroup=auto: the run goes through, sampled"
is "$(jqf "$k.tier" "$TMP/a.json")" sampling "... and says it sampled"
ok "... and why" jqt "$k.note | test(\"delegated cgroup\")" "$TMP/a.json"

done_testing
