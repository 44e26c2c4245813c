# lib.sh: shared helpers for end-to-end tests (sourced). Starts real processes on
# loopback, remembers their PIDs and stops exactly those on exit.
set -u
BUILD=${BARRAGE_BUILD_DIR:-build}
SRC=${BARRAGE_SOURCE_DIR:-.}
E2E_TMP=$(mktemp -d /tmp/barrage-e2e.XXXXXX)
E2E_PIDS=()
E2E_PASSED=0
E2E_FAILED=0

e2e_cleanup() {
    [ -n "${BARRAGE_E2E_KEEP:-}" ] && cp -r "$E2E_TMP" "$BARRAGE_E2E_KEEP" 2>/dev/null
    local pid
    for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

# start_target: starts barrage-target on a free port; sets TARGET_PID and TARGET_URL.
start_target() {
    local out="$E2E_TMP/target.out" i
    "$BUILD/barrage-target" --port 0 "$@" >"$out" 2>"$E2E_TMP/target.err" &
    TARGET_PID=$!
    E2E_PIDS+=("$TARGET_PID")
    for i in $(seq 1 100); do
        TARGET_URL=$(sed -n 's/^barrage-target listening on \(http:[^ ]*\)$/\1/p' "$out")
        [ -n "$TARGET_URL" ] && return 0
        sleep 0.05
    done
    echo "start_target: no 'listening' line from barrage-target" >&2
    cat "$E2E_TMP/target.err" >&2
    exit 1
}

# target_count "GET /path": requests the target served for that method and path.
target_count() {
    local n
    n=$(curl -s --max-time 5 "$TARGET_URL/__stats" | grep -o "\"$1\": [0-9]*" | grep -o '[0-9]*$')
    echo "${n:-0}"
}

# target_total: all requests the target served.
target_total() {
    curl -s --max-time 5 "$TARGET_URL/__stats" | grep -o '"total": [0-9]*' | grep -o '[0-9]*$'
}

# summary_counts FILE: prints "METHOD NAME REQS FAILS" for each row of the request table.
summary_counts() {
    awk '/^Type +Name +# reqs/ {on=1; next} /^Response time percentiles/ {on=0}
         on && $1 ~ /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/ {print $1, $2, $3, $4}' "$1"
}

# aggregated_count FILE: the Aggregated row's request count of the request table.
aggregated_count() {
    awk '/^Response time percentiles/ {exit} $1 == "Aggregated" {print $2}' "$1"
}

check() {
    local what=$1
    shift
    if "$@"; then
        E2E_PASSED=$((E2E_PASSED + 1))
        echo "ok   - $what"
    else
        E2E_FAILED=$((E2E_FAILED + 1))
        echo "FAIL - $what"
    fi
}

e2e_finish() {
    echo "$(basename "$0" .sh): $E2E_PASSED passed, $E2E_FAILED failed"
    [ "$E2E_FAILED" -eq 0 ]
}

# start_master NAME ARGS...: starts `barrage master ARGS...` in the background, its
# stdout and stderr in $E2E_TMP/NAME.out and NAME.err; sets MASTER_PID and endpoint
# (the tcp:// endpoint it announced) and checks that it announced one.
start_master() {
    local name=$1 i
    shift
    "$BUILD/barrage" master "$@" >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err" &
    MASTER_PID=$!
    E2E_PIDS+=("$MASTER_PID")
    endpoint=""
    for i in $(seq 1 100); do
        endpoint=$(sed -n 's/^barrage: master listening on \(tcp:[^,]*\),.*/\1/p' "$E2E_TMP/$name.err")
        [ -n "$endpoint" ] && break
        sleep 0.05
    done
    check "master announced its endpoint ($endpoint)" test -n "$endpoint"
}

# start_web_master NAME SCENARIO ARGS...: `barrage run SCENARIO --web 127.0.0.1:0
# --workers 2 ARGS...` in the background (bounded; --foreground so that a SIGINT
# reaches the master once, not again through timeout's process group), its output in
# $E2E_TMP/NAME.out and NAME.err; sets MASTER_PID and WEB (the URL it announced,
# checked).
start_web_master() {
    local name=$1 scenario=$2
    shift 2
    timeout --foreground 150 "$BUILD/barrage" run "$scenario" --web 127.0.0.1:0 --workers 2 \
        "$@" >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err" &
    MASTER_PID=$!
    E2E_PIDS+=("$MASTER_PID")
    WEB=""
    for _ in $(seq 1 100); do
        WEB=$(sed -n 's/^barrage: web UI on \(http:[^ ]*\)$/\1/p' "$E2E_TMP/$name.err")
        [ -n "$WEB" ] && break
        sleep 0.05
    done
    check "the master announced its web UI ($WEB)" test -n "$WEB"
    [ -n "$WEB" ] || { cat "$E2E_TMP/$name.err"; e2e_finish; exit 1; }
}

# browser_required WHAT: exits 0 with a "skip" line unless Debian's Chromium and a node
# with WebSocket are there (WHAT: what goes unchecked without them).
CHROMIUM=${BARRAGE_CHROMIUM:-/usr/bin/chromium}
CHROMIUM_PID=
browser_required() {
    if [ ! -x "$CHROMIUM" ]; then
        echo "skip - $CHROMIUM not found (apt-get install chromium): $1 is not checked in a browser"
        exit 0
    fi
    if ! node --experimental-websocket -e 'process.exit(typeof WebSocket == "function" ? 0 : 1)' \
        2>/dev/null; then
        echo "skip - node >= 20 with --experimental-websocket not found: $1 is not checked" \
            "in a browser"
        exit 0
    fi
    trap 'stop_chromium; e2e_cleanup' EXIT
}

# start_chromium: headless Chromium on about:blank with a DevTools port, leading its own
# process group (setsid) so that exactly its processes are stopped; sets CHROMIUM_PID and
# DEVTOOLS_PORT_FILE. Fails the test when no DevTools port appears within 15 s.
start_chromium() {
    local profile="$E2E_TMP/chromium-profile"
    mkdir -p "$profile"
    setsid "$CHROMIUM" --headless --no-sandbox --user-data-dir="$profile" \
        --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 --hide-scrollbars \
        --no-first-run --no-default-browser-check --disable-background-networking \
        --disable-component-update --disable-sync --disable-extensions --disable-gpu \
        --mute-audio --password-store=basic about:blank \
        >"$E2E_TMP/chromium.out" 2>"$E2E_TMP/chromium.err" &
    CHROMIUM_PID=$!
    DEVTOOLS_PORT_FILE="$profile/DevToolsActivePort"
    for _ in $(seq 1 150); do
        [ -s "$DEVTOOLS_PORT_FILE" ] && return 0
        kill -0 "$CHROMIUM_PID" 2>/dev/null || break
        sleep 0.1
    done
    check "chromium starts with a DevTools port" false
    tail -20 "$E2E_TMP/chromium.err"
    e2e_finish
    exit
}

# stop_chromium: stops the Chromium start_chromium started: its process group
# (renderers, GPU and zygote processes), then the browser itself if it is somehow not
# the leader.
stop_chromium() {
    [ -n "$CHROMIUM_PID" ] || return 0
    if [ "$(ps -o pgid= -p "$CHROMIUM_PID" 2>/dev/null | tr -d ' ')" = "$CHROMIUM_PID" ]; then
        kill -TERM -- "-$CHROMIUM_PID" 2>/dev/null
    else
        kill -TERM "$CHROMIUM_PID" 2>/dev/null
    fi
    for _ in $(seq 1 50); do
        kill -0 -- "-$CHROMIUM_PID" 2>/dev/null || kill -0 "$CHROMIUM_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$CHROMIUM_PID" 2>/dev/null
    kill -KILL "$CHROMIUM_PID" 2>/dev/null
    wait "$CHROMIUM_PID" 2>/dev/null
    CHROMIUM_PID=
}

# free_port: a TCP port free on 127.0.0.1 now (another process may take it before it is
# bound: callers that bind it later retry with new ports).
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# nginx_required WHAT: exits 0 with a "skip" line unless Debian's nginx and openssl are
# there (WHAT: what goes unchecked without them); sets NGINX.
nginx_required() {
    local tool
    for tool in nginx openssl; do
        if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
            echo "skip - $tool not found (deploy/install-deps.sh --test installs it): $1"
            exit 0
        fi
    done
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# Test certificates, made by openssl in $TLS_CERTS (EC P-256 keys, valid 2 days):
#   tls_make_ca NAME                      a self-signed CA: NAME.pem, NAME.key
#   tls_sign NAME CN EXTENSIONS [DAYS]    NAME.pem, NAME.key signed by ca.pem (DAYS < 0:
#                                         expired that many days ago)
TLS_CERTS="$E2E_TMP/certs"
tls_ec() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null
}
tls_make_ca() {
    mkdir -p "$TLS_CERTS"
    tls_ec "$TLS_CERTS/$1.key"
    openssl req -x509 -new -key "$TLS_CERTS/$1.key" -out "$TLS_CERTS/$1.pem" -days 2 \
        -subj "/CN=barrage test $1" 2>/dev/null
}
tls_sign() {
    local c=$TLS_CERTS
    tls_ec "$c/$1.key"
    openssl req -new -key "$c/$1.key" -out "$c/$1.csr" -subj "/CN=$2" 2>/dev/null
    openssl x509 -req -in "$c/$1.csr" -CA "$c/ca.pem" -CAkey "$c/ca.key" -CAcreateserial \
        -out "$c/$1.pem" -days "${4:-2}" -extfile <(printf '%s\n' "$3") 2>/dev/null
}

# nginx_temp_paths DIR: the *_temp_path lines an http {} block needs to run as any user,
# under DIR/tmp (created).
nginx_temp_paths() {
    mkdir -p "$1/tmp"
    local t
    for t in client_body proxy fastcgi uwsgi scgi; do echo "    ${t}_temp_path $1/tmp/$t;"; done
}

# nginx_launch DIR PROBE...: starts nginx with prefix DIR and DIR/nginx.conf (which must
# say `daemon off;`, `pid DIR/nginx.pid;`) in the background, sets NGINX_PID (stopped on
# exit) and waits up to 5 s for the command PROBE... to succeed. Returns 1 when nginx
# exited or never answered (e.g. a port taken since free_port): stop it with
# nginx_stop, pick new ports and try again.
nginx_launch() {
    local dir=$1
    shift
    "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout" 2>&1 &
    NGINX_PID=$!
    E2E_PIDS+=("$NGINX_PID")
    for _ in $(seq 1 50); do
        "$@" && return 0
        kill -0 "$NGINX_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# nginx_stop: stops the nginx nginx_launch started last.
nginx_stop() {
    kill "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
}
