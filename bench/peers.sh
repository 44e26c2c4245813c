#!/usr/bin/env bash
# peers.sh: barrage against its peers (wrk, h2load, ab, hey, Locust, and a bare libcurl multi
# loop) on a private nginx on 127.0.0.1, plus the memory of idle virtual users.
#
# usage: bench/peers.sh [BUILD_DIR]          (default BUILD_DIR: build)
# env:   DURATION (10s), CONNS (50): every tool gets the same run time and concurrency;
#        TOOLS (default "barrage wrk h2load ab hey locust curl-loop"; empty: none): which rows;
#        IDLE_USERS (10000; 0 skips the idle-memory probe);
#        INSTALL (1: as root, apt-get install missing tools; 0: skip them with a note);
#        NGINX_CPU (0), GEN_CPU (1), KEEP_TMP=1 keeps the temp dir;
#        SCENARIO (bench/scenarios/static.yaml): the scenario of the barrage rows;
#        BASELINE=DIR: another build of barrage (e.g. of the previous commit) run in the same
#        invocation, as the row barrage-base, right after barrage, to compare two builds;
#        PROTO (http): http, https (HTTP/1.1 over TLS: barrage, wrk, h2load --h1), h2 (HTTP/2
#        over TLS) or h2c (HTTP/2 in clear): barrage with `http:` set and, for HTTP/2,
#        `connections: {shared: H2_CONNS, streams: H2_STREAMS}` and H2_CONNS x H2_STREAMS
#        users, against h2load -c H2_CONNS -m H2_STREAMS (defaults 5 x 10); the other tools
#        speak plain HTTP/1.1 only here and are skipped.
#
# nginx (one worker) is pinned to NGINX_CPU, each generator to GEN_CPU. The generator's CPU
# time is user+sys from /usr/bin/time, which includes every child it waited for (barrage's
# master reaps its forked worker, so both are counted). See bench/README.md.
set -euo pipefail

BENCH_NAME=peers
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
case $PROTO in
http) DEFAULT_TOOLS="barrage wrk h2load ab hey locust curl-loop" ;;
https) DEFAULT_TOOLS="barrage wrk h2load curl-loop" ;;
*) DEFAULT_TOOLS="barrage h2load curl-loop" ;;
esac
TOOLS=${TOOLS-$DEFAULT_TOOLS}
H2_CONNS=${H2_CONNS:-5}
H2_STREAMS=${H2_STREAMS:-10}
BASELINE=${BASELINE:-}
if [[ -n $BASELINE ]]; then
    [[ -x $BASELINE/barrage && -x $BASELINE/barrage-worker ]] ||
        die "BASELINE=$BASELINE: no barrage and barrage-worker there; build it first"
    TOOLS=${TOOLS/barrage/barrage barrage-base}
fi
IDLE_USERS=${IDLE_USERS:-10000}
[[ $PROTO == http ]] || IDLE_USERS=0 # the idle probe is plain HTTP's
INSTALL=${INSTALL:-1}
SCENARIO=${SCENARIO:-$BENCH_DIR/scenarios/static.yaml}
IDLE_SCENARIO=$BENCH_DIR/scenarios/idle.yaml

[[ $CONNS =~ ^[1-9][0-9]*$ ]] || die "CONNS must be a positive integer (got '$CONNS')"
[[ $IDLE_USERS =~ ^[0-9]+$ ]] || die "IDLE_USERS must be a number (got '$IDLE_USERS')"
bench_parse_duration "$DURATION"
bench_resolve_build "${1:-build}"
bench_check_pinning
for f in "$SCENARIO" "$IDLE_SCENARIO"; do [[ -f $f ]] || die "scenario $f is missing"; done

# ---- tools: present, installed, or skipped ------------------------------------------------
declare -A PKG=([wrk]=wrk [h2load]=nghttp2-client [ab]=apache2-utils [hey]=hey [locust]=python3-locust)
declare -A SKIP=()
LOCUST_PY=/usr/bin/python3

