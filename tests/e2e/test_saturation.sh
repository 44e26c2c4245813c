#!/usr/bin/env bash
# test_saturation: worker health. A worker that gets the CPU only 30 ms in every 430 ms
# (the test stops and continues it, SIGSTOP/SIGCONT, as a starved process would be
# held off its core) is reported saturated: the master's warning, the JSON result's
# saturation episode and the worker's health (CPU, memory, connections, loop lag) in
# the JSON and the summary's workers table. A light run raises no alarm.
# (A busy loop on the worker's core was used before: the scheduler's wake-up credit let
# the worker run again within about 12 ms, so its loop lag hovered at the 10 ms
# threshold and the test failed now and then.)
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
"$BUILD/barrage-worker" --master "$endpoint" --id busy --log-level warn \
    2>"$E2E_TMP/worker.err" &
WORKER_PID=$!
E2E_PIDS+=("$WORKER_PID")
# Held off the CPU 400 ms of every 430-440 ms, bounded (50 cycles, 22 s). A heartbeat sent
# when the worker is let go is due again 1 s later, 120-200 ms into a later cycle: while
# it is stopped, so every heartbeat reports a late timer. (A cycle near 1/3 s would let
# each heartbeat fall due just as the worker runs again.) It is left running at the end.
(for _ in $(seq 1 50); do
    kill -0 "$MASTER_PID" 2>/dev/null || break
    kill -STOP "$WORKER_PID" 2>/dev/null || break
    sleep 0.4
    kill -CONT "$WORKER_PID" 2>/dev/null || break
    sleep 0.03
done
kill -CONT "$WORKER_PID" 2>/dev/null) &
STARVE_PID=$!
E2E_PIDS+=("$STARVE_PID")
timeout 40 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
wait "$STARVE_PID"
kill -CONT "$WORKER_PID" 2>/dev/null
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
