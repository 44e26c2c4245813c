#!/usr/bin/env bash
# test_examples: every scenario in scenarios/examples runs against the demo target
# for 2 s without a failed request (closed-model ones with 10 users, open-model ones
# at a modest arrival rate of their own model).
. "$(dirname "$0")/lib.sh"

start_target
for ex in "$SRC"/scenarios/examples/*.yaml; do
    name=$(basename "$ex" .yaml)
    load=(-u 10 -r 50)
    grep -q '^ *rate:' "$ex" && load=(--rate 50)
    timeout 60 "$BUILD/barrage" run "$ex" -H "$TARGET_URL" -t 2s "${load[@]}" --workers 2 -q \
        >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err"
    rc=$?
    if grep -q '^ *rate:' "$ex"; then
        check "$name: runs as the open model" grep -q "^Load: open model" "$E2E_TMP/$name.out"
    fi
    # A 2 s run may never pick a rare task: its threshold then fails on "no requests".
    if [ "$rc" -eq 1 ] && grep -q "FAIL .*(measured no requests)" "$E2E_TMP/$name.out" &&
        ! grep -v "no requests" "$E2E_TMP/$name.out" | grep -q "  FAIL  "; then
        rc=0
    fi
    check "$name: exits 0 (got $rc)" test "$rc" -eq 0
    [ "$rc" -eq 0 ] || cat "$E2E_TMP/$name.err" "$E2E_TMP/$name.out"
    agg=$(awk '/^Response time percentiles/ {exit} $1 == "Aggregated" {print $2, $3}' "$E2E_TMP/$name.out")
    read -r reqs fails <<<"$agg"
    check "$name: requests made (${reqs:-0}) and none failed (${fails:-?})" \
        test "${reqs:-0}" -gt 0 -a "${fails:-1}" -eq 0
    [ "${fails:-1}" -eq 0 ] || sed -n '/Error report/,$p' "$E2E_TMP/$name.out"
done
e2e_finish