have_tool() {
    case $1 in
    locust) [[ -x $LOCUST_PY ]] && "$LOCUST_PY" -c 'import locust.contrib.fasthttp' 2>/dev/null ;;
    curl-loop) command -v cc >/dev/null && echo '#include <curl/curl.h>' | cc -E - >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null ;;
    esac
}

ensure_tools() {
    local t missing=()
    for t in $TOOLS; do
        case $t in
        barrage | barrage-base | curl-loop) ;;
        wrk | h2load | ab | hey | locust) have_tool "$t" || missing+=("${PKG[$t]}") ;;
        *) die "unknown tool '$t' in TOOLS (known: barrage barrage-base wrk h2load ab hey locust curl-loop)" ;;
        esac
    done
    if ((${#missing[@]})); then
        if [[ $INSTALL == 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
            note "installing ${missing[*]} ..."
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
                { apt-get update -q >/dev/null 2>&1 &&
                  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; } ||
                note "apt-get install ${missing[*]} failed; those tools are skipped"
        fi
    fi
    for t in $TOOLS; do
        [[ $t == barrage || $t == barrage-base ]] && continue
        if [[ $PROTO != http && $t != h2load && $t != curl-loop && ! ($PROTO == https && $t == wrk) ]]; then
            SKIP[$t]="speaks plain HTTP/1.1 here (PROTO=$PROTO)"
        elif ! have_tool "$t"; then
            case $t in
            curl-loop) SKIP[$t]="needs cc and libcurl headers (apt-get install gcc libcurl4-openssl-dev)" ;;
            *) SKIP[$t]="not installed (apt-get install ${PKG[$t]})" ;;
            esac
        fi
    done
}
ensure_tools

bench_tmp_init
bench_nginx_start
note "nginx pid $NGINX_PID on $URL (cpu $NGINX_CPU); generators on cpu $GEN_CPU; $CONNS connections, $DURATION each"

# ---- one row per tool -----------------------------------------------------------------------
# Each run_X sets T_REQS (requests the tool reports), T_P50 and T_P99 (ms, or n/a) and
# T_NOTE; the R_* figures come from bench_run.
ROWS=()

# to_ms VALUE UNIT: a latency in us, ms or s as milliseconds.
to_ms() {
    awk -v v="$1" -v u="$2" 'BEGIN {
        f = (u == "us") ? 0.001 : (u == "s" || u == "secs") ? 1000 : 1
        printf "%.3g", v * f }'
}

run_barrage() {
    s_run_barrage barrage "$BARRAGE"
}

# The same run with the BASELINE build.
run_barrage_base() {
    s_run_barrage barrage-base "$BASELINE/barrage"
}

# s_run_barrage ROW BINARY
s_run_barrage() {
    local row=$1 bin=$2
    bench_run "$row" "$bin" run "$(bench_proto_scenario)" --workers 1 -u "$(bench_proto_users "$CONNS")" -t "$DURATION" \
        -q -H "$BENCH_SCHEME://$BENCH_HOST:$PORT"
    # exit 1 = thresholds failed, with a full summary; the static scenario has none.
    [[ $R_RC -eq 0 || $R_RC -eq 1 ]] || return 1
    local fails
    read -r T_REQS fails T_P50 T_P99 < <(summary_table "$TMP/$row.out") || return 1
    [[ ${fails:-0} == 0 ]] || T_NOTE="$fails failed"
}

run_wrk() {
    bench_run wrk wrk -t1 -c"$CONNS" -d"$DURATION" --latency "$URL"
    [[ $R_RC -eq 0 ]] || return 1
    T_REQS=$(awk '/ requests in / { print $1 }' "$TMP/wrk.out")
    local p v u
    for p in 50 99; do
        v='' u=''
        read -r v u < <(sed -n "s/^ *$p% *\([0-9.]*\)\([a-z]*\)$/\1 \2/p" "$TMP/wrk.out")
        printf -v "T_P$p" '%s' "$(to_ms "$v" "$u")"
    done
    grep -qE 'Socket errors|Non-2xx' "$TMP/wrk.out" && T_NOTE="errors: see wrk output"
    return 0
}

run_h2load() {
    case $PROTO in
    h2 | h2c) bench_run h2load h2load -c "$H2_CONNS" -m "$H2_STREAMS" -t 1 -D "$DURATION_S" "$URL" ;;
    *) bench_run h2load h2load --h1 -c "$CONNS" -t 1 -D "$DURATION_S" "$URL" ;;
    esac
    [[ $R_RC -eq 0 ]] || return 1
    local failed
    read -r T_REQS failed < <(awk '/^requests:/ { print $8, $10 }' "$TMP/h2load.out")
    T_P50=n/a T_P99=n/a # h2load reports min/max/mean/sd only
    [[ ${failed:-0} == 0 ]] || T_NOTE="$failed failed"
}

