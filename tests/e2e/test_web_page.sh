#!/usr/bin/env bash
# test_web_page: barrage's web page (GET /) in Debian's headless Chromium, driven over
# the DevTools protocol (tests/tools/web_page_check.mjs) against a real master with two
# local workers and the demo target: the start form filled from the scenario, a start
# with one of two user classes picked, the Statistics table and the charts updating
# live over /events, the Failures, Exceptions, Current ratio, Server-side metrics, Workers
# and Logs tabs, an edit of the users mid-run followed by the header, a /swarm error
# shown in the page, Stop, the stats CSV through its download link, and a start refused
# with the errors of the scenario broken on disk; the page's final Aggregated count
# equals the target's own counter, the console
# stays clean and every request goes to the master. BARRAGE_SCREENSHOT=PATH keeps a
# screenshot of the page mid-run (docs/web-ui.png is one).
. "$(dirname "$0")/lib.sh"

browser_required "the web page"

start_target
# The scenario's host is unreachable: the run must use the host typed in the form.
scenario="$E2E_TMP/page.yaml"
cat >"$scenario" <<YAML
name: web-page
host: http://127.0.0.1:1
load: {users: 2, spawn_rate: 2, duration: 1m}
users:
  - name: Reader
    weight: 3
    think: constant 20ms
    tasks:
      - {weight: 3, get: /, name: home}
      - {weight: 2, get: "/delay?ms=5", name: /delay}
      - {weight: 1, get: /status/503, name: /flaky}
      - {weight: 1, get: /, name: token, capture: {token: "json:\$.access_token"}}
  - name: Writer
    tasks:
      - {get: /, name: writer-only}
YAML

start_web_master master "$scenario"

start_chromium

facts="$E2E_TMP/facts.txt"
timeout 100 node --experimental-websocket "$SRC/tests/tools/web_page_check.mjs" \
    "$DEVTOOLS_PORT_FILE" "$WEB" "$TARGET_URL" "$scenario" "${BARRAGE_SCREENSHOT:-}" \
    >"$facts" 2>"$E2E_TMP/check.err"
rc=$?
stop_chromium
check "web_page_check walks the page over CDP (rc $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/check.err"

for s in start_form_shown form_defaults running_with_4_users form_closed row_home_grows \
    header_rps_positive aggregated_row failures_tab_rows picked_class_only exceptions_tab_rows \
    ratio_tab_rows metrics_tab_rows logs_tab_rows header_fail_percent workers_tab_rows \
    chart_paths_drawn charts_visible chart_paths_grow edit_form_shown edit_users_follow \
    swarm_error_shown bad_form_changes_nothing stopped csv_downloaded new_test_form \
    scenario_errors_shown broken_scenario_starts_nothing; do
    line=$(grep "^step $s " "$facts" | head -1)
    check "page: ${line#step }" test "$(echo "$line" | cut -d' ' -f3)" = ok
done
check "no step of the walk failed" test -z "$(grep '^step .* FAIL' "$facts")"
grep '^step walk ' "$facts"

final=$(sed -n 's/^final_aggregated //p' "$facts")
csv=$(sed -n 's/^csv_aggregated //p' "$facts")
served=$(target_total)
check "the page's final Aggregated count ($final) equals the target's counter ($served)" \
    test -n "$final" -a "$final" = "$served"
check "...and the downloaded stats CSV says the same ($csv)" test "$csv" = "$served"
check "the target served requests at all ($served)" test "${served:-0}" -gt 0

origin=${WEB%/}
foreign=$(grep '^request ' "$facts" | cut -d' ' -f2- | grep -v "^$origin/")
check "every request went to the master ($(grep -c '^request ' "$facts") requests)" \
    test -z "$foreign"
[ -z "$foreign" ] || echo "$foreign" | head -5
for p in / /style.css /app.js /events /swarm /stop /stats/requests/csv; do
    check "the page requested $p" grep -qx "request $origin$p" "$facts"
done
# The one console line allowed: Chromium's note on the deliberate bad /swarm (HTTP 400).
bad_form='console error Failed to load resource: the server responded with a status of 400'
check "no console message, error or exception (but the bad form's 400)" \
    test -z "$(grep '^console ' "$facts" | grep -vF "$bad_form")"
grep '^console ' "$facts" | grep -vF "$bad_form" | head -5
if [ -n "${BARRAGE_SCREENSHOT:-}" ]; then
    check "screenshot saved as a PNG at $BARRAGE_SCREENSHOT" \
        test "$(head -c 8 "$BARRAGE_SCREENSHOT" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a
fi

# Ctrl-C ends the master promptly although an event stream is open (web_destroy ends it).
curl -sN --max-time 60 "${WEB}events" >"$E2E_TMP/events.txt" 2>/dev/null &
CURL_PID=$!
E2E_PIDS+=("$CURL_PID")
for _ in $(seq 1 50); do
    grep -q '^data: ' "$E2E_TMP/events.txt" && break
    sleep 0.1
done
check "GET /events streams the state" grep -q '^data: {"state":"stopped"' "$E2E_TMP/events.txt"
start_s=$SECONDS
kill -INT "$MASTER_PID"
wait "$MASTER_PID"
rc=$?
check "Ctrl-C ends the master with an event stream open, exit 0 (rc $rc, $((SECONDS - start_s)) s)" \
    test "$rc" -eq 0 -a $((SECONDS - start_s)) -le 10
wait "$CURL_PID" 2>/dev/null

e2e_finish
