#!/usr/bin/env bash
# test_web_drive: Locust's web API drives real runs of a real master and two local
# workers against the demo target, as a Locust user's script would: the workers are
# listed (ready) before the first start, and nothing starts until POST /swarm;
# /stats/requests follows the run (state, users, counts);
# the start form's defaults come from the scenario (/api/state) before any run;
# a second /swarm while running edits the users; the run ends at its run_time and
# the master stays up; a second run starts with empty stats, /stats/reset empties
# them, /stop ends it; a malformed form, an unknown user class or a scenario broken
# on disk starts nothing and /swarm's answer says why (the scenario's errors with
# file:line:column, also in /api/state);
# every request the target served is in the runs' totals. Ctrl-C ends the master.
. "$(dirname "$0")/lib.sh"

start_target
scenario="$E2E_TMP/web.yaml"
write_scenario() {
    cat >"$scenario" <<YAML
name: web-drive
host: $TARGET_URL
load: {users: 2, spawn_rate: 2, duration: 1m}
users:
  - name: Reader
    think: constant 20ms
    tasks:
      - {get: /, name: home}
YAML
}
write_scenario

start_web_master master "$scenario"

# field EXPR: a Python expression over d = GET /stats/requests.
field() {
    curl -s --max-time 5 "${WEB}stats/requests" |
        python3 -c "import json, sys; d = json.load(sys.stdin); print($1)" 2>/dev/null
}
rows() { field "' '.join('%s=%d' % (s['name'], s['num_requests']) for s in d['stats'])"; }
# wait_for EXPR WANT [SECONDS]: polls until field EXPR prints WANT; false at the deadline.
wait_for() {
    local _
    for _ in $(seq 1 $((${3:-10} * 10))); do
        [ "$(field "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    return 1
}
wait_for_state_errors() {
    local _
    for _ in $(seq 1 30); do
        sfield "s['errors']" | grep -qE "web.yaml:[0-9]+:[0-9]+: error" && return 0
        sleep 0.1
    done
    return 1
}
aggregated() { field "[s['num_requests'] for s in d['stats'] if s['name'] == 'Aggregated'][0]"; }

check "before any start: state ready" wait_for "d['state']" ready 10
# A Locust script waits for its workers in /stats/requests before it swarms.
check "...and workers[] lists the 2 workers, ready, as Locust does" \
    wait_for "sorted((w['state'], w['user_count']) for w in d['workers'])" \
    "[('ready', 0), ('ready', 0)]" 10
# sfield EXPR: a Python expression over s = GET /api/state's scenario (the start form's defaults).
sfield() {
    curl -s --max-time 5 "${WEB}api/state" |
        python3 -c "import json, sys; s = json.load(sys.stdin)['scenario']; print($1)" 2>/dev/null
}
check "the start form's defaults come from the scenario before any run" test \
    "$(sfield "(s['users'], s['spawn_rate'], s['run_time_s'], s['host'], s['mode'], s['classes'][0]['name'])")" \
    = "(2, 2, 60, '$TARGET_URL', 'closed', 'Reader')"
sleep 1.5
check "...and nothing was fired (target served $(target_total))" test "$(target_total)" -eq 0

# A malformed form: a clear JSON error, HTTP 400, nothing starts.
code=$(curl -s -o "$E2E_TMP/bad.json" -w '%{http_code}' -X POST -d 'user_count=-1&spawn_rate=abc' \
    "${WEB}swarm")
check "a malformed /swarm answers 400 (got $code)" test "$code" = 400
check "...with success false and a reason" grep -q '"success": false' "$E2E_TMP/bad.json"
sleep 0.5
check "...and starts nothing" test "$(field "d['state']")" = ready
code=$(curl -s -o "$E2E_TMP/class.json" -w '%{http_code}' -X POST \
    -d 'user_count=2&spawn_rate=2&user_classes=Admin' "${WEB}swarm")
check "an unknown user class answers 400 (got $code)" test "$code" = 400
check "...naming it and the scenario's classes" \
    grep -q "unknown user class 'Admin'.*'Reader'" "$E2E_TMP/class.json"

# Run 1: 4 users for 6 s, then an edit to 8 users.
curl -s -X POST -d 'user_count=4&spawn_rate=100&run_time=6s' "${WEB}swarm" >"$E2E_TMP/swarm1.json"
check "/swarm answers Locust's success" grep -q '"success": true' "$E2E_TMP/swarm1.json"
check "...naming the scenario's host" grep -qF "\"host\": \"$TARGET_URL\"" "$E2E_TMP/swarm1.json"
check "run 1 is running with 4 users" wait_for "(d['state'], d['user_count'])" "('running', 4)" 10
check "...on 2 workers" test "$(field "len(d['workers'])")" = 2
check "...and its counts grow" wait_for "int([s['num_requests'] for s in d['stats'] if s['name'] == 'home'][0] > 0)" 1 5
curl -s -X POST -d 'user_count=8&spawn_rate=100&host=http%3A%2F%2F127.0.0.1%3A9' "${WEB}swarm" \
    >"$E2E_TMP/edit.json"
check "an edit mid-run: the users follow to 8" wait_for "d['user_count']" 8 10
check "...and /swarm names the run's host, which an edit keeps" \
    grep -qF "\"host\": \"$TARGET_URL\"" "$E2E_TMP/edit.json"
check "run 1 ends at its run_time: state stopped" wait_for "d['state']" stopped 15
run1=$(aggregated)
check "...its Aggregated ($run1) equals what the target served ($(target_total))" \
    test "$run1" = "$(target_total)"
curl -s "${WEB}stats/requests/csv" >"$E2E_TMP/run1_stats.csv"
check "...its stats CSV has Locust's header" \
    grep -q '^Type,Name,Request Count,' "$E2E_TMP/run1_stats.csv"
check "...and the row home with its count" grep -q "^GET,home,$run1," "$E2E_TMP/run1_stats.csv"

# Run 2 starts with empty stats; /stats/reset empties them again; /stop ends it.
served_before=$(target_total)
curl -s -X POST -d 'user_count=2&spawn_rate=100&run_time=30s' "${WEB}swarm" >/dev/null
check "run 2 is running with 2 users" wait_for "(d['state'], d['user_count'])" "('running', 2)" 10
sleep 1.5
check "run 2's stats start from 0 (not $run1 + more)" test "$(aggregated)" -lt "$run1"
before_reset=$(aggregated)
curl -s "${WEB}stats/reset" >/dev/null
check "/stats/reset empties them (below the $before_reset before it)" wait_for \
    "int([s['num_requests'] for s in d['stats'] if s['name'] == 'Aggregated'][0] < $before_reset)" 1 3
curl -s "${WEB}stop" >"$E2E_TMP/stop.json"
check "/stop answers Locust's message" grep -q '"Test stopped"' "$E2E_TMP/stop.json"
check "run 2 stops" wait_for "d['state']" stopped 15

# A scenario broken on disk: the next start is refused with file:line:column, nothing runs.
served_after=$(target_total)
printf 'name: broken\nusers: [\n' >"$scenario"
code=$(curl -s -o "$E2E_TMP/broken.json" -w '%{http_code}' -X POST \
    -d 'user_count=2&spawn_rate=100&run_time=5s' "${WEB}swarm")
check "a broken scenario: /swarm answers 400 (got $code)" test "$code" = 400
check "...with its error at file:line:column" \
    grep -qE '"success": false, "message": ".*web.yaml:[0-9]+:[0-9]+: error' "$E2E_TMP/broken.json"
check "...which the page's state shows too" wait_for_state_errors
check "...and the master's log" grep -qE "web.yaml:[0-9]+:[0-9]+: error" "$E2E_TMP/master.err"
sleep 1
check "...and nothing starts (state $(field "d['state']"))" test "$(field "d['state']")" = stopped
check "...and nothing is fired" test "$(target_total)" -eq "$served_after"

kill -INT "$MASTER_PID"
wait "$MASTER_PID"
rc=$?
check "Ctrl-C ends the master, exit 0 (got $rc)" test "$rc" -eq 0
check "each run printed its summary (2 request tables)" \
    test "$(grep -c '^Type  *Name  *# reqs' "$E2E_TMP/master.out")" -eq 2
check "the target served runs 1 and 2 only ($served_before before run 2)" \
    test "$served_after" -gt "$served_before"
e2e_finish
