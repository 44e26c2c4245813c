#!/usr/bin/env bash
# test_tls: TLS options and HTTP versions against Debian's nginx, started by the test
# with certificates it makes with openssl (a CA, a server certificate for 127.0.0.1 and
# localhost, one that expired yesterday, a client certificate, and a second CA that
# signed nothing we serve). nginx serves HTTPS with HTTP/2, HTTPS with HTTP/1.1 only
# (TLS 1.2 only), h2c, HTTPS with the expired certificate, and HTTPS that requires a
# client certificate; its access log names the protocol of every
# request ($server_protocol). Checks: verification on by default (the system CAs do not
# trust our CA: a tls failure with curl's reason), success with ca:, with verify: false
# and with --tls-no-verify, a name mismatch, an expired certificate, min_version 1.3
# refused by a TLS 1.2 server, the client certificate (and nginx's 400 without it),
# HTTP/2 in nginx's log, the fallback to HTTP/1.1 said in the summary, the JSON result
# and the HTML report, h2c, and the scenario errors of the new keys.
. "$(dirname "$0")/lib.sh"

nginx_required "TLS is not checked"

# --- certificates -----------------------------------------------------------------
C="$TLS_CERTS"
tls_make_ca ca
tls_make_ca other-ca
tls_sign server 127.0.0.1 "subjectAltName=IP:127.0.0.1,DNS:localhost"
tls_sign expired 127.0.0.1 "subjectAltName=IP:127.0.0.1,DNS:localhost" -1 # ended yesterday
tls_sign client barrage-client "extendedKeyUsage=clientAuth"
check "openssl made the CA, server and client certificates" \
    test -s "$C/ca.pem" -a -s "$C/server.pem" -a -s "$C/client.pem" -a -s "$C/other-ca.pem" \
    -a -s "$C/expired.pem"

# --- nginx ----------------------------------------------------------------------------
N="$E2E_TMP/nginx"
mkdir -p "$N"
h2c_answers() {
    curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$H2C/" --http2-prior-knowledge
}
start_nginx() {
    H2=$(free_port) H11=$(free_port) H2C=$(free_port) MTLS=$(free_port) EXP=$(free_port)
    cat >"$N/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $N/nginx.pid;
error_log $N/error.log warn;
events { worker_connections 256; }
http {
    log_format proto '\$server_port \$server_protocol \$uri \$status';
    access_log $N/access.log proto;
$(nginx_temp_paths "$N")
    ssl_certificate $C/server.pem;
    ssl_certificate_key $C/server.key;
    server { # HTTPS, HTTP/2 by ALPN; also on 127.0.0.2, an address the certificate lacks
        listen 127.0.0.1:$H2 ssl http2;
        listen 127.0.0.2:$H2 ssl http2;
        location / { return 200 "h2\n"; }
    }
    server { # HTTPS, HTTP/1.1 only, TLS 1.2 only
        listen 127.0.0.1:$H11 ssl;
        ssl_protocols TLSv1.2;
        location / { return 200 "h11\n"; }
    }
    server { # h2c: HTTP/2 in clear text, prior knowledge
        listen 127.0.0.1:$H2C http2;
        location / { return 200 "h2c\n"; }
    }
    server { # a certificate that expired yesterday
        listen 127.0.0.1:$EXP ssl;
        ssl_certificate $C/expired.pem;
        ssl_certificate_key $C/expired.key;
        location / { return 200 "expired\n"; }
    }
    server { # mutual TLS
        listen 127.0.0.1:$MTLS ssl http2;
        ssl_client_certificate $C/ca.pem;
        ssl_verify_client on;
        location / { return 200 "hello \$ssl_client_s_dn\n"; }
    }
}
CONF
    nginx_launch "$N" h2c_answers
}
started=0
for _ in 1 2 3; do # a port taken between free_port and nginx's bind: try new ones
    if start_nginx; then started=1; break; fi
    nginx_stop
