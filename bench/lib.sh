# shellcheck shell=bash
# lib.sh: shared pieces of the bench scripts (sourced): argument checks, a private nginx on
# 127.0.0.1 in a temp dir, and one pinned, bounded, measured run of a load generator.
#
# The sourcing script sets BENCH_NAME (message prefix) before sourcing, then calls
# bench_parse_duration, bench_resolve_build, bench_check_pinning, bench_tmp_init and
# bench_nginx_start. Everything the scripts start is stopped by PID on exit.

# shellcheck disable=SC2034 # R_* and the paths are read by the sourcing scripts
BENCH_HOST=127.0.0.1 # the only address these scripts ever target
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
NGINX_CPU=${NGINX_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
# PROTO: what nginx speaks — http (HTTP/1.1), https (HTTP/1.1 over TLS), h2 (HTTP/2 over
# TLS, ALPN) or h2c (HTTP/2 in clear, prior knowledge). TLS uses a self-signed certificate
# made in TMP; the probes and counters below speak the same.
PROTO=${PROTO:-http}
case $PROTO in
http | h2c) BENCH_SCHEME=http ;;
https | h2) BENCH_SCHEME=https ;;
*) printf 'bench: error: PROTO must be http, https, h2 or h2c (got %s)\n' "$PROTO" >&2; exit 2 ;;
esac
BENCH_CURL=(curl -fsS -k)
[[ $PROTO == h2c ]] && BENCH_CURL+=(--http2-prior-knowledge)
CLK_TCK=$(getconf CLK_TCK)

die() { printf '%s: error: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; exit 2; }
note() { printf '%s: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; }

# bench_parse_duration D: sets DURATION_S from 10s, 2m or 1h, and LIMIT_S, the hard bound
# on each load run (duration + 30 s).
bench_parse_duration() {
    if [[ $1 =~ ^([1-9][0-9]*)(s|m|h)$ ]]; then
        case ${BASH_REMATCH[2]} in
        s) DURATION_S=${BASH_REMATCH[1]} ;;
        m) DURATION_S=$((BASH_REMATCH[1] * 60)) ;;
        h) DURATION_S=$((BASH_REMATCH[1] * 3600)) ;;
        esac
    else
        die "DURATION must look like 10s, 2m or 1h (got '$1')"
    fi
    LIMIT_S=$((DURATION_S + 30))
}

