#!/usr/bin/env bash
# test_exit_codes: the documented exit codes — 0 ok, 2 usage or scenario error,
# 3 runtime error — and that an error names what went wrong.
. "$(dirname "$0")/lib.sh"

expect_exit() {
    local want=$1 pattern=$2
    shift 2
    timeout 30 "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
    local rc=$?
    check "exit $want from: ${*#$BUILD/} (got $rc)" test "$rc" -eq "$want"
    check "message matches '$pattern'" grep -qE -- "$pattern" "$E2E_TMP/out" "$E2E_TMP/err"
}

cat >"$E2E_TMP/ok.yaml" <<YAML
host: http://127.0.0.1:1
load: {users: 1, duration: 1s}
users:
  - name: U
    tasks: [{get: /}]
YAML
printf 'host: http://127.0.0.1:1\nload: {users: 0, duration: 1s}\nusers: []\n' >"$E2E_TMP/bad.yaml"

expect_exit 0 'usage: barrage' "$BUILD/barrage" --help
expect_exit 0 '^barrage [0-9]' "$BUILD/barrage" --version
expect_exit 0 '^barrage-worker [0-9]' "$BUILD/barrage-worker" --version
# The allocator the build asked for is the one serving malloc (mimalloc unless turned off
# or under the sanitizers).
cache=$BUILD/CMakeCache.txt
if grep -q '^BARRAGE_MIMALLOC:BOOL=ON' "$cache" &&
    ! grep -qE '^BARRAGE_(SANITIZE|FUZZ|TSAN):BOOL=ON' "$cache"; then
    expect_exit 0 'allocator mimalloc [0-9]' "$BUILD/barrage-worker" --version
else
    expect_exit 0 "allocator the C library's" "$BUILD/barrage-worker" --version
fi
expect_exit 2 'unknown command' "$BUILD/barrage" frobnicate x.yaml
expect_exit 2 'users wants an integer' "$BUILD/barrage" run "$E2E_TMP/ok.yaml" -u many
expect_exit 2 'SCENARIO file is required' "$BUILD/barrage" run
expect_exit 2 'bad.yaml:2:[0-9]+: error' "$BUILD/barrage" run "$E2E_TMP/bad.yaml"
expect_exit 2 'cannot read' "$BUILD/barrage" validate "$E2E_TMP/missing.yaml"
expect_exit 0 'ok' "$BUILD/barrage" validate "$E2E_TMP/ok.yaml"
# validate checks the thresholds as run does: syntax, and names that no request has.
sed 's|^users:|thresholds: [{name: /nope, check: "p95 < 1s"}, "p95 <"]\nusers:|' "$E2E_TMP/ok.yaml" \
    >"$E2E_TMP/th.yaml"
expect_exit 2 "th.yaml:3:[0-9]+: error: threshold 'p95 < 1s': no request is named '/nope'" \
    "$BUILD/barrage" validate "$E2E_TMP/th.yaml"
expect_exit 2 "th.yaml:3:[0-9]+: error: threshold 'p95 <': expected a value" \
    "$BUILD/barrage" validate "$E2E_TMP/th.yaml"
# validate refuses what run would: more users than a unique data file has rows.
printf 'email\na@x\n' >"$E2E_TMP/one.csv"
sed 's|^users:|data: {file: one.csv, order: unique}\nusers:|' "$E2E_TMP/ok.yaml" >"$E2E_TMP/data.yaml"
expect_exit 0 'ok' "$BUILD/barrage" validate "$E2E_TMP/data.yaml"
expect_exit 2 'data.yaml:3:[0-9]+: data file .one.csv. has 1 rows for 2 users' \
    "$BUILD/barrage" validate "$E2E_TMP/data.yaml" -u 2
expect_exit 2 'data.yaml:3:[0-9]+: data file .one.csv. has 1 rows for 2 users' \
    "$BUILD/barrage" run "$E2E_TMP/data.yaml" -u 2
expect_exit 2 'master ENDPOINT is required' "$BUILD/barrage-worker"
expect_exit 2 "heartbeat wants milliseconds, 1..60000 \\(got 'abc'\\)" \
    "$BUILD/barrage-worker" --master tcp://127.0.0.1:1 --heartbeat abc
expect_exit 2 "heartbeat wants milliseconds" "$BUILD/barrage-worker" --master tcp://127.0.0.1:1 --heartbeat 0
# No worker ever joins: a runtime error naming the shortfall.
expect_exit 3 'only 0 of 1 workers joined' "$BUILD/barrage" master "$E2E_TMP/ok.yaml" \
    --bind tcp://127.0.0.1:0 --expect-workers 1 --wait-workers 1s
# Connection refused is a counted failure with a readable reason, not a crash.
expect_exit 0 'connect: (Couldn.t connect to server|Could not connect)' \
    "$BUILD/barrage" run "$E2E_TMP/ok.yaml" --workers 1 -q
e2e_finish
