#!/usr/bin/env bash
# Compare two commits of the pool on a machine with many cores and no Swift toolchain.
#
#   bash Sources/Measuring/bench/many-cores.sh build [BASELINE]   # here: static benches into .devcarry/
#   bash .devcarry/many-cores.sh run                              # there: results under $OUT
#
# `build` makes .devcarry/bench-baseline (BASELINE, by default 20d3852: the single-lock pool) and
# .devcarry/bench-current (the working tree), both with the Swift runtime linked in, and copies
# this script beside them. `run` alternates `bench --suite scaling --quick --rounds 3` of the
# two builds twice, then runs the current build's full scaling suite and its 2-worker suites.
# Every step has a time limit, and together they stay under 10 minutes (540 s; here, on 2 cores,
# the whole run takes about 30 s): one call of the device tool.
# .devcarry/ must be ignored by git (see ../shared/MANY-CORES.md); carry it to the other machine.
set -euo pipefail
case "${1:-}" in
build)
    baseline=${2:-20d3852}
    root=$(git rev-parse --show-toplevel)
    cd "$root"
    mkdir -p .devcarry
    swift build -c release --product bench --static-swift-stdlib
    strip -o .devcarry/bench-current .build/release/bench
    scratch=$(mktemp -d)
    git worktree add --detach "$scratch/baseline" "$baseline"
    (cd "$scratch/baseline" && swift build -c release --product bench --static-swift-stdlib)
    strip -o .devcarry/bench-baseline "$scratch/baseline/.build/release/bench"
    git worktree remove --force "$scratch/baseline"
    cp "$0" .devcarry/many-cores.sh
    ls -l .devcarry
    ;;
run)
    out=${OUT:-/tmp/many-cores}
    mkdir -p "$out"
    cd "$(dirname "$0")"
    nproc > "$out/nproc.txt"
    for round in 1 2; do
        for build in baseline current; do
            timeout 90 "./bench-$build" --suite scaling --quick --rounds 3 > "$out/scaling-$build-$round.txt" 2>&1 || true
        done
    done
    timeout 120 ./bench-current --suite scaling --rounds 3 > "$out/scaling-current-full.txt" 2>&1 || true
    timeout 60 ./bench-current --quick --suite submit --suite map --suite latency > "$out/two-workers.txt" 2>&1 || true
    grep -h -E "^  |PASS|FAIL" "$out"/scaling-*.txt > "$out/summary.txt" || true
    ;;
*)
    echo "usage: many-cores.sh build [BASELINE] | run" >&2
    exit 2
    ;;
esac
