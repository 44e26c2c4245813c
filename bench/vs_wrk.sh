#!/usr/bin/env bash
# vs_wrk.sh: requests per CPU-second of barrage vs wrk, against a private nginx on 127.0.0.1.
#
# usage: bench/vs_wrk.sh [BUILD_DIR]          (default BUILD_DIR: build)
# env:   DURATION (default 10s), CONNS (default 50),
#        NGINX_CPU (default 0), GEN_CPU (default 1), KEEP_TMP=1 to keep the temp dir.
#
# nginx (1 worker) is pinned to NGINX_CPU, each generator to GEN_CPU. The generator's
# CPU time is user+sys from /usr/bin/time, which includes every child it waited for
# (barrage's master reaps its forked worker, so both are counted). Requests are what the
# tool reports, cross-checked against nginx's stub_status counter.
set -euo pipefail

BENCH_NAME=vs_wrk
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
SCENARIO=$BENCH_DIR/scenarios/static.yaml
TEMPLATED=$BENCH_DIR/scenarios/templated.yaml

[[ $CONNS =~ ^[1-9][0-9]*$ ]] || die "CONNS must be a positive integer (got '$CONNS')"
bench_parse_duration "$DURATION"
bench_resolve_build "${1:-build}"
bench_check_pinning
command -v wrk >/dev/null || die "wrk not found (Debian: apt-get install wrk)"
[[ -f $SCENARIO ]] || die "scenario $SCENARIO is missing"

bench_tmp_init
bench_nginx_start
note "nginx pid $NGINX_PID on $URL (cpu $NGINX_CPU); generators on cpu $GEN_CPU; $CONNS conns, $DURATION"

# run_gen NAME CMD...: bench_run, dying on a failure (barrage's exit 1 = thresholds is fine).
run_gen() {
    local name=$1
    bench_run "$@"
    if [[ $R_RC -ne 0 ]] && ! [[ $R_RC -eq 1 && $name == barrage* ]]; then
        bench_show_failure "$name"
        die "$name failed (exit status $R_RC)"
    fi
}

note "running wrk ..."
run_gen wrk wrk -t1 -c"$CONNS" -d"$DURATION" "$URL"
WRK_REQS=$(awk '/ requests in / { print $1 }' "$TMP/wrk.out")
[[ -n $WRK_REQS ]] || { cat "$TMP/wrk.out" "$TMP/wrk.err" >&2; die "cannot parse wrk's output"; }
grep -E 'Socket errors|Non-2xx' "$TMP/wrk.out" >&2 || true
WRK=("$WRK_REQS" "$R_WALL" "$R_USR" "$R_SYS" "$R_NGINX" "$R_CORE")

note "running barrage ..."
run_gen barrage "$BARRAGE" run "$SCENARIO" --workers 1 -u "$CONNS" -t "$DURATION" -q -H "http://$BENCH_HOST:$PORT"
BAR_REQS='' BAR_FAILS=''
# The first Aggregated row after the "# fails" header; the percentile table has one too.
read -r BAR_REQS BAR_FAILS _ < <(summary_table "$TMP/barrage.out") || true
[[ -n $BAR_REQS ]] || { cat "$TMP/barrage.out" "$TMP/barrage.err" >&2; die "cannot parse barrage's summary"; }
[[ ${BAR_FAILS:-0} == 0 ]] || note "barrage reported $BAR_FAILS failed requests"
BAR=("$BAR_REQS" "$R_WALL" "$R_USR" "$R_SYS" "$R_NGINX" "$R_CORE")

# The same load with templates: a random path segment and a bearer header per request.
note "running barrage with a templated scenario ..."
run_gen barrage-tpl "$BARRAGE" run "$TEMPLATED" --workers 1 -u "$CONNS" -t "$DURATION" -q -H "http://$BENCH_HOST:$PORT"
read -r TPL_REQS TPL_FAILS _ < <(summary_table "$TMP/barrage-tpl.out") || true
[[ -n $TPL_REQS ]] || { cat "$TMP/barrage-tpl.out" "$TMP/barrage-tpl.err" >&2; die "cannot parse barrage's summary"; }
[[ ${TPL_FAILS:-0} == 0 ]] || note "templated barrage reported $TPL_FAILS failed requests"
TPL=("$TPL_REQS" "$R_WALL" "$R_USR" "$R_SYS" "$R_NGINX" "$R_CORE")

# ---- report ---------------------------------------------------------------------------------
{
    printf 'vs_wrk: %s conns, %s, nginx %s on cpu %s, generator on cpu %s, 100-byte %s\n' \
        "$CONNS" "$DURATION" "$(nginx -v 2>&1 | sed 's/.*nginx\///')" "$NGINX_CPU" "$GEN_CPU" "$URL"
    printf '%s\n' "${WRK[*]}" "${BAR[*]}" "${TPL[*]}" | awk -v names="wrk barrage barrage-tpl" '
        BEGIN {
            split(names, n, " ")
            printf "%-11s %10s %10s %7s %7s %7s %10s %12s %8s\n", "tool", "requests", "nginx", \
                "wall s", "CPU s", "core s", "req/s", "req/CPU-s", "usr/sys"
        }
        {
            cpu = $3 + $4
            rate[NR] = (cpu > 0 ? $1 / cpu : 0)
            printf "%-11s %10d %10d %7.2f %7.2f %7.2f %10.0f %12.0f %3.0f/%-3.0f\n", n[NR], $1, $5, \
                $2, cpu, $6, ($2 > 0 ? $1 / $2 : 0), rate[NR], \
                (cpu > 0 ? 100 * $3 / cpu : 0), (cpu > 0 ? 100 * $4 / cpu : 0)
            if ($6 > 1.25 * cpu + 0.5) busy = busy " " n[NR]
        }
        END {
            if (rate[1] > 0) printf "ratio barrage/wrk (req per CPU-s): %.2f\n", rate[2] / rate[1]
            if (rate[2] > 0) printf "ratio templated/static barrage (req per CPU-s): %.2f\n", rate[3] / rate[2]
            if (busy != "") printf "warning: other processes used the generator CPU during:%s; " \
                "req/s is depressed, req/CPU-s less so; rerun on a quiet machine\n", busy
        }'
    echo "requests: as the tool reports them; nginx: requests nginx read meanwhile (stub_status);"
    echo "CPU s: user+sys of the generator and its waited-for children; core s: busy time of the"
    echo "generator's CPU from /proc/stat (includes softirq work done there); usr/sys: CPU split in %."
}
