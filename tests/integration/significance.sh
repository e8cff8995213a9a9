#!/bin/bash
# significance.sh - a change is called one only when the runs say so: the U test, the gate, pooling
. "$top_srcdir/tests/setup"

data="$top_srcdir/tests/data"
spin="$HELPERS/mw-spin"

# result NAME:V,V,... ...: the sample result with these configurations,
# each run the sample's first run with its peak footprint set to V MiB.
result() {
	local cfgs=() c
	for c in "$@"; do
		cfgs+=("[\"${c%%:*}\", [${c#*:}]]")
	done
	local IFS=,
	jq --argjson cfgs "[${cfgs[*]}]" '.configs[0] as $c | .configs = [$cfgs[] | . as [$name, $vals]
		| $c | .name = $name | .runs = [$vals[] | . as $v | $c.runs[0]
		| .peak.footprint_bytes = ($v * 1048576 | floor)]]' "$data/result-valid.json"
}

noise=100,103,98,101,99,102,97,104,100,96
result "A:$noise" "B:99,101,97,103,100,98,102,105,96,101" >"$TMP/same.json"
result "A:$noise" >"$TMP/base.json"
# The median 9% up, the runs all over the place: noise, not a change.
result "A:85,125,90,120,95,110,108,112,80,115" >"$TMP/noisy.json"
result "A:$(tr , '\n' <<<"$noise" | awk '{ printf "%s%s", s, $1 * 1.3; s = "," }')" >"$TMP/grown.json"

# Two configurations of the same command, 10 runs each: not significant.
"$MEMWATCH" report -q --csv "$TMP/same.csv" --json "$TMP/same-merged.json" "$TMP/same.json"
is "$(grep '^peak,B,' "$TMP/same.csv" | cut -d, -f11)" "same" "10 runs of the same command each: not significant"
is "$(grep '^peak,B,' "$TMP/same.csv" | cut -d, -f10)" "0.8974" "... with p = 0.8974 (exact, given the ties)"
is "$(jqf '.configs[1].summary.peak.change | "\(.verdict) \(.p * 1e6 | round) \(.ci_low_pct) \(.ci_high_pct)"' \
	"$TMP/same-merged.json")" "same 897421 -3 3" "the result file's summary says so, with the interval"
"$MEMWATCH" report "$TMP/same.json" >"$TMP/same.txt"
ok "the table shows ~ and the p-value" grep -q 'Tree peak footprint.*~ (p=0.90)' "$TMP/same.txt"
ok "a metric with no spread on either side is compared exactly" grep -q 'Tree peak RSS.*~ (exact)' "$TMP/same.txt"

# The gate: noise passes, a real increase of 30% fails.
"$MEMWATCH" diff --max-increase peak=5 "$TMP/base.json" "$TMP/noisy.json" >"$TMP/noisy.txt"
ok "the gate passes on noise (+9% but p = 0.47)" test $? -eq 0
ok "... and its verdict says why" grep -q 'ok  *A peak: +9.0% (at most +5%); not significant, p=0.47' "$TMP/noisy.txt"
"$MEMWATCH" diff --max-increase peak=5 "$TMP/base.json" "$TMP/grown.json" >"$TMP/grown.txt"
ok "the gate fails on a real increase of 30%" test $? -eq 1
ok "... significant, p < 0.001" grep -q 'EXCEEDED A peak: +30.0% (at most +5%); significant, p<0.001' "$TMP/grown.txt"
ok "diff shows the spread of both sides" grep -q 'Tree peak footprint.*±2.6%.*±2.6%.*+30.0% (p<0.001)' "$TMP/grown.txt"
"$MEMWATCH" diff --strict --max-increase peak=29 "$TMP/base.json" "$TMP/grown.json" >"$TMP/strict.txt"
ok "--strict: +30% whose interval reaches down to +27% is within 29%" test $? -eq 0
ok "... and says its interval" grep -q 'ok  *A peak: +30.0% (at most +29%, strict); 95% interval +27.0% to +33.0%' "$TMP/strict.txt"
"$MEMWATCH" diff -q --strict --max-increase peak=25 "$TMP/base.json" "$TMP/grown.json"
ok "--strict: an interval wholly past 25% exceeds it" test $? -eq 1
"$MEMWATCH" diff -q --markdown "$TMP/gate.md" --max-increase peak=5 "$TMP/base.json" "$TMP/noisy.json"
ok "markdown's thresholds say why" grep -qF '| peak ≤ +5% | A | +9.0% | ok | not significant, p=0.47 |' "$TMP/gate.md"
ok "... its table a p-value beside the percent, in one parenthesis" \
	grep -qF '| Tree peak footprint (sampled) | 100.0 MiB ±2.6% | 109.0 MiB ±14.2% | +9.00 MiB (~, p=0.47) |' "$TMP/gate.md"
