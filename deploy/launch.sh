#!/usr/bin/env bash
# launch.sh: starts and stops barrage-worker daemons on a list of hosts over ssh.
#
# usage: deploy/launch.sh keys   --hosts FILE --key-dir DIR [--barrage PATH]
#        deploy/launch.sh start  --hosts FILE --master tcp://HOST:5557 [options]
#        deploy/launch.sh stop   --hosts FILE [options]
#        deploy/launch.sh status --hosts FILE [options]
#
# keys    makes the CURVE key pairs that are missing, with `barrage keygen`: DIR/master.key
#         for the master and DIR/workers/HOST.key for each host. Then run the master with
#         --key DIR/master.key --allow DIR/workers.
# start   on each host: copies DIR/master.key.pub and DIR/workers/HOST.key into the remote
#         directory (with --key-dir), starts `barrage-worker --master ... --processes N` in a
#         session of its own (setsid nohup, or a transient systemd unit with --mode systemd)
#         and records its PID there (worker.pid; worker.unit for systemd). A host whose
#         recorded worker is still alive is left as it is.
# stop    on each host: stops exactly the recorded worker: SIGTERM to its process group (the
#         daemon and its --processes children; they finish their run's last report), SIGKILL
#         after 15 s; or `systemctl stop` of the recorded unit. Other processes are untouched.
# status  on each host: the recorded worker, running or not.
#
# Hosts file: one host per line, "[user@]host [PROCESSES]"; the optional second column
# overrides --processes for that host; blank lines and '#' comments are ignored. Ports,
# identities and jump hosts belong in ~/.ssh/config.
#
# Options:
#   -f, --hosts FILE        the hosts file (required)
#   -m, --master ENDPOINT   the master's endpoint, as the hosts reach it (start)
#   -p, --processes N|auto  worker processes per host (default auto: one per core)
#   -k, --key-dir DIR       keys made by `launch.sh keys`; without it workers start without
#                           keys (only for a master started with --insecure)
#   -d, --remote-dir DIR    directory on the hosts for keys, PID file and log, relative to
#                           the login directory unless absolute (default .barrage)
#   -w, --worker PATH       barrage-worker on the hosts (default: barrage-worker, from PATH)
#       --mode nohup|systemd  how to keep the worker running (default nohup); systemd uses
#                           systemd-run (--user unless the remote user is root)
#       --ssh CMD           the ssh command (default: ssh -o BatchMode=yes -o ConnectTimeout=10)
#       --barrage PATH      barrage for `keys` (default: barrage, from PATH)
#   -j, --parallel N        hosts handled at once (default 10)
#   -n, --dry-run           print the commands (and the remote scripts) instead of running them
#   -h, --help
#
# Exit status: 0 every host ok, 1 some host failed, 2 usage error.
set -uo pipefail

PROG=launch.sh
usage() { sed -n '2,/^# Exit status/s/^# \{0,1\}//p' "$0"; }
die_usage() { printf '%s: error: %s\n' "$PROG" "$*" >&2; printf "run '%s --help' for usage\n" "$0" >&2; exit 2; }

# ---- arguments ----------------------------------------------------------------------------
ACTION=""
HOSTS_FILE=""
MASTER=""
PROCESSES=auto
KEY_DIR=""
REMOTE_DIR=.barrage
WORKER=barrage-worker
MODE='nohup'
SSH_CMD="ssh -o BatchMode=yes -o ConnectTimeout=10"
BARRAGE=barrage
DRY_RUN=0
PARALLEL=10

need_arg() { [ "$2" -ge 2 ] || die_usage "$1 needs a value"; }
while [ $# -gt 0 ]; do
    case $1 in
        keys|start|stop|status)
            [ -z "$ACTION" ] || die_usage "one action only (got $ACTION and $1)"
            ACTION=$1 ;;
        -f|--hosts) need_arg "$1" $#; HOSTS_FILE=$2; shift ;;
        -m|--master) need_arg "$1" $#; MASTER=$2; shift ;;
        -p|--processes) need_arg "$1" $#; PROCESSES=$2; shift ;;
        -k|--key-dir) need_arg "$1" $#; KEY_DIR=$2; shift ;;
        -d|--remote-dir) need_arg "$1" $#; REMOTE_DIR=$2; shift ;;
        -w|--worker) need_arg "$1" $#; WORKER=$2; shift ;;
        --mode) need_arg "$1" $#; MODE=$2; shift ;;
        --ssh) need_arg "$1" $#; SSH_CMD=$2; shift ;;
        --barrage) need_arg "$1" $#; BARRAGE=$2; shift ;;
        -j|--parallel) need_arg "$1" $#; PARALLEL=$2; shift ;;
        -n|--dry-run) DRY_RUN=1 ;;
        -h|--help) usage; exit 0 ;;
        *) die_usage "unknown argument '$1'" ;;
    esac
    shift
