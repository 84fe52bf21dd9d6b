#!/usr/bin/env bash
# iopipe side-by-side harness (loopback only): nginx (sendfile on, 1 worker) vs `hostplane pipe serve`
# (bodies through iopipe/sendfile) vs `hostplane pipe serve --copy` (64 KiB read/write), driven by wrk,
# interleaved per file size so all three see the same foreign load. Prints a markdown table with
# requests/s, GB/s (10^9 bytes of body per second), server CPU seconds per GB (utime+stime of all the
# server's processes/threads from /proc, i.e. mover CPU, not wrk's) and ratios to nginx.
#
# Usage (from the repository root, after `mvn -pl examples package`):
#   bash benchmarks/src/main/java/dev/hostplane/benchmarks/iopipe/serve-vs-nginx.sh [seconds] [connections] [rounds]
# Needs: wrk, nginx (Debian: apt-get install -y wrk nginx-light). Ports 18480-18482 on 127.0.0.1.
set -euo pipefail

DURATION="${1:-5}"
CONNS="${2:-16}"
ROUNDS="${3:-1}"
SIZES="${SIZES:-4k:4096 64k:65536 1m:1048576 16m:16777216 256m:268435456}"
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../../../../../../.." && pwd)"
WORK="$(mktemp -d /tmp/iopipe-bench.XXXXXX)"
PIDS=()
cleanup()
{
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk nginx; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light)" >&2; exit 2; }
done
mkdir -p "$WORK/www" "$WORK/nginx"
# nginx workers run as an unprivileged user: the tree must be readable by them.
chmod 755 "$WORK" "$WORK/www"
for s in $SIZES; do
    name="${s%%:*}"; bytes="${s##*:}"
    head -c "$bytes" /dev/urandom > "$WORK/www/f$name"
    chmod 644 "$WORK/www/f$name"
    cat "$WORK/www/f$name" > /dev/null
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
    default_type application/octet-stream;
    server { listen 127.0.0.1:18480; root $WORK/www; }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" & PIDS+=($!); NGINX_PID=$!
"$ROOT/bin/hostplane" pipe serve --root "$WORK/www" --port 18481 > "$WORK/pipe.log" 2>&1 & PIDS+=($!); PIPE_PID=$!
"$ROOT/bin/hostplane" pipe serve --root "$WORK/www" --port 18482 --copy > "$WORK/copy.log" 2>&1 & PIDS+=($!); COPY_PID=$!
for port in 18480 18481 18482; do
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port/f4k" && break
        sleep 0.1
    done
done

# CPU ticks (utime+stime) of a process and all its descendants (nginx master + worker; a JVM's threads
# are included in the process's own counters).
ticks()
{
    local total=0 p
    for p in $1 $(pgrep -P "$1" || true); do
        if [[ -r /proc/$p/stat ]]; then
            total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
        fi
    done
    echo "$total"
}
HZ="$(getconf CLK_TCK)"
JAVA_PID_OF() { pgrep -P "$1" java || echo "$1"; }

# median COLUMN WHO NAME: median over rounds of one column of results.tsv (3 = req/s, 4 = GB/s, 5 = CPU-s/GB).
median()
{
    awk -F'\t' -v s="$2" -v n="$3" -v c="$1" '$1 == s && $2 == n {print $c}' "$WORK/results.tsv" | sort -g \
        | awk '{v[NR] = $1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
run()
{
    local server="$1" port="$2" pid="$3" name="$4" bytes="$5"
    local before after out reqs rps
    before="$(ticks "$pid")"
    out="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 60s "http://127.0.0.1:$port/f$name")"
    after="$(ticks "$pid")"
    if echo "$out" | grep -q "Non-2xx"; then
        echo "FATAL: $1 on port $2 answered non-2xx responses for f$4; results would be meaningless:" >&2
        echo "$out" >&2
        exit 3
    fi
    reqs="$(echo "$out" | awk '/requests in/ {print $1}')"
    rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    local gb cpu
    gb="$(awk -v r="$reqs" -v b="$bytes" 'BEGIN {printf "%.4f", r * b / 1e9}')"
    cpu="$(awk -v t=$((after - before)) -v hz="$HZ" 'BEGIN {printf "%.3f", t / hz}')"
    printf "%s\t%s\t%s\t%s\t%s\n" "$server" "$name" "$rps" "$(awk -v g="$gb" -v d="$DURATION" 'BEGIN {print g / d}')" \
        "$(awk -v c="$cpu" -v g="$gb" 'BEGIN {print (g > 0 ? c / g : 0)}')" >> "$WORK/results.tsv"
    echo "# $server f$name: reqs=$reqs rps=$rps GB=$gb cpu_s=$cpu" >&2
}

PIPE_JAVA="$(JAVA_PID_OF "$PIPE_PID")"
COPY_JAVA="$(JAVA_PID_OF "$COPY_PID")"
# Warm the JVM servers (JIT) so the first measured size does not pay for compilation.
for port in 18481 18482; do
    wrk -t2 -c"$CONNS" -d3s --timeout 60s "http://127.0.0.1:$port/f64k" > /dev/null
done
echo "# machine: $(nproc) CPUs, load before: $(cut -d' ' -f1-3 /proc/loadavg); duration=${DURATION}s conns=$CONNS rounds=$ROUNDS" >&2
for round in $(seq 1 "$ROUNDS"); do
    for s in $SIZES; do
        name="${s%%:*}"; bytes="${s##*:}"
        # Rotate the order each round so no server always runs first.
        case $((round % 3)) in
            1) order="nginx pipe copy" ;;
            2) order="pipe copy nginx" ;;
            0) order="copy nginx pipe" ;;
        esac
        for server in $order; do
            case "$server" in
                nginx) run nginx 18480 "$NGINX_PID" "$name" "$bytes" ;;
                pipe) run pipe 18481 "$PIPE_JAVA" "$name" "$bytes" ;;
                copy) run copy 18482 "$COPY_JAVA" "$name" "$bytes" ;;
            esac
        done
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo "Medians of $ROUNDS interleaved rounds of ${DURATION}s, wrk -t2 -c$CONNS, one machine shared with other work."
echo
echo "| file | server | req/s | GB/s | server CPU-s/GB | req/s vs nginx | CPU/GB vs nginx |"
echo "|---|---|---|---|---|---|---|"
for s in $SIZES; do
    name="${s%%:*}"
    rn="$(median 3 nginx "$name")"; cn="$(median 5 nginx "$name")"
    for server in nginx pipe copy; do
        awk -v n="$name" -v s="$server" -v r="$(median 3 "$server" "$name")" -v g="$(median 4 "$server" "$name")" \
            -v c="$(median 5 "$server" "$name")" -v rn="$rn" -v cn="$cn" \
            'BEGIN {label = (s == "pipe") ? "pipe serve" : (s == "copy") ? "pipe serve --copy" : "nginx";
                    printf "| %s | %s | %.0f | %.3f | %.3f | %.2f | %.2f |\n", n, label, r, g, c,
                        (rn > 0 ? r / rn : 0), (cn > 0 ? c / cn : 0)}'
    done
done
