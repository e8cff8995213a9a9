#!/bin/bash
# cli.sh - the command line: help, version, and every malformed value
. "$top_srcdir/tests/setup"

"$MEMWATCH" --help >"$TMP/help" 2>"$TMP/err"
ok "--help exits 0" test $? -eq 0
ok "--help shows the usage line" grep -q '^Usage: memwatch' "$TMP/help"
for opt in --interval --timeout --kill-after --signal --deep-budget --json --csv \
	--output --name --bytes --quiet --version; do
	ok "--help documents $opt" grep -q -- "$opt" "$TMP/help"
done
ok "--help writes nothing on stderr" test ! -s "$TMP/err"

for cmd in compare report diff; do
	"$MEMWATCH" "$cmd" --help >"$TMP/help-$cmd" 2>"$TMP/err"
	ok "$cmd --help exits 0" test $? -eq 0
	ok "$cmd --help shows its usage line" grep -q "^Usage: memwatch $cmd" "$TMP/help-$cmd"
	ok "$cmd --help states the exit statuses" grep -q '^Exit status' "$TMP/help-$cmd"
done
ok "compare --help shows the CONFIG forms" grep -q 'NAME=PRESET:VAR=VALUE' "$TMP/help-compare"
ok "diff --help shows --max-increase" grep -q 'max-increase=METRIC=PCT' "$TMP/help-diff"

out=$("$MEMWATCH" --version)
ok "--version exits 0" test $? -eq 0
ok "--version prints name and version" test -n "$(echo "$out" | grep -E '^memwatch [0-9]+\.[0-9]+\.[0-9]+$')"

"$MEMWATCH" --help >/dev/full 2>"$TMP/err"
ok "--help to a full disk fails" test $? -eq 125
ok "... and says so" grep -q 'write error' "$TMP/err"

# Every command's help, and the version, to a reader gone before they are
# written: 125 and one line naming standard output, never a silent
# SIGPIPE (141).
for args in --help --version "compare --help" "report --help" "diff --help"; do
	# shellcheck disable=SC2086
	to_gone_reader "$MEMWATCH" $args 2>"$TMP/pipe.err"
	is "$?" 125 "$args to a closed pipe: exit status 125"
	ok "... one line naming standard output" sh -c 'test "$(wc -l <"$1")" -eq 1 &&
		grep -q "write error on standard output" "$1"' sh "$TMP/pipe.err"
done

# Malformed values: option, value, a word the message must contain.
while IFS='|' read -r opt val expect; do
	[ -n "$opt" ] || continue
	"$MEMWATCH" "$opt" "$val" -- true >"$TMP/out" 2>"$TMP/err"
	st=$?
	ok "$opt '$val' exits 2" test "$st" -eq 2
	ok "$opt '$val' gives one line" one_line "$TMP/err"
	ok "$opt '$val' names the option and says '$expect'" \
		grep -q -- "^memwatch: $opt: .*$expect" "$TMP/err"
