#!/bin/bash
# attach.sh - measuring a process memwatch did not start
. "$top_srcdir/tests/setup"

MIB=1048576
run='.configs[0].runs[0]'

# Ends when the process exits; its tree is measured.
"$HELPERS/mw-tree" --parent 32 --child 16 --hold 1.5 >/dev/null &
pid=$!
sleep 0.3
"$MEMWATCH" -q -i 50ms --attach "$pid" --json "$TMP/a.json"
ok "attached: exit 0 when the process exits" test $? -eq 0
wait "$pid"
is "$(jqf "$run.ended_by" "$TMP/a.json")" exit "ended by the process's exit"
within "$(jqf "$run.peak.footprint_bytes" "$TMP/a.json")" $((48 * MIB)) 2 $MIB \
	"the attached tree's peak: parent and child"
is "$(jqf "$run.processes_seen" "$TMP/a.json")" 2 "both processes were seen"
is "$(jqf '.configs[0].name' "$TMP/a.json")" "pid$pid" "named after the pid"

# The attached process exits while the children it started live on: the
# children memwatch found are measured until they are gone too. (The
# parent lives 1.5 s, so that memwatch, started 0.3 s in, finds it alive
# on a loaded machine too; the children outlive it by about 1.5 s.)
sh -c "$HELPERS/mw-spin mib 16 3 & $HELPERS/mw-spin mib 16 3 & sleep 1.5" &
pid=$!
sleep 0.3
"$MEMWATCH" -q -i 50ms --attach "$pid" --json "$TMP/p.json"
ok "attached parent gone, children alive: exit 0" test $? -eq 0
wait "$pid"
ok "... measured until the children were gone, not the parent: half a second after it at least" \
	jqt "$run | .wall_s >= (.processes[] | select(.command | startswith(\"sh -c\")) | .end_s) + 0.5" "$TMP/p.json"
is "$(jqf "$run.processes_seen" "$TMP/p.json")" 4 "... all four processes seen (sh, its sleep, the two children)"
ok "... the children's end is recorded" jqt "[$run.processes[] | .end_s != null] | all" "$TMP/p.json"

# The process's exit status, seen (its parent waits late: a shell would
# reap it at once), is memwatch's. The process exits once memwatch watches
# it (its /proc files open), and its parent waits once memwatch is done:
# no clock in between for a loaded machine to stretch.
python3 -c 'import os, subprocess, sys, time
p = subprocess.Popen(["sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.05; done; exit 5", sys.argv[1]])
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
p.wait()' "$TMP/z.go" "$TMP/z.reap" &
pid=$!
child=
for _ in $(seq 300); do
	child=$(pgrep -P "$pid" -f 'exit 5' | head -1)
	[ -n "$child" ] && break
	sleep 0.1
done
"$MEMWATCH" -q -i 50ms --attach "${child:-0}" --json "$TMP/z.json" &
mw=$!
for _ in $(seq 300); do
	ls -l "/proc/$mw/fd" 2>/dev/null | grep -q " /proc/${child:-0}/" && break
	case $(ps -o stat= -p "$mw") in Z* | '') break ;; esac
	sleep 0.1
done
touch "$TMP/z.go"
wait "$mw"
is "$?" 5 "an attached process seen exiting 5 (a zombie until its parent waits): memwatch exits 5"
touch "$TMP/z.reap"
is "$(jqf "$run.exit_status" "$TMP/z.json")" 5 "... and records it"
wait "$pid"

# Never kills what it did not start: --load ends the watching, not the process.
# (Attached once the fork has become mw-spin: the report names it by the
# command line memwatch reads when it attaches.)
"$HELPERS/mw-spin" mib 8 30 &
pid=$!
wait_exec "$pid" mw-spin
"$MEMWATCH" -q --attach "$pid" --load 500ms --json "$TMP/l.json"
ok "--load on an attached process: exit 0" test $? -eq 0
ok "... and the process still runs" kill -0 "$pid"
is "$(jqf "$run.ended_by" "$TMP/l.json")" planned "... ended as planned"
is "$(jqf '.configs[0].command | length' "$TMP/l.json")" 0 "... the result's command is an empty array"
"$MEMWATCH" report "$TMP/l.json" >"$TMP/l.txt"
ok "... the report says it runs on, not that memwatch stopped it" \
	grep -q '^memwatch: pid [0-9]* (.*mw-spin mib 8 30) — watched through its phases; it runs on' "$TMP/l.txt"
