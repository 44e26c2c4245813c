#!/usr/bin/env bash
# test_reports: the outputs of real runs against the demo target — Locust-compatible
# CSV, the JSON result, HTML and JUnit; `report` regenerating identical CSV from the
# JSON; threshold exit codes; `compare` flagging a /delay regression.
. "$(dirname "$0")/lib.sh"

start_target
delay_scenario() { # delay_scenario MS FILE
    cat >"$2" <<YAML
name: delay-$1
host: http://127.0.0.1:1
load: {users: 10, spawn_rate: 100, duration: 3s}
thresholds:
  - "p95 < 2s"
  - {name: /delay, check: "failure_rate < 1%"}
users:
  - name: U
    think: constant 10ms
    tasks:
      - {weight: 3, get: "/delay?ms=$1", name: /delay}
      - {weight: 1, get: "/mix?fast=100&slow=100", name: /fixed}
YAML
}
delay_scenario 5 "$E2E_TMP/fast.yaml"
delay_scenario 50 "$E2E_TMP/slow.yaml"

run() { # run NAME SCENARIO ARGS... ; sets rc
    timeout 60 "$BUILD/barrage" run "$2" --workers 2 -H "$TARGET_URL" -q "${@:3}" \
        >"$E2E_TMP/$1.out" 2>"$E2E_TMP/$1.err"
    rc=$?
}

run fast "$E2E_TMP/fast.yaml" --csv "$E2E_TMP/fast" --json "$E2E_TMP/fast.json" \
    --html "$E2E_TMP/fast.html" --junit "$E2E_TMP/fast.xml"
check "fast run exits 0 with passing thresholds (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/fast.err"
check "thresholds printed as PASS" grep -q "2 of 2 thresholds passed" "$E2E_TMP/fast.out"
for f in fast_stats.csv fast_stats_history.csv fast_failures.csv fast.json fast.html fast.xml; do
    check "$f written" test -s "$E2E_TMP/$f"
done
# Header rows byte for byte (CRLF included) against Locust's, from the golden
# file and, when Debian's python3-locust is installed, from Locust itself.
golden="$SRC/tests/golden/locust_csv_headers.txt"
if /usr/bin/python3 -c 'import locust' 2>/dev/null; then
    check "golden headers equal installed Locust's" \
        cmp -s "$golden" <(/usr/bin/python3 "$SRC/tests/tools/locust_csv_headers.py")
else
    echo "skip - python3-locust not installed: headers checked against the golden file only"
fi
n=1
for f in stats stats_history failures; do
    check "${f}.csv header is byte-equal to Locust's" \
        cmp -s <(head -n 1 "$E2E_TMP/fast_$f.csv") <(sed -n "${n}p" "$golden")
    n=$((n + 1))
done
check "stats.csv ends with the Aggregated row" grep -q '^,Aggregated,' <(tail -1 "$E2E_TMP/fast_stats.csv")
check "history has a row per second (>= 3)" test "$(($(wc -l <"$E2E_TMP/fast_stats_history.csv") - 1))" -ge 3
# Every second of the run had its 10 users, the last ones too (they close after the stop).
check "history's User Count is 10 in every row" \
    test "$(awk -F, 'NR > 1 {print $2}' "$E2E_TMP/fast_stats_history.csv" | sort -u | tr -d '\r')" = 10
delay_reqs=$(awk -F, '$2 == "/delay" {print $3}' "$E2E_TMP/fast_stats.csv")
check "CSV /delay count ($delay_reqs) equals the target's" \
    test "${delay_reqs:-0}" -eq "$(target_count 'GET /delay')" -a "${delay_reqs:-0}" -gt 0
check "JUnit has 2 testcases, 0 failures" grep -q 'tests="2" failures="0"' "$E2E_TMP/fast.xml"

# report regenerates the same CSV from the JSON.
mkdir -p "$E2E_TMP/re"
timeout 30 "$BUILD/barrage" report "$E2E_TMP/fast.json" --csv "$E2E_TMP/re/fast" \
    --html "$E2E_TMP/re/fast.html" >"$E2E_TMP/report.out" 2>"$E2E_TMP/report.err"
