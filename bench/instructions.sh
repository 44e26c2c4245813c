#!/usr/bin/env bash
# instructions.sh: user-space instructions per request (callgrind's Ir), a noise-free way to
# compare two builds of barrage, or barrage with libcurl's own floor, on a noisy machine.
#
# usage: bench/instructions.sh [BUILD_DIR]          (default BUILD_DIR: build)
# env:   DURATION (6s): each run's length; under callgrind a run is some 50x slower, so 6 s
#        still gives thousands of requests;
#        USERS (50): barrage's users and curl-loop's handles (HTTP/1.1); for PROTO h2/h2c
#        H2_CONNS x H2_STREAMS (5 x 10) users over H2_CONNS connections, as in peers.sh;
#        TOOLS (default "barrage curl-loop"): which rows; BASELINE=DIR: another build of
#        barrage, the row barrage-base right after barrage, and the line barrage/base;
#        SCENARIO (bench/scenarios/static.yaml); PROTO (http): http, https, h2, h2c;
#        SPAWN_RATE: barrage's users started per second (-r); default all at once, but 20
#        for https: 50 TLS handshakes in one go keep the worker's loop busy for seconds
#        under callgrind, and the master gives a worker up after 3 s of silence;
#        NGINX_CPU (0): nginx's core (the generators are not pinned: under callgrind they
#        need a whole core, which the scheduler finds best on a shared machine); KEEP_TMP=1 keeps the temp dir with the callgrind files
#        (ROW.cg: callgrind_annotate --inclusive=yes ROW.cg).
#
# What is counted. Callgrind counts the instructions a process executes in user space,
# exactly the same whatever else runs on the machine (kernel time, system calls and waiting
# are not in it). Each process runs with --toggle-collect on its request loop, so only the
# instructions executed inside that function (and everything it calls, on that thread) are
# collected: not start-up, scenario parsing, curl_global_init or exit.
#   barrage:   `barrage-worker` under callgrind, collecting inside loop_run (worker/loop.c):
#              the worker's whole event loop while it serves the run (users' transfers,
#              their done callbacks and histograms, the reports to the master, timers),
#              driven by `barrage master` (not measured) with SCENARIO against the bench's
#              nginx. Requests: the master summary's Aggregated `# reqs`. The worker serves
#              masters until it is stopped: after the master has ended it gets SIGTERM (by
#              PID), leaves loop_run, and callgrind writes its file on exit. ZeroMQ's I/O
#              thread is not counted (it is not inside loop_run).
#   curl-loop: bench/curl_loop.c (cc -O2; linked with mimalloc when BUILD's worker is, so
#              both rows use the same allocator) under callgrind, collecting inside curl_loop_run,
#              its epoll + curl_multi_socket_action loop (from the first connect to the
#              last drained transfer; the handles' set-up before it is left out). Requests:
#              its own count.
# Both loops include connecting (and the TLS handshakes), once per connection, and barrage's
# also its once-a-second work (the report to the master, ticks): fixed costs spread over the
# requests, so Ir/req rises a little when a run makes fewer requests (callgrind runs at the
# speed of the CPU time it gets: a busy machine means fewer requests). Compare rows with
# similar request counts; the table flags a barrage-base whose count differs by over 25 %.
# TLS handshakes are the largest such cost (~4.6 M Ir each with OpenSSL 3 and P-256: for
# PROTO=https, 50 connections, a third of the loop's Ir at 5,000 requests), so for https and
# h2 the table also shows Ir/req without them: the loop's Ir minus the inclusive Ir of
# SSL_do_handshake (libssl), per request.
# Timing still chooses between code paths in barrage: whether a user's next transfer is
# started by curl's timer (many at once) or from a socket event changes the loop's Ir/req by
# up to ~4 % between runs (see which of multi.c's s_on_timer and s_on_fd carries the
# inclusive Ir, KEEP_TMP=1). Repeat a comparison of two builds before trusting a 2 % step.
# Ir/req = the loop function's inclusive Ir / requests.
#
# The breakdown splits each row's Ir/req by where the instruction ran (callgrind's
# exclusive cost per function, summed by object): malloc/calloc/realloc/free (all of
# libmimalloc, or libc's malloc/ code), libcurl, the row's own binary, the rest of libc
# (memcpy, sscanf, ...) and every other library (OpenSSL, nghttp2, ZeroMQ, msgpack, ...).
#
# It is a bench script, not a test. Every process it starts is stopped by PID on exit;
# every run is bounded by `timeout`. See bench/README.md.
set -euo pipefail

