#!/bin/sh
# Runs one fuzz target: ./fuzz/run.sh <definition|csv|score|differential> [seconds, default 600]
#
# New inputs go to fuzz/corpus-run/<target> (ignored by git); the committed
# seeds in fuzz/corpus/<target> are read, never written. Crashes land in
# fuzz/artifacts/<target>/. Runs at the lowest CPU priority. On a stable
# toolchain RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags.
set -eu
target=${1:?usage: fuzz/run.sh <definition|csv|score|differential> [seconds]}
seconds=${2:-600}
cd "$(dirname "$0")"
mkdir -p "corpus-run/$target"
# std's scoped-thread exit races libFuzzer's leak check: see lsan.supp.
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
RUSTC_BOOTSTRAP=1 exec nice -n 19 cargo fuzz run "$target" \
    "corpus-run/$target" "corpus/$target" -- \
    -dict="dict/$target.dict" -max_total_time="$seconds" -timeout=10 -print_final_stats=1
