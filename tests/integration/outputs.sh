#!/bin/bash
# outputs.sh - the result file, the CSV series, the report, and their errors
. "$top_srcdir/tests/setup"
export HELPERS

# (1.5 s at 20 ms is some 75 samples: 20 of them still if a loaded machine
# holds memwatch off the CPU for a while.)
"$MEMWATCH" -i 20ms --json "$TMP/r.json" --csv "$TMP/s.csv" -o "$TMP/report.txt" -- \
	"$HELPERS/mw-spin" mib 8 1.5 >"$TMP/stdout"
ok "a run with every output exits 0" test $? -eq 0
ok "the report went to -o, not stdout" test ! -s "$TMP/stdout"
ok "the report names the command" grep -q '^memwatch: .*mw-spin mib 8 1.5 — exit 0' "$TMP/report.txt"
ok "the report has the tree peak" grep -q 'tree peak (sampled)' "$TMP/report.txt"
ok "the report labels Σ per-process peak an upper bound" grep -q 'Σ per-process peak.*upper bound' "$TMP/report.txt"
ok "the report states memwatch's own cost" grep -q 'memwatch itself: .* cpu, .* rss' "$TMP/report.txt"

# The result file: schema and every name the product promises.
r="$TMP/r.json"
is "$(jqf .schema "$r")" memwatch-result/1 "schema"
ok "memwatch_version" jqt '.memwatch_version | test("^[0-9]+\\.[0-9]+\\.[0-9]+$")' "$r"
ok "host fields" jqt '.host | (.kernel|type)=="string" and (.cpus>=1) and (.page_size>=4096)
	and (.mem_total_bytes>0) and (.thp|type)=="string"' "$r"
ok "one config with its command and env" jqt '.configs|length==1 and
	(.[0].command == [env.HELPERS + "/mw-spin", "mib", "8", "1.5"]) and (.[0].env|type)=="object"' "$r"
ok "run fields" jqt '.configs[0].runs[0] | (.exit_status==0) and (.wall_s>0.5) and (.cpu_s>=0)
	and (.interrupted==false) and (.sum_proc_peak_bytes>0)' "$r"
ok "peak fields" jqt '.configs[0].runs[0].peak | (.t_s>=0) and (.footprint_bytes>8*1048576)
	and (.rss_bytes>=.footprint_bytes) and (.pss_bytes>0)' "$r"
ok "checkpoint fields" jqt '.configs[0].runs[0].checkpoints[0] | (.label=="exit") and (.t_s>0)
	and has("footprint_bytes","rss_bytes","pss_bytes","uss_bytes","lazyfree_bytes")' "$r"
ok "process fields" jqt '.configs[0].runs[0].processes[0] | (.pid>0) and (.ppid>0)
	and (.command|contains("mw-spin")) and (.start_s>=0) and (.end_s>.start_s) and (.exit_status==0)
	and (.hwm_bytes>=8*1048576) and (.peak_footprint_bytes>=8*1048576)' "$r"
ok "sampler fields" jqt '.configs[0].runs[0].sampler | (.samples>=20) and (.cpu_s>=0)
	and (.max_rss_bytes>0)' "$r"
small_rss "memwatch's own peak is under 8 MiB" "$r"
ok "summary has median, min and max" jqt '.configs[0].summary.peak | has("median","min","max")' "$r"

# The CSV series: one row per sample, as many as the result counts.
samples=$(jqf '.configs[0].runs[0].sampler.samples' "$r")
is "$(head -1 "$TMP/s.csv")" \
	"config,run,t_s,phase,processes,footprint_bytes,rss_bytes,anon_bytes,file_bytes,shmem_bytes,swap_bytes,pss_bytes,uss_bytes,lazyfree_bytes,deep_reads,deep_complete" \
	"CSV header"
is "$(($(wc -l <"$TMP/s.csv") - 1))" "$samples" "one CSV row per sample"
ok "every CSV row has 16 fields" awk -F, 'NF != 16 { exit 1 }' "$TMP/s.csv"
ok "CSV time only moves forward" awk -F, 'NR > 2 && $3 < prev { exit 1 } { prev = $3 }' "$TMP/s.csv"
ok "CSV rows reach the 8 MiB the target holds" awk -F, 'NR > 1 && $6 >= 8388608 { found = 1 } END { exit !found }' "$TMP/s.csv"

# The command's output passes through byte for byte.
"$MEMWATCH" -q -- sh -c 'printf "a\0b\nno newline at end"; printf "err\n" >&2' >"$TMP/o" 2>"$TMP/e"
is "$(od -An -c "$TMP/o" | tr -s ' ')" "$(printf 'a\0b\nno newline at end' | od -An -c | tr -s ' ')" \
	"stdout passes through untouched"
is "$(cat "$TMP/e")" err "stderr passes through untouched"

"$MEMWATCH" -q --json - -- true >"$TMP/stdout.json"
ok "--json - writes only the result to stdout" jqt '.schema' "$TMP/stdout.json"
"$MEMWATCH" --bytes -- "$HELPERS/mw-spin" mib 4 0.3 >"$TMP/bytes"
ok "--bytes prints byte counts" grep -Eq 'footprint [0-9]{7,} ' "$TMP/bytes"
"$MEMWATCH" -q --json "$TMP/q.json" -- true >"$TMP/qout" 2>"$TMP/qerr"
ok "-q prints nothing" test ! -s "$TMP/qout" -a ! -s "$TMP/qerr"
ok "-q still writes the files" jqt .schema "$TMP/q.json"

