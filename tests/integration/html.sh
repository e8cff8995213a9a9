#!/bin/bash
# html.sh - the visual report: one self-contained HTML file whose charts are the result's numbers
. "$top_srcdir/tests/setup"

data="$top_srcdir/tests/data"
spin="$HELPERS/mw-spin"

# check.py HTML [JSON CONFIG RUN]: the HTML is well formed (every element
# closed in order, no shape of a negative size) and self-contained
# (nothing fetched); with a result,
# the first footprint path (class fp) is that run's series, point for
# point, through the chart's scale. Prints what is wrong; exit 1 then.
cat >"$TMP/check.py" <<'PY'
import json, re, sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "source", "wbr"}
SVG_EMPTY = {"line", "rect", "circle", "path"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.errors = []; self.svgs = []; self.paths = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if k in ("src", "href") or (v and re.search(r"(?i)(https?:|//)[^ ]", v or "")):
                self.errors.append("a reference: %s=%s" % (k, v))
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.errors.append("a <%s>" % tag)
        for k in ("width", "height", "r"):
            if tag in SVG_EMPTY and k in a and a[k].startswith("-"):
                self.errors.append("a <%s> of %s %s" % (tag, k, a[k]))
        if tag == "svg": self.svgs.append(a)
        if tag == "path": self.paths.append((a, self.svgs[-1] if self.svgs else None))
        if tag not in VOID: self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID: self.stack.pop()
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
        else: self.stack.pop()
text = open(sys.argv[1], encoding="utf-8").read()
p = P(); p.feed(text); p.close()
if not text.startswith("<!DOCTYPE html>"): p.errors.append("no doctype")
if p.stack: p.errors.append("left open: %s" % p.stack)
if re.search(r"(?i)https?://", text): p.errors.append("an http(s):// reference")
if "@import" in text or "url(" in text: p.errors.append("a CSS fetch")
if len(sys.argv) > 2:
    run = json.load(open(sys.argv[2]))["configs"][int(sys.argv[3])]["runs"][int(sys.argv[4])]
    s = run["series"]
    fp = [(a, svg) for a, svg in p.paths if a.get("class") == "fp"]
    if not fp: p.errors.append("no footprint path")
    else:
        a, svg = fp[0]
        x0, y0 = float(svg["data-x0"]), float(svg["data-y0"])
        xs, ys = float(svg["data-xscale"]), float(svg["data-yscale"])
        pts = [tuple(map(float, q.split(","))) for q in re.findall(r"-?[\d.]+,-?[\d.]+", a["d"])]
        if len(pts) != len(s["t_s"]): p.errors.append("%d points for %d" % (len(pts), len(s["t_s"])))
        for (x, y), t, v in zip(pts, s["t_s"], s["footprint_bytes"]):
            if abs(x - (x0 + t * xs)) > 0.006 or abs(y - (y0 - v * ys)) > 0.006:
                p.errors.append("point %s,%s is not t=%s, %s bytes" % (x, y, t, v)); break
print("\n".join(p.errors))
sys.exit(1 if p.errors else 0)
PY
check() {
	python3 "$TMP/check.py" "$@" >"$TMP/check.out" 2>&1 || { sed 's/^/# /' "$TMP/check.out"; return 1; }
}

# One run.
"$MEMWATCH" -q -i 20ms --html "$TMP/run.html" --json "$TMP/run.json" -- "$spin" mib 16 0.4
ok "run --html exits 0" test $? -eq 0
n=$(jqf '.configs[0].runs[0].series.t_s | length' "$TMP/run.json")
ok "the result keeps the run's series ($n points)" test "$n" -gt 5
ok "... whose highest footprint is the peak" \
	jqt '.configs[0].runs[0] | (.series.footprint_bytes | max) == .peak.footprint_bytes' "$TMP/run.json"
ok "the run's HTML is well formed, self-contained, its curve the series point for point" \
	check "$TMP/run.html" "$TMP/run.json" 0 0
ok "... with the peak marked" grep -q '<circle class="peak"' "$TMP/run.html"
ok "... and the exit checkpoint" grep -q '<line class="cp".*<title>exit at' "$TMP/run.html"
"$MEMWATCH" report -q --html "$TMP/again.html" "$TMP/run.json"
is "$(grep '<path class="fp"' "$TMP/again.html")" "$(grep '<path class="fp"' "$TMP/run.html")" \
	"report --html of the run's file draws its footprint again, the same"

# Phases shaded: a ready line, a load phase, an idle window. (The command
# outlives the first idle checkpoint by half a second: it shades the idle
# span only if taken, and memwatch, held off the CPU on a loaded machine,
# may read the ready line and start the window late.)
"$MEMWATCH" -q -i 20ms --html "$TMP/phases.html" --json "$TMP/phases.json" --ready 'ready' \
	--idle 300ms -- sh -c 'echo ready; exec "$0" mib 8 0.8' "$spin" >/dev/null
ok "phases: the load and idle spans and the ready line" \
	sh -c 'grep -q "<rect class=\"load\"" "$1" && grep -q "<rect class=\"idle\"" "$1" &&
		grep -q "<line class=\"ready\"" "$1"' sh "$TMP/phases.html"
ok "... well formed" check "$TMP/phases.html" "$TMP/phases.json" 0 0

# A comparison: 4 configurations x 5 runs.
cfgs=()
for m in 8 12 16 20; do
	cfgs+=(-c "m$m=@$spin mib $m 0.1")
done
"$MEMWATCH" compare -q -r 5 -i 20ms "${cfgs[@]}" --json "$TMP/c.json" --html "$TMP/c.html" -o /dev/null
ok "compare --html exits 0" test $? -eq 0
ok "compare's HTML is well formed and self-contained" check "$TMP/c.html"
is "$(grep -c '<path class="run ' "$TMP/c.html")" 20 "a curve per run: 20"
is "$(grep -c '<path class="run median"' "$TMP/c.html")" 4 "... one bold per configuration"
ok "... and the table with its significance" grep -q '<td class="r">.*(p=' "$TMP/c.html"
ok "the result file of 4 x 5 runs is under 1 MiB" test "$(stat -c %s "$TMP/c.json")" -lt 1048576
ok "... and so is its HTML" test "$(stat -c %s "$TMP/c.html")" -lt 1048576
"$MEMWATCH" report -q --html "$TMP/r.html" "$TMP/c.json"
ok "report --html of a comparison is well formed" check "$TMP/r.html"
"$MEMWATCH" diff -q --html "$TMP/d.html" --max-increase peak=5 "$TMP/c.json" "$TMP/c.json"
ok "diff --html is well formed, with the verdicts" \
	sh -c 'python3 "$1" "$2" && grep -q "<li><span class=\"ok\">ok</span> m8 peak" "$2"' sh \
	"$TMP/check.py" "$TMP/d.html"

# The largest series memwatch keeps (770 points, as many as a run of any
# length), 20 runs: the HTML stays under 1 MiB.
jq '.configs[0].runs[0].series = {t_s: [range(770) | . * 0.78], footprint_bytes: [range(770) |
	. * 1048576 + 123456789], rss_bytes: [range(770) | . * 1048576 + 223456789]}
	| .configs[0].runs = [range(20) as $i | .configs[0].runs[0]]' "$TMP/run.json" >"$TMP/big.json"
