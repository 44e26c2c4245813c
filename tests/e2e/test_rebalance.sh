#!/usr/bin/env bash
# test_rebalance: workers joining and dying mid-run, on loopback. Two workers start a
# run of 8 users (two classes); a third joins mid-run and gets its share (the others
# retire users for it); then one is killed with -9 and the survivors take its users.
# The report names the lost worker and when, the survivors hold every user, and the
# counts are at most one report interval below what the target served.
# Then the open model: two workers share 200 iterations/s, one is killed, and the
# survivor takes the whole rate (the target's own count over 2 s after the loss).
# Last, a worker stopped with SIGTERM mid-run (its final report comes before the
# run's end): the other one takes its users.
. "$(dirname "$0")/lib.sh"

start_target
cat >"$E2E_TMP/r.yaml" <<YAML
host: $TARGET_URL
load: {users: 8, spawn_rate: 40, duration: 8s}
users:
  - name: Reader
    weight: 3
    think: constant 20ms
    tasks:
      - {get: /, name: home}
  - name: Writer
    weight: 1
    think: constant 20ms
    tasks:
      - {post: /echo, json: {a: 1}, name: echo}
YAML

start_master master "$E2E_TMP/r.yaml" --bind tcp://127.0.0.1:0 --expect-workers 2 \
    --wait-workers 20s --json "$E2E_TMP/r.json" --csv "$E2E_TMP/r"

worker() {
    "$BUILD/barrage-worker" --master "$endpoint" --id "$1" 2>"$E2E_TMP/$1.err" &
    E2E_PIDS+=("$!")
    PID=$!
}
worker w1
W1=$PID
worker w2
W2=$PID
for _ in $(seq 1 100); do [ "$(target_total)" -gt 0 ] && break; sleep 0.1; done
sleep 1
worker w3
W3=$PID
for _ in $(seq 1 40); do grep -q 'rebalanced' "$E2E_TMP/w1.err" && break; sleep 0.1; done
check "w3, joining mid-run, gets a RUN with its share" grep -qE 'run [0-9]+: [1-9][0-9]* users' "$E2E_TMP/w3.err"
check "w1 gives users up for it" grep -qE 'rebalanced: now 3 users \(from 4\)' "$E2E_TMP/w1.err"
sleep 1
kill -9 "$W2"
wait "$W2" 2>/dev/null
killed_ms=$(date +%s%3N)

timeout 40 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
check "master exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/master.err"

# json_worker ID KEY: a field of a worker's line in the JSON result.
json_worker() {
    grep -E "\"id\": \"$1\"" "$E2E_TMP/r.json" | grep -oE "\"$2\": (\"[^\"]*\"|[0-9]+)" |
        sed 's/^[^:]*: //; s/"//g'
}
lost_at=$(json_worker w2 lost_at_ms)
check "the JSON names w2 as lost ($(json_worker w2 state))" test "$(json_worker w2 state)" = lost
check "...and when ($(json_worker w2 lost_at), $((${lost_at:-0} - killed_ms)) ms after the kill)" \
    test "${lost_at:-0}" -ge "$killed_ms" -a "${lost_at:-0}" -le $((killed_ms + 6000))
u1=$(json_worker w1 users) u3=$(json_worker w3 users)
check "the survivors hold all 8 users, level (w1 $u1, w3 $u3)" \
    test "$((${u1:-0} + ${u3:-0}))" -eq 8 -a "${u1:-0}" -eq 4 -a "${u3:-0}" -eq 4
check "w1 and w3 finished" \
    test "$(json_worker w1 state)$(json_worker w3 state)" = finishedfinished
check "w1 takes on w2's users" grep -qE 'rebalanced: now 4 users' "$E2E_TMP/w1.err"
check "the master logs the loss" grep -q 'worker w2 .* lost: silent' "$E2E_TMP/master.err"
check "the text report lists w2 as lost, and when" grep -qE '^  w2 .* lost at [0-9.]+ s into the run$' "$E2E_TMP/master.out"

