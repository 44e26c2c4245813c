#!/usr/bin/env bash
# soak.sh: a long run (default 10 minutes) of barrage against a private nginx, sampling the
# RSS of the master and of the worker every 10 s; prints the samples and start/end figures.
# Steady memory is the goal: the master keeps one small point per second of history and
# no per-request state (Locust's master grows with its history).
#
# usage: bench/soak.sh [BUILD_DIR]          (default: build)
# env:   DURATION (10m), INTERVAL (10, seconds between samples)
set -euo pipefail
BENCH_NAME=soak
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_parse_duration "${DURATION:-10m}"
bench_resolve_build "${1:-build}"
INTERVAL=${INTERVAL:-10}
bench_tmp_init
bench_nginx_start
BENCH_PIDS=()

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

timeout "$LIMIT_S" "$BARRAGE" run "$BENCH_DIR/scenarios/soak.yaml" --workers 1 -q \
    -H "${URL%/}" -t "${DURATION_S}s" --json "$TMP/soak.json" >"$TMP/run.out" 2>"$TMP/run.err" &
RUNNER=$!
BENCH_PIDS+=("$RUNNER")
MASTER="" WORKER=""
for _ in $(seq 100); do
    # timeout -> barrage (the master) -> barrage-worker
    MASTER=$(pgrep -P "$RUNNER" -x barrage | head -1 || true)
    [[ -n $MASTER ]] && WORKER=$(pgrep -P "$MASTER" -x barrage-worker | head -1 || true)
    [[ -n $WORKER ]] && break
    sleep 0.1
done
[[ -n $WORKER ]] || die "no worker process under master $MASTER"
note "master pid $MASTER, worker pid $WORKER, nginx on $URL, ${DURATION_S}s, a sample every ${INTERVAL}s"
printf '%8s %12s %12s %12s\n' "elapsed" "master KB" "worker KB" "requests"
start=$SECONDS first_m="" first_w="" last_m=0 last_w=0
while kill -0 "$MASTER" 2>/dev/null && kill -0 "$WORKER" 2>/dev/null; do
    m=$(rss_kb "$MASTER") w=$(rss_kb "$WORKER")
    [[ $m -gt 0 && $w -gt 0 ]] || break
    # The first sample after the users have started is the baseline.
    if [[ -z $first_m && $((SECONDS - start)) -ge $INTERVAL ]]; then first_m=$m first_w=$w; fi
    last_m=$m last_w=$w
    printf '%7ss %12s %12s %12s\n' "$((SECONDS - start))" "$m" "$w" "$(nginx_requests)"
    sleep "$INTERVAL"
done
wait "$RUNNER" || die "the run failed: $(tail -3 "$TMP/run.err")"
echo "master RSS: ${first_m:-?} KB at ${INTERVAL}s, $last_m KB at the end"
echo "worker RSS: ${first_w:-?} KB at ${INTERVAL}s, $last_w KB at the end"
echo "requests served: $(nginx_requests)"
