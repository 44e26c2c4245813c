#!/usr/bin/env bash
# test_transport: connections:, compression:, proxy:, resolve: and IPv6 targets against
# Debian's nginx (HTTPS with HTTP/2, and plain HTTP on 127.0.0.1 and ::1 with gzip), a
# tinyproxy of the test's own, a SOCKS5 proxy (tests/tools/socks5.py) and barrage-target
# on ::1. nginx's access log names each
# request's connection ($connection), server address, Host, Accept-Encoding, bytes sent,
# Content-Encoding and Via. Checks: per_user opens one connection per user; shared: N
# keeps HTTP/2 to at most N connections with more users than that; new opens one
# connection per request; compression: true gets gzip that libcurl decodes (expect on
# the body text) in fewer bytes than without; a list is sent as written; the resolve map
# (an IPv4 and an IPv6 address) reaches nginx with the made-up Host; the HTTP proxy adds
# its Via and tunnels HTTPS; socks5:// hands the proxy an address, socks5h:// the name;
# http://[::1]:port works, in a URL and in -H; requests waiting for a shared connection time out as
# failures with a reason, on time (not when the request ahead of them ends).
. "$(dirname "$0")/lib.sh"

tools_required nginx openssl tinyproxy
if ! /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    echo "skip - no IPv6 loopback (::1) here"
    exit 0
fi

C="$E2E_TMP/certs"
mkdir -p "$C"
make_ca ca
sign server 127.0.0.1 "subjectAltName=IP:127.0.0.1,DNS:localhost"

# --- nginx ------------------------------------------------------------------------------
N="$E2E_TMP/nginx"
mkdir -p "$N/www"
for _ in $(seq 1 200); do echo "barrage-compressed-body line of text that gzip shrinks well"; done \
    >"$N/www/gz.txt"
