#!/bin/bash
# tty.sh - memwatch at a terminal: Ctrl-Z and Ctrl-C behave as without it
. "$top_srcdir/tests/setup"

drive() {
	python3 "$top_srcdir/tests/pty/drive.py" "$@"
}

if ! command -v python3 >/dev/null 2>&1; then
	skip "Ctrl-Z and Ctrl-C at a terminal" "python3 (to drive a pseudo-terminal) is not installed"
	done_testing
	exit
fi

# Ctrl-Z stops the command and memwatch with it; fg continues both.
drive 'sleep:0.5,key:^Z,sleep:0.5,check,cont,sleep:0.3,check' "$TMP/z.json" \
	"$MEMWATCH" -q -i 20ms --json "$TMP/z.json" -- "$HELPERS/mw-spin" sleep 1.5 >"$TMP/z.out"
ok "after Ctrl-Z memwatch is stopped too" grep -qx 'state3=T' "$TMP/z.out"
ok "... and the terminal is back with memwatch's group (its shell's job)" \
	grep -qx 'tty_to_memwatch3=True' "$TMP/z.out"
ok "continued, memwatch runs again" grep -Eqx 'state6=(S|R)' "$TMP/z.out"
ok "... and hands the terminal back to the command" grep -qx 'tty_to_memwatch6=False' "$TMP/z.out"
ok "the command finishes normally" grep -qx 'exit=0' "$TMP/z.out"
is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/z.json")" 0 "the result records its exit 0"

# Ctrl-C reaches the command (whose group holds the terminal): an interrupt.
drive 'sleep:0.5,key:^C' "$TMP/c.json" \
	"$MEMWATCH" -q -i 20ms --json "$TMP/c.json" -- "$HELPERS/mw-spin" sleep 30 >"$TMP/c.out"
ok "Ctrl-C: memwatch exits 130" grep -qx 'exit=130' "$TMP/c.out"
is "$(jqf '.configs[0].runs[0].interrupted' "$TMP/c.json")" true "Ctrl-C: the run is marked interrupted"
is "$(jqf '.configs[0].runs[0].exit_status' "$TMP/c.json")" 130 "Ctrl-C: the command died of SIGINT"

done_testing
