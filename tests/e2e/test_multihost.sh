#!/usr/bin/env bash
# test_multihost: barrage across hosts — a target, a master and three workers, each in
# its own network namespace with its own address on a private bridge (10.77.0.0/24,
# the bridge itself in a namespace too, so nothing touches the host's network).
#   1. a normal run: the report's counts equal what the target served;
#   2. kill -9 of a worker mid-run: the run finishes, the report names the lost worker
#      and when, the survivors carry all the users, counts at most one report
#      interval below the target's;
#   3. a worker whose CURVE key the master does not allow is refused; an allowed one
#      runs;
#   4. the master's link cut: the workers stop firing within 5 s of the master's
#      last word.
# Needs root (ip netns); skips with a message otherwise. Namespaces are removed on
# exit, also on failure.
. "$(dirname "$0")/lib.sh"

NAME=$(basename "$0" .sh)
skip() {
    echo "skip - $NAME: $1"
    echo "$NAME: 0 passed, 0 failed, 1 skipped"
    exit 0
}
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces (ip netns); CI runs it as root"
command -v ip >/dev/null 2>&1 || skip "needs iproute2 (ip)"

# Names unique to this run, so concurrent runs never meet.
P="brg$$"
NS_BR="${P}br" NS_T="${P}t" NS_M="${P}m"
NS_W=("${P}w1" "${P}w2" "${P}w3")
ADDR_T=10.77.0.10 ADDR_M=10.77.0.2
ADDR_W=(10.77.0.11 10.77.0.12 10.77.0.13)
MASTER=tcp://$ADDR_M:5557
TARGET=http://$ADDR_T:8080
NAMESPACES=()

# BARRAGE_E2E_KEEP=DIR keeps every log and report there, for a look after a failure.
net_cleanup() {
    rm -f "$E2E_TMP/nap"
    [ -n "${BARRAGE_E2E_KEEP:-}" ] && cp -r "$E2E_TMP/." "$BARRAGE_E2E_KEEP/"
    e2e_cleanup
    local ns
    for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
}
trap net_cleanup EXIT
trap 'exit 143' TERM INT HUP # ...so that a killed test still removes its namespaces

ns_add() {
    ip netns add "$1" || return 1
    NAMESPACES+=("$1")
    ip -n "$1" link set lo up
}

# host NS ADDR: a namespace with eth0 at ADDR, its peer on the bridge.
host_add() {
    local ns=$1 addr=$2 port="v${1#"$P"}"
    ns_add "$ns" &&
        ip -n "$NS_BR" link add "$port" type veth peer name eth0 netns "$ns" &&
        ip -n "$NS_BR" link set "$port" master br0 up &&
        ip -n "$ns" addr add "$addr/24" dev eth0 &&
        ip -n "$ns" link set eth0 up
}

net_setup() {
    ns_add "$NS_BR" || return 1
    ip -n "$NS_BR" link add br0 type bridge && ip -n "$NS_BR" link set br0 up || return 1
    host_add "$NS_T" "$ADDR_T" && host_add "$NS_M" "$ADDR_M" || return 1
    local i
    for i in 0 1 2; do host_add "${NS_W[$i]}" "${ADDR_W[$i]}" || return 1; done
}
net_setup || skip "cannot create network namespaces here (ip netns add failed)"

# in NS NAME CMD...: starts CMD in namespace NS, output in $E2E_TMP/NAME.{out,err}; sets PID.
in_ns() {
    local ns=$1 name=$2
    shift 2
    ip netns exec "$ns" "$@" >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err" &
    PID=$!
    E2E_PIDS+=("$PID")
}

# Starting a process costs tens of ms on a loaded machine: sleep and read the clock
# without one (read -t on a FIFO nobody writes; bash's EPOCHREALTIME).
mkfifo "$E2E_TMP/nap"
exec 9<>"$E2E_TMP/nap"
nap() { read -r -t "$1" -u 9 || true; }
now_ms() { NOW_MS=$((${EPOCHREALTIME/./} / 1000)); }

# wait_line FILE REGEX SECONDS: true once a line of FILE matches.
wait_line() {
    local end=$((SECONDS + $3))
    while [ "$SECONDS" -lt "$end" ]; do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        nap 0.1
    done
    grep -qE "$2" "$1" 2>/dev/null
}

