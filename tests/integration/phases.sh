#!/bin/bash
# phases.sh - ready, drive, idle windows, marks: the dev-server workflow
#
# mw-server holds a child of 8 MiB, prints a vite-like ready line (in
# colour), grows 16 MiB per request (SIGUSR1 to $MEMWATCH_TARGET_PID) and
# gives it all back 1.5 s after the last request. Tolerance as for the
# ruler: max(2%, 1 MiB), here of the known amounts.
. "$top_srcdir/tests/setup"

MIB=1048576
run='.configs[0].runs[0]'
cp() { # cp LABEL FIELD FILE: a checkpoint's field
	jqf "$run.checkpoints[] | select(.label == \"$1\") | .$2" "$3"
}
# Drivers wait for the ready line (--ready): a signal sent before the
# server has set up its handler would kill it.
DRIVE='for i in 1 2 3 4; do kill -USR1 $MEMWATCH_TARGET_PID; sleep 0.1; done'

# The server gives its memory back 3 s after the last request, about 2.9 s
# after load end: the idle checkpoints at 2 s and 4 s stand 0.9 s and
# 1.1 s from it, room for a busy machine to run either clock late.
"$MEMWATCH" -q -i 50ms --ready 'ready in [0-9]+ ms' --drive "$DRIVE" --idle 2s --checkpoints 3 \
	--json "$TMP/p.json" --csv "$TMP/p.csv" -- \
	"$HELPERS/mw-server" --child-mib 8 --grow-mib 16 --release-after 3 >"$TMP/p.out"
ok "the planned run exits 0" test $? -eq 0
r="$TMP/p.json"
is "$(jqf "$run.ended_by" "$r")" planned "it ended as planned"
ok "the ready line, colours and all, passed through" grep -q 'ready in' "$TMP/p.out"
ok "time to ready is the server's delay (0.3 s)" jqt "$run.ready_s >= 0.25 and $run.ready_s < 3" "$r"
is "$(jqf "[$run.checkpoints[].label] | join(\",\")" "$r")" \
	"ready,load_end,idle_2s,idle_4s,idle_6s,exit" "checkpoints, in order"
is "$(jqf "[$run.checkpoints[].kind] | join(\",\")" "$r")" \
	"ready,load_end,idle,idle,idle,exit" "checkpoint kinds"
base=$(cp ready footprint_bytes "$r")
within "$base" $((8 * MIB)) 2 $MIB "at ready: the child's 8 MiB"
within "$(cp load_end footprint_bytes "$r")" $((72 * MIB)) 2 $MIB "at load end: grown by 4 x 16 MiB"
within "$(cp idle_2s footprint_bytes "$r")" $((72 * MIB)) 2 $MIB "idle 2 s: still held (release is at about 2.9 s)"
within "$(cp idle_4s footprint_bytes "$r")" $((8 * MIB)) 2 $MIB "idle 4 s: given back"
within "$(cp idle_6s footprint_bytes "$r")" $((8 * MIB)) 2 $MIB "idle 6 s: still given back"
for label in ready load_end idle_2s idle_4s idle_6s; do
	is "$(cp "$label" processes "$r")" 2 "the child is in the $label checkpoint"
	is "$(cp "$label" deep "$r")" true "the $label checkpoint is a deep sample"
done
is "$(jqf "$run.drive.exit_status" "$r")" 0 "the driver's exit is recorded"
ok "the load phase ended when the driver did" \
	jqt "($run.load_end_s - $run.drive.end_s) | fabs < 0.1" "$r"
ok "settle time: the drop 3 s after the last request, ~2.9 s after load end (2.4-4)" \
	jqt "$run.settle_s > 2.4 and $run.settle_s < 4" "$r"
# The 64 MiB given back in one step is a settle time, not a rate: the
# line through the idle samples after the footprint settled is flat (the
# line through all of them falls at over 1 GiB a minute).
ok "idle drift: the line starts after it settled" \
	jqt "$run.idle_drift_settled == true and $run.idle_drift_from_s > $run.settle_s and $run.idle_drift_to_s > $run.idle_drift_from_s" "$r"
ok "idle drift: flat once the memory was given back (|drift| < 1 MiB a minute)" \
	jqt "$run.idle_drift_bytes_per_min | fabs < $MIB" "$r"
ok "the report gives the drift's span" \
	grep -qE '^  idle drift +[-+]?[0-9.]+ [KMG]?i?B per minute from [0-9.]+ (ms|s) to [0-9.]+ s, once settled$' \
	<<<"$("$MEMWATCH" report "$r")"
