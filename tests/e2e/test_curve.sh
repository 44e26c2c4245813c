#!/usr/bin/env bash
# test_curve: CURVE-authenticated master/worker links on loopback. A keyed master runs
# with an allowed keyed worker (counts equal the target's); a worker whose key is not
# allowed is refused and logged; a worker with the wrong --master-key never joins and
# says so; binding beyond loopback needs keys or --insecure; `barrage run` with keys.
. "$(dirname "$0")/lib.sh"

K=$E2E_TMP/keys
mkdir -p "$K/workers"
"$BUILD/barrage" keygen "$K/master.key" -q >"$E2E_TMP/master.pubkey"
"$BUILD/barrage" keygen "$K/workers/w1.key" -q >/dev/null
"$BUILD/barrage" keygen "$K/stranger.key" -q >/dev/null
"$BUILD/barrage" keygen "$K/other-master.key" -q >/dev/null
check "keygen printed the master's public key" \
    test "$(cat "$E2E_TMP/master.pubkey")" = "$(sed -n 's/^public-key = //p' "$K/master.key.pub")"
stranger_key=$(sed -n 's/^public-key = //p' "$K/stranger.key.pub")

start_target
cat >"$E2E_TMP/m.yaml" <<YAML
host: $TARGET_URL
load: {users: 4, spawn_rate: 4, duration: 2s}
users:
  - name: U
    think: constant 10ms
    tasks:
      - {get: /, name: home}
YAML

# wait_master SECONDS: waits, bounded, for MASTER_PID; sets rc to its exit code.
wait_master() {
    timeout "$1" tail --pid="$MASTER_PID" -f /dev/null
    wait "$MASTER_PID"
    rc=$?
}

# (1) keyed master, keyed allowed worker (--allow on a directory of .pub files).
start_master m1 "$E2E_TMP/m.yaml" --bind tcp://127.0.0.1:0 --expect-workers 1 --wait-workers 15s \
    --key "$K/master.key" --allow "$K/workers"
check "keyed master announced its endpoint ($endpoint)" test -n "$endpoint"
check "...and its public key" grep -qF "master public key $(cat "$E2E_TMP/master.pubkey")" \
    "$E2E_TMP/m1.err"
"$BUILD/barrage-worker" --master "$endpoint" --id w1 --log-level warn \
    --master-key "$K/master.key.pub" --key "$K/workers/w1.key" 2>"$E2E_TMP/w1.err" &
W1_PID=$!
E2E_PIDS+=("$W1_PID")
wait_master 30
check "keyed run exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/m1.err" "$E2E_TMP/w1.err"
home=$(summary_counts "$E2E_TMP/m1.out" | awk '$2 == "home" {print $3}')
served=$(target_count 'GET /')
check "GET home counted ${home:-none} = served $served" test "${home:-0}" -eq "$served" -a "$served" -gt 0
check "the allowed worker finished the run" grep -qE '^  w1 .* finished' "$E2E_TMP/m1.out"
check "the master refused nobody" test "$(grep -c 'refused' "$E2E_TMP/m1.err")" -eq 0
kill "$W1_PID" 2>/dev/null
wait "$W1_PID" 2>/dev/null

# (2) a key pair not in --allow is refused, (3) a wrong --master-key never joins:
# the run does not start with either of them.
before=$(target_total)
start_master m2 "$E2E_TMP/m.yaml" --bind tcp://127.0.0.1:0 --expect-workers 1 --wait-workers 7s \
    --key "$K/master.key" --allow "$K/workers/w1.key.pub"
check "second keyed master listening ($endpoint)" test -n "$endpoint"
"$BUILD/barrage-worker" --master "$endpoint" --id stranger --log-level warn \
    --master-key "$K/master.key.pub" --key "$K/stranger.key" 2>"$E2E_TMP/stranger.err" &
STRANGER_PID=$!
E2E_PIDS+=("$STRANGER_PID")
"$BUILD/barrage-worker" --master "$endpoint" --id wrongkey --log-level warn \
    --master-key "$K/other-master.key.pub" --key "$K/workers/w1.key" 2>"$E2E_TMP/wrongkey.err" &