stats() { ip netns exec "$NS_T" curl -s --max-time 3 "$TARGET/__stats"; }
served() {
    local n
    n=$(stats | grep -o "\"$1\": [0-9]*" | grep -o '[0-9]*$')
    echo "${n:-0}"
}
served_total() {
    local n
    n=$(stats | grep -o '"total": [0-9]*' | grep -o '[0-9]*$')
    echo "${n:--1}"
}
# wait_traffic: until the target has served something (at most 10 s).
wait_traffic() {
    local end=$((SECONDS + 10))
    while [ "$(served_total)" -le 0 ] && [ "$SECONDS" -lt "$end" ]; do nap 0.1; done
}
reset_target() { ip netns exec "$NS_T" curl -s --max-time 3 -X POST "$TARGET/__reset" >/dev/null; }

# stop_pids PID...: ends processes of a finished case and waits for them. SIGKILL: a
# worker daemon's clean exit lingers up to 3 s for a master that is gone.
stop_pids() {
    local pid
    for pid in "$@"; do kill -9 "$pid" 2>/dev/null; done
    for pid in "$@"; do wait "$pid" 2>/dev/null; done
}

# start_master NAME ARGS...: the master in its namespace; waits for its listening line.
start_master() {
    local name=$1
    shift
    in_ns "$NS_M" "$name" "$BUILD/barrage" master "$E2E_TMP/s.yaml" --bind "$MASTER" "$@"
    MASTER_PID=$PID
    wait_line "$E2E_TMP/$name.err" 'master listening on' 10 && return 0
    cat "$E2E_TMP/$name.err" >&2
    return 1
}

# start_workers PREFIX ARGS...: w1..w3 in their namespaces; W_PIDS.
start_workers() {
    local prefix=$1 i
    shift
    W_PIDS=()
    for i in 0 1 2; do
        in_ns "${NS_W[$i]}" "$prefix-w$((i + 1))" "$BUILD/barrage-worker" --master "$MASTER" \
            --id "w$((i + 1))" "$@"
        W_PIDS+=("$PID")
    done
}

# wait_master SECONDS: waits for the master (stopped after SECONDS: rc 124); sets MASTER_RC.
wait_master() {
    timeout "$1" tail --pid="$MASTER_PID" -f /dev/null
    if kill -0 "$MASTER_PID" 2>/dev/null; then
        echo "# the master did not end within $1 s: stopping it" >&2
        kill "$MASTER_PID"
        wait "$MASTER_PID" 2>/dev/null
        MASTER_RC=124
        return
    fi
    wait "$MASTER_PID"
    MASTER_RC=$?
}

csv_count() { awk -F, -v n="$2" '$2 == n {print $3}' "$1"; }
# json_worker FILE ID KEY: a field of a worker's line in the JSON result.
json_worker() {
    grep -E "\"id\": \"$2\"" "$1" | grep -oE "\"$3\": (\"[^\"]*\"|[0-9]+)" | sed 's/^[^:]*: //; s/"//g'
}

in_ns "$NS_T" target "$BUILD/barrage-target" --host "$ADDR_T" --port 8080 --allow-remote --quiet
check "the target listens on $TARGET in its own namespace" \
    wait_line "$E2E_TMP/target.out" 'listening on' 10

# Two classes, so the rebalance has a mix to keep.
scenario() {
    cat >"$E2E_TMP/s.yaml" <<YAML
host: $TARGET
load: {users: 9, spawn_rate: 30, duration: $1}
users:
  - name: Reader
    weight: 2
    think: constant 20ms
    tasks:
      - {get: /, name: home}
  - name: Writer
    weight: 1
    think: constant 20ms
    tasks:
      - {post: /echo, json: {a: 1}, name: echo}
YAML
}

# ---- 1. normal run ----------------------------------------------------------
echo "# 1. normal run: master, three workers and the target on four hosts (at ${SECONDS}s)"
scenario 2s
check "master 1 listens on $MASTER" start_master m1 --insecure --expect-workers 3 \
    --wait-workers 15s --csv "$E2E_TMP/r1"
