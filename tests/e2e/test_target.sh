#!/usr/bin/env bash
# test_target: end-to-end checks of barrage-target: every endpoint, keep-alive, pipelining,
# malformed input, and exact /__stats counts, against a real server on a loopback port.
set -u

BUILD_DIR=${BARRAGE_BUILD_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build}
BIN="$BUILD_DIR/barrage-target"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_target.XXXXXX")
PID=""
PASSED=0
FAILED=0

cleanup() {
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
        kill -KILL "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL: $*" >&2
}
# expect_eq NAME GOT WANT
expect_eq() {
    if [[ "$2" == "$3" ]]; then pass; else fail "$1: got '$2', want '$3'"; fi
}
# expect_match NAME TEXT REGEX
expect_match() {
    if [[ "$2" =~ $3 ]]; then pass; else fail "$1: '$2' does not match /$3/"; fi
}
# expect_true NAME COMMAND...
expect_true() {
    local name=$1
    shift
    if "$@"; then pass; else fail "$name"; fi
}

if ! command -v curl >/dev/null; then
    if [[ $(id -u) == 0 ]]; then apt-get install -y -q curl >/dev/null 2>&1; fi
    command -v curl >/dev/null || { echo "test_target: curl not found" >&2; exit 1; }
fi
[[ -x "$BIN" ]] || { echo "test_target: $BIN not built" >&2; exit 1; }

CURL=(curl -s --max-time 10)

# ---------------------------------------------------------------- CLI
out=$(timeout 5 "$BIN" --version)
expect_match "--version" "$out" '^barrage-target [0-9]+\.[0-9]+\.[0-9]+$'
timeout 5 "$BIN" --help | grep -q -- '--port'
expect_eq "--help exit status" "${PIPESTATUS[0]}" 0
timeout 5 "$BIN" --bogus >/dev/null 2>&1
expect_eq "unknown option exit status" "$?" 2
err=$(timeout 5 "$BIN" --host 0.0.0.0 --port 0 2>&1 >/dev/null)
expect_match "non-loopback refused" "$err" 'barrage: error: .*loopback'

# ---------------------------------------------------------------- start
"$BIN" --port 0 --quiet >"$TMP/stdout" 2>"$TMP/stderr" &
PID=$!
for _ in $(seq 100); do
    [[ -s "$TMP/stdout" ]] && break
    sleep 0.05
done
line=$(head -n 1 "$TMP/stdout")
expect_match "listening line" "$line" '^barrage-target listening on http://127\.0\.0\.1:[0-9]+$'
PORT=${line##*:}
URL="http://127.0.0.1:$PORT"
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "test_target: server did not start" >&2; cat "$TMP/stderr" >&2; exit 1; }

# Raw request/response over bash's /dev/tcp: raw_exchange OUTFILE < request bytes.
# The server must close the connection (the last request says Connection: close).
raw_exchange() {
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
    cat >&3
    timeout 5 cat <&3 >"$1"
    local rc=$?
    exec 3<&-
    return $rc
}

# ---------------------------------------------------------------- GET /
"${CURL[@]}" -D "$TMP/h" -o "$TMP/b" "$URL/"
expect_eq "GET / body" "$(cat "$TMP/b")" "barrage-target ok"
expect_match "GET / status" "$(head -n 1 "$TMP/h")" '^HTTP/1.1 200 OK'
expect_match "GET / Server-Timing" "$(cat "$TMP/h")" $'Server-Timing: app;dur=[0-9]+\\.[0-9]{3}\r'
expect_match "GET / Content-Length" "$(cat "$TMP/h")" $'Content-Length: 18\r'
expect_match "GET / keep-alive" "$(cat "$TMP/h")" $'Connection: keep-alive\r'
out=$("${CURL[@]}" -I -o /dev/null -w '%{http_code} %{size_download}' "$URL/")
expect_eq "HEAD / has no body" "$out" "200 0"

# ---------------------------------------------------------------- /json
for n in 0 1 2 10 11 64 1000 100000 10485760; do
    got=$("${CURL[@]}" -o "$TMP/j$n" -w '%{http_code} %{size_download}' "$URL/json?bytes=$n")
    expect_eq "/json?bytes=$n" "$got" "200 $n"
done
if command -v python3 >/dev/null; then
    expect_true "/json bodies are valid JSON" python3 -c \
        'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' "$TMP"/j[1-9]*
fi
got=$("${CURL[@]}" -o /dev/null -w '%{size_download}' "$URL/json")
expect_eq "/json default size" "$got" 64
"${CURL[@]}" -D "$TMP/h" -o /dev/null "$URL/json?bytes=5"
expect_match "/json X-Query-Count" "$(cat "$TMP/h")" $'X-Query-Count: 1\r'
expect_match "/json Server-Timing" "$(cat "$TMP/h")" 'Server-Timing: app;dur='
for bad in 10485761 abc -1 ''; do
    got=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/json?bytes=$bad")
    expect_eq "/json?bytes=$bad rejected" "$got" 400
done

# ---------------------------------------------------------------- /status
for code in 200 201 302 404 418 500 503 599; do
    got=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/status/$code")
    expect_eq "/status/$code" "$got" "$code"