rc=$?
check "barrage report exits 0 (got $rc)" test "$rc" -eq 0
for f in fast_stats.csv fast_stats_history.csv fast_failures.csv fast_phases.csv; do
    check "report regenerates $f byte for byte" cmp -s "$E2E_TMP/$f" "$E2E_TMP/re/$f"
done
check "report prints the same request table" \
    diff <(sed -n '/^Type/,/^$/p' "$E2E_TMP/fast.out" | head -20) \
         <(sed -n '/^Type/,/^$/p' "$E2E_TMP/report.out" | head -20)

# A file that cannot be written: said with its path and reason, exit 3, the others written.
timeout 30 "$BUILD/barrage" report "$E2E_TMP/fast.json" --html "$E2E_TMP/no/such/dir/r.html" \
    --junit "$E2E_TMP/re/fast.xml" >/dev/null 2>"$E2E_TMP/unwritable.err"
rc=$?
check "an unwritable output exits 3 (got $rc)" test "$rc" -eq 3
check "...names the file and the reason" grep -q \
    "^barrage: error: HTML report $E2E_TMP/no/such/dir/r.html: .*No such file or directory" \
    "$E2E_TMP/unwritable.err"
check "...and still writes the other outputs" test -s "$E2E_TMP/re/fast.xml"

# A failing threshold: exit 1, verdict printed, JUnit failure.
run strict "$E2E_TMP/slow.yaml" --threshold "/delay:p50 < 10ms" --junit "$E2E_TMP/strict.xml" \
    --json "$E2E_TMP/slow.json"
check "a failed threshold exits 1 (got $rc)" test "$rc" -eq 1
check "...and says FAIL with the measured value" grep -qE "FAIL +/delay: p50 < 10ms +\(measured 5[0-9]" "$E2E_TMP/strict.out"
check "...and JUnit records the failure" grep -q 'failures="1"' "$E2E_TMP/strict.xml"

# A bad threshold is a usage error before anything runs.
run bad "$E2E_TMP/fast.yaml" --threshold "p95x < 3"
check "a bad threshold exits 2 (got $rc)" test "$rc" -eq 2
check "...naming the metric" grep -q "unknown metric 'p95x'" "$E2E_TMP/bad.err"

# compare: before 5 ms, after 50 ms is a regression.
timeout 30 "$BUILD/barrage" compare "$E2E_TMP/fast.json" "$E2E_TMP/slow.json" \
    --fail-on-regression 10% >"$E2E_TMP/cmp.out" 2>&1
rc=$?
check "compare flags the regression with exit 1 (got $rc)" test "$rc" -eq 1
check ".../delay row is worse" grep -qE "/delay.*worse" "$E2E_TMP/cmp.out"
timeout 30 "$BUILD/barrage" compare "$E2E_TMP/slow.json" "$E2E_TMP/fast.json" --format md \
    --fail-on-regression 50% >"$E2E_TMP/cmp.md" 2>&1
rc=$?
check "the other way round is an improvement, exit 0 (got $rc)" test "$rc" -eq 0
check "...markdown table with a better verdict" grep -qE '^\|.*/delay.*\*\*better\*\*' "$E2E_TMP/cmp.md"

# An output that cannot be written is an error; the others are still written.
run unwritable "$E2E_TMP/fast.yaml" --json /nonexistent/dir/r.json --csv "$E2E_TMP/still" \
    --html "$E2E_TMP/still.html"
check "an unwritable output exits 3 (got $rc)" test "$rc" -eq 3
check "...with a clear error" grep -q "/nonexistent/dir/r.json" "$E2E_TMP/unwritable.err"
check "...and the CSV was still written" test -s "$E2E_TMP/still_stats.csv"
check "...and the HTML too" test -s "$E2E_TMP/still.html"
check "no temporary files left behind" test -z "$(ls "$E2E_TMP" | grep -i tmp)"
e2e_finish
