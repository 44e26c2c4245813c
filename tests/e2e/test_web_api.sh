#!/usr/bin/env bash
# test_web_api: the web side's API over real HTTP — a real run's JSON result served by
# web_fixture; /stats/requests and /exceptions against real Locust's and the result's counts;
# the CSV downloads byte-equal to `barrage report --csv`; /metrics through promtool and
# a real Prometheus scrape; POST /swarm good and bad; Host/Origin refusals; auth.
. "$(dirname "$0")/lib.sh"

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# start_bg NAME SECONDS CMD...: starts CMD bounded in time, remembers its PID in BG_PID.
start_bg() {
    local name=$1 secs=$2
    shift 2
    timeout "$secs" "$@" >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err" &
    BG_PID=$!
    E2E_PIDS+=("$BG_PID")
}
wait_http() { # wait_http URL: up to 10 s for an answer
    for _ in $(seq 1 100); do
        curl -s --max-time 1 -o /dev/null "$1" && return 0
        sleep 0.1
    done
    return 1
}
# start_fixture NAME ARGS...: web_fixture on the result; sets FIX_PID and FIX_URL.
start_fixture() {
    local name=$1
    shift
    start_bg "$name" 120 "$BUILD/tests/web_fixture" "$E2E_TMP/run.json" "$@"
    FIX_PID=$BG_PID
    for _ in $(seq 1 100); do
        FIX_URL=$(head -n 1 "$E2E_TMP/$name.out")
        [ -n "$FIX_URL" ] && return 0
        sleep 0.05
    done
    return 1
}
stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

start_target
cat >"$E2E_TMP/s.yaml" <<YAML
name: web-api
host: http://127.0.0.1:1
load: {users: 5, spawn_rate: 100, duration: 2s}
users:
  - name: U
    think: constant 10ms
    tasks:
      - {weight: 3, get: "/delay?ms=2", name: /delay}
      - {weight: 1, get: "/mix?fast=50&slow=50", name: "/fixed <b>"}
YAML
timeout 60 "$BUILD/barrage" run "$E2E_TMP/s.yaml" --workers 2 -H "$TARGET_URL" -q \
    --json "$E2E_TMP/run.json" >"$E2E_TMP/run.out" 2>"$E2E_TMP/run.err"
rc=$?
check "the run exits 0 (got $rc)" test "$rc" -eq 0
timeout 30 "$BUILD/barrage" report "$E2E_TMP/run.json" --csv "$E2E_TMP/want" >/dev/null 2>&1
check "barrage report writes the CSVs" test -s "$E2E_TMP/want_stats.csv"

