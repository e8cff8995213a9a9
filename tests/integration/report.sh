#!/bin/bash
# report.sh - memwatch report and memwatch diff on saved results
. "$top_srcdir/tests/setup"

data="$top_srcdir/tests/data"
spin="$HELPERS/mw-spin"
MIB=1048576

# Results to work on: one single run, and a comparison of two commands.
"$MEMWATCH" -q -i 50ms --json "$TMP/one.json" -- "$spin" mib 8 0.4
# (The commands outlive the idle checkpoint at 0.4 s, which ends the runs:
# a command gone first, while a loaded machine held memwatch off the CPU,
# would leave no idle footprint to diff.)
"$MEMWATCH" compare -q -r 2 -i 50ms -c "small=@$spin mib 8 0.8" -c "big=@$spin mib 16 0.8" \
	--idle 200ms --checkpoints 1 --json "$TMP/base.json"
ok "results to report on were written" valid_json "$TMP/base.json"

# A single run re-rendered: the report it had.
"$MEMWATCH" report "$TMP/one.json" >"$TMP/one.txt"
ok "report of one run: exit 0" test $? -eq 0
ok "... the detailed run report" grep -q 'tree peak (sampled)' "$TMP/one.txt"
ok "... with the per-process table" grep -q 'per process at the peak' "$TMP/one.txt"

# Several files merge: each file's configurations become columns.
jq '.host.kernel = "5.10.0-other" | .host.hostname = "ci-arm"' "$TMP/base.json" >"$TMP/other.json"
"$MEMWATCH" report "$TMP/base.json" "$TMP/other.json" --markdown "$TMP/m.md" --csv "$TMP/m.csv" \
	--json "$TMP/merged.json" >"$TMP/m.txt"
ok "merging two files: exit 0" test $? -eq 0
ok "clashing names get their file's name" grep -q 'small (base)' "$TMP/m.txt"
ok "... both sides" grep -q 'small (other)' "$TMP/m.txt"
ok "the hosts' difference is shown" grep -q 'the hosts differ' "$TMP/m.txt"
ok "... naming the other kernel" grep -q 'Linux 5.10.0-other' "$TMP/m.txt"
is "$(jqf '.configs | length' "$TMP/merged.json")" 4 "the merged result holds all four configurations"
is "$(jqf '[.configs[].host.kernel] | unique | length' "$TMP/merged.json")" 2 "... each with the host it ran on"
"$MEMWATCH" report "$TMP/merged.json" >/dev/null
ok "the merged result reads back" test $? -eq 0
ok "the CSV table has a header and a row per metric and column" \
	sh -c 'head -1 "$1" | grep -qx "metric,config,median,min,max,stddev,runs,unit,change_pct,p_value,verdict,ci_low_pct,ci_high_pct" &&
		test "$(grep -c "^peak," "$1")" -eq 4' sh "$TMP/m.csv"
cat >"$TMP/md.py" <<'PY'
# md.py FILE [COLUMNS]: every table in FILE parses; the first has COLUMNS.
import re, sys
cells = lambda l: re.split(r"(?<!\\)\|", l.strip())[1:-1]
tables, cur = [], []
for line in open(sys.argv[1]):
    if line.startswith("|"):
        cur.append(line)
    elif cur:
        tables.append(cur); cur = []
if cur:
    tables.append(cur)
assert tables, "no table"
for t in tables:
    n = len(cells(t[0]))
    assert len(t) >= 3 and all(len(cells(l)) == n for l in t), [len(cells(l)) for l in t]
    assert all(re.fullmatch(r"\s*:?-+:?\s*", c) for c in cells(t[1]))
    assert not any(ch in l for l in t for ch in "\x00\x01\x1b")
if len(sys.argv) > 2:
    assert len(cells(tables[0][0])) == int(sys.argv[2]), len(cells(tables[0][0]))