"$MEMWATCH" diff -q --markdown "$TMP/grown.md" --html "$TMP/grown.html" "$TMP/base.json" "$TMP/grown.json"
ok "markdown: a significant change bold, its p-value in the same parenthesis" \
	grep -qF '| +30.0 MiB (**+30.0%, p<0.001**) |' "$TMP/grown.md"
ok "... not one that is not significant" grep -qF '| +0 B (~, exact) |' "$TMP/grown.md"
ok "HTML: the same" grep -qF '+30.0 MiB (<b>+30.0%, p&lt;0.001</b>)' "$TMP/grown.html"
ok "... and plain where not significant" grep -qF '<td class="r">+0 B (~, exact)</td>' "$TMP/grown.html"

# Too few runs: the table says how many are needed; the gate falls back
# on the medians rather than never tripping.
result "A:100,101,102" "B:110,111,112" >"$TMP/three.json"
"$MEMWATCH" report --markdown "$TMP/three.md" --html "$TMP/three.html" --csv "$TMP/three.csv" \
	"$TMP/three.json" >"$TMP/three.txt"
ok "3 runs a side: the heading says once that 4 are needed at 0.05" \
	grep -q '; 3 runs each: no significance test (4 runs a side needed)$' "$TMP/three.txt"
ok "... and the cells show the bare change" grep -q 'Tree peak footprint.*+9.9%$' "$TMP/three.txt"
ok "... not the same mark in each" sh -c '! grep -q "runs needed)" "$1"' sh "$TMP/three.txt"
ok "markdown: the same, once" grep -q '; 3 runs each: no significance test (4 runs a side needed)\.$' "$TMP/three.md"
ok "... and no change bold, none being tested" sh -c '! grep -qF "**" "$1"' sh "$TMP/three.md"
ok "... its cells bare" grep -qF '| 111.0 MiB ±0.9% +9.9%<br>' "$TMP/three.md"
ok "HTML: the same, once" grep -q '; 3 runs each: no significance test (4 runs a side needed)\.</p>' "$TMP/three.html"
ok "... and no change bold" sh -c '! grep -q "<b>" "$1"' sh "$TMP/three.html"
ok "the CSV keeps each cell's verdict" grep -q '^peak,B,.*,9.901,,too_few,' "$TMP/three.csv"
# compare -r 1, as scripts/demo runs it: said once, not in every cell,
# and not "1 run each" twice.
"$MEMWATCH" compare -q -r 1 -i 50ms -c "a=@$spin mib 8 0.1" -c "b=@$spin mib 16 0.1" \
	-o "$TMP/r1.txt" --markdown "$TMP/r1.md"
ok "compare -r 1: the heading says once that nothing was tested" grep -q \
	'^memwatch compare: 2 configurations, 1 run each, interleaved; .*; no significance test (4 runs a side needed)$' \
	"$TMP/r1.txt"
ok "... and no cell says it again" sh -c '! grep -q "runs needed)" "$1"' sh "$TMP/r1.txt"
ok "... nor bold in markdown" sh -c '! grep -qF "**" "$1"' sh "$TMP/r1.md"
ok "... whose cells show the change" grep -q '^| Tree peak RSS | .* MiB | .* MiB +[0-9.]*% |$' "$TMP/r1.md"

# One configuration tested, another not: each cell says what it is.
result "A:$noise" "B:130,133,128,131,129,132,127,134,130,126" "C:120" >"$TMP/mixed.json"
"$MEMWATCH" report --markdown "$TMP/mixed.md" "$TMP/mixed.json" >"$TMP/mixed.txt"
ok "some tested, some not: the untested cell keeps its mark" \
	grep -q 'Tree peak footprint.*+30.0% (p<0.001) .*+20.0% (4 runs needed)' "$TMP/mixed.txt"
ok "... and the heading its legend" grep -q '; ~: not significant at 0.05 (Mann-Whitney U)$' "$TMP/mixed.txt"
ok "markdown: only the significant change bold" \
	grep -qF '**+30.0% (p<0.001)**<br><sub>126.0 MiB – 134.0 MiB</sub> | 120.0 MiB +20.0% (4 runs needed) |' "$TMP/mixed.md"
