#!/usr/bin/env bash
# test_launcher: deploy/launch.sh. Its --dry-run prints the exact commands; bad arguments
# are usage errors; and for real, through an ssh stand-in that runs the command on this
# machine in a per-host home, it starts keyed workers that serve a real master, reports
# them, and `stop` ends exactly the processes it recorded.
. "$(dirname "$0")/lib.sh"

LAUNCH="$SRC/deploy/launch.sh"
HOSTS="$E2E_TMP/hosts"
printf 'alpha\n# a comment\nops@beta 2   # two processes here\n\n' >"$HOSTS"

# ---- dry run ------------------------------------------------------------------------------
out="$E2E_TMP/dry"
bash "$LAUNCH" start --hosts "$HOSTS" --master tcp://10.0.0.1:5557 --key-dir /k --dry-run >"$out"
rc=$?
check "dry-run start exits 0 (got $rc)" test "$rc" -eq 0
ssh_prefix='ssh -o BatchMode=yes -o ConnectTimeout=10'
check "copies the master's public key to alpha" grep -qxF \
    "$ssh_prefix alpha 'umask 077 && mkdir -p .barrage && cat > .barrage/master.pub' < /k/master.key.pub" "$out"
check "copies alpha's own key pair" grep -qxF \
    "$ssh_prefix alpha 'umask 077 && mkdir -p .barrage && cat > .barrage/worker.key' < /k/workers/alpha.key" "$out"
check "beta's key pair is named without its user@" grep -qxF \
    "$ssh_prefix ops@beta 'umask 077 && mkdir -p .barrage && cat > .barrage/worker.key' < /k/workers/beta.key" "$out"
check "runs the start script with sh on each host" \
    test "$(grep -cxF -e "$ssh_prefix alpha sh -s <<'REMOTE'" -e "$ssh_prefix ops@beta sh -s <<'REMOTE'" "$out")" -eq 2
check "the script names the master" test "$(grep -cxF "master='tcp://10.0.0.1:5557'" "$out")" -eq 2
check "processes: auto by default, 2 from the hosts file" \
    test "$(grep -x "processes='[^']*'" "$out" | paste -sd' ' -)" = "processes='auto' processes='2'"
check "workers get --master-key and --key" \
    grep -qF 'set -- "$@" --master-key "$dir/master.pub" --key "$dir/worker.key"' "$out"
check "workers start in a session of their own, PID recorded" \
    grep -qF "setsid nohup sh -c 'echo \$\$ >worker.pid; exec \"\$@\"' sh \"\$worker\" \"\$@\"" "$out"
check "keys='1' with --key-dir" test "$(grep -cx "keys='1'" "$out")" -eq 2

bash "$LAUNCH" start --hosts "$HOSTS" --master tcp://10.0.0.1:5557 --dry-run --mode systemd \
    --processes 4 --ssh "ssh -F /dev/null" --worker /opt/barrage/bin/barrage-worker >"$out"
check "without --key-dir nothing is copied and keys='0'" \
    test "$(grep -c 'cat > ' "$out")" -eq 0 -a "$(grep -cx "keys='0'" "$out")" -eq 2
check "--ssh replaces the ssh command" grep -qxF "ssh -F /dev/null alpha sh -s <<'REMOTE'" "$out"
check "--mode systemd and --worker reach the script" \
    grep -qx "mode='systemd'" "$out" -a -n "$(grep -x "worker='/opt/barrage/bin/barrage-worker'" "$out")"
check "--processes 4, still 2 where the hosts file says so" \
    test "$(grep -x "processes='[^']*'" "$out" | paste -sd' ' -)" = "processes='4' processes='2'"

bash "$LAUNCH" stop --hosts "$HOSTS" --dry-run >"$out"
check "stop signals the recorded process group" grep -qF 'kill -TERM -"$pid"' "$out"
check "...after checking it is still barrage-worker" grep -qF 'barrage-worker*) ;;' "$out"
bash "$LAUNCH" keys --hosts "$HOSTS" --key-dir "$E2E_TMP/nokeys" --barrage /usr/bin/barrage --dry-run >"$out"
check "keys: one keygen for the master and one per host" test "$(grep -c '^/usr/bin/barrage keygen ' "$out")" -eq 3
check "keys: beta's pair is workers/beta.key" grep -qxF "/usr/bin/barrage keygen $E2E_TMP/nokeys/workers/beta.key" "$out"
check "keys --dry-run creates nothing" test ! -e "$E2E_TMP/nokeys"

# ---- usage errors -------------------------------------------------------------------------
usage_error() { # usage_error "what" EXPECTED_TEXT ARGS...
    local what=$1 text=$2 rc
    shift 2
    bash "$LAUNCH" "$@" >/dev/null 2>"$E2E_TMP/err"
    rc=$?
    check "$what: exit 2 (got $rc)" test "$rc" -eq 2
    check "$what: says '$text'" grep -qF -- "$text" "$E2E_TMP/err"
}
usage_error "no action" "an action is required" --hosts "$HOSTS"
usage_error "no hosts file" "--hosts FILE is required" stop
usage_error "start without master" "start needs --master" start --hosts "$HOSTS"
usage_error "bad master" "--master wants tcp://HOST:PORT" start --hosts "$HOSTS" --master 10.0.0.1
usage_error "bad processes" "--processes wants a number" stop --hosts "$HOSTS" -p 0
usage_error "bad mode" "--mode is nohup or systemd" stop --hosts "$HOSTS" --mode screen
usage_error "unknown option" "unknown argument '--frobnicate'" stop --hosts "$HOSTS" --frobnicate
printf 'gamma\ndelta 3 extra\n' >"$E2E_TMP/badhosts"
usage_error "bad hosts line" "badhosts:2: expected '[user@]host [PROCESSES]'" stop --hosts "$E2E_TMP/badhosts"

