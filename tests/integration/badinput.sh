#!/bin/bash
# badinput.sh - every command's malformed values, odd '--', unwritable outputs
#
# Every case: exit 2 (usage) or 125 (an output that failed while writing),
# one line on stderr naming what was wrong, and nothing run or written.
# (The run form's option values are in cli.sh; result files in report.sh.)
. "$top_srcdir/tests/setup"

data="$top_srcdir/tests/data"
valid="$data/result-valid.json"
export valid

# expect STATUS 'ARGS' 'TEXT': memwatch ARGS exits STATUS, one line with TEXT.
expect() {
	local want=$1 args=$2 text=$3 st
	eval "set -- $args"
	"$MEMWATCH" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	st=$?
	ok "memwatch $args: exit $want" test "$st" -eq "$want"
	ok "memwatch $args: one line saying '$text'" \
		sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -qF -- "$2" "$1"' sh "$TMP/err" "$text"
}

while IFS='|' read -r st args text; do
	[ -n "$st" ] || continue
	expect "$st" "$args" "$text"
done <<'TABLE'
2|compare -r ''|--runs: '' is not a whole number
2|compare -r -1|--runs: '-1' is not a whole number
2|compare -r 0|--runs: '0' is below the minimum of 1
2|compare -r 1001|--runs: '1001' is above the maximum of 1000
2|compare -r 18446744073709551616|--runs: '18446744073709551616' is above the maximum of 1000
2|compare --warmup 101 -c system -- true|--warmup: '101' is above the maximum of 100
2|compare --warmup x|--warmup: 'x' is not a whole number
2|compare -c ''|the name must be 1 to 40 letters
2|compare -c system --baseline '' -- true|--baseline: '' is not one of the configurations
2|compare -c system --markdown '' -- true|--markdown: the file name is empty
2|compare -c system --markdown - --json - -- true|only one of --json, --csv, --html, --markdown and --output can be -
2|compare -n x|--name: compare names each configuration with -c NAME
2|compare --bogus|unknown option '--bogus'
2|compare -c|option '-c' needs a value
2|compare -c system -i 0 -- true|--interval: '0' is below the minimum of 1ms
2|compare -c system --idle 1s --checkpoints 2 --settle -- true|--settle: needs --checkpoints of 3 or more
2|report|no result file
2|report --bogus "$valid"|unknown option '--bogus'
2|report --baseline nope "$valid"|--baseline: 'nope' is not one of the configurations
2|report --markdown '' "$valid"|--markdown: the file name is empty
2|report --json - --csv - "$valid"|only one of --output, --markdown, --json, --csv and --html can be -
2|report - -|standard input (-) can be read once only
2|report "$data"|cannot read
2|diff|give two result files
2|diff "$valid"|give two result files
2|diff "$valid" "$valid" "$valid"|give two result files
2|diff - - |standard input (-) can be read once only
2|diff --max-increase '' "$valid" "$valid"|is not METRIC=PCT
2|diff --max-increase = "$valid" "$valid"|is not METRIC=PCT
2|diff --max-increase peak= "$valid" "$valid"|--max-increase: '' is not a percentage
2|diff --max-increase peak=-5% "$valid" "$valid"|--max-increase: '-5%' is not a percentage
2|diff --max-increase peak=5%% "$valid" "$valid"|is not a percentage
2|diff --max-increase peak=99999999999999999999 "$valid" "$valid"|is above the maximum
2|diff --max-increase lazy=5 "$valid" "$valid"|'lazy' is not a metric
2|diff --max-increase footprint_=5 "$valid" "$valid"|'footprint_' is not a metric
2|diff -o '' "$valid" "$valid"|--output: the file name is empty
2|diff --bogus "$valid" "$valid"|unknown option '--bogus'
2|--json x --|no command to measure
127|-- -- true|--: command not found
127|-i 50ms -- --json x|--json: command not found
2|--attach|option '--attach' needs a value
2|--attach ''|--attach: '' is not a whole number
2|--attach -5|--attach: '-5' is not a whole number
TABLE

# '--' before the operands of report and diff ends the options there too.
"$MEMWATCH" report -q -- "$valid"
ok "report -- FILE: exit 0" test $? -eq 0
"$MEMWATCH" diff -q -- "$valid" "$valid"
ok "diff -- BASE NEW: exit 0" test $? -eq 0

# Outputs that cannot be written: at the start (exit 2), or while writing
# (a full disk: exit 125). Nothing half-written is left silently.
for opt in --json --csv --output; do
	"$MEMWATCH" -q "$opt" "$TMP/missing/dir/f" -- true 2>"$TMP/err"
	ok "$opt into a missing directory: exit 2 before running" test $? -eq 2
	"$MEMWATCH" -q "$opt" /dev/full -- true 2>"$TMP/err"
	ok "$opt to a full disk: exit 125" test $? -eq 125
	ok "$opt to a full disk: said in one line" test "$(wc -l <"$TMP/err")" -eq 1
done
for opt in --markdown --json --csv --output; do
	"$MEMWATCH" report -q "$opt" /dev/full "$valid" 2>"$TMP/err"
	ok "report $opt to a full disk: exit 125" test $? -eq 125
done
"$MEMWATCH" diff --markdown /dev/full "$valid" "$valid" >/dev/null 2>"$TMP/err"
ok "diff --markdown to a full disk: exit 125" test $? -eq 125
"$MEMWATCH" diff "$valid" "$valid" >/dev/full 2>"$TMP/err"
ok "diff to a full stdout: exit 125" test $? -eq 125
"$MEMWATCH" report "$valid" >&- 2>"$TMP/err"
ok "report to a closed stdout: exit 125" test $? -eq 125

# A read-only directory (even root cannot write there): a read-only bind
# mount in a private mount namespace.
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	mkdir -p "$TMP/ro"
	unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
		exec "$2" -q --json "$1/r.json" -- true' sh "$TMP/ro" "$MEMWATCH" 2>"$TMP/err"
	ok "--json in a read-only directory: exit 2" test $? -eq 2
	ok "... naming the reason" grep -q "cannot write '$TMP/ro/r.json': Read-only file system" "$TMP/err"
else
	skip "an output in a read-only directory" "a read-only bind mount needs root and unshare -m"
fi

# Hostile names in the CSV table: quoted, every row the same width.
"$MEMWATCH" report -q --csv "$TMP/h.csv" "$data/result-hostile.json"
ok "report --csv of hostile names: exit 0" test $? -eq 0
ok "... every CSV row has 13 fields" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) > 1 and all(len(r) == 13 for r in rows), [len(r) for r in rows]
assert not any(c in f for r in rows for f in r for c in "\n\r\x01")' "$TMP/h.csv"
"$MEMWATCH" report "$data/result-hostile.json" >"$TMP/h.txt"
ok "... and the text table has no raw control bytes" sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' sh "$TMP/h.txt"
"$MEMWATCH" diff "$data/result-hostile.json" "$data/result-hostile.json" >"$TMP/hd.txt"
ok "... nor the diff" sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' sh "$TMP/hd.txt"
"$MEMWATCH" compare -q -r 1 -c 'odd.name-1+x:MW=1' --csv "$TMP/s.csv" -- true
ok "a series CSV row has 16 fields for any configuration name" \
	python3 -c 'import csv,sys; assert all(len(r) == 16 for r in csv.reader(open(sys.argv[1])))' "$TMP/s.csv"

done_testing