start_workers c1 --log-level warn
wait_master 30
check "run 1: master exits 0 (got $MASTER_RC)" test "$MASTER_RC" -eq 0
[ "$MASTER_RC" -eq 0 ] || cat "$E2E_TMP/m1.err"
home=$(csv_count "$E2E_TMP/r1_stats.csv" home)
echo_n=$(csv_count "$E2E_TMP/r1_stats.csv" echo)
check "run 1: GET home counted ${home:-none} = served $(served 'GET /')" \
    test "${home:-0}" -gt 0 -a "${home:-0}" -eq "$(served 'GET /')"
check "run 1: POST echo counted ${echo_n:-none} = served $(served 'POST /echo')" \
    test "${echo_n:-0}" -gt 0 -a "${echo_n:-0}" -eq "$(served 'POST /echo')"
for w in w1 w2 w3; do
    check "run 1: $w took part from its own host" grep -qE "^  $w .* finished" "$E2E_TMP/m1.out"
done
stop_pids "${W_PIDS[@]}"
reset_target

# ---- 2. kill -9 of a worker mid-run -------------------------------------------
echo "# 2. kill -9 of worker w2 mid-run (at ${SECONDS}s)"
scenario 7s
check "master 2 listens" start_master m2 --insecure --expect-workers 3 --wait-workers 15s \
    --csv "$E2E_TMP/r2" --json "$E2E_TMP/r2.json"
start_workers c2 --log-level warn
wait_traffic
nap 1
kill -9 "${W_PIDS[1]}"
now_ms
killed_ms=$NOW_MS
wait "${W_PIDS[1]}" 2>/dev/null
wait_master 40
check "run 2: the run finishes, master exits 0 (got $MASTER_RC)" test "$MASTER_RC" -eq 0
[ "$MASTER_RC" -eq 0 ] || cat "$E2E_TMP/m2.err"
r2=$E2E_TMP/r2.json
lost_state=$(json_worker "$r2" w2 state)
lost_at=$(json_worker "$r2" w2 lost_at_ms)
check "run 2: the JSON names w2 as lost (state ${lost_state:-none})" test "$lost_state" = lost
check "run 2: ...and when: $(json_worker "$r2" w2 lost_at), $((${lost_at:-0} - killed_ms)) ms after the kill" \
    test "${lost_at:-0}" -ge "$killed_ms" -a "${lost_at:-0}" -le $((killed_ms + 6000))
check "run 2: the text report says w2 was lost, and when" grep -qE '^  w2 .* lost at [0-9.]+ s into the run$' "$E2E_TMP/m2.out"
u1=$(json_worker "$r2" w1 users) u3=$(json_worker "$r2" w3 users)
check "run 2: the survivors carry all 9 users (w1 $u1 + w3 $u3)" \
    test $((${u1:-0} + ${u3:-0})) -eq 9
check "run 2: w1 and w3 finished" test "$(json_worker "$r2" w1 state)$(json_worker "$r2" w3 state)" = finishedfinished
# The timeline: after the loss (and the ramp), a second with all 9 users on the survivors.
after=$(awk -F, -v t=$((${lost_at:-0} / 1000 + 1)) 'NR > 1 && $1 >= t {print $2}' \
    "$E2E_TMP/r2_stats_history.csv" | tr '\n' ' ')
check "run 2: the timeline shows 9 users again after the loss (users per second: $after)" \
    grep -qw 9 <<<"$after"
counted=$(awk -F, '$2 == "Aggregated" {print $3}' "$E2E_TMP/r2_stats.csv")
total=$(served_total)
rps=$(awk -F, '$2 == "Aggregated" {printf "%d", $10 + 0.999}' "$E2E_TMP/r2_stats.csv")
check "run 2: counted $counted <= served $total" test "${counted:-0}" -le "${total:-0}"
check "run 2: missing $((total - counted)) <= one report interval's worth ($rps, 1 s at the run's rate)" \
    test $((total - counted)) -le "${rps:-0}"
echo "# run 2: served $total, counted $counted, lost w2 $((${lost_at:-0} - killed_ms)) ms after kill -9"
stop_pids "${W_PIDS[0]}" "${W_PIDS[2]}"
reset_target

