#!/usr/bin/env bash
# test_live_thresholds: thresholds judged while the run goes on. Against a route of
# the demo target that answers 200 for 4 s and 500 after (/fail-after), a
# "failure_rate < 1%" threshold with abort: true and delay: 2s stops a 30 s run around
# second 5: exit 1, the summary and the JSON result say which threshold and when,
# every output is written, and the final counts equal the target's. Windowed
# thresholds ("over 2s", "over 1s") on another name are judged at the end on their last seconds.
. "$(dirname "$0")/lib.sh"

start_target
cat >"$E2E_TMP/live.yaml" <<YAML
name: live-thresholds
host: $TARGET_URL
load: {users: 4, spawn_rate: 100, duration: 30s}
thresholds:
  - {check: "failure_rate < 1%", abort: true, delay: 2s}
  - {name: /slow-start, check: "p95 < 50ms over 2s"}
  - {name: /slow-start, check: "requests > 0 over 1s"}
users:
  - name: U
    think: constant 10ms
    tasks:
      - {weight: 3, get: "/fail-after?ms=4000", name: /fail-after}
      - {weight: 1, get: /, name: /slow-start}
YAML

start_s=$(date +%s.%N)
timeout 60 "$BUILD/barrage" run "$E2E_TMP/live.yaml" --workers 2 --json "$E2E_TMP/r.json" \
    --csv "$E2E_TMP/r" --html "$E2E_TMP/r.html" --junit "$E2E_TMP/r.xml" \
    >"$E2E_TMP/out" 2>"$E2E_TMP/err"
rc=$?
took=$(echo "$(date +%s.%N) - $start_s" | bc)
check "the run exits 1 (got $rc)" test "$rc" -eq 1
check "...well before its 30 s (took ${took} s)" test "$(echo "$took < 15" | bc)" -eq 1
check "the log names the threshold and when it stopped the run" \
    grep -qE "threshold 'failure_rate < 1%' failed after [0-9.]+ s \(measured [0-9.]+%\) and has abort set: stopping the run" "$E2E_TMP/err"
check "the summary says so" \
    grep -qE "the run was stopped after [0-9.]+ s: 'failure_rate < 1%' failed and has abort set" "$E2E_TMP/out"
by=$(python3 -c "import json; print(json.load(open('$E2E_TMP/r.json'))['aborted_by'])")
at=$(python3 -c "import json; print(json.load(open('$E2E_TMP/r.json'))['aborted_at_s'])")
check "the JSON result names it ($by)" test "$by" = "failure_rate < 1%"
check "...at about second 5 ($at: 4 s of 200s, then the first judged second of 500s)" \
    test "$(echo "$at >= 4 && $at <= 8" | bc)" -eq 1
for f in r.json r_stats.csv r_stats_history.csv r_failures.csv r.html r.xml; do
    check "output $f written" test -s "$E2E_TMP/$f"
done
check "the HTML report says which threshold stopped the run" \
    grep -q "stopped after [0-9.]* s by failure_rate &lt; 1% (abort: true)" "$E2E_TMP/r.html"
check "the failures were counted (HTTP 500 on /fail-after)" grep -q "/fail-after,.*HTTP 500" "$E2E_TMP/r_failures.csv"
final=$(aggregated_count "$E2E_TMP/out")
check "every request the target served is in the result ($final = $(target_total))" \
    test "$final" = "$(target_total)"
check "the windowed threshold is judged on its last 2 s and passes" \
    grep -qE "PASS +/slow-start: p95 < 50ms over 2s" "$E2E_TMP/out"
# A 1 s window holds the run's last second (it measured "no requests": the open second's
# reports evicted it, and the last second was not closed for the final judgement).
check "a 1 s window holds the last second's requests" \
    grep -qE "PASS +/slow-start: requests > 0 over 1s +\(measured [1-9][0-9]*\)" "$E2E_TMP/out"
e2e_finish