counted=$(awk -F, '$2 == "Aggregated" {print $3}' "$E2E_TMP/r_stats.csv")
total=$(target_total)
rps=$(awk -F, '$2 == "Aggregated" {printf "%d", $10 + 0.999}' "$E2E_TMP/r_stats.csv")
check "counted $counted <= served $total" test "${counted:-0}" -le "${total:-0}" -a "${counted:-0}" -gt 0
check "missing $((total - counted)) <= one report interval's worth ($rps)" \
    test $((total - counted)) -le "${rps:-0}"

# --- the open model: the lost worker's share of the arrival rate moves too ---
curl -s -X POST "$TARGET_URL/__reset" >/dev/null
cat >"$E2E_TMP/o.yaml" <<YAML
host: $TARGET_URL
load: {rate: 200, max_users: 100, duration: 9s}
users:
  - name: Api
    tasks:
      - {get: /, name: home}
YAML
start_master omaster "$E2E_TMP/o.yaml" --bind tcp://127.0.0.1:0 --expect-workers 2 \
    --wait-workers 20s
worker o1
worker o2
O2=$PID
for _ in $(seq 1 100); do [ "$(target_total)" -gt 0 ] && break; sleep 0.1; done
sleep 1
kill -9 "$O2"
wait "$O2" 2>/dev/null
for _ in $(seq 1 60); do grep -q 'rebalanced' "$E2E_TMP/o1.err" && break; sleep 0.1; done
check "the master gives o1 a new share after o2's loss" grep -q 'rebalanced' "$E2E_TMP/o1.err"
sleep 0.5
t1=$(target_total)
sleep 2
t2=$(target_total)
rate=$(((t2 - t1) / 2))
echo "     after the loss the target served $rate/s (asked: 200/s; o1's own share was 100/s)"
check "the survivor carries the whole rate ($rate/s >= 170/s)" test "$rate" -ge 170
timeout 40 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
check "open-model master exits 0 (got $rc)" test "$rc" -eq 0

# --- a worker stopped with SIGTERM mid-run hands its users on ---
cat >"$E2E_TMP/t.yaml" <<YAML
host: $TARGET_URL
load: {users: 4, spawn_rate: 40, duration: 6s}
users:
  - name: Api
    think: constant 20ms
    tasks:
      - {get: /, name: home}
YAML
start_master tmaster "$E2E_TMP/t.yaml" --bind tcp://127.0.0.1:0 --expect-workers 2 \
    --wait-workers 20s --json "$E2E_TMP/t.json"
worker t1
worker t2
T2=$PID
for _ in $(seq 1 100); do grep -q 'users at' "$E2E_TMP/t2.err" && break; sleep 0.1; done
sleep 1
kill -TERM "$T2"
wait "$T2" 2>/dev/null
for _ in $(seq 1 40); do grep -q 'rebalanced' "$E2E_TMP/t1.err" && break; sleep 0.1; done
check "t1 takes on the users of t2, stopped with SIGTERM" \
    grep -qE 'rebalanced: now 4 users \(from 2\)' "$E2E_TMP/t1.err"
check "the master says t2 left and its users go on" \
    grep -q 'worker t2 on .* stopped its part of run .*its users go to the other workers' \
    "$E2E_TMP/tmaster.err"
timeout 40 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
check "that master exits 0 (got $rc)" test "$rc" -eq 0
json_file() { grep -E "\"id\": \"$1\"" "$E2E_TMP/t.json" | grep -oE "\"$2\": (\"[^\"]*\"|[0-9]+)" |
    sed 's/^[^:]*: //; s/"//g'; }
check "t2 finished, t1 holds all 4 users ($(json_file t2 state), $(json_file t1 users))" \
    test "$(json_file t2 state)$(json_file t1 users)" = finished4
e2e_finish
