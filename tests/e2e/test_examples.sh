#!/usr/bin/env bash
# test_examples: every scenario in scenarios/examples runs against the demo target
# for 2 s without a failed request (the open-model one is refused clearly until the
# arrival-rate scheduler exists).
. "$(dirname "$0")/lib.sh"

start_target
for ex in "$SRC"/scenarios/examples/*.yaml; do
    name=$(basename "$ex" .yaml)
    timeout 60 "$BUILD/barrage" run "$ex" -H "$TARGET_URL" -t 2s -u 10 -r 50 --workers 2 -q \
        >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err"
    rc=$?
    if grep -q '^ *rate:' "$ex"; then
        check "$name: open model refused with exit 2 (got $rc)" test "$rc" -eq 2
        check "$name: ...saying so" grep -q "open model" "$E2E_TMP/$name.err"
        continue
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
