#!/usr/bin/env bash
# Builds every kubox fuzz target and runs each for SECONDS (default 20).
#
#   fuzz/run.sh [SECONDS]
#
# Stable Rust only: instead of cargo-fuzz (whose default sanitizer needs
# nightly), this builds the targets with libfuzzer-sys and the same
# SanitizerCoverage flags cargo-fuzz passes with `--sanitizer none`, all of
# them stable rustc options. Panics, overflow checks, debug assertions,
# stack overflows, inputs slower than 10 s and memory over 2 GiB are
# crashes. The corpus grows in fuzz/corpus/<target> (seeded from
# fuzz/seeds/<target>); a crashing input is kept in fuzz/artifacts/<target>/
# and printed. Exits non-zero if any target crashed.
set -euo pipefail

secs=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

host=$(rustc -vV | sed -n 's/^host: //p')
# --target keeps these flags off build scripts and proc macros.
export RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 -Cllvm-args=-sanitizer-coverage-stack-depth \
 --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
export CARGO_TARGET_DIR="$here/target"

start=$(date +%s)
cargo build --release --locked --target "$host" --bins
echo "built in $(( $(date +%s) - start )) s"

failed=()
for src in fuzz_targets/*.rs; do
    t=$(basename "$src" .rs)
    mkdir -p "corpus/$t" "artifacts/$t"
    dirs=("corpus/$t")
    [ -d "seeds/$t" ] && dirs+=("seeds/$t")
    log="artifacts/$t/last-run.log"
    echo "== $t: ${secs} s"
    if "target/$host/release/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="artifacts/$t/" -print_final_stats=1 "${dirs[@]}" >"$log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$log" | tr '\n' ' ' || true
        echo
    else
        echo "!! $t crashed; log: fuzz/$log"
        tail -n 40 "$log"
        for a in $(grep -oE "artifacts/$t/(crash|timeout|oom|leak|slow-unit)-[0-9a-f]+" "$log" | sort -u); do
            echo "-- input fuzz/$a (base64):"
            base64 -w 0 "$a"
            echo
        done
        failed+=("$t")
    fi
done

echo "fuzzing took $(( $(date +%s) - start )) s in all"
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashed: ${failed[*]}"
    exit 1
fi
echo "no crashes"
