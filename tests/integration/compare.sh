#!/bin/bash
# compare.sh - configurations side by side: order, statistics, presets, errors
. "$top_srcdir/tests/setup"

MIB=1048576
spin="$HELPERS/mw-spin"

# Known amounts: the change against the baseline is the ratio of the two.
"$MEMWATCH" compare -q -r 2 -i 50ms -c "small=@$spin mib 16 0.6" -c "big=@$spin mib 32 0.6" \
	--json "$TMP/k.json" --csv "$TMP/k.csv" --markdown "$TMP/k.md" -o "$TMP/k.txt"
ok "compare of two commands exits 0" test $? -eq 0
is "$(jqf '[.configs[].name] | join(",")' "$TMP/k.json")" "small,big" "both configurations are in the result"
is "$(jqf '[.configs[].runs | length] | join(",")' "$TMP/k.json")" "2,2" "two runs each"
is "$(sed 1d "$TMP/k.csv" | cut -d, -f1,2 | uniq | tr '\n' ' ')" "small,1 big,1 small,2 big,2 " \
	"runs interleave: small big small big (from the series)"
ok "each summary median is the median of its runs' values" \
	jqt '[.configs[] | (.summary.peak.median == ([.runs[].peak.footprint_bytes] | sort | (.[0] + .[1]) / 2))] | all' "$TMP/k.json"
ok "... and min and max theirs" \
	jqt '[.configs[] | (.summary.peak.min == ([.runs[].peak.footprint_bytes] | min)) and
		(.summary.peak.max == ([.runs[].peak.footprint_bytes] | max))] | all' "$TMP/k.json"
small=$(jqf '.configs[0].summary.peak.median' "$TMP/k.json")
big=$(jqf '.configs[1].summary.peak.median' "$TMP/k.json")
within "$small" $((16 * MIB)) 2 $MIB "small holds 16 MiB"
within "$big" $((32 * MIB)) 2 $MIB "big holds 32 MiB"
pct=$(awk -v s="$small" -v b="$big" 'BEGIN { printf "%+.1f%%", 100 * (b - s) / s }')
ok "the text table shows big's change against small ($pct)" grep -q -- "$pct" "$TMP/k.txt"
ok "the text table labels the baseline" grep -q 'change vs small' "$TMP/k.txt"

# The markdown is a table: a header, a separator, rows of as many cells.
cat >"$TMP/md.py" <<'PY'
import re, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("|")]
cells = lambda l: [c for c in re.split(r"(?<!\\)\|", l.strip())[1:-1]]
head, sep, rows = cells(lines[0]), cells(lines[1]), [cells(l) for l in lines[2:]]
assert len(head) == 3, head
assert all(re.fullmatch(r"-+:?|:?-+:?", c.strip()) for c in sep), sep
assert len(sep) == len(head) and rows and all(len(r) == len(head) for r in rows)
assert any("Tree peak footprint" in r[0] for r in rows)
PY
ok "the markdown table parses: header, separator, rows of equal width" python3 "$TMP/md.py" "$TMP/k.md"

# --baseline, environment knobs, a command's output hidden by default.
"$MEMWATCH" compare -r 1 --baseline big -c "small=@$spin mib 16 0.3" -c "big=@$spin mib 32 0.3" \
	-c 'knob:GLIBC_TUNABLES=glibc.malloc.trim_threshold=0:glibc.malloc.mmap_max=0:MW_OTHER=2' \
	--json "$TMP/b.json" -- sh -c 'echo "knob=$GLIBC_TUNABLES other=$MW_OTHER"; sleep 0.3' \
	>"$TMP/b.out" 2>/dev/null
ok "--baseline: exit 0" test $? -eq 0
ok "--baseline names the column changes are against" grep -q 'change vs big' "$TMP/b.out"
ok "the command's output is hidden by default" sh -c '! grep -q "knob=" "$1"' sh "$TMP/b.out"
is "$(jqf '.configs[2].env.GLIBC_TUNABLES' "$TMP/b.json")" "glibc.malloc.trim_threshold=0:glibc.malloc.mmap_max=0" \
	"a ':' inside a value (GLIBC_TUNABLES') stays in it"
is "$(jqf '.configs[2].env.MW_OTHER' "$TMP/b.json")" 2 "a ':' before IDENT= starts the next knob"
"$MEMWATCH" compare -q -r 1 --show-output -c 'knob:LD_LIBRARY_PATH=/x:/y:MW_KNOB=1' -- \
	sh -c 'echo "knob=$MW_KNOB path=$LD_LIBRARY_PATH"; sleep 0.2' >"$TMP/s.out"
ok "--show-output passes it through, and the knobs reached the command" \
	grep -qx 'knob=1 path=/x:/y' "$TMP/s.out"

# A simple @COMMAND is exec'd: the command itself is the target. The
# driver waits for the ready line: a signal sent before the server has
# set up its handler would kill it.
"$MEMWATCH" compare -q -r 1 -c "srv=@$HELPERS/mw-server --ready-after 0" --ready 'ready in' \
	--drive 'kill -USR1 $MEMWATCH_TARGET_PID' --idle 300ms --checkpoints 1 --json "$TMP/x.json"
ok "@COMMAND with a driver signalling MEMWATCH_TARGET_PID: exit 0" test $? -eq 0
ok "... the tree's root is the command, not a shell" \
	jqt '.configs[0].runs[0].processes[0].command | startswith("'"$HELPERS"'/mw-server")' "$TMP/x.json"
