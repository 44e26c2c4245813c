#!/usr/bin/env bash
# demo: starts the bundled demo target on a free loopback port, runs the quickstart
# scenario with local workers for about 10 seconds and prints the summary.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
out=$(mktemp)
"$BUILD/barrage-target" --port 0 >"$out" 2>/dev/null &
target_pid=$!
trap 'kill $target_pid 2>/dev/null; wait $target_pid 2>/dev/null; rm -f "$out"' EXIT
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/^barrage-target listening on \(http:[^ ]*\)$/\1/p' "$out")
    [ -n "$url" ] && break
    sleep 0.05
done
[ -n "$url" ] || { echo "demo: the demo target did not start" >&2; exit 3; }
echo "demo: target on $url; running scenarios/examples/quickstart.yaml for 10 s"
"$BUILD/barrage" run scenarios/examples/quickstart.yaml -H "$url" -t 10s
