#!/bin/bash
# tty.sh - memwatch at a terminal: Ctrl-Z and Ctrl-C behave as without it
. "$top_srcdir/tests/setup"

drive() {
	python3 "$top_srcdir/tests/pty/drive.py" "$@"
}

if ! command -v python3 >/dev/null 2>&1; then
	skip "Ctrl-Z, Ctrl-C and the status line at a terminal" "python3 (to drive a pseudo-terminal) is not installed"
	done_testing
	exit
fi

# Ctrl-Z stops the command and memwatch with it; fg continues both. The
# keys wait for memwatch to have handed the terminal over, and the checks
# for what they look at, so a busy machine only makes it slower; the
# command sleeps long enough to be there at the last check.
drive 'handed,key:^Z,stopped,check,cont,handed,check' - \
	"$MEMWATCH" -q -i 20ms --json "$TMP/z.json" -- "$HELPERS/mw-spin" sleep 3 >"$TMP/z.out"
ok "after Ctrl-Z memwatch is stopped too" grep -qx 'state3=T' "$TMP/z.out"
ok "... and the terminal is back with memwatch's group (its shell's job)" \
	grep -qx 'tty_to_memwatch3=True' "$TMP/z.out"
ok "continued, memwatch runs again" grep -Eqx 'state6=(S|R)' "$TMP/z.out"
ok "... and hands the terminal back to the command" grep -qx 'tty_to_memwatch6=False' "$TMP/z.out"
ok "the command finishes normally" grep -qx 'exit=0' "$TMP/z.out"
is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/z.json")" 0 "the result records its exit 0"

# Ctrl-Z before the command's exec: the command's group holds the
# terminal but the command is still memwatch's copy, which stops there.
# memwatch stops with it and continues it, as for any stop, rather than
# wait for an exec that never comes. A PATH of 3000 missing directories
# before the helper's holds the copy there for milliseconds (execvp tries
# each), long enough to stop it; up to five tries to land the stop there.
long_path=$(seq -f /nonexistent/%g 3000 | paste -sd:):$HELPERS:$PATH
for try in 1 2 3 4 5; do
	drive 'tstp-before-exec,stopped,check,cont,handed,check' - /usr/bin/env PATH="$long_path" \
		"$MEMWATCH" -q -i 20ms --json "$TMP/zx.json" -- mw-spin sleep 1 >"$TMP/zx.out"
	grep -qx 'caught0=True' "$TMP/zx.out" && break
done
if grep -qx 'caught0=True' "$TMP/zx.out"; then
	ok "Ctrl-Z before the command's exec: memwatch stops too" grep -qx 'state2=T' "$TMP/zx.out"
	ok "... continued, it hands the terminal back to the command" \
		grep -qx 'tty_to_memwatch5=False' "$TMP/zx.out"
	ok "... which runs and exits 0, as does memwatch" grep -qx 'exit=0' "$TMP/zx.out"
	is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/zx.json")" 0 "... recorded in the result"
else
	skip "Ctrl-Z before the command's exec" "in 5 tries the stop never landed before the exec ($(tr '\n' ' ' <"$TMP/zx.out"))"
fi

# Ctrl-C reaches the command (whose group holds the terminal): an interrupt.
drive 'handed,key:^C' - \
	"$MEMWATCH" -q -i 20ms --json "$TMP/c.json" -- "$HELPERS/mw-spin" sleep 30 >"$TMP/c.out"
ok "Ctrl-C: memwatch exits 130" grep -qx 'exit=130' "$TMP/c.out"
is "$(jqf '.configs[0].runs[0].interrupted' "$TMP/c.json")" true "Ctrl-C: the run is marked interrupted"
is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/c.json")" 130 "Ctrl-C: the command died of SIGINT"

# The live status line: on the terminal, between the command's lines,
# never in a file.
drive 'sleep:0.1' "$TMP/screen" "$MEMWATCH" -i 50ms --drive 'sleep 0.6' --idle 400ms \
	--checkpoints 2 --json "$TMP/st.json" -- sh -c 'echo "first line"; sleep 5; echo "second line"' \
	>"$TMP/st.out"
ok "with the status line: exit 0" grep -qx 'exit=0' "$TMP/st.out"
ok "the status line showed the phase and footprint" grep -aq 'memwatch: load .* · footprint .* · peak ' "$TMP/screen"
ok "... the idle countdown" grep -aq 'memwatch: idle .* (checkpoint 1/2 in ' "$TMP/screen"
ok "... and was erased with \\r and ESC [K" grep -aq $'\r\e\[K' "$TMP/screen"
ok "the command's output is on the screen, the status line erased before it" \
	grep -aq $'\r\e\\[Kfirst line' "$TMP/screen"
