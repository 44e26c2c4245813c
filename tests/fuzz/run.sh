#!/usr/bin/env bash
# run.sh: builds the libFuzzer targets (clang, BARRAGE_FUZZ=ON) into BUILD (default
# build-fuzz) and runs each for SECONDS (default 60), one after another. New inputs go to
# BUILD/fuzz/corpus/NAME (the checked-in seeds in tests/fuzz/corpus stay as they are);
# crashes to BUILD/fuzz/artifacts/NAME/. Exit 1 if any target crashed: fix the code, then
# copy the artifact to tests/fuzz/regressions/NAME/ so every build replays it.
# Usage: tests/fuzz/run.sh [SECONDS [BUILD [NAME...]]]   (make fuzz FUZZ_SECONDS=60)
# CI (.ci/run) runs the targets 60 s each in two parallel lanes.
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
BUILD=${2:-build-fuzz}
shift $(($# < 2 ? $# : 2))
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(proto scenario template jsonpath capture servertiming)

# FUZZ_NO_BUILD=1: BUILD is already built (CI builds once, then runs lanes in parallel).
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    CC=${FUZZ_CC:-clang} cmake -S . -B "$BUILD" -DBARRAGE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        >/dev/null || exit 2
    cmake --build "$BUILD" --target fuzzers -j "${JOBS:-2}" >/dev/null || exit 2
fi

failed=()
for t in "${TARGETS[@]}"; do
    work="$BUILD/fuzz/corpus/$t" art="$BUILD/fuzz/artifacts/$t"
    mkdir -p "$work" "$art"
    dict=()
    [ -f "tests/fuzz/dict/$t.dict" ] && dict=("-dict=tests/fuzz/dict/$t.dict")
    # Seed and regression folders that exist (git keeps no empty folder).
    seeds=()
    for d in "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t"; do
        [ -d "$d" ] && seeds+=("$d")
    done
    echo "fuzz: $t for ${SECONDS_EACH}s"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    "$BUILD/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2560 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$art/" "${dict[@]}" \
        "$work" "${seeds[@]}" >"$BUILD/fuzz/$t.log" 2>&1
    rc=$?
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$BUILD/fuzz/$t.log" | tr '\n' ' '
    echo
    if [ "$rc" -ne 0 ]; then
        failed+=("$t")
        echo "fuzz: $t FAILED (exit $rc): see $BUILD/fuzz/$t.log and $art/"
        grep -m 3 -E 'ERROR|SUMMARY|runtime error' "$BUILD/fuzz/$t.log"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in: ${failed[*]}"
    exit 1
fi
echo "fuzz: ${#TARGETS[@]} target(s), no crash"
