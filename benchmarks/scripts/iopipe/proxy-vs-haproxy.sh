#!/usr/bin/env bash
# iopipe proxy harness (loopback only): `hostplane pipe proxy` (socket->socket splice) vs HAProxy in TCP
# mode with forced splice (option splice-request + splice-response, nbthread 1), both in front of the
# same nginx backend (sendfile on, 1 worker), plus the backend direct, in one interleaved run driven by
# wrk. Prints a markdown table: requests/s, GB/s, proxy CPU seconds per GB, and ratios to HAProxy.
#
# Usage (from the repository root, after `mvn -pl examples package`):
#   bash benchmarks/scripts/iopipe/proxy-vs-haproxy.sh [seconds] [connections] [rounds]
# Needs: wrk, nginx, haproxy (Debian: apt-get install -y wrk nginx-light haproxy). Ports 18490-18493.
# PIPE_EVENT_LOOPS=N gives pipe proxy N event loops (default 1, like-for-like with HAProxy's nbthread 1;
# 0 = its own default, one per CPU). ALSO_PER_CPU=1 adds a second pipe proxy with one loop per CPU, measured
# in the same rounds (row "pipe proxy, loops per CPU"). VARIANTS='LABEL|ROOT|ARGS;...' adds more pipe
# proxies measured in the same rounds, each started from ROOT's bin/hostplane (another build, for an A/B;
# empty = this tree) with ARGS (row "pipe proxy, LABEL"; ports from 18494). DIRECT=0 leaves out the
# backend-direct row.
# Each run's log line (stderr) also says where the rest of the CPU went: the machine's busy cores, the
# backend's CPU-s/GB (proxy), context switches per response and, with PERF_COUNTS=1 (needs perf), system
# calls per response by name; counts that compare the servers even on a shared machine.
set -euo pipefail

DURATION="${1:-5}"
CONNS="${2:-16}"
ROUNDS="${3:-1}"
SIZES="${SIZES:-64k:65536 1m:1048576 16m:16777216}"
PIPE_EVENT_LOOPS="${PIPE_EVENT_LOOPS:-1}"
ALSO_PER_CPU="${ALSO_PER_CPU:-0}"
VARIANTS="${VARIANTS:-}"
DIRECT="${DIRECT:-1}"
IFS=';' read -r -a VARIANT_LIST <<< "$VARIANTS"
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-common.sh"
bench_init /tmp/iopipe-proxy-bench.XXXXXX
CPU_LABEL=proxy_cpu_s

require_tools "wrk nginx-light haproxy" wrk nginx haproxy
make_files
write_nginx_conf 18490
cat > "$WORK/haproxy.cfg" <<CONF
global
    nbthread 1
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    option splice-request
    option splice-response
frontend f
    bind 127.0.0.1:18491
    default_backend b
backend b
    server s1 127.0.0.1:18490
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" & PIDS+=($!); BACKEND_PID=$!
haproxy -f "$WORK/haproxy.cfg" -db & PIDS+=($!); HAPROXY_PID=$!
"$ROOT/bin/hostplane" pipe proxy --listen 18492 --to 127.0.0.1:18490 --event-loops "$PIPE_EVENT_LOOPS" \
    > "$WORK/pipe.log" 2>&1 & PIDS+=($!); PIPE_PID=$!
if (( ALSO_PER_CPU )); then
    "$ROOT/bin/hostplane" pipe proxy --listen 18493 --to 127.0.0.1:18490 > "$WORK/percpu.log" 2>&1 & PIDS+=($!); PERCPU_PID=$!
fi
VARIANT_PORTS=()
VARIANT_PIDS=()
for i in "${!VARIANT_LIST[@]}"; do
    IFS='|' read -r _ vroot vargs <<< "${VARIANT_LIST[$i]}"
    # shellcheck disable=SC2086 # ARGS are flags to split
    "${vroot:-$ROOT}/bin/hostplane" pipe proxy --listen $((18494 + i)) --to 127.0.0.1:18490 $vargs \
        > "$WORK/variant$i.log" 2>&1 & PIDS+=($!); VARIANT_PIDS+=($!); VARIANT_PORTS+=($((18494 + i)))
done
wait_ready f64k 18490 18491 18492 $( (( ALSO_PER_CPU )) && echo 18493) "${VARIANT_PORTS[@]}"
warm_jvm 18492 $( (( ALSO_PER_CPU )) && echo 18493) "${VARIANT_PORTS[@]}"
print_header
for round in $(seq 1 "$ROUNDS"); do
    for s in $SIZES; do
        name="${s%%:*}"; bytes="${s##*:}"
        if (( round % 2 )); then order="haproxy pipe direct"; else order="pipe haproxy direct"; fi
        (( ALSO_PER_CPU )) && order="$order percpu"
        (( DIRECT )) || order="${order/direct/}"
        for i in "${!VARIANT_LIST[@]}"; do order="$order variant$i"; done
        for who in $order; do
            case "$who" in
                haproxy) run haproxy 18491 "$HAPROXY_PID" "$name" "$bytes" ;;
                pipe) run pipe 18492 "$PIPE_PID" "$name" "$bytes" ;;
                percpu) run percpu 18493 "$PERCPU_PID" "$name" "$bytes" ;;
                variant*) i="${who#variant}"; run "$who" "${VARIANT_PORTS[$i]}" "${VARIANT_PIDS[$i]}" "$name" "$bytes" ;;
                direct) run direct 18490 "" "$name" "$bytes" ;;
            esac
        done
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "Medians of $ROUNDS interleaved rounds of ${DURATION}s, wrk -t2 -c$CONNS, one machine shared with other work, pipe proxy event loops: $PIPE_EVENT_LOOPS (0 = one per CPU)."
echo
echo "| file | path | req/s | GB/s | proxy CPU-s/GB | req/s vs HAProxy | CPU/GB vs HAProxy |"
echo "|---|---|---|---|---|---|---|"
for s in $SIZES; do
    name="${s%%:*}"
    rh="$(median 3 haproxy "$name")"; ch="$(median 5 haproxy "$name")"
    for who in $( (( DIRECT )) && echo direct) haproxy pipe $( (( ALSO_PER_CPU )) && echo percpu) \
        $(for i in "${!VARIANT_LIST[@]}"; do echo "variant$i"; done); do
        label=""
        [[ "$who" == variant* ]] && label="pipe proxy, ${VARIANT_LIST[${who#variant}]%%|*}"
        awk -v n="$name" -v s="$who" -v vl="$label" -v r="$(median 3 "$who" "$name")" -v g="$(median 4 "$who" "$name")" \
            -v c="$(median 5 "$who" "$name")" -v rh="$rh" -v ch="$ch" \
            'BEGIN {label = (vl != "") ? vl : (s == "pipe") ? "pipe proxy (splice)" : (s == "percpu") ? "pipe proxy, loops per CPU" : (s == "haproxy") ? "HAProxy tcp, forced splice" : "nginx direct (no proxy)";
                    printf "| %s | %s | %.0f | %.3f | %s | %.2f | %s |\n", n, label, r, g,
                        (s == "direct") ? "-" : sprintf("%.3f", c), (rh > 0 ? r / rh : 0),
                        (s == "direct" || ch == 0) ? "-" : sprintf("%.2f", c / ch)}'
    done
done