done

[ -n "$ACTION" ] || die_usage "an action is required: keys, start, stop or status"
[ -n "$HOSTS_FILE" ] || die_usage "--hosts FILE is required"
[ -r "$HOSTS_FILE" ] || die_usage "cannot read the hosts file '$HOSTS_FILE'"
valid_processes() { [[ $1 == auto || ( $1 =~ ^[0-9]+$ && $1 -ge 1 && $1 -le 1024 ) ]]; }
valid_processes "$PROCESSES" || die_usage "--processes wants a number 1..1024 or 'auto' (got '$PROCESSES')"
[[ $PARALLEL =~ ^[0-9]+$ && $PARALLEL -ge 1 ]] || die_usage "--parallel wants a positive number (got '$PARALLEL')"
case $MODE in nohup|systemd) ;; *) die_usage "--mode is nohup or systemd (got '$MODE')" ;; esac
[[ $REMOTE_DIR =~ ^[A-Za-z0-9_./~-]+$ ]] || die_usage "--remote-dir: letters, digits and _ . / ~ - only"
if [ "$ACTION" = start ]; then
    [ -n "$MASTER" ] || die_usage "start needs --master tcp://HOST:PORT"
    [[ $MASTER =~ ^tcp://[^[:space:]\']+:[0-9]+$ ]] || die_usage "--master wants tcp://HOST:PORT (got '$MASTER')"
fi
[ "$ACTION" != keys ] || [ -n "$KEY_DIR" ] || die_usage "keys needs --key-dir DIR"
read -r -a SSH <<<"$SSH_CMD"
[ ${#SSH[@]} -gt 0 ] || die_usage "--ssh is empty"

# ---- hosts --------------------------------------------------------------------------------
HOSTS=()
HOST_PROCS=()
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    line=${line%%#*}
    read -r host procs extra <<<"$line"
    [ -n "${host:-}" ] || continue
    [ -z "${extra:-}" ] || die_usage "$HOSTS_FILE:$lineno: expected '[user@]host [PROCESSES]'"
    [[ $host =~ ^([A-Za-z0-9._-]+@)?[A-Za-z0-9._:-]+$ ]] || die_usage "$HOSTS_FILE:$lineno: bad host '$host'"
    if [ -n "${procs:-}" ]; then
        valid_processes "$procs" || die_usage "$HOSTS_FILE:$lineno: processes must be 1..1024 or auto (got '$procs')"
    fi
    HOSTS+=("$host")
    HOST_PROCS+=("${procs:-$PROCESSES}")
done <"$HOSTS_FILE"
[ ${#HOSTS[@]} -gt 0 ] || die_usage "no hosts in $HOSTS_FILE"

# The name of a host without its user@ part: names its key pair.
host_name() { printf '%s' "${1#*@}"; }

# ---- running or printing commands -----------------------------------------------------------
# quote WORD: WORD as a shell word (single-quoted unless it is plain).
quote() {
    if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\\\'\'}"
    fi
}
show_cmd() {
    local out="" w
    for w in "$@"; do out+="${out:+ }$(quote "$w")"; done
    printf '%s' "$out"
}

# remote HOST SCRIPT: runs SCRIPT with sh on HOST (fed on stdin, so the login shell does not
# matter). In a dry run, prints the command and the script as a here-document.
remote() {
    local host=$1 script=$2
    if [ "$DRY_RUN" = 1 ]; then
        printf '%s <<'"'"'REMOTE'"'"'\n%s\nREMOTE\n' "$(show_cmd "${SSH[@]}" "$host" sh -s)" "$script"
        return 0
    fi
    printf '%s\n' "$script" | "${SSH[@]}" "$host" sh -s
}

# copy_file HOST LOCAL REMOTE_NAME: writes LOCAL to REMOTE_DIR/REMOTE_NAME on HOST, mode 0600.
copy_file() {
    local host=$1 src=$2 dst="$REMOTE_DIR/$3"
    local cmd
    cmd="umask 077 && mkdir -p $(quote "$REMOTE_DIR") && cat > $(quote "$dst")"
    if [ "$DRY_RUN" = 1 ]; then
        printf '%s < %s\n' "$(show_cmd "${SSH[@]}" "$host" "$cmd")" "$(quote "$src")"
        return 0
    fi
    "${SSH[@]}" "$host" "$cmd" <"$src"
}

# sh_var NAME VALUE: an assignment line for a remote script.
sh_var() { printf "%s='%s'\n" "$1" "${2//\'/\'\\\'\'}"; }

# ---- remote scripts (POSIX sh; the variables above them come from sh_var) --------------------
read -r -d '' START_BODY <<'SH'
set -u
mkdir -p "$dir" && cd "$dir" || exit 3
dir=$(pwd)
if [ -s worker.unit ] && systemctl $scope is-active --quiet "$(cat worker.unit)" 2>/dev/null; then
    echo "already running: unit $(cat worker.unit)"; exit 0
fi
if [ -s worker.pid ] && kill -0 "$(cat worker.pid)" 2>/dev/null; then
    echo "already running: pid $(cat worker.pid)"; exit 0
fi
rm -f worker.pid worker.unit
command -v "$worker" >/dev/null 2>&1 || { echo "$worker: not found on this host" >&2; exit 3; }
set -- --master "$master" --processes "$processes"
if [ "$keys" = 1 ]; then
    chmod 600 worker.key master.pub
    set -- "$@" --master-key "$dir/master.pub" --key "$dir/worker.key"
fi
if [ "$mode" = systemd ]; then
    unit=barrage-worker-launch
    systemd-run $scope --unit="$unit" --collect --quiet -p KillMode=control-group \
        -p TimeoutStopSec=15 --working-directory="$dir" "$worker" "$@" || exit 3
    echo "$unit" >worker.unit
    sleep 0.5
    systemctl $scope show -p MainPID --value "$unit" >worker.pid
else
    # A session of its own: its process group is exactly the daemon and its children.
    setsid nohup sh -c 'echo $$ >worker.pid; exec "$@"' sh "$worker" "$@" \
        >>worker.log 2>&1 </dev/null &
    i=0
    while [ ! -s worker.pid ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    sleep 0.5
fi
pid=$(cat worker.pid 2>/dev/null)
if [ -z "$pid" ] || [ "$pid" = 0 ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "barrage-worker did not stay up; the end of $dir/worker.log:" >&2
    tail -n 5 worker.log >&2 2>/dev/null
    rm -f worker.pid
    exit 3
fi
echo "started: pid $pid, log $dir/worker.log"
SH

read -r -d '' STOP_BODY <<'SH'
set -u
cd "$dir" 2>/dev/null || { echo "nothing recorded here"; exit 0; }
if [ -s worker.unit ]; then
    systemctl $scope stop "$(cat worker.unit)" 2>/dev/null
    echo "stopped unit $(cat worker.unit)"
    rm -f worker.unit worker.pid
    exit 0
fi
[ -s worker.pid ] || { echo "nothing recorded here"; exit 0; }
pid=$(cat worker.pid)
if ! kill -0 "$pid" 2>/dev/null; then
    echo "pid $pid had already exited"; rm -f worker.pid; exit 0
fi
comm=$(cat "/proc/$pid/comm" 2>/dev/null || ps -o comm= -p "$pid")
case $comm in
    barrage-worker*) ;;
    *) echo "pid $pid is now '$comm', not barrage-worker: left alone" >&2; rm -f worker.pid; exit 1 ;;
esac
kill -TERM -"$pid" 2>/dev/null || kill -TERM "$pid"
i=0
while kill -0 -"$pid" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 -"$pid" 2>/dev/null; then
    kill -KILL -"$pid" 2>/dev/null
    echo "killed pid $pid and its group (no exit within 15 s)"
else
    echo "stopped pid $pid"
fi
rm -f worker.pid
SH

read -r -d '' STATUS_BODY <<'SH'
set -u
cd "$dir" 2>/dev/null || { echo "not started"; exit 0; }
if [ -s worker.unit ]; then
    state=$(systemctl $scope is-active "$(cat worker.unit)" 2>/dev/null)
    echo "unit $(cat worker.unit): ${state:-unknown}"
    [ "$state" = active ]; exit
fi
[ -s worker.pid ] || { echo "not started"; exit 0; }
pid=$(cat worker.pid)
if kill -0 "$pid" 2>/dev/null; then echo "running: pid $pid"; else echo "exited: pid $pid"; exit 1; fi
SH

# script_for HOST PROCS BODY: the remote script, its variables first.
script_for() {
    local keys=0
    [ -z "$KEY_DIR" ] || keys=1
    sh_var dir "$REMOTE_DIR"
    sh_var master "$MASTER"
    sh_var processes "$2"
    sh_var worker "$WORKER"
    sh_var mode "$MODE"
    sh_var keys "$keys"
    # shellcheck disable=SC2016 # expands remotely
    printf '%s\n' 'scope=; [ "$(id -u)" = 0 ] || scope=--user'
    # One group: sh parses all of it before running any, so nothing can read the rest as input.
    printf '{\n%s\n}\n' "$3"
}

# ---- actions ------------------------------------------------------------------------------
do_keys() {
    local h name failed=0
    if [ "$DRY_RUN" = 0 ]; then
        mkdir -p "$KEY_DIR/workers" && chmod 700 "$KEY_DIR" || exit 1
    fi
    for name in master "${HOSTS[@]}"; do
        if [ "$name" = master ]; then h="$KEY_DIR/master.key"; else h="$KEY_DIR/workers/$(host_name "$name").key"; fi
        if [ -e "$h" ]; then
            echo "$h: exists"
            continue
        fi
        if [ "$DRY_RUN" = 1 ]; then
            show_cmd "$BARRAGE" keygen "$h"; echo
        elif "$BARRAGE" keygen "$h" >/dev/null; then
            echo "$h: made"
        else
            failed=1
        fi
    done
    printf 'master: barrage master SCENARIO --bind tcp://0.0.0.0:5557 --key %s --allow %s %s\n' \
        "$(quote "$KEY_DIR/master.key")" "$(quote "$KEY_DIR/workers")" "--expect-workers N"
    return $failed
}

start_host() {
    local host=$1 procs=$2
    if [ -n "$KEY_DIR" ]; then
        local pair pub="$KEY_DIR/master.key.pub"
        pair="$KEY_DIR/workers/$(host_name "$host").key"
        if [ "$DRY_RUN" = 0 ]; then
            if [ ! -r "$pair" ]; then
                echo "no key pair $pair (run: $0 keys --hosts $HOSTS_FILE --key-dir $KEY_DIR)" >&2
                return 1
            fi
            [ -r "$pub" ] || { echo "no master public key $pub" >&2; return 1; }
        fi
        copy_file "$host" "$pub" master.pub || return 1
        copy_file "$host" "$pair" worker.key || return 1
    fi
    remote "$host" "$(script_for "$host" "$procs" "$START_BODY")"
}

# run_host I: the action on host I; its output and status land in $RESULTS/I.out, I.rc.
run_host() {
    local i=$1 host=${HOSTS[$1]} rc
    case $ACTION in
        start) start_host "$host" "${HOST_PROCS[$i]}" ;;
        stop) remote "$host" "$(script_for "$host" "${HOST_PROCS[$i]}" "$STOP_BODY")" ;;
        status) remote "$host" "$(script_for "$host" "${HOST_PROCS[$i]}" "$STATUS_BODY")" ;;
    esac >"$RESULTS/$i.out" 2>&1 </dev/null
    rc=$?
    echo "$rc" >"$RESULTS/$i.rc"
}

main() {
    if [ "$ACTION" = keys ]; then
        do_keys
        exit
    fi
    local i host failed=0 rc
    RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/barrage-launch.XXXXXX") || exit 1
    trap 'rm -rf "$RESULTS"' EXIT
    # Up to PARALLEL hosts at once; the report comes in hosts-file order.
    for i in "${!HOSTS[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n; done
        run_host "$i" &
    done
    wait
    for i in "${!HOSTS[@]}"; do
        host=${HOSTS[$i]}
        rc=$(cat "$RESULTS/$i.rc" 2>/dev/null || echo 1)
        if [ "$DRY_RUN" = 1 ]; then
            printf '# %s\n%s\n' "$host" "$(cat "$RESULTS/$i.out")"
            continue
        fi
        [ "$rc" -eq 0 ] || failed=1
        printf '%s: %s\n' "$host" "$(paste -sd'|' "$RESULTS/$i.out" | sed 's/|/; /g')"
    done
    exit $failed
}
main
