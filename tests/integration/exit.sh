#!/bin/bash
# exit.sh - memwatch exits like time(1), and stops what it started
. "$top_srcdir/tests/setup"

"$MEMWATCH" -q -- "$HELPERS/mw-spin" exit 0
ok "exit 0 passes through" test $? -eq 0
"$MEMWATCH" -q --json "$TMP/e3.json" -- "$HELPERS/mw-spin" exit 3
ok "exit 3 passes through" test $? -eq 3
is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/e3.json")" 3 "exit 3 is in the result"
"$MEMWATCH" -q --json "$TMP/s9.json" -- "$HELPERS/mw-spin" signal 9
ok "death by SIGKILL is 128+9" test $? -eq 137
is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/s9.json")" 137 "... in the result too"
"$MEMWATCH" -q -- "$HELPERS/mw-spin" signal 11 2>/dev/null
ok "a segfault is 128+11" test $? -eq 139

printf 'not a program\n' >"$TMP/plain"
chmod -x "$TMP/plain"
"$MEMWATCH" -q -- "$TMP/plain" 2>"$TMP/err"
ok "a file that is not executable: 126" test $? -eq 126
ok "... with one line naming it" grep -q "^memwatch: cannot execute '$TMP/plain'" "$TMP/err"
"$MEMWATCH" -q -- "$TMP/dir-that-is-not-there/prog" 2>"$TMP/err"
ok "a missing path: 127" test $? -eq 127
"$MEMWATCH" -q -- memwatch-no-such-command-anywhere 2>"$TMP/err"
ok "a command not on PATH: 127" test $? -eq 127
ok "... said in one line" grep -q '^memwatch: memwatch-no-such-command-anywhere: command not found$' "$TMP/err"

# A command that cannot start leaves no result behind: the files memwatch
# created are removed, and only those. A path that was already there (a
# file the user keeps, a symbolic link; so also a device) stays.
printf 'kept\n' >"$TMP/kept.json"
ln -s "$TMP/link-target.csv" "$TMP/link.csv"
"$MEMWATCH" -q --json "$TMP/new.json" --csv "$TMP/link.csv" -- memwatch-no-such-command-anywhere 2>/dev/null
ok "a command that cannot start: the result file it created is removed" test ! -e "$TMP/new.json"
ok "... but not a symbolic link that was there" test -L "$TMP/link.csv"
"$MEMWATCH" -q --json "$TMP/kept.json" -- memwatch-no-such-command-anywhere 2>/dev/null
ok "... nor a file that was there" test -e "$TMP/kept.json"

# --timeout stops a process that ignores SIGTERM: SIGKILL after the grace.
start=$(date +%s%N)
"$MEMWATCH" -q -t 300ms -k 300ms --json "$TMP/t.json" -- "$HELPERS/mw-spin" ignore-term 30 >/dev/null
st=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
ok "--timeout exits 124" test "$st" -eq 124
# Without the SIGKILL the run would last the command's 30 s: 10 s leaves
# memwatch's own start-up room on a loaded machine (and under valgrind).
ok "--timeout then --kill-after end it in time (${elapsed_ms}ms < 10000ms)" test "$elapsed_ms" -lt 10000
is "$(jqf '.configs[0].runs[0].ended_by' "$TMP/t.json")" timeout "the result says it was the timeout"
is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/t.json")" 137 "the target died of SIGKILL"
ok "nothing is left running" none_running mw-spin $(jqf '.configs[0].runs[0].processes[].pid' "$TMP/t.json")

# A signal to memwatch is forwarded; the result is still written, marked.
# A non-interactive shell starts background jobs with SIGINT ignored, and
# memwatch keeps what it inherits ignored (as nohup needs): start it with
# the defaults an interactive user's memwatch has.
for sig in INT TERM HUP; do
	env --default-signal=INT,QUIT "$MEMWATCH" -q -i 20ms --json "$TMP/sig.json" -- \
		sh -c 'sleep 30 & sleep 30' &
	mw=$!
	wait_child "$mw"
	# Both sleeps started (a loaded machine may take its time forking
	# them), then a few of memwatch's 20 ms ticks.
	for _ in $(seq 300); do
		[ "$(pgrep -P "$(pgrep -P "$mw" | head -1)" -x sleep | wc -l)" -ge 2 ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -"$sig" "$mw"
	wait "$mw"
	st=$?
	num=$(kill -l "$sig")
	ok "SIG$sig to memwatch: exit 128+$num" test "$st" -eq $((128 + num))
	ok "SIG$sig: the result file is valid JSON" valid_json "$TMP/sig.json"
	is "$(jqf '.configs[0].runs[0].interrupted' "$TMP/sig.json")" true "SIG$sig: marked interrupted"
	is "$(jqf '[.configs[0].runs[0].checkpoints[].label] | join(",")' "$TMP/sig.json")" exit \
		"SIG$sig: the exit checkpoint was taken"
	ok "SIG$sig: the sleeps were seen" test "$(jqf '.configs[0].runs[0].processes_seen' "$TMP/sig.json")" -ge 3
	ok "SIG$sig: nothing is left running" none_running 'sleep 30' \
		$(jqf '.configs[0].runs[0].processes[].pid' "$TMP/sig.json")
done

# Signals memwatch was started with ignored stay ignored (nohup).
env --ignore-signal=HUP "$MEMWATCH" -q -i 20ms --json "$TMP/nohup.json" -- \
	sh -c 'sleep 0.6; exit 7' &
mw=$!
wait_child "$mw"
kill -HUP "$mw"
wait "$mw"
ok "under nohup, SIGHUP neither stops memwatch nor its command" test $? -eq 7
is "$(jqf '.configs[0].runs[0].interrupted' "$TMP/nohup.json")" false "... and the run is not interrupted"

# What the command leaves behind is stopped when it exits.
"$MEMWATCH" -q -i 20ms --json "$TMP/orphan.json" -- \
	sh -c '(setsid "$0" sleep 30 &); sleep 0.2; exit 5' "$HELPERS/mw-spin"
ok "the command's own status wins over the cleanup" test $? -eq 5
orphans='[.configs[0].runs[0] | .processes[0].pid as $root | .processes[] | select(.pid != $root and .exit_status == 143)]'
ok "the orphan was seen and stopped by SIGTERM" test "$(jqf "$orphans | length" "$TMP/orphan.json")" -ge 1
ok "... and nothing is left running" none_running 'mw-spin sleep 30' \
	$(jqf '.configs[0].runs[0].processes[].pid' "$TMP/orphan.json")

done_testing
