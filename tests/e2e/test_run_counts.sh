#!/usr/bin/env bash
# test_run_counts: `barrage run` with 2 real workers and 20 users for 3 s against the
# demo target; the per-name counts in the summary equal the target's own served counts.
. "$(dirname "$0")/lib.sh"

start_target
cat >"$E2E_TMP/counts.yaml" <<YAML
name: counts
host: http://127.0.0.1:1
load: {users: 20, spawn_rate: 20, duration: 3s}
users:
  - name: Reader
    weight: 3
    think: between 10ms 50ms
    tasks:
      - {weight: 4, get: /}
      - {weight: 2, get: "/json?bytes=300", name: /json}
      - {weight: 1, get: "/delay?ms=30", name: /delay}
  - name: Failing
    weight: 1
    think: constant 20ms
    tasks:
      - {get: /status/503, name: /broken}
YAML

out="$E2E_TMP/run.out"
timeout 60 "$BUILD/barrage" run "$E2E_TMP/counts.yaml" --workers 2 -u 20 -t 3s \
    -H "$TARGET_URL" -q >"$out" 2>"$E2E_TMP/run.err"
rc=$?
check "barrage run exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/run.err"

summary_counts "$out" >"$E2E_TMP/rows"
check "summary has 4 request rows" test "$(wc -l <"$E2E_TMP/rows")" -eq 4
while read -r method name reqs fails; do
    path=$name
    case $name in /json) path=/json ;; /delay) path=/delay ;; /broken) path=/status/503 ;; esac
    served=$(target_count "$method $path")
    check "$method $name: barrage counted $reqs, target served $served" test "$reqs" -eq "$served"
    check "$method $name: at least 10 requests" test "$reqs" -ge 10
    if [ "$name" = /broken ]; then
        check "$name: every request failed ($fails of $reqs)" test "$fails" -eq "$reqs"
    else
        check "$name: no failures ($fails)" test "$fails" -eq 0
    fi
done <"$E2E_TMP/rows"

total=$(target_total)
check "Aggregated $(aggregated_count "$out") equals target total $total" \
    test "$(aggregated_count "$out")" -eq "$total"
check "failure reason HTTP 503 in the error report" grep -q "GET /broken: HTTP 503" "$out"
# Server-Timing from the target: /delay?ms=30 spends ~30 ms in the app, per the server.
app_p50=$(awk '/^Server-side metrics/ {on = 1} on && $2 == "/delay" && $3 == "app" {print $6}' "$out")
check "Server-Timing app p50 for /delay is about 30 ms (${app_p50:-none})" \
    awk -v v="${app_p50:-0}" 'BEGIN {exit !(v >= 29 && v <= 45)}'
queries=$(awk '/^Server-side metrics/ {on = 1} on && $2 == "/json" && $3 == "queries" {print $6}' "$out")
check "X-Query-Count for /json recorded (${queries:-none})" test "${queries:-0}" = "1.0"
check "both workers finished" test "$(grep -c ' finished$' "$out")" -eq 2
e2e_finish