PY
ok "the merged markdown table parses (5 columns on every row)" python3 "$TMP/md.py" "$TMP/m.md" 5
"$MEMWATCH" report --baseline 'big (other)' "$TMP/base.json" "$TMP/other.json" >"$TMP/bl.txt"
ok "--baseline picks a merged column" grep -q 'change vs big (other)' "$TMP/bl.txt"

# A check that fails creates no output file.
"$MEMWATCH" report --baseline nope --json "$TMP/nope.json" "$TMP/base.json" 2>/dev/null
ok "--baseline of no column: exit 2, and no empty --json left" test $? -eq 2 -a ! -e "$TMP/nope.json"

# An interrupted run is left out of the statistics, and said so.
jq '.configs[0].runs += [.configs[0].runs[0] | .interrupted = true
	| .peak.footprint_bytes = 999999999999]' "$TMP/base.json" >"$TMP/int.json"
"$MEMWATCH" report --csv "$TMP/int.csv" "$TMP/int.json" >"$TMP/int.txt"
ok "the interrupted run's absurd peak is not in the median or max" \
	awk -F, '$1 == "peak" && $2 == "small" { found = 1; if ($5 + 0 >= 999999999999) exit 1 }
		END { exit !found }' "$TMP/int.csv"
ok "... and the table says a run was left out" grep -q '1 of 3 runs were interrupted and are left out' "$TMP/int.txt"

# Hostile names: escaped, never breaking a line or a table.
"$MEMWATCH" report "$data/result-hostile.json" --markdown "$TMP/h.md" >"$TMP/h.txt"
ok "hostile strings: exit 0" test $? -eq 0
ok "... no raw control bytes in the text" sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' sh "$TMP/h.txt"
ok "... the markdown table still parses" python3 "$TMP/md.py" "$TMP/h.md" \
	"$(( $(jqf '.configs | length' "$data/result-hostile.json") + 1 ))"

# Files that are not results: exit 2, one line naming the file and the fault.
while IFS='|' read -r file expect; do
	"$MEMWATCH" report "$data/$file" >/dev/null 2>"$TMP/err"
	st=$?
	ok "report $file: exit 2" test "$st" -eq 2
	ok "report $file: one line, naming it: '$expect'" sh -c \
		'test "$(wc -l <"$1")" -eq 1 && grep -q "^memwatch: report: .*$2: " "$1" && grep -qF -- "$3" "$1"' \
		sh "$TMP/err" "$file" "$expect"
done <<'TABLE'
result-empty.json|empty file
result-truncated.json|truncated (ends at byte
result-notjson.json|not JSON
result-wrongshape.json|expected a string, got an array
result-future.json|is newer than this memwatch reads
result-absurd.json|is not a byte count
TABLE
# A result with no configuration at all has nothing to show: refused,
# by report and by diff alike, rather than shown as an empty table.
jq '.configs = []' "$data/result-valid.json" >"$TMP/no-configs.json"
for cmd in report diff; do
	if [ $cmd = diff ]; then
		"$MEMWATCH" diff "$TMP/no-configs.json" "$data/result-valid.json" >/dev/null 2>"$TMP/err"
	else
		"$MEMWATCH" report "$TMP/no-configs.json" >/dev/null 2>"$TMP/err"
	fi
	ok "$cmd of a result with no configuration: exit 2" test $? -eq 2
	ok "... saying so in one line" grep -q "^memwatch: $cmd: .*no-configs.json: configs: holds no configuration" "$TMP/err"
done
"$MEMWATCH" report "$TMP/no-such.json" 2>"$TMP/err"
ok "a missing file: exit 2, 'cannot read'" test $? -eq 2 -a "$(grep -c 'cannot read' "$TMP/err")" -eq 1
"$MEMWATCH" report 2>"$TMP/err"
ok "no file: exit 2" test $? -eq 2

# diff: the same configurations, one side 25% bigger.
jq '.configs[].runs[] |= (.peak.footprint_bytes *= 1.25 | .peak.footprint_bytes |= floor
	| .checkpoints[].footprint_bytes |= (. * 1.25 | floor))' "$TMP/base.json" >"$TMP/new.json"
