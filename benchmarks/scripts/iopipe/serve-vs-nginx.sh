#!/usr/bin/env bash
# iopipe side-by-side harness (loopback only): nginx (sendfile on, 1 worker) vs `hostplane pipe serve`
# (bodies through iopipe/sendfile) vs `hostplane pipe serve --copy` (64 KiB read/write), driven by wrk,
# interleaved per file size so all three see the same foreign load. Prints a markdown table with
# requests/s, GB/s (10^9 bytes of body per second), server CPU seconds per GB (utime+stime of all the
# server's processes/threads from /proc, i.e. mover CPU, not wrk's) and ratios to nginx.
#
# Usage (from the repository root, after `mvn -pl examples package`):
#   bash benchmarks/scripts/iopipe/serve-vs-nginx.sh [seconds] [connections] [rounds]
# Needs: wrk, nginx (Debian: apt-get install -y wrk nginx-light), python3. Ports 18480-18482 on 127.0.0.1.
# IDLE=N holds N idle keep-alive connections (idle-holder.py) to nginx and to pipe serve during the
# measured rounds and prints each server's threads and RSS with them held (run once with IDLE=0 and once
# with IDLE=N in the same session to compare throughput with and without them).
# NGINX_OPEN_FILE_CACHE=1 turns on nginx's open_file_cache (max=1000, valid 1 s), the counterpart of
# pipe serve's default descriptor cache (HttpFileServer.Builder.openFileValid); without it nginx opens,
# stats and closes the file for every request.
# PIPE_EVENT_LOOPS=N gives both pipe servers N event loops (default 1, like-for-like with nginx's one
# worker; 0 = the servers' own default, one per CPU). COPY=0 leaves the --copy server out.
# VARIANTS='LABEL|ROOT|ARGS;...' adds more pipe servers measured in the same rounds, each started from
# ROOT's bin/hostplane (another build, for an A/B; empty = this tree) with ARGS after the common flags
# (row "pipe serve, LABEL"; ports from 18483).
# Each run's log line (stderr) also says where the rest of the CPU went: the machine's busy cores, the
# backend's CPU-s/GB (proxy), context switches per response and, with PERF_COUNTS=1 (needs perf), system
# calls per response by name; counts that compare the servers even on a shared machine.
set -euo pipefail
IDLE="${IDLE:-0}"
if (( IDLE > 0 )); then
    # Each server and each holder (one per server) needs a descriptor per idle connection.
    ulimit -n "$(ulimit -Hn)"
    (( $(ulimit -n) > IDLE + 1024 )) || { echo "IDLE=$IDLE needs a descriptor limit above $((IDLE + 1024)); hard limit: $(ulimit -Hn)" >&2; exit 2; }
fi

DURATION="${1:-5}"
CONNS="${2:-16}"
ROUNDS="${3:-1}"
SIZES="${SIZES:-4k:4096 64k:65536 1m:1048576 16m:16777216 256m:268435456}"
PIPE_EVENT_LOOPS="${PIPE_EVENT_LOOPS:-1}"
COPY="${COPY:-1}"
VARIANTS="${VARIANTS:-}"
IFS=';' read -r -a VARIANT_LIST <<< "$VARIANTS"
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-common.sh"
bench_init /tmp/iopipe-bench.XXXXXX

require_tools "wrk nginx-light" wrk nginx
make_files
# NGINX_OPEN_FILE_CACHE=1 gives nginx the descriptor cache pipe serve has by default (1000 files, 1 s).
WORKER_CONNECTIONS=$((IDLE + 4096)) write_nginx_conf 18480 "default_type application/octet-stream;${NGINX_OPEN_FILE_CACHE:+ open_file_cache max=1000 inactive=20s; open_file_cache_valid 1s;}"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" & PIDS+=($!); NGINX_PID=$!
# Keep-alive timeout as nginx's in this config (120 s), so idle connections outlive a run on both.
"$ROOT/bin/hostplane" pipe serve --root "$WORK/www" --port 18481 --keepalive-timeout 120s \
    --event-loops "$PIPE_EVENT_LOOPS" > "$WORK/pipe.log" 2>&1 & PIDS+=($!); PIPE_PID=$!
if (( COPY )); then
    "$ROOT/bin/hostplane" pipe serve --root "$WORK/www" --port 18482 --keepalive-timeout 120s --copy \
        --event-loops "$PIPE_EVENT_LOOPS" > "$WORK/copy.log" 2>&1 & PIDS+=($!); COPY_PID=$!
fi
VARIANT_PORTS=()
VARIANT_JAVAS=()
for i in "${!VARIANT_LIST[@]}"; do
    IFS='|' read -r _ vroot vargs <<< "${VARIANT_LIST[$i]}"
    # shellcheck disable=SC2086 # ARGS are flags to split
    "${vroot:-$ROOT}/bin/hostplane" pipe serve --root "$WORK/www" --port $((18483 + i)) --keepalive-timeout 120s \
        --event-loops "$PIPE_EVENT_LOOPS" $vargs > "$WORK/variant$i.log" 2>&1 & PIDS+=($!); VARIANT_JAVAS+=($!)
    VARIANT_PORTS+=($((18483 + i)))
