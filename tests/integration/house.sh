#!/bin/bash
# house.sh - the source tree keeps its shape: every file on the map, none too long
#
# src/main.c opens with a map of the source by stage: every file of src/
# (but the bundled workload, a program of its own; a header goes with its
# .c) must be on it, and the
# map must name no file that is gone. No file of memwatch is over 700 lines, and no
# function over 100 but the option switches (a case per option reads best
# as one). Comments speak of memwatch and of the kernel, never of a
# document the repository does not hold.
. "$top_srcdir/tests/setup"

src=$top_srcdir/src
map=$(sed -n '1,/^ \*\/$/p' "$src/main.c")
mapfile -t files < <(cd "$src" && find . -name '*.[ch]' ! -path './workload/*' | sed 's|^\./||' | sort)

missing=()
for f in "${files[@]}"; do
	# A header is on the map with its .c (the map lists a pair once).
	on=$f
	[ "${f%.h}" != "$f" ] && [ -e "$src/${f%.h}.c" ] && on=${f%.h}.c
	grep -qE "(^|[ ])$on( |$)" <<<"$map" || missing+=("$f")
done
is "${missing[*]}" "" "every file of src/ is on main.c's map"

gone=()
for f in $(grep -oE '[a-z_]+/[a-z_]+\.[ch]|[a-z_]+\.h' <<<"$map" | sort -u); do
	[ -e "$src/$f" ] || gone+=("$f")
done
is "${gone[*]}" "" "the map names no file that is not there"

long=$(cd "$src" && find . -name '*.[ch]' -exec wc -l {} + | awk '$2 != "total" && $1 > 700 { print $2 " (" $1 ")" }')
is "$long" "" "no file of src/ is over 700 lines"

# A function runs from a line that starts its definition at column 0 to
# the first "}" at column 0.
long=$(cd "$src" && for f in $(find . -name '*.c'); do
	awk -v f="$f" '/^[a-z_].*\(/ && !/;$/ { name = $0; start = NR }
		/^}/ && start { if (NR - start > 100) print f ": " name; start = 0 }' "$f"
done | grep -vE 'options_parse|parse_options|run_opts_parse')
is "$long" "" "no function is over 100 lines but the option switches"

cites=$(grep -rnE "MEMORY(\.md|'s)|PRODUCT(\.md|'s)|STYLE\.md|HOUSE\.md|\.\./shared" "$src" "$top_srcdir/man" \
	"$top_srcdir/tests" "$top_srcdir/scripts" "$top_srcdir/README.md" | grep -v 'tests/integration/house.sh')
is "$cites" "" "no comment or document cites a file the repository does not hold"

# The man page names every field the result file has, and renders on a
# terminal without warnings (a long unbreakable token aside).
man=$top_srcdir/man/memwatch.1
unnamed=$(grep -o 'To\(Object\|Array\)([a-z_]*, "[a-z_0-9]*"' "$src/result/json.c" |
	sed 's/.*"\(.*\)"/\1/' | sort -u | while read -r field; do
		grep -qw -- "$field" "$man" || echo "$field"
	done)
is "$unnamed" "" "every field of the result file is named in the man page"
if command -v groff >/dev/null 2>&1; then
	is "$(groff -man -Tutf8 -ww -Wbreak -z "$man" 2>&1)" "" "the man page renders without warnings"
else
	skip "the man page renders without warnings" "groff is not installed"
fi
ok "the man page holds no stray control characters" sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' sh "$man"

done_testing
