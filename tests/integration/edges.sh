#!/bin/bash
# edges.sh - what happens between samples: each case is a program that does
# something between two of memwatch's reads (tests/helpers/mw-edge), with
# the right value beside it: the ruler's known size, or a number from an
# independent source (wait4 through python3, as GNU time reports it).
#
# Tolerances: a known size within max(2%, 1 MiB): what is not in it is the
# process's own stack, libc and page tables (about 100 KiB a process) and,
# for rss, its program's pages (1-2 MiB). A figure from another run of the
# same program (the independent rusage) within 3%: the runs differ by what
# the allocator and the scheduler do, a few hundred KiB here.
# Cases about timing run five times in a row: each must hold every time.
. "$top_srcdir/tests/setup"

MIB=1048576
run='.configs[0].runs[0]'
edge="$HELPERS/mw-edge"
spin="$HELPERS/mw-spin"
# Daemons are looked for by this run's own path to mw-spin, so that no
# other test on the machine is taken for them.
ln -s "$spin" "$TMP/mw-spin" && spin="$TMP/mw-spin"
server="$HELPERS/mw-server"

# maxrss_kib CMD...: the peak rss of CMD, from wait4 as time(1) reports it.
maxrss_kib() {
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

# --- 1. a command shorter than the interval -------------------------------
# 300 MiB touched and released in about 150 ms, at the default 250 ms
# interval: the start is sampled densely, and wait4 gives the exact peak.
want=$(($(maxrss_kib "$spin" mib 300 0) * 1024))
diag "wait4's peak rss of 'mw-spin mib 300 0': $want"
for i in 1 2 3 4 5; do
	"$MEMWATCH" --json "$TMP/short$i.json" -- "$spin" mib 300 0 >"$TMP/short$i.txt"
	r="$TMP/short$i.json"
	within "$(jqf "$run.peak_rss_bytes" "$r")" "$want" 3 $MIB \
		"[short $i] the tree's peak rss is the command's own, within 3% of wait4's"
	ok "[short $i] ... proven by wait4 or VmHWM, not missed by sampling" \
		jqt "$run.peak_rss_source != \"sampled\" or $run.max_rss_bytes >= 290 * $MIB" "$r"
	ok "[short $i] Σ per-process peak, an upper bound, is not below it" \
		jqt "$run.sum_proc_peak_bytes >= $run.peak_rss_bytes" "$r"
	ok "[short $i] several samples in a command shorter than one interval" \
		jqt "$run.sampler.samples >= 5" "$r"
done
ok "the report shows the tree's peak rss and where it comes from" \
	grep -Eq '^  tree peak rss +(29[0-9]|30[0-9])\.[0-9] MiB' "$TMP/short1.txt"

# --- 1b. a command smaller than memwatch's copy of itself ------------------
# wait4's maxrss of the command also counts its life as memwatch's copy
# between the fork and the exec. The copy tells its rss just before the
# exec, so a command above that (plus what the kernel's rss counters may
# be off by: 512 KiB on 2 CPUs) is proven: 2 MiB touched, about 3.3 MiB
# with its libraries, under memwatch's own rss of about 3.7 MiB.
if sanitized; then
	skip "a 3 MiB command proven by wait4" \
		"memwatch runs instrumented: its copy before the exec holds more than the command"
elif [ "$(nproc)" -le 4 ]; then
	want=$(for i in 1 2 3; do "$spin" maxrss "$spin" mib 2 0; done | sort -n | sed -n 2p)
	diag "wait4's peak rss of 'mw-spin mib 2 0' (median of 3): $want"
	for i in 1 2 3 4 5; do
		"$MEMWATCH" -q --json "$TMP/small$i.json" -- "$spin" mib 2 0
		r="$TMP/small$i.json"
		# Samples of it may find up to the counters' slack more.
		within "$(jqf "$run.peak_rss_bytes" "$r")" "$want" 3 $((512 * 1024)) \
			"[small $i] a 3 MiB command's peak rss, within 512 KiB of wait4's"
	done
else
	skip "a 3 MiB command proven by wait4" \
		"on $(nproc) CPUs the rss counters may be off by more than such a command holds"
fi
# Below the copy, wait4 bounds the command's peak from above, and the
# report says so: mw-spin with libc mapped holds more than half a MiB,
# while a sample of a process that lives a millisecond may see almost none.
"$MEMWATCH" --json "$TMP/tiny.json" -- "$spin" exit 0 >"$TMP/tiny.txt"
r="$TMP/tiny.json"
ok "a tiny command: its peak is bounded, the bound above half a MiB and the samples" \
	jqt "$run.peak_rss_source != \"sampled\" or ($run.command_rss_bound_bytes >= 524288 and
	     $run.command_rss_bound_bytes >= $run.peak_rss_bytes)" "$r"
