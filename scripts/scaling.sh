#!/usr/bin/env bash
# How time and peak memory grow with the rows: `kmgov score --all-periods
# --format csv` on 10^5, 10^6 and (with --large) 10^7 rows of the generated
# Kunming panel (46 indicators, 10 periods), on every core and on one.
#
#   scripts/scaling.sh [--large] [RUNS]        # default 3 runs each
#
# Files go in bench-data/ (git-ignored), written by examples/gen_data when
# missing: 29 MB, 292 MB and, with --large, 2.9 GB (several minutes to write;
# make sure the disk has room). Prints one line per size and thread count:
# rows, median wall seconds, median CPU seconds (user + sys), peak MB, rows/s,
# and the time and memory per row relative to the next smaller size's, so
# that linear growth reads as ratios near 1. A measurement, not a test: it exits 0 whatever
# the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

large=0
if [ "${1:-}" = --large ]; then
    large=1
    shift
fi
runs=${1:-3}

if [ ! -x /usr/bin/time ]; then
    echo "== /usr/bin/time is missing: installing Debian's time package" >&2
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
echo "== cargo build --release (kmgov, gen_data)" >&2
cargo build --release --quiet --bin kmgov --example gen_data
bin=target/release
mkdir -p bench-data

sizes=(10000 100000)
[ "$large" = 1 ] && sizes+=(1000000)

# measure FILE THREADS: "median_wall median_cpu max_rss_kb" over RUNS runs.
measure() {
    local file=$1 threads=$2 walls=() cpus=() rss=0 i wall user sys kb
    for ((i = 0; i < runs; i++)); do
        KMGOV_THREADS=$threads /usr/bin/time -f "%e %U %S %M" -o bench-data/.time \
            "$bin/kmgov" score "$file" --all-periods --format csv --output /dev/null --quiet
        read -r wall user sys kb <bench-data/.time
        walls+=("$wall")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
        ((kb > rss)) && rss=$kb
    done
    local median='sort -g | awk "{ a[NR] = \$1 } END { print a[int((NR + 1) / 2)] }"'
    echo "$(printf '%s\n' "${walls[@]}" | eval "$median") $(printf '%s\n' "${cpus[@]}" | eval "$median") $rss"
}

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $runs runs each" >&2
printf '%-10s %7s %8s %8s %9s %11s %10s %10s\n' rows threads "wall s" "cpu s" "peak MB" "rows/s" "s/row ×" "MB/row ×"
declare -A previous
for units in "${sizes[@]}"; do
    rows=$((units * 10))
    file=bench-data/kunming-${units}x10.csv
    if [ ! -s "$file" ]; then
        echo "== generating $file ($rows rows)" >&2
        "$bin/examples/gen_data" "$units" 10 >"$file.tmp"
        mv "$file.tmp" "$file"
    fi
    for threads in "$(nproc)" 1; do
        read -r wall cpu kb <<<"$(measure "$file" "$threads")"
        read -r ref_rows ref_wall ref_kb <<<"${previous[$threads]:-0 0 0}"
        previous[$threads]="$rows $wall $kb"
        awk -v r="$rows" -v t="$threads" -v w="$wall" -v c="$cpu" -v kb="$kb" \
            -v rr="$ref_rows" -v rw="$ref_wall" -v rk="$ref_kb" 'BEGIN {
            printf "%-10d %7d %8.2f %8.2f %9.0f %11.0f %10.2f %10.2f\n",
                r, t, w, c, kb / 1024, (w > 0 ? r / w : 0),
                (rw > 0 ? (w / r) / (rw / rr) : 1), (rk > 0 ? (kb / r) / (rk / rr) : 1)
        }'
    done
done
rm -f bench-data/.time
