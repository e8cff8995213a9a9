#!/bin/bash
# sparkline.sh - at a terminal, the run's report ends with its footprint over time in one line
. "$top_srcdir/tests/setup"

if ! command -v python3 >/dev/null 2>&1; then
	skip "the sparkline at a terminal" "python3 (to drive a pseudo-terminal) is not installed"
	done_testing
	exit
fi
drive() {
	python3 "$top_srcdir/tests/pty/drive.py" "$@"
}

LC_ALL=C.UTF-8 drive 'sleep:0.1' "$TMP/utf8" "$MEMWATCH" -i 20ms -- "$HELPERS/mw-spin" mib 8 0.4 >/dev/null
ok "at a terminal, in UTF-8: a line of block characters" \
	grep -aq '^  footprint over time  [▁▂▃▄▅▆▇█]\{60\}  0 – 8\.[0-9]* MiB' "$TMP/utf8"
LC_ALL=C drive 'sleep:0.1' "$TMP/ascii" "$MEMWATCH" -i 20ms -- "$HELPERS/mw-spin" mib 8 0.4 >/dev/null
ok "under LC_ALL=C: plain ASCII" grep -aq '^  footprint over time  [_.:=+*#-]\{60\}  0 – ' "$TMP/ascii"
"$MEMWATCH" -i 20ms -- "$HELPERS/mw-spin" mib 8 0.1 >"$TMP/file.txt" 2>/dev/null
ok "not in a file" sh -c '! grep -q "footprint over time" "$1"' sh "$TMP/file.txt"

done_testing