done <<'TABLE'
--interval|0ms|below the minimum of 1ms
--interval|0.5ms|below the minimum of 1ms
--interval|-1s|not a duration
--interval||not a duration
--interval|abc|not a duration
--interval|10parsecs|not a duration
--interval|2h|above the maximum of 3600s
--interval|99999999999999999999999s|above the maximum
--timeout|0|below the minimum of 1ms
--timeout|1e3|not a duration
--timeout|400d|not a duration
--kill-after|x|not a duration
--kill-after|-5s|not a duration
--signal|NOPE|not a signal
--signal|0|not a signal
--signal|99999|not a signal
--signal||not a signal
--deep-budget|101|above the maximum of 100%
--deep-budget|-1|not a percentage
--deep-budget|two|not a percentage
--deep-budget|5%%|not a percentage
--json||the file name is empty
--csv||the file name is empty
--output||the file name is empty
--name||the name is empty
--ready||the pattern is empty
--ready|(unclosed|not a valid extended regex
--ready-timeout|soon|not a duration
--ready-timeout|0s|below the minimum of 1ms
--drive||the command is empty
--load|0|below the minimum of 1ms
--load|forever|not a duration
--idle|-90s|not a duration
--idle|0ms|below the minimum of 1ms
--checkpoints|0|below the minimum of 1
--checkpoints|1001|above the maximum of 1000
--checkpoints|four|not a whole number
--checkpoints|-4|not a whole number
--mark|nolabel|is not REGEX=LABEL
--mark|x=|the label must be 1 to 40 characters
--mark|x=bad label|letters, digits
--mark|x=a/b|letters, digits
--mark|x=exit|a label memwatch uses itself
--mark|x=idle_90s|a label memwatch uses itself
--mark|[=lab|not a valid extended regex
--mark|=lab|the pattern is empty
--attach|0|below the minimum of 1
--attach|abc|not a whole number
--attach|99999999999|above the maximum of 2147483647
TABLE

"$MEMWATCH" >"$TMP/out" 2>"$TMP/err"
ok "no command exits 2" test $? -eq 2
ok "no command: one line saying so" grep -q '^memwatch: no command to measure' "$TMP/err"
"$MEMWATCH" --bogus -- true 2>"$TMP/err"
ok "unknown long option exits 2" test $? -eq 2
ok "unknown long option is named" grep -q "^memwatch: unknown option '--bogus'" "$TMP/err"
"$MEMWATCH" -Z -- true 2>"$TMP/err"
ok "unknown short option is named" grep -q "^memwatch: unknown option '-Z'" "$TMP/err"
"$MEMWATCH" --interval 2>"$TMP/err"
ok "missing value exits 2 with one line" test $? -eq 2 -a "$(wc -l <"$TMP/err")" -eq 1
ok "missing value is named" grep -q "option '--interval' needs a value" "$TMP/err"
"$MEMWATCH" -- "" 2>"$TMP/err"
ok "an empty command exits 2" test $? -eq 2
"$MEMWATCH" --json - --csv - -- true >/dev/null 2>"$TMP/err"
ok "two outputs on stdout is a usage error" test $? -eq 2
ok "... naming them" grep -q 'only one of --json, --csv, --html, --markdown and --output' "$TMP/err"
"$MEMWATCH" --json "$TMP/no/such/dir/r.json" -- true 2>"$TMP/err"
ok "--json in a missing directory exits 2" test $? -eq 2
ok "... before running anything, naming the path" \
	grep -q "^memwatch: --json: cannot write '$TMP/no/such/dir/r.json'" "$TMP/err"
"$MEMWATCH" --csv "$TMP" -- true 2>"$TMP/err"
ok "--csv onto a directory exits 2" test $? -eq 2
"$MEMWATCH" -q -- true --interval 0ms >"$TMP/out" 2>"$TMP/err"
ok "options after the command belong to the command" test $? -eq 0
"$MEMWATCH" -q true 2>"$TMP/err"
ok "the -- is optional before a command" test $? -eq 0

# Options that need or exclude each other.
while IFS='|' read -r args expect; do
	[ -n "$args" ] || continue
	# shellcheck disable=SC2086
	"$MEMWATCH" $args >"$TMP/out" 2>"$TMP/err"
	st=$?
	ok "'$args' exits 2" test "$st" -eq 2
	ok "'$args' says '$expect' in one line" sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -q -- "$2" "$1"' \
		sh "$TMP/err" "$expect"
done <<'TABLE'
--checkpoints 3 -- true|--checkpoints: needs --idle
--settle -- true|--settle: needs --idle
--idle 1s --checkpoints 2 --settle -- true|--settle: needs --checkpoints of 3 or more
--ready-timeout 5s -- true|--ready-timeout: needs --ready
--drive true --load 5s -- true|give --drive or --load, not both
--attach 1 --ready x|--ready: memwatch sees only the output of commands it starts
--attach 1 --mark x=y|--mark: memwatch sees only the output
--attach 1 -- true|give a process or a command to start, not both
--stop-tree -- true|--stop-tree: only for --attach
--ready a --ready b -- true|--ready: given twice
TABLE

# A cgroup required by the environment, where none can be had: the error
# names the variable that asked for it, not an option that was not given.
# (Never makes a cgroup: where one could be had, this is skipped.)
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
v2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
if [ -n "$v2" ] && [ -n "$own" ] && grep -qw memory "$v2$own/cgroup.controllers" 2>/dev/null; then
	skip "MEMWATCH_CGROUP=require names itself in its error" "this host has a memory cgroup v2"
else
	MEMWATCH_CGROUP=require "$MEMWATCH" -q -- true 2>"$TMP/env-req.err"
	is "$?" 2 "MEMWATCH_CGROUP=require without a memory cgroup v2: exit 2"
	ok "... naming the variable, not --cgroup" \
		grep -q '^memwatch: MEMWATCH_CGROUP=require: no memory cgroup for the tree: ' "$TMP/env-req.err"
	MEMWATCH_CGROUP=require "$MEMWATCH" compare -q -c a=@true 2>"$TMP/env-creq.err"
	ok "... in compare too" \
		grep -q '^memwatch: MEMWATCH_CGROUP=require: no memory cgroup for the tree: ' "$TMP/env-creq.err"
	MEMWATCH_CGROUP=off "$MEMWATCH" -q --cgroup=require -- true 2>"$TMP/opt-req.err"
	ok "the option given: its error names the option" \
		grep -q '^memwatch: --cgroup=require: no memory cgroup for the tree: ' "$TMP/opt-req.err"
fi

done_testing
