#!/usr/bin/env bash
# test_html_browser: the HTML report of a real run, opened in Debian's headless
# Chromium and inspected over the DevTools protocol (tests/tools/html_check.mjs):
# the charts are in the DOM and painted, every line of a chart visible even where
# they coincide (a fixture whose p50, p95 and p99 are equal), the server-side
# metrics table shows the
# target's Server-Timing and X-Query-Count in their units, the console stays
# clean and the page requests nothing but itself, even with its CSP bypassed.
. "$(dirname "$0")/lib.sh"

browser_required "the HTML report"

start_target
cat >"$E2E_TMP/metrics.yaml" <<YAML
name: html-browser
host: http://127.0.0.1:1
load: {users: 6, spawn_rate: 100, duration: 3s}
thresholds:
  - "failure_rate < 1%"
users:
  - name: U
    think: constant 20ms
    tasks:
      - {weight: 2, get: "/delay?ms=30", name: /delay}
      - {weight: 1, get: "/json?queries=3", name: /json}
YAML
timeout 60 "$BUILD/barrage" run "$E2E_TMP/metrics.yaml" --workers 2 -H "$TARGET_URL" -q \
    --html "$E2E_TMP/report.html" >"$E2E_TMP/run.out" 2>"$E2E_TMP/run.err"
rc=$?
check "run exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/run.err"
check "report.html written" test -s "$E2E_TMP/report.html"
# Lines that coincide from end to end: a later line must not hide the ones below it.
"$BUILD/tests/html_fixture" "$E2E_TMP/coinciding.html" coinciding
check "coinciding.html written" test -s "$E2E_TMP/coinciding.html"

start_chromium

facts="$E2E_TMP/facts.txt"
timeout 30 node --experimental-websocket "$SRC/tests/tools/html_check.mjs" \
    "$DEVTOOLS_PORT_FILE" "$E2E_TMP/report.html" "$E2E_TMP/report.png" 25 \
    >"$facts" 2>"$E2E_TMP/check.err"
rc=$?
coinciding="$E2E_TMP/coinciding.txt"
timeout 30 node --experimental-websocket "$SRC/tests/tools/html_check.mjs" \
    "$DEVTOOLS_PORT_FILE" "$E2E_TMP/coinciding.html" "$E2E_TMP/coinciding.png" 25 \
    >"$coinciding" 2>"$E2E_TMP/check_coinciding.err"
rc_coinciding=$?
stop_chromium
check "html_check talks to chromium over CDP (rc $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/check.err"
check "html_check reads the coinciding fixture (rc $rc_coinciding)" test "$rc_coinciding" -eq 0
[ "$rc_coinciding" -eq 0 ] || cat "$E2E_TMP/check_coinciding.err"
line=$(grep '^chart 2 ' "$coinciding")
check "coinciding p50, p95 and p99 all painted: ${line:-no chart 2}" \
    test "$(echo "$line" | grep -o 'drawn=[0-9]*/[0-9]*')" = drawn=3/3
# BARRAGE_HTML_KEEP=DIR keeps the page, its screenshot and the facts to look at.
if [ -n "${BARRAGE_HTML_KEEP:-}" ]; then
    mkdir -p "$BARRAGE_HTML_KEEP"
    cp "$facts" "$E2E_TMP/report.html" "$E2E_TMP/report.png" "$BARRAGE_HTML_KEEP/"
fi

page_url="file://$E2E_TMP/report.html"
check "the only request is the page itself" \
    test "$(grep '^request ' "$facts")" = "request $page_url"
check "with its CSP bypassed the page still requests nothing else" \
    test "$(grep '^bypass_request ' "$facts")" = "bypass_request $page_url"
check "no console message, error or exception" \
    test -z "$(grep -E '^(bypass_)?console ' "$facts")"
grep -E '^(bypass_)?console ' "$facts" | head -5

read -r _ n_svg n_rendered < <(grep '^svg ' "$facts")
check "5 SVG charts in the rendered DOM, all with a box (${n_svg:-0}, ${n_rendered:-0})" \
    test "${n_svg:-0}" -eq 5 -a "${n_rendered:-0}" -eq 5
# Each chart's pixels: more than axes and text, and every data colour painted in its plot —
# but the phases' stacked bars, where a phase this run never spent time in (TLS on plain
# HTTP, DNS for 127.0.0.1) has no width: there the server's wait at least.
while read -r _ i size colours drawn title; do
    n=${colours#colours=}
    d=${drawn#drawn=}
    if [[ $title == "title=Where the time went"* ]]; then
        check "chart $i ($size) is painted: $colours, $drawn phase colours, $title" \
            test "$n" -gt 40 -a "${d%/*}" -ge 1
    else
        check "chart $i ($size) is painted: $colours, $drawn data colours, $title" \
            test "$n" -gt 40 -a "${d%/*}" = "${d#*/}" -a "${d#*/}" -gt 0
    fi
done < <(grep '^chart ' "$facts")
read -r _ size colours ink < <(grep '^page ' "$facts")
n=${colours#colours=}
ink=${ink#ink=}
check "screenshot is not blank ($size, $colours, ${ink}% ink)" \
    test "${n:-0}" -gt 200 -a "${ink%.*}" -ge 10
check "screenshot saved as a PNG" \
    test "$(head -c 8 "$E2E_TMP/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a

check "a 'Server-side metrics' section" grep -qx 'section Server-side metrics' "$facts"
# metrics METHOD|NAME|METRIC|SOURCE|UNIT|COUNT|AVG|P50|P95|P99|MAX|OF RESPONSE
row() { grep "^metrics GET|$1|$2|" "$facts" | head -1 | cut -d' ' -f2-; }
IFS='|' read -r _ _ _ src unit count avg p50 _ _ max _ <<<"$(row /delay app)"
check "/delay app: Server-Timing in ms ($src, $unit)" test "$src $unit" = "Server-Timing ms"
check "/delay app: the target held each response >= 30 ms (avg $avg, p50 $p50)" \
    awk -v a="${avg:-0}" -v p="${p50:-0}" 'BEGIN { exit !(a >= 30 && p >= 29.9) }'
delay_reqs=$(awk '$1 == "GET" && $2 == "/delay" {print $3; exit}' "$E2E_TMP/run.out")
check "/delay app: one value per response (${count:-0} of ${delay_reqs:-?})" \
    test "${count:-0}" -gt 0 -a "${count:-0}" = "${delay_reqs:-x}"
IFS='|' read -r _ _ _ src unit count avg p50 p95 p99 max share <<<"$(row /json queries)"
check "/json queries: X-Query-Count as whole queries ($src, $unit: $avg $p50 $p95 $p99 $max)" \
    test "$src|$unit|$avg|$p50|$p95|$p99|$max|$share" = "X-Query-Count|queries|3.0|3|3|3|3|—"
check "/json app: Server-Timing row too" test -n "$(row /json app)"

e2e_finish
