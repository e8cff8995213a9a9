#!/bin/bash
# vite.sh - the workflow on a real dev server: vite, from npm, on a small page
#
# vite 7 transforms TypeScript with esbuild, which it runs as a child
# process (a service started on the first transform), so the tree is
# npm exec -> sh -> node (vite) -> esbuild. vite is installed into
# the build tree once, only where node, npm and the npm registry are there.
. "$top_srcdir/tests/setup"

VITE_VERSION=7
cache="$top_builddir/tests/vite-cache"
need() {
	skip "vite on a small page, driven and idle" "$1"
	done_testing
	exit
}
command -v node >/dev/null 2>&1 || need "node is not installed"
command -v npm >/dev/null 2>&1 || need "npm is not installed"
command -v curl >/dev/null 2>&1 || need "curl (to drive the server) is not installed"
if [ ! -x "$cache/node_modules/.bin/vite" ]; then
	mkdir -p "$cache"
	cp "$top_srcdir"/tests/vite/*.html "$top_srcdir"/tests/vite/*.ts \
		"$top_srcdir"/tests/vite/package.json "$cache/"
	chmod u+w "$cache"/*
	if ! (cd "$cache" && timeout 180 npm install --no-audit --no-fund --loglevel=error \
		"vite@$VITE_VERSION" >"$TMP/npm.log" 2>&1); then
		diag "$(tail -3 "$TMP/npm.log")"
		need "vite@$VITE_VERSION could not be installed from the npm registry (unreachable?)"
	fi
fi

# A free port: the kernel's pick, released just before vite takes it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 5173)
url="http://127.0.0.1:$port"
cd "$cache" || exit 1
"$MEMWATCH" -q -i 100ms --ready 'ready in' --ready-timeout 60s \
	--drive "for i in \$(seq 30); do curl -sf $url/ >/dev/null && curl -sf $url/main.ts >/dev/null && curl -sf $url/greeting.ts >/dev/null || exit 1; done" \
	--idle 1s --checkpoints 3 --json "$TMP/v.json" -- \
	npx vite --port "$port" --strictPort --host 127.0.0.1 >"$TMP/v.out" 2>&1
st=$?
run='.configs[0].runs[0]'
ok "memwatch on vite exits 0 (as planned)" test "$st" -eq 0
ok "vite's ready line passed through" grep -q 'ready in' "$TMP/v.out"
ok "ready was seen" jqt "$run.ready_s > 0" "$TMP/v.json"
is "$(jqf "$run.drive.exit_status" "$TMP/v.json")" 0 "the driver fetched the page and its modules 30 times"
is "$(jqf "[$run.checkpoints[].label] | join(\",\")" "$TMP/v.json")" \
	"ready,load_end,idle_1s,idle_2s,idle_3s,exit" "every checkpoint was taken"
ok "vite (node) is in the tree" \
	jqt "[$run.processes[] | select(.command | test(\"node .*vite\"))] | length == 1" "$TMP/v.json"
ok "its esbuild child is in the tree" \
	jqt "[$run.processes[] | select(.command | test(\"esbuild\"))] | length >= 1" "$TMP/v.json"
is "$(jqf "$run.checkpoints[] | select(.label == \"ready\") | .processes" "$TMP/v.json")" 3 \
	"at ready the tree is npm, sh and node (esbuild starts with the first transform)"
ok "from load end on, esbuild too: four processes in every checkpoint" \
	jqt "[$run.checkpoints[] | select(.label != \"ready\" and .label != \"exit\") | .processes == 4] | all" "$TMP/v.json"
ok "the footprint is node-sized (20 MiB to 1 GiB)" \
	jqt "$run.peak.footprint_bytes > 20*1048576 and $run.peak.footprint_bytes < 1073741824" "$TMP/v.json"
ok "shared pages make rss exceed pss" jqt "$run.peak.rss_bytes > $run.peak.pss_bytes" "$TMP/v.json"
ok "nothing is left running" none_running vite $(jqf "$run.processes[].pid" "$TMP/v.json")
diag "vite: ready after $(jqf "$run.ready_s" "$TMP/v.json") s; peak footprint $(jqf "$run.peak.footprint_bytes" "$TMP/v.json") B;" \
	"idle_3s footprint $(jqf "$run.checkpoints[] | select(.label == \"idle_3s\") | .footprint_bytes" "$TMP/v.json") B"

done_testing
