#!/usr/bin/env bash
# test_web_runs_page: the page's Runs tab in Debian's headless Chromium, driven over the
# DevTools protocol (tests/tools/web_runs_check.mjs) against a real master with two
# local workers and the demo target. The tab is open before any run; two runs started
# with POST /swarm (the second on the scenario edited so its route is 40 ms slower)
# appear in the list as each ends, without a reload; the last two are compared by
# default, and picking them either way round shows /api/compare's rows exactly (each
# cell's data-v) in `barrage compare`'s text (each cell's text), with the verdicts;
# the chart has both runs' p95 series, one point per second /api/compare gives, the
# slower run drawn higher; the list shows each run's thresholds (run 2 fails "p95 <
# 20ms"); each run's JSON link answers; the console stays clean and
# every request goes to the master. BARRAGE_SCREENSHOT=PATH keeps a screenshot.
. "$(dirname "$0")/lib.sh"

browser_required "the page's Runs tab"

start_target
scenario="$E2E_TMP/runs.yaml"
write_scenario() { # write_scenario DELAY_MS
    cat >"$scenario" <<YAML
name: web-runs
host: $TARGET_URL
load: {users: 2, spawn_rate: 2, duration: 1m}
thresholds:
  - "p95 < 20ms"
users:
  - name: Reader
    think: constant 10ms
    tasks:
      - {get: "/delay?ms=$1", name: work}
YAML
}
write_scenario 2
start_web_master master "$scenario"
start_chromium

progress="$E2E_TMP/progress.txt"
facts="$E2E_TMP/facts.txt"
: >"$progress"
timeout 90 node --experimental-websocket "$SRC/tests/tools/web_runs_check.mjs" \
    "$DEVTOOLS_PORT_FILE" "$WEB" "$progress" "${BARRAGE_SCREENSHOT:-}" \
    >"$facts" 2>"$E2E_TMP/check.err" &
DRIVER_PID=$!
E2E_PIDS+=("$DRIVER_PID")

