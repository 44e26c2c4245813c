#!/usr/bin/env bash
# test_saturation: worker health. A worker pinned with taskset to core 0, where a busy
# loop started by the test also runs (the worker at nice 19, so the loop takes the
# core), is reported saturated: the master's warning, the JSON result's saturation
# episode and the worker's health (CPU, memory, connections, loop lag) in the JSON
# and the summary's workers table. A light unpinned run raises no alarm.
. "$(dirname "$0")/lib.sh"

[ "$(nproc)" -ge 2 ] || { echo "skip - needs 2 cores (a busy core and a free one)"; e2e_finish; }

start_target
cat >"$E2E_TMP/s.yaml" <<YAML
host: $TARGET_URL
load: {users: 20, spawn_rate: 100, duration: 8s}
users:
  - name: U
    tasks: [{get: /, name: home}]
YAML

start_master master "$E2E_TMP/s.yaml" --bind tcp://127.0.0.1:0 --expect-workers 1 \
    --wait-workers 20s --json "$E2E_TMP/s.json"
# The busy loop: on core 0, bounded by the run's length.
taskset -c 0 timeout 25 sh -c 'while :; do :; done' &
BUSY_PID=$!
E2E_PIDS+=("$BUSY_PID")
taskset -c 0 nice -n 19 "$BUILD/barrage-worker" --master "$endpoint" --id busy \
    --log-level warn 2>"$E2E_TMP/worker.err" &
E2E_PIDS+=("$!")
timeout 40 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
kill "$BUSY_PID" 2>/dev/null
check "the run completes, exit 0 (got $rc)" test "$rc" -eq 0
check "the master says the worker is saturated" \
    grep -q "worker busy is saturated: latencies from it include time waiting for CPU; add workers or processes" \
    "$E2E_TMP/master.err"
check "...once per episode" test "$(grep -c 'worker busy is saturated' "$E2E_TMP/master.err")" -ge 1
check "the JSON result records the episode with its time span" python3 -c "
import json, sys
d = json.load(open('$E2E_TMP/s.json'))
s = d['saturation']
sys.exit(0 if s and s[0]['worker'] == 'busy' and 0 <= s[0]['from_s'] < s[0]['to_s'] else 1)"
check "...and the worker's health (memory, connections, loop lag)" python3 -c "
import json, sys
w = json.load(open('$E2E_TMP/s.json'))['workers'][0]
sys.exit(0 if w['rss_max_kib'] > 1000 and w['connections'] >= 1 and w['lag_max_us'] > 10000 else 1)"
check "the summary warns too" grep -q "warning: worker busy was saturated from" "$E2E_TMP/master.out"
check "...and its workers table shows the health" grep -qE "busy .* cpu [0-9]+% \(max [0-9]+%\)  rss [0-9.]+ MiB  conns [0-9]+  lag max [0-9.]+ ms" "$E2E_TMP/master.out"

# A light run, unpinned: no alarm.
cat >"$E2E_TMP/light.yaml" <<YAML
host: $TARGET_URL
load: {users: 2, spawn_rate: 100, duration: 4s}
users:
  - name: U
    think: constant 50ms
    tasks: [{get: /, name: home}]
YAML
timeout 30 "$BUILD/barrage" run "$E2E_TMP/light.yaml" --workers 1 --json "$E2E_TMP/l.json" \
    >"$E2E_TMP/light.out" 2>"$E2E_TMP/light.err"
rc=$?
check "a light run exits 0 (got $rc)" test "$rc" -eq 0
check "...with no saturation warning" test "$(grep -c 'saturated' "$E2E_TMP/light.err" "$E2E_TMP/light.out" | awk -F: '{s += $2} END {print s}')" -eq 0
check "...and none in its result" python3 -c "
import json, sys
d = json.load(open('$E2E_TMP/l.json'))
sys.exit(0 if d['saturation'] == [] and d['workers'][0]['cpu_max_permille'] < 900 else 1)"
e2e_finish