run_ab() {
    # -t alone caps ab at 50000 requests; a later -n lifts the cap. ab allocates 32 bytes per
    # request of -n up front (touched only as used): room for 100k requests per second.
    bench_run ab ab -q -k -c "$CONNS" -t "$DURATION_S" -n $((100000 * DURATION_S)) "$URL"
    [[ $R_RC -eq 0 ]] || return 1
    T_REQS=$(awk '/^Complete requests:/ { print $3 }' "$TMP/ab.out")
    T_P50=$(awk '$1 == "50%" { print $2 }' "$TMP/ab.out")
    T_P99=$(awk '$1 == "99%" { print $2 }' "$TMP/ab.out")
    local failed
    failed=$(awk '/^Failed requests:/ { print $3 }' "$TMP/ab.out")
    [[ ${failed:-0} == 0 ]] || T_NOTE="$failed failed"
}

run_hey() {
    bench_run hey hey -z "$DURATION" -c "$CONNS" "$URL"
    [[ $R_RC -eq 0 ]] || return 1
    T_REQS=$(awk '/^ *\[[0-9]+\]/ { n += $2 } END { print n + 0 }' "$TMP/hey.out")
    T_P50=$(to_ms "$(awk '$1 == "50%" && $2 == "in" { print $3 }' "$TMP/hey.out")" s)
    T_P99=$(to_ms "$(awk '$1 == "99%" && $2 == "in" { print $3 }' "$TMP/hey.out")" s)
    grep -q 'Error distribution' "$TMP/hey.out" && T_NOTE="errors: see hey output"
    return 0
}

run_locust() {
    cat >"$TMP/locustfile.py" <<'EOF'
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class Bench(FastHttpUser):
    wait_time = constant(0)

    @task
    def index(self):
        self.client.get("/")
EOF
    bench_run locust "$LOCUST_PY" -m locust -f "$TMP/locustfile.py" --headless -u "$CONNS" \
        -r "$CONNS" -t "$DURATION" -H "http://$BENCH_HOST:$PORT" --only-summary \
        --loglevel WARNING
    # Locust exits 1 when any request failed. Its CSV lags (written every few seconds): the
    # summary it logs at the end is the complete count.
    [[ $R_RC -eq 0 || $R_RC -eq 1 ]] || return 1
    local failed
    read -r T_REQS failed T_P50 T_P99 < <(summary_table "$TMP/locust.out" "$TMP/locust.err") ||
        return 1
    [[ ${failed:-0} == 0 ]] || T_NOTE="$failed failed"
}

run_curl_loop() {
    cc -O2 -o "$TMP/curl_loop" "$BENCH_DIR/curl_loop.c" -lcurl 2>"$TMP/curl_loop.cc" ||
        { cat "$TMP/curl_loop.cc" >&2; return 1; }
    bench_curl_loop_args "$CONNS"
    bench_run curl-loop "$TMP/curl_loop" "${CURL_LOOP_ARGS[@]}"
    [[ $R_RC -eq 0 || $R_RC -eq 1 ]] || return 1
    local failed
    read -r T_REQS failed < <(awk '/^requests:/ { print $2, $4 }' "$TMP/curl-loop.out")
    T_P50=n/a T_P99=n/a
    [[ ${failed:-0} == 0 ]] || T_NOTE="$failed failed"
}

