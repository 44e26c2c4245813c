#!/usr/bin/env bash
# master_scale.sh: what a fleet of workers costs the master. Starts a real `barrage master`
# on 127.0.0.1 and barrage-scale-sim, which simulates WORKERS workers (one DEALER socket
# each, real protocol, no HTTP) reporting NAMES rows with ~BUCKETS-bucket histograms every
# second; prints the master's CPU share during the run and its merge cost.
#
# usage: bench/master_scale.sh [BUILD_DIR]      (default BUILD_DIR: build)
# env:   WORKERS (default 1000), NAMES (20), BUCKETS (40), DURATION (30s),
#        MODE (spread: reports spread over each second, as independent workers send them;
#              burst: all at the same instant, which also measures the merge latency),
#        KEEP_TMP=1 keeps the temp dir (master log, JSON result),
#        WEB=1: the master also serves --web, and a scraper fetches /metrics and
#              /stats/requests every second during the run (as Prometheus and an open
#              page would); the CPU share then includes the web side's threads.
#
# Figures:
#   CPU share      master user+sys CPU (all threads, /proc/PID/stat) from the first RUN to
#                  the STOP, over that wall time. Goal: under 25 % of one core.
#   merge cost     CPU of the master's main thread (the one that decodes and merges;
#                  /proc/PID/task/PID/schedstat) per second of reports.
#   merge latency  (MODE=burst) from the first report of a burst sent until the master's
#                  main thread slept, using no CPU, for 20 ms: how long one second of
#                  reports from the whole fleet takes to merge.
#   per report     the master's whole-life CPU (/usr/bin/time) over the reports it merged
#                  (the workers' "reports" in its --json result).
# The simulator prints OVERLOADED when the master did not send STOP on time, i.e. it fell
# behind the reports; the run then stretches and its figures are a saturated master's.
set -euo pipefail

