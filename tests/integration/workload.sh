#!/bin/bash
# workload.sh - memwatch compare with no command: the bundled workload
#
# system, jemalloc and mimalloc on the bundled bundler-like workload, 3 runs
# each: the table is printed, each preset is confirmed mapped in every
# process, and a second comparison agrees with the first within the
# spread they print. The phases are given (ready line, two idle windows of
# 1 s) to keep the 18 runs short; allocators.sh runs compare's defaults.
. "$top_srcdir/tests/setup"

for i in 1 2; do
	"$MEMWATCH" compare -c system -c jemalloc -c mimalloc -i 100ms --json "$TMP/w$i.json" \
		--ready 'ready in' --idle 1s --checkpoints 2 \
		>"$TMP/w$i.txt" 2>"$TMP/w$i.err"
	ok "[$i] compare on the bundled workload exits 0" test $? -eq 0
done
ok "the table has the peak and the idle checkpoints" \
	grep -q 'Tree peak footprint' "$TMP/w1.txt"
ok "... and footprint at each idle checkpoint" grep -q 'Footprint (idle 2 s)' "$TMP/w1.txt"
is "$(jqf '[.configs[].runs | length] | join(",")' "$TMP/w1.json")" "3,3,3" "3 runs of each"
is "$(jqf '.configs[0].command[0] | split("/") | last' "$TMP/w1.json")" memwatch-workload \
	"the command is the bundled workload"
ok "the workload's child is in the tree" jqt '[.configs[].runs[].processes_seen >= 2] | all' "$TMP/w1.json"
ok "jemalloc and mimalloc are confirmed mapped in every process checked" \
	jqt '[.configs[1:][] | .runs[] | .preload.processes_mapped == .preload.processes_checked
		and .preload.processes_checked >= 2] | all' "$TMP/w1.json"
ok "no configuration is flagged" sh -c '! grep -q "(!)" "$1"' sh "$TMP/w1.txt"
ok "the allocators differ in idle footprint (lowest and highest 15% apart)" \
	jqt '[.configs[].summary.footprint_idle.median] | (max - min) > 0.15 * max' "$TMP/w1.json"
# The second comparison's medians fall within the first's spread (min to
# max, widened by a stddev, or 1 MiB for a spread that happened to be 0).
ok "a repeated comparison agrees within the spread it prints" python3 - "$TMP/w1.json" "$TMP/w2.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for ca, cb in zip(a["configs"], b["configs"]):
    for m in ("peak", "footprint_idle"):
        sa, sb = ca["summary"][m], cb["summary"][m]
        slack = max(sa["stddev"], sb["stddev"], 1 << 20)
        lo, hi = min(sa["min"], sb["min"]) - slack, max(sa["max"], sb["max"]) + slack
        assert lo <= sa["median"] <= hi and lo <= sb["median"] <= hi
        assert abs(sa["median"] - sb["median"]) <= (hi - lo), (ca["name"], m, sa, sb)
        print("#", ca["name"], m, sa["median"], sb["median"], "spread", sa["min"], sa["max"])
PY
diag "$(cat "$TMP/w1.txt")"

done_testing
