#!/usr/bin/env bash
# test_open_stall: coordinated omission. The demo target stalls every response for
# 1 s (POST /__stall) in the middle of a 10 s run of 10 ms requests:
#  - the open model at 200/s keeps scheduling arrivals and measures each from its
#    intended start, so the ~200 iterations caught in the stall show in p99 (>= 500 ms);
#  - the closed model (2 users, also ~200/s) only waits once per user, so its p99 stays
#    small: the figure it reports is printed, and must be below the open model's.
# Then a cap too small for the rate drops (and counts) arrivals, open-model stages
# start the arrivals their area says, and closed-model stages run
# (docs/open-model.md explains the numbers).
. "$(dirname "$0")/lib.sh"

# pct JSON P: the first stats row's percentile P in ms from a --json result.
pct() {
    grep -m1 '"percentiles_ms"' "$1" | grep -o "\"$2\": [0-9.]*" | awk '{print $2}'
}

start_target
# The latency-shape endpoints answer and check their parameters.
check "/dist answers" test "$(curl -s -o /dev/null -w '%{http_code}' \
    "$TARGET_URL/dist?p50=1ms&p99=3ms")" = 200
check "/dist refuses p99 < p50" test "$(curl -s -o /dev/null -w '%{http_code}' \
    "$TARGET_URL/dist?p50=5&p99=3")" = 400
check "/mix refuses a bad share" test "$(curl -s -o /dev/null -w '%{http_code}' \
    "$TARGET_URL/mix?slow_pct=101")" = 400
check "/__stall answers at once" grep -q '"stall_ms": 0' \
    <(curl -s --max-time 2 -X POST "$TARGET_URL/__stall?ms=0")
cat >"$E2E_TMP/stall.yaml" <<'EOF'
name: stall
load: {duration: 10s}
users:
  - name: Api
    tasks:
      - get: /delay?ms=10
        name: /delay
EOF

# stalled_run NAME ARGS...: a 10 s run with a 1 s stall about 4 s in.
stalled_run() {
    local name=$1
    shift
    timeout 60 "$BUILD/barrage" run "$E2E_TMP/stall.yaml" -H "$TARGET_URL" --workers 2 -q \
        --json "$E2E_TMP/$name.json" "$@" >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err" &
    local pid=$!
    E2E_PIDS+=("$pid")
    sleep 4
    curl -s -X POST "$TARGET_URL/__stall?ms=1000" >/dev/null
    wait "$pid"
    local rc=$?
    check "$name run exits 0 (got $rc)" test "$rc" -eq 0
    [ "$rc" -eq 0 ] || cat "$E2E_TMP/$name.err"
}

stalled_run open --rate 200 --max-users 1000
open_p99=$(pct "$E2E_TMP/open.json" 99)
echo "     open model, 200/s: p50 $(pct "$E2E_TMP/open.json" 50) ms, p99 $open_p99 ms," \
    "max $(pct "$E2E_TMP/open.json" 100) ms"
check "open model p99 ${open_p99:-?} ms shows the stall (>= 500 ms)" \
    awk -v v="${open_p99:-0}" 'BEGIN { exit !(v >= 500) }'
check "open model dropped nothing" grep -q '"dropped": 0' "$E2E_TMP/open.json"

stalled_run closed -u 2
closed_p99=$(pct "$E2E_TMP/closed.json" 99)
echo "     closed model, 2 users: p50 $(pct "$E2E_TMP/closed.json" 50) ms, p99 $closed_p99 ms," \
    "max $(pct "$E2E_TMP/closed.json" 100) ms"
check "closed model p99 ${closed_p99:-?} ms is below the open model's" \
    awk -v c="${closed_p99:-1e9}" -v o="${open_p99:-0}" 'BEGIN { exit !(c < o) }'
check "closed model saw the stall once per user (max >= 500 ms)" \
    awk -v v="$(pct "$E2E_TMP/closed.json" 100)" 'BEGIN { exit !(v >= 500) }'

# A cap too small for the rate: arrivals are dropped and counted, not queued.
cat >"$E2E_TMP/cap.yaml" <<'EOF'
name: cap
load: {rate: 100, max_users: 2, duration: 2s}
users:
  - name: Api
    tasks:
      - get: /delay?ms=100
EOF
timeout 60 "$BUILD/barrage" run "$E2E_TMP/cap.yaml" -H "$TARGET_URL" --workers 1 \
    --json "$E2E_TMP/cap.json" >"$E2E_TMP/cap.out" 2>"$E2E_TMP/cap.err"
rc=$?
dropped=$(grep -o '"dropped": [0-9]*' "$E2E_TMP/cap.json" | grep -o '[0-9]*$')
made=$(aggregated_count "$E2E_TMP/cap.out")
echo "     100/s with max_users 2 against 100 ms responses: $made made, $dropped dropped"
check "capped run exits 0 (got $rc)" test "$rc" -eq 0
check "most arrivals were dropped (${dropped:-?})" test "${dropped:-0}" -ge 100
check "made + dropped = the 200 scheduled ($made + $dropped)" \
    test $((${made:-0} + ${dropped:-0})) -ge 196 -a $((${made:-0} + ${dropped:-0})) -le 200
check "the summary says so" \
    grep -q "^Load: open model .*: $dropped iterations dropped (max_users reached" "$E2E_TMP/cap.out"
check "the live line says so" grep -q "in flight [0-9]*/2  dropped [1-9]" "$E2E_TMP/cap.err"

# Open-model ramp: 0 -> 100/s over 2 s, then back to 0 over 2 s: 200 arrivals.
curl -s -X POST "$TARGET_URL/__reset" >/dev/null
cat >"$E2E_TMP/ramp.yaml" <<'EOF'
name: ramp
load:
  stages:
    - {duration: 2s, rate: 100}
    - {duration: 2s, rate: 0}
users:
  - name: Api
    tasks:
      - get: /
EOF
timeout 60 "$BUILD/barrage" run "$E2E_TMP/ramp.yaml" -H "$TARGET_URL" --workers 2 -q \
    --json "$E2E_TMP/ramp.json" >"$E2E_TMP/ramp.out" 2>"$E2E_TMP/ramp.err"
rc=$?
served=$(target_count "GET /")
check "rate stages run (exit $rc) and start their 200 arrivals ($served)" \
    test "$rc" -eq 0 -a "$served" -ge 196 -a "$served" -le 204
check "rate stages are in the JSON" grep -q '"stages": "2s:100,2s:0"' "$E2E_TMP/ramp.json"

# Closed-model ramp from the command line: up to 4 users and back.
timeout 60 "$BUILD/barrage" run "$E2E_TMP/ramp.yaml" -H "$TARGET_URL" --workers 2 -q \
    --stages 1s:4,1s:0 -u 1 --json "$E2E_TMP/users.json" >"$E2E_TMP/users.out" \
    2>"$E2E_TMP/users.err"
rc=$?
check "users stages run (exit $rc)" test "$rc" -eq 0
check "...as the closed model with that ramp" \
    grep -q "^Load: closed model (virtual users), 4 users, stages 0s:1,1s:4,1s:0" "$E2E_TMP/users.out"
check "...and requests were made" test "$(aggregated_count "$E2E_TMP/users.out")" -gt 0
e2e_finish
