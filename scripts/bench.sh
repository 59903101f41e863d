#!/usr/bin/env bash
# Throughput benchmark: kmgov against a bare csv-crate parse of the same file.
#
#   scripts/bench.sh [UNITS [PERIODS [RUNS]]]     # default 100000 10 3
#   cargo bench                                   # the same, through benches/score.rs
#
# Builds release once, writes bench-data/kunming-<UNITS>x<PERIODS>.csv with
# examples/gen_data (only when missing; bench-data/ is git-ignored), then runs
# each command RUNS times under /usr/bin/time and prints the median wall time,
# rows/s, the peak resident memory (max over the runs) and the ratio to the
# baseline. The baseline is `bare_parse` (csv records + every indicator field
# parsed as f64); `bare_parse --records` (records only) is shown for scale,
# and kmgov again on one core, to show what its threads buy. The floor is
# `examples/floor` (csv records + every numeric field parsed with fast-float2,
# one thread): the least a single thread can do; kmgov/floor is printed, and
# kmgov is timed on the file in the other row order too, for its peak memory.
# Targets (docs/PERFORMANCE.md): kmgov within 1.5x the baseline's wall time
# and under 1 GB peak; JSON output under the same 1 GB peak. This is a measurement, not a test: it exits 0 whether
# or not the targets are met, and `cargo test` never runs it.
#
# Environment: BENCH_ORDER=by-period writes rows already in period/unit order
# (default by-unit, the order that makes kmgov move every row);
# BENCH_SKIP_BUILD=1 uses the binaries already in target/release;
# BENCH_KMGOV=PATH times another kmgov binary (an older build, say).
set -euo pipefail
cd "$(dirname "$0")/.."

units=${1:-100000}
periods=${2:-10}
runs=${3:-3}
order=${BENCH_ORDER:-by-unit}
rows=$((units * periods))

if [ ! -x /usr/bin/time ]; then
    echo "== /usr/bin/time is missing: installing Debian's time package" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
    fi
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "== cargo build --release (kmgov, gen_data, bare_parse)" >&2
    cargo build --release --quiet --bin kmgov --example gen_data --example bare_parse --example floor
fi
bin=target/release

mkdir -p bench-data
# data_file ORDER: the file of that row order, written when missing.
data_file() {
    local file=bench-data/kunming-${units}x${periods}$([ "$1" = by-unit ] || echo "-$1").csv
    if [ ! -s "$file" ]; then
        echo "== generating $file ($rows rows)" >&2
        "$bin/examples/gen_data" "$units" "$periods" "$1" >"$file.tmp"
        mv "$file.tmp" "$file"
    fi
    echo "$file"
}
data=$(data_file "$order")
other_order=$([ "$order" = by-unit ] && echo by-period || echo by-unit)
other=$(data_file "$other_order")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# measure NAME COMMAND...: RUNS runs; prints "NAME median_wall max_rss_kb".
measure() {
    local name=$1
    shift
    local walls=() cpus=() rss=0 i
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f "%e %M %U %S" -o "$out/time" "$@" >"$out/stdout" 2>"$out/stderr" || {
            echo "bench: $name failed:" >&2
            cat "$out/stderr" >&2
            exit 1
        }
        read -r wall kb user sys <"$out/time"
        walls+=("$wall")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
        ((kb > rss)) && rss=$kb
    done
    local median cpu
    median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    echo "$name $median $rss $cpu"
}

echo "== $data: $rows rows, $(du -m "$data" | cut -f1) MB; $runs runs each; $(nproc) cores" >&2
# Other work on the machine skews every figure: say how busy it is.
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) (figures are only comparable on an idle machine)" >&2
results=()
results+=("$(measure records "$bin/examples/bare_parse" "$data" --records)")
results+=("$(measure baseline "$bin/examples/bare_parse" "$data")")
results+=("$(measure floor "$bin/examples/floor" "$data")")
kmgov=${BENCH_KMGOV:-$bin/kmgov}
results+=("$(measure kmgov "$kmgov" score "$data" --all-periods --format csv --output /dev/null)")
results+=("$(measure kmgovjson "$kmgov" score "$data" --all-periods --format json --output /dev/null)")
# The same on one thread: what the threads buy.
if [ "$(nproc)" -gt 1 ]; then
    results+=("$(measure kmgov1 env KMGOV_THREADS=1 "$kmgov" score "$data" --all-periods --format csv --output /dev/null)")
fi
results+=("$(measure kmgovother "$kmgov" score "$other" --all-periods --format csv --output /dev/null)")

baseline_wall=$(printf '%s\n' "${results[@]}" | awk '$1 == "baseline" { print $2 }')
floor_wall=$(printf '%s\n' "${results[@]}" | awk '$1 == "floor" { print $2 }')
printf '%-44s %8s %8s %12s %10s %9s %9s\n' "command" "wall s" "cpu s" "rows/s" "peak MB" "vs base" "vs floor"
for line in "${results[@]}"; do
    read -r name wall kb cpu <<<"$line"
    case $name in
        records) label="bare_parse --records (csv records only)" ;;
        baseline) label="bare_parse (records + f64 parse) BASELINE" ;;
        floor) label="floor (records + fast-float2, 1 thread) FLOOR" ;;
        kmgov) label="kmgov score --all-periods --format csv" ;;
        kmgov1) label="  the same on one thread (KMGOV_THREADS=1)" ;;
        kmgovjson) label="kmgov score --all-periods --format json" ;;
        kmgovother) label="kmgov score, csv, rows $other_order" ;;
    esac
    awk -v l="$label" -v w="$wall" -v c="$cpu" -v kb="$kb" -v r="$rows" -v b="$baseline_wall" -v f="$floor_wall" \
        'BEGIN { printf "%-44s %8.2f %8.2f %12.0f %10.1f %8.2fx %8.2fx\n", l, w, c, (w > 0 ? r / w : 0), kb / 1024, (b > 0 ? w / b : 0), (f > 0 ? w / f : 0) }'
done
kmgov_line=$(printf '%s\n' "${results[@]}" | awk '$1 == "kmgov"')
read -r _ kmgov_wall kmgov_kb _ <<<"$kmgov_line"
awk -v w="$kmgov_wall" -v b="$baseline_wall" -v kb="$kmgov_kb" 'BEGIN {
    ratio = (b > 0 ? w / b : 0)
    printf "target: wall <= 1.50x baseline: %.2fx %s; peak < 1024 MB: %.0f MB %s\n",
        ratio, (ratio <= 1.5 ? "MET" : "MISSED"), kb / 1024, (kb < 1024 * 1024 ? "MET" : "MISSED")
}'
awk -v w="$kmgov_wall" -v f="$floor_wall" 'BEGIN {
    ratio = (f > 0 ? w / f : 0)
    printf "target: wall <= 1.00x floor (kmgov/floor): %.2fx %s\n", ratio, (ratio <= 1.0 ? "MET" : "MISSED")
}'
other_kb=$(printf '%s\n' "${results[@]}" | awk '$1 == "kmgovother" { print $3 }')
echo "peak memory: rows $order $((kmgov_kb / 1024)) MB, rows $other_order $((other_kb / 1024)) MB"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
json_kb=$(printf '%s\n' "${results[@]}" | awk '$1 == "kmgovjson" { print $3 }')
awk -v kb="$json_kb" 'BEGIN {
    printf "target: JSON peak < 1024 MB: %.0f MB %s\n", kb / 1024, (kb < 1024 * 1024 ? "MET" : "MISSED")
}'