is "$(jqf "$run.peak.phase" "$r")" load "the peak happened in the load phase"
ok "the CSV has every phase, in order (and maybe samples while stopping)" \
	grep -qxE 'start load idle (stop )?' <<<"$(cut -d, -f4 "$TMP/p.csv" | sed 1d | uniq | tr '\n' ' ')"
ok "nothing is left running" none_running mw-server $(jqf "$run.processes[].pid" "$r")

# --ready never seen: stopped at --ready-timeout, still a valid result.
start=$(date +%s%N)
"$MEMWATCH" -q --ready 'this never appears' --ready-timeout 1s --json "$TMP/nr.json" -- \
	"$HELPERS/mw-server" >/dev/null
st=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
ok "no ready line: exit 124" test "$st" -eq 124
ok "... after the ready timeout (${elapsed_ms} ms)" test "$elapsed_ms" -lt 4000
ok "... with a valid result file" valid_json "$TMP/nr.json"
is "$(jqf "$run.ended_by" "$TMP/nr.json")" ready_timeout "... saying why"
is "$(jqf "$run.ready_s" "$TMP/nr.json")" null "... and that ready never came"
ok "... and nothing left running" none_running mw-server $(jqf "$run.processes[].pid" "$TMP/nr.json")

# A driver that fails: the run goes on, and its status is memwatch's.
"$MEMWATCH" -q --ready 'ready in' --drive 'kill -USR1 $MEMWATCH_TARGET_PID; exit 3' --idle 300ms --checkpoints 2 \
	--json "$TMP/df.json" -- "$HELPERS/mw-server" --ready-after 0 2>"$TMP/df.err" >/dev/null
ok "a failing driver: memwatch exits with its status" test $? -eq 3
ok "... said when it happened" grep -q '^memwatch: --drive: the driver failed (exit status 3); the run goes on$' "$TMP/df.err"
is "$(jqf "$run.drive.exit_status" "$TMP/df.json")" 3 "... recorded"
is "$(jqf "[$run.checkpoints[].label] | join(\",\")" "$TMP/df.json")" "ready,load_end,idle_300ms,idle_600ms,exit" \
	"... and the idle windows still measured"

# --load without a driver; no idle windows: the load's end ends the run.
"$MEMWATCH" -q --load 700ms --json "$TMP/l.json" -- "$HELPERS/mw-server" --ready-after 0 >/dev/null
ok "--load alone: exit 0" test $? -eq 0
ok "... the load phase lasted 0.7 s (ended before 2.5 s on a busy machine)" \
	jqt "$run.load_end_s >= 0.65 and $run.load_end_s < 2.5" "$TMP/l.json"

# --idle without a driver or --load: idling starts at ready.
"$MEMWATCH" -q --ready 'ready in' --idle 200ms --checkpoints 2 --json "$TMP/i.json" -- \
	"$HELPERS/mw-server" --ready-after 0.2 >/dev/null
ok "--ready --idle: exit 0" test $? -eq 0
ok "... load_end is the ready line" jqt "($run.load_end_s - $run.ready_s) | fabs < 0.05" "$TMP/i.json"

# --idle alone: without a ready line the first window is the start-up,
# counted as the load, not as idling.
"$MEMWATCH" -q -i 20ms --idle 1500ms --checkpoints 1 --json "$TMP/ia.json" -- \
	sh -c '"$1" mib 64 0.3; sleep 5' sh "$HELPERS/mw-spin"
ok "--idle alone: exit 0" test $? -eq 0
ok "... the load phase is the first window" jqt "$run.load_end_s >= 1.45 and $run.load_end_s < 3" "$TMP/ia.json"
is "$(jqf "$run.peak.phase" "$TMP/ia.json")" load "... so a start-up peak is the load's, not idle"
is "$(jqf "[$run.checkpoints[].label] | join(\",\")" "$TMP/ia.json")" \
	"load_end,idle_1500ms,exit" "... and the idle windows follow it"

# --settle: three checkpoints within 1% end idling early.
"$MEMWATCH" -q --idle 200ms --checkpoints 50 --settle --json "$TMP/s.json" -- \
	"$HELPERS/mw-server" --ready-after 0 >/dev/null
ok "--settle: exit 0" test $? -eq 0
ok "--settle: stopped after a few idle checkpoints, not 50" \
	jqt "[$run.checkpoints[] | select(.kind == \"idle\")] | length >= 2 and length <= 4" "$TMP/s.json"
ok "--settle: the last three checkpoints before the end agree within 1%" \
	jqt "[$run.checkpoints[] | select(.kind == \"idle\" or .kind == \"load_end\") | .footprint_bytes][-3:]
		| (max - min) * 100 <= max" "$TMP/s.json"

