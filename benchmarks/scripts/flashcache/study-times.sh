#!/usr/bin/env bash
# Wall time of every experiment of the flashcache study, run as flashcache/STUDY.md's charts were made
# (`bin/hostplane cache sim --experiment E --hours H --out DIR`, scale 1/256), one after the other; each CSV is
# compared with the one in flashcache/study/ (the simulator is deterministic, so a difference means the model or
# the cache changed), and the simulator's events per second are summarised from the per-point progress lines.
#
#   benchmarks/scripts/flashcache/study-times.sh [OUT_DIR]
#   EXPERIMENTS="working-set traces" TRACES=../shared/traces
#
# Needs `mvn -B -DskipTests package` first (bin/hostplane) and python3. Wall times include JVM start and PNG
# rendering; run it with the machine to itself (the acceptance is five minutes per experiment on 2 cores).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
out="${1:-$root/flashcache/target/study-times}"
traces="${TRACES:-$root/../shared/traces}"
read -r -a experiments <<< \
    "${EXPERIMENTS:-working-set write-policies architecture persistence invalidations small-ram traces}"
hours_for() {
    # The hours flashcache/STUDY.md's charts were made with (the traces experiment has no simulated time).
    case "$1" in
        architecture|small-ram) echo 24 ;;
        write-policies) echo 8 ;;
        *) echo 12 ;;
    esac
}
mkdir -p "$out"
printf 'cores %s, load before %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| experiment | command | wall | same CSV as flashcache/study | load after (1/5/15 min) |\n|---|---|---|---|---|\n'
for e in "${experiments[@]}"; do
    args=(cache sim --experiment "$e" --out "$out")
    if [[ "$e" == traces ]]; then args+=(--traces "$traces"); else args+=(--hours "$(hours_for "$e")"); fi
    start=$(date +%s.%N)
    "$root/bin/hostplane" "${args[@]}" > "$out/$e.log" 2> "$out/$e.progress"
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    same=no
    if cmp -s "$out/$e.csv" "$root/flashcache/study/$e.csv"; then same=yes; fi
    printf '| %s | `bin/hostplane %s` | %.1f s | %s | %s |\n' "$e" "${args[*]/$out/DIR}" "$wall" "$same" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
done
# Events per second per simulated point (application I/Os plus write-back steps, per wall second of the point).
python3 - "$out" "${experiments[@]}" <<'PY'
import re, statistics, sys, pathlib
out = pathlib.Path(sys.argv[1])
for e in sys.argv[2:]:
    rates, events = [], []
    for line in (out / (e + ".progress")).read_text().splitlines():
        m = re.search(r"\((\d+) events, (\d+) events/s", line)
        if m:
            events.append(int(m.group(1)))
            rates.append(int(m.group(2)))
    if rates:
        print("%s: %d points, events per point median %d, events/s median %d (min %d, max %d)"
              % (e, len(rates), statistics.median(events), statistics.median(rates), min(rates), max(rates)))
PY
