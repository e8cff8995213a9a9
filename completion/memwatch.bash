# completion/memwatch.bash - bash completion for memwatch: subcommands, options, presets, metrics
#
# Needs only bash; bash-completion loads it on demand from its completions
# directory, where make install puts it.

_memwatch_run_opts='--interval= --timeout= --signal= --kill-after= --deep-budget=
--ready= --ready-timeout= --drive= --load= --idle= --checkpoints= --settle
--mark= --attach= --stop-tree --phase-hwm --output= --json= --csv= --name= --bytes
--quiet --help --version'
_memwatch_compare_opts='--config= --runs= --warmup= --baseline= --markdown=
--show-output --help'
_memwatch_report_opts='--output= --markdown= --json= --csv= --baseline= --bytes
--quiet --help'
_memwatch_diff_opts='--max-increase= --output= --markdown= --bytes --quiet --help'
_memwatch_presets='system jemalloc mimalloc tcmalloc'
# The metrics --max-increase takes (memwatch(1), MEMWATCH DIFF); a
# checkpoint's own are footprint_LABEL, rss_LABEL and so on.
_memwatch_metrics='peak peak_rss peak_pss sum_proc_peak ready_s settle_s
idle_drift wall_s cpu_s processes memwatch_cpu_s memwatch_rss
footprint_ready footprint_load_end footprint_idle footprint_exit rss_ready
rss_load_end rss_idle rss_exit pss_idle uss_idle lazyfree_idle swap_idle'
_memwatch_signals='TERM INT HUP QUIT KILL USR1 USR2'

# Complete the word cur as a value of the option opt; false if opt takes
# no value memwatch knows how to offer.
_memwatch_value()
{
	local opt=$1 cur=$2 prefix=$3
	case $opt in
	-o|--output|--json|--csv|--markdown)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	-c|--config)
		COMPREPLY=($(compgen -W "$_memwatch_presets" -- "$cur"))
		;;
	-s|--signal)
		COMPREPLY=($(compgen -W "$_memwatch_signals" -- "$cur"))
		;;
	--max-increase)
		# METRIC=PCT: the metric, then the percentage is the user's.
		[[ $cur == *=* ]] && return 0
		COMPREPLY=($(compgen -W "$_memwatch_metrics" -S = -- "$cur"))
		compopt -o nospace 2>/dev/null
		;;
	--attach)
		COMPREPLY=($(compgen -W "$(ps -e -o pid= 2>/dev/null)" -- "$cur"))
		;;
	*)
		return 1
		;;
	esac
	[ -n "$prefix" ] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
	return 0
}

_memwatch()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local sub= opts i word

	# The subcommand, and whether a command to measure has begun (after
	# --): from there on, it is that command's to complete.
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if [ "$word" = -- ]; then
			COMPREPLY=($(compgen -c -- "$cur"))
			[ $((i + 1)) -lt "$COMP_CWORD" ] && COMPREPLY=($(compgen -f -- "$cur"))
			return 0
		fi
		if [ $i -eq 1 ] && [[ $word == @(compare|report|diff) ]]; then
			sub=$word
		fi
	done
	case $sub in
	compare) opts="$_memwatch_compare_opts $_memwatch_run_opts" ;;
	report) opts=$_memwatch_report_opts ;;
	diff) opts=$_memwatch_diff_opts ;;
	*) opts=$_memwatch_run_opts ;;
	esac

	# --opt=VALUE in one word (bash splits it at '=' when '=' is in
	# COMP_WORDBREAKS, the default), or --opt VALUE in two.
	if [ "$cur" = = ]; then
		_memwatch_value "$prev" "" && return 0
	elif [ "$prev" = = ] && [ "$COMP_CWORD" -ge 2 ]; then
		_memwatch_value "${COMP_WORDS[COMP_CWORD-2]}" "$cur" && return 0
	elif [[ $cur == --*=* ]]; then
		_memwatch_value "${cur%%=*}" "${cur#*=}" "${cur%%=*}=" && return 0
	elif [[ $prev == -* ]] && _memwatch_value "$prev" "$cur"; then
		return 0
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi
	if [ -z "$sub" ] && [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "compare report diff" -- "$cur"))
		return 0
	fi
	case $sub in
	report|diff) COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")) ;;
	esac
	return 0
}
complete -F _memwatch memwatch
