#!/usr/bin/env bash
# test_master_workers: `barrage master` and two separately started `barrage-worker`
# daemons over the real protocol. Counts match the target; the workers outlive the
# run (daemons) and stop firing once it is over.
. "$(dirname "$0")/lib.sh"

start_target
cat >"$E2E_TMP/m.yaml" <<YAML
host: $TARGET_URL
load: {users: 10, spawn_rate: 10, duration: 2s}
users:
  - name: U
    think: constant 10ms
    tasks:
      - {get: /, name: home}
      - {post: /echo, json: {a: 1}, name: echo}
YAML

start_master master "$E2E_TMP/m.yaml" --bind tcp://127.0.0.1:0 --expect-workers 2 \
    --wait-workers 20s

for i in 1 2; do
    "$BUILD/barrage-worker" --master "$endpoint" --id "w$i" --log-level warn \
        2>"$E2E_TMP/worker$i.err" &
    E2E_PIDS+=("$!")
    eval "W${i}_PID=$!"
done

timeout 30 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
check "master exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/master.err"

summary_counts "$E2E_TMP/master.out" >"$E2E_TMP/rows"
home=$(awk '$2 == "home" {print $3}' "$E2E_TMP/rows")
echo_n=$(awk '$2 == "echo" {print $3}' "$E2E_TMP/rows")
check "GET home counted ${home:-none} = served $(target_count 'GET /')" \
    test "${home:-0}" -eq "$(target_count 'GET /')" -a "${home:-0}" -gt 0
check "POST echo counted ${echo_n:-none} = served $(target_count 'POST /echo')" \
    test "${echo_n:-0}" -eq "$(target_count 'POST /echo')" -a "${echo_n:-0}" -gt 0
check "the summary lists both workers" grep -qE '^  w1 .* finished' "$E2E_TMP/master.out"
check "...as finished" grep -qE '^  w2 .* finished' "$E2E_TMP/master.out"

# Daemons: still alive after the run, and no longer firing.
sleep 1
check "worker 1 still running after the run" kill -0 "$W1_PID"
check "worker 2 still running after the run" kill -0 "$W2_PID"
before=$(target_total)
sleep 1.5
check "no traffic after the run ($before then $(target_total))" test "$(target_total)" -eq "$before"
e2e_finish