"$MEMWATCH" compare -q -r 1 -c 'sh=@sleep 0.3; true' --json "$TMP/y.json"
ok "@COMMAND with shell syntax runs as written" \
	jqt '.configs[0].runs[0].processes[0].command | startswith("/bin/sh -c sleep 0.3; true")' "$TMP/y.json"

# A command that sets variables first, or execs already: exec'd as it
# means (NAME=VALUE exec CMD), and its root is the command.
"$MEMWATCH" compare -q -r 1 -c "vars=@MW_A=1 MW_B=2 $spin mib 4 0.3" \
	-c "ex=@exec $spin mib 4 0.3" --json "$TMP/v.json"
ok "@NAME=VALUE COMMAND: exit 0" test $? -eq 0
is "$(jqf '[.configs[].command[2]] | join("|")' "$TMP/v.json")" \
	"MW_A=1 MW_B=2 exec $spin mib 4 0.3|exec $spin mib 4 0.3" \
	"... exec goes after the variables, and is not doubled"
ok "... the roots are the command, not a shell" \
	jqt '[.configs[].runs[0].processes[0].command | startswith("'"$spin"' mib 4")] | all' "$TMP/v.json"

# A process too short-lived to check is not called "not mapped".
"$MEMWATCH" compare -r 3 -c jemalloc --json "$TMP/t.json" -o "$TMP/t.txt" -- true 2>/dev/null
ok "a command gone before the loader ran: never counted as not mapped" \
	jqt '[.configs[0].runs[].preload | .processes_mapped == .processes_checked] | all' "$TMP/t.json"

# A failing configuration's status is memwatch's.
"$MEMWATCH" compare -q -r 1 -c "ok=@$spin exit 0" -c "bad=@$spin exit 3" 2>/dev/null
ok "a configuration whose command fails: exit with its status" test $? -eq 3

# Malformed configurations: exit 2, one line each.
while IFS='|' read -r spec expect; do
	[ -n "$spec" ] || continue
	"$MEMWATCH" compare -c "$spec" -- true >/dev/null 2>"$TMP/err"
	st=$?
	ok "-c '$spec' exits 2" test "$st" -eq 2
	ok "-c '$spec': one line saying '$expect'" sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -q -- "$2" "$1"' \
		sh "$TMP/err" "$expect"
done <<'TABLE'
nosuch|is not a preset
|is not a preset
x=nosuch|is not a preset (system, jemalloc, mimalloc, mimalloc3, tcmalloc), /PATH/TO/LIB.so nor @COMMAND
x=@|the command after @ is empty
bad name:A=1|the name must be
x:|VAR=VALUE is missing after ':'
x:foo|'foo' after ':' is not VAR=VALUE
x=jemalloc:|VAR=VALUE is missing after ':'
jemalloc:LD_PRELOAD=/x.so|sets LD_PRELOAD; give one or the other
TABLE
"$MEMWATCH" compare -c system -c system -- true 2>"$TMP/err"
ok "a name given twice: exit 2" test $? -eq 2
"$MEMWATCH" compare -r 0 -- true 2>"$TMP/err"
ok "--runs 0: exit 2" test $? -eq 2
"$MEMWATCH" compare --baseline nope -c system -- true 2>"$TMP/err"
ok "--baseline of no configuration: exit 2" test $? -eq 2
"$MEMWATCH" compare --attach 1 2>"$TMP/err"
ok "--attach with compare: exit 2" test $? -eq 2

# A preset whose library is not installed: the error names the package.
# (The library is hidden in a private mount namespace; that needs root.)
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 &&
	unshare -m true 2>/dev/null; then
	lib=$(readlink -f /usr/lib/*/libjemalloc.so.2 2>/dev/null | head -1)
	unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" compare -c jemalloc -- true' \
		sh "$lib" "$MEMWATCH" >/dev/null 2>"$TMP/err"
	ok "a missing preset: exit 2" test $? -eq 2
	ok "... naming the library and the Debian package" \
		grep -q '^memwatch: -c jemalloc: libjemalloc.so.2 is not installed (Debian package libjemalloc2)$' "$TMP/err"
else
	skip "a missing preset names its Debian package" "hiding the library needs root and unshare -m"
fi

# Runs shorter than the interval asked for: one warning line for all the
# configurations, as the run form gives for its run.
"$MEMWATCH" compare -r 2 -i 2s -c a:X=1 -c b:X=2 -- sh -c 'sleep 0.1' >/dev/null 2>"$TMP/short.err"
ok "runs shorter than -i: compare warns" grep -q 'the runs of a, b (.* at most) were shorter than --interval (2s)' "$TMP/short.err"
is "$(grep -c 'shorter than --interval' "$TMP/short.err")" 1 "... on one line"
"$MEMWATCH" compare -r 1 -c a:X=1 -- sh -c 'sleep 0.1' >/dev/null 2>"$TMP/short2.err"
ok "... and not without -i" sh -c '! grep -q "shorter than" "$1"' sh "$TMP/short2.err"

# A command's last line without its newline (--show-output, through
# memwatch for --ready) does not run into the progress lines after it.
"$MEMWATCH" compare -r 1 -c a:X=1 -c b:X=2 --show-output --ready abc --ready-timeout 2s -- \
	sh -c 'printf abc; sleep 0.2' >"$TMP/mid.out" 2>&1
is "$(grep -c '^abc$' "$TMP/mid.out")" 2 "the command's unended last line ends before compare's next line"
ok "... no progress line glued to it" sh -c '! grep -q "abcmemwatch" "$1"' sh "$TMP/mid.out"

done_testing