"$MEMWATCH" report --alpha 0.2 "$TMP/three.json" >"$TMP/three-02.txt"
ok "... and at 0.2, 3 are enough" grep -q 'Tree peak footprint.*+9.9% (p=0.10)' "$TMP/three-02.txt"
result "A:100" >"$TMP/one-a.json"
result "A:120" >"$TMP/one-b.json"
"$MEMWATCH" diff --max-increase peak=5 "$TMP/one-a.json" "$TMP/one-b.json" >"$TMP/one.txt"
ok "one run a side: the medians decide the gate" test $? -eq 1
ok "... and it says so" grep -q 'EXCEEDED A peak: +20.0% (at most +5%); 4 runs a side needed to test: the medians decide' "$TMP/one.txt"
"$MEMWATCH" report --alpha 0.7 "$TMP/three.json" 2>"$TMP/alpha.err"
ok "--alpha past 0.5 is a usage error" test $? -eq 2
ok "... that says what is allowed" grep -q "'0.7' is not a significance level above 0 and at most 0.5" "$TMP/alpha.err"

# Pooling: a CI matrix whose two jobs each ran 5 of the runs.
result "A:100,103,98,101,99" >"$TMP/job1.json"
result "A:102,97,104,100,96" >"$TMP/job2.json"
"$MEMWATCH" report -q --pool --csv "$TMP/pool.csv" --json "$TMP/pool.json" "$TMP/job1.json" \
	"$TMP/job2.json" 2>"$TMP/pool.err"
is "$(grep -c '^peak,' "$TMP/pool.csv")" "1" "--pool: one column"
is "$(grep '^peak,' "$TMP/pool.csv" | cut -d, -f7)" "10" "... of all 10 runs"
ok "... and no warning when the hosts agree" test ! -s "$TMP/pool.err"
jq '.host.kernel = "6.5.0" | .host.cpus = 8' "$TMP/job2.json" >"$TMP/job2-other.json"
"$MEMWATCH" report -q --pool --csv - "$TMP/job1.json" "$TMP/job2-other.json" >/dev/null 2>"$TMP/pool.err"
ok "--pool says where the hosts differ" \
	grep -q 'A of .*job2-other.json differs from the runs before: kernel 6.1.0-21-amd64 and 6.5.0; CPUs 4 and 8' "$TMP/pool.err"

# Merged files never hold two configurations of one name; diff refuses one
# that does rather than pair the wrong ones.
"$MEMWATCH" report -q --json "$TMP/merged.json" "$TMP/job1.json" "$TMP/job2.json"
is "$(jqf '[.configs[].name] | join(",")' "$TMP/merged.json")" "A (job1),A (job2)" \
	"report --json of two files: each name once"
jq '.configs += .configs' "$TMP/same.json" >"$TMP/dup.json"
"$MEMWATCH" diff "$TMP/dup.json" "$TMP/dup.json" >/dev/null 2>"$TMP/dup.err"
ok "diff refuses a result with two configurations of one name" test $? -eq 2
ok "... naming it" grep -q "holds two configurations named 'A'" "$TMP/dup.err"

# Live: the same command as two configurations, 10 runs each. (At 0.01:
# at 0.05 one comparison in twenty of pure noise is significant by design.)
"$MEMWATCH" compare -q -r 10 -i 50ms --alpha 0.01 -c "a=@$spin mib 16 0.1" -c "b=@$spin mib 16 0.1" \
	--json "$TMP/live.json" -o "$TMP/live.txt"
ok "live: compare of the same command twice exits 0" test $? -eq 0
is "$(jqf '.configs[1].summary.peak.change.verdict | test("same")' "$TMP/live.json")" "true" \
	"live: the peak of the same command is not significantly different"

# Live, the other way: glibc malloc against jemalloc on the bundled
# workload, 6 runs each: jemalloc holds about a quarter more at the idle
# checkpoint, run after run (the spread is under 1%), and with 6 runs a side
# the smallest p-value is 2/924: the change is significant, and its interval
# lies on one side of zero.
if ldconfig -p 2>/dev/null | grep -q 'libjemalloc\.so\.2 '; then
	"$MEMWATCH" compare -q -r 6 -c system -c jemalloc --ready 'ready in' --idle 2s \
		--checkpoints 1 --json "$TMP/alloc.json" >/dev/null 2>&1
	ok "live: system against jemalloc on the bundled workload, 6 runs each, exits 0" test $? -eq 0
	ch='.configs[1].summary.footprint_idle.change'
	diag "idle footprint change: $(jq -c "$ch" "$TMP/alloc.json")"
	ok "live: jemalloc's idle footprint differs significantly from glibc malloc's" \
		jqt "$ch.verdict == \"changed\" and $ch.p < 0.05" "$TMP/alloc.json"
	ok "... its confidence interval on one side of zero" \
		jqt "($ch.ci_low_pct > 0) == ($ch.ci_high_pct > 0)" "$TMP/alloc.json"
else
	skip "live: system against jemalloc on the bundled workload" "libjemalloc2 is not installed"
fi

done_testing
