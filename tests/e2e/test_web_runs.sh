#!/usr/bin/env bash
# test_web_runs: the master's multi-run mode without a browser:
# `barrage run --web --autostart --autoquit 1` runs one run on its own, writes its
# outputs, and quits a second after it; its counts equal the target's.
# --autostart without --web is a usage error.
. "$(dirname "$0")/lib.sh"

start_target
cat >"$E2E_TMP/web.yaml" <<YAML
name: web
host: http://127.0.0.1:1
load: {users: 4, spawn_rate: 4, duration: 2s}
users:
  - name: Reader
    think: constant 20ms
    tasks:
      - {get: /}
YAML

timeout 30 "$BUILD/barrage" run "$E2E_TMP/web.yaml" --autostart -H "$TARGET_URL" \
    >/dev/null 2>"$E2E_TMP/nowebflag.err"
rc=$?
check "--autostart without --web is a usage error (exit $rc)" test "$rc" -eq 2
check "... saying it goes with --web" grep -q "go with --web" "$E2E_TMP/nowebflag.err"

out="$E2E_TMP/run.out"
start_s=$(date +%s)
timeout 60 "$BUILD/barrage" run "$E2E_TMP/web.yaml" --web 127.0.0.1:0 --autostart --autoquit 1 \
    --workers 2 -H "$TARGET_URL" --json "$E2E_TMP/r.json" -q >"$out" 2>"$E2E_TMP/run.err"
rc=$?
took=$(($(date +%s) - start_s))
check "--web --autostart --autoquit 1 exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/run.err"
check "it quit soon after its run (${took}s)" test "$took" -le 15
total=$(target_total)
check "Aggregated $(aggregated_count "$out") equals target total $total" \
    test "$(aggregated_count "$out")" -eq "$total"
check "at least 20 requests ($total)" test "$total" -ge 20
check "the run's JSON result is written" test -s "$E2E_TMP/r.json"
check "both workers finished" test "$(grep -c ' finished$' "$out")" -eq 2
e2e_finish
