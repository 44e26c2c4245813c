#!/usr/bin/env bash
# check_includes: who may include whom (docs/architecture.md). Every #include in a
# library folder must name one of the folders, or one of the system libraries, that
# folder may use; anything else is printed as FILE:LINE: error: and fails the check.
# Usage: check_includes.sh [SOURCE_DIR]
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2

# Folders each folder may include from (itself included), then the third-party
# headers it may use. A library header not named in any list below is not policed.
declare -A OURS=(
    [common]="common"
    [proto]="common proto"
    [scenarios]="common scenarios"
    [load]="common load"
    [report]="common report"
    [worker]="common proto scenarios load worker"
    [master]="common proto scenarios load report master web"
)
declare -A LIBS=(
    [common]=""
    [proto]="zmq msgpack sodium"
    [scenarios]="yaml jansson pcre2 sodium"
    [load]=""
    [report]="jansson"
    [worker]="zmq curl pcre2"
    [master]="zmq curl"
)
# Third-party headers and the library name they belong to.
lib_of() {
    case "$1" in
    zmq.h) echo zmq ;;
    curl/*) echo curl ;;
    msgpack.h | msgpack/*) echo msgpack ;;
    yaml.h) echo yaml ;;
    jansson.h) echo jansson ;;
    sodium.h | sodium/*) echo sodium ;;
    pcre2.h) echo pcre2 ;;
    *) echo "" ;;
    esac
}

fail=0
for dir in "${!OURS[@]}"; do
    [ -d "$dir" ] || continue
    while IFS=: read -r file line text; do
        if [[ $text =~ \#include\ *\"([a-z_]+)/ ]]; then
            inc=${BASH_REMATCH[1]}
            if [[ " ${OURS[$dir]} " != *" $inc "* ]]; then
                echo "$file:$line: error: $dir/ may not include $inc/ (allowed: ${OURS[$dir]})"
                fail=1
            fi
        elif [[ $text =~ \#include\ *\<([^>]+)\> ]]; then
            lib=$(lib_of "${BASH_REMATCH[1]}")
            if [ -n "$lib" ] && [[ " ${LIBS[$dir]} " != *" $lib "* ]]; then
                echo "$file:$line: error: $dir/ may not use $lib (<${BASH_REMATCH[1]}>; allowed: ${LIBS[$dir]:-none})"
                fail=1
            fi
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$dir"/*.c "$dir"/*.h 2>/dev/null)
done
[ $fail -eq 0 ] && echo "check_includes: every include follows the layout rules"
exit $fail