done
wait_ready f4k 18480 18481 $( (( COPY )) && echo 18482) "${VARIANT_PORTS[@]}"

JAVA_PID_OF() { pgrep -P "$1" java || echo "$1"; }

PIPE_JAVA="$(JAVA_PID_OF "$PIPE_PID")"
(( COPY )) && COPY_JAVA="$(JAVA_PID_OF "$COPY_PID")"
# Warm the JVM servers (JIT) so the first measured size does not pay for compilation.
warm_jvm 18481 $( (( COPY )) && echo 18482) "${VARIANT_PORTS[@]}"
print_header
# threads and RSS (kB) of a process and its children: "threads=T rss_mb=M".
footprint()
{
    local p t=0 r=0
    for p in $1 $(pgrep -P "$1" || true); do
        t=$((t + $(awk '/^Threads:/ {print $2}' "/proc/$p/status")))
        r=$((r + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status")))
    done
    echo "threads=$t rss_mb=$((r / 1024))"
}
echo "# idle: before holding any: nginx $(footprint "$NGINX_PID"), pipe serve $(footprint "$PIPE_JAVA")" >&2
if (( IDLE > 0 )); then
    : > "$WORK/idle.log"
    for port in 18480 18481; do
        python3 "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/idle-holder.py" "$IDLE" "$port" >> "$WORK/idle.log" 2>&1 &
        PIDS+=($!)
    done
    for _ in $(seq 1 600); do
        [[ "$(grep -c '^held' "$WORK/idle.log")" == 2 ]] && break
        grep -q . "$WORK/idle.log" && ! grep -q '^held' "$WORK/idle.log" && { cat "$WORK/idle.log" >&2; exit 3; }
        sleep 0.2
    done
    [[ "$(grep -c '^held' "$WORK/idle.log")" == 2 ]] || { echo "FATAL: idle connections not held" >&2; cat "$WORK/idle.log" >&2; exit 3; }
    echo "# idle: holding $IDLE each: nginx $(footprint "$NGINX_PID"), pipe serve $(footprint "$PIPE_JAVA")" >&2
fi
for round in $(seq 1 "$ROUNDS"); do
    for s in $SIZES; do
        name="${s%%:*}"; bytes="${s##*:}"
        # Rotate the order each round so no server always runs first.
        case $((round % 3)) in
            1) order="nginx pipe copy" ;;
            2) order="pipe copy nginx" ;;
            0) order="copy nginx pipe" ;;
        esac
        (( COPY )) || order="${order/copy/}"
        for i in "${!VARIANT_LIST[@]}"; do order="$order variant$i"; done
        for server in $order; do
            case "$server" in
                nginx) run nginx 18480 "$NGINX_PID" "$name" "$bytes" ;;
                pipe) run pipe 18481 "$PIPE_JAVA" "$name" "$bytes" ;;
                copy) run copy 18482 "$COPY_JAVA" "$name" "$bytes" ;;
                variant*) i="${server#variant}"; run "$server" "${VARIANT_PORTS[$i]}" "${VARIANT_JAVAS[$i]}" "$name" "$bytes" ;;
            esac
        done
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if (( IDLE > 0 )); then
    echo "# idle: after the rounds, still holding $IDLE each: nginx $(footprint "$NGINX_PID"), pipe serve $(footprint "$PIPE_JAVA")" >&2
fi

echo "Medians of $ROUNDS interleaved rounds of ${DURATION}s, wrk -t2 -c$CONNS, idle connections held: $IDLE each (nginx, pipe serve), nginx open_file_cache: ${NGINX_OPEN_FILE_CACHE:-off}, pipe serve event loops: $PIPE_EVENT_LOOPS (0 = one per CPU)."
echo
echo "| file | server | req/s | GB/s | server CPU-s/GB | req/s vs nginx | CPU/GB vs nginx |"
echo "|---|---|---|---|---|---|---|"
for s in $SIZES; do
    name="${s%%:*}"
    rn="$(median 3 nginx "$name")"; cn="$(median 5 nginx "$name")"
    for server in nginx pipe $( (( COPY )) && echo copy) $(for i in "${!VARIANT_LIST[@]}"; do echo "variant$i"; done); do
        label=""
        [[ "$server" == variant* ]] && label="pipe serve, ${VARIANT_LIST[${server#variant}]%%|*}"
        awk -v n="$name" -v s="$server" -v vl="$label" -v r="$(median 3 "$server" "$name")" -v g="$(median 4 "$server" "$name")" \
            -v c="$(median 5 "$server" "$name")" -v rn="$rn" -v cn="$cn" \
            'BEGIN {label = (vl != "") ? vl : (s == "pipe") ? "pipe serve" : (s == "copy") ? "pipe serve --copy" : "nginx";
                    printf "| %s | %s | %.0f | %.3f | %.3f | %.2f | %.2f |\n", n, label, r, g, c,
                        (rn > 0 ? r / rn : 0), (cn > 0 ? c / cn : 0)}'
    done
done