for tool in $TOOLS; do
    if [[ -n ${SKIP[$tool]:-} ]]; then
        note "skipping $tool: ${SKIP[$tool]}"
        ROWS+=("$tool|skipped: ${SKIP[$tool]}")
        continue
    fi
    note "running $tool ..."
    T_REQS='' T_P50=n/a T_P99=n/a T_NOTE=''
    if ! "run_${tool//-/_}" || [[ ! ${T_REQS:-} =~ ^[0-9]+$ ]]; then
        bench_show_failure "$tool"
        ROWS+=("$tool|failed (exit status $R_RC); rerun with KEEP_TMP=1 and see $TMP/$tool.*")
        continue
    fi
    # The tool's count and nginx's should agree up to the requests in flight at the end.
    diff=$((T_REQS - R_NGINX))
    if ((diff > CONNS || -diff > CONNS)); then T_NOTE="${T_NOTE:+$T_NOTE; }nginx counted $R_NGINX"; fi
    if awk -v c="$R_CORE" -v u="$R_USR" -v s="$R_SYS" 'BEGIN { exit !(c > 1.25 * (u + s) + 0.5) }'; then
        T_NOTE="${T_NOTE:+$T_NOTE; }core busy ${R_CORE}s: others ran on cpu $GEN_CPU"
    fi
    ROWS+=("$tool|$T_REQS|$R_NGINX|$R_WALL|$R_USR|$R_SYS|$R_RSS_KB|$T_P50|$T_P99|$T_NOTE")
    sleep 1 # let the previous tool's sockets close
done

# ---- idle users: memory per virtual user in one worker process ------------------------------
IDLE_LINE=
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

measure_idle() {
    local n=$IDLE_USERS need=$((IDLE_USERS + 200))
    if (($(ulimit -n) < need)); then ulimit -n "$need" 2>/dev/null || true; fi
    if (($(ulimit -n) < need)); then
        IDLE_LINE="idle users: skipped: $n users need $need open files, ulimit -n is $(ulimit -n)"
        return 0
    fi
    # Users start at 1000/s: starting thousands in one go stalls the worker's loop for
    # seconds, long enough for the master to give it up. The run outlasts the spawn.
    local zport wpid mpid before after base served=0 i run_s=$((20 + n / 1000)) rate=1000
    zport=$(bench_free_port) || die "no free port for the master"
    taskset -c "$GEN_CPU" "$BUILD/barrage-worker" --master "tcp://$BENCH_HOST:$zport" -q \
        </dev/null >"$TMP/idle-worker.out" 2>&1 &
    wpid=$!
    BENCH_PIDS+=("$wpid")
    sleep 1
    before=$(rss_kb "$wpid") || true
    [[ -n $before ]] || { IDLE_LINE="idle users: failed: the worker did not start"; return 0; }
    base=$(nginx_requests)
    timeout -k 5 $((run_s + 30)) "$BARRAGE" master "$IDLE_SCENARIO" \
        --bind "tcp://$BENCH_HOST:$zport" --expect-workers 1 -u "$n" -r "$rate" -t "${run_s}s" -q \
        -H "http://$BENCH_HOST:$PORT" </dev/null >"$TMP/idle-master.out" 2>&1 &
    mpid=$!
    BENCH_PIDS+=("$mpid")
    # Every user has made its one request once nginx has served n of them (each poll of
    # stub_status is a request too: i of them so far).
    for i in $(seq $(((run_s - 3) * 10))); do
        served=$(($(nginx_requests) - base - i))
        ((served >= n)) && break
        kill -0 "$mpid" 2>/dev/null || break
        sleep 0.1
    done
    sleep 1 # let the last responses be read and the users go to sleep
    after=$(rss_kb "$wpid") || true
    local conns
    conns=$(($(nginx_active) - 1))
    wait "$mpid" || true
    bench_stop_pid "$wpid"
    if [[ -z $after ]] || ((served < n)); then
        IDLE_LINE="idle users: failed: nginx served $served of $n first requests; see $TMP/idle-*.out (KEEP_TMP=1)"
        return 0
    fi
    IDLE_LINE=$(awk -v n="$n" -v b="$before" -v a="$after" -v c="$conns" 'BEGIN {
        printf "idle users: %d in one worker process (started at 1000/s, one request each, then think 60s): " \
            "worker RSS %.1f MB before the run, %.1f MB with them all idle = %.1f KB per user " \
            "(%d keep-alive connections open at nginx)", n, b / 1024, a / 1024, (a - b) / n, c }')
}
if ((IDLE_USERS > 0)); then
    note "idle users: spawning $IDLE_USERS ..."
    measure_idle
