#!/usr/bin/env bash
# test_phases: where each request's time went, new connections and bytes on the wire,
# against real servers. The demo target (plain HTTP, keep-alive): no TLS time, connect
# time only on the few new connections (one per user), wait ≈ /delay?ms=N, the phases'
# averages add up to the measured response time, and the summary, JSON, CSV and HTML
# report say so; `barrage report` gives the same CSV from the JSON. Debian's nginx over
# HTTPS (a CA and certificate made by openssl): TLS time on new connections, one
# connection per user (nginx's $connection agrees), and with `gzip on` wire bytes that
# are nginx's $bytes_sent (headers + compressed body) against the full size without it.
. "$(dirname "$0")/lib.sh"

BUILD=$(cd "$BUILD" && pwd)
# jq-free reads of the JSON result: python3 (Debian's) is there, like for free_port.
jget() { # jget FILE NAME EXPR: EXPR over the stats row named NAME (r) or "aggregated"
    /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
name = sys.argv[2]
r = doc["aggregated"] if name == "aggregated" else next(
    x for x in doc["stats"] if x["name"] == name)
ph = r.get("phases", {})
print(eval(sys.argv[3]))
PY
}
# is PYTHON-EXPR: true when the expression holds.
is() { [ "$(/usr/bin/python3 -c "print(bool($1))")" = True ]; }

# --- the demo target: plain HTTP --------------------------------------------------------
start_target
cat >"$E2E_TMP/plain.yaml" <<YAML
host: $TARGET_URL
load: {users: 4, spawn_rate: 100, duration: 3s}
users:
  - name: U
    think: none
    tasks:
      - name: t
        steps:
          - {get: "/delay?ms=40", name: delay}
          - {get: "/json?bytes=3000", name: json}
YAML
timeout 60 "$BUILD/barrage" run "$E2E_TMP/plain.yaml" --workers 1 --json "$E2E_TMP/plain.json" \
    --csv "$E2E_TMP/plain" --html "$E2E_TMP/plain.html" >"$E2E_TMP/plain.out" \
    2>"$E2E_TMP/plain.err"
rc=$?
check "the plain run exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/plain.err"
J="$E2E_TMP/plain.json"
n_delay=$(jget "$J" delay 'r["requests"]')
check "requests were made ($n_delay to /delay)" test "${n_delay:-0}" -ge 40
wait_ms=$(jget "$J" delay 'ph["wait"]["avg_ms"]')
check "wait ≈ the target's delay of 40 ms (avg $wait_ms ms)" is "40 <= $wait_ms < 48"
check "no TLS time without TLS (every request 1 us, the histogram's floor)" \
    is "$(jget "$J" aggregated 'ph["tls"]["histogram"]["max_us"]') <= 1"
check "connect time on the new connections (max > 10 us)" \
    is "$(jget "$J" aggregated 'ph["connect"]["histogram"]["max_us"]') > 10"
check "no connect time on reused ones (p95 <= 1 us)" \
    is "$(jget "$J" aggregated 'ph["connect"]["p95_ms"]') <= 0.001"
for name in delay json aggregated; do
    sum=$(jget "$J" $name 'round(sum(p["histogram"]["sum_us"] for p in ph.values()) / ph["dns"]["histogram"]["count"] / 1000, 3)')
    avg=$(jget "$J" $name 'r["avg_ms"]')
    # curl's total is the response time but for the engine's own few microseconds.
    check "$name: the phases add up to the response time (sum of averages $sum, avg $avg ms)" \
        is "0 <= $avg - $sum < 0.5"
done
check "every request's phases were measured" \
    is "$(jget "$J" aggregated 'ph["wait"]["histogram"]["count"] == r["requests"]')"
conns=$(jget "$J" aggregated 'r["connections_opened"]')
check "keep-alive: one new connection per user ($conns for 4 users)" is "4 <= $conns <= 6"
check "the first step opened them (delay: $(jget "$J" delay 'r["connections_opened"]'))" \
    is "$(jget "$J" delay 'r["connections_opened"]') >= 4"
hdr=$(jget "$J" json '(r["wire_bytes"] - r["bytes"]) / r["requests"]')
check "wire bytes = body + headers (json: $hdr header bytes per response)" is "60 < $hdr < 400"
check "the summary has the phases table" grep -q "^Where the time went" "$E2E_TMP/plain.out"
check "... with a row per name" \
    bash -c "sed -n '/^Where the time went/,/^\$/p' '$E2E_TMP/plain.out' | grep -q '^GET  *delay '"
check "the summary has the connections and bytes table" \
    grep -q "^Connections and bytes received" "$E2E_TMP/plain.out"
check "PREFIX_phases.csv has the names and the aggregate" \
    bash -c "grep -q '^GET,delay,' '$E2E_TMP/plain_phases.csv' && grep -q '^,Aggregated,' '$E2E_TMP/plain_phases.csv'"
check "the HTML report has the section and its chart" \
    bash -c "grep -q '<h2>Where the time went</h2>' '$E2E_TMP/plain.html' && grep -q 'Where the time went (average per request)' '$E2E_TMP/plain.html'"
mkdir -p "$E2E_TMP/re"
timeout 30 "$BUILD/barrage" report "$J" --csv "$E2E_TMP/re/plain" --json "$E2E_TMP/re/plain.json" \
    >"$E2E_TMP/re.out" 2>"$E2E_TMP/re.err"
check "barrage report reads the phases back (exit $?)" test -s "$E2E_TMP/re/plain.json"
check "... and writes the same PREFIX_phases.csv" \
    cmp -s "$E2E_TMP/plain_phases.csv" "$E2E_TMP/re/plain_phases.csv"