ok "the report is there too" grep -aq 'tree peak (sampled)' "$TMP/screen"
drive 'sleep:0.1' "$TMP/screen-q" "$MEMWATCH" -q -i 50ms --load 600ms -- sh -c 'echo quiet; sleep 2' >/dev/null
ok "-q: no status line" sh -c '! grep -aq "memwatch: load" "$1"' sh "$TMP/screen-q"
ok "-q: the command's output still shows" grep -aq quiet "$TMP/screen-q"
"$MEMWATCH" -i 50ms --load 400ms -- sh -c 'sleep 2' 2>"$TMP/st.err" >/dev/null
ok "stderr not a terminal: no status line" sh -c '! grep -q "memwatch: load" "$1"' sh "$TMP/st.err"

# A pipeline at a terminal: the terminal shows the pipeline's own output
# and the report, no status line glued to what grep prints.
drive 'sleep:0.1' "$TMP/screen-p" /bin/sh -c '"$1" -i 50ms --load 600ms -- sh -c "echo xyz; sleep 1" | grep xyz' \
	sh "$MEMWATCH" >"$TMP/p.out"
ok "pipeline: grep's line is on the screen" grep -aq xyz "$TMP/screen-p"
ok "pipeline: no status line on the terminal" sh -c '! grep -aq "memwatch: load" "$1"' sh "$TMP/screen-p"
ok "pipeline: nothing erased either" sh -c '! grep -aq "$2" "$1"' sh "$TMP/screen-p" $'\e\\[K'

# The status line on, stdout to a file: the command writes to that file
# itself (not to a pipe through memwatch).
drive 'sleep:0.1' "$TMP/screen-f" /bin/sh -c '"$1" -i 50ms -o "$2.rep" -- sh -c "readlink /proc/\$\$/fd/1; sleep 0.5" >"$2"' \
	sh "$MEMWATCH" "$TMP/fd.out" >/dev/null
is "$(cat "$TMP/fd.out")" "$TMP/fd.out" "status line on, stdout a file: the command's stdout is that file"
ok "... and the status line was on" grep -aq 'memwatch: load' "$TMP/screen-f"

# A narrow terminal: the status line is cut between its parts, with an
# ellipsis, never inside a number; the report's first line fits, the
# command line shortened with an ellipsis and quoted as a shell would.
# (The run lasts its 600 ms of load and the stop: on a busy machine that
# may be past a second, given as "1.1 s"; the command outlasts it.)
DRIVE_COLUMNS=60 drive 'sleep:0.1' "$TMP/screen-n" "$MEMWATCH" -i 50ms --load 600ms -- \
	sh -c 'sleep 5 # a comment long enough to need more than one line of a terminal' >/dev/null
python3 - "$TMP/screen-n" >"$TMP/narrow.out" <<'PY'
import re, sys
screen = open(sys.argv[1], "rb").read().decode()
status = [s.split("\r")[0] for s in screen.split("\r\x1b[K") if s.startswith("memwatch: load")]
print("status", len(status) > 0 and all(len(s) <= 59 for s in status))
print("cut", any(s.endswith(" …") for s in status) and
      not any(re.search(r"[0-9.] …$", s) for s in status))