fi

# ---- report ---------------------------------------------------------------------------------
{
    if [[ $PROTO == h2 || $PROTO == h2c ]]; then conc="$H2_CONNS connections x $H2_STREAMS streams"; else conc="$CONNS connections"; fi
    printf 'peers: PROTO=%s, %s, %s each, nginx %s (1 worker) on cpu %s, generator on cpu %s, 100-byte %s\n' \
        "$PROTO" "$conc" "$DURATION" "$(nginx -v 2>&1 | sed 's/.*nginx\///')" "$NGINX_CPU" "$GEN_CPU" "$URL"
    ((${#ROWS[@]})) && printf '%s\n' "${ROWS[@]}" | awk -F'|' '
        BEGIN {
            printf "%-10s %9s %9s %6s %6s %9s %9s %7s %8s %8s %9s  %s\n", "tool", "requests", \
                "nginx", "CPU s", "usr %", "req/s", "req/CPU-s", "RSS MB", "p50 ms", "p99 ms", \
                "barrage/x", "notes"
        }
        NF < 3 { skipped[++ns] = $0; next }
        {
            n++; name[n] = $1; reqs[n] = $2; ngx[n] = $3; wall[n] = $4; cpu[n] = $5 + $6
            usr[n] = cpu[n] > 0 ? 100 * $5 / cpu[n] : 0; rss[n] = $7 / 1024
            p50[n] = $8; p99[n] = $9; notes[n] = $10
            rate[n] = cpu[n] > 0 ? reqs[n] / cpu[n] : 0
            if ($1 == "barrage") bar = rate[n]
        }
        END {
            for (i = 1; i <= n; i++) {
                ratio = (bar > 0 && rate[i] > 0) ? sprintf("%.2f", bar / rate[i]) : "n/a"
                printf "%-10s %9d %9d %6.2f %6.0f %9.0f %9.0f %7.1f %8s %8s %9s  %s\n", name[i], \
                    reqs[i], ngx[i], cpu[i], usr[i], (wall[i] > 0 ? reqs[i] / wall[i] : 0), \
                    rate[i], rss[i], p50[i], p99[i], ratio, notes[i]
            }
            for (i = 1; i <= ns; i++) { split(skipped[i], f, "|"); printf "%-10s %s\n", f[1], f[2] }
        }'
    [[ -n $IDLE_LINE ]] && echo "$IDLE_LINE"
    echo "requests: as the tool reports them; nginx: requests nginx read meanwhile (stub_status);"
    echo "CPU s: user+sys of the generator and the children it waited for; req/CPU-s = requests / CPU s;"
    echo "RSS MB: peak resident memory of the generator's processes; p50/p99: as the tool reports them;"
    echo "barrage/x: barrage's req/CPU-s divided by that row's (above 1: barrage is the more frugal)."
}