check "... and the same JSON" cmp -s "$J" "$E2E_TMP/re/plain.json"

# --- nginx over HTTPS, with and without gzip ------------------------------------------
tools_required nginx openssl
C="$E2E_TMP/certs"
mkdir -p "$C"
make_ca ca
sign server 127.0.0.1 "subjectAltName=IP:127.0.0.1"
/usr/bin/python3 -c 'print("barrage phases " * 4000)' >"$E2E_TMP/big.txt" # 60 KB, compressible
mkdir -p "$E2E_TMP/www/plain" && cp "$E2E_TMP/big.txt" "$E2E_TMP/www/" &&
    cp "$E2E_TMP/big.txt" "$E2E_TMP/www/plain/"
# nginx's worker runs as nobody when the test runs as root: it must read the files.
chmod a+rx "$E2E_TMP" "$E2E_TMP/www" "$E2E_TMP/www/plain" && chmod a+r "$E2E_TMP"/www/*.txt \
    "$E2E_TMP"/www/plain/*.txt
N="$E2E_TMP/nginx"
mkdir -p "$N"
https_answers() { curl -s --max-time 1 -o /dev/null --cacert "$C/ca.pem" "https://127.0.0.1:$TLS/big.txt"; }
write_conf() {
    TLS=$(free_port)
    {
        nginx_head "$N"
        cat <<CONF
    log_format bytes '\$uri \$connection \$bytes_sent \$body_bytes_sent';
    access_log $N/access.log bytes;
    server {
        listen 127.0.0.1:$TLS ssl;
        ssl_certificate $C/server.pem;
        ssl_certificate_key $C/server.key;
        root $E2E_TMP/www;
        gzip on;
        gzip_types text/plain;
        location /plain/ { gzip off; }
    }
}
CONF
    } >"$N/nginx.conf"
}
started=0
nginx_start "$N" write_conf https_answers && started=1
check "nginx serves HTTPS with gzip (port $TLS)" test "$started" -eq 1
[ "$started" -eq 1 ] || { cat "$N/error.log" "$N/stdout"; e2e_finish; exit 1; }
: >"$N/access.log" # the probe's request is not the run's
mkdir -p "$E2E_TMP/tls/certs"
cp "$C/ca.pem" "$E2E_TMP/tls/certs/"
cat >"$E2E_TMP/tls/tls.yaml" <<YAML
host: https://127.0.0.1:$TLS
load: {users: 2, spawn_rate: 100, duration: 2s}
defaults:
  tls: {ca: certs/ca.pem}
  headers: {Accept-Encoding: gzip}
users:
  - name: U
    think: constant 10ms
    tasks:
      - name: t
        steps:
          - {get: /big.txt, name: gzip}
          - {get: /plain/big.txt, name: plain}
YAML
timeout 60 "$BUILD/barrage" run "$E2E_TMP/tls/tls.yaml" --workers 1 --json "$E2E_TMP/tls.json" \
    >"$E2E_TMP/tls.out" 2>"$E2E_TMP/tls.err"
rc=$?
check "the HTTPS run exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/tls.err"
T="$E2E_TMP/tls.json"
check "no failures over HTTPS" is "$(jget "$T" aggregated 'r["failures"]') == 0"
tls_max=$(jget "$T" gzip 'ph["tls"]["histogram"]["max_us"]')
check "TLS time on the new connections (handshake up to $tls_max us)" is "$tls_max > 100"
check "no TLS time on reused connections (p95 <= 1 us)" \
    is "$(jget "$T" aggregated 'ph["tls"]["p95_ms"]') <= 0.001"
check "the phases add up over HTTPS too" \
    is "0 <= $(jget "$T" aggregated 'r["avg_ms"] - sum(p["histogram"]["sum_us"] for p in ph.values()) / ph["dns"]["histogram"]["count"] / 1000') < 0.5"
nginx_conns=$(awk '{print $2}' "$N/access.log" | sort -u | wc -l)
conns=$(jget "$T" aggregated 'r["connections_opened"]')
check "one new connection per user: $conns, as nginx saw ($nginx_conns)" \
    test "$conns" -eq 2 -a "$nginx_conns" -eq 2
check "the first step opened them" is "$(jget "$T" gzip 'r["connections_opened"]') == 2"
# nginx's $bytes_sent: headers + body as sent (no TLS overhead), the same for every
# response of a file.
sent() { awk -v u="$1" '$1 == u {print $3; exit}' "$N/access.log"; }
plain_sent=$(sent /plain/big.txt) gzip_sent=$(sent /big.txt)
plain_wire=$(jget "$T" plain 'r["wire_bytes"] / r["requests"]')
gzip_wire=$(jget "$T" gzip 'r["wire_bytes"] / r["requests"]')
check "without gzip: wire bytes per response = nginx's \$bytes_sent ($plain_wire, $plain_sent)" \
    is "$plain_wire == $plain_sent"
# With gzip nginx sends the body chunked: curl counts the body without the chunk
# framing (a few bytes per chunk).
check "with gzip: wire bytes per response ≈ nginx's \$bytes_sent ($gzip_wire, $gzip_sent)" \
    is "0.9 * $gzip_sent < $gzip_wire <= $gzip_sent"
check "gzip shrinks the wire bytes ($gzip_wire against $plain_wire per response)" \
    is "$gzip_wire * 10 < $plain_wire"
check "the summary shows both in its bytes table" \
    bash -c "sed -n '/^Connections and bytes/,/^\$/p' '$E2E_TMP/tls.out' | grep -q '^GET  *gzip '"
e2e_finish
