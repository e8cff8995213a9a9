#!/bin/bash
# faults.sh - targets that misbehave, and memwatch interrupted in each phase
#
# For each: memwatch exits with the documented status, the result file is
# valid JSON listing every process it saw, and nothing is left running.
. "$top_srcdir/tests/setup"

MIB=1048576
spin="$HELPERS/mw-spin"
run='.configs[0].runs[0]'

# check NAME FILE PATTERN: valid result; no process left running.
check() {
	ok "$1: the result file is valid JSON" valid_json "$2"
	ok "$1: every process seen is listed" \
		jqt "$run | (.processes | length) == .processes_seen" "$2"
	ok "$1: nothing is left running" none_running "$3" $(jqf "$run.processes[].pid" "$2")
}

# A segfault, and a SIGKILL from outside.
"$MEMWATCH" -q --json "$TMP/segv.json" -- "$spin" signal 11 2>/dev/null
ok "segfault: exit 139" test $? -eq 139
is "$(jqf "$run.processes[0].exit_status" "$TMP/segv.json")" 139 "segfault: the process's status"
check segfault "$TMP/segv.json" mw-spin
"$MEMWATCH" -q -i 20ms --json "$TMP/kill.json" -- "$spin" mib 4 30 &
mw=$!
wait_child "$mw"
sleep 0.2
kill -KILL "$(pgrep -P "$mw")"
wait "$mw"
ok "killed by SIGKILL from outside: exit 137" test $? -eq 137
is "$(jqf "$run.interrupted" "$TMP/kill.json")" false "... not an interruption of memwatch"
check "SIGKILL from outside" "$TMP/kill.json" 'mw-spin mib 4 30'

# A command that double-forks daemons and exits at once.
"$MEMWATCH" -q -i 20ms --json "$TMP/dd.json" -- sh -c \
	'(setsid "$0" sleep 30 &); (setsid "$0" sleep 31 &); (setsid "$0" sleep 32 &); exit 0' "$spin"
ok "daemons left by a command that exits at once: exit 0" test $? -eq 0
# (Exiting at once, the command may take a subshell still on its way to
# setsid with it: memwatch stops the command's group when it exits. On a
# loaded machine none of the three may have reached mw-spin by then: what
# was left, whatever it ran, was stopped by SIGTERM, and the subshells that
# had started their daemon ended by themselves.)
ok "every daemon that started was seen, and stopped by SIGTERM" \
	jqt "[$run.processes[] | select(.command | test(\"mw-spin sleep 3[012]\")) | .exit_status]
		| all(. == 143)" "$TMP/dd.json"
ok "... and something was left to stop, and stopped by SIGTERM" \
	jqt "[$run | .processes[0].pid as \$root | .processes[] | select(.pid != \$root) | .exit_status]
		| any(. == 143) and all(. == 143 or . == 0 or . == null)" "$TMP/dd.json"
check "double-forked daemons" "$TMP/dd.json" 'mw-spin sleep 3'
"$MEMWATCH" -q -i 20ms --json "$TMP/dd2.json" -- sh -c \
	'(setsid "$0" sleep 30 &); (setsid "$0" sleep 31 &); (setsid "$0" sleep 32 &); sleep 0.3' "$spin"
ok "daemons given time to start: all three seen and stopped" \
	jqt "[$run.processes[] | select(.command | test(\"mw-spin sleep 3[012]\")) | .exit_status]
		| length == 3 and all(. == 143)" "$TMP/dd2.json"
check "double-forked daemons (started)" "$TMP/dd2.json" 'mw-spin sleep 3'

# A fork storm: thousands of short-lived processes. Orphans are reaped by
# memwatch, so each is counted even if no sample ever saw it alive.
"$MEMWATCH" -q -i 10ms --json "$TMP/storm.json" -- sh -c \
	'i=0; while [ $i -lt 2000 ]; do (/bin/true &); i=$((i+1)); done'
ok "fork storm: exit 0" test $? -eq 0
ok "fork storm: all 2000 orphans (and their 2000 subshells' share) counted" \
	jqt "$run.processes_seen >= 2000" "$TMP/storm.json"
small_rss "fork storm: memwatch stayed small (< 8 MiB)" "$TMP/storm.json"
check "fork storm" "$TMP/storm.json" '/bin/true'

# 500 live processes at once, under a soft limit of 1024 descriptors (memwatch
# keeps three per process: it raises its own limit; the command keeps 1024).
# The sleeps last until the shell ends them, a second after the last one
# started: on a loaded machine forking 500 can take longer than a sleep of
# fixed length would last.
bash -c 'ulimit -Sn 1024 && exec "$0" -q -i 100ms --json "$1" -- sh -c \
	"i=0; while [ \$i -lt 500 ]; do sleep 60 & pids=\"\$pids \$!\"; i=\$((i+1)); done
	grep \"open files\" /proc/self/limits; sleep 1; kill \$pids; wait; true"' \
	"$MEMWATCH" "$TMP/500.json" >"$TMP/500.out"
