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

# A --processes worker stopped the documented way, SIGTERM to its process group: each child
# gets the signal directly and again forwarded by its parent. One stop: both children drain
# and send their final reports, and every request the target served is counted.
cat >"$E2E_TMP/p.yaml" <<YAML
host: $TARGET_URL
load: {users: 4, spawn_rate: 100, duration: 20s}
users:
  - name: U
    think: none
    tasks:
      - {get: "/delay?ms=400", name: slow}
YAML
start_master pmaster "$E2E_TMP/p.yaml" --bind tcp://127.0.0.1:0 --expect-workers 2 \
    --wait-workers 20s
# setsid: the daemon leads a process group of its own (its pid is the group's id).
setsid "$BUILD/barrage-worker" --master "$endpoint" --id pw --processes 2 --log-level info \
    2>"$E2E_TMP/pworker.err" &
PW_PID=$!
E2E_PIDS+=("$PW_PID")
for _ in $(seq 1 100); do
    [ "$(target_count 'GET /delay')" -ge 4 ] && break
    sleep 0.05
done
sleep 0.5 # requests in flight in both children
pgid=$(ps -o pgid= -p "$PW_PID" | tr -d ' ')
check "the worker daemon leads its process group ($pgid = $PW_PID)" test "$pgid" = "$PW_PID"
kill -TERM -- "-$pgid"
timeout 30 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
check "master exits after the group SIGTERM (got $rc)" test "$rc" -le 1
slow=$(summary_counts "$E2E_TMP/pmaster.out" | awk '$2 == "slow" {print $3}')
check "slow counted ${slow:-none} = served $(target_count 'GET /delay')" \
    test "${slow:-0}" -eq "$(target_count 'GET /delay')" -a "${slow:-0}" -gt 0
check "no worker process was lost" bash -c "! grep -q 'lost' '$E2E_TMP/pmaster.err'"
# (The two signals may also merge into one pending signal: then no echo is said.)
check "both children stopped the run on the signal" \
    test "$(grep -c 'signal 15: stopping the run' "$E2E_TMP/pworker.err")" -eq 2
check "...none exited at once on the echo" bash -c "! grep -q 'signal 15: exiting\$' '$E2E_TMP/pworker.err'"
check "...both finished the run" test "$(grep -c 'finished' "$E2E_TMP/pworker.err")" -eq 2
timeout 10 tail --pid="$PW_PID" -f /dev/null
check "the worker daemon exited" bash -c "! kill -0 $PW_PID 2>/dev/null"
e2e_finish