ok "... Σ per-process peak, an upper bound, is not below the bound" \
	jqt "$run.sum_proc_peak_bytes >= ($run.command_rss_bound_bytes // 0)" "$r"
ok "... and the report gives it" \
	sh -c "grep -q 'tree peak rss .*at most .*wait4' '$TMP/tiny.txt' || grep -q 'tree peak rss .*(wait4' '$TMP/tiny.txt'"

# --- 2. a child forked by a thread that did not exist at the last look ----
for i in 1 2 3 4 5; do
	"$MEMWATCH" -q --json "$TMP/tf$i.json" -- "$edge" thread-fork "$spin" mib 120 2
	r="$TMP/tf$i.json"
	is "$(jqf "$run.processes_seen" "$r")" 2 "[thread-fork $i] both processes are in the tree"
	# A child only reaped would have its reaping time, at its end, as its
	# start: it lives 2 s, so a start 1 s before its end was seen alive
	# (at 0.1 s of its parent's clock, however late a loaded machine
	# starts the parent).
	ok "[thread-fork $i] the child is found alive (it starts at 0.1 s)" \
		jqt "[$run.processes[] | select(.command | contains(\"mib 120\")) | .start_s < .end_s - 1][0]" "$r"
	within "$(jqf "$run.peak.footprint_bytes" "$r")" $((120 * MIB)) 2 $MIB \
		"[thread-fork $i] the tree's peak footprint is the child's 120 MiB"
done

# --- 3. MADV_FREE shortly before the exit, no phases ----------------------
"$MEMWATCH" --json "$TMP/lazy.json" -- "$edge" lazy 200 1.5 >"$TMP/lazy.txt"
r="$TMP/lazy.json"
exit_cp="[$run.checkpoints[] | select(.label == \"exit\")][0]"
within "$(jqf "$run.peak.footprint_bytes" "$r")" $((200 * MIB)) 2 $MIB \
	"lazy: the peak footprint is the 200 MiB it touched"
ok "lazy: at exit, the footprint is what is left after MADV_FREE" \
	jqt "$exit_cp.footprint_bytes < 2 * $MIB" "$r"
within "$(jqf "$exit_cp.lazyfree_bytes" "$r")" $((200 * MIB)) 2 $MIB \
	"lazy: ... and the 200 MiB are lazyfree"
ok "lazy: the exit values come from a page walk after the MADV_FREE" \
	jqt "$exit_cp.deep_age_s != null and $exit_cp.deep_age_s <= 0.5" "$r"
ok "lazy: the report says so" grep -Eq '^  lazyfree at exit +(19[0-9]|20[0-9])\.[0-9] MiB' "$TMP/lazy.txt"