done
got=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{size_download}' "$URL/status/204")
expect_eq "/status/204 has no body" "$got" "204 0"
got=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST "$URL/status/201")
expect_eq "POST /status/201" "$got" 201
for bad in 100 101 199 600 1000 abc; do
    got=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/status/$bad")
    expect_eq "/status/$bad rejected" "$got" 400
done

# ---------------------------------------------------------------- 404 / 405
expect_eq "unknown path" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/nope")" 404
expect_eq "POST / is 405" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST "$URL/")" 405

# ---------------------------------------------------------------- login / private
login() { "${CURL[@]}" -o "$TMP/login" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$1" "$URL/login"; }
expect_eq "login ok" "$(login '{"email": "a@example.com", "password": "pw"}')" 200
body=$(cat "$TMP/login")
expect_match "login body" "$body" '^\{"access_token": "tok-[0-9a-f]{16}", "token_type": "bearer"\}$'
token=$(sed 's/.*"access_token": "\([^"]*\)".*/\1/' "$TMP/login")
login '{"email": "a@example.com", "password": "other"}' >/dev/null
expect_eq "token deterministic per email" "$(sed 's/.*"access_token": "\([^"]*\)".*/\1/' "$TMP/login")" "$token"
expect_eq "login without email" "$(login '{"password": "pw"}')" 400
expect_eq "login with bad JSON" "$(login '{"email": ')" 400
expect_eq "login wrong password" "$(login '{"email": "a@example.com", "password": "wrong"}')" 401
"${CURL[@]}" -D "$TMP/h" -o "$TMP/b" -H "Authorization: Bearer $token" "$URL/private"
expect_match "private with token" "$(head -n 1 "$TMP/h")" '^HTTP/1.1 200'
expect_match "private X-Query-Count" "$(cat "$TMP/h")" $'X-Query-Count: [0-9]+\r'
expect_match "private JSON body" "$(cat "$TMP/b")" '^\{.*\}$'
expect_eq "private without token" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/private")" 401
expect_eq "private with unknown token" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' \
    -H 'Authorization: Bearer tok-0123456789abcdef' "$URL/private")" 401

# ---------------------------------------------------------------- /echo
got=$("${CURL[@]}" -D "$TMP/h" -X POST -H 'Content-Type: text/x-demo' --data-binary 'a b {{ x }}' "$URL/echo")
expect_eq "echo body" "$got" "a b {{ x }}"
expect_match "echo content type" "$(cat "$TMP/h")" $'Content-Type: text/x-demo\r'
got=$("${CURL[@]}" -X PUT --data-binary '' "$URL/echo" -w '%{http_code}')
expect_eq "echo empty PUT" "$got" 200
head -c 200000 /dev/urandom >"$TMP/big"
"${CURL[@]}" -v -X POST -H 'Expect: 100-continue' --data-binary "@$TMP/big" -o "$TMP/big.echo" \
    "$URL/echo" 2>"$TMP/verbose"
expect_true "echo 200 KB with Expect: 100-continue" cmp -s "$TMP/big" "$TMP/big.echo"
expect_true "100 Continue sent" grep -q '^< HTTP/1.1 100 Continue' "$TMP/verbose"

# ---------------------------------------------------------------- keep-alive
got=$("${CURL[@]}" -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}' "$URL/" "$URL/json" "$URL/status/500")
expect_eq "keep-alive: 3 requests, 1 connect" "$got" "100"
"${CURL[@]}" -D "$TMP/h" -o /dev/null -H 'Connection: close' "$URL/"
expect_match "Connection: close honoured" "$(cat "$TMP/h")" $'Connection: close\r'
printf 'GET / HTTP/1.0\r\n\r\n' | raw_exchange "$TMP/raw"
expect_match "HTTP/1.0 closes by default" "$(cat "$TMP/raw")" $'^HTTP/1.1 200 OK\r.*Connection: close\r'

# ---------------------------------------------------------------- /delay
got=$("${CURL[@]}" -o "$TMP/b" -w '%{http_code} %{time_total}' "$URL/delay?ms=300")
expect_match "/delay status" "$got" '^200 '
expect_true "/delay?ms=300 takes >= 300 ms" awk -v t="${got#* }" 'BEGIN { exit !(t >= 0.3) }'
"${CURL[@]}" -D "$TMP/h" -o /dev/null "$URL/delay?ms=50"
expect_match "/delay Server-Timing >= 50 ms" "$(cat "$TMP/h")" 'app;dur=(5[0-9]|[6-9][0-9]|[1-9][0-9]{2,})\.'
"${CURL[@]}" -o /dev/null -w '%{time_total}' "$URL/delay?ms=1500" >"$TMP/slow" &
slow=$!
sleep 0.1
got=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{time_total}' "$URL/")
expect_match "/ during a /delay: status" "$got" '^200 '
expect_true "/ during a /delay is not blocked" awk -v t="${got#* }" 'BEGIN { exit !(t < 1.0) }'
wait "$slow"
expect_true "the /delay?ms=1500 still finished" awk '{ exit !($1 >= 1.5) }' "$TMP/slow"
expect_eq "/delay over cap" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/delay?ms=60001")" 400

# ---------------------------------------------------------------- pipelining and malformed input
printf 'GET / HTTP/1.1\r\nHost: t\r\n\r\nGET /json?bytes=10 HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhelloGET /delay?ms=20 HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    raw_exchange "$TMP/raw"
got=$(grep -a -o 'HTTP/1.1 [0-9]*' "$TMP/raw" | tr '\n' ' ')
expect_eq "pipelined responses in order" "$got" "HTTP/1.1 200 HTTP/1.1 200 HTTP/1.1 200 HTTP/1.1 200 HTTP/1.1 404 "
expect_match "pipelined echo body" "$(cat "$TMP/raw")" $'\r\n\r\nhelloHTTP/1.1 200'
printf 'GARBAGE\r\n\r\n' | raw_exchange "$TMP/raw"
expect_match "malformed request line -> 400 + close" "$(cat "$TMP/raw")" $'^HTTP/1.1 400 .*Connection: close\r'
printf 'GET / HTTP/1.1\r\nBad Header: x\r\n\r\n' | raw_exchange "$TMP/raw"
expect_match "malformed header -> 400" "$(cat "$TMP/raw")" '^HTTP/1.1 400 '
{ printf 'GET / HTTP/1.1\r\nHost: t\r\nX-Big: '; head -c 20000 /dev/zero | tr '\0' a; printf '\r\n\r\n'; } |
    raw_exchange "$TMP/raw"
expect_match "header block over 16 KB -> 431" "$(cat "$TMP/raw")" '^HTTP/1.1 431 '
printf 'GET / HTTP/2.0\r\n\r\n' | raw_exchange "$TMP/raw"
expect_match "HTTP/2.0 request line -> 505" "$(cat "$TMP/raw")" '^HTTP/1.1 505 '
# Client resets / half requests must not hurt the server.
for _ in 1 2 3; do
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /json?bytes=1000000 HTTP/1.1\r\nHost: t\r\n\r\nGET / HT' >&3
    exec 3<&-
done
expect_eq "alive after client resets" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/")" 200

# ---------------------------------------------------------------- exact counts
expect_eq "POST /__reset" "$("${CURL[@]}" -X POST "$URL/__reset")" '{"reset": true}'
expect_eq "stats after reset" "$("${CURL[@]}" "$URL/__stats")" '{"total": 0, "requests": {}}'
args=()
for _ in $(seq 10); do args+=(-o /dev/null "$URL/"); done
"${CURL[@]}" "${args[@]}"
for i in 1 2 3; do login "{\"email\": \"u$i@example.com\", \"password\": \"pw\"}" >/dev/null; done
"${CURL[@]}" -o /dev/null "$URL/nope?x=1"
"${CURL[@]}" -o /dev/null "$URL/nope?x=2"
# /private: with a token it counts as itself, without one under its rejected key.
"${CURL[@]}" -o /dev/null -H "Authorization: Bearer $token" "$URL/private"
"${CURL[@]}" -o /dev/null "$URL/private"
"${CURL[@]}" -o /dev/null -H 'Authorization: Bearer tok-0123456789abcdef' "$URL/private"
# 200 requests over up to 50 concurrent connections from one curl process.
args=()
for i in $(seq 200); do args+=(-o /dev/null "$URL/json?bytes=$i"); done
"${CURL[@]}" --no-progress-meter --parallel --parallel-immediate --parallel-max 50 "${args[@]}"
# A client that gives up on a /delay is not counted: its response was never sent.
"${CURL[@]}" --max-time 0.2 -o /dev/null "$URL/delay?ms=700"
sleep 1
want='{"total": 218, "requests": {"GET /": 10, "GET /json": 200, "GET /nope": 2, "GET /private": 1, "GET /private (rejected)": 2, "POST /login": 3}}'
expect_eq "exact /__stats" "$("${CURL[@]}" "$URL/__stats")" "$want"
expect_eq "/__stats does not count itself" "$("${CURL[@]}" "$URL/__stats")" "$want"
printf 'GET / HTTP/1.1\r\nHost: t\r\n\r\nGET /__stats HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    raw_exchange "$TMP/raw"
expect_match "pipelined /__stats sees the request before it" "$(cat "$TMP/raw")" '"GET /": 11'

# ---------------------------------------------------------------- shutdown
kill -TERM "$PID"
for _ in $(seq 100); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
done
wait "$PID"
expect_eq "exit status after SIGTERM" "$?" 0
PID=""
expect_eq "stdout has 2 lines" "$(wc -l <"$TMP/stdout")" 2
expect_eq "final counts on stdout" "$(tail -n 1 "$TMP/stdout")" \
    '{"total": 219, "requests": {"GET /": 11, "GET /json": 200, "GET /nope": 2, "GET /private": 1, "GET /private (rejected)": 2, "POST /login": 3}}'
expect_eq "nothing on stderr with --quiet" "$(cat "$TMP/stderr")" ""

echo "test_target: $PASSED passed, $FAILED failed"
((FAILED == 0))
