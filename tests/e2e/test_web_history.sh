#!/usr/bin/env bash
# test_web_history: every finished run is kept and comparable over HTTP. A real master
# with --web and --results-dir against the demo target; two runs started with POST
# /swarm, the second on a scenario edited on disk so its route is slower; /api/runs
# lists both, /api/runs/1/json is the file in DIR byte for byte, /api/compare gives
# the verdicts and numbers `barrage compare` prints for the two files; a master
# restarted on the same DIR lists both runs again.
. "$(dirname "$0")/lib.sh"

start_target
scenario="$E2E_TMP/hist.yaml"
results="$E2E_TMP/results"
write_scenario() { # write_scenario DELAY_MS
    cat >"$scenario" <<YAML
name: web-history
host: $TARGET_URL
load: {users: 2, spawn_rate: 2, duration: 1m}
users:
  - name: Reader
    think: constant 10ms
    tasks:
      - {get: "/delay?ms=$1", name: work}
YAML
}
write_scenario 2

stop_master() {
    kill -INT "$MASTER_PID"
    wait "$MASTER_PID"
}
# api PATH EXPR: a Python expression over d = the JSON at PATH.
api() {
    curl -s --max-time 5 "${WEB}$1" |
        python3 -c "import json, sys; d = json.load(sys.stdin); print($2)" 2>/dev/null
}
state() {
    curl -s --max-time 5 "${WEB}stats/requests" |
        python3 -c "import json, sys; print(json.load(sys.stdin)['state'])" 2>/dev/null
}
wait_stopped_runs() { # wait_stopped_runs N: until /api/runs lists N runs
    for _ in $(seq 1 200); do
        [ "$(api api/runs "len(d['runs'])")" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

start_web_master m1 "$scenario" --results-dir "$results"
check "the results dir was created" test -d "$results"
check "no run yet: /api/runs is empty" test "$(api api/runs "len(d['runs'])")" = 0

curl -s -X POST -d 'user_count=2&spawn_rate=100&run_time=3s' "${WEB}swarm" >/dev/null
check "run 1 ends and is listed" wait_stopped_runs 1
# Run 2: the same route, now 40 ms slower, on an edited scenario (re-read at start).
write_scenario 40
curl -s -X POST -d 'user_count=2&spawn_rate=100&run_time=3s' "${WEB}swarm" >/dev/null
check "run 2 ends and is listed" wait_stopped_runs 2

check "/api/runs: ids 1 and 2 in finishing order" \
    test "$(api api/runs "[r['id'] for r in d['runs']]")" = "[1, 2]"
check "...with names, counts and p95" test "$(api api/runs \
    "all(r['name'] == 'web-history' and r['requests'] > 0 and r['p95_ms'] > 0 and r['rps'] > 0 \
         and r['ended_ms'] >= r['started_ms'] and r['users'] == 2 for r in d['runs'])")" = True
check "...run 2's p95 is the slower one" test "$(api api/runs \
    "d['runs'][1]['p95_ms'] > d['runs'][0]['p95_ms'] + 30")" = True
f1=$(ls "$results"/run-1-*.json 2>/dev/null)
f2=$(ls "$results"/run-2-*.json 2>/dev/null)
check "DIR holds run-1-*.json and run-2-*.json" test -n "$f1" -a -n "$f2"
curl -s --max-time 5 "${WEB}api/runs/1/json" >"$E2E_TMP/run1.json"
check "/api/runs/1/json is the file in DIR byte for byte" cmp -s "$E2E_TMP/run1.json" "$f1"
code=$(curl -s -o /dev/null -w '%{http_code}' "${WEB}api/runs/9/json")
check "an unknown run: 404 (got $code)" test "$code" = 404
code=$(curl -s -o /dev/null -w '%{http_code}' "${WEB}api/compare?before=1&after=x")
check "a malformed compare query: 400 (got $code)" test "$code" = 400
code=$(curl -s -o /dev/null -w '%{http_code}' "${WEB}api/compare?before=1&after=7")
check "a compare with an unknown run: 404 (got $code)" test "$code" = 404

# /api/compare against `barrage compare` on the two files: verdicts and numbers.
curl -s --max-time 5 "${WEB}api/compare?before=1&after=2" >"$E2E_TMP/cmp.json"
"$BUILD/barrage" compare "$f1" "$f2" >"$E2E_TMP/cmp.txt"
python3 - "$E2E_TMP/cmp.json" "$E2E_TMP/cmp.txt" >"$E2E_TMP/cmp.check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
# text rows: "NAME  requests  B  A  D  D%  VERDICT", the next 5 lines the other metrics
names = [r["name"] for r in d["rows"]]
ok = True
for r in d["rows"]:
    line = next(l for l in text if l.startswith(r["name"] + " ") and " requests " in l)
    cells = line.split()
    if cells[-1] != r["verdict"]:
        print("verdict", r["name"], cells[-1], r["verdict"]); ok = False
    i = text.index(line)
    b, a = line.split("requests")[1].split()[:2]
    if int(b) != r["before"]["requests"] or int(a) != r["after"]["requests"]:
        print("requests", r["name"], b, a); ok = False
    # the rps line: one decimal in the text
    rps = text[i + 2].split()
    if rps[1] != "%.1f" % r["before"]["rps"] or rps[2] != "%.1f" % r["after"]["rps"]:
        print("rps", rps, r["before"]["rps"], r["after"]["rps"]); ok = False
    fail = text[i + 1].split()
    if fail[2] != "%.2f%%" % r["before"]["failures_pct"]:
        print("failure rate", fail, r["before"]["failures_pct"]); ok = False
    # p95 in ms: the text shows 3 significant digits
    p95 = text[i + 4].split()
    for k, side in ((2, "before"), (3, "after")):
        shown, exact = float(p95[k]), r[side]["p95_ms"]
        if abs(shown - exact) > max(0.006 * exact, 0.01):
            print("p95", side, shown, exact); ok = False
print("same" if ok else "differ", names, [r["verdict"] for r in d["rows"]])
PY
check "/api/compare has the verdicts and numbers of barrage compare ($(tail -1 "$E2E_TMP/cmp.check"))" \
    grep -q '^same' "$E2E_TMP/cmp.check"
check "...and says the slower route got worse" test "$(python3 -c "import json; d = json.load(open('$E2E_TMP/cmp.json')); print([r['verdict'] for r in d['rows']])")" = "['worse', 'worse']"
check "...with both runs' p95 per second" test "$(python3 -c "import json; d = json.load(open('$E2E_TMP/cmp.json'))['p95_per_second']; print(len(d['before']) >= 2 and len(d['after']) >= 2)")" = True

listed=$(api api/runs "[(r['id'], r['requests'], r['p95_ms']) for r in d['runs']]")
stop_master
rc=$?
check "Ctrl-C ends the master, exit 0 (got $rc)" test "$rc" -eq 0

# A restart on the same DIR: both runs again, with a broken file skipped.
echo '{"format_version": 1, "trunc' >"$results/broken.json"
start_web_master m2 "$scenario" --results-dir "$results"
check "after a restart /api/runs lists both runs as before ($listed)" \
    test "$(api api/runs "[(r['id'], r['requests'], r['p95_ms']) for r in d['runs']]")" = "$listed"
check "...two of them, in start order" test "$(api api/runs "[r['id'] for r in d['runs']]")" = "[1, 2]"
curl -s --max-time 5 "${WEB}api/runs/2/json" >"$E2E_TMP/run2.json"
check "...and run 2's JSON is still the file" cmp -s "$E2E_TMP/run2.json" "$f2"
check "...the broken file was logged and skipped" grep -q "broken.json" "$E2E_TMP/m2.err"
stop_master
e2e_finish