done
check "nginx serves HTTPS, h2c and mutual TLS (ports $H2 $H11 $H2C $MTLS $EXP)" test "$started" -eq 1
[ "$started" -eq 1 ] || { cat "$N/error.log" "$N/stdout"; e2e_finish; exit 1; }
check "curl agrees the certificate is valid for 127.0.0.1 under our CA" \
    curl -s --max-time 5 -o /dev/null --cacert "$C/ca.pem" "https://127.0.0.1:$H2/"

run() { # run NAME SCENARIO ARGS...; sets rc
    timeout 60 "$BUILD/barrage" run "$2" --workers 1 --json "$E2E_TMP/$1.json" "${@:3}" \
        >"$E2E_TMP/$1.out" 2>"$E2E_TMP/$1.err"
    rc=$?
}
# row NAME FILE: the summary's "GET NAME REQS FAILS" row.
row() { summary_counts "$2" | awk -v n="$1" '$2 == n'; }
reqs() { row "$1" "$2" | awk '{print $3}'; }
fails() { row "$1" "$2" | awk '{print $4}'; }
# all_ok NAME FILE: requests made, none failed.
all_ok() { local n f; n=$(reqs "$1" "$2"); f=$(fails "$1" "$2"); [ "${n:-0}" -gt 0 ] && [ "$f" = 0 ]; }
# all_failed NAME FILE: requests made, every one failed.
all_failed() { local n f; n=$(reqs "$1" "$2"); f=$(fails "$1" "$2"); [ "${n:-0}" -gt 0 ] && [ "$f" = "$n" ]; }
# logged PORT PROTOCOL URI: nginx logged at least one such request.
logged() { grep -q "^$1 $2 $3 " "$N/access.log"; }

# --- the scenario: every case a step, so each runs at every iteration ------------------
mkdir -p "$E2E_TMP/scn/certs"
cp "$C/ca.pem" "$C/other-ca.pem" "$C/client.pem" "$C/client.key" "$E2E_TMP/scn/certs/"
cat >"$E2E_TMP/scn/tls.yaml" <<YAML
host: https://127.0.0.1:$H2
load: {users: 2, spawn_rate: 100, duration: 2s}
defaults:
  tls: {ca: certs/ca.pem, min_version: "1.2"}
  http: "2"
users:
  - name: U
    think: constant 20ms
    tasks:
      - name: all
        steps:
          - {get: /h2, name: h2}
          - {get: /http11, name: http11, http: "1.1"}
          - {get: "https://127.0.0.1:$H11/fallback", name: fallback}
          - {get: "http://127.0.0.1:$H2C/h2c", name: h2c, http: h2c}
          - {get: /noverify, name: noverify, tls: {ca: certs/other-ca.pem, verify: false}}
          - {get: /wrongca, name: wrongca, tls: {ca: certs/other-ca.pem}}
          - {get: "https://127.0.0.2:$H2/mismatch", name: mismatch}
          - {get: "https://127.0.0.1:$H11/min13", name: min13, tls: {min_version: "1.3"}}
          - {get: "https://127.0.0.1:$EXP/expired", name: expired}
          - {get: "https://127.0.0.1:$MTLS/mtls", name: mtls,
             tls: {cert: certs/client.pem, key: certs/client.key}}
          - {get: "https://127.0.0.1:$MTLS/nocert", name: nocert}
YAML
# The run starts elsewhere: workers get the files from the master, not from disk.
BUILD=$(cd "$BUILD" && pwd)
(cd / && run tls "$E2E_TMP/scn/tls.yaml" --html "$E2E_TMP/tls.html" && exit "$rc")
rc=$?
O="$E2E_TMP/tls.out"
check "the TLS run ends (exit $rc)" test -s "$O"
[ -s "$O" ] || cat "$E2E_TMP/tls.err"
check "with ca: the server's certificate is trusted (h2)" all_ok h2 "$O"
check "verify: false accepts a certificate its ca did not sign (noverify)" all_ok noverify "$O"
check "a ca that did not sign the server's certificate fails every request (wrongca)" \
    all_failed wrongca "$O"