start_fixture fix
check "web_fixture prints its URL ($FIX_URL)" test -n "$FIX_URL"
U=${FIX_URL%/}
HOSTPORT=${U#http://}
curl -s --max-time 5 "$U/stats/requests" >"$E2E_TMP/req.json"
check "/stats/requests is JSON" /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$E2E_TMP/req.json"

# Key sets against real Locust (as a master, which is what barrage is: it has workers[]).
keys_of() { # keys_of FILE: top-level keys, then the stats[] entry keys, sorted
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("top", " ".join(sorted(d)))
print("stats", " ".join(sorted(set(k for e in d["stats"] for k in e))))
print("aggregated_method", d["stats"][-1]["method"])' "$1"
}
if /usr/bin/python3 -c 'import locust' 2>/dev/null; then
    mkdir -p "$E2E_TMP/locust"
    printf 'from locust import HttpUser, task\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.get("/")\n' >"$E2E_TMP/locust/f.py"
    lport=$(free_port)
    mport=$(free_port)
    (cd "$E2E_TMP/locust" && exec timeout 60 /usr/bin/python3 -m locust -f f.py --master \
        --master-bind-host 127.0.0.1 --master-bind-port "$mport" --web-host 127.0.0.1 \
        --web-port "$lport" -H http://127.0.0.1:1) >"$E2E_TMP/locust.out" 2>&1 &
    LOCUST_PID=$!
    E2E_PIDS+=("$LOCUST_PID")
    wait_http "http://127.0.0.1:$lport/stats/requests"
    curl -s --max-time 5 "http://127.0.0.1:$lport/stats/requests" >"$E2E_TMP/locust.json"
    curl -s --max-time 5 "http://127.0.0.1:$lport/exceptions" >"$E2E_TMP/locust_exc.json"
    curl -s --max-time 5 "http://127.0.0.1:$lport/exceptions/csv" >"$E2E_TMP/locust_exc.csv"
    stop_pid "$LOCUST_PID"
    check "/stats/requests key sets equal real Locust's" \
        diff <(keys_of "$E2E_TMP/locust.json") <(keys_of "$E2E_TMP/req.json")
    # /exceptions: the run has none (no capture), so both answer the bare shape.
    check "/exceptions answers as real Locust's ($(cat "$E2E_TMP/locust_exc.json" | tr -d '\n'))" \
        diff <(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' \
            "$E2E_TMP/locust_exc.json") \
        <(curl -s --max-time 5 "$U/exceptions" |
            /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin))')
    check "/exceptions/csv's header is real Locust's" \
        cmp -s <(head -n 1 "$E2E_TMP/locust_exc.csv") \
        <(curl -s --max-time 5 "$U/exceptions/csv" | head -n 1)
else
    echo "skip - python3-locust not installed: /stats/requests key sets not compared with Locust's"
fi

# Values against the JSON result.
vals() { # vals FILE: "NAME COUNT FAILURES" per stats row, from /stats/requests or the result
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
if "format_version" in d:
    for s in d["stats"] + [dict(d["aggregated"], name="Aggregated")]: print(s["name"], s["requests"], s["failures"])
else:
    for s in d["stats"]: print(s["name"], s["num_requests"], s["num_failures"])' "$1" | sort
}
check "num_requests and num_failures equal the JSON result's" \
    diff <(vals "$E2E_TMP/run.json") <(vals "$E2E_TMP/req.json")
check "safe_name is HTML-escaped" grep -q '"safe_name": "/fixed &lt;b&gt;"' "$E2E_TMP/req.json"

# Downloads: the same bytes as --csv / --json.
for pair in requests/csv:want_stats.csv requests_full_history/csv:want_stats_history.csv \
    failures/csv:want_failures.csv; do
    check "/stats/${pair%%:*} is byte-equal to ${pair#*:}" \
        cmp -s <(curl -s --max-time 5 "$U/stats/${pair%%:*}") "$E2E_TMP/${pair#*:}"
done
curl -s --max-time 5 "$U/stats/report/json" >"$E2E_TMP/dl.json"
timeout 30 "$BUILD/barrage" report "$E2E_TMP/run.json" --json "$E2E_TMP/re.json" >/dev/null 2>&1
check "/stats/report/json is byte-equal to --json" cmp -s "$E2E_TMP/dl.json" "$E2E_TMP/re.json"
curl -s --max-time 5 "$U/stats/report" >"$E2E_TMP/dl.html"
timeout 30 "$BUILD/barrage" report "$E2E_TMP/run.json" --html "$E2E_TMP/re.html" >/dev/null 2>&1
check "/stats/report is byte-equal to --html" cmp -s "$E2E_TMP/dl.html" "$E2E_TMP/re.html"

# Prometheus: promtool, then a real scrape read back through the query API.
curl -s --max-time 5 "$U/metrics" >"$E2E_TMP/metrics.txt"
if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
    check "promtool check metrics passes" sh -c "promtool check metrics <'$E2E_TMP/metrics.txt' >'$E2E_TMP/promtool.out' 2>&1"
    pport=$(free_port)
    cat >"$E2E_TMP/prom.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: barrage
    static_configs: [{targets: ["$HOSTPORT"]}]
YAML
    start_bg prometheus 60 prometheus --config.file="$E2E_TMP/prom.yml" \
        --storage.tsdb.path="$E2E_TMP/tsdb" --web.listen-address="127.0.0.1:$pport"
    PROM_PID=$BG_PID
    want=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print([s for s in d["stats"] if s["name"] == "/delay"][0]["requests"])' "$E2E_TMP/run.json")
    got=""
    for _ in $(seq 1 60); do
        got=$(curl -s --max-time 2 "http://127.0.0.1:$pport/api/v1/query" \
            --data-urlencode 'query=barrage_requests_total{name="/delay"}' |
            /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null)
        [ -n "$got" ] && break
        sleep 0.5
    done
    stop_pid "$PROM_PID"
    check "Prometheus scraped barrage_requests_total{name=/delay} = $want (got '$got')" test "$got" = "$want"
else
    echo "skip - prometheus not installed: /metrics not checked by promtool nor scraped"
fi

# POST /swarm: bad forms are refused with a reason and queue nothing; a good one is queued.
post() { # post FORM [CURL ARGS...]: prints the HTTP status, the body goes to post.json
    curl -s --max-time 5 -o "$E2E_TMP/post.json" -w '%{http_code}' -d "$1" "${@:2}" "$U/swarm"
}
for bad in "user_count=-1&spawn_rate=2" "user_count=10&spawn_rate=abc" \
    "user_count=10&spawn_rate=2&run_time=x"; do
    code=$(post "$bad")
    check "POST /swarm '$bad' is refused with 400 (got $code)" test "$code" = 400
    check "...with success false and a reason" grep -q '"success": false, "message": "[a-z_]* must' "$E2E_TMP/post.json"
done
code=$(post "user_count=10&spawn_rate=2&host=http%3A%2F%2F127.0.0.1%3A9&run_time=1m&user_classes=U")
check "a good POST /swarm answers 200 (got $code)" test "$code" = 200
check "...with Locust's answer" grep -q '"success": true, "message": "Swarming started", "host": "http://127.0.0.1:9", "run_time": 60}' "$E2E_TMP/post.json"
code=$(post "user_count=3&spawn_rate=1" -H "Host: evil.example:${HOSTPORT##*:}")
check "a foreign Host is refused with 403 (got $code)" test "$code" = 403
code=$(post "user_count=4&spawn_rate=1" -H "Origin: http://evil.example")
check "a foreign Origin is refused with 403 (got $code)" test "$code" = 403
check "...with a JSON error" grep -q '"success": false' "$E2E_TMP/post.json"
code=$(post "user_count=5&spawn_rate=1" -H "Host: localhost:${HOSTPORT##*:}" -H "Origin: http://localhost:${HOSTPORT##*:}")
check "Host and Origin localhost:PORT are accepted (got $code)" test "$code" = 200
check "...and the answer names the run's host when the form has none" grep -q "\"host\": \"$TARGET_URL\"" "$E2E_TMP/post.json"
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -H "Sec-Fetch-Site: cross-site" "$U/stop")
check "a cross-site GET /stop (an <img> on another page) is refused with 403 (got $code)" test "$code" = 403
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$U/stop")
check "GET /stop answers 200 (got $code)" test "$code" = 200
sleep 0.3
stop_pid "$FIX_PID"
check "the fixture took exactly the good commands, in order" diff <(tail -n +2 "$E2E_TMP/fix.out") - <<OUT
swarm users=10 spawn_rate=2 host=http://127.0.0.1:9 run_time_ms=60000
swarm users=5 spawn_rate=1 host=- run_time_ms=0
stop
OUT

# Auth and binds beyond loopback.
timeout 10 "$BUILD/tests/web_fixture" "$E2E_TMP/run.json" --addr 0.0.0.0:0 >"$E2E_TMP/open.out" 2>"$E2E_TMP/open.err"
rc=$?
check "a non-loopback bind without auth is refused (exit $rc)" test "$rc" -ne 0
check "...saying why" grep -q "beyond loopback" "$E2E_TMP/open.err"
start_fixture auth --auth "ann:s3cret"
U=${FIX_URL%/}
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$U/stats/requests")
check "with --auth, no credentials get 401 (got $code)" test "$code" = 401
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -u ann:wrong "$U/stats/requests")
check "...wrong ones 401 (got $code)" test "$code" = 401
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -u ann:s3cret "$U/stats/requests")
check "...right ones 200 (got $code)" test "$code" = 200
stop_pid "$FIX_PID"
e2e_finish