# ---- for real, through an ssh stand-in ------------------------------------------------------
# fake-ssh [-o OPT]... HOST COMMAND...: runs COMMAND with bash in $FAKE_ROOT/HOST as $HOME,
# stdin passed through, like ssh runs it with the login shell in the login directory.
FAKE_ROOT="$E2E_TMP/hosts.d"
cat >"$E2E_TMP/fake-ssh" <<'SH'
#!/usr/bin/env bash
while [ $# -gt 0 ]; do case $1 in -[oFiJlp]) shift 2 ;; -*) shift ;; *) break ;; esac; done
home="$FAKE_ROOT/${1#*@}"
shift
mkdir -p "$home" && cd "$home" && HOME="$home" exec bash -c "$*"
SH
chmod +x "$E2E_TMP/fake-ssh"
export FAKE_ROOT
printf 'alpha\nops@beta\n' >"$HOSTS"
KEYS="$E2E_TMP/keys"
L=(bash "$LAUNCH" --hosts "$HOSTS" --ssh "$E2E_TMP/fake-ssh" --key-dir "$KEYS"
   --worker "$(cd "$BUILD" && pwd)/barrage-worker" --processes 1)

bash "$LAUNCH" keys --hosts "$HOSTS" --key-dir "$KEYS" --barrage "$BUILD/barrage" >"$out" 2>&1
check "keys made the master's and both hosts' pairs" \
    test -s "$KEYS/master.key" -a -s "$KEYS/master.key.pub" -a -s "$KEYS/workers/alpha.key" -a -s "$KEYS/workers/beta.key.pub"
check "keys prints the master command" grep -qF -- "--allow $KEYS/workers" "$out"

bash "$LAUNCH" start --hosts "$HOSTS" --ssh "$E2E_TMP/fake-ssh" --master tcp://127.0.0.1:9 \
    --worker /nonexistent/barrage-worker >"$out" 2>&1
rc=$?
check "a host without barrage-worker: exit 1 (got $rc)" test "$rc" -eq 1
check "...and says so per host" test "$(grep -c 'barrage-worker: not found on this host' "$out")" -eq 2

start_target
cat >"$E2E_TMP/s.yaml" <<YAML
host: $TARGET_URL
load: {users: 4, duration: 2s}
users:
  - name: U
    think: constant 20ms
    tasks: [{get: /, name: home}]
YAML
start_master master "$E2E_TMP/s.yaml" --bind tcp://127.0.0.1:0 --expect-workers 2 \
    --wait-workers 20s --key "$KEYS/master.key" --allow "$KEYS/workers"

# A barrage-worker the launcher did not start: stop must leave it alone.
"$BUILD/barrage-worker" --master tcp://127.0.0.1:9 -q &
DECOY=$!
E2E_PIDS+=("$DECOY")

"${L[@]}" start --master "$endpoint" >"$out" 2>&1
rc=$?
check "start exits 0 (got $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$out"
check "start reports both hosts started" test "$(grep -c ': started: pid ' "$out")" -eq 2
pid_a=$(cat "$FAKE_ROOT/alpha/.barrage/worker.pid" 2>/dev/null)
pid_b=$(cat "$FAKE_ROOT/beta/.barrage/worker.pid" 2>/dev/null)
E2E_PIDS+=(${pid_a:+"$pid_a"} ${pid_b:+"$pid_b"})
check "alpha's PID is recorded and is barrage-worker" \
    test "$(cat "/proc/${pid_a:-0}/comm" 2>/dev/null)" = barrage-worker
check "beta's PID is recorded and is barrage-worker" \
    test "$(cat "/proc/${pid_b:-0}/comm" 2>/dev/null)" = barrage-worker
check "keys were copied with mode 0600" \
    test "$(stat -c %a "$FAKE_ROOT/beta/.barrage/worker.key" 2>/dev/null)" = 600
check "each worker leads its own session" \
    test "$(awk '{print $6}' "/proc/${pid_a:-0}/stat" 2>/dev/null)" = "$pid_a"

timeout 30 tail --pid="$MASTER_PID" -f /dev/null
wait "$MASTER_PID"
rc=$?
check "the master ran with both launched workers and exits 0 (got $rc)" test "$rc" -eq 0
check "both workers finished the run" test "$(grep -cE '^  [^ ]+ .* finished' "$E2E_TMP/master.out")" -eq 2
[ "$rc" -eq 0 ] || tail -5 "$E2E_TMP/master.err"

"${L[@]}" start --master "$endpoint" >"$out" 2>&1
check "start again leaves running workers alone" test "$(grep -c 'already running: pid' "$out")" -eq 2
"${L[@]}" status >"$out" 2>&1
check "status: both running" test "$(grep -c ': running: pid ' "$out")" -eq 2

"${L[@]}" stop >"$out" 2>&1
rc=$?
check "stop exits 0 (got $rc)" test "$rc" -eq 0
check "stop names the PIDs it stopped" grep -qF "alpha: stopped pid $pid_a" "$out"
check "alpha's worker is gone" sh -c "! kill -0 ${pid_a:-0} 2>/dev/null"
check "beta's worker is gone" sh -c "! kill -0 ${pid_b:-0} 2>/dev/null"
check "the PID files are removed" test ! -e "$FAKE_ROOT/alpha/.barrage/worker.pid" -a ! -e "$FAKE_ROOT/beta/.barrage/worker.pid"
check "the worker it did not start is still running" kill -0 "$DECOY"
"${L[@]}" status >"$out" 2>&1
check "status after stop: not started" test "$(grep -c ': not started' "$out")" -eq 2
e2e_finish
