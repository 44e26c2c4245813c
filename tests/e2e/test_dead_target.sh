#!/usr/bin/env bash
# test_dead_target: a run against a closed port says at once that the target looks
# down (which names, why, which host) instead of silently counting failures; with
# --abort-if-unreachable (or the scenario's abort_if_unreachable: true) it stops,
# exits 3 and still writes its outputs.
. "$(dirname "$0")/lib.sh"

# A port nobody listens on: bind one, then close it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >"$E2E_TMP/dead.yaml" <<YAML
host: http://127.0.0.1:$port
load: {users: 2, spawn_rate: 100, duration: 20s}
users:
  - name: U
    tasks: [{get: /, name: home}]
YAML

# Without the option: the warning within 3 s, the run goes on.
"$BUILD/barrage" run "$E2E_TMP/dead.yaml" --workers 1 -t 4s >"$E2E_TMP/warn.out" 2>"$E2E_TMP/warn.err" &
pid=$!
E2E_PIDS+=("$pid")
said=""
for _ in $(seq 1 30); do
    grep -q "is the target up" "$E2E_TMP/warn.err" && { said=yes; break; }
    sleep 0.1
done
check "the dead-target warning comes within 3 s" test -n "$said"
check "...naming the name, curl's reason and the host" grep -qE \
    "every request of GET home \([0-9]+\) failed to connect \(connect: Couldn.t connect to server\) — is the target up at http://127.0.0.1:$port\?" \
    "$E2E_TMP/warn.err"
wait "$pid"
rc=$?
check "...and without the option the run goes on to its end, exit 0 (got $rc)" test "$rc" -eq 0
check "...said once" test "$(grep -c 'is the target up' "$E2E_TMP/warn.err")" -eq 1

# With the option: stopped, exit 3 within 5 s, outputs written.
start_s=$(date +%s.%N)
timeout 30 "$BUILD/barrage" run "$E2E_TMP/dead.yaml" --workers 1 --abort-if-unreachable \
    --json "$E2E_TMP/r.json" --csv "$E2E_TMP/r" >"$E2E_TMP/abort.out" 2>"$E2E_TMP/abort.err"
rc=$?
took=$(echo "$(date +%s.%N) - $start_s" | bc)
check "--abort-if-unreachable exits 3 (got $rc)" test "$rc" -eq 3
check "...within 5 s (took $took s)" test "$(echo "$took < 5" | bc)" -eq 1
check "...saying why" grep -q "the target is unreachable" "$E2E_TMP/abort.err"
check "...and writes its outputs" test -s "$E2E_TMP/r.json" -a -s "$E2E_TMP/r_stats.csv"
check "...with the failures counted" python3 -c "
import json, sys
d = json.load(open('$E2E_TMP/r.json'))
t = [s for s in d['stats'] if s['name'] == 'home'][0]
sys.exit(0 if t['requests'] > 0 and t['failures'] == t['requests'] else 1)"

# The scenario's own option does the same.
sed -i '1i abort_if_unreachable: true' "$E2E_TMP/dead.yaml"
timeout 30 "$BUILD/barrage" run "$E2E_TMP/dead.yaml" --workers 1 >/dev/null 2>"$E2E_TMP/sc.err"
rc=$?
check "abort_if_unreachable: true in the scenario exits 3 too (got $rc)" test "$rc" -eq 3
e2e_finish
