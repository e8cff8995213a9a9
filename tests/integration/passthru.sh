#!/bin/bash
# passthru.sh - a watched command's output arrives byte for byte
#
# With --ready or --mark, memwatch reads the command's stdout and stderr
# line by line on their way through. Megabytes of binary noise, with and
# without newlines, must come out identical, in order per stream, without
# deadlock however fast the command writes.
. "$top_srcdir/tests/setup"

# 4 MiB of random bytes (newlines among them), and 3 MiB of one line.
head -c 4194304 /dev/urandom >"$TMP/noise"
head -c 3145728 /dev/zero | tr '\0' 'x' >"$TMP/oneline"
printf 'tail without a newline' >>"$TMP/oneline"
sum() { sha256sum <"$1" | cut -d' ' -f1; }

"$MEMWATCH" -q --ready 'never' --ready-timeout 60s -- \
	sh -c 'cat "$1" & cat "$2" >&2; wait' sh "$TMP/noise" "$TMP/oneline" \
	>"$TMP/out" 2>"$TMP/err"
ok "the command's status passes through" test $? -eq 0
is "$(sum "$TMP/out")" "$(sum "$TMP/noise")" "4 MiB of binary on stdout, byte for byte"
is "$(sum "$TMP/err")" "$(sum "$TMP/oneline")" "a 3 MiB line and a partial one on stderr, byte for byte"

# Both streams at once, interleaved by the command: each keeps its order.
"$MEMWATCH" -q --mark 'line 5000=half' --json "$TMP/m.json" -- sh -c '
	i=0; while [ $i -lt 10000 ]; do echo "line $i"; echo "err $i" >&2; i=$((i+1)); done' \
	>"$TMP/o2" 2>"$TMP/e2"
ok "ten thousand lines on each stream" test "$(wc -l <"$TMP/o2")" -eq 10000 -a "$(wc -l <"$TMP/e2")" -eq 10000
ok "stdout in order" test "$(sum "$TMP/o2")" = "$(seq 0 9999 | sed 's/^/line /' | sha256sum | cut -d' ' -f1)"
ok "stderr in order" test "$(sum "$TMP/e2")" = "$(seq 0 9999 | sed 's/^/err /' | sha256sum | cut -d' ' -f1)"
is "$(jqf '[.configs[0].runs[0].checkpoints[] | select(.kind == "mark") | .label] | join(",")' "$TMP/m.json")" \
	half "a mark matched a line among them (once: 'line 5000' only)"

# A command that closes its output early and keeps running.
"$MEMWATCH" -q --ready 'up' --idle 200ms --checkpoints 1 --json "$TMP/c.json" -- \
	sh -c 'echo up; exec >&- 2>&-; sleep 5' >"$TMP/o3"
ok "a command that closed its output is still measured to the end" test $? -eq 0
is "$(cat "$TMP/o3")" up "... and its output before that arrived"

# A reader that goes away: the command is not blocked by memwatch.
"$MEMWATCH" -q --ready 'x' --ready-timeout 20s --json "$TMP/p.json" -- \
	sh -c 'yes | head -c 2000000; echo done >&2' 2>"$TMP/e4" | head -c 10 >/dev/null
ok "a closed pipe downstream does not hang the command" grep -q done "$TMP/e4"

# A reader that went away before the report: memwatch's own failure (125,
# one line), not a death by SIGPIPE that reads as the command's 141.
to_gone_reader "$MEMWATCH" -- sh -c 'echo x; sleep 0.3' 2>"$TMP/e5"
is "$?" 125 "the report's reader gone: exit status 125, not 141"
ok "... with one line on stderr" one_line "$TMP/e5"
ok "... which names the write error" says "$TMP/e5" "write error on standard output"

# A last line without a newline: the report starts on a line of its own.
"$MEMWATCH" --mark 'x=x' -- printf 'no newline' >"$TMP/nl.out" 2>/dev/null
is "$(head -1 "$TMP/nl.out")" "no newline" "the command's unfinished last line stays its own"
ok "... and the report starts on the next line" sh -c 'sed -n 2p "$1" | grep -q "^memwatch: printf"' sh "$TMP/nl.out"

# An interval longer than the whole run: a warning, one line.
"$MEMWATCH" -q -i 5s -- sleep 0.2 2>"$TMP/iv.err"
ok "-i longer than the run: a one-line warning" one_line "$TMP/iv.err"
ok "... that says the run was shorter than --interval" says "$TMP/iv.err" "was shorter than --interval (5s)"
"$MEMWATCH" -q -- true 2>"$TMP/iv2.err"
ok "... not for the default interval" test ! -s "$TMP/iv2.err"

done_testing