"$MEMWATCH" diff "$TMP/base.json" "$TMP/new.json" >"$TMP/d.txt"
ok "diff without thresholds: exit 0" test $? -eq 0
ok "diff shows each configuration" grep -q '^  small$' "$TMP/d.txt"
ok "... and the +25% peak" grep -q 'Tree peak footprint .* +25.0%' "$TMP/d.txt"
"$MEMWATCH" diff --max-increase peak=30% --max-increase footprint_idle=30 "$TMP/base.json" "$TMP/new.json" >"$TMP/d2.txt"
ok "within the thresholds: exit 0" test $? -eq 0
"$MEMWATCH" diff --max-increase peak=30% --max-increase footprint_idle=10% --markdown "$TMP/d.md" \
	"$TMP/base.json" "$TMP/new.json" >"$TMP/d3.txt"
ok "past a threshold: exit 1" test $? -eq 1
ok "... saying which" grep -q 'EXCEEDED small footprint_idle: +25.0% (at most +10%)' "$TMP/d3.txt"
ok "... and which held" grep -q 'ok       small peak: +25.0% (at most +30%)' "$TMP/d3.txt"
ok "the diff markdown says it" grep -q 'a threshold was exceeded' "$TMP/d.md"
ok "... in tables that parse" python3 "$TMP/md.py" "$TMP/d.md" 5
"$MEMWATCH" diff "$TMP/new.json" "$TMP/base.json" --max-increase peak=0% >/dev/null
ok "a decrease passes a 0% threshold" test $? -eq 0

# diff's text table lines up as a terminal shows it: "Σ" and "±" are two
# bytes and one column each, and no row starts its numbers a column early.
cat >"$TMP/align.py" <<'PY'
# align.py FILE: in each table of memwatch diff's text, every row ends its
# BASE, NEW and CHANGE cells at the column where the header ends them, and
# every line is as wide as the header: columns counted as a terminal shows
# them (characters), not bytes.
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
heads = [i for i, l in enumerate(lines) if l.lstrip().startswith("METRIC ")]
assert heads, "no table"
for h in heads:
    head = lines[h]
    edges = [head.index(w) + len(w) for w in (" BASE", " NEW", " CHANGE")]
    rows = []
    for l in lines[h + 1:]:
        if not l.strip() or not l.startswith("  "):
            break
        rows.append(l)
    assert rows, "a table with no row"
    for r in rows:
        for e in edges:
            assert r[e - 1] != " " and (e == len(r) or r[e] == " "), (r, e)
        assert len(r) == len(head), (r, len(r), len(head))
PY
jq '.configs[].runs[] |= (.peak.footprint_bytes *= 1.25 | .peak.footprint_bytes |= floor)' \
	"$data/result-valid.json" >"$TMP/valid-new.json"
"$MEMWATCH" diff "$data/result-valid.json" "$TMP/valid-new.json" >"$TMP/align.txt"
ok "the diff's text table starts with its Σ row" grep -q '^  Σ per-process peak' "$TMP/align.txt"
ok "... whose cells end in the columns of every other row's" python3 "$TMP/align.py" "$TMP/align.txt"
"$MEMWATCH" diff "$TMP/base.json" "$TMP/new.json" >"$TMP/align-live.txt"
ok "... and in a diff of live runs" python3 "$TMP/align.py" "$TMP/align-live.txt"

# Two single-configuration results compare whatever their names.
"$MEMWATCH" -q -n other --json "$TMP/one-b.json" -- "$spin" mib 9 0.4
"$MEMWATCH" diff "$TMP/one.json" "$TMP/one-b.json" >/dev/null
ok "one configuration each: compared by position" test $? -eq 0