BENCH_NAME=instructions
# nginx writes headers and body in one writev (lib.sh): a response never arrives in two
# pieces, one timing-dependent path less in the client (curl-loop's Ir/req then repeats to
# within 0.1 %).
BENCH_NGINX_SENDFILE=${BENCH_NGINX_SENDFILE:-off}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${DURATION:-6s}
USERS=${USERS:-50}
H2_CONNS=${H2_CONNS:-5}
H2_STREAMS=${H2_STREAMS:-10}
TOOLS=${TOOLS-barrage curl-loop}
BASELINE=${BASELINE:-}
SCENARIO=${SCENARIO:-$BENCH_DIR/scenarios/static.yaml}
if [[ $PROTO == https ]]; then SPAWN_RATE=${SPAWN_RATE-20}; else SPAWN_RATE=${SPAWN_RATE:-}; fi

[[ $USERS =~ ^[1-9][0-9]*$ ]] || die "USERS must be a positive integer (got '$USERS')"
[[ $H2_CONNS =~ ^[1-9][0-9]*$ ]] || die "H2_CONNS must be a positive integer (got '$H2_CONNS')"
[[ $H2_STREAMS =~ ^[1-9][0-9]*$ ]] || die "H2_STREAMS must be a positive integer (got '$H2_STREAMS')"
[[ -f $SCENARIO ]] || die "scenario $SCENARIO is missing"
[[ -z $SPAWN_RATE || $SPAWN_RATE =~ ^[1-9][0-9]*$ ]] || die "SPAWN_RATE must be a positive integer (got '$SPAWN_RATE')"
bench_parse_duration "$DURATION"
# Under callgrind the worker starts in seconds and drains slowly: a wider bound than lib's.
RUN_LIMIT_S=$((DURATION_S + 120))
bench_resolve_build "${1:-build}"
if [[ -n $BASELINE ]]; then
    if [[ $BASELINE != /* && ! -d $BASELINE && -d $REPO_DIR/$BASELINE ]]; then BASELINE=$REPO_DIR/$BASELINE; fi
    [[ -x $BASELINE/barrage && -x $BASELINE/barrage-worker ]] ||
        die "BASELINE=$BASELINE: no barrage and barrage-worker there; build it first"
    [[ " $TOOLS " == *" barrage-base "* ]] || TOOLS=${TOOLS/barrage/barrage barrage-base}
fi
for t in $TOOLS; do
    case $t in
    barrage | curl-loop) ;;
    barrage-base) [[ -n $BASELINE ]] || die "TOOLS has barrage-base but BASELINE is not set" ;;
    *) die "unknown tool '$t' in TOOLS (known: barrage barrage-base curl-loop)" ;;
    esac
done

if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
    die "valgrind (with callgrind_annotate) not found; Debian: apt-get install valgrind"
fi
for tool in nginx taskset timeout curl awk; do
    command -v "$tool" >/dev/null ||
        die "$tool not found (Debian: apt-get install nginx-light util-linux coreutils curl gawk)"
done
nginx -V 2>&1 | grep -q -- --with-http_stub_status_module ||
    die "this nginx lacks the stub_status module (nginx-light has it)"
taskset -c "$NGINX_CPU" true 2>/dev/null || die "cannot pin nginx to CPU $NGINX_CPU (see NGINX_CPU)"
if [[ " $TOOLS " == *" curl-loop "* ]]; then
    if ! command -v cc >/dev/null || ! echo '#include <curl/curl.h>' | cc -E - >/dev/null 2>&1; then
        die "the curl-loop row needs cc and libcurl's headers (apt-get install gcc libcurl4-openssl-dev), or TOOLS=barrage"
    fi
fi

bench_tmp_init
bench_nginx_start
note "nginx pid $NGINX_PID on $URL (cpu $NGINX_CPU); generators under callgrind, $DURATION each"

# ---- reading callgrind's files ------------------------------------------------------------
# s_inclusive FILE FUNCTION: FUNCTION's inclusive Ir in callgrind file FILE (empty if absent).
s_inclusive() {
    callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$1" 2>/dev/null |
        awk -v f=":$2 [" 'index($0, f) && $1 ~ /^[0-9,]+$/ && !found { gsub(/,/, "", $1); print $1; found = 1 }'
}

# s_breakdown FILE OWN: "ALLOC CURL OWN LIBC OTHER TOTAL", the exclusive Ir of FILE summed by
# where it ran; OWN is the basename of the row's own binary. A function with code from several
# source files (inlined) has lines without an [object]: they take its object from its other
# lines.
s_breakdown() {
    callgrind_annotate --inclusive=no --threshold=100 --auto=no "$1" 2>/dev/null | awk -v own="$2" '
        /PROGRAM TOTALS/ { t = $1; gsub(/,/, "", t); total = t; next }
        $1 !~ /^[0-9,]+$/ || $2 !~ /^\(/ { next }
        {
            n++; ir[n] = $1; gsub(/,/, "", ir[n])
            obj[n] = ""
            if (match($0, /\[[^]]*\]$/)) obj[n] = substr($0, RSTART + 1, RLENGTH - 2)
            # "file:function" is what sits between the percentage and the object.
            fn[n] = $0; sub(/^ *[0-9,]+ +\([ 0-9.]+%\) +/, "", fn[n]); sub(/ \[[^]]*\]$/, "", fn[n])
            name[n] = fn[n]; sub(/^.*:/, "", name[n])
            if (obj[n] != "") obj_of[name[n]] = obj[n]
        }
        END {
            for (i = 1; i <= n; i++) {
                o = obj[i] != "" ? obj[i] : (name[i] in obj_of ? obj_of[name[i]] : "???")
                k = split(o, parts, "/"); base = parts[k]
                if (base ~ /^libmimalloc/) alloc += ir[i]
                else if (base ~ /^libc\.so/ && (fn[i] ~ /\/malloc\/[a-z]+\.c:/ ||
                         name[i] ~ /^(malloc|calloc|realloc|free|cfree|sysmalloc|_int_[a-z_]+|malloc_[a-z_]+|tcache_[a-z_]+|unlink_chunk|__libc_(malloc|calloc|realloc|free))([.@].*)?$/))
                    alloc += ir[i]
                else if (base ~ /^libcurl/) curl += ir[i]
                else if (base == own) mine += ir[i]
                else if (base ~ /^libc\.so/) libc += ir[i]
                else other += ir[i]
            }
            printf "%d %d %d %d %d %d\n", alloc, curl, mine, libc, other, total
        }'
}

# ---- one row per tool ------------------------------------------------------------------
# Each run_X sets T_REQS (requests), T_IR (instructions in the loop), T_OWN (basename of
# its binary, for the breakdown) and T_NOTE; callgrind's file is TMP/ROW.cg.
ROWS=()

# s_run_barrage ROW BUILD_DIR
s_run_barrage() {
    local row=$1 dir=$2 zport wpid rc=0 fails scenario spawn=()
    [[ -z $SPAWN_RATE ]] || spawn=(-r "$SPAWN_RATE")
    scenario=$(bench_proto_scenario)
    zport=$(bench_free_port) || die "no free port for the master"
    valgrind --tool=callgrind --toggle-collect=loop_run \
        --callgrind-out-file="$TMP/$row.cg" --log-file="$TMP/$row.valgrind" \
        "$dir/barrage-worker" --master "tcp://$BENCH_HOST:$zport" -q \
        </dev/null >"$TMP/$row.worker" 2>&1 &
    wpid=$!
    BENCH_PIDS+=("$wpid")
    timeout -k 5 "$RUN_LIMIT_S" "$dir/barrage" master "$scenario" --bind "tcp://$BENCH_HOST:$zport" \
        --expect-workers 1 --wait-workers 60s -u "$(bench_proto_users "$USERS")" "${spawn[@]}" -t "$DURATION" -q \
        -H "$BENCH_SCHEME://$BENCH_HOST:$PORT" </dev/null >"$TMP/$row.out" 2>"$TMP/$row.err" || rc=$?
    R_RC=$rc
    if ! kill -0 "$wpid" 2>/dev/null; then
        note "$row: barrage-worker ended before it was stopped"
        tail -n 20 "$TMP/$row.worker" "$TMP/$row.valgrind" >&2 2>/dev/null || true
        return 1
    fi
    # SIGTERM: the worker leaves its loop and exits, and callgrind writes its file.
    kill -TERM "$wpid" 2>/dev/null || true
    for _ in $(seq 600); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$wpid" 2>/dev/null; then
        note "$row: barrage-worker did not exit within 60 s of SIGTERM; killed"
        bench_stop_pid "$wpid"
        return 1
    fi
    wait "$wpid" 2>/dev/null || true
    # exit 1 = thresholds failed, with a full summary; the static scenario has none.
    [[ $rc -eq 0 || $rc -eq 1 ]] || return 1
    read -r T_REQS fails _ _ < <(summary_table "$TMP/$row.out") || return 1
    [[ ${fails:-0} == 0 ]] || T_NOTE="$fails failed"
    T_IR=$(s_inclusive "$TMP/$row.cg" loop_run)
    T_OWN=barrage-worker
}

run_barrage() { s_run_barrage barrage "$BUILD"; }
run_barrage_base() { s_run_barrage barrage-base "$BASELINE"; }

run_curl_loop() {
    local failed libs=(-lcurl)
    # The allocator of BUILD's worker: mimalloc, linked first, replaces malloc process-wide.
    if ldd "$BUILD/barrage-worker" 2>/dev/null | grep libmimalloc >/dev/null; then
        libs=("-Wl,--no-as-needed" -lmimalloc "-Wl,--as-needed" -lcurl)
        T_NOTE="mimalloc"
    fi
    cc -O2 -g -o "$TMP/curl_loop" "$BENCH_DIR/curl_loop.c" "${libs[@]}" 2>"$TMP/curl_loop.cc" ||
        { cat "$TMP/curl_loop.cc" >&2; return 1; }
    bench_curl_loop_args "$USERS"
    R_RC=0
    timeout -k 5 "$RUN_LIMIT_S" valgrind --tool=callgrind \
        --toggle-collect=curl_loop_run --callgrind-out-file="$TMP/curl-loop.cg" \
        --log-file="$TMP/curl-loop.valgrind" "$TMP/curl_loop" "${CURL_LOOP_ARGS[@]}" \
        </dev/null >"$TMP/curl-loop.out" 2>"$TMP/curl-loop.err" || R_RC=$?
    [[ $R_RC -eq 0 || $R_RC -eq 1 ]] || return 1
    read -r T_REQS failed < <(awk '/^requests:/ { print $2, $4 }' "$TMP/curl-loop.out") || return 1
    [[ ${failed:-0} == 0 ]] || T_NOTE="${T_NOTE:+$T_NOTE; }$failed failed"
    T_IR=$(s_inclusive "$TMP/curl-loop.cg" curl_loop_run)
    T_OWN=curl_loop
}

BREAKDOWNS=()
FAILED=0
for tool in $TOOLS; do
    note "running $tool under callgrind ..."
    T_REQS='' T_IR='' T_OWN='' T_NOTE='' R_RC=0
    before=$(nginx_requests)
    if ! "run_${tool//-/_}" || [[ ! ${T_REQS:-} =~ ^[1-9][0-9]*$ || ! ${T_IR:-} =~ ^[0-9]+$ ]]; then
        note "$tool failed (exit status $R_RC; requests '${T_REQS:-}', loop Ir '${T_IR:-}'); its output:"
        tail -n 20 "$TMP/$tool.out" "$TMP/$tool.err" >&2 2>/dev/null || true
        ROWS+=("$tool|failed; rerun with KEEP_TMP=1 and see $TMP/$tool.*")
        FAILED=$((FAILED + 1))
        continue
    fi
    after=$(nginx_requests)
    served=$((after - before - 1)) # minus the second status query
    # barrage drains its transfers, and so does curl_loop: the counts should agree.
    diff=$((T_REQS - served))
    in_flight=$(bench_proto_users "$USERS")
    ((diff > in_flight || -diff > in_flight)) && T_NOTE="${T_NOTE:+$T_NOTE; }nginx counted $served"
    read -r b_alloc b_curl b_own b_libc b_other b_total < <(s_breakdown "$TMP/$tool.cg" "$T_OWN")
    # With collection on inside the loop only, the program's total is the loop's Ir.
    ((b_total == T_IR)) || T_NOTE="${T_NOTE:+$T_NOTE; }callgrind total $b_total != loop $T_IR"
    # TLS handshakes: once per connection, not per request (0 in clear).
    hs=$(s_inclusive "$TMP/$tool.cg" SSL_do_handshake)
    ROWS+=("$tool|$T_REQS|$served|$T_IR|$T_NOTE|${hs:-0}")
    BREAKDOWNS+=("$tool|$T_REQS|$T_OWN|$b_alloc|$b_curl|$b_own|$b_libc|$b_other")
    sleep 1 # let the previous run's sockets close
done

# ---- report -------------------------------------------------------------------------------
{
    if [[ $PROTO == h2 || $PROTO == h2c ]]; then conc="$H2_CONNS connections x $H2_STREAMS streams"; else conc="$USERS users"; fi
    printf 'instructions: PROTO=%s, %s, %s each, callgrind (user space, inside the request loop only), 100-byte %s\n' \
        "$PROTO" "$conc" "$DURATION" "$URL"
    ((${#ROWS[@]})) && printf '%s\n' "${ROWS[@]}" | awk -F'|' -v tls="$([[ $BENCH_SCHEME == https ]] && echo 1)" '
        BEGIN {
            printf "%-13s %9s %9s %15s %10s %10s", "tool", "requests", "nginx", "Ir in loop", "Ir/req", "x/barrage"
            if (tls) printf " %12s %12s", "handshakes", "Ir/req w/o"
            printf "  %s\n", "notes"
        }
        NF < 3 { failed[++nf] = $0; next }
        {
            n++; name[n] = $1; reqs[n] = $2; ngx[n] = $3; ir[n] = $4; notes[n] = $5; hs[n] = $6
            per[n] = ir[n] / reqs[n]
            if ($1 == "barrage") { bar = per[n]; bar_reqs = reqs[n] }
            if ($1 == "barrage-base") { base = per[n]; base_reqs = reqs[n] }
        }
        END {
            for (i = 1; i <= n; i++) {
                ratio = bar > 0 ? sprintf("%.3f", per[i] / bar) : "n/a"
                printf "%-13s %9d %9d %15.0f %10.0f %10s", name[i], reqs[i], ngx[i], ir[i], per[i], ratio
                if (tls) printf " %12.0f %12.0f", hs[i], (ir[i] - hs[i]) / reqs[i]
                printf "  %s\n", notes[i]
            }
            for (i = 1; i <= nf; i++) { split(failed[i], f, "|"); printf "%-13s %s\n", f[1], f[2] }
            if (bar > 0 && base > 0)
                printf "barrage/base: %.3f (barrage Ir/req over barrage-base Ir/req: below 1, this build runs fewer instructions per request)\n", bar / base
            if (bar > 0 && base > 0 && (bar_reqs > 1.25 * base_reqs || base_reqs > 1.25 * bar_reqs))
                printf "warning: barrage made %d requests, barrage-base %d: fixed costs weigh differently per request; rerun (a quieter machine, or a longer DURATION)\n", bar_reqs, base_reqs
        }'
    if ((${#BREAKDOWNS[@]})); then
        echo "Ir/request by where it ran (exclusive, summed by object; share of the row's Ir/req):"
        printf '%s\n' "${BREAKDOWNS[@]}" | awk -F'|' '
            function cell(label, v) { return sprintf("%s %.1fk (%.1f%%)", label, v / $2 / 1000, 100 * v / sum) }
            {
                sum = $4 + $5 + $6 + $7 + $8
                if (sum == 0) next
                printf "  %-13s %s  %s  %s  %s  %s\n", $1, cell("malloc/free", $4), cell("libcurl", $5), \
                    cell($3, $6), cell("libc other", $7), cell("other libs", $8)
            }'
    fi
    echo "Ir: user-space instructions callgrind counted inside the request loop (barrage: the worker's"
    echo "loop_run; curl-loop: curl_loop_run); Ir/req = Ir / requests; x/barrage: the row's Ir/req over"
    echo "barrage's. requests: the master's summary (Aggregated # reqs) or curl_loop's count; nginx:"
    echo "requests nginx read meanwhile (stub_status), the cross-check. Timing still picks some code"
    echo "paths (barrage: up to ~4 % between runs, see the script's header): repeat before trusting 2 %."
    if [[ $BENCH_SCHEME == https ]]; then
        echo "handshakes: Ir inside SSL_do_handshake (once per connection); Ir/req w/o: (Ir - handshakes) / requests."
    fi
}
# A row that failed makes the exit status 1 (its table line says where its output is).
((FAILED == 0)) || exit 1