# ---- 3. CURVE: a worker with a key the master does not allow ---------------------
echo "# 3. CURVE keys: a worker with a key the master does not allow is refused (at ${SECONDS}s)"
if "$BUILD/barrage" --help 2>&1 | grep -q -- '--allow' && "$BUILD/barrage" keygen "$E2E_TMP/m.key" >/dev/null 2>&1; then
    "$BUILD/barrage" keygen "$E2E_TMP/good.key" >/dev/null 2>&1
    "$BUILD/barrage" keygen "$E2E_TMP/bad.key" >/dev/null 2>&1
    scenario 2s
    check "master 3 listens with keys" start_master m3 --key "$E2E_TMP/m.key" \
        --allow "$E2E_TMP/good.key.pub" --expect-workers 1 --wait-workers 15s \
        --csv "$E2E_TMP/r3"
    in_ns "${NS_W[0]}" c3-bad "$BUILD/barrage-worker" --master "$MASTER" --id bad \
        --master-key "$E2E_TMP/m.key.pub" --key "$E2E_TMP/bad.key"
    BAD_PID=$PID
    check "run 3: the master refuses the worker with the wrong key, naming its host" \
        wait_line "$E2E_TMP/m3.err" "refused a worker from ${ADDR_W[0]}" 10
    check "run 3: the refused worker is told so" \
        wait_line "$E2E_TMP/c3-bad.err" "refused this worker's key" 5
    check "run 3: ...and no run starts for it (served $(served_total))" test "$(served_total)" -eq 0
    in_ns "${NS_W[1]}" c3-good "$BUILD/barrage-worker" --master "$MASTER" --id good \
        --master-key "$E2E_TMP/m.key.pub" --key "$E2E_TMP/good.key"
    GOOD_PID=$PID
    wait_master 30
    check "run 3: the allowed worker runs it, master exits 0 (got $MASTER_RC)" test "$MASTER_RC" -eq 0
    check "run 3: only the allowed worker is in the report" \
        test "$(grep -cE '^  (good|bad) ' "$E2E_TMP/m3.out")" -eq 1 -a \
        "$(grep -cE '^  good .* finished' "$E2E_TMP/m3.out")" -eq 1
    home=$(csv_count "$E2E_TMP/r3_stats.csv" home)
    check "run 3: counted ${home:-none} = served $(served 'GET /') over CURVE" \
        test "${home:-0}" -gt 0 -a "${home:-0}" -eq "$(served 'GET /')"
    stop_pids "$BAD_PID" "$GOOD_PID"
    reset_target
else
    echo "skip - run 3: this build has no CURVE flags (barrage master --key/--allow, keygen)"
fi

# ---- 4. the master's link cut -------------------------------------------------
echo "# 4. the master's link is cut mid-run: the workers stop on their own (at ${SECONDS}s)"
scenario 60s
check "master 4 listens" start_master m4 --insecure --expect-workers 3 --wait-workers 15s
start_workers c4
wait_traffic
nap 1
ip -n "$NS_M" link set eth0 down
now_ms
cut_ms=$NOW_MS
# Poll the target until its counter has not moved for 1.2 s (at most 12 s).
last=$(served_total) last_change_ms=$cut_ms
while :; do
    nap 0.1
    cur=$(served_total)
    now_ms
    if [ "$cur" != "$last" ]; then
        last=$cur last_change_ms=$NOW_MS
    elif [ $((NOW_MS - last_change_ms)) -ge 1200 ] || [ $((NOW_MS - cut_ms)) -ge 12000 ]; then
        break
    fi
done
stopped_ms=$((last_change_ms - cut_ms))
echo "# run 4: the target's counter stopped growing $stopped_ms ms after the cut (served $last)"
# The master's last heartbeat came at most 1 s before the cut, so the workers stop
# 4-5 s after it; 6 s leaves room for the 100 ms polling and a slow (ASan) build.
check "run 4: the workers stopped firing ${stopped_ms} ms after the cut (<= 6000)" \
    test "$stopped_ms" -le 6000
nap 0.5
check "run 4: ...for good (served $last, then $(served_total))" test "$(served_total)" -eq "$last"
for i in 1 2 3; do
    check "run 4: w$i says its master went silent" \
        grep -q 'master silent for 5000 ms' "$E2E_TMP/c4-w$i.err"
    check "run 4: w$i is still alive, waiting for a master" kill -0 "${W_PIDS[$((i - 1))]}"
done
wait_master 15
check "run 4: the master, having lost every worker, ends (exit $MASTER_RC)" test "$MASTER_RC" -ne 124
stop_pids "${W_PIDS[@]}"
echo "# done (at ${SECONDS}s)"
e2e_finish