cp "$N/www/gz.txt" "$N/www/plain.txt"
cp "$N/www/gz.txt" "$N/www/list.txt"
# nginx's workers (not root when the test is) read the files.
chmod o+x "$E2E_TMP" "$N" && chmod o+rx "$N/www" && chmod o+r "$N"/www/*.txt
write_conf() {
    H2=$(free_port) P=$(free_port)
    {
        nginx_head "$N"
        cat <<CONF
    log_format t '\$uri \$connection \$server_protocol \$status \$server_addr \$http_host '
                 '\$bytes_sent enc=\$sent_http_content_encoding '
                 'ae="\$http_accept_encoding" via="\$http_via"';
    access_log $N/access.log t;
    default_type text/plain;
    server { # HTTPS, HTTP/2 by ALPN; no GOAWAY after 1000 requests (nginx's default)
        listen 127.0.0.1:$H2 ssl http2;
        keepalive_requests 1000000;
        ssl_certificate $C/server.pem;
        ssl_certificate_key $C/server.key;
        location / { return 200 "ok\\n"; }
    }
    server { # plain HTTP on IPv4 and IPv6 loopback; gzip for clients that accept it
        listen 127.0.0.1:$P;
        listen [::1]:$P;
        root $N/www;
        gzip on;
        gzip_min_length 0;
        gzip_types text/plain;
        location ~ \\.txt\$ { }
        location / { return 200 "ok\\n"; }
    }
}
CONF
    } >"$N/nginx.conf"
}
probe() { curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$P/"; }
started=0
nginx_start "$N" write_conf probe && started=1
check "nginx serves HTTPS with HTTP/2 and plain HTTP on 127.0.0.1 and ::1 (ports $H2 $P)" \
    test "$started" -eq 1
[ "$started" -eq 1 ] || { e2e_finish; exit 1; }

# --- tinyproxy, its own config, port and process --------------------------------------
T="$E2E_TMP/tinyproxy"
mkdir -p "$T"
for _ in 1 2 3; do
    TP=$(free_port)
    printf '%s\n' "Port $TP" "Listen 127.0.0.1" "Timeout 10" "MaxClients 50" "Allow 127.0.0.1" \
        'ViaProxyName "barrage-e2e"' "LogLevel Info" "ConnectPort $H2" >"$T/tinyproxy.conf"
    tinyproxy -d -c "$T/tinyproxy.conf" >"$T/log" 2>&1 &
    TP_PID=$!
    E2E_PIDS+=("$TP_PID")
    tp_up=0
    for _ in $(seq 1 50); do
        curl -s --max-time 1 -o /dev/null -x "http://127.0.0.1:$TP" "http://127.0.0.1:$P/" &&
            { tp_up=1; break; }
        kill -0 "$TP_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ "$tp_up" -eq 1 ] && break
    kill "$TP_PID" 2>/dev/null
    wait "$TP_PID" 2>/dev/null
done
check "tinyproxy runs on port $TP" test "$tp_up" -eq 1

# --- a SOCKS5 proxy of the test's own (tests/tools/socks5.py) ---------------------------
/usr/bin/python3 "$SRC/tests/tools/socks5.py" "$T/socks.log" >"$T/socks.out" 2>"$T/socks.err" &
E2E_PIDS+=("$!")
SOCKS=''
for _ in $(seq 1 50); do
    SOCKS=$(sed -n 's/^socks5 listening on \([0-9]*\)$/\1/p' "$T/socks.out")
    [ -n "$SOCKS" ] && break
    sleep 0.1
done
check "the SOCKS5 proxy runs (port $SOCKS)" test -n "$SOCKS"

# log_uri URI: nginx's lines for that URI; conns URI: its distinct connections.
log_uri() { awk -v u="$1" '$1 == u' "$N/access.log"; }
conns() { log_uri "$1" | awk '{print $2}' | sort -u | wc -l; }
lines() { log_uri "$1" | wc -l; }

mkdir -p "$E2E_TMP/scn"
cp "$C/ca.pem" "$E2E_TMP/scn/"
BUILD=$(cd "$BUILD" && pwd)

# --- per_user (the default), compression, resolve, proxy, IPv6 ---------------------------
cat >"$E2E_TMP/scn/main.yaml" <<YAML
host: http://127.0.0.1:$P
load: {users: 2, spawn_rate: 100, duration: 1500ms}
defaults:
  tls: {ca: ca.pem}
  resolve: {"backend.test:$P": 127.0.0.1, "v6.test:$P": "::1"}
users:
  - name: U
    think: constant 50ms
    tasks:
      - name: all
        steps:
          - {get: "https://127.0.0.1:$H2/peruser", name: peruser, http: "2"}
          - {get: /gz.txt, name: gz, compression: true,
             expect: {body_contains: "barrage-compressed-body line"}}
          - {get: /plain.txt, name: plain, expect: {body_contains: "barrage-compressed-body line"}}
          - {get: /list.txt, name: list, compression: [br, gzip],
             expect: {body_contains: "barrage-compressed-body line"}}
          - {get: "http://backend.test:$P/resolved", name: resolved}
          - {get: "http://v6.test:$P/resolved6", name: resolved6}
          - {get: /proxied, name: proxied, proxy: "http://127.0.0.1:$TP"}
          - {get: "https://127.0.0.1:$H2/tunnel", name: tunnel, http: "2", proxy: "http://127.0.0.1:$TP"}
          - {get: /socks, name: socks, proxy: "socks5://127.0.0.1:$SOCKS"}
          - {get: "http://localhost:$P/socksh", name: socksh, proxy: "socks5h://127.0.0.1:$SOCKS"}
          - {get: /direct, name: direct}
          - {get: "http://[::1]:$P/v6", name: v6}
YAML
(cd / && run main "$E2E_TMP/scn/main.yaml" && exit "$rc")
rc=$?
O="$E2E_TMP/main.out"
check "the main run ends well (exit $rc)" test "$rc" -eq 0
for name in peruser gz plain list resolved resolved6 proxied tunnel socks socksh direct v6; do
    check "$name: requests made, none failed" all_ok "$name" "$O"
done
check "per_user: each of the 2 users its own HTTP/2 connection (got $(conns /peruser))" \
    test "$(conns /peruser)" -eq 2
check "per_user: the connections were reused ($(lines /peruser) requests)" \
    test "$(lines /peruser)" -gt 4
check "compression: true: nginx sent gzip" bash -c "log_uri() { awk '\$1 == \"/gz.txt\"' '$N/access.log'; }; log_uri | grep -q 'enc=gzip ae=\"[^\"]*gzip'"
check "without compression: no Accept-Encoding, no gzip" \
    bash -c "! awk '\$1 == \"/plain.txt\"' '$N/access.log' | grep -vq 'enc=- ae=\"-\"'"
gz_bytes=$(log_uri /gz.txt | awk 'NR == 1 {print $7}')
plain_bytes=$(log_uri /plain.txt | awk 'NR == 1 {print $7}')
check "gzip shrank the response on the wire ($gz_bytes vs $plain_bytes bytes)" \
    test "$((gz_bytes * 5))" -lt "$plain_bytes"
check "compression: [br, gzip] sends that Accept-Encoding" \
    bash -c "awk '\$1 == \"/list.txt\"' '$N/access.log' | grep -q 'enc=gzip ae=\"br, gzip\"'"
check "resolve: nginx saw Host backend.test:$P on 127.0.0.1" \
    bash -c "awk '\$1 == \"/resolved\" && \$5 == \"127.0.0.1\" && \$6 == \"backend.test:$P\"' '$N/access.log' | grep -q ."
check "resolve to ::1: nginx saw Host v6.test:$P on ::1" \
    bash -c "awk '\$1 == \"/resolved6\" && \$5 == \"::1\" && \$6 == \"v6.test:$P\"' '$N/access.log' | grep -q ."
check "proxy: every proxied request came through tinyproxy (its Via)" \
    bash -c "[ \$(awk '\$1 == \"/proxied\"' '$N/access.log' | grep -c 'via=\"1.1 barrage-e2e') -eq $(lines /proxied) ]"
check "proxy: tinyproxy logged the requests" grep -q "GET http://127.0.0.1:$P/proxied" "$T/log"
check "proxy: HTTPS went through tinyproxy's CONNECT tunnel" \
    grep -q "CONNECT 127.0.0.1:$H2" "$T/log"
check "proxy: ... and reached nginx over HTTP/2 ($(lines /tunnel) requests)" \
    bash -c "awk '\$1 == \"/tunnel\" && \$3 == \"HTTP/2.0\"' '$N/access.log' | grep -q ."
check "socks5://: the worker resolved the name, the proxy got the address" \
    grep -q "^CONNECT ipv4 127.0.0.1:$P\$" "$T/socks.log"
check "socks5h://: the proxy got the name to resolve" \
    grep -q "^CONNECT domain localhost:$P\$" "$T/socks.log"
check "no proxy elsewhere: /direct has no Via" \
    bash -c "! awk '\$1 == \"/direct\"' '$N/access.log' | grep -q 'via=\"1.1'"
check "IPv6: http://[::1]:$P reached nginx on ::1" \
    bash -c "awk '\$1 == \"/v6\" && \$5 == \"::1\"' '$N/access.log' | grep -q ."

# --- shared: HTTP/2 over at most 2 connections, 8 users ----------------------------------
cat >"$E2E_TMP/scn/shared.yaml" <<YAML
host: https://127.0.0.1:$H2
load: {users: 8, spawn_rate: 1000, duration: 1500ms}
defaults: {tls: {ca: ca.pem}, http: "2", connections: {shared: 2, streams: 10}}
users:
  - {name: U, think: constant 5ms, tasks: [{get: /shared, name: shared}]}
YAML
run shared "$E2E_TMP/scn/shared.yaml"
check "shared: requests made, none failed (exit $rc)" all_ok shared "$E2E_TMP/shared.out"
check "shared: 8 users over at most 2 connections (got $(conns /shared))" \
    test "$(conns /shared)" -ge 1 -a "$(conns /shared)" -le 2
check "shared: all of it HTTP/2" \
    bash -c "! awk '\$1 == \"/shared\" && \$3 != \"HTTP/2.0\"' '$N/access.log' | grep -q ."
check "shared: more requests than users ($(lines /shared))" test "$(lines /shared)" -gt 16

# --- new: a connection per request --------------------------------------------------------
cat >"$E2E_TMP/scn/new.yaml" <<YAML
host: https://127.0.0.1:$H2
load: {users: 2, spawn_rate: 100, duration: 1s}
defaults: {tls: {ca: ca.pem}, http: "2", connections: new}
users:
  - {name: U, think: constant 20ms, tasks: [{get: /new, name: new}]}
YAML
run new "$E2E_TMP/scn/new.yaml"
check "new: requests made, none failed (exit $rc)" all_ok new "$E2E_TMP/new.out"
check "new: one connection per request ($(conns /new) for $(lines /new))" \
    test "$(conns /new)" -eq "$(lines /new)" -a "$(lines /new)" -gt 5

# --- shared, waiting for the one connection: timeouts with a reason; host on ::1 -------
start_target --host ::1
check "barrage-target listens on ::1 ($TARGET_URL)" test "${TARGET_URL:0:13}" = "http://[::1]:"
cat >"$E2E_TMP/scn/v6host.yaml" <<YAML
load: {users: 1, duration: 1s}
users:
  - {name: U, think: constant 50ms, tasks: [{get: /, name: root}]}
YAML
run v6host "$E2E_TMP/scn/v6host.yaml" -H "$TARGET_URL"
check "-H http://[::1]:port: requests made, none failed" all_ok root "$E2E_TMP/v6host.out"
cat >"$E2E_TMP/scn/queue.yaml" <<YAML
host: $TARGET_URL
load: {users: 3, spawn_rate: 100, duration: 1s}
defaults: {timeout: 150ms, connections: {shared: 1}}
users:
  - {name: U, tasks: [{get: "/delay?ms=400", name: slow}, {get: /, name: fast}]}
YAML
run queue "$E2E_TMP/scn/queue.yaml"
Q="$E2E_TMP/queue.out"
check "queue: every slow request failed" all_failed slow "$Q"
n_slow=$(fails slow "$Q")
n_timeouts=$(awk '/ GET slow: timeout: / {n += $1} END {print n + 0}' "$Q")
check "queue: each as a timeout, with its reason ($n_timeouts of $n_slow)" \
    test "$n_timeouts" -eq "$n_slow"
max_slow=$(awk '$1 == "GET" && $2 == "slow" {print $7; exit}' "$Q") # the request table's Max
check "queue: none waited for the 400 ms answer ahead of it (max $max_slow ms, timeout 150 ms)" \
    awk -v m="$max_slow" 'BEGIN {exit !(m + 0 > 0 && m + 0 < 380)}'
check "queue: the worker kept to one connection" grep -q " conns 1 " "$Q"

[ "$E2E_FAILED" -eq 0 ] || { cat "$O" "$E2E_TMP/main.err"; tail -20 "$N/access.log"; }
e2e_finish
