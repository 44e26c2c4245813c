#!/usr/bin/env bash
# test_journeys: the scenario language end to end against the demo target, with 2
# real workers — login once and reuse the captured token, a broken capture counted
# as a failure with its reason, an exact class split, the task mix, unique data rows,
# a session cookie captured and sent back as a bearer token, on_stop once per user, a GET
# with a body sent as a GET.
. "$(dirname "$0")/lib.sh"

start_target
run_barrage() { # run_barrage NAME ARGS... : runs a scenario, output in $E2E_TMP/NAME.out
    local name=$1
    shift
    timeout 90 "$BUILD/barrage" run "$E2E_TMP/$name.yaml" --workers 2 -H "$TARGET_URL" -q "$@" \
        >"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err"
    local rc=$?
    check "$name: barrage run exits 0 (got $rc)" test "$rc" -eq 0
    [ "$rc" -eq 0 ] || cat "$E2E_TMP/$name.err"
}
row() { awk -v n="$2" '$2 == n {print $3, $4}' <(summary_counts "$E2E_TMP/$1.out"); }

# 1. Two classes 8:2; each user logs in once (on_start), captures the token and
#    sends it on every task; the admin class's capture is broken on purpose.
cat >"$E2E_TMP/login.yaml" <<'YAML'
host: http://127.0.0.1:1
load: {users: 20, spawn_rate: 50, duration: 3s}
users:
  - name: Member
    weight: 8
    think: between 20ms 60ms
    vars: {n: "{{ randint(1, 50) }}"}
    on_start:
      - post: /login
        name: login-member
        json: {email: "member{{ n }}@example.com", password: testpass123}
        capture: {token: "json:$.access_token"}
        expect: {status: 200}
    headers: {Authorization: "Bearer {{ token }}"}
    tasks:
      - {weight: 3, get: /private, name: private}
      - {weight: 1, get: "/json?bytes={{ randint(10, 99) }}", name: json}
  - name: Admin
    weight: 2
    think: constant 100ms
    on_start:
      - post: /login
        name: login-admin
        json: {email: admin@example.com, password: pw}
        capture: {token: "json:$.no_such_field"}
    tasks:
      - {get: /, name: home}
YAML
run_barrage login
read -r reqs fails <<<"$(row login login-member)"
check "16 members logged in once each (got ${reqs:-none}, ${fails:-?} failed)" \
    test "${reqs:-0}" -eq 16 -a "${fails:-1}" -eq 0
read -r reqs fails <<<"$(row login private)"
check "authenticated /private: ${reqs:-0} requests, ${fails:-?} failures" \
    test "${reqs:-0}" -gt 50 -a "${fails:-1}" -eq 0
check "/private requests equal the target's ($(target_count 'GET /private'))" \
    test "${reqs:-0}" -eq "$(target_count 'GET /private')"
read -r reqs fails <<<"$(row login login-admin)"
check "admin logins all failed on the capture (${fails:-0} of ${reqs:-0})" \
    test "${reqs:-0}" -ge 4 -a "${fails:-0}" -eq "${reqs:-1}"
check "the failure reason names the capture" \
    grep -q 'POST login-admin: capture: token from json:\$.no_such_field: not found' "$E2E_TMP/login.out"
check "admins never ran tasks without a token" test -z "$(row login home)"
check "4 admins retried on_start (>= 8 attempts in 3 s at 1/s)" test "$(row login login-admin | cut -d' ' -f1)" -ge 8

# 2. Task mix: weights 5:3:1 over many iterations stay within 5 % of 5/9, 3/9, 1/9.
cat >"$E2E_TMP/mix.yaml" <<'YAML'
host: http://127.0.0.1:1
load: {users: 20, duration: 3s}
users:
  - name: U
    tasks:
      - {weight: 5, get: /, name: a}
      - {weight: 3, get: /, name: b}
      - {weight: 1, get: /, name: c}
YAML
run_barrage mix
a=$(row mix a | cut -d' ' -f1) b=$(row mix b | cut -d' ' -f1) c=$(row mix c | cut -d' ' -f1)
total=$((${a:-0} + ${b:-0} + ${c:-0}))
check "at least 5000 iterations ($total)" test "$total" -ge 5000
within() { awk -v n="$1" -v t="$total" -v w="$2" 'BEGIN {if (n <= 0) exit 1; e = t * w / 9; d = n - e; if (d < 0) d = -d; exit !(d <= 0.05 * e)}'; }
check "task a: $a of $total within 5 % of 5/9" within "${a:-0}" 5
check "task b: $b of $total within 5 % of 3/9" within "${b:-0}" 3
check "task c: $c of $total within 5 % of 1/9" within "${c:-0}" 1

