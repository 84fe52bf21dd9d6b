#!/usr/bin/env bash
# Scale invariance of the flashcache study: runs each simulator experiment at two scales (sizes, durations and
# write-back periods divided by the scale; rates and device times kept) and compares the two CSVs point by point:
# the relative difference of every latency column and the absolute difference of every ratio/share column,
# with the largest and the median per experiment, and both runs' summary lines side by side.
#
#   benchmarks/scripts/flashcache/scale-check.sh [OUT_DIR]
#   SCALES="256 512" EXPERIMENTS="working-set architecture" HOURS_working_set=12 ... (per-experiment hours)
#
# Needs `mvn -B -DskipTests package` first (bin/hostplane) and python3. Results are in simulated time, so they
# do not depend on machine load; wall times do (printed per run).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
out="${1:-$root/flashcache/target/scale-check}"
read -r -a scales <<< "${SCALES:-256 512}"
read -r -a experiments <<< "${EXPERIMENTS:-working-set write-policies architecture persistence invalidations small-ram}"
hours_for() {
    local var="HOURS_${1//-/_}"
    if [[ -n "${!var:-}" ]]; then echo "${!var}"; return; fi
    # The hours flashcache/STUDY.md's charts were made with.
    case "$1" in
        architecture|small-ram) echo 24 ;;
        write-policies) echo 8 ;;
        *) echo 12 ;;
    esac
}
for e in "${experiments[@]}"; do
    for s in "${scales[@]}"; do
        mkdir -p "$out/$s"
        start=$(date +%s.%N)
        "$root/bin/hostplane" cache sim --experiment "$e" --scale "$s" --hours "$(hours_for "$e")" \
            --out "$out/$s" --quiet > "$out/$s/$e.log"
        printf '%s at 1/%s: %.1f s wall, load %s\n' "$e" "$s" "$(echo "$(date +%s.%N) - $start" | bc)" \
            "$(cut -d' ' -f1-3 /proc/loadavg)"
    done
done
python3 "$root/benchmarks/scripts/flashcache/scale-compare.py" "$out/${scales[0]}" "$out/${scales[1]}" \
    "${experiments[@]}" | tee "$out/scale-check.md"