die() { printf 'master_scale: error: %s\n' "$*" >&2; exit 2; }
note() { printf 'master_scale: %s\n' "$*" >&2; }

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
WORKERS=${WORKERS:-1000}
NAMES=${NAMES:-20}
BUCKETS=${BUCKETS:-40}
DURATION=${DURATION:-30s}
MODE=${MODE:-spread}
BUILD=${1:-build}
if [[ $BUILD != /* && ! -d $BUILD && -d $REPO_DIR/$BUILD ]]; then BUILD=$REPO_DIR/$BUILD; fi
[ -x "$BUILD/barrage" ] || die "no $BUILD/barrage: build first (cmake --build $BUILD)"
[ -x "$BUILD/barrage-scale-sim" ] || die "no $BUILD/barrage-scale-sim: cmake --build $BUILD --target barrage-scale-sim"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install time)"
[[ $WORKERS =~ ^[0-9]+$ && $WORKERS -ge 1 ]] || die "WORKERS must be a positive number"
case $MODE in spread) burst=() ;; burst) burst=(--burst) ;; *) die "MODE is spread or burst" ;; esac
[[ $DURATION =~ ^[0-9]+s$ ]] || die "DURATION is in seconds, e.g. 30s"

# One fd per worker connection in the master; a TCP socket and a mailbox per DEALER here.
need_fds=$((3 * WORKERS + 256))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need_fds" ]; then
    ulimit -n "$need_fds" 2>/dev/null || die "$WORKERS workers need $need_fds file descriptors; ulimit -Hn is $(ulimit -Hn)"
fi

TMP=$(mktemp -d /tmp/barrage-master-scale.XXXXXX)
TIME_PID=""
MASTER_PID=""
cleanup() {
    # Only what this script started, by PID.
    if [ -n "$MASTER_PID" ] && kill -0 "$MASTER_PID" 2>/dev/null; then kill "$MASTER_PID"; fi
    if [ -n "$TIME_PID" ]; then wait "$TIME_PID" 2>/dev/null || true; fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then note "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# listen_port PID [SKIP]: the TCP port PID listens on (its socket inodes, matched in
# /proc/net/tcp*), other than SKIP (the web UI's port).
listen_port() {
    local inodes
    inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
             sed 's/socket:\[\([0-9]*\)\]/\1/' | paste -sd' ' -)
    [ -n "$inodes" ] || return 0
    awk -v inodes="$inodes" 'BEGIN { n = split(inodes, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
        $4 == "0A" && ($10 in want) { split($2, p, ":"); print p[2] }' \
        /proc/net/tcp /proc/net/tcp6 | while read -r hex; do
        [ "$((16#$hex))" = "${2:-}" ] || { echo $((16#$hex)); break; }
    done
}

secs=${DURATION%s}
web=(-q)
[ "${WEB:-0}" = 1 ] && web=(--web 127.0.0.1:0 --autostart --autoquit 1)
/usr/bin/time -f '%e %U %S %M' -o "$TMP/time" \
    "$BUILD/barrage" master "$BENCH_DIR/master_scale.yaml" "${web[@]}" --bind tcp://127.0.0.1:0 \
    --expect-workers "$WORKERS" --wait-workers 120s -u "$WORKERS" -t "$DURATION" \
    --json "$TMP/result.json" >"$TMP/master.out" 2>"$TMP/master.err" &
TIME_PID=$!
port=""
url=""
web_port=""
for _ in $(seq 1 100); do
    [ -z "$MASTER_PID" ] && MASTER_PID=$(awk '{print $1}' "/proc/$TIME_PID/task/$TIME_PID/children" 2>/dev/null)
    if [ "${WEB:-0}" = 1 ]; then
        url=$(sed -n 's/^barrage: web UI on \(http:[^ ]*\)$/\1/p' "$TMP/master.err")
        web_port=$(echo "$url" | sed -n 's#^http://[^/]*:\([0-9]*\)/$#\1#p')
        [ -n "$web_port" ] || { sleep 0.05; continue; }
    fi
    [ -n "$MASTER_PID" ] && port=$(listen_port "$MASTER_PID" "$web_port")
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || { cat "$TMP/master.err" >&2; die "the master did not start listening"; }

note "master pid $MASTER_PID on tcp://127.0.0.1:$port; $WORKERS simulated workers x $NAMES names x ~$BUCKETS buckets, $DURATION, $MODE"
SCRAPER_PID=""
if [ "${WEB:-0}" = 1 ]; then
    [ -n "$url" ] || die "the master announced no web UI"
    # Bounded: at most the run and its setup, one round a second.
    (for _ in $(seq 1 $((secs + 200))); do
        kill -0 "$MASTER_PID" 2>/dev/null || break
        curl -s --max-time 5 "${url}metrics" >/dev/null
        curl -s --max-time 5 "${url}stats/requests" >/dev/null
        sleep 1
    done) &
    SCRAPER_PID=$!
    note "scraping ${url}metrics and ${url}stats/requests every second"
fi
sim_rc=0
"$BUILD/barrage-scale-sim" --master "tcp://127.0.0.1:$port" --workers "$WORKERS" \
    --names "$NAMES" --buckets "$BUCKETS" "${burst[@]}" --master-pid "$MASTER_PID" \
    --timeout $((secs + 180)) >"$TMP/sim.out" || sim_rc=$?
# The master exits once every FINAL is in (or 8 s after STOP); bounded here all the same.
timeout 60 tail --pid="$MASTER_PID" -f /dev/null || true
master_rc=0
wait "$TIME_PID" || master_rc=$?
MASTER_PID=""
if [ -n "$SCRAPER_PID" ]; then wait "$SCRAPER_PID" || true; fi

cat "$TMP/sim.out"
[ "$sim_rc" -eq 0 ] || note "barrage-scale-sim exited $sim_rc"
[ "$master_rc" -eq 0 ] || { note "the master exited $master_rc:"; tail -5 "$TMP/master.err" >&2; }
if [ -s "$TMP/time" ]; then
    read -r wall user sys rss_kb <"$TMP/time"
    reports=0
    if [ -s "$TMP/result.json" ]; then
        reports=$(grep -o '"reports": *[0-9]*' "$TMP/result.json" | awk -F: '{s += $2} END {print s + 0}')
        lost=$(grep -o '"state": *"lost"' "$TMP/result.json" | wc -l || true)
        echo "workers the master counted as lost: $lost"
    fi
    awk -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss_kb" -v r="$reports" 'BEGIN {
        printf "master whole life: wall %.1f s, CPU %.2f s (user %.2f, sys %.2f), max RSS %.0f MB\n",
               w, u + s, u, s, m / 1024
        if (r > 0) printf "reports merged: %d; %.3f ms of master CPU per report (whole life)\n",
                          r, 1000 * (u + s) / r }'
fi
echo "load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
[ "$sim_rc" -eq 0 ] && [ "$master_rc" -eq 0 ] || exit 3