# 3. Data rows with order unique: 40 users on 2 workers, 50 rows, each row used once.
{
    echo "id,email"
    for i in $(seq 1 50); do echo "$i,user$i@example.com"; done
} >"$E2E_TMP/users.csv"
cat >"$E2E_TMP/rows.yaml" <<'YAML'
host: http://127.0.0.1:1
data: {file: users.csv, order: unique}
load: {users: 40, spawn_rate: 100, duration: 2s}
users:
  - name: U
    think: constant 200ms
    on_start:
      - get: "/row/{{ row.id }}"
        name: row
        expect: {status: 404}
    tasks:
      - {get: "/", name: home}
YAML
run_barrage rows
curl -s "$TARGET_URL/__stats" | grep -o '"GET /row/[0-9]*": [0-9]*' >"$E2E_TMP/rowhits"
check "40 distinct rows used ($(wc -l <"$E2E_TMP/rowhits"))" test "$(wc -l <"$E2E_TMP/rowhits")" -eq 40
check "no row used twice" test -z "$(grep -v ': 1$' "$E2E_TMP/rowhits")"
read -r reqs fails <<<"$(row rows row)"
check "on_start with expect status 404 succeeded 40 times (${reqs:-0}, ${fails:-?} failed)" \
    test "${reqs:-0}" -eq 40 -a "${fails:-1}" -eq 0
timeout 30 "$BUILD/barrage" run "$E2E_TMP/rows.yaml" -u 60 --workers 2 -H "$TARGET_URL" -q \
    >/dev/null 2>"$E2E_TMP/rows60.err"
check "60 users with 50 unique rows is refused with exit 2" test $? -eq 2
check "...naming the data file" grep -q "users.csv' has 50 rows for 60 users" "$E2E_TMP/rows60.err"

# 5. A cookie capture: /login sets the session cookie; its value is the bearer token.
cat >"$E2E_TMP/cookie.yaml" <<'YAML'
host: http://127.0.0.1:1
load: {users: 4, spawn_rate: 50, duration: 2s}
users:
  - name: U
    think: constant 20ms
    on_start:
      - post: /login
        name: login
        json: {email: "cookie{{ user_id }}@example.com", password: pw}
        capture: {sid: "cookie:session"}
    headers: {Authorization: "Bearer {{ sid }}"}
    tasks:
      - {get: /private, name: private}
YAML
curl -s -X POST "$TARGET_URL/__reset" >/dev/null
run_barrage cookie
read -r reqs fails <<<"$(row cookie private)"
check "cookie capture: /private with the cookie's value, ${reqs:-0} requests, ${fails:-?} failed" \
    test "${reqs:-0}" -gt 20 -a "${fails:-1}" -eq 0
check "...and the target rejected none ($(target_count 'GET /private (rejected)'))" \
    test "$(target_count 'GET /private (rejected)')" -eq 0

# 6. on_stop: each user runs it once when it stops — 4 retired by the ramp down,
#    2 at the run's end: 6 logouts for 6 users.
cat >"$E2E_TMP/onstop.yaml" <<'YAML'
host: http://127.0.0.1:1
load: {stages: [{duration: 1s, users: 6}, {duration: 1s, users: 6}, {duration: 1s, users: 2}]}
users:
  - name: U
    think: constant 50ms
    tasks:
      - {get: /, name: home}
      - {get: /echo, body: ping, name: get-body, expect: {body_contains: ping}}
    on_stop:
      - {get: "/json?bytes=7", name: logout}
YAML
curl -s -X POST "$TARGET_URL/__reset" >/dev/null
run_barrage onstop
read -r reqs fails <<<"$(row onstop logout)"
check "on_stop ran once per user: ${reqs:-0} logouts for 6 users (${fails:-?} failed)" \
    test "${reqs:-0}" -eq 6 -a "${fails:-1}" -eq 0
check "...as the target counts them ($(target_count 'GET /json'))" \
    test "$(target_count 'GET /json')" -eq 6
# A GET with a body stays a GET (curl would make it a POST).
read -r reqs fails <<<"$(row onstop get-body)"
check "a GET with a body is a GET: ${reqs:-0} sent, $(target_count 'GET /echo') GET and $(target_count 'POST /echo') POST served" \
    test "${reqs:-0}" -gt 0 -a "$(target_count 'GET /echo')" -eq "${reqs:-0}" -a "$(target_count 'POST /echo')" -eq 0
e2e_finish