WRONG_PID=$!
E2E_PIDS+=("$WRONG_PID")
wait_master 20
check "no run without an accepted worker: master exits 3 (got $rc)" test "$rc" -eq 3
check "...saying no worker joined" grep -q 'only 0 of 1 workers joined' "$E2E_TMP/m2.err"
check "master logs the refused key and address as a warning" \
    grep -qF " warn refused a worker from 127.0.0.1: its public key $stranger_key is not allowed" \
    "$E2E_TMP/m2.err"
[ "$E2E_FAILED" -eq 0 ] || cat "$E2E_TMP/m2.err"
check "no request reached the target ($before then $(target_total))" test "$(target_total)" -eq "$before"
check "the refused worker says the master refused its key" \
    grep -q "refused this worker's key" "$E2E_TMP/stranger.err"
check "the wrong-master-key worker says no master answered" \
    grep -q 'no master answered at .* within [0-9]* s' "$E2E_TMP/wrongkey.err"
check "...and points at --master-key" grep -q 'check that --master-key' "$E2E_TMP/wrongkey.err"
[ "$E2E_FAILED" -eq 0 ] || cat "$E2E_TMP/wrongkey.err" "$E2E_TMP/stranger.err"
check "the wrong-master-key worker keeps trying" kill -0 "$WRONG_PID"
check "the refused worker keeps trying" kill -0 "$STRANGER_PID"
kill "$WRONG_PID" "$STRANGER_PID" 2>/dev/null
wait "$WRONG_PID" "$STRANGER_PID" 2>/dev/null

# (4) beyond loopback: keys or --insecure.
timeout 10 "$BUILD/barrage" master "$E2E_TMP/m.yaml" --bind tcp://0.0.0.0:0 \
    >/dev/null 2>"$E2E_TMP/m3.err"
rc=$?
check "--bind 0.0.0.0 without keys is a usage error (exit $rc)" test "$rc" -eq 2
check "...that says what to do" grep -q -- "--key master.key --allow .*--insecure" "$E2E_TMP/m3.err"
start_master m4 "$E2E_TMP/m.yaml" --bind tcp://0.0.0.0:0 --insecure --expect-workers 1 --wait-workers 1s
check "with --insecure it starts ($endpoint)" test -n "$endpoint"
wait_master 15
check "...warns" grep -q 'warning: --insecure' "$E2E_TMP/m4.err"
check "...and waits for workers as usual (exit 3 without any, got $rc)" test "$rc" -eq 3

# (5) barrage run with keys: local workers use the master's own pair.
before=$(target_count 'GET /')
timeout 30 "$BUILD/barrage" run "$E2E_TMP/m.yaml" --workers 2 -t 1s --key "$K/master.key" \
    --allow "$K/workers" >"$E2E_TMP/run.out" 2>"$E2E_TMP/run.err"
rc=$?
check "keyed barrage run exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/run.err"
home=$(summary_counts "$E2E_TMP/run.out" | awk '$2 == "home" {print $3}')
served=$(($(target_count 'GET /') - before))
check "keyed run: home counted ${home:-none} = served $served" test "${home:-0}" -eq "$served" -a "$served" -gt 0

# Worker usage errors: keys go in pairs; a bad key file is named.
"$BUILD/barrage-worker" --master tcp://127.0.0.1:1 --master-key "$K/master.key.pub" \
    2>"$E2E_TMP/u1.err"
rc=$?
check "--master-key without --key: exit 2 (got $rc)" test "$rc" -eq 2
"$BUILD/barrage-worker" --master tcp://127.0.0.1:1 --master-key "$K/master.key.pub" \
    --key "$K/workers/w1.key.pub" 2>"$E2E_TMP/u2.err"
rc=$?
check "a .pub file as --key: exit 2 (got $rc)" test "$rc" -eq 2
check "...naming the file" grep -qF "$K/workers/w1.key.pub: no secret-key line" "$E2E_TMP/u2.err"
e2e_finish
