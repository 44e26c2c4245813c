#!/usr/bin/env bash
# valgrind.sh: memcheck of one short end-to-end run — `barrage run` with one local
# worker (valgrind follows the exec), against the demo target, with templates, data
# rows, captures, expects, on_start, Server-Timing, HTTP and transport failures and
# every report file. Passes when no process has a memcheck error or a definite leak.
# Not in ctest (about 15-30 s on 2 cores); CI calls it:
#   bash tests/valgrind.sh [BUILD]      (default: build; needs valgrind)
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-${BARRAGE_BUILD_DIR:-build}}
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind not installed" >&2; exit 2; }
for b in barrage barrage-worker barrage-target; do
    [ -x "$BUILD/$b" ] || { echo "valgrind.sh: $BUILD/$b not built" >&2; exit 2; }
done
TMP=$(mktemp -d /tmp/barrage-valgrind.XXXXXX)
TARGET_PID=""
cleanup() {
    [ -n "$TARGET_PID" ] && kill "$TARGET_PID" 2>/dev/null && wait "$TARGET_PID" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

"$BUILD/barrage-target" --port 0 >"$TMP/target.out" 2>"$TMP/target.err" &
TARGET_PID=$!
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/^barrage-target listening on \(http:[^ ]*\)$/\1/p' "$TMP/target.out")
    [ -n "$url" ] && break
    sleep 0.05
done
[ -n "$url" ] || { echo "valgrind.sh: barrage-target did not start" >&2; exit 3; }

printf 'email,password\nvg1@example.com,pw1\nvg2@example.com,pw2\n' >"$TMP/users.csv"
cat >"$TMP/vg.yaml" <<YAML
name: valgrind
host: $url
load: {users: 4, spawn_rate: 20, duration: 3s}
defaults: {timeout: 1s, headers: {Accept: application/json}}
data: {file: users.csv, order: sequential}
thresholds: ["p95 < 10s"]
users:
  - name: Member
    weight: 3
    think: between 20ms 60ms
    vars: {org: "{{ choice(1, 2, 3) }}"}
    on_start:
      - post: /login
        json: {email: "{{ row.email }}", password: "{{ row.password }}"}
        capture: {token: "json:\$.access_token", kind: "regex:\"token_type\": \"([a-z]+)\""}
        expect: {status: 200, json: {"\$.token_type": bearer}}
    headers: {Authorization: "Bearer {{ token }}"}
    tasks:
      - {weight: 3, get: "/json?bytes={{ randint(10, 500) }}&org={{ org }}", name: /json}
      - {weight: 1, get: /private, capture: {srv: "header:Server"}, expect: {body_contains: items}}
      - weight: 1
        name: flow
        steps:
          - {post: /echo, form: {u: "{{ uuid() }}", n: "{{ seq }}"}}
          - {get: "/delay?ms=5", name: /delay}
  - name: Broken
    weight: 1
    think: constant 50ms
    tasks:
      - {get: /status/503, name: /broken}
      - {get: /fault/reset, name: reset}
      - {get: /fault/close, name: close}
YAML

echo "valgrind.sh: running barrage under valgrind (master and worker)"
start=$(date +%s)
# somalloc: memcheck also replaces malloc in libmimalloc, which the worker may be linked with.
# There, operator delete and delete[] share one address, so memcheck cannot tell them apart
# and calls libzmq's frees mismatched: that check is off (barrage's code is C).
timeout 300 valgrind --trace-children=yes --soname-synonyms='somalloc=*mimalloc*' \
    --show-mismatched-frees=no --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --track-fds=no --num-callers=30 \
    --log-file="$TMP/vg.%p.log" \
    "$BUILD/barrage" run "$TMP/vg.yaml" --workers 1 -q --json "$TMP/r.json" --csv "$TMP/r" \
    --html "$TMP/r.html" >"$TMP/run.out" 2>"$TMP/run.err"
rc=$?
echo "valgrind.sh: run exited $rc after $(($(date +%s) - start)) s"

fail=0
[ "$rc" -eq 0 ] || { echo "valgrind.sh: barrage run exited $rc"; cat "$TMP/run.err"; fail=1; }
logs=$(grep -l "Command: .*barrage" "$TMP"/vg.*.log)
n=0
for log in $logs; do
    n=$((n + 1))
    cmd=$(sed -n 's/^==[0-9]*== Command: \([^ ]*\).*/\1/p' "$log" | head -1)
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
    definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -1 | tr -d ,)
    echo "valgrind.sh: $(basename "$cmd"): ${errors:-?} errors, ${definite:-0} bytes definitely lost"
    if ! grep -q "HEAP SUMMARY" "$log"; then
        echo "valgrind.sh: $(basename "$cmd") ended without a leak check (killed?)"
        fail=1
    elif [ "${errors:-1}" != 0 ] || [ "${definite:-0}" != 0 ]; then
        fail=1
        cat "$log"
    fi
done
[ "$n" -ge 2 ] || { echo "valgrind.sh: expected logs of master and worker, found $n"; fail=1; }
for f in r.json r_stats.csv r.html; do
    [ -s "$TMP/$f" ] || { echo "valgrind.sh: $f not written"; fail=1; }
done
grep -q "/json" "$TMP/run.out" || { echo "valgrind.sh: no summary"; fail=1; }
[ "$fail" -eq 0 ] && echo "valgrind.sh: ok"
exit "$fail"