# wait_progress WORD: until the driver wrote WORD (or ended), at most 30 s.
wait_progress() {
    for _ in $(seq 1 300); do
        grep -qx "$1" "$progress" && return 0
        grep -qx done "$progress" && return 1
        sleep 0.1
    done
    return 1
}
runs_listed() { # runs_listed N: until /api/runs lists N runs, at most 20 s
    for _ in $(seq 1 200); do
        [ "$(curl -s --max-time 5 "${WEB}api/runs" | grep -o '"id":' | wc -l)" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
swarm() {
    curl -s --max-time 5 -X POST -d 'user_count=2&spawn_rate=100&run_time=3s' "${WEB}swarm" >/dev/null
}

check "the page's Runs tab is open, no run yet" wait_progress ready
swarm
check "run 1 ends and /api/runs lists it" runs_listed 1
check "...and the page lists it (without a reload)" wait_progress one
write_scenario 40 # re-read at the next start: the same route, 40 ms slower
swarm
check "run 2 ends and /api/runs lists it" runs_listed 2
wait "$DRIVER_PID"
rc=$?
stop_chromium
check "web_runs_check walks the Runs tab over CDP (rc $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/check.err"

for s in runs_tab_empty list_after_run1 list_after_run2 defaults_last_two pick_reversed pick_forward \
    chart_visible; do
    line=$(grep "^step $s " "$facts" | head -1)
    check "page: ${line:+${line#step }}${line:-$s: not reported}" test "$(echo "$line" | cut -d' ' -f3)" = ok
done
check "no step of the walk failed" test -z "$(grep '^step .* FAIL' "$facts")"
grep '^step walk ' "$facts"

# What the page showed against the master's own answers, fetched with curl.
curl -s --max-time 5 "${WEB}api/runs" >"$E2E_TMP/runs.json"
curl -s --max-time 5 "${WEB}api/compare?before=1&after=2" >"$E2E_TMP/cmp12.json"
curl -s --max-time 5 "${WEB}api/compare?before=2&after=1" >"$E2E_TMP/cmp21.json"
curl -s --max-time 5 "${WEB}api/runs/1/json" >"$E2E_TMP/run1.json"
curl -s --max-time 5 "${WEB}api/runs/2/json" >"$E2E_TMP/run2.json"
"$BUILD/barrage" compare "$E2E_TMP/run1.json" "$E2E_TMP/run2.json" >"$E2E_TMP/cmp12.txt"
"$BUILD/barrage" compare "$E2E_TMP/run2.json" "$E2E_TMP/run1.json" >"$E2E_TMP/cmp21.txt"
python3 - "$E2E_TMP" "$facts" "${WEB%/}" >"$E2E_TMP/judge.txt" 2>&1 <<'PY'
import json, sys
tmp, facts, origin = sys.argv[1:4]
lines = open(facts).read().splitlines()
def fact(prefix):
    return next((l[len(prefix):] for l in lines if l.startswith(prefix)), None)
def value(s):  # a cell's data-v: the JSON number it came from
    return None if s == 'null' else float(s)
def verdict(name, ok, detail=''):
    print(f"{'ok' if ok else 'FAIL'} {name} {detail}")

# The list: the rows of /api/runs, newest first, with their numbers and JSON links.
api = json.load(open(f"{tmp}/runs.json"))["runs"]
shown = json.loads(fact("list ") or "[]")
ok = [r["id"] for r in shown] == [r["id"] for r in reversed(api)]
for s, a in zip(shown, reversed(api)):
    for k, v in s["v"].items():
        if value(v) != (None if a[k] is None else float(a[k])):
            ok = False; print("list", s["id"], k, v, a[k])
    ok = ok and s["name"] == a["name"] and s["json"] == f"{origin}/api/runs/{s['id']}/json"
    t = a["thresholds"]
    ok = ok and t == 1 and s["thresholds"] == f"{t - a['thresholds_failed']}/{t} passed"
verdict("list", ok, json.dumps([(r["id"], r["v"]["requests"], r["v"]["p95_ms"], r["thresholds"])
                                for r in shown]))
# Run 2 (the 40 ms route) cannot meet "p95 < 20ms".
verdict("run2_threshold_failed", api[-1]["thresholds_failed"] == 1, shown[0]["thresholds"] if shown else "")

# `barrage compare`'s text cells: NAME  METRIC  BEFORE AFTER DELTA DELTA% [VERDICT].
METRIC = {"requests": "requests", "failures_pct": "failure rate", "rps": "rps",
          "p50_ms": "p50 (ms)", "p95_ms": "p95 (ms)", "p99_ms": "p99 (ms)"}
def cli_cells(path):
    text = open(path).read().splitlines()
    head = next(l for l in text if l.startswith("Name ") and " Metric " in l)
    w = head.index("Metric")
    cells, name = {}, None
    for l in text[text.index(head) + 1:]:
        if not l.strip():
            break
        if l[:w].strip():
            name = l[:w].strip()
        rest = l[w + 12:].split()
        cells[(name, l[w:w + 12].strip())] = rest
    return cells

for b, a in ((1, 2), (2, 1)):
    want = json.load(open(f"{tmp}/cmp{b}{a}.json"))
    cli = cli_cells(f"{tmp}/cmp{b}{a}.txt")
    got = json.loads(fact(f"compare {b} {a} ") or "null") or []
    ok = [r["name"] for r in got] == [r["name"] for r in want["rows"]]
    for g, w in zip(got, want["rows"]):
        ok = ok and g["verdict"] == w["verdict"]
        for key, label in METRIC.items():
            m = g["metrics"].get(key)
            exact = [None if w[s] is None else w[s][key] for s in ("before", "after")] + \
                    [w["delta"][key], w["delta_pct"][key]]
            if m is None or [value(v) for v in m["v"]] != [None if x is None else float(x) for x in exact]:
                ok = False; print("numbers", b, a, g["name"], key, m and m["v"], exact)
            c = cli.get((g["name"], label))
            if m is None or c is None or m["text"] != c[:4] or m["label"] != label:
                ok = False; print("text", b, a, g["name"], key, m and m["text"], c)
            if key == "requests" and (c is None or c[4:] != [g["verdict"]]):
                ok = False; print("cli verdict", c, g["verdict"])
    verdict(f"compare_{b}_{a}", ok, json.dumps([(r["name"], r["verdict"]) for r in got]))
    if (b, a) == (1, 2):
        verdict("slower_is_worse", [r["verdict"] for r in got] == ["worse", "worse"])
    else:
        verdict("faster_is_better", [r["verdict"] for r in got] == ["better", "better"])

# The chart: one path per run, a point per second /api/compare gives, on one time axis.
p95 = json.load(open(f"{tmp}/cmp12.json"))["p95_per_second"]
paths = {p["cls"]: p["points"] for p in json.loads(fact("chart ") or "[]")}
ok = sorted(paths) == ["run-after", "run-before"]
for side in ("before", "after"):
    pts, secs = paths.get(f"run-{side}", []), [s for s, _ in p95[side]]
    ok = ok and len(pts) == len(secs) and len(secs) >= 2 and secs == list(range(secs[0], secs[0] + len(secs)))
    print("points", side, len(pts), "seconds", secs)
# x: the same pixels per second for both runs, from one origin.
xs = [(s, pt[0]) for side in ("before", "after") for (s, _), pt in zip(p95[side], paths.get(f"run-{side}", []))]
if ok and len(xs) >= 2:
    (s0, x0), (s1, x1) = min(xs), max(xs)
    step = (x1 - x0) / (s1 - s0)
    ok = step > 0 and all(abs(x - (x0 + (s - s0) * step)) < 0.2 for s, x in xs)
mean_y = lambda pts: sum(p[1] for p in pts) / len(pts) if pts else 0
verdict("chart_points", ok)
verdict("chart_after_higher", mean_y(paths.get("run-after")) + 20 < mean_y(paths.get("run-before")),
        f"mean y before {mean_y(paths.get('run-before')):.1f} after {mean_y(paths.get('run-after')):.1f}")

# The JSON links: 200 and the bytes /api/runs/ID/json gives.
for rid in (1, 2):
    l = fact(f"json_link {rid} ")
    size = len(open(f"{tmp}/run{rid}.json", encoding="utf-8").read())
    verdict(f"json_link_{rid}", l is not None and l.split()[1:] == ["200", str(size)], f"{l} ({size} chars)")
PY
for j in list run2_threshold_failed compare_1_2 slower_is_worse compare_2_1 faster_is_better chart_points chart_after_higher \
    json_link_1 json_link_2; do
    line=$(grep " $j " "$E2E_TMP/judge.txt" | head -1)
    [ -n "$line" ] || line=$(grep " $j\$" "$E2E_TMP/judge.txt" | head -1)
    check "runs tab: ${line:-$j: not judged}" test "${line%% *}" = ok
done
grep -v '^ok \|^FAIL ' "$E2E_TMP/judge.txt" | head -20

origin=${WEB%/}
foreign=$(grep '^request ' "$facts" | cut -d' ' -f2- | grep -v "^$origin/")
check "every request went to the master ($(grep -c '^request ' "$facts") requests)" \
    test -z "$foreign"
[ -z "$foreign" ] || echo "$foreign" | head -5
for p in /runs.js /api/runs "/api/compare?before=1&after=2" "/api/compare?before=2&after=1"; do
    check "the page requested $p" grep -qxF "request $origin$p" "$facts"
done
check "no console message, error or exception" test -z "$(grep '^console ' "$facts")"
grep '^console ' "$facts" | head -5
if [ -n "${BARRAGE_SCREENSHOT:-}" ]; then
    check "screenshot saved as a PNG at $BARRAGE_SCREENSHOT" \
        test "$(head -c 8 "$BARRAGE_SCREENSHOT" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a
fi

kill -INT "$MASTER_PID"
wait "$MASTER_PID"
rc=$?
check "Ctrl-C ends the master with the last run's status: 1, its threshold failed (got $rc)" \
    test "$rc" -eq 1
e2e_finish