check "that failure is 'tls' with curl's reason" \
    grep -Eq "GET wrongca: tls: SSL certificate problem: (self-signed certificate in certificate chain|unable to get local issuer certificate)" "$O"
check "a name the certificate lacks fails as tls: no alternative subject name (mismatch)" \
    grep -q "GET mismatch: tls: SSL: no alternative certificate subject name matches target host name '127.0.0.2'" "$O"
check "every mismatch request failed" all_failed mismatch "$O"
check "an expired certificate fails as tls: certificate has expired" \
    grep -q "GET expired: tls: SSL certificate problem: certificate has expired" "$O"
check "every expired request failed" all_failed expired "$O"
check "min_version 1.3 against a TLS 1.2 server fails as tls (min13)" \
    grep -Eq "GET min13: tls: .*(protocol version|alert)" "$O"
check "every min13 request failed" all_failed min13 "$O"
check "the client certificate is accepted (mtls)" all_ok mtls "$O"
check "nginx saw the client's certificate" grep -q "^$MTLS HTTP/2.0 /mtls 200" "$N/access.log"
check "without a client certificate nginx answers 400 (nocert)" \
    grep -q "GET nocert: HTTP 400" "$O"
check "every nocert request failed" all_failed nocert "$O"
check "http: \"2\" went over HTTP/2 (nginx's log)" logged "$H2" HTTP/2.0 /h2
check "no /h2 request went over HTTP/1.1" bash -c "! grep -q '^$H2 HTTP/1.1 /h2 ' '$N/access.log'"
check "http: \"1.1\" per request overrides the defaults' \"2\"" logged "$H2" HTTP/1.1 /http11
check "no /http11 request went over HTTP/2" bash -c "! grep -q '^$H2 HTTP/2.0 /http11 ' '$N/access.log'"
check "a server without HTTP/2 is reached over HTTP/1.1 (fallback)" all_ok fallback "$O"
check "nginx logged the fallback as HTTP/1.1" logged "$H11" HTTP/1.1 /fallback
check "h2c works" all_ok h2c "$O"
check "nginx logged h2c as HTTP/2.0" logged "$H2C" HTTP/2.0 /h2c

# What came back is counted per name and said: summary, JSON result, HTML report.
n_fallback=$(reqs fallback "$O")
check "the summary says the fallback ($n_fallback requests)" \
    grep -q "^GET fallback: asked HTTP/2, got HTTP/1.1 for $n_fallback of $n_fallback responses$" "$O"
check "the summary has no fallback line for h2 or h2c" \
    bash -c "! grep -Eq '^GET (h2|h2c): asked' '$O'"
check "the summary's HTTP versions table counts h2's responses in HTTP/2" \
    grep -Eq "^GET +h2 +2 +HTTP/2 $(reqs h2 "$O")\$" "$O"
J="$E2E_TMP/tls.json"
json_row() { # json_row NAME: the stats row of NAME, compact
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
r=[x for x in d["stats"] if x["name"]==sys.argv[2]][0]
print(json.dumps({"http": r.get("http"), "v": r.get("http_versions"), "n": r["requests"]}, sort_keys=True))' "$J" "$1"
}
check "JSON: fallback asked 2, all its responses in 1.1" \
    test "$(json_row fallback)" = "{\"http\": \"2\", \"n\": $n_fallback, \"v\": {\"1.1\": $n_fallback}}"
n_h2=$(reqs h2 "$O")
check "JSON: h2 asked 2, all its responses in 2" \
    test "$(json_row h2)" = "{\"http\": \"2\", \"n\": $n_h2, \"v\": {\"2\": $n_h2}}"
n_h2c=$(reqs h2c "$O")
check "JSON: h2c asked h2c, all its responses in 2" \
    test "$(json_row h2c)" = "{\"http\": \"h2c\", \"n\": $n_h2c, \"v\": {\"2\": $n_h2c}}"