# Output errors are never silent.
"$MEMWATCH" -q --json /dev/full -- true 2>"$TMP/err"
ok "--json to a full disk exits 125" test $? -eq 125
ok "... naming --json and the reason" grep -q "^memwatch: --json: write error on '/dev/full': No space left on device" "$TMP/err"
"$MEMWATCH" -q --csv /dev/full -- "$HELPERS/mw-spin" sleep 0.2 2>"$TMP/err"
ok "--csv to a full disk exits 125" test $? -eq 125
"$MEMWATCH" -- true >/dev/full 2>"$TMP/err"
ok "the report to a full disk exits 125" test $? -eq 125
ok "... saying why" grep -q 'write error on standard output: No space left on device' "$TMP/err"
"$MEMWATCH" -- "$HELPERS/mw-spin" exit 3 >/dev/full 2>/dev/null
ok "a write error wins over the command's status" test $? -eq 125
"$MEMWATCH" -- true >&- 2>"$TMP/err"
ok "a closed stdout is an error" test $? -eq 125

# Hostile names come out escaped: no raw control bytes, valid JSON.
"$MEMWATCH" -i 20ms --json "$TMP/h.json" -- sh -c 'sleep 0.3' "$(printf 'x\ny|z\001')" >"$TMP/h.txt"
ok "a command with a newline keeps the report's first line whole" \
	grep -qF "memwatch: sh -c 'sleep 0.3' 'x\\ny|z\\x01' — exit 0" "$TMP/h.txt"
ok "... and the result file valid" jqt '.configs[0].command[3] == "x\ny|z\u0001"' "$TMP/h.json"

# The tree's CPU time is counted (a busy child, reaped by its shell).
"$MEMWATCH" -q --json "$TMP/cpu.json" -- sh -c 'sh -c "i=0; while [ \$i -lt 300000 ]; do i=\$((i+1)); done"'
ok "the tree's CPU time includes a grandchild's work" \
	jqt '.configs[0].runs[0] | .cpu_s > 0.2 and .cpu_s <= .wall_s * 2 + 0.1' "$TMP/cpu.json"

# memwatch's own CPU share is over its own time for the run. The command
# exits at once, but a writer from outside the tree holds its output
# through memwatch (--mark) for a second: memwatch works on after the
# command, draining it. Its share then lies between its CPU time over the
# time around it and over the writer's time inside it: below 100 without
# a clamp, and far below what the command's few milliseconds would give
# (instrumented, memwatch is busy the whole time: no room left below 100).
# The command's wall time is held to under half the writer's time, not to
# a fixed length a loaded machine may exceed: over the command's time the
# share would be twice the bound over the writer's, and fail.
below=90
sanitized && below=100.01
s0=$(date +%s%N)
"$MEMWATCH" -q --mark 'zz=a' --json "$TMP/drain.json" -- \
	sh -c 'echo $$ >"$1"; while [ ! -e "$2" ]; do sleep 0.01; done' sh "$TMP/drain.pid" "$TMP/drain.go" >/dev/null &
mw=$!
while [ ! -s "$TMP/drain.pid" ]; do sleep 0.01; done
w0=$(date +%s%N)
# The command exits once the writer holds its output. The writer's end is
# timed while it still holds the output, so inside memwatch's own time
# however late a loaded machine lets this shell see the writer gone.
(exec >"/proc/$(cat "$TMP/drain.pid")/fd/1" && touch "$TMP/drain.go" &&
	for _ in $(seq 40); do yes | head -c 100000; sleep 0.02; done &&
	date +%s%N >"$TMP/drain.w1") 2>/dev/null
w1=$(cat "$TMP/drain.w1" 2>/dev/null || date +%s%N)
wait "$mw"
s1=$(date +%s%N)
jq -c --argjson outer "$(((s1 - s0) / 1000))" --argjson inner "$(((w1 - w0) / 1000))" \
	'.configs[0].runs[0] | {wall_s, cpu_s: .sampler.cpu_s, cpu_pct: .sampler.cpu_pct,
	 outer_s: ($outer / 1e6), inner_s: ($inner / 1e6)}' "$TMP/drain.json" | sed 's/^/# /'
is "$(jq --argjson outer "$(((s1 - s0) / 1000))" --argjson inner "$(((w1 - w0) / 1000))" \
	'.configs[0].runs[0] | .wall_s < 0.5 * ($inner / 1e6) and .sampler.cpu_s > 0 and
	 .sampler.cpu_pct <= 100 and .sampler.cpu_pct < '"$below"' and
	 .sampler.cpu_pct >= 0.95 * 100 * .sampler.cpu_s / ($outer / 1e6) and
	 .sampler.cpu_pct <= 1.05 * 100 * .sampler.cpu_s / ($inner / 1e6) + 0.01' "$TMP/drain.json")" \
	true "memwatch's cpu_pct: its CPU time over its own time, not the command's"

done_testing
