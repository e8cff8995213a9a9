#!/bin/bash
# completion.sh - the bash completion offers subcommands, options, presets and metrics
. "$top_srcdir/tests/setup"

# complete WORD...: what the completion offers for the last word.
complete_words() {
	bash --norc --noprofile -c '
		. "$1/completion/memwatch.bash"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMPREPLY=()
		_memwatch
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "' sh "$top_srcdir" "$@"
}

is "$(bash --norc --noprofile -c '. "$1/completion/memwatch.bash"; complete -p memwatch' sh "$top_srcdir")" \
	"complete -F _memwatch memwatch" "the file registers the completion of memwatch"
is "$(complete_words memwatch "")" "compare diff report " "the subcommands"
is "$(complete_words memwatch --id)" "--idle= " "a run option"
is "$(complete_words memwatch compare --wa)" "--warmup= " "an option of compare"
ok "... and compare takes the run options too" sh -c 'case "$1" in *--interval=*) ;; *) exit 1;; esac' \
	sh "$(complete_words memwatch compare --int)"
is "$(complete_words memwatch compare -c je)" "jemalloc " "a preset after -c"
is "$(complete_words memwatch compare --config = mi)" "mimalloc " "a preset after --config="
is "$(complete_words memwatch diff --max-increase = sum)" "sum_proc_peak= " "a metric after --max-increase="
is "$(complete_words memwatch diff --max-increase = peak_r)" "peak_rss= " "... another"
is "$(complete_words memwatch report --m)" "--markdown= " "an option of report"
is "$(complete_words memwatch --signal = KI)" "KILL " "a signal"
ok "after --, the command's own words" sh -c 'case "$1" in *bash*) ;; *) exit 1;; esac' \
	sh "$(complete_words memwatch -i 50ms -- bas)"

if command -v zsh >/dev/null 2>&1; then
	ok "the zsh completion parses" zsh -n "$top_srcdir/completion/_memwatch"
else
	skip "the zsh completion parses" "zsh is not installed"
fi

done_testing