# --- copy-on-write broken by a process that ran: no counter moves ---------
# The child writes the 100 MiB it shares with its parent at 0.5 s: two
# copies from then on, while rss and every other counter stay the same.
# Only a page walk of both shows it; the child ran, so it is walked again,
# and its parent, whose share it changed, after it.
for i in 1 2 3; do
	"$MEMWATCH" -q --json "$TMP/cow$i.json" -- "$edge" cow-break 100 0.5 2
	within "$(jqf "$run.peak.footprint_bytes" "$TMP/cow$i.json")" $((200 * MIB)) 2 $MIB \
		"[cow-break $i] the two copies are seen, without a checkpoint"
done

# --- 4. the main thread gone (pthread_exit), the process alive ------------
for i in 1 2 3; do
	"$MEMWATCH" -q --json "$TMP/le$i.json" -- "$edge" leader-exit 20 200
	r="$TMP/le$i.json"
	within "$(jqf "$run.peak.footprint_bytes" "$r")" $((220 * MIB)) 2 $MIB \
		"[leader-exit $i] the peak holds the worker's 200 MiB and the main thread's 20"
	# Held from 1.1 s to 3.1 s of the program's own clock, which a loaded
	# machine starts late: the peak is after the worker's first second,
	# and before the process's end as this run saw it.
	ok "[leader-exit $i] ... between 1.1 s and the process's end" \
		jqt "$run.peak.t_s >= 1.0 and $run.peak.t_s <= $run.processes[0].end_s" "$r"
	is "$(jqf "$run.processes_seen" "$r")" 1 "[leader-exit $i] one process"
	ok "[leader-exit $i] ... alive until its last thread returned, at 3.1 s" \
		jqt "$run.processes[0].end_s >= 2.9" "$r"
done

