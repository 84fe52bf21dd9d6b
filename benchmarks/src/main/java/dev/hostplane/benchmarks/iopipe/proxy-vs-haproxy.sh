#!/usr/bin/env bash
# iopipe proxy harness (loopback only): `hostplane pipe proxy` (socket->socket splice) vs HAProxy in TCP
# mode with forced splice (option splice-request + splice-response, nbthread 1), both in front of the
# same nginx backend (sendfile on, 1 worker), plus the backend direct, in one interleaved run driven by
# wrk. Prints a markdown table: requests/s, GB/s, proxy CPU seconds per GB, and ratios to HAProxy.
#
# Usage (from the repository root, after `mvn -pl examples package`):
#   bash benchmarks/src/main/java/dev/hostplane/benchmarks/iopipe/proxy-vs-haproxy.sh [seconds] [connections] [rounds]
# Needs: wrk, nginx, haproxy (Debian: apt-get install -y wrk nginx-light haproxy). Ports 18490-18492.
set -euo pipefail

DURATION="${1:-5}"
CONNS="${2:-16}"
ROUNDS="${3:-1}"
SIZES="${SIZES:-64k:65536 1m:1048576 16m:16777216}"
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../../../../../../.." && pwd)"
WORK="$(mktemp -d /tmp/iopipe-proxy-bench.XXXXXX)"
PIDS=()
cleanup()
{
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk nginx haproxy; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light haproxy)" >&2; exit 2; }
done
mkdir -p "$WORK/www" "$WORK/nginx"
# nginx workers run as an unprivileged user: the tree must be readable by them.
chmod 755 "$WORK" "$WORK/www"
for s in $SIZES; do
    name="${s%%:*}"; bytes="${s##*:}"
    head -c "$bytes" /dev/urandom > "$WORK/www/f$name"
    chmod 644 "$WORK/www/f$name"
done
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    sendfile on; tcp_nopush on; tcp_nodelay on; sendfile_max_chunk 2m;
    keepalive_requests 1000000; keepalive_timeout 120s; access_log off;
    client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
    server { listen 127.0.0.1:18490; root $WORK/www; }
}
CONF
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
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" & PIDS+=($!)
haproxy -f "$WORK/haproxy.cfg" -db & PIDS+=($!); HAPROXY_PID=$!
"$ROOT/bin/hostplane" pipe proxy --listen 18492 --to 127.0.0.1:18490 > "$WORK/pipe.log" 2>&1 & PIDS+=($!); PIPE_PID=$!
for port in 18490 18491 18492; do
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port/f64k" && break
        sleep 0.1
    done
done
ticks()
{
    local total=0 p
    for p in $1 $(pgrep -P "$1" || true); do
        [[ -r /proc/$p/stat ]] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "$total"
}
HZ="$(getconf CLK_TCK)"
# median COLUMN WHO NAME: median over rounds of one column of results.tsv (3 = req/s, 4 = GB/s, 5 = CPU-s/GB).
median()
{
    awk -F'\t' -v s="$2" -v n="$3" -v c="$1" '$1 == s && $2 == n {print $c}' "$WORK/results.tsv" | sort -g \
        | awk '{v[NR] = $1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
run()
{
    local who="$1" port="$2" pid="$3" name="$4" bytes="$5" before after out reqs rps gb cpu
    before="$( [[ -n "$pid" ]] && ticks "$pid" || echo 0)"
    out="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 60s "http://127.0.0.1:$port/f$name")"
    after="$( [[ -n "$pid" ]] && ticks "$pid" || echo 0)"
    if echo "$out" | grep -q "Non-2xx"; then
        echo "FATAL: $1 on port $2 answered non-2xx responses for f$4; results would be meaningless:" >&2
        echo "$out" >&2
        exit 3
    fi
    reqs="$(echo "$out" | awk '/requests in/ {print $1}')"
    rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    gb="$(awk -v r="$reqs" -v b="$bytes" 'BEGIN {printf "%.4f", r * b / 1e9}')"
    cpu="$(awk -v t=$((after - before)) -v hz="$HZ" 'BEGIN {printf "%.3f", t / hz}')"
    printf "%s\t%s\t%s\t%s\t%s\n" "$who" "$name" "$rps" "$(awk -v g="$gb" -v d="$DURATION" 'BEGIN {print g / d}')" \
        "$(awk -v c="$cpu" -v g="$gb" 'BEGIN {print (g > 0 ? c / g : 0)}')" >> "$WORK/results.tsv"
    echo "# $who f$name: reqs=$reqs rps=$rps GB=$gb proxy_cpu_s=$cpu" >&2
}
# Warm the JVM servers (JIT) so the first measured size does not pay for compilation.
for port in 18492; do
    wrk -t2 -c"$CONNS" -d3s --timeout 60s "http://127.0.0.1:$port/f64k" > /dev/null
done
echo "# machine: $(nproc) CPUs, load before: $(cut -d' ' -f1-3 /proc/loadavg); duration=${DURATION}s conns=$CONNS rounds=$ROUNDS" >&2
for round in $(seq 1 "$ROUNDS"); do
    for s in $SIZES; do
        name="${s%%:*}"; bytes="${s##*:}"
        if (( round % 2 )); then order="haproxy pipe direct"; else order="pipe haproxy direct"; fi
        for who in $order; do
            case "$who" in
                haproxy) run haproxy 18491 "$HAPROXY_PID" "$name" "$bytes" ;;
                pipe) run pipe 18492 "$PIPE_PID" "$name" "$bytes" ;;
                direct) run direct 18490 "" "$name" "$bytes" ;;
            esac
        done
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "Medians of $ROUNDS interleaved rounds of ${DURATION}s, wrk -t2 -c$CONNS, one machine shared with other work."
echo
echo "| file | path | req/s | GB/s | proxy CPU-s/GB | req/s vs HAProxy | CPU/GB vs HAProxy |"
echo "|---|---|---|---|---|---|---|"
for s in $SIZES; do
    name="${s%%:*}"
    rh="$(median 3 haproxy "$name")"; ch="$(median 5 haproxy "$name")"
    for who in direct haproxy pipe; do
        awk -v n="$name" -v s="$who" -v r="$(median 3 "$who" "$name")" -v g="$(median 4 "$who" "$name")" \
            -v c="$(median 5 "$who" "$name")" -v rh="$rh" -v ch="$ch" \
            'BEGIN {label = (s == "pipe") ? "pipe proxy (splice)" : (s == "haproxy") ? "HAProxy tcp, forced splice" : "nginx direct (no proxy)";
                    printf "| %s | %s | %.0f | %.3f | %s | %.2f | %s |\n", n, label, r, g,
                        (s == "direct") ? "-" : sprintf("%.3f", c), (rh > 0 ? r / rh : 0),
                        (s == "direct" || ch == 0) ? "-" : sprintf("%.2f", c / ch)}'
    done
done