# --mark: a checkpoint at each matching line.
"$MEMWATCH" -q --mark 'request [0-9]+:=req' --mark 'released=freed' --ready 'ready in' --drive "$DRIVE" \
	--idle 1s --checkpoints 3 --json "$TMP/m.json" -- \
	"$HELPERS/mw-server" --ready-after 0 --chatter --release-after 1 >/dev/null 2>&1
ok "--mark: exit 0" test $? -eq 0
is "$(jqf "[$run.checkpoints[] | select(.kind == \"mark\") | .label] | join(\",\")" "$TMP/m.json")" \
	"req,req_2,req_3,req_4,freed" "each match is a mark; repeats are numbered"
within "$(cp req_4 footprint_bytes "$TMP/m.json")" $((72 * MIB)) 2 $MIB "the fourth request's mark sees 72 MiB"

# A mark at the command's last line, and a load that ends as it exits: the
# checkpoints stay in time order, exit last, none of them the empty tree
# after the exit.
for i in 1 2 3 4; do
	"$MEMWATCH" -q -i 20ms --load 500ms --mark 'bye=bye' --json "$TMP/last$i.json" -- \
		sh -c 'sleep 0.49; echo bye' >/dev/null
done
in_order() {
	jq -es '[.[].configs[0].runs[0].checkpoints] | all(.[]; (map(.t_s) | . == sort) and
		all(.[]; .footprint_bytes > 0) and .[-1].label == "exit")' "$@" >/dev/null
}
ok "checkpoints in time order, exit last, none empty (4 runs)" \
	in_order "$TMP/last1.json" "$TMP/last2.json" "$TMP/last3.json" "$TMP/last4.json"

# Ctrl-C (SIGINT) during the idle windows: the checkpoints so far are kept.
env --default-signal=INT "$MEMWATCH" -q --ready 'ready in' --drive "$DRIVE" --idle 500ms --checkpoints 10 \
	--json "$TMP/int.json" -- "$HELPERS/mw-server" --ready-after 0 >/dev/null &
mw=$!
wait_child "$mw"
# Load ends about 0.4 s in; at 2.6 s four idle checkpoints are due, at
# least two of them taken however late, and ten are 2.8 s further.
sleep 2.6
kill -INT "$mw"
wait "$mw"
ok "SIGINT while idling: exit 130" test $? -eq 130
is "$(jqf "$run.interrupted" "$TMP/int.json")" true "... marked interrupted"
ok "... with the idle checkpoints taken so far" \
	jqt "[$run.checkpoints[] | select(.kind == \"idle\")] | length >= 2 and length < 10" "$TMP/int.json"
is "$(jqf "$run.checkpoints[-1].label" "$TMP/int.json")" exit "... and the exit checkpoint last"

# A steady leak through the idle windows: the command's shell asks the
# server for 2 MiB every 0.2 s, for longer than the idle windows last.
# The footprint never stays within 5% of its final value for four
# samples, so the line goes through every idle sample, said so; its slope
# is the leak's rate, as the checkpoints measure it in the same run (the
# shell's pace is the machine's: the two are compared, not a clock).
"$MEMWATCH" -q -i 100ms --ready 'ready in' --load 100ms --idle 1s --checkpoints 3 \
	--json "$TMP/leak.json" -- sh -c '"$1" --grow-mib 2 --release-after 100 & s=$!
		sleep 0.5; for i in $(seq 40); do sleep 0.2; kill -USR1 $s || exit; done' \
	sh "$HELPERS/mw-server" >/dev/null
r="$TMP/leak.json"
ok "a steady leak: the drift's line goes through every idle sample (not settled)" \
	jqt "$run.idle_drift_settled == false and $run.idle_drift_from_s < 1" "$r"
slope=$(jqf "(($run.checkpoints[] | select(.label == \"idle_3s\")) as \$b |
	($run.checkpoints[] | select(.label == \"idle_1s\")) as \$a |
	(\$b.footprint_bytes - \$a.footprint_bytes) / (\$b.t_s - \$a.t_s) * 60)" "$r")
drift=$(jqf "$run.idle_drift_bytes_per_min" "$r")
diag "leak: drift $drift B/min, checkpoints idle_1s to idle_3s $slope B/min"
ok "a steady leak: the drift is the checkpoints' rate (within 25%, and over 100 MiB a minute)" \
	awk -v d="$drift" -v s="$slope" 'BEGIN { exit !(s > 100 * 1048576 && d > 0.75 * s && d < 1.25 * s) }'
ok "the report says the footprint had not settled" \
	grep -qE '^  idle drift +\+[0-9.]+ MiB per minute from [0-9.]+ ms to [0-9.]+ s, not settled$' \
	<<<"$("$MEMWATCH" report "$r")"
done_testing
