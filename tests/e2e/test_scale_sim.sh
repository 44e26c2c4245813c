#!/usr/bin/env bash
# test_scale_sim: barrage-scale-sim (bench/master_scale.c) against a real master, small:
# 50 simulated workers, 2 s. Every worker joins and finishes, and the master's merged
# request count equals the sum the simulator put in its reports. No performance assertion.
. "$(dirname "$0")/lib.sh"

[ -x "$BUILD/barrage-scale-sim" ] || { echo "FAIL - no $BUILD/barrage-scale-sim"; exit 1; }
N=50
start_master master "$SRC/bench/master_scale.yaml" --bind tcp://127.0.0.1:0 --expect-workers $N \
    --wait-workers 20s -u $N -t 2s --json "$E2E_TMP/r.json"

timeout 60 "$BUILD/barrage-scale-sim" --master "$endpoint" --workers $N --names 5 --buckets 20 \
    --master-pid "$MASTER_PID" >"$E2E_TMP/sim.out" 2>"$E2E_TMP/sim.err"
rc=$?
check "the simulator exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/sim.err"
timeout 30 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
check "the master exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -5 "$E2E_TMP/master.err"

check "the simulator measured the master's CPU" grep -q '^master pid [0-9]*, RUN to STOP' "$E2E_TMP/sim.out"
check "the master listed $N workers, all finished" \
    test "$(grep -cE '^  sim-[0-9]+-[0-9]+ .* finished' "$E2E_TMP/master.out")" -eq $N
sent=$(sed -n 's/^requests in the reports: \([0-9]*\)$/\1/p' "$E2E_TMP/sim.out")
merged=$(aggregated_count "$E2E_TMP/master.out")
check "merged requests ${merged:-none} = requests reported ${sent:-none}" \
    test -n "$sent" -a "${merged:-0}" = "$sent"
check "five names in the summary" test "$(summary_counts "$E2E_TMP/master.out" | wc -l)" -eq 5
e2e_finish
