#!/bin/bash
# libproc2.sh - the sources that use libproc2 compile against each release Debian ships
#
# libproc2's macros change between releases (4.0.5 dropped the last argument
# of PIDS_VAL and MEMINFO_VAL), so what compiles here may not compile on a
# newer Debian. Every file that includes a libproc2 header is compiled
# (syntax only, with the build's warnings as errors) against the installed
# headers, then against those of Debian trixie and sid, which
# scripts/debian-fetch downloads into the build tree once and keeps.
#
# When a release cannot be fetched (no network, no Debian keyring) and was
# not fetched before, its check is skipped, with apt's reason, rather than
# failed: an unreachable mirror says nothing about memwatch's code, the
# installed headers are still checked, and scripts/check lists every skip
# with its reason, so none passes unseen.
. "$top_srcdir/tests/setup"

src=$top_srcdir/src
mk=$top_builddir/Makefile
cc=$(sed -n 's/^CC = //p' "$mk")
warn=$(sed -n 's/^MW_WARN_CFLAGS = //p' "$mk")
installed_cflags=$(sed -n 's/^PROC2_CFLAGS = //p' "$mk")
mapfile -t files < <(cd "$src" && grep -rl '^#include <libproc2/' --include='*.c' \
	--include='*.h' . | sed 's|^\./||' | sort)

ok "some sources include libproc2" test ${#files[@]} -gt 0
diag "they are: ${files[*]}"
is "$(printf '%s\n' "${files[@]}" | grep -v '^linux/')" "" \
	"libproc2 is included only under src/linux/, the platform's side of the seam"

# Compile every libproc2-facing file with these flags (the headers' place);
# the compiler's first lines go to the log when one fails.
compile_all() {
	local f st=0

	for f in "${files[@]}"; do
		# shellcheck disable=SC2086 # $cc and $warn are lists of words
		if ! $cc -fsyntax-only $warn -Werror "$@" -I"$top_builddir" -I"$src" \
			"$src/$f" >"$TMP/cc.log" 2>&1; then
			diag "$f:"
			head -8 "$TMP/cc.log" | sed 's/^/#   /'
			st=1
		fi
	done
	return $st
}

# shellcheck disable=SC2086 # a list of flags
ok "they compile against the installed libproc2 ($(pkg-config --modversion libproc2 2>/dev/null))" \
	compile_all $installed_cflags

fetched=$top_builddir/debian
for suite in trixie sid; do
	desc="they compile against Debian $suite's libproc2"
	if root=$(DEBIAN_FETCH_DIR=$fetched timeout 600 \
		"$top_srcdir/scripts/debian-fetch" "$suite" libproc2-dev \
		</dev/null 2>"$TMP/fetch.err"); then
		version=$(sed -n 's/^libproc2-dev //p' "$fetched/$suite/versions")
		ok "$desc ($version)" compile_all -I"$root/usr/include"
	else
		skip "$desc" "its headers (libproc2-dev) could not be fetched: $(tail -1 "$TMP/fetch.err")"
	fi
done

done_testing