n_http11=$(reqs http11 "$O")
check "JSON: http11 asked 1.1, all its responses in 1.1" \
    test "$(json_row http11)" = "{\"http\": \"1.1\", \"n\": $n_http11, \"v\": {\"1.1\": $n_http11}}"
check "JSON: wrongca had no response to count" \
    test "$(json_row wrongca | grep -o '"v": [a-z]*')" = '"v": null'
check "the HTML report has the HTTP versions table with the fallback" \
    grep -q "asked HTTP/2, got HTTP/1.1 for $n_fallback of $n_fallback responses" "$E2E_TMP/tls.html"
timeout 30 "$BUILD/barrage" report "$J" >"$E2E_TMP/report.out" 2>&1
check "barrage report reads the versions back and says the fallback again" \
    grep -q "^GET fallback: asked HTTP/2, got HTTP/1.1 for $n_fallback of $n_fallback responses$" \
    "$E2E_TMP/report.out"

# --- verification on by default, and --tls-no-verify ------------------------------------
cat >"$E2E_TMP/scn/plain.yaml" <<YAML
host: https://127.0.0.1:$H2
load: {users: 1, duration: 1s}
users:
  - name: U
    think: constant 50ms
    tasks: [{get: /plain, name: plain}]
YAML
run plain "$E2E_TMP/scn/plain.yaml"
check "without tls: the system CAs do not trust our CA: every request fails" \
    all_failed plain "$E2E_TMP/plain.out"
check "... as tls with curl's reason" \
    grep -q "GET plain: tls: SSL certificate problem: unable to get local issuer certificate" \
    "$E2E_TMP/plain.out"
run noverify "$E2E_TMP/scn/plain.yaml" --tls-no-verify
check "--tls-no-verify: the same scenario succeeds (exit $rc)" all_ok plain "$E2E_TMP/noverify.out"
check "--tls-no-verify: no tls failure" bash -c "! grep -q 'tls:' '$E2E_TMP/noverify.out'"

# --- scenario errors ------------------------------------------------------------------
cat >"$E2E_TMP/scn/bad.yaml" <<YAML
host: https://127.0.0.1:$H2
defaults:
  tls: {ca: certs/missing.pem, verify: maybe}
  http: "3"
users:
  - name: U
    tasks: [{get: /, tls: {key: certs/client.key, min_version: "1.1", cafile: x}}]
YAML
timeout 30 "$BUILD/barrage" validate "$E2E_TMP/scn/bad.yaml" >/dev/null 2>"$E2E_TMP/bad.err"
rc=$?
check "a bad tls: block exits 2 (got $rc)" test "$rc" -eq 2
check "a missing ca file is named with its position" \
    grep -q "bad.yaml:3:13: error: cannot read ca file 'certs/missing.pem': No such file or directory" \
    "$E2E_TMP/bad.err"
check "verify: maybe is refused" grep -q "bad.yaml:3:40: error: verify must be true or false (got 'maybe')" "$E2E_TMP/bad.err"
check "http: \"3\" is refused" grep -q "bad.yaml:4:9: error: http must be \"1.1\", \"2\" or \"h2c\" (got '3')" "$E2E_TMP/bad.err"
check "a key without a cert is refused" grep -q "bad.yaml:7:27: error: tls has a key but no cert" "$E2E_TMP/bad.err"
check "min_version 1.1 is refused" grep -q "bad.yaml:7:64: error: min_version must be \"1.2\" or \"1.3\" (got '1.1')" "$E2E_TMP/bad.err"
check "an unknown tls key is refused" grep -q "bad.yaml:7:71: error: unknown key 'cafile' in tls (expected verify, ca, cert, key or min_version)" "$E2E_TMP/bad.err"
[ "$E2E_FAILED" -eq 0 ] || { cat "$E2E_TMP/tls.out" "$E2E_TMP/bad.err"; tail -5 "$N/error.log"; }
e2e_finish