# diff's errors: exit 2, one line each.
while IFS='|' read -r args expect; do
	# shellcheck disable=SC2086
	"$MEMWATCH" diff $args >/dev/null 2>"$TMP/err"
	st=$?
	ok "diff $args: exit 2" test "$st" -eq 2
	ok "diff $args: one line, '$expect'" sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -qF -- "$2" "$1"' \
		sh "$TMP/err" "$expect"
done <<TABLE
--max-increase nosuch=5% $TMP/base.json $TMP/new.json|'nosuch' is not a metric
--max-increase footprint_idle_90s=5% $TMP/base.json $TMP/new.json|has no footprint_idle_90s in both results
--max-increase peak $TMP/base.json $TMP/new.json|is not METRIC=PCT
--max-increase peak=lots $TMP/base.json $TMP/new.json|is not a percentage
$TMP/base.json $TMP/merged.json|the configurations differ
$TMP/base.json|give two result files
$TMP/base.json $data/result-truncated.json|truncated
$data/result-future.json $TMP/base.json|is newer than this memwatch reads
TABLE

# A reader gone before the output: exit 125 with one line naming standard
# output, as the run form, not a silent death by SIGPIPE (141). The reader
# is gone before memwatch starts, so the write fails every time.
to_gone_reader "$MEMWATCH" report "$TMP/base.json" 2>"$TMP/pipe-r.err"
is "$?" 125 "report to a closed pipe: exit status 125, not 141"
ok "... with one line naming standard output" sh -c 'test "$(wc -l <"$1")" -eq 1 &&
	grep -q "write error on standard output" "$1"' sh "$TMP/pipe-r.err"
to_gone_reader "$MEMWATCH" diff "$TMP/base.json" "$TMP/new.json" 2>"$TMP/pipe-d.err"
is "$?" 125 "diff to a closed pipe: exit status 125, not 141"
ok "... with one line naming standard output" sh -c 'test "$(wc -l <"$1")" -eq 1 &&
	grep -q "write error on standard output" "$1"' sh "$TMP/pipe-d.err"
to_gone_reader "$MEMWATCH" diff --max-increase peak=0% "$TMP/base.json" "$TMP/new.json" 2>/dev/null
is "$?" 125 "diff with a threshold passed, output lost: 125, not 1"
"$MEMWATCH" diff --max-increase peak=0% "$TMP/base.json" "$TMP/new.json" | cat >/dev/null
is "${PIPESTATUS[0]}" 1 "... and with its output whole: 1, the threshold's verdict"

# The idle drift's line as the report gives it: its span and whether the
# footprint had settled; a result written before those were kept (the
# line through every idle sample); none with too few idle samples.
one='.configs = [.configs[0]] | .configs[0].runs = [.configs[0].runs[0]]'
drift_line() { # drift_line JQ-EDIT: the report's idle drift line
	jq "$one | .configs[0].runs[0] |= ($1)" "$data/result-valid.json" >"$TMP/drift.json" &&
		"$MEMWATCH" report "$TMP/drift.json" | grep '^  idle drift'
}
is "$(drift_line .)" "  idle drift             -1.00 KiB per minute from 5.5 s to 8.2 s, once settled" \
	"report: the drift's span, once settled"
is "$(drift_line '.idle_drift_settled = false | .idle_drift_from_s = 0.25')" \
	"  idle drift             -1.00 KiB per minute from 250 ms to 8.2 s, not settled" \
	"report: the line through every idle sample is not settled"
is "$(drift_line 'del(.idle_drift_from_s, .idle_drift_to_s, .idle_drift_settled)')" \
	"  idle drift             -1.00 KiB per minute over the idle windows" \
	"report: a result without the line's span says it is over the idle windows"
is "$(drift_line '.idle_drift_bytes_per_min = null | .idle_drift_from_s = null | .idle_drift_to_s = null | .idle_drift_settled = null')" \
	"  idle drift             none: fewer than two idle samples" \
	"report: idle windows without a drift say why"
done_testing
