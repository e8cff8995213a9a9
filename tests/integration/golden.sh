#!/bin/bash
# golden.sh - what memwatch prints for fixed inputs, byte for byte
#
# Every output that does not depend on a live run (the report and diff of
# saved results in each format, the help of each command, the errors of bad
# input) is compared with its expected text in tests/golden/. A change to
# what memwatch prints shows here as a diff; when the change is meant,
# regenerate the files with:  MW_GOLDEN_WRITE=1 make check TESTS=tests/integration/golden.sh
. "$top_srcdir/tests/setup"

data="$top_srcdir/tests/data"
golden="$top_srcdir/tests/golden"

# The inputs: the sample result (two configurations of two runs each), one
# run of it alone, and a later result with every size grown by a tenth.
jq '.configs = [.configs[0]] | .configs[0].runs = [.configs[0].runs[0]]' \
	"$data/result-valid.json" >"$TMP/one.json"
jq 'walk(if type == "object" then with_entries(if (.key | test("bytes$"))
	and (.value | type) == "number" then .value = (.value * 1.1 | floor) else . end)
	else . end)' \
	"$data/result-valid.json" >"$TMP/grown.json"

# Five runs a configuration (enough for the U test) and a third
# configuration of one run (too few); and the five grown by 20 MiB at the
# peak: tested changes beside untested ones.
jq '.configs |= map(.runs = [range(5) as $i | .runs[$i % 2]
	| .peak.footprint_bytes += $i * 1048576])
	| .configs += [.configs[1] | .name = "one" | .runs = [.runs[0]]]' \
	"$data/result-valid.json" >"$TMP/five.json"
jq '.configs |= map(.runs |= map(.peak.footprint_bytes += 20971520))' \
	"$TMP/five.json" >"$TMP/five-grown.json"

# golden NAME COMMAND...: run COMMAND (memwatch's own path is put in front)
# from the data folder, and compare its standard output, standard error and
# exit status with tests/golden/NAME.
golden() {
	local name=$1 out=$TMP/$1.out
	shift
	(cd "$TMP" && "$MEMWATCH" "$@" >"$out.1" 2>"$out.2"; echo "$?" >"$out.rc")
	{
		cat "$out.1"
		echo "--- stderr"
		sed "s|$TMP/||g; s|$data/||g" "$out.2"
		echo "--- exit $(cat "$out.rc")"
	} >"$out"
	golden_check "$name" "$out"
}

# golden_tty NAME COLUMNS COMMAND...: as golden, on a terminal COLUMNS
# wide (a pseudo-terminal, tests/pty/drive.py): what the terminal showed,
# standard output and error together, and the exit status.
golden_tty() {
	local name=$1 cols=$2 out=$TMP/$1.out
	shift 2
	if ! command -v python3 >/dev/null 2>&1; then
		skip "$name: as in tests/golden" "python3 (to drive a pseudo-terminal) is not installed"
		return
	fi
	(cd "$TMP" && DRIVE_COLUMNS=$cols python3 "$top_srcdir/tests/pty/drive.py" 'sleep:0' \
		"$out.screen" "$MEMWATCH" "$@" >"$out.facts")
	{
		tr -d '\r' <"$out.screen"
		echo "--- $cols columns, $(grep '^exit=' "$out.facts")"
	} >"$out"
	golden_check "$name" "$out"
}

# golden_check NAME OUT: OUT is tests/golden/NAME (or becomes it).
golden_check() {
	local name=$1 out=$2
	if [ -n "${MW_GOLDEN_WRITE:-}" ]; then
		cp "$out" "$golden/$name"
	fi
	if cmp -s "$out" "$golden/$name"; then
		ok "$name: as in tests/golden" true
	else
		diff -u "$golden/$name" "$out" | head -n 40 | sed 's/^/# /'
		ok "$name: as in tests/golden" false
	fi
}

cp "$data/result-valid.json" "$TMP/valid.json"

golden report-text report valid.json
golden report-text-bytes report --bytes valid.json
golden report-baseline report --baseline jemalloc valid.json
golden report-markdown report -q --markdown - valid.json
golden report-csv report -q --csv - valid.json
golden report-one report one.json
golden report-one-bytes report --bytes one.json
golden report-merged report valid.json grown.json
golden diff-text diff valid.json grown.json
golden diff-markdown diff -q --markdown - valid.json grown.json
golden diff-threshold diff --max-increase peak=5 valid.json grown.json
golden diff-one diff one.json one.json
golden report-tested report five.json
golden report-tested-markdown report -q --markdown - five.json
golden diff-tested diff five.json five-grown.json
golden diff-tested-markdown diff -q --markdown - five.json five-grown.json
golden_tty report-merged-80 80 report valid.json grown.json
golden_tty diff-text-80 80 diff --max-increase peak=5 valid.json grown.json
golden_tty report-one-80 80 report one.json
golden help-run --help
golden help-compare compare --help
golden help-report report --help
golden help-diff diff --help
golden bad-interval -i 0ms -- true
golden bad-option --no-such-option -- true
golden bad-no-command
golden bad-compare-config compare -c '=x' -- true
golden bad-report-missing report missing.json
golden bad-report-notjson report "$data/result-notjson.json"
golden bad-diff-threshold diff --max-increase peak=x valid.json grown.json
golden bad-diff-count diff valid.json

done_testing