ok "... with an 'at end' line, no 'at exit'" sh -c 'grep -q "^  at end " "$1" && ! grep -q "^  at exit" "$1"' sh "$TMP/l.txt"

# Ctrl-C (SIGINT) with nothing planned is how an attached run ends.
env --default-signal=INT "$MEMWATCH" -q --attach "$pid" --json "$TMP/c.json" &
mw=$!
wait_handles "$mw" INT
kill -INT "$mw"
wait "$mw"
ok "SIGINT ends an attached run: exit 0" test $? -eq 0
is "$(jqf "$run.interrupted" "$TMP/c.json")" false "... not an interruption"
ok "... and the process still runs" kill -0 "$pid"

# --stop-tree: asked to, it stops the tree at the end.
"$MEMWATCH" -q --attach "$pid" --load 300ms --stop-tree --json "$TMP/s.json"
ok "--stop-tree: exit 0" test $? -eq 0
# (Signalled, the process still has to be scheduled to die: given up to 5 s.)
for _ in $(seq 50); do
	[ "$(ps -o stat= -p "$pid" | cut -c1)" = Z ] || [ ! -d "/proc/$pid" ] && break
	sleep 0.1
done
ok "... and the process was stopped" test "$(ps -o stat= -p "$pid" | cut -c1)" = Z -o ! -d "/proc/$pid"
wait "$pid" 2>/dev/null

"$MEMWATCH" -q --attach 999999999 2>"$TMP/err"
ok "no such process: exit 2" test $? -eq 2
"$MEMWATCH" -q --attach 2147483647 2>"$TMP/err"
ok "a pid that is not running: exit 2, said in one line" test $? -eq 2 -a "$(wc -l <"$TMP/err")" -eq 1
ok "... naming it" grep -q '^memwatch: --attach: no process 2147483647$' "$TMP/err"

# What memwatch cannot measure as a tree: itself, an ancestor (its tree
# holds memwatch), a thread.
sh -c 'exec "$1" -q -t 3s --attach $$' sh "$MEMWATCH" 2>"$TMP/self.err"
is "$?" 2 "--attach to memwatch's own pid: a usage error"
ok "... that says so" grep -q 'is memwatch itself' "$TMP/self.err"
"$MEMWATCH" -q -t 3s --attach $$ 2>"$TMP/anc.err"
is "$?" 2 "--attach to its shell (an ancestor): a usage error"
ok "... that says so" grep -q "^memwatch: --attach: $$ runs memwatch (an ancestor of it)" "$TMP/anc.err"
python3 -c 'import subprocess, sys, threading, time
ids = []
t = threading.Thread(target=lambda: (ids.append(threading.get_native_id()), time.sleep(5)))
t.start()
while not ids:
    time.sleep(0.01)
r = subprocess.run([sys.argv[1], "-q", "-t", "3s", "--attach", str(ids[0])], stderr=subprocess.PIPE, text=True)
print(r.returncode)
print(r.stderr.strip() == "memwatch: --attach: %d is a thread of process %d, not a process; attach to %d" % (ids[0], __import__("os").getpid(), __import__("os").getpid()))' \
	"$MEMWATCH" >"$TMP/thr.out"
is "$(tr '\n' ' ' <"$TMP/thr.out")" "2 True " "--attach to a thread: a usage error naming its process"

# --timeout on a process memwatch only watches: the process runs on, and
# memwatch exits 124 as for any timeout; with --stop-tree it is stopped.
"$HELPERS/mw-spin" sleep 5 &
pid=$!
"$MEMWATCH" -q -i 50ms --attach "$pid" -t 300ms --json "$TMP/w.json"
is "$?" 124 "attached, watched until --timeout: exit 124"
ok "... and the process runs on" kill -0 "$pid"
is "$(jqf "$run.ended_by" "$TMP/w.json")" timeout "... ended by the timeout"
"$MEMWATCH" -q -i 50ms --attach "$pid" --stop-tree -t 300ms
is "$?" 124 "attached with --stop-tree, stopped at --timeout: exit 124"
wait "$pid" 2>/dev/null
ok "... and the process was stopped" test $? -ne 0

done_testing
