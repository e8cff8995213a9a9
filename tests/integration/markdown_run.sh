#!/bin/bash
# markdown_run.sh - one run's report as markdown, for CI step summaries
. "$top_srcdir/tests/setup"

spin="$HELPERS/mw-spin"

"$MEMWATCH" -q -i 20ms --markdown "$TMP/r.md" --json "$TMP/r.json" -- "$spin" mib 8 0.3
ok "--markdown of a run exits 0" test $? -eq 0
ok "... with a heading naming the configuration" grep -qx '### memwatch: mw-spin' "$TMP/r.md"
ok "... the tree peak's row" grep -q '^| Tree peak (sampled) | .* | 8\.[0-9]* MiB |' "$TMP/r.md"
ok "... a row per checkpoint" grep -q '^| exit | ' "$TMP/r.md"
ok "... and the processes" grep -q "^| [0-9]* | $spin mib 8 0.3 | " "$TMP/r.md"
"$MEMWATCH" -q --markdown - -- "$spin" mib 1 0.05 >"$TMP/out.md"
ok "--markdown - writes to standard output" grep -q '^### memwatch: mw-spin' "$TMP/out.md"
"$MEMWATCH" --markdown - -- "$spin" mib 1 0.05 >"$TMP/both.md" 2>/dev/null
ok "... and then the text report goes nowhere else" sh -c '! grep -q "tree peak (sampled)" "$1"' sh "$TMP/both.md"
"$MEMWATCH" report -q --markdown "$TMP/again.md" "$TMP/r.json"
ok "report --markdown of a one-run result writes the same" cmp -s "$TMP/r.md" "$TMP/again.md"
"$MEMWATCH" -q --markdown - --json - -- true 2>"$TMP/err"
ok "only one output may be -" test $? -eq 2
ok "... naming --markdown" grep -q 'only one of --json, --csv, --html, --markdown and --output can be -' "$TMP/err"
"$MEMWATCH" -q --markdown "$TMP/x.md" -- /nonexistent/command 2>/dev/null
ok "a command that cannot start leaves no markdown file" test ! -e "$TMP/x.md"

done_testing