ok "500 live processes: exit 0" test $? -eq 0
ok "... all 501 alive at one sample" jqt "$run.max_processes >= 501" "$TMP/500.json"
ok "... the command still has the soft limit of 1024" grep -q 'open files *1024 ' "$TMP/500.out"
check "500 processes" "$TMP/500.json" 'sleep 60'

# Pid reuse within one run: two processes, one pid, two rows. Needs a pid
# namespace of its own, where the next pid can be set (root).
if [ "$(id -u)" -eq 0 ] && unshare -pf --mount-proc true 2>/dev/null; then
	unshare -pf --mount-proc sh -c '"$0" -q -i 50ms --json "$1" -- "$2"' \
		"$MEMWATCH" "$TMP/reuse.json" "$HELPERS/mw-pidreuse" >/dev/null
	ok "pid reuse: exit 0" test $? -eq 0
	ok "pid reuse: the reused pid is two rows, with their own start times and peaks" \
		jqt "[$run.processes[] | .pid] | group_by(.) | map(length) | max == 2" "$TMP/reuse.json"
	ok "... the first held 4 MiB, the second 8 MiB" \
		jqt "[$run.processes[] | select(.hwm_bytes >= 4 * $MIB) | .hwm_bytes] | sort |
			.[0] < 6 * $MIB and .[1] >= 8 * $MIB" "$TMP/reuse.json"
else
	skip "pid reuse within one run" "setting the next pid needs root and unshare -p"
fi

# A process whose smaps_rollup becomes unreadable mid-run (it turns itself
# non-dumpable): memwatch, as an ordinary user, keeps measuring it with the
# fast tier. Needs root to become that user.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	chmod o+x "$TMP" && mkdir -p "$TMP/nobody" && chmod 777 "$TMP/nobody"
	# (The idle checkpoint at 1.5 s reads every process deep, after the
	# process turned non-dumpable at 0.3 s of its own clock: the margin is
	# for a loaded machine, where the process starts late.)
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		"$MEMWATCH" -q -i 50ms --idle 1500ms --checkpoints 1 --json "$TMP/nobody/u.json" -- \
		"$spin" undumpable 16 5
	ok "unreadable mid-run: exit 0" test $? -eq 0
	ok "... the deep tier was refused, and said so" jqt "$run.sampler.deep_denied >= 1" "$TMP/nobody/u.json"
	ok "... the process was measured throughout (its 16 MiB)" \
		jqt "$run.peak.rss_bytes >= 16 * $MIB" "$TMP/nobody/u.json"
	check "unreadable mid-run" "$TMP/nobody/u.json" 'mw-spin undumpable'
else
	skip "a process unreadable mid-run" "switching to another user needs root and setpriv"
fi

# memwatch interrupted in each phase, by each of SIGINT, SIGTERM, SIGHUP.
server="$HELPERS/mw-server"
# The driver's sleep has a length of its own (30.PID s), so that no other
# run's sleep on the machine is taken for it.
drv_s=30.$$
for phase in start load idle; do
	case $phase in
	start) args=(--ready 'never' --ready-timeout 60s) ;;
	load) args=(--drive "sleep $drv_s") ;;
	idle) args=(--idle 20s) ;;
	esac
	for sig in INT TERM HUP; do
		f="$TMP/$phase-$sig.json"
		env --default-signal=INT,QUIT "$MEMWATCH" -q -i 20ms "${args[@]}" --json "$f" -- \
			"$server" --ready-after 0 >/dev/null 2>&1 &
		mw=$!
		wait_child "$mw"
		sleep 0.4
		kill -"$sig" "$mw"
		wait "$mw"
		st=$?
		ok "SIG$sig during $phase: exit $((128 + $(kill -l "$sig")))" test "$st" -eq $((128 + $(kill -l "$sig")))
		is "$(jqf "$run.interrupted" "$f")" true "SIG$sig during $phase: marked interrupted"
		check "SIG$sig during $phase" "$f" mw-server
		ok "SIG$sig during $phase: the driver is gone too" none_running "sleep $drv_s" $(pgrep -fx "sleep $drv_s" || true)
	done
done
# ... and while memwatch stops a tree that ignores SIGTERM: SIGKILL at once.
for sig in INT TERM HUP; do
	f="$TMP/stop-$sig.json"
	start=$(date +%s%N)
	env --default-signal=INT,QUIT "$MEMWATCH" -q -t 200ms -k 20s --json "$f" -- "$spin" ignore-term 60 >/dev/null &
	mw=$!
	wait_child "$mw"
	sleep 0.8
	kill -"$sig" "$mw"
	wait "$mw"
	st=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	ok "SIG$sig while stopping: still the timeout's 124" test "$st" -eq 124
	ok "SIG$sig while stopping: no waiting out the 20 s grace (${ms} ms)" test "$ms" -lt 5000
	check "SIG$sig while stopping" "$f" 'mw-spin ignore-term'
done

done_testing