# --- 5. shared memory mapped after the first second ------------------------
"$MEMWATCH" -q --mark 'touched=touched' --json "$TMP/shm.json" -- "$edge" shm-late 200 1.2 1 >/dev/null
r="$TMP/shm.json"
within "$(jqf "[$run.checkpoints[] | select(.label == \"touched\")][0].footprint_bytes" "$r")" \
	$((200 * MIB)) 2 $MIB "shm-late: the 200 MiB of shared memory at the 'touched' checkpoint"
within "$(jqf "$run.peak.footprint_bytes" "$r")" $((200 * MIB)) 2 $MIB \
	"shm-late: ... and as the peak"

# --- 6. a tmpfs file that no process maps ---------------------------------
if [ -d /dev/shm ] && [ -w /dev/shm ] && stat -f -c %T /dev/shm | grep -q tmpfs; then
	# The rise is read from the system's Shmem, which other programs move
	# too (the suite's other tests run beside this one and free shared
	# memory of their own): a run that another's release hid is tried
	# again, up to three times.
	shmfile=/dev/shm/memwatch-test-$$
	r="$TMP/tmpfs.json"
	for try in 1 2 3; do
		"$MEMWATCH" --json "$r" -- sh -c \
			"dd if=/dev/zero of=$shmfile bs=1M count=100 status=none; sleep 1.5; rm $shmfile" \
			>"$TMP/tmpfs.txt"
		rm -f "$shmfile"
		jqt "$run.unmapped_shmem_bytes >= 99 * $MIB" "$r" && break
		diag "tmpfs: try $try saw $(jqf "$run.unmapped_shmem_bytes" "$r") bytes"
	done
	ok "tmpfs: the 100 MiB no process maps are seen as unmapped shared memory" \
		jqt "$run.unmapped_shmem_bytes >= 99 * $MIB" "$r"
	ok "tmpfs: ... and the report says they are in no per-process number" \
		says "$TMP/tmpfs.txt" 'a tmpfs or memfd file that no process maps'
else
	skip "tmpfs: a file no process maps" "/dev/shm is not a writable tmpfs here"
fi

# --- 7, 10. another user's processes --------------------------------------
# As an ordinary user (nobody, through setpriv: needs root), memwatch meets
# a setuid program whose smaps_rollup it may not read, and one it may not
# signal. The program is a copy of mw-edge, setuid root, in a directory of
# the test's own (it needs a file system that honours setuid).
suid_ok=false
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	chmod o+x "$TMP" && mkdir -p "$TMP/nobody" && chmod 777 "$TMP/nobody"
	cp "$edge" "$TMP/nobody/suid-edge" && chmod 4755 "$TMP/nobody/suid-edge"
	as_nobody() {
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"
	}
	if as_nobody "$TMP/nobody/suid-edge" become-root 0 2>/dev/null; then
		suid_ok=true
	fi
fi
if $suid_ok; then
	as_nobody "$MEMWATCH" --json "$TMP/nobody/cow.json" -- "$TMP/nobody/suid-edge" cow-share 100 2 \
		>"$TMP/cow.txt" 2>&1
	r="$TMP/nobody/cow.json"
	is "$(jqf "$run.deep_denied_processes" "$r")" 2 "setuid: both processes are marked unreadable"
	ok "setuid: the report names them and says their values are upper bounds" \
		says "$TMP/cow.txt" '2 processes may not be read in depth'
	ok "setuid: ... in the process table too" grep -q '(upper bounds) .*suid-edge cow-share' "$TMP/cow.txt"
	ok "setuid: the peak line is marked as an upper bound" grep -q '^  tree peak (sampled) ≤' "$TMP/cow.txt"
	# compare names why it cannot tell whether the preload reached them.
	if [ -n "$(ldconfig -p 2>/dev/null | grep libjemalloc.so.2)" ]; then
		as_nobody "$MEMWATCH" compare -r 1 -c jemalloc -- "$TMP/nobody/suid-edge" cow-share 20 0.5 \
			>"$TMP/cmp-suid.txt" 2>&1
		ok "setuid under compare: the note names the unreadable maps as the cause" \
			says "$TMP/cmp-suid.txt" 'may not read the maps of 2 processes'
	else
		skip "setuid under compare: the preload note" "libjemalloc2 is not installed"
	fi

	# Asked to stop a tree it may not signal: one line, at once.
	sleep 30 &
	rootpid=$!
	start=$(date +%s%N)
	as_nobody "$MEMWATCH" --attach "$rootpid" --stop-tree -t 1s >"$TMP/eperm.out" 2>"$TMP/eperm.err"
	st=$?
	end=$(date +%s%N)
	is "$st" 2 "--stop-tree on a process it may not signal: exit 2"
	ok "... one line" one_line "$TMP/eperm.err"
	ok "... the line names pid $rootpid and 'Operation not permitted'" \
		grep -q "pid $rootpid: Operation not permitted" "$TMP/eperm.err"
	ok "... at once" test $(((end - start) / 1000000)) -lt 2000
	kill "$rootpid" 2>/dev/null

	# A command that becomes root (as sudo does): at --timeout memwatch
	# may not stop it; it says so and ends.
	start=$(date +%s%N)
	as_nobody "$MEMWATCH" -q -t 1s --json "$TMP/nobody/root.json" -- \
		"$TMP/nobody/suid-edge" become-root 8 2>"$TMP/root.err"
	st=$?
	end=$(date +%s%N)
	is "$st" 124 "a command memwatch may not signal: --timeout still ends the run (124)"
	ok "... at once, not after the kill grace" test $(((end - start) / 1000000)) -lt 4000
	ok "... saying which process it may not signal" \
		grep -q "cannot signal pid [0-9]* (suid-edge): Operation not permitted; it is left running" "$TMP/root.err"
	ok "... and the result marks it" jqt "[$run.processes[] | select(.unsignalable)] | length == 1" \
		"$TMP/nobody/root.json"
	pkill -f "$TMP/nobody/suid-edge become-root" 2>/dev/null
else
	skip "setuid: values marked as upper bounds" "needs root, setpriv, the user nobody and a file system that honours setuid"
	skip "--stop-tree on a process it may not signal" "needs root, setpriv and the user nobody"
	skip "a command memwatch may not signal at --timeout" "needs root, setpriv, the user nobody and setuid"
fi

# --- 8. the driver starts a helper in its own session ----------------------
# What the driver starts is load, not the measured program, even once it
# outlives the driver (a 150 MiB helper in a session of its own, 4 s).
for i in 1 2 3 4 5; do
	"$MEMWATCH" -q --ready 'ready in' --idle 1s --checkpoints 2 --json "$TMP/drv$i.json" \
		--drive "setsid $spin mib 150 4 >/dev/null 2>&1 & sleep 0.5" \
		-- "$server" --child-mib 8 >/dev/null
	r="$TMP/drv$i.json"
	is "$(jqf "$run.processes_seen" "$r")" 2 "[driver $i] the server and its child only"
	ok "[driver $i] idle_2s holds the server's 8 MiB, not the driver's helper" \
		jqt "[$run.checkpoints[] | select(.label == \"idle_2s\")][0].footprint_bytes < 12 * $MIB" "$r"
done
ok "... and the helper did not outlive memwatch" \
	sh -c "! pgrep -f '$TMP/mw-spin [m]ib 150 4' >/dev/null"

# --- 9. the launcher exits, the daemon lives on ---------------------------
launcher="setsid $spin mib 100 6 >/dev/null 2>&1 & echo started"
"$MEMWATCH" --idle 1s --checkpoints 3 --json "$TMP/daemon.json" -- sh -c "$launcher" >"$TMP/daemon.txt"
st=$?
r="$TMP/daemon.json"
is "$st" 0 "launcher with phases: exit 0 (the phases ran as planned)"
for k in 1 2 3; do
	within "$(jqf "[$run.checkpoints[] | select(.label == \"idle_${k}s\")][0].footprint_bytes" "$r")" \
		$((100 * MIB)) 2 $MIB "launcher: idle_${k}s holds the daemon's 100 MiB"
done
ok "launcher: the result says the phases ran on what the command left" \
	jqt "$run.daemonized and $run.left_running == 1" "$r"
ok "launcher: ... and so does the report" says "$TMP/daemon.txt" 'the phases ran on what it left'
"$MEMWATCH" --json "$TMP/daemon0.json" -- sh -c "$launcher" >"$TMP/daemon0.txt"
ok "launcher without phases: what it left is stopped, and said" \
	says "$TMP/daemon0.txt" 'and left 1 process running'
ok "... by memwatch" says "$TMP/daemon0.txt" 'memwatch stopped them'
ok "... and the result marks it" jqt "[$run.processes[] | select(.left_running)] | length == 1" \
	"$TMP/daemon0.json"
ok "... and the daemon is gone" sh -c "! pgrep -f '$TMP/mw-spin [m]ib 100 6' >/dev/null"

# --- processes sharing one address space are counted once -----------------
"$MEMWATCH" -q --json "$TMP/vm.json" -- "$edge" clone-vm 100 1
r="$TMP/vm.json"
is "$(jqf "$run.processes_seen" "$r")" 2 "clone-vm: two processes"
within "$(jqf "$run.peak.footprint_bytes" "$r")" $((100 * MIB)) 2 $MIB \
	"clone-vm: one address space, its 100 MiB counted once"
ok "clone-vm: the child is marked as sharing its parent's" \
	jqt "[$run.processes[] | select(.mm_shared_with != null)] | length == 1" "$r"

# --- 11. a short multi-threaded program under compare, at the defaults ----
# jemalloc's peak against wait4's under the same preload, as GNU time
# would give it: the peak comes and goes between 250 ms ticks.
jemalloc=$(ldconfig -p 2>/dev/null | sed -n 's/.*libjemalloc\.so\.2 .*=> //p' | head -1)
if [ -n "$jemalloc" ]; then
	"$MEMWATCH" compare -q -c system -c jemalloc --json "$TMP/churn.json" -- \
		"$edge" churn 4 40 30 >/dev/null 2>&1
	for cfg in system jemalloc; do
		pre=()
		[ $cfg = jemalloc ] && pre=(env "LD_PRELOAD=$jemalloc")
		# The program's own peak moves by up to 4% from run to run with
		# its threads' timing (283 to 294 MiB in five runs under
		# jemalloc): the median of three runs under wait4 against the
		# median of compare's runs, within 5%. The artefact this guards
		# against was 45%.
		want=$(for i in 1 2 3; do maxrss_kib "${pre[@]}" "$edge" churn 4 40 30; done |
			sort -n | sed -n 2p)
		want=$((want * 1024))
		got=$(jqf ".configs[] | select(.name == \"$cfg\") | .summary.peak_rss.median" "$TMP/churn.json")
		diag "churn under $cfg: memwatch $got, wait4 $want"
		within "$got" "$want" 5 $MIB "compare churn: $cfg's peak rss within 5% of wait4's"
	done
else
	skip "compare churn against wait4" "libjemalloc2 is not installed"
fi

# --- a process re-executes itself, late -----------------------------------
# A forked child that execs its own program a second after it was found
# keeps its name and text size; its VmHWM falling (the parent's 32 MiB it
# was forked with, gone with the old address space) tells memwatch to read
# the command line again.
"$MEMWATCH" -q --json "$TMP/lateexec.json" -- "$edge" late-exec 32 1 1
ok "a late self re-exec: the result names the program it became" \
	jqt "[$run.processes[] | select(.command == \"mw-edge exec-done 1\")] | length == 1" \
	"$TMP/lateexec.json"

# --- 12. the bundled workload under compare, at the defaults ----------------
# Its peak lasts a few tens of milliseconds under jemalloc (which purges as
# the build's threads exit): at a fixed 250 ms, the sampled peak fell
# anywhere below it, and the comparison with it. Now each run's sampled
# peak footprint is near what the kernel proves its rss reached (within
# its file pages, 3%). (How far the runs differ from each other is the
# program's own doing: glibc's peak moves by 10% with the threads' order.)
# The peak is caught by sampling densely once one was missed: a loaded
# machine that holds memwatch off the CPU through the last such peak of a
# run misses it (seen once, under the full suite). A comparison with a run
# off is measured once more, and the second judged: an error of memwatch's
# own shows in both.
if [ -n "$jemalloc" ]; then
	near='[.configs[].runs[] | .peak.footprint_bytes >= 0.94 * .peak_rss_bytes] | all'
	for attempt in 1 2; do
		"$MEMWATCH" compare -q -c system -c jemalloc --json "$TMP/wl.json" >/dev/null 2>&1
		jqt "$near" "$TMP/wl.json" && break
		[ $attempt = 1 ] && diag "workload: a sampled peak off, once more; sampled and proven:" \
			"$(jq -c '[.configs[] | {(.name): [.runs[] | [.peak.footprint_bytes, .peak_rss_bytes]]}]' "$TMP/wl.json")"
	done
	for cfg in system jemalloc; do
		c=".configs[] | select(.name == \"$cfg\")"
		ok "workload, $cfg: each run's sampled peak is within 6% of its proven peak rss" \
			jqt "[$c | .runs[] | .peak.footprint_bytes >= 0.94 * .peak_rss_bytes] | all" "$TMP/wl.json"
	done
else
	skip "the bundled workload under compare" "libjemalloc2 is not installed"
fi

# memwatch's own CPU share is over its own time for the run, not the
# command's wall time: never above one CPU, even for a command that ends
# at once.
for i in 1 2 3 4 5 6; do
	"$MEMWATCH" -q -i 1ms --json "$TMP/cpu$i.json" -- true
done
ok "memwatch's cpu_pct is at most 100 on tiny runs (6 runs)" \
	sh -c 'jq -es "all(.[]; .configs[0].runs[0].sampler.cpu_pct <= 100)" "$@" >/dev/null' sh "$TMP"/cpu?.json

done_testing