# bench_resolve_build DIR: sets BUILD and BARRAGE, checks both binaries, warns on -O0.
bench_resolve_build() {
    BUILD=$1
    if [[ $BUILD != /* && ! -d $BUILD && -d $REPO_DIR/$BUILD ]]; then BUILD=$REPO_DIR/$BUILD; fi
    BARRAGE=$BUILD/barrage
    [[ -x $BARRAGE ]] || die "$BARRAGE is missing or not executable; build it first:
  cmake -S . -B $BUILD -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build $BUILD -j2 --target barrage barrage-worker"
    [[ -x $BUILD/barrage-worker ]] || die "$BUILD/barrage-worker is missing; build target barrage-worker"
    case $(grep -s '^CMAKE_BUILD_TYPE:' "$BUILD/CMakeCache.txt" | cut -d= -f2) in
    Release | RelWithDebInfo | MinSizeRel) ;;
    *) note "warning: $BUILD is not an optimised build (CMAKE_BUILD_TYPE empty or Debug); for fair numbers:"
       note "  cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build-bench -j2" ;;
    esac
}

# bench_check_pinning: the two cores exist and differ; nginx and time are there.
bench_check_pinning() {
    local tool cpu
    for tool in nginx taskset timeout curl awk ps; do
        command -v "$tool" >/dev/null ||
            die "$tool not found (Debian: apt-get install nginx-light util-linux coreutils curl gawk procps)"
    done
    [[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian: apt-get install time)"
    nginx -V 2>&1 | grep -q -- --with-http_stub_status_module ||
        die "this nginx lacks the stub_status module (nginx-light has it)"
    for cpu in "$NGINX_CPU" "$GEN_CPU"; do
        taskset -c "$cpu" true 2>/dev/null || die "cannot pin to CPU $cpu (this needs 2 cores; see NGINX_CPU/GEN_CPU)"
    done
    [[ $NGINX_CPU != "$GEN_CPU" ]] || die "NGINX_CPU and GEN_CPU must differ"
}

# ---- temp dir and cleanup -----------------------------------------------------------------
BENCH_PIDS=()
NGINX_PID=

# Stops one process we started: TERM, up to 5 s, then KILL.
bench_stop_pid() {
    local pid=$1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do bench_stop_pid "$pid"; done
    bench_stop_pid "$NGINX_PID"
    if [[ ${KEEP_TMP:-0} == 1 ]]; then note "kept $TMP"; else rm -rf "$TMP"; fi
}

bench_tmp_init() {
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/barrage-bench.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

# ---- private nginx ------------------------------------------------------------------------
BENCH_NGINX_SENDFILE=${BENCH_NGINX_SENDFILE:-on}
# A free port below the kernel's ephemeral range: a port inside it can be taken by an
# outgoing connection (10,000 idle users hold 10,000 of them), and a client connecting
# to an unbound port there can even connect to itself. A bind race is retried by callers.
bench_free_port() {
    local p lo
    lo=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null) || true
    [[ ${lo:-} =~ ^[0-9]+$ && $lo -gt 12000 ]] || lo=32768
    for _ in $(seq 50); do
        p=$((10000 + RANDOM % (lo - 10000)))
        [[ -z $(ss -Htan "sport = :$p" 2>/dev/null) ]] && { echo "$p"; return 0; }
    done
    return 1
}

# The listen directive's options and the certificate lines PROTO needs.
s_listen_options() {
    case $PROTO in
    https) printf ' ssl;\n        ssl_certificate %s;\n        ssl_certificate_key %s' "$TMP/cert.pem" "$TMP/key.pem" ;;
    h2) printf ' ssl http2;\n        ssl_certificate %s;\n        ssl_certificate_key %s' "$TMP/cert.pem" "$TMP/key.pem" ;;
    h2c) printf ' http2' ;;
    esac
}

# A self-signed EC certificate for 127.0.0.1 in TMP (TLS protocols only).
s_make_cert() {
    [[ $BENCH_SCHEME == https ]] || return 0
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -subj "/CN=$BENCH_HOST" \
        -addext "subjectAltName=IP:$BENCH_HOST" 2>"$TMP/openssl.err" ||
        { cat "$TMP/openssl.err" >&2; die "openssl could not make a certificate"; }
    chmod 644 "$TMP/key.pem" "$TMP/cert.pem"
}

s_write_nginx_conf() {
    local user_line=
    if [[ $(id -u) == 0 ]]; then
        if getent group nogroup >/dev/null; then user_line="user nobody nogroup;"; else user_line="user nobody;"; fi
    fi
    cat >"$TMP/nginx.conf" <<EOF
# generated by bench/lib.sh; everything lives in $TMP
$user_line
daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $TMP/nginx.pid;
error_log $TMP/error.log warn;
events { worker_connections 16384; }
http {
    access_log off;
    client_body_temp_path $TMP/tmp/body;
    proxy_temp_path $TMP/tmp/proxy;
    fastcgi_temp_path $TMP/tmp/fastcgi;
    uwsgi_temp_path $TMP/tmp/uwsgi;
    scgi_temp_path $TMP/tmp/scgi;
    default_type text/html;
    sendfile $BENCH_NGINX_SENDFILE;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    server {
        listen $BENCH_HOST:$PORT$(s_listen_options);
        root $TMP/www;
        location = / { index index.html; }
        location /items/ { try_files /index.html =404; }
        location = /nginx_status { stub_status; }
    }
}
EOF
}

# Requests nginx has read so far (the status query itself included).
nginx_requests() {
    "${BENCH_CURL[@]}" --max-time 5 "$BENCH_SCHEME://$BENCH_HOST:$PORT/nginx_status" | awk 'NR == 3 { print $3 }'
}

# Connections nginx holds open now (the status query's own included).
nginx_active() {
    "${BENCH_CURL[@]}" --max-time 5 "$BENCH_SCHEME://$BENCH_HOST:$PORT/nginx_status" | awk 'NR == 1 { print $3 }'
}

# bench_nginx_start: nginx (one worker, pinned to NGINX_CPU) serving a 100-byte index at /
# from TMP; sets NGINX_PID, PORT and URL. BENCH_NGINX_SENDFILE (default on) is its
# `sendfile`: off makes nginx write each response's headers and body in one writev, so a
# response never reaches the client in two pieces (instructions.sh: fewer timing-dependent
# code paths in the client).
bench_nginx_start() {
    mkdir -p "$TMP/www" "$TMP/tmp"
    # 100 bytes exactly: 99 characters and a newline.
    printf '%s\n' "$(head -c 99 /dev/zero | tr '\0' 'x')" >"$TMP/www/index.html"
    # nginx run as root drops its worker to an unprivileged user, who must read the docroot.
    chmod 755 "$TMP" "$TMP/www"
    chmod 644 "$TMP/www/index.html"
    s_make_cert
    for _ in 1 2 3 4 5; do
        PORT=$(bench_free_port) || die "no free port found on $BENCH_HOST"
        s_write_nginx_conf
        # -e: the startup error log, before the config is read, stays in TMP too.
        taskset -c "$NGINX_CPU" nginx -p "$TMP" -e "$TMP/error.log" -c "$TMP/nginx.conf" \
            </dev/null >>"$TMP/nginx.out" 2>&1 &
        NGINX_PID=$!
        for _ in $(seq 50); do
            if ! kill -0 "$NGINX_PID" 2>/dev/null; then break; fi
            if "${BENCH_CURL[@]}" --max-time 1 -o /dev/null "$BENCH_SCHEME://$BENCH_HOST:$PORT/" 2>/dev/null; then
                URL="$BENCH_SCHEME://$BENCH_HOST:$PORT/"
                [[ $("${BENCH_CURL[@]}" "$URL" | wc -c) == 100 ]] || die "nginx does not serve the 100-byte index at $URL"
                return 0
            fi
            sleep 0.1
        done
        bench_stop_pid "$NGINX_PID"
        NGINX_PID=
    done
    cat "$TMP/error.log" "$TMP/nginx.out" >&2 2>/dev/null || true
    die "nginx did not start"
}

# ---- barrage for PROTO ------------------------------------------------------------------------
# bench_proto_scenario: SCENARIO with PROTO's transport in its defaults (TLS without
# verification: the certificate is the bench's own; HTTP/2 over H2_CONNS shared connections
# of H2_STREAMS streams), written to TMP; prints the file to run.
bench_proto_scenario() {
    local defaults
    case $PROTO in
    http) echo "$SCENARIO"; return 0 ;;
    https) defaults='{tls: {verify: false}, http: "1.1"}' ;;
    h2) defaults="{tls: {verify: false}, http: \"2\", connections: {shared: $H2_CONNS, streams: $H2_STREAMS}}" ;;
    h2c) defaults="{http: h2c, connections: {shared: $H2_CONNS, streams: $H2_STREAMS}}" ;;
    esac
    { cat "$SCENARIO"; echo "defaults: $defaults"; } >"$TMP/scenario-$PROTO.yaml"
    echo "$TMP/scenario-$PROTO.yaml"
}

# bench_proto_users N: the users (curl_loop's handles) for PROTO: N, or for HTTP/2 as many
# as h2load has streams in flight, H2_CONNS x H2_STREAMS.
bench_proto_users() {
    case $PROTO in
    h2 | h2c) echo $((H2_CONNS * H2_STREAMS)) ;;
    *) echo "$1" ;;
    esac
}

# bench_curl_loop_args N: sets CURL_LOOP_ARGS, curl_loop's arguments for PROTO: URL, its
# handles (bench_proto_users N), DURATION_S, and for HTTP/2 the version, H2_CONNS, H2_STREAMS.
bench_curl_loop_args() {
    CURL_LOOP_ARGS=("$URL" "$(bench_proto_users "$1")" "$DURATION_S")
    case $PROTO in
    h2) CURL_LOOP_ARGS+=(2 "$H2_CONNS" "$H2_STREAMS") ;;
    h2c) CURL_LOOP_ARGS+=(h2c "$H2_CONNS" "$H2_STREAMS") ;;
    esac
}

# ---- one measured run ---------------------------------------------------------------------
# Busy jiffies (everything but idle and iowait) of one CPU, from /proc/stat.
cpu_busy_ticks() {
    awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# Largest summed RSS (KB) of process group $1, sampled every 0.25 s while it lives; the
# wrappers (taskset, timeout, time) are left out. Written to $2.
s_rss_sampler() {
    local pgid=$1 out=$2 peak=0 s
    while kill -0 -- "-$pgid" 2>/dev/null; do
        s=$(ps -o rss=,comm= -g "$pgid" 2>/dev/null |
            awk '$2 != "time" && $2 != "timeout" && $2 != "taskset" { s += $1 } END { print s + 0 }')
        ((s > peak)) && peak=$s && echo "$peak" >"$out"
        sleep 0.25
    done
}

# bench_run NAME CMD...: runs CMD pinned to GEN_CPU, bounded by LIMIT_S, with stdout and
# stderr in TMP/NAME.out and TMP/NAME.err. Sets R_RC (exit status), R_WALL, R_USR, R_SYS
# (seconds; CPU includes every child CMD waited for), R_RSS_KB (peak RSS: the larger of
# /usr/bin/time's maxrss and the sampled sum over the tool's processes), R_NGINX (requests
# nginx read meanwhile) and R_CORE (busy seconds of GEN_CPU).
bench_run() {
    local name=$1
    shift
    local before after b0 b1 pid maxrss
    before=$(nginx_requests)
    b0=$(cpu_busy_ticks "$GEN_CPU")
    R_RC=0
    echo 0 >"$TMP/$name.rss"
    # timeout puts the tool in its own process group (pgid = its pid) and signals the group.
    taskset -c "$GEN_CPU" timeout -k 5 "$LIMIT_S" \
        /usr/bin/time -f '%e %U %S %M' -o "$TMP/$name.time" "$@" \
        </dev/null >"$TMP/$name.out" 2>"$TMP/$name.err" &
    pid=$!
    s_rss_sampler "$pid" "$TMP/$name.rss" &
    local sampler=$!
    wait "$pid" || R_RC=$?
    wait "$sampler" 2>/dev/null || true
    b1=$(cpu_busy_ticks "$GEN_CPU")
    after=$(nginx_requests)
    [[ $R_RC -eq 124 || $R_RC -eq 137 ]] && note "$name overran its ${LIMIT_S}s limit and was killed"
    # The /usr/bin/time line is the file's last; earlier lines would be its complaints.
    read -r R_WALL R_USR R_SYS maxrss < <(tail -n 1 "$TMP/$name.time" 2>/dev/null) || true
    [[ ${R_USR:-} =~ ^[0-9.]+$ ]] || { R_WALL=0 R_USR=0 R_SYS=0 maxrss=0; }
    R_RSS_KB=$(cat "$TMP/$name.rss")
    ((maxrss > R_RSS_KB)) && R_RSS_KB=$maxrss
    R_NGINX=$((after - before - 1)) # minus the second status query
    R_CORE=$(awk -v t="$((b1 - b0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
}

# bench_show_failure NAME: prints a failed run's output.
bench_show_failure() {
    note "$1 exited with status $R_RC; its output:"
    tail -n 20 "$TMP/$1.out" "$TMP/$1.err" >&2 2>/dev/null || true
}

# summary_table FILE: prints "REQS FAILS P50_MS P99_MS" from a Locust-style text summary
# (barrage's, or Locust's own): the Aggregated rows of its request and percentile tables.
summary_table() {
    awk '
        /# fails/ { t = 1 }
        t == 1 && $1 == "Aggregated" { reqs = $2; fails = $3; sub(/\(.*/, "", fails); t = 2 }
        /^Response time percentiles/ { p = 1 }
        p && !c50 && / 50% / { for (i = 1; i <= NF; i++) { if ($i == "50%") c50 = i; if ($i == "99%") c99 = i } }
        # The Aggregated row has no Type column: one field fewer than the header.
        p && c50 && $1 == "Aggregated" { p50 = $(c50 - 1); p99 = $(c99 - 1); exit }
        END { if (reqs != "") print reqs, fails, (p50 == "" ? "n/a" : p50), (p99 == "" ? "n/a" : p99) }
    ' "$@"
}