"$MEMWATCH" report -q --html "$TMP/big.html" --json "$TMP/big-again.json" "$TMP/big.json"
ok "20 runs of 770 points: the result under 1 MiB" test "$(stat -c %s "$TMP/big-again.json")" -lt 1048576
ok "... the HTML too" test "$(stat -c %s "$TMP/big.html")" -lt 1048576

# The series is read back strictly.
bad() {
	jq "$1" "$TMP/run.json" >"$TMP/bad.json"
	"$MEMWATCH" report "$TMP/bad.json" >/dev/null 2>"$TMP/bad.err"
	[ $? -eq 2 ] && grep -qF "$2" "$TMP/bad.err" || { sed 's/^/# /' "$TMP/bad.err"; return 1; }
}
ok "a series of arrays of other lengths is refused" \
	bad '.configs[0].runs[0].series.rss_bytes |= .[1:]' 'series.rss_bytes: '
ok "... a time that goes back" \
	bad '.configs[0].runs[0].series.t_s[2] = 0' 'series.t_s[2]: 0 is before the time before it'
ok "... a byte count that is not one" \
	bad '.configs[0].runs[0].series.footprint_bytes[1] = -5' 'series.footprint_bytes[1]: -5 is not a byte count'
jq 'del(.configs[0].runs[0].series)' "$TMP/run.json" >"$TMP/none.json"
"$MEMWATCH" report -q --html "$TMP/none.html" "$TMP/none.json"
ok "a result without a series still renders, saying it has nothing to draw" \
	grep -q 'keeps no series' "$TMP/none.html"

# In a browser, if one is installed: no console error.
browser=$(command -v chromium || command -v chromium-headless-shell || true)
if [ -z "$browser" ]; then
	skip "chromium shows the reports without a console error" "no chromium (Debian's package chromium is not installed here)"
else
	for f in run c d; do
		timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
			--user-data-dir="$TMP/chrome-$f" --enable-logging=stderr --v=0 \
			--dump-dom "file://$TMP/$f.html" >"$TMP/$f.dom" 2>"$TMP/$f.log"
	done
	ok "chromium shows the reports without a console error" \
		sh -c '! grep -h "CONSOLE" "$@" && grep -q "</svg>" "$4"' sh "$TMP/run.log" "$TMP/c.log" \
		"$TMP/d.log" "$TMP/c.dom"
fi

done_testing
