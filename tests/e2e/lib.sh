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

# --- real servers: nginx, certificates (test_tls, test_transport) ---------------------

# tools_required TOOL...: exits 0 with a skip line when one is missing (looked up in
# PATH and /usr/sbin); deploy/install-deps.sh --test installs them.
tools_required() {
    local tool
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
            echo "skip - $tool not found (deploy/install-deps.sh --test installs it)"
            exit 0
        fi
    done
}

# free_port: a TCP port free on 127.0.0.1 now (the caller binds it soon after).
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Certificates in $C (set it first): ec FILE, make_ca NAME, sign NAME CN EXTENSIONS [DAYS]
# (signed by $C/ca.pem).
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
make_ca() { # make_ca NAME
    ec "$C/$1.key"
    openssl req -x509 -new -key "$C/$1.key" -out "$C/$1.pem" -days 2 -subj "/CN=barrage test $1" \
        2>/dev/null
}
sign() { # sign NAME CN EXTENSIONS [DAYS]
    ec "$C/$1.key"
    openssl req -new -key "$C/$1.key" -out "$C/$1.csr" -subj "/CN=$2" 2>/dev/null
    openssl x509 -req -in "$C/$1.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial \
        -out "$C/$1.pem" -days "${4:-2}" -extfile <(printf '%s\n' "$3") 2>/dev/null
}

# nginx_head DIR: the lines a test nginx.conf starts with, everything under DIR, and the
# start of its http block (the caller closes it).
nginx_head() {
    cat <<CONF
daemon off;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 256; }
http {
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
CONF
}

# nginx_start DIR WRITE_CONF PROBE: WRITE_CONF (the test's function) picks its ports with
# free_port and writes DIR/nginx.conf; nginx starts with it until PROBE (a function) succeeds.
# A port taken between free_port and nginx's bind: up to 3 tries with new ports. Sets
# NGINX_PID; returns 1 when nginx never came up.
nginx_start() {
    local dir=$1 write=$2 probe=$3 try
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    mkdir -p "$dir/tmp"
    for try in 1 2 3; do
        "$write"
        "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout" 2>&1 &
        NGINX_PID=$!
        E2E_PIDS+=("$NGINX_PID")
        for _ in $(seq 1 50); do
            "$probe" && return 0
            kill -0 "$NGINX_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$NGINX_PID" 2>/dev/null
        wait "$NGINX_PID" 2>/dev/null
    done
    cat "$dir/error.log" "$dir/stdout" >&2
    return 1
}

# --- runs judged by their summary (test_tls, test_transport) --------------------------
# run NAME SCENARIO ARGS...: barrage run with one worker, its JSON result in $E2E_TMP/NAME.json,
# its output in NAME.out and NAME.err; sets rc.
run() {
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