lines = screen.replace("\x1b[K", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
first = [i for i, l in enumerate(lines) if l.startswith("memwatch: sh")]
print("first", len(first) == 1 and all(len(l) <= 60 for l in lines[first[0]:first[0] + 2]) and
      lines[first[0]].endswith("…") and re.fullmatch(r"  stopped by memwatch after its phases, [0-9.]+ m?s, 2 processes", lines[first[0] + 1]) is not None)
print("quoted", len(first) == 1 and lines[first[0]].startswith("memwatch: sh -c 'sleep 5 # a comment"))
PY
is "$(tr '\n' ' ' <"$TMP/narrow.out")" "status True cut True first True quoted True " \
	"60 columns: status line cut between parts, first lines fit, command quoted and shortened"

# At 80 columns the run report and a 5-configuration table fit: their
# lines fold between cells instead of wrapping mid-word.
"$MEMWATCH" compare -q -r 1 -c a:X=1 -c b:X=2 -c c:X=3 -c d:X=4 -c e:X=5 --json "$TMP/c5.json" -- \
	sh -c 'sleep 0.1' >/dev/null 2>&1
DRIVE_COLUMNS=80 drive 'sleep:0.1' "$TMP/screen-80" "$MEMWATCH" -i 20ms --ready x --idle 200ms --checkpoints 2 -- \
	sh -c 'echo x; sleep 1 # a comment comment comment comment comment' >/dev/null
DRIVE_COLUMNS=80 drive 'sleep:0.1' "$TMP/screen-t5" "$MEMWATCH" report "$TMP/c5.json" >/dev/null
widest() {
	python3 -c 'import sys
s = open(sys.argv[1], "rb").read().decode()
s = s.replace("\x1b[K", "").replace("\r\n", "\n").replace("\r", "\n")
s = s[s.index(sys.argv[2]):]
print(max(len(l) for l in s.split("\n")))' "$@"
}
ok "80 columns: the run report fits" test "$(widest "$TMP/screen-80" "memwatch: sh")" -le 80
ok "80 columns: a 5-configuration table fits" test "$(widest "$TMP/screen-t5" "memwatch report")" -le 80
"$MEMWATCH" report "$TMP/c5.json" >"$TMP/t5.txt"
ok "... and is whole in a file" test "$(awk '{ print length($0) }' "$TMP/t5.txt" | sort -n | tail -1)" -gt 100

# At 80 columns a table too wide for the terminal comes in blocks of
# configurations, each a table with the metrics' names in front, not rows
# folded over several lines: a 4-configuration report (two files of two),
# and diff. The run report's per-process table cuts its COMMAND column.
jq 'walk(if type == "object" then with_entries(if (.key | test("bytes$"))
	and (.value | type) == "number" then .value = (.value * 1.1 | floor) else . end)
	else . end)' "$top_srcdir/tests/data/result-valid.json" >"$TMP/grown.json"
cp "$top_srcdir/tests/data/result-valid.json" "$TMP/valid.json"
DRIVE_COLUMNS=80 drive 'sleep:0' "$TMP/screen-t4" "$MEMWATCH" report "$TMP/valid.json" "$TMP/grown.json" >/dev/null
DRIVE_COLUMNS=80 drive 'sleep:0' "$TMP/screen-d" "$MEMWATCH" diff "$TMP/valid.json" "$TMP/grown.json" >/dev/null
DRIVE_COLUMNS=80 drive 'sleep:0.1' "$TMP/screen-pc" "$MEMWATCH" -i 20ms -- sh -c 'sleep 0.4; :' \
	long-named-process --with-many --arguments --that-go-on --and-on --and-on >/dev/null
blocks() {
	python3 - "$@" <<'PY'
import re, sys
screen = open(sys.argv[1], "rb").read().decode().replace("\x1b[K", "").replace("\r\n", "\n").replace("\r", "\n")
lines = screen.split("\n")
titles = sys.argv[3:]
ok = all(len(l) <= 80 for l in lines)
# A block's header: the configurations' titles over their columns, or
# diff's METRIC line; its rows start with the metrics' names.
heads = [i for i, l in enumerate(lines) if any(t in l for t in titles) and
         (re.match(r"^ {10,}\S", l) or re.match(r"^ *METRIC ", l))]
rows = [i for i, l in enumerate(lines) if l.lstrip().startswith(sys.argv[2])]
folded = [l for l in lines[heads[0]:rows[-1]] if re.match(r"^ {8}\S", l)] if heads and rows else [""]
print(ok, len(heads) >= 2, len(rows) == len(heads), all(any(t in lines[h] for h in heads) for t in titles), not folded)
PY
}
is "$(blocks "$TMP/screen-t4" "Tree peak RSS" "default (valid)" "jemalloc (valid)" "default (grown)" "jemalloc (grown)")" \
	"True True True True True" "80 columns: a 4-configuration table in blocks that fit, each with the metric names"
is "$(blocks "$TMP/screen-d" "Tree peak RSS" BASE NEW CHANGE)" \
	"True True True True True" "80 columns: diff's table in blocks that fit, each with the metric names"
python3 - "$TMP/screen-pc" >"$TMP/pc.out" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().decode().replace("\x1b[K", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
start = next(i for i, l in enumerate(lines) if "per process at the peak" in l)
table = lines[start + 1:lines.index("", start)]
print(all(len(l) <= 80 for l in lines[lines.index(next(l for l in lines if l.startswith("memwatch: sh"))):]),
      table[0].split()[-1] == "COMMAND",
      all(l.split()[0].isdigit() for l in table[1:]),
      any(l.endswith("…") for l in table[1:]))
PY
is "$(cat "$TMP/pc.out")" "True True True True" \
	"80 columns: the per-process table fits, its COMMAND cut with an ellipsis, not folded"
"$MEMWATCH" report "$TMP/valid.json" "$TMP/grown.json" >"$TMP/t4.txt"
is "$(grep -c '^Tree peak RSS' "$TMP/t4.txt")" 1 "... in a file, one wide table"

done_testing
