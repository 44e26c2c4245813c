#!/usr/bin/env bash
# test_import_locust: a locustfile (two classes 8:2, an on_start login keeping a bearer token,
# tasks 5:3:1 with name= and random ids) run by the real Locust (Debian's python3-locust,
# headless, --csv) and, converted by barrage import-locust, by barrage, each for 8 s against
# the demo target: logins equal the users in both; each name's share of the requests is
# within 3 points between the two and of the weights; the target rejected no request (every
# authenticated one carried its token). Without python3-locust the Locust half is skipped.
. "$(dirname "$0")/lib.sh"

USERS=20
start_target
cat >"$E2E_TMP/locustfile.py" <<'PY'
"""Two classes 8:2, an on_start login keeping a bearer token, tasks 5:3:1 with name= and
random ids (tests/e2e/test_import_locust.sh)."""
import random

from locust import HttpUser, constant, task
from locust.contrib.fasthttp import FastHttpUser

PAGES = [1, 2, 3, 4]


class Member(FastHttpUser):
    weight = 8
    wait_time = constant(0)

    def on_start(self):
        r = self.client.post("/login", name="/login",
                             json={"email": f"member{random.randint(1, 1000000)}@example.com",
                                   "password": "pw"})
        self.auth = {"Authorization": "Bearer " + r.json()["access_token"]}

    @task(5)
    def item(self):
        self.client.get(f"/private?item={random.randint(1, 100)}", headers=self.auth,
                        name="/private?item=[id]")

    @task(3)
    def page(self):
        self.client.get("/private?page=%d" % random.choice(PAGES), headers=self.auth,
                        name="/private?page=[n]")

    @task
    def org(self):
        with self.client.get("/private?org={}".format(random.randint(1, 3)), headers=self.auth,
                             name="/private?org=[id]", catch_response=True) as r:
            if r.status_code != 200:
                r.failure("not authorised")


class Admin(HttpUser):
    weight = 2
    wait_time = constant(0)

    def on_start(self):
        resp = self.client.post("/login", json={"email": "admin@example.com", "password": "pw"},
                                name="/login")
        self.client.headers.update({"Authorization": f"Bearer {resp.json()['access_token']}"})

    @task(5)
    def item(self):
        self.client.get(f"/private?item={random.randint(1, 100)}", name="/private?item=[id]")

    @task(3)
    def page(self):
        self.client.get(f"/private?page={random.choice(PAGES)}", name="/private?page=[n]")

    @task(1)
    def org(self):
        self.client.get(f"/private?org={random.randint(1, 3)}", name="/private?org=[id]")
PY

# ---------------------------------------------------------------- convert
timeout 20 "$BUILD/barrage" import-locust "$E2E_TMP/locustfile.py" -u "$USERS" -r "$USERS" \
    -t 8s -H "$TARGET_URL" -o "$E2E_TMP/scenario.yaml" 2>"$E2E_TMP/convert.err"
rc=$?
check "import-locust converts it all (exit $rc)" test "$rc" -eq 0 -a ! -s "$E2E_TMP/convert.err"
cat "$E2E_TMP/convert.err"
validates() { "$BUILD/barrage" validate -q "$1" >/dev/null; }
check "the scenario validates" validates "$E2E_TMP/scenario.yaml"
check "the scenario points back to the source lines" \
    grep -q 'get: "/private?item={{ randint(1, 100) }}"  # locustfile.py:23' "$E2E_TMP/scenario.yaml"

# shares PREFIX: "name share%" for each GET row of PREFIX_stats.csv (Locust's columns).
shares() {
    awk -F, '$1 == "GET" { n[$2] = $3; t += $3 }
             END { for (k in n) printf "%s %.2f\n", k, 100 * n[k] / t }' "$1_stats.csv" | sort
}
share_of() { awk -v n="$1" '$1 == n { print $2 }' "$2"; }
total_gets() { awk -F, '$1 == "GET" { t += $3 } END { print t + 0 }' "$1_stats.csv"; }
within() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { x = a - b; exit !(a != "" && b != "" && x <= d && x >= -d) }'; }

# check_run WHO PREFIX: the target's counts and the shares of one run.
check_run() {
    local who=$1 prefix=$2 logins rejected
    logins=$(target_count "POST /login")
    rejected=$(target_count "GET /private (rejected)")
    check "$who: $logins logins for $USERS users" test "$logins" -eq "$USERS"
    check "$who: the target rejected $rejected requests (none without the token)" \
        test "$rejected" -eq 0
    check "$who: $(total_gets "$prefix") requests, enough for a 3-point check" \
        test "$(total_gets "$prefix")" -ge 5000
    shares "$prefix" >"$prefix.shares"
    local name weight share
    while read -r name weight; do
        share=$(share_of "$name" "$prefix.shares")
        check "$who: $name ${share:-?}% within 3 points of its weight $weight/9" \
            within "$share" "$(awk -v w="$weight" 'BEGIN { printf "%.2f", 100 * w / 9 }')" 3
    done <<<$'/private?item=[id] 5\n/private?page=[n] 3\n/private?org=[id] 1'
}

# ---------------------------------------------------------------- barrage
curl -s --max-time 5 -X POST "$TARGET_URL/__reset" >/dev/null
timeout 40 "$BUILD/barrage" run "$E2E_TMP/scenario.yaml" --workers 2 -q \
    --csv "$E2E_TMP/barrage" >"$E2E_TMP/barrage.out" 2>"$E2E_TMP/barrage.err"
rc=$?
check "barrage runs the converted scenario (exit $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$E2E_TMP/barrage.err"
check "barrage: no failed request" \
    awk -F, '$2 == "Aggregated" { exit !($4 == 0) }' "$E2E_TMP/barrage_stats.csv"
check_run barrage "$E2E_TMP/barrage"

# ---------------------------------------------------------------- Locust
if /usr/bin/python3 -c 'import locust' 2>/dev/null; then
    curl -s --max-time 5 -X POST "$TARGET_URL/__reset" >/dev/null
    (cd "$E2E_TMP" && timeout 40 /usr/bin/python3 -m locust -f locustfile.py --headless \
        -u "$USERS" -r "$USERS" -t 8s -H "$TARGET_URL" --csv "$E2E_TMP/locust" --only-summary \
        --loglevel WARNING >"$E2E_TMP/locust.out" 2>"$E2E_TMP/locust.err")
    rc=$?
    check "Locust runs the locustfile with no failure (exit $rc)" test "$rc" -eq 0
    [ "$rc" -eq 0 ] || tail -20 "$E2E_TMP/locust.err"
    check_run Locust "$E2E_TMP/locust"
    for name in '/private?item=[id]' '/private?page=[n]' '/private?org=[id]'; do
        a=$(share_of "$name" "$E2E_TMP/barrage.shares")
        b=$(share_of "$name" "$E2E_TMP/locust.shares")
        check "$name: barrage ${a:-?}% and Locust ${b:-?}% within 3 points" within "$a" "$b" 3
    done
else
    echo "skip - python3-locust not installed: the Locust half is not run"
fi
e2e_finish
